//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/templates"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// The comparison page's functions, compare, matrix and parseViews: views
// is the JSON (string or object) of check.CompareOptions.

// viewsResult is what compare and matrix resolve to.
type viewsResult struct {
	HTML string `json:"html"`
	// Query is the page's share link, "?uri=…&a=…&b=…".
	Query string `json:"query"`
}

func readViews(args []js.Value) (check.CompareOptions, error) {
	s, err := bridge.StringArg(args, 0, "views")
	if err != nil {
		return check.CompareOptions{}, err
	}
	v := check.CompareOptions{Profile: engine.DefaultProfile, AllowTCP: true}
	if err := bridge.DecodeJSON(s, "views", &v); err != nil {
		return check.CompareOptions{}, err
	}
	if v.A.DoH == "" {
		return check.CompareOptions{}, errors.New("choose a resolver for view A")
	}
	return v, nil
}

// discover runs one check of o without the sign-in simulation, and returns
// the link that reopens it in the analyzer: live when a link can name the
// resolver, a snapshot for a planned zone.
// It runs in goroutines of its own, which the promise's recover does not
// cover, so it recovers a panic itself.
func discover(ctx context.Context, o check.Options) (rep *engine.Report, link string, err error) {
	defer func() {
		if r := recover(); r != nil {
			rep, link, err = nil, "", fmt.Errorf("internal error in the analyzer: %v", r)
		}
	}()
	u, err := engine.ParseURI(o.URI)
	if err != nil {
		return nil, "", err
	}
	res, err := resolver(o, u.Domain)
	if err != nil {
		return nil, "", err
	}
	r, err := check.Run(ctx, o, env(res))
	if err != nil {
		return nil, "", bridge.FormError(err)
	}
	if q := r.Query(); q != "" {
		return r.Report, "../" + q, nil
	}
	snap, err := snapshot.Encode(ctx, r.Snapshot())
	if err != nil {
		return nil, "", err
	}
	return r.Report, "../" + snap, nil
}

func compare(ctx context.Context, args []js.Value) (any, error) {
	v, err := readViews(args)
	if err != nil {
		return nil, err
	}
	if v.B.DoH == "" {
		return nil, errors.New("choose a resolver for view B")
	}
	v.Matrix = false
	ctx, cancel := context.WithTimeout(ctx, bridge.CheckTimeout)
	defer cancel()
	var (
		wg    sync.WaitGroup
		reps  [2]*engine.Report
		links [2]string
		errs  [2]error
	)
	for i, w := range []check.CompareSide{v.A, v.B} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], links[i], errs[i] = discover(ctx, v.Options(w))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, errors.New("view " + string(rune('A'+i)) + ": " + err.Error())
		}
	}
	html, err := bridge.RenderComponent(templates.CompareResult(templates.NewCompareResultView(reps[0], reps[1], v.A.DoH, v.B.DoH, links[0], links[1])))
	if err != nil {
		return nil, err
	}
	return viewsResult{HTML: html, Query: v.Query()}, nil
}

// matrixParallel bounds the checks of a matrix that run at once.
const matrixParallel = 4

func matrix(ctx context.Context, args []js.Value) (any, error) {
	v, err := readViews(args)
	if err != nil {
		return nil, err
	}
	v.Matrix = true
	addrs, err := v.MatrixAddresses()
	if err != nil {
		return nil, err
	}
	views := []check.CompareSide{v.A}
	columns := []string{"A: " + check.ResolverLabel(v.A.DoH)}
	if v.B.DoH != "" {
		views = append(views, v.B)
		columns = append(columns, "B: "+check.ResolverLabel(v.B.DoH))
	}
	// runs[a] are address a's checks.
	runs := make([][]templates.MatrixRun, len(addrs))
	for a := range addrs {
		for _, p := range engine.Profiles() {
			for _, strict := range []bool{false, true} {
				for col := range views {
					runs[a] = append(runs[a], templates.MatrixRun{Profile: p.Name, Strict: strict, Column: col})
				}
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(len(addrs))*bridge.CheckTimeout)
	defer cancel()
	// Each column's first check of each address goes first, all at
	// once: a resolver that failed every one of its questions alike
	// (offline, CORS, a server refusing the domain) would fail every
	// other check of that column and address the same way, so the
	// matrix gives up on them within one check's time and says so in
	// one line per column and failure, however many addresses share it.
	// gaveUp[a][col] is the failure address a's first check in column
	// col had in every question; "" where it was answered.
	gaveUp := make([][]string, len(addrs))
	var first sync.WaitGroup
	for a, addr := range addrs {
		gaveUp[a] = make([]string, len(views))
		for col := range views {
			first.Go(func() {
				r := &runs[a][col]
				o := v.Options(views[col])
				o.URI, o.Profile, o.Strict = addr, r.Profile, check.StrictOf(r.Strict)
				rep, link, err := discover(ctx, o)
				if err != nil {
					return // run again below, where errors are kept
				}
				r.Report, r.Link = rep, link
				if why, all := check.OneFailure(rep); all {
					gaveUp[a][col] = why
				}
			})
		}
	}
	first.Wait()
	var failed []string
	for col := range views {
		var whys []string
		byWhy := map[string][]*engine.Report{}
		for a := range addrs {
			if why := gaveUp[a][col]; why != "" {
				if byWhy[why] == nil {
					whys = append(whys, why)
				}
				byWhy[why] = append(byWhy[why], runs[a][col].Report)
			}
		}
		for _, why := range whys {
			failed = append(failed, templates.MatrixGaveUp(columns[col], byWhy[why], len(addrs), views[col].DoH == check.ResolverLocal))
		}
	}
	// errs[a] is address a's first error: every cell of a bad address
	// fails the same way, so one is enough.
	errs := make([]error, len(addrs))
	var mu sync.Mutex
	sem := make(chan struct{}, matrixParallel)
	var wg sync.WaitGroup
	for a, addr := range addrs {
		for i := range runs[a] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				r := &runs[a][i]
				if r.Report != nil {
					return // a column's first check, done
				}
				if gaveUp[a][r.Column] != "" {
					r.Report = runs[a][r.Column].Report
					return
				}
				o := v.Options(views[r.Column])
				o.URI, o.Profile, o.Strict = addr, r.Profile, check.StrictOf(r.Strict)
				var err error
				r.Report, r.Link, err = discover(ctx, o)
				if err != nil {
					mu.Lock()
					if errs[a] == nil {
						errs[a] = err
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	for a, err := range errs {
		if err != nil && len(addrs) > 1 {
			return nil, fmt.Errorf("%s: %v", addrs[a], err)
		} else if err != nil {
			return nil, err
		}
	}
	mvs := make([]templates.MatrixView, len(addrs))
	for a := range addrs {
		mvs[a] = templates.NewMatrixView(runs[a][0].Report.URI, columns, runs[a])
		mvs[a].Index = a
	}
	// The lines go above the first matrix, where the page starts.
	mvs[0].Failed = failed
	html, err := bridge.RenderComponent(templates.AnalyzerMatrices(mvs))
	if err != nil {
		return nil, err
	}
	v.More = addrs[1:]
	return viewsResult{HTML: html, Query: v.Query()}, nil
}

// viewsQueryResult is what parseViews resolves to.
type viewsQueryResult struct {
	Found bool                 `json:"found"`
	Views check.CompareOptions `json:"views"`
}

func parseViews(ctx context.Context, args []js.Value) (any, error) {
	q, err := bridge.StringArg(args, 0, "query string")
	if err != nil {
		return nil, err
	}
	v, ok, err := check.ParseCompare(q)
	if err != nil {
		return nil, err
	}
	return viewsQueryResult{Found: ok, Views: v}, nil
}

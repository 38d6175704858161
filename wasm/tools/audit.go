//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"syscall/js"
	"time"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/templates"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// The batch audit page's function, audit(form[, onProgress]): form is the JSON (string or object) of check.AuditOptions; onProgress(done,
// total) hears how many lines are done, at most every 100 ms and at the
// end.

// auditResult is what audit resolves to.
type auditResult struct {
	HTML    string        `json:"html"`
	CSV     string        `json:"csv"`
	JSON    string        `json:"json"`
	Summary audit.Summary `json:"summary"`
}

// Bounds of one batch audit in the browser.
const (
	auditConcurrency = 8
	auditTimeout     = 5 * time.Minute
)

func auditFunc(ctx context.Context, args []js.Value) (any, error) {
	s, err := bridge.StringArg(args, 0, "audit form")
	if err != nil {
		return nil, err
	}
	f := check.AuditDefaults()
	if err := bridge.DecodeJSON(s, "audit form", &f); err != nil {
		return nil, err
	}
	var onProgress js.Value
	if len(args) > 1 && args[1].Type() == js.TypeFunction {
		onProgress = args[1]
	}
	ctx, cancel := context.WithTimeout(ctx, auditTimeout)
	defer cancel()
	return runAudit(ctx, f, time.Now(), onProgress)
}

func runAudit(ctx context.Context, f check.AuditOptions, now time.Time, onProgress js.Value) (auditResult, error) {
	if f.DoH == "" {
		return auditResult{}, errors.New("choose a DNS resolver")
	}
	lines, err := audit.ReadLines(strings.NewReader(f.List), check.AuditMaxLines)
	if err != nil {
		return auditResult{}, err
	}
	if len(lines) == 0 {
		return auditResult{}, errors.New("paste at least one sign-in address, one per line")
	}
	o := f.Options()
	// A planned zone without $ORIGIN takes the first address's domain.
	origin := ""
	for _, l := range lines {
		if l.Err == nil {
			origin = l.URI.Domain
			break
		}
	}
	env := check.Env{Now: time.Now} // no Rand: reproducible, as the CLI's audit (ADR 0023)
	cfg, err := o.Config(env)
	if err != nil {
		return auditResult{}, err
	}
	if env.Resolver, err = resolver(o, origin); err != nil {
		return auditResult{}, err
	}
	cfg.Resolver = env.Resolver
	// Each address's report carries every client generation's row, as
	// the analyzer's does.
	discover, err := o.Discoverer(env)
	if err != nil {
		return auditResult{}, err
	}
	if o.Resolver.Kind == check.SourceUpstream {
		// One resolver, so one check, per domain (the audit discovers
		// once per domain): sipdisco serve --upstream answers an SRV
		// target's address only to the check of the domain whose SRV
		// answer named it.
		discover = func(ctx context.Context, u engine.URI) (*engine.Report, error) {
			e := env
			var err error
			if e.Resolver, err = bridge.DoH(o); err != nil {
				return nil, err
			}
			d, err := o.Discoverer(e)
			if err != nil {
				return nil, err
			}
			return d(ctx, u)
		}
	}

	// Links: live ones name the resolver; with a planned zone, a snapshot
	// of the domain's report, encoded once per report.
	links := make([]string, len(lines))
	var (
		mu      sync.Mutex
		snaps   = map[*engine.Report]string{}
		snapErr error
	)
	report := func(i int, rep *engine.Report) {
		if o.Reproducible() {
			lo := o
			lo.URI, lo.SignIn = lines[i].Text, true // the analyzer's default
			links[i] = "../" + lo.Query()
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if s, ok := snaps[rep]; ok {
			links[i] = s
			return
		}
		s, err := snapshot.Encode(ctx, check.Snapshot{TakenAt: now.UTC(), DoH: o.Resolver.String(), Report: rep})
		if err != nil {
			snapErr = err
			return
		}
		snaps[rep] = "../" + s
		links[i] = snaps[rep]
	}
	var last time.Time
	progress := func(done int) {
		if onProgress.IsUndefined() {
			return
		}
		if t := time.Now(); t.Sub(last) >= 100*time.Millisecond || done == len(lines) {
			last = t
			func() {
				defer func() { recover() }() // a throwing callback must not break the audit
				onProgress.Invoke(done, len(lines))
			}()
		}
	}
	var rows []audit.Row
	sum, err := audit.Run(ctx, lines, cfg, audit.Options{Concurrency: auditConcurrency, Progress: progress, Report: report, Discover: discover},
		func(r audit.Row) error { rows = append(rows, r); return nil })
	if err != nil {
		return auditResult{}, err
	}
	if snapErr != nil {
		return auditResult{}, snapErr
	}
	summary := audit.Summarize(len(lines), sum)
	html, err := bridge.RenderComponent(templates.AuditResult(templates.NewAuditResultView(rows, links, summary, o.Resolver.String())))
	if err != nil {
		return auditResult{}, err
	}
	var csv strings.Builder
	if err := audit.WriteCSV(&csv, rows); err != nil {
		return auditResult{}, err
	}
	j, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return auditResult{}, err
	}
	return auditResult{HTML: html, CSV: csv.String(), JSON: string(j) + "\n", Summary: summary}, nil
}

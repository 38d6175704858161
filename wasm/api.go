//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall/js"
	"time"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/certcheck"
	"github.com/sipdisco/sipdisco/engine/check"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/templates"
)

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// checkResult is what check resolves to.
type checkResult struct {
	Report *engine.Report `json:"report"`
	HTML   string         `json:"html"`
	// Query is the live share link's query string, "?uri=…"; empty when
	// no link can reproduce the check (a planned zone, a pasted
	// certificate).
	Query string `json:"query"`
	// Snapshot is the snapshot link's fragment, "#s=…".
	Snapshot string `json:"snapshot"`
	// Form fills the page's form with the check's inputs; More says to
	// open its "More" section.
	Form []check.FormEntry `json:"form"`
	More bool              `json:"more"`
}

// checkTimeout bounds one check, DNS included.
const checkTimeout = 20 * time.Second

// checkFunc runs one check: check(input[, onStep]). input is a live link's
// query string ("?uri=…") or the form's controls as the page's script
// reads them ([{name, value, type, checked}], see check.ReadForm).
func checkFunc(ctx context.Context, args []js.Value) (any, error) {
	o, err := readInput(args)
	if err != nil {
		return nil, err
	}
	var onStep js.Value
	if len(args) > 1 && args[1].Type() == js.TypeFunction {
		onStep = args[1]
	}
	u, err := engine.ParseURI(o.URI)
	if err != nil {
		return nil, err
	}
	res, err := resolver(o, u.Domain)
	if err != nil {
		return nil, err
	}
	if !onStep.IsUndefined() {
		res = progress(res, onStep)
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	r, err := check.Run(ctx, o, check.Env{Resolver: res, Rand: rand.IntN, Now: time.Now, Certificates: certcheck.PEM{},
		Tool: engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}})
	if err != nil {
		return nil, formError(err)
	}
	snap, err := r.Snapshot()
	if err != nil {
		return nil, err
	}
	query := r.Query()
	html, err := renderReport(r.Report, templates.ReportOptions{ShareLink: query, SnapshotLink: snap, Resolver: o.Resolver})
	if err != nil {
		return nil, err
	}
	form, more := check.FormValues(r.Options)
	return checkResult{Report: r.Report, HTML: html, Query: query, Snapshot: snap, Form: form, More: more}, nil
}

// readInput reads check's first argument: a link's query string, or the
// form's controls.
func readInput(args []js.Value) (check.Options, error) {
	if len(args) == 0 {
		return check.Options{}, errors.New("missing argument 1: a link's query string or the form's controls")
	}
	if a := args[0]; a.Type() == js.TypeString && !strings.HasPrefix(a.String(), "[") {
		o, ok, err := check.ParseQuery(a.String())
		if err != nil {
			return check.Options{}, err
		}
		if !ok {
			return check.Options{}, errors.New("the link names no sign-in address (uri=)")
		}
		return o, nil
	}
	s, err := stringArg(args, 0, "form controls")
	if err != nil {
		return check.Options{}, err
	}
	var state []check.FormValue
	if err := decodeJSON(s, "form controls", &state); err != nil {
		return check.Options{}, err
	}
	o, err := check.ReadForm(state)
	if err != nil {
		return check.Options{}, formError(err)
	}
	return o, nil
}

// formError restates an input error in the form's words: a sign-in input
// names its box; other errors pass through.
func formError(err error) error {
	var ie *check.InputError
	if errors.As(err, &ie) {
		return errors.New(ie.FormMessage())
	}
	return err
}

// resolver returns the resolver o names; a planned zone without $ORIGIN
// takes the sign-in domain domain.
func resolver(o check.Options, domain string) (engine.Resolver, error) {
	switch o.Resolver {
	case check.ResolverZone:
		if len(o.Zones) == 0 {
			return nil, errors.New("the planned zone is empty: paste a zone in BIND syntax or choose a resolver")
		}
		return zoneResolver(o.Zones, domain)
	case check.ResolverLocal, check.ResolverUpstream, "":
		origin := js.Global().Get("location").Get("origin")
		if origin.Type() != js.TypeString || !strings.HasPrefix(origin.String(), "http") {
			return nil, errors.New("this page has no server of its own to ask; choose a public resolver")
		}
		return dohclient.New(origin.String()+"/dns-query", fetchRoundTrip)
	case check.ResolverDemo:
		return nil, errors.New("the demo zones answer from this site's own server: choose \"This server\"")
	}
	return dohclient.New(o.Resolver, fetchRoundTrip)
}

// stepEvent is what onStep receives.
type stepEvent struct {
	Question string `json:"question"`
	Type     string `json:"type"`
	// State is "asked" or "answered".
	State string `json:"state"`
	RCode string `json:"rcode,omitempty"`
	Error string `json:"error,omitempty"`
	MS    int64  `json:"ms"`
}

// progress wraps r so that fn hears of every question and answer.
func progress(r engine.Resolver, fn js.Value) engine.Resolver {
	emit := func(e stepEvent) {
		v, err := toJS(e)
		if err == nil {
			// A throwing callback must not break the check.
			func() {
				defer func() { recover() }()
				fn.Invoke(v)
			}()
		}
	}
	return engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		emit(stepEvent{Question: q.Name, Type: q.Type.String(), State: "asked"})
		start := time.Now()
		a, err := r.Resolve(ctx, q)
		e := stepEvent{Question: q.Name, Type: q.Type.String(), State: "answered", MS: time.Since(start).Milliseconds()}
		if err != nil {
			e.Error = err.Error()
		} else {
			e.RCode = a.RCode.String()
		}
		emit(e)
		return a, err
	})
}

func renderReport(r *engine.Report, o templates.ReportOptions) (string, error) {
	return renderComponent(templates.Report(templates.NewReportView(r, o)))
}

func renderComponent(c templ.Component) (string, error) {
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		return "", fmt.Errorf("rendering the report: %v", err)
	}
	return b.String(), nil
}

// readReport decodes argument 0, a report's JSON: one report, or what
// sipdisco check --json prints for one address (an array of one). A
// probe it carries (check --connect) is checked before anything renders
// it (engine.Probe.Validate).
func readReport(args []js.Value) (*engine.Report, error) {
	s, err := stringArg(args, 0, "report JSON")
	if err != nil {
		return nil, err
	}
	var r engine.Report
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "[") {
		var rs []engine.Report
		if err := decodeJSON(t, "report", &rs); err != nil {
			return nil, err
		}
		if len(rs) != 1 {
			return nil, fmt.Errorf("bad report: the JSON holds %d reports; give one (sipdisco check --json for one address)", len(rs))
		}
		r = rs[0]
	} else if err := decodeJSON(s, "report", &r); err != nil {
		return nil, err
	}
	if r.Outcome == "" || r.URI == "" {
		return nil, errors.New("bad report: it has no uri or outcome")
	}
	if r.Probe != nil {
		if err := r.Probe.Validate(); err != nil {
			return nil, fmt.Errorf("bad report: probe: %v", err)
		}
	}
	return &r, nil
}

// render turns a report's JSON into the report fragment.
func render(ctx context.Context, args []js.Value) (any, error) {
	r, err := readReport(args)
	if err != nil {
		return nil, err
	}
	return renderReport(r, templates.ReportOptions{})
}

// markdown turns a report's JSON into Markdown, for the export button.
func markdown(ctx context.Context, args []js.Value) (any, error) {
	r, err := readReport(args)
	if err != nil {
		return nil, err
	}
	var md strings.Builder
	if err := templates.WriteMarkdown(&md, r); err != nil {
		return nil, err
	}
	return md.String(), nil
}

// shareResult is what decodeShare resolves to.
type shareResult struct {
	Report  *engine.Report    `json:"report"`
	HTML    string            `json:"html"`
	TakenAt time.Time         `json:"takenAt"`
	DoH     string            `json:"doh,omitempty"`
	Form    []check.FormEntry `json:"form"`
	More    bool              `json:"more"`
}

// decodeShare renders a snapshot link's fragment.
func decodeShare(ctx context.Context, args []js.Value) (any, error) {
	frag, err := stringArg(args, 0, "link fragment")
	if err != nil {
		return nil, err
	}
	s, err := check.DecodeSnapshot(frag)
	if err != nil {
		return nil, err
	}
	taken := "at " + s.TakenAt.UTC().Format("2006-01-02 15:04 UTC")
	if s.TakenAt.IsZero() {
		taken = "at an unknown time"
	}
	html, err := renderReport(s.Report, templates.ReportOptions{TakenAt: taken, SnapshotLink: "#" + strings.TrimPrefix(frag, "#"), Resolver: s.DoH})
	if err != nil {
		return nil, err
	}
	form, more := check.FormValues(check.ReportOptions(s.Report, s.DoH))
	return shareResult{Report: s.Report, HTML: html, TakenAt: s.TakenAt, DoH: s.DoH, Form: form, More: more}, nil
}

// queryResult is what parseQuery resolves to.
type queryResult struct {
	// Found is false for a query string without a check in it.
	Found bool `json:"found"`
	// Resolver is the resolver the link names, which the page asks about
	// before using it when it does not offer it.
	Resolver string            `json:"resolver"`
	URI      string            `json:"uri"`
	Form     []check.FormEntry `json:"form"`
	More     bool              `json:"more"`
}

// parseQuery reads a live link's query string (location.search), to fill
// the form with before the check runs (or before the page asks about an
// unlisted resolver).
func parseQuery(ctx context.Context, args []js.Value) (any, error) {
	q, err := stringArg(args, 0, "query string")
	if err != nil {
		return nil, err
	}
	o, ok, err := check.ParseQuery(q)
	if err != nil || !ok {
		return queryResult{}, err
	}
	form, more := check.FormValues(o)
	return queryResult{Found: true, Resolver: o.Resolver, URI: o.URI, Form: form, More: more}, nil
}

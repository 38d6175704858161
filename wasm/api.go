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

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/check"
	"github.com/sipdisco/sipdisco/templates"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// needsTools is the error of a check this module hands to the second:
// a planned zone or a pasted certificate. The page's script sees needs
// "tools" on the rejection, loads tools.wasm and calls its check with the
// same input.
type needsTools struct{ why string }

func (e needsTools) Error() string { return "this check needs the planner module: " + e.why }

func (needsTools) Needs() string { return "tools" }

// checkFunc runs one check: check(input[, onStep]). input is a live link's
// query string ("?uri=…") or the form's controls as the page's script
// reads them ([{name, value, type, checked}], see check.ReadForm).
func checkFunc(ctx context.Context, args []js.Value) (any, error) {
	o, err := bridge.ReadInput(args)
	if err != nil {
		return nil, err
	}
	switch {
	case o.Resolver == check.ResolverZone:
		return nil, needsTools{"it answers from a planned zone"}
	case strings.TrimSpace(o.CertificatePEM) != "":
		return nil, needsTools{"it checks a pasted certificate"}
	case internationalized(o):
		return nil, needsTools{"it names an internationalized domain"}
	}
	if _, err := engine.ParseURI(o.URI); err != nil {
		return nil, err
	}
	res, err := bridge.DoH(o)
	if err != nil {
		return nil, err
	}
	res = bridge.Progress(res, bridge.OnStep(args, 1))
	ctx, cancel := context.WithTimeout(ctx, bridge.CheckTimeout)
	defer cancel()
	r, err := check.Run(ctx, o, check.Env{Resolver: res, Rand: rand.IntN, Now: time.Now, Tool: bridge.Tool()})
	if err != nil {
		return nil, bridge.FormError(err)
	}
	return bridge.Finish(ctx, r)
}

// internationalized reports whether an input that names a domain has a
// character outside ASCII: converting it to A-labels takes IDNA tables
// this module leaves to the second (engine.SetIDNA).
func internationalized(o check.Options) bool {
	names := append([]string{o.URI, o.ManualInternal, o.ManualExternal, o.HomePool}, o.Trusted...)
	names = append(append(names, o.CertificateNames...), o.HomePoolCertificateNames...)
	for _, n := range names {
		for i := 0; i < len(n); i++ {
			if n[i] >= 0x80 {
				return true
			}
		}
	}
	return false
}

// readReport decodes argument 0, a report's JSON: one report as the page
// hands it back, or what sipdisco check --json prints for one address (an
// array of one). It is checked as a snapshot's report is checked
// (check.ValidateReport, a probe it carries included).
func readReport(args []js.Value) (*engine.Report, error) {
	s, err := bridge.StringArg(args, 0, "report JSON")
	if err != nil {
		return nil, err
	}
	if len(s) > check.MaxSnapshotJSON {
		return nil, fmt.Errorf("bad report: larger than %d bytes", check.MaxSnapshotJSON)
	}
	var r engine.Report
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "[") {
		var rs []engine.Report
		if err := bridge.DecodeJSON(t, "report", &rs); err != nil {
			return nil, err
		}
		if len(rs) != 1 {
			return nil, fmt.Errorf("bad report: the JSON holds %d reports; give one (sipdisco check --json for one address)", len(rs))
		}
		r = rs[0]
	} else if err := bridge.DecodeJSON(s, "report", &r); err != nil {
		return nil, err
	}
	if err := check.ValidateReport(&r); err != nil {
		return nil, fmt.Errorf("bad report: %v", err)
	}
	return &r, nil
}

// render turns a report's JSON (readReport) into the report's HTML.
func render(ctx context.Context, args []js.Value) (any, error) {
	r, err := readReport(args)
	if err != nil {
		return nil, err
	}
	return bridge.RenderReport(r, templates.ReportOptions{})
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
	// Found is false for a fragment that is not a snapshot (an anchor).
	Found   bool              `json:"found"`
	Report  *engine.Report    `json:"report,omitempty"`
	HTML    string            `json:"html,omitempty"` // crosses as a string (JSValue)
	TakenAt time.Time         `json:"takenAt"`
	DoH     string            `json:"doh,omitempty"`
	Form    []check.FormEntry `json:"form,omitempty"`
	More    bool              `json:"more,omitempty"`
}

// JSValue returns r with its HTML as a string of its own.
func (r shareResult) JSValue() (js.Value, error) { return bridge.WithHTML(r, &r.HTML) }

// decodeShare renders a snapshot link's fragment (location.hash). A
// fragment that is no snapshot resolves to {found: false}; one that is
// meant as a snapshot and cannot be used rejects with the reason. The
// snapshot is checked as a whole (bridge.DecodeSnapshot) before it is
// rendered, and its rendering is bounded (check.MaxSnapshotHTML).
func decodeShare(ctx context.Context, args []js.Value) (any, error) {
	frag, err := bridge.StringArg(args, 0, "link fragment")
	if err != nil {
		return nil, err
	}
	if !check.IsSnapshotFragment(frag) {
		return shareResult{}, nil
	}
	s, err := bridge.DecodeSnapshot(ctx, frag)
	if err != nil {
		return nil, err
	}
	taken := "at " + s.TakenAt.UTC().Format("2006-01-02 15:04 UTC")
	if s.TakenAt.IsZero() {
		taken = "at an unknown time"
	}
	html, err := bridge.RenderReport(s.Report, templates.ReportOptions{TakenAt: taken, Unchecked: s.V < check.SnapshotVersion,
		SnapshotLink: "#" + strings.TrimPrefix(frag, "#"), Resolver: s.DoH})
	if err != nil {
		return nil, err
	}
	if len(html) > check.MaxSnapshotHTML {
		return nil, errors.New("the snapshot link's report is too large to show")
	}
	form, more := check.FormValues(check.ReportOptions(s.Report, s.DoH))
	return shareResult{Found: true, Report: s.Report, HTML: html, TakenAt: s.TakenAt, DoH: s.DoH, Form: form, More: more}, nil
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
	q, err := bridge.StringArg(args, 0, "query string")
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

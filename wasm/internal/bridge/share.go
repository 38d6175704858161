//go:build js && wasm

package bridge

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall/js"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/templates"
)

// readReport decodes argument 0, a report's JSON: one report as the page
// hands it back, or what sipdisco check --json prints for one address (an
// array of one). It is checked as a snapshot's report is checked
// (check.ValidateReport, a probe it carries included), and refuse, when
// not nil, may refuse it.
func readReport(args []js.Value, refuse func(*engine.Report) error) (*engine.Report, error) {
	s, err := StringArg(args, 0, "report JSON")
	if err != nil {
		return nil, err
	}
	if len(s) > check.MaxSnapshotJSON {
		return nil, fmt.Errorf("bad report: larger than %d bytes", check.MaxSnapshotJSON)
	}
	var r engine.Report
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "[") {
		var rs []engine.Report
		if err := DecodeJSON(t, "report", &rs); err != nil {
			return nil, err
		}
		if len(rs) != 1 {
			return nil, fmt.Errorf("bad report: the JSON holds %d reports; give one (sipdisco check --json for one address)", len(rs))
		}
		r = rs[0]
	} else if err := DecodeJSON(s, "report", &r); err != nil {
		return nil, err
	}
	if err := check.ValidateReport(&r); err != nil {
		return nil, fmt.Errorf("bad report: %v", err)
	}
	if refuse != nil {
		if err := refuse(&r); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

// Render turns a report's JSON (readReport) into the report's HTML;
// refuse, when not nil, may refuse the report first.
func Render(ctx context.Context, args []js.Value, refuse func(*engine.Report) error) (any, error) {
	r, err := readReport(args, refuse)
	if err != nil {
		return nil, err
	}
	return RenderReport(r, templates.ReportOptions{})
}

// Markdown turns a report's JSON into Markdown, for the export button;
// refuse as for Render.
func Markdown(ctx context.Context, args []js.Value, refuse func(*engine.Report) error) (any, error) {
	r, err := readReport(args, refuse)
	if err != nil {
		return nil, err
	}
	var md strings.Builder
	if err := templates.WriteMarkdown(&md, r); err != nil {
		return nil, err
	}
	return md.String(), nil
}

// ShareResult is what DecodeShare resolves to.
type ShareResult struct {
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
func (r ShareResult) JSValue() (js.Value, error) { return WithHTML(r, &r.HTML) }

// DecodeShare renders a snapshot link's fragment (location.hash); refuse
// as for Render, after the snapshot is checked. The report shows the
// first rows of each long list (templates.ReportOptions.Bounded) unless
// argument 1 is true. A
// fragment that is no snapshot resolves to {found: false}; one that is
// meant as a snapshot and cannot be used rejects with the reason. The
// snapshot is checked as a whole (snapshot.Decode) before it is
// rendered, and its rendering is bounded (check.MaxSnapshotHTML).
func DecodeShare(ctx context.Context, args []js.Value, refuse func(*engine.Report) error) (any, error) {
	frag, err := StringArg(args, 0, "link fragment")
	if err != nil {
		return nil, err
	}
	if !check.IsSnapshotFragment(frag) {
		return ShareResult{}, nil
	}
	s, err := snapshot.Decode(ctx, frag)
	if err != nil {
		return nil, err
	}
	if refuse != nil {
		if err := refuse(s.Report); err != nil {
			return nil, err
		}
	}
	taken := "at " + s.TakenAt.UTC().Format("2006-01-02 15:04 UTC")
	if s.TakenAt.IsZero() {
		taken = "at an unknown time"
	}
	// A snapshot shows the first rows of each long list unless asked
	// for all (argument 1, true: the report's "Show all").
	all := len(args) > 1 && args[1].Type() == js.TypeBoolean && args[1].Bool()
	html, err := RenderReport(s.Report, templates.ReportOptions{TakenAt: taken, Unchecked: s.V < check.SnapshotVersion,
		SnapshotLink: "#" + strings.TrimPrefix(frag, "#"), Resolver: s.DoH, Bounded: !all})
	if err != nil {
		return nil, err
	}
	if len(html) > check.MaxSnapshotHTML {
		return nil, errors.New("the snapshot link's report is too large to show")
	}
	form, more := check.FormValues(check.ReportOptions(s.Report, s.DoH))
	return ShareResult{Found: true, Report: s.Report, HTML: html, TakenAt: s.TakenAt, DoH: s.DoH, Form: form, More: more}, nil
}

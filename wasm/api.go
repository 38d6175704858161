//go:build js && wasm

package main

import (
	"context"
	"strings"
	"syscall/js"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
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
	case o.Resolver.Kind == check.SourceZone:
		return nil, needsTools{"it answers from a planned zone"}
	case strings.TrimSpace(o.CertificatePEM) != "":
		return nil, needsTools{"it checks a pasted certificate"}
	case internationalized(o):
		return nil, needsTools{"it names an internationalized domain"}
	}
	if _, err := engine.ParseURI(o.URI); err != nil {
		return nil, &bridge.LinkedError{Err: err, Query: o.Query()}
	}
	res, err := bridge.DoH(o)
	if err != nil {
		return nil, &bridge.LinkedError{Err: err, Query: o.Query()}
	}
	res = bridge.Progress(res, bridge.OnStep(args, 1))
	ctx, cancel := context.WithTimeout(ctx, bridge.CheckTimeout)
	defer cancel()
	// No Rand: the engine's reproducible order of weighted SRV records
	// (engine.Config.Rand), as on the command line, so that a link and
	// the CLI's --link pick the same target
	// (docs/adr/0023-links-reproduce-the-check.md).
	r, err := check.Run(ctx, o, check.Env{Resolver: res, Now: time.Now, Tool: bridge.Tool()})
	if err != nil {
		return nil, &bridge.LinkedError{Err: bridge.FormError(err), Query: o.Query()}
	}
	bridge.Mark("checked")
	out, err := bridge.Finish(ctx, r)
	bridge.Mark("rendered")
	return out, err
}

// internationalized reports whether an input that names a domain has a
// character outside ASCII: converting it to A-labels takes IDNA tables
// this module leaves to the second (it is built with the tag
// firstmodule, engine/idna_first.go).
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

// withoutProbe refuses a report that carries what the real servers
// answered (sipdisco check --connect): this module does not render an
// observation (templates.ProbeRendered is false in this build, the tag
// firstmodule), the second does.
func withoutProbe(r *engine.Report) error {
	if r.Probe != nil {
		return needsTools{"it shows what the real servers answered"}
	}
	return nil
}

func render(ctx context.Context, args []js.Value) (any, error) {
	return bridge.Render(ctx, args, withoutProbe)
}

func markdown(ctx context.Context, args []js.Value) (any, error) {
	return bridge.Markdown(ctx, args, withoutProbe)
}

func decodeShare(ctx context.Context, args []js.Value) (any, error) {
	return bridge.DecodeShare(ctx, args, withoutProbe)
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
	return queryResult{Found: true, Resolver: o.Resolver.String(), URI: o.URI, Form: form, More: more}, nil
}

//go:build js && wasm

package main

import (
	"context"
	"crypto/x509"
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
	"github.com/sipdisco/sipdisco/engine/register"
	"github.com/sipdisco/sipdisco/templates"
	"github.com/sipdisco/sipdisco/web/share"
)

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// checkResult is what check resolves to.
type checkResult struct {
	Report *engine.Report `json:"report"`
	HTML   string         `json:"html"`
	// Query is the live share link's query string, "?uri=…".
	Query string `json:"query"`
	// Snapshot is the snapshot link's fragment, "#s=…".
	Snapshot string `json:"snapshot"`
	Markdown string `json:"markdown"`
}

// checkTimeout bounds one check, DNS included.
const checkTimeout = 20 * time.Second

func check(ctx context.Context, args []js.Value) (any, error) {
	s, err := stringArg(args, 0, "options")
	if err != nil {
		return nil, err
	}
	o := share.DefaultOptions()
	if err := decodeJSON(s, "options", &o); err != nil {
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
	// The browser's clock, read once: the certificate's expiry is judged
	// at this moment by the pure code below.
	now := time.Now()
	chain, err := o.Certificate()
	if err != nil {
		return nil, err
	}
	si, err := signIn(o, u, chain, now)
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
	rep, err := engine.Discover(ctx, u, engine.Config{
		Profile:  o.Profile,
		Policy:   o.Policy(),
		Resolver: res,
		Rand:     rand.IntN,
		Now:      time.Now,
	})
	if err != nil {
		return nil, err
	}
	if err := register.Attach(rep, si, nil); err != nil {
		return nil, signInError(err)
	}
	if err := certcheck.AddFindings(rep, chain, now); err != nil {
		return nil, err
	}
	query := o.Query()
	if o.DoH == share.Zone || len(chain) > 0 {
		// Neither the zone text nor the certificate is part of a link,
		// so a live link could not reproduce this check; only the
		// snapshot can.
		query = ""
	}
	snap, err := share.EncodeSnapshot(share.Snapshot{TakenAt: now.UTC(), DoH: o.DoH, Report: rep})
	if err != nil {
		return nil, err
	}
	html, err := renderReport(rep, templates.ReportOptions{ShareLink: query, SnapshotLink: snap, Resolver: o.DoH})
	if err != nil {
		return nil, err
	}
	var md strings.Builder
	if err := engine.WriteMarkdown(&md, rep); err != nil {
		return nil, err
	}
	return checkResult{Report: rep, HTML: html, Query: query, Snapshot: snap, Markdown: md.String()}, nil
}

// signIn returns the simulated sign-in o describes, built as the command
// line builds it (register.Settings.Input). Without an account it signs in
// with the address as user principal name (user@domain), the account a
// matching directory entry would have. A pasted certificate chain gives
// the server certificate's names and expiry, judged at now.
func signIn(o share.Options, u engine.URI, chain []*x509.Certificate, now time.Time) (register.Input, error) {
	set, err := o.SignIn()
	if err != nil {
		return register.Input{}, err
	}
	certcheck.SignIn(&set, chain, now)
	return set.Input(u), nil
}

// signInFields name the form's sign-in fields by the register.Input field
// an InputError names (its JSON name, up to the first "." or "[").
var signInFields = map[string]string{
	"account":          "Account",
	"desktopAccount":   "Windows account logged on",
	"credentials":      "Credentials",
	"directory":        "Account that owns the address",
	"homePool":         "Home pool",
	"certificateNames": "Certificate names",
}

// signInError restates an unusable sign-in input in the form's words, so
// that the message names the box to correct; other errors pass through.
func signInError(err error) error {
	var ie *register.InputError
	if !errors.As(err, &ie) {
		return err
	}
	name := ie.Field
	if i := strings.IndexAny(name, ".["); i >= 0 {
		name = name[:i]
	}
	label, ok := signInFields[name]
	if !ok {
		return fmt.Errorf("sign-in: %v", err)
	}
	if ie.Value == "" {
		return fmt.Errorf("sign-in, %s: %s", label, ie.Reason)
	}
	return fmt.Errorf("sign-in, %s %q: %s", label, ie.Value, ie.Reason)
}

// resolver returns the resolver o asks for.
func resolver(o share.Options, domain string) (engine.Resolver, error) {
	switch o.DoH {
	case share.Zone:
		return zoneResolver(o.Zone, domain)
	case share.Local, "":
		origin := js.Global().Get("location").Get("origin")
		if origin.Type() != js.TypeString || !strings.HasPrefix(origin.String(), "http") {
			return nil, errors.New("this page has no server of its own to ask; choose a public resolver")
		}
		return dohclient.New(origin.String()+"/dns-query", fetchRoundTrip)
	}
	return dohclient.New(o.DoH, fetchRoundTrip)
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

// render turns a report's JSON into the report fragment.
func render(ctx context.Context, args []js.Value) (any, error) {
	s, err := stringArg(args, 0, "report JSON")
	if err != nil {
		return nil, err
	}
	var r engine.Report
	if err := decodeJSON(s, "report", &r); err != nil {
		return nil, err
	}
	if r.Outcome == "" || r.URI == "" {
		return nil, errors.New("bad report: it has no uri or outcome")
	}
	return renderReport(&r, templates.ReportOptions{})
}

// shareResult is what decodeShare resolves to.
type shareResult struct {
	Report   *engine.Report `json:"report"`
	HTML     string         `json:"html"`
	TakenAt  time.Time      `json:"takenAt"`
	DoH      string         `json:"doh,omitempty"`
	Markdown string         `json:"markdown"`
}

// decodeShare renders a snapshot link's fragment.
func decodeShare(ctx context.Context, args []js.Value) (any, error) {
	frag, err := stringArg(args, 0, "link fragment")
	if err != nil {
		return nil, err
	}
	s, err := share.DecodeSnapshot(frag)
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
	var md strings.Builder
	if err := engine.WriteMarkdown(&md, s.Report); err != nil {
		return nil, err
	}
	return shareResult{Report: s.Report, HTML: html, TakenAt: s.TakenAt, DoH: s.DoH, Markdown: md.String()}, nil
}

// queryResult is what parseQuery resolves to.
type queryResult struct {
	// Found is false for a query string without a check in it.
	Found   bool          `json:"found"`
	Options share.Options `json:"options"`
}

// parseQuery reads a live link's query string (location.search).
func parseQuery(ctx context.Context, args []js.Value) (any, error) {
	q, err := stringArg(args, 0, "query string")
	if err != nil {
		return nil, err
	}
	o, ok, err := share.ParseQuery(q)
	if err != nil {
		return nil, err
	}
	return queryResult{Found: ok, Options: o}, nil
}

//go:build js && wasm

package bridge

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/internal/textenc"
	"github.com/sipdisco/sipdisco/templates"
)

// CheckTimeout bounds one check, DNS included.
const CheckTimeout = 20 * time.Second

// Tool names this program in a report's tool field, as the command line
// names itself.
func Tool() engine.Tool {
	return engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}
}

// CheckResult is what a module's check resolves to.
type CheckResult struct {
	Report *engine.Report `json:"report"`
	// HTML is the rendered report; it crosses as a string of its own
	// (JSValue).
	HTML string `json:"html,omitempty"`
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

// JSValue returns r as JavaScript: its JSON, and the HTML beside it as a
// string.
func (r CheckResult) JSValue() (js.Value, error) { return WithHTML(r, &r.HTML) }

// WithHTML returns v through JSON (ToJS) without the string *html, then
// sets the value's html property to it: see JSValuer.
func WithHTML(v any, html *string) (js.Value, error) {
	h := *html
	*html = ""
	out, err := ToJS(v)
	*html = h
	if err != nil {
		return out, err
	}
	out.Set("html", h)
	return out, nil
}

// ReadInput reads a check's first argument: a live link's query string
// ("?uri=…"), or the form's controls as the page's script reads them
// ([{name, value, type, checked}], see check.ReadForm).
func ReadInput(args []js.Value) (check.Options, error) {
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
	s, err := StringArg(args, 0, "form controls")
	if err != nil {
		return check.Options{}, err
	}
	var state []check.FormValue
	if err := DecodeJSON(s, "form controls", &state); err != nil {
		return check.Options{}, err
	}
	o, err := check.ReadForm(state)
	if err != nil {
		return check.Options{}, FormError(err)
	}
	return o, nil
}

// OnStep returns argument i when it is a function, for Progress.
func OnStep(args []js.Value, i int) js.Value {
	if len(args) > i && args[i].Type() == js.TypeFunction {
		return args[i]
	}
	return js.Undefined()
}

// FormError restates an input error in the form's words: a sign-in input
// names its box; other errors pass through.
func FormError(err error) error {
	var ie *check.InputError
	if errors.As(err, &ie) {
		return errors.New(ie.FormMessage())
	}
	return err
}

// DoH returns the DNS-over-HTTPS resolver o names: this site's own
// /dns-query (check.SourceLocal, or check.SourceUpstream where sipdisco
// serve --upstream answers it from its machine's DNS) or a URL, through
// the browser's fetch. For check.SourceUpstream every question carries a
// check ID drawn for this resolver (/dns-query?check=ID): serve's filter
// answers the address of an SRV target only to the check whose SRV
// answer named it (resolve/upstream). Call DoH once per check.
// The planned zone and the demo zones are not DoH, and a browser cannot
// send plain DNS: the error says what to choose instead.
func DoH(o check.Options) (engine.Resolver, error) {
	switch o.Resolver.Kind {
	case check.SourceLocal, check.SourceUpstream, check.SourceDefault:
		origin := js.Global().Get("location").Get("origin")
		if origin.Type() != js.TypeString || !strings.HasPrefix(origin.String(), "http") {
			return nil, errors.New("this page has no server of its own to ask; choose a public resolver")
		}
		endpoint := origin.String() + "/dns-query"
		if o.Resolver.Kind == check.SourceUpstream {
			endpoint += "?check=" + strconv.FormatUint(rand.Uint64(), 36)
		}
		return dohclient.New(endpoint, FetchRoundTrip)
	case check.SourceDemo:
		return nil, errors.New("the demo zones answer from this site's own server: choose \"This server\"")
	case check.SourceZone:
		return nil, errors.New("the planned zone is read by the planner module, not by DNS-over-HTTPS")
	case check.SourceDNS, check.SourceSystem:
		return nil, errors.New("a browser cannot send plain DNS: choose this machine's DNS through sipdisco serve --upstream")
	}
	return dohclient.New(o.Resolver.URL, FetchRoundTrip)
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

// Progress wraps r so that fn, when it is a function, hears of every
// question and answer.
func Progress(r engine.Resolver, fn js.Value) engine.Resolver {
	if fn.Type() != js.TypeFunction {
		return r
	}
	emit := func(e stepEvent) {
		v, err := ToJS(e)
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

// Finish renders a finished check: the report's HTML with its live and
// snapshot links, and the values that fill the form. A report too large
// for a snapshot link is shown without one.
func Finish(ctx context.Context, r *check.Result) (CheckResult, error) {
	snap, err := snapshot.Encode(ctx, check.Snapshot{TakenAt: r.At.UTC(), DoH: r.Options.Resolver.String(), Report: r.Report})
	if err != nil {
		snap = ""
	}
	query := r.Query()
	html, err := RenderReport(r.Report, templates.ReportOptions{ShareLink: query, SnapshotLink: snap, Resolver: r.Options.Resolver.String()})
	if err != nil {
		return CheckResult{}, err
	}
	form, more := check.FormValues(r.Options)
	return CheckResult{Report: r.Report, HTML: html, Query: query, Snapshot: snap, Form: form, More: more}, nil
}

// RenderReport renders the report fragment.
func RenderReport(r *engine.Report, o templates.ReportOptions) (string, error) {
	return RenderComponent(templates.Report(templates.NewReportView(r, o)))
}

// RenderComponent renders c to a string: every HTML fragment the pages
// show from a check passes here. The markup escapes what DNS, servers and
// links put in it, but a browser still obeys a bidirectional formatting
// character in escaped text (a right-to-left override makes "exe.txt"
// read "txt.exe"; Unicode Standard Annex #9), so each is written as
// \uNNNN (textenc.EscapeBidi): visible, and inert in text and attributes
// alike. The templates themselves hold none.
func RenderComponent(c templ.Component) (string, error) {
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		return "", fmt.Errorf("rendering the report: %v", err)
	}
	return textenc.EscapeBidi(b.String()), nil
}

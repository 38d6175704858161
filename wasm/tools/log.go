//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"syscall/js"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/jsasync"
	"github.com/sipdisco/sipdisco/logread"
	"github.com/sipdisco/sipdisco/templates/logview"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// The log page's function, readLog(blob, form[, onProgress]): blob is the
// dropped, chosen or pasted log (a Blob or File), read here as a stream
// in the page's worker, never sent anywhere; form is the JSON of logForm;
// onProgress is called with the bytes read so far.

// logForm is the log page's form.
type logForm struct {
	// DoH is the resolver of the prediction; "" asks for none.
	DoH string `json:"doh"`
}

// logResult is what readLog resolves to.
type logResult struct {
	HTML string `json:"html"`
	// JSON is what sipdisco log --json prints, without tool and file.
	JSON string `json:"json"`
}

func (r logResult) JSValue() (js.Value, error) { return bridge.WithHTML(r, &r.HTML) }

// blobReader reads a Blob's stream (the Streams standard) as an
// io.Reader, one chunk at a time.
type blobReader struct {
	ctx    context.Context
	ac     js.Value
	reader js.Value
	buf    []byte
	done   bool
}

func (b *blobReader) Read(p []byte) (int, error) {
	for len(b.buf) == 0 {
		if b.done {
			return 0, io.EOF
		}
		r, err := jsasync.Await(b.ctx, b.ac, b.reader.Call("read"))
		if err != nil {
			return 0, err
		}
		if r.Get("done").Truthy() {
			b.done = true
			continue
		}
		chunk := r.Get("value")
		n := chunk.Get("length").Int()
		if cap(b.buf) < n {
			b.buf = make([]byte, n)
		}
		b.buf = b.buf[:n]
		js.CopyBytesToGo(b.buf, chunk)
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

func readLog(ctx context.Context, args []js.Value) (any, error) {
	if len(args) < 2 || args[0].Type() != js.TypeObject || args[0].Get("stream").Type() != js.TypeFunction {
		return nil, errors.New("readLog takes a Blob or a File and the form")
	}
	s, err := bridge.StringArg(args, 1, "log form")
	if err != nil {
		return nil, err
	}
	var form logForm
	if err := bridge.DecodeJSON(s, "log form", &form); err != nil {
		return nil, err
	}
	onProgress := js.Undefined()
	if len(args) > 2 && args[2].Type() == js.TypeFunction {
		onProgress = args[2]
	}
	ac := js.Global().Get("AbortController").New()
	in := &blobReader{ctx: ctx, ac: ac, reader: args[0].Call("stream").Call("getReader")}
	l, err := logread.Read(ctx, in, logread.DefaultLimits(), func(n int64) {
		if onProgress.Type() == js.TypeFunction {
			onProgress.Invoke(float64(n))
		}
	})
	if err != nil {
		var le *logread.Error
		if errors.As(err, &le) {
			return nil, errors.New(le.Msg)
		}
		return nil, err
	}
	var cmp *logread.Comparison
	var report *engine.Report
	predictionError := ""
	if doh := strings.TrimSpace(form.DoH); doh != "" && l.SignIn != nil && l.SignIn.Address != "" {
		report, err = predictLog(ctx, doh, l)
		if err != nil {
			predictionError = err.Error()
		} else {
			cmp = logread.Compare(l, report)
		}
	}
	// A link to the redacted ladder, when the log has one; a ladder too
	// large even for its last attempt simply gets no link.
	link, _ := logread.EncodeLink(l)
	html, err := bridge.RenderComponent(logview.Result(l, cmp, predictionError, link))
	if err != nil {
		return nil, err
	}
	var j strings.Builder
	enc := json.NewEncoder(&j)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		*logread.Log
		Comparison *logread.Comparison `json:"comparison,omitempty"`
		Prediction *engine.Report      `json:"prediction,omitempty"`
	}{l, cmp, report}); err != nil {
		return nil, err
	}
	return logResult{HTML: html, JSON: j.String()}, nil
}

// openLogLink(fragment) renders a log link (location.hash, "#l=…"): the
// redacted ladder it carries, with the notice that it is a copy and no
// log was uploaded. A fragment that is no log link resolves to
// {found: false}; one that is damaged or holds what sipdisco never
// writes rejects with the reason, and nothing of it is shown. The link
// is checked as a whole (logread.DecodeLink) before it is rendered.
func openLogLink(_ context.Context, args []js.Value) (any, error) {
	frag, err := bridge.StringArg(args, 0, "link fragment")
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(frag, logread.LinkPrefix) {
		return linkResult{}, nil
	}
	l, lad, err := logread.DecodeLink(frag)
	if err != nil {
		return nil, err
	}
	html, err := bridge.RenderComponent(logview.Shared(l, lad.Omitted))
	if err != nil {
		return nil, err
	}
	return linkResult{Found: true, HTML: html}, nil
}

// linkResult is what openLogLink resolves to.
type linkResult struct {
	Found bool   `json:"found"`
	HTML  string `json:"html,omitempty"`
}

func (r linkResult) JSValue() (js.Value, error) { return bridge.WithHTML(r, &r.HTML) }

// predictLog runs the check the analyzer runs for the log's sign-in
// address, through doh, with the profile the log's User-Agent names.
func predictLog(ctx context.Context, doh string, l *logread.Log) (*engine.Report, error) {
	u, err := engine.ParseURI(l.SignIn.Address)
	if err != nil {
		return nil, err
	}
	o := check.Defaults()
	o.URI = u.String()
	o.Resolver = check.ParseSource(doh)
	if p := logread.ProfileFor(l.Client); p != "" {
		o.Profile = p
	}
	res, err := bridge.DoH(o)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, bridge.CheckTimeout)
	defer cancel()
	r, err := check.Run(ctx, o, env(res))
	if err != nil {
		return nil, err
	}
	return r.Report, nil
}

//go:build js && wasm

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/templates"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// callValue invokes one API function the way JavaScript does and waits
// for its promise: the resolved value, or the rejection's Error.
func callValue(t *testing.T, h bridge.Handler, args ...any) (v, rejection js.Value) {
	t.Helper()
	f := bridge.Promise(h)
	defer f.Release()
	p := f.Invoke(args...)
	done := make(chan struct{})
	then := js.FuncOf(func(_ js.Value, a []js.Value) any { v = a[0]; close(done); return nil })
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any { rejection = a[0]; close(done); return nil })
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the promise did not settle")
	}
	return v, rejection
}

// call returns the resolved value as JSON, or the rejection message.
func call(t *testing.T, h bridge.Handler, args ...any) (string, error) {
	t.Helper()
	v, rej := callValue(t, h, args...)
	if !rej.IsUndefined() {
		return "", errorOf(rej)
	}
	if v.Type() == js.TypeString {
		return v.String(), nil
	}
	return js.Global().Get("JSON").Call("stringify", v).String(), nil
}

type jsErr string

func (e jsErr) Error() string { return string(e) }

func errorOf(v js.Value) error { return jsErr(v.Get("message").String()) }

// warmSnapshot returns the snapshot link of a check of warm.example.
func warmSnapshot(t *testing.T) string {
	t.Helper()
	c, err := dohclient.New("https://warm.example/dns-query", warmRoundTrip)
	if err != nil {
		t.Fatal(err)
	}
	o := check.PageDefaults()
	o.URI = "bob@warm.example"
	r, err := check.Run(context.Background(), o, check.Env{Resolver: c})
	if err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Encode(context.Background(), r.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// probeCLI is what sipdisco check --connect --json prints for one
// address, with markup in a server's answer.
const probeCLI = `[{"tool":{"name":"sipdisco","version":"1.2.0"},"checkedAt":"2026-11-25T14:00:00Z","uri":"sip:bob@contoso.com","domain":"contoso.com",
	"profile":"communicator-2007-r2","policy":{"strictNaming":false,"allowTCP":true,"manualInternal":"","manualExternal":""},"outcome":"fail","candidates":[],"steps":[],"findings":[],
	"probe":{"address":"sip:bob@contoso.com","client":"communicator-2007-r2","userAgent":"","started":"2026-11-25T14:00:00Z",
	"attempts":[{"host":"sip.contoso.com","port":5061,"transport":"TLS","source":"_sip._tls.contoso.com","reason":"discovered","connectMs":3,
	"response":{"startLine":"SIP/2.0 401 Unauthorized","status":401,"reason":"Unauthorized","headers":[{"name":"Server","value":"<script>alert(1)</script>"}],"contentLength":0,"server":"<script>alert(1)</script>"},
	"outcome":"answered","findings":[]}],"findings":[]}}]`

// TestProbeNeedsTools: this module renders no observation (it links none
// of its rendering): a report or snapshot with one, rendered or exported,
// is handed to the second module (needs "tools"), which renders it
// (wasm/tools TestRenderProbe).
func TestProbeNeedsTools(t *testing.T) {
	if templates.ProbeRendered {
		t.Fatal("the first module renders a probe: build and test it with -tags firstmodule, as web.BuildWASM and make test-wasm do")
	}
	var reports []engine.Report
	if err := json.Unmarshal([]byte(probeCLI), &reports); err != nil {
		t.Fatal(err)
	}
	snap, err := snapshot.Encode(context.Background(), check.Snapshot{Report: &reports[0]})
	if err != nil {
		t.Fatal(err)
	}
	one, _ := json.Marshal(reports[0])
	for name, c := range map[string]struct {
		h   bridge.Handler
		arg string
	}{"render": {render, probeCLI}, "markdown": {markdown, string(one)}, "decodeShare": {decodeShare, snap}} {
		_, rej := callValue(t, c.h, c.arg)
		if rej.IsUndefined() || rej.Get("needs").String() != "tools" {
			t.Errorf("%s of a report with a probe: %v; want a rejection that needs the tools module", name, rej)
		}
	}
	// Without a probe the same report renders here.
	reports[0].Probe = nil
	one, _ = json.Marshal(reports[0])
	if out, err := call(t, render, string(one)); err != nil || !strings.Contains(out, `data-testid="outcome"`) {
		t.Errorf("render without a probe: %v, %.200s", err, out)
	}
}

func TestRejections(t *testing.T) {
	tests := []struct {
		name string
		h    bridge.Handler
		args []any
		want string
	}{
		{"no input", checkFunc, nil, "missing argument 1"},
		{"form not JSON", checkFunc, []any{js.ValueOf(map[string]any{"x": 1})}, "bad form controls"},
		{"unknown control field", checkFunc, []any{`[{"name":"uri","value":"a@b.c","colour":"red"}]`}, `unknown field "colour"`},
		{"bad address", checkFunc, []any{`[{"name":"uri","value":"bob@@contoso.com"},{"name":"offers","value":"NTLM"}]`}, "offset"},
		{"number argument", checkFunc, []any{42}, "want a string"},
		{"link without an address", checkFunc, []any{"?profile=lync-2013"}, "names no sign-in address"},
		{"tampered snapshot", decodeShare, []any{"#s=AAAA"}, "snapshot link"},
		{"snapshot without equals sign", decodeShare, []any{"#s"}, "cut short"},
		{"snapshot with a capital S", decodeShare, []any{"#S=abc"}, "lower-case s"},
		{"bad link", parseQuery, []any{"?uri=a@b.c&strict=maybe"}, `"strict" is "maybe"`},
		{"bad report", render, []any{`{"uri":""}`}, "bad report"},
		{"bad report for markdown", markdown, []any{`{"uri":""}`}, "bad report"},
		{"bad offers in a link", parseQuery, []any{"?uri=a@b.c&offers=digest"}, `"offers" is "digest"`},
		// This module reads nothing of an observation: a report with one,
		// well formed or not, goes to the second module, which checks it
		// (wasm/tools TestRenderProbeRefusesBadProbe).
		{"bad probe", render, []any{`[{"uri":"sip:bob@contoso.com","domain":"contoso.com","profile":"communicator-2007-r2","outcome":"fail","probe":{"attempts":[{"transport":"TLS","outcome":"teleported"}]}}]`}, "needs the planner module"},
		{"two reports", render, []any{`[{"uri":"sip:a@contoso.com","outcome":"fail"},{"uri":"sip:b@contoso.com","outcome":"fail"}]`}, "holds 2 reports"},
		{"connect without target for markdown", markdown, []any{`{"uri":"sip:a@b.c","domain":"b.c","profile":"lync-2013","outcome":"connect"}`}, `"connect" without a target`},
		{"not a DoH URL", checkFunc, []any{"?uri=bob@contoso.com&doh=ftp://x"}, "bad endpoint"},
	}
	for _, tt := range tests {
		_, err := call(t, tt.h, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

// TestNeedsTools: a check with a planned zone or a pasted certificate is
// refused with needs "tools", for the page to hand it on.
func TestNeedsTools(t *testing.T) {
	for _, form := range []string{
		`[{"name":"uri","value":"bob@contoso.com"},{"name":"doh","value":"zone"},{"name":"zone","value":"x"},{"name":"offers","value":"NTLM"}]`,
		`[{"name":"uri","value":"bob@contoso.com"},{"name":"certpem","value":"-----BEGIN CERTIFICATE-----"},{"name":"offers","value":"NTLM"}]`,
		`[{"name":"uri","value":"bob@bücher.example"},{"name":"offers","value":"NTLM"}]`,
		`[{"name":"uri","value":"bob@contoso.com"},{"name":"trusted","value":"bücher.example"},{"name":"offers","value":"NTLM"}]`,
	} {
		_, rej := callValue(t, checkFunc, form)
		if rej.IsUndefined() || rej.Get("needs").String() != "tools" {
			t.Errorf("check(%s): rejection %v; want needs tools", form, rej)
		}
	}
}

// TestSnapshotsInOneSession opens hostile snapshot links one after the
// other, as one page would, then a good one: each is refused with a
// message, and the module still works.
func TestSnapshotsInOneSession(t *testing.T) {
	gz := func(js string) string {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write([]byte(js))
		w.Close()
		return "#s=" + base64.RawURLEncoding.EncodeToString(b.Bytes())
	}
	deep := `{"v":2,"report":` + strings.Repeat(`{"uri":"sip:a@b.c","domain":"b.c","outcome":"fail","discovery":`, 2500) + `{}` + strings.Repeat("}", 2500) + "}"
	hostile := []string{
		gz(deep),
		gz(`{"v":2,"report":{"uri":"sip:a@b.c","domain":"b.c","profile":"lync-2013","outcome":"fail","discovery":{"uri":"sip:a@b.c","domain":"b.c","profile":"lync-2013","outcome":"connect"}}}`),
		gz(`{"v":2,"report":{"uri":"` + strings.Repeat("a", 1<<20) + `"}}`),
		"#s=" + strings.Repeat("A", 300<<10),
		"#s", "#S=x",
	}
	for _, h := range hostile {
		if _, err := call(t, decodeShare, h); err == nil || !strings.Contains(err.Error(), "snapshot") {
			t.Errorf("decodeShare(%.40q): %v; want a message about the snapshot link", h, err)
		}
	}
	out, err := call(t, decodeShare, warmSnapshot(t))
	if err != nil {
		t.Fatalf("a good snapshot after the hostile ones: %v", err)
	}
	var res bridge.ShareResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Found || !strings.Contains(res.HTML, "answers as recorded by whoever made this link") || !strings.Contains(res.HTML, "pool01.warm.example") {
		t.Errorf("decodeShare = %.300s", out)
	}
	if strings.Contains(res.HTML, "carries no checksum") {
		t.Error("a current snapshot is said to carry no checksum")
	}
	if out, err := call(t, decodeShare, "#main"); err != nil || !strings.Contains(out, `"found":false`) {
		t.Errorf("decodeShare(#main) = %s, %v; want not found: an anchor is no snapshot", out, err)
	}
}

func TestMarkdown(t *testing.T) {
	s, err := snapshot.Decode(context.Background(), warmSnapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s.Report)
	out, err := call(t, markdown, string(b))
	if err != nil || !strings.Contains(out, "pool01.warm.example") {
		t.Errorf("markdown = %.200q, %v", out, err)
	}
}

func TestPanicRejects(t *testing.T) {
	_, err := call(t, func(context.Context, []js.Value) (any, error) { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "internal error in the analyzer: boom") {
		t.Errorf("panic: error %v; want a rejection naming it", err)
	}
}

func TestParseQuery(t *testing.T) {
	out, err := call(t, parseQuery, "?uri=bob%40contoso.com&profile=lync-2013&strict=1&tcp=0&doh=https://dns.example/dns-query")
	if err != nil {
		t.Fatal(err)
	}
	var res queryResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	values := map[string][]string{}
	for _, e := range res.Form {
		values[e.Name] = e.Values
	}
	if !res.Found || res.Resolver != "https://dns.example/dns-query" || res.URI != "bob@contoso.com" || res.More ||
		values["profile"][0] != "lync-2013" || len(values["strict"]) != 1 || len(values["tcp"]) != 0 || len(values["offers"]) != 3 {
		t.Errorf("parseQuery = %s", out)
	}
	if out, err := call(t, parseQuery, "?profile=lync-2013"); err != nil || !strings.Contains(out, `"found":false`) {
		t.Errorf("parseQuery without an address = %s, %v; want not found", out, err)
	}
	// A resolver with surrounding spaces is the resolver.
	out, err = call(t, parseQuery, "?uri=bob%40contoso.com&doh=%20https://dns.example/dns-query%20")
	if err != nil || !strings.Contains(out, `"resolver":"https://dns.example/dns-query"`) {
		t.Errorf("parseQuery with a spaced resolver = %s, %v", out, err)
	}
}

func TestWarm(t *testing.T) {
	out, err := call(t, warm)
	if err != nil {
		t.Fatalf("warm: %v", err)
	}
	t.Logf("warm took %s ms", out)
}

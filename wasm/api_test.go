//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/check"
)

// call invokes one API function the way JavaScript does and waits for its
// promise. It returns the resolved value as JSON, or the rejection message.
func call(t *testing.T, h handler, args ...any) (string, error) {
	t.Helper()
	f := promise(h)
	defer f.Release()
	p := f.Invoke(args...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := await(ctx, js.Global().Get("AbortController").New(), p)
	if err != nil {
		return "", err
	}
	if v.Type() == js.TypeString {
		return v.String(), nil
	}
	return js.Global().Get("JSON").Call("stringify", v).String(), nil
}

const plannedZone = `$ORIGIN contoso.com.
_sipinternaltls._tcp 3600 IN SRV 0 0 5061 pool01
pool01 3600 IN A 10.0.0.10
`

// plannedCheck is the analyzer's form for jeremy@contoso.com against
// plannedZone.
func plannedCheck() check.Options {
	o := check.PageDefaults()
	o.URI, o.Resolver = "jeremy@contoso.com", check.ResolverZone
	o.Zones = []check.Zone{{Name: check.PlannedZone, Text: plannedZone}}
	return o
}

// formState is the JSON of the form's controls holding o, as the page's
// script reads them (check.FormValues says what the form shows; a ticked
// box is its value, an unticked one is left out).
func formState(o check.Options) string {
	entries, _ := check.FormValues(o)
	var state []check.FormValue
	for _, e := range entries {
		for _, v := range e.Values {
			state = append(state, check.FormValue{Name: e.Name, Value: v, Type: "text"})
		}
	}
	b, _ := json.Marshal(state)
	return string(b)
}

func TestCheckPlannedZone(t *testing.T) {
	o := plannedCheck()
	o.URI = "sip:jeremy@contoso.com"
	out, err := call(t, checkFunc, formState(o))
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	var res struct {
		Report struct {
			Outcome string `json:"outcome"`
			Target  struct {
				Host string `json:"host"`
			} `json:"target"`
			Register *struct {
				Outcome string `json:"outcome"`
			} `json:"register"`
		} `json:"report"`
		HTML     string `json:"html"`
		Query    string `json:"query"`
		Snapshot string `json:"snapshot"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Report.Outcome != "connect" || res.Report.Target.Host != "pool01.contoso.com" {
		t.Errorf("outcome, target = %q, %q; want connect, pool01.contoso.com", res.Report.Outcome, res.Report.Target.Host)
	}
	if res.Report.Register == nil || res.Report.Register.Outcome != "registered" {
		t.Errorf("register = %+v; want registered", res.Report.Register)
	}
	if !strings.Contains(res.HTML, `data-testid="outcome"`) || res.Query != "" || strings.Contains(res.HTML, `data-testid="share-link"`) || !strings.HasPrefix(res.Snapshot, "#s=") {
		t.Errorf("check result incomplete: query %q, snapshot %.10q, html %d bytes", res.Query, res.Snapshot, len(res.HTML))
	}

	// The snapshot decodes to the same report, rendered as a snapshot.
	out, err = call(t, decodeShare, res.Snapshot)
	if err != nil {
		t.Fatalf("decodeShare: %v", err)
	}
	if !strings.Contains(out, "Snapshot taken at") || !strings.Contains(out, "pool01.contoso.com") {
		t.Errorf("decodeShare = %.200s", out)
	}
}

// TestRenderProbe: what sipdisco check --connect --json prints for one
// address renders with what the servers answered, escaped, and so does a
// snapshot that carries it.
func TestRenderProbe(t *testing.T) {
	const cli = `[{"tool":{"name":"sipdisco","version":"1.2.0"},"checkedAt":"2026-11-25T14:00:00Z","uri":"sip:bob@contoso.com","domain":"contoso.com",
	"profile":"communicator-2007-r2","policy":{"strictNaming":false,"allowTCP":true,"manualInternal":"","manualExternal":""},"outcome":"fail","candidates":[],"steps":[],"findings":[],
	"probe":{"address":"sip:bob@contoso.com","client":"communicator-2007-r2","userAgent":"","started":"2026-11-25T14:00:00Z",
	"attempts":[{"host":"sip.contoso.com","port":5061,"transport":"TLS","source":"_sip._tls.contoso.com","reason":"discovered","connectMs":3,
	"response":{"startLine":"SIP/2.0 401 Unauthorized","status":401,"reason":"Unauthorized","headers":[{"name":"Server","value":"<script>alert(1)</script>"}],"contentLength":0,"server":"<script>alert(1)</script>"},
	"outcome":"answered","findings":[]}],"findings":[]}}]`
	out, err := call(t, render, cli)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	if !strings.Contains(out, `data-testid="probe"`) || strings.Contains(out, "<script>") || !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("render = %.600s", out)
	}
	var reports []engine.Report
	if err := json.Unmarshal([]byte(cli), &reports); err != nil {
		t.Fatal(err)
	}
	snap, err := check.EncodeSnapshot(check.Snapshot{Report: &reports[0]})
	if err != nil {
		t.Fatal(err)
	}
	out, err = call(t, decodeShare, snap)
	if err != nil {
		t.Fatalf("decodeShare: %v", err)
	}
	if !strings.Contains(out, "What the real servers answered") {
		t.Errorf("decodeShare = %.300s", out)
	}
}

func TestRejections(t *testing.T) {
	tests := []struct {
		name string
		h    handler
		args []any
		want string
	}{
		{"no input", checkFunc, nil, "missing argument 1"},
		{"form not JSON", checkFunc, []any{js.ValueOf(map[string]any{"x": 1})}, "bad form controls"},
		{"unknown control field", checkFunc, []any{`[{"name":"uri","value":"a@b.c","colour":"red"}]`}, `unknown field "colour"`},
		{"bad address", checkFunc, []any{`[{"name":"uri","value":"bob@@contoso.com"},{"name":"offers","value":"NTLM"},{"name":"doh","value":"zone"},{"name":"zone","value":"x"}]`}, "offset"},
		{"number argument", checkFunc, []any{42}, "want a string"},
		{"link without an address", checkFunc, []any{"?profile=lync-2013"}, "names no sign-in address"},
		{"bad zone line", parseZone, []any{plannedZone + "pool02 IN A nope\n", "jeremy@contoso.com"}, "planned zone:4"},
		{"empty zone", parseZone, []any{""}, "empty"},
		{"tampered snapshot", decodeShare, []any{"#s=AAAA"}, "snapshot link"},
		{"bad link", parseQuery, []any{"?uri=a@b.c&strict=maybe"}, `"strict" is "maybe"`},
		{"bad report", render, []any{`{"uri":""}`}, "bad report"},
		{"bad report for markdown", markdown, []any{`{"uri":""}`}, "bad report"},
		{"not a DoH URL", checkFunc, []any{"?uri=bob@contoso.com&doh=ftp://x"}, "bad endpoint"},
		{"no protocol offered", checkFunc, []any{`[{"name":"uri","value":"bob@contoso.com"},{"name":"doh","value":"zone"},{"name":"zone","value":"x"}]`}, "sign-in, The server offers: no authentication protocol"},
		{"hostile account", checkFunc, []any{`[{"name":"uri","value":"bob@contoso.com"},{"name":"tcp","value":"1"},{"name":"register","value":"1"},{"name":"offers","value":"NTLM"},{"name":"doh","value":"zone"},{"name":"zone","value":"` + strings.ReplaceAll(plannedZone, "\n", `\n`) + `"},{"name":"account","value":"<b>x</b>"}]`}, `sign-in, Account "<b>x</b>": an account may not contain`},
		{"bad offers in a link", parseQuery, []any{"?uri=a@b.c&offers=digest"}, `"offers" is "digest"`},
		{"bad probe", render, []any{`[{"uri":"sip:bob@contoso.com","domain":"contoso.com","outcome":"fail","probe":{"attempts":[{"transport":"TLS","outcome":"teleported"}]}}]`}, "bad report: probe: attempts[0].outcome"},
		{"two reports", render, []any{`[{"uri":"sip:a@contoso.com","outcome":"fail"},{"uri":"sip:b@contoso.com","outcome":"fail"}]`}, "holds 2 reports"},
	}
	for _, tt := range tests {
		_, err := call(t, tt.h, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
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
	var res struct {
		Found    bool
		Resolver string
		URI      string
		Form     []check.FormEntry
		More     bool
	}
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
}

// TestCheckLink runs a check from a live link's query string, as the page
// does when it opens one, and returns the form's values for the page to
// show.
func TestCheckLink(t *testing.T) {
	if _, err := call(t, checkFunc, "?uri=bob%40contoso.com&doh=zone"); err == nil || !strings.Contains(err.Error(), "planned zone is empty") {
		t.Errorf("a link naming the planned zone: %v; want the zone to be asked for", err)
	}
}

// TestCheckSignInInputs checks that the sign-in inputs reach the
// simulation the way the command line's flags do, and into the live link.
func TestCheckSignInInputs(t *testing.T) {
	o := plannedCheck()
	o.Account, o.Owner, o.Credentials, o.Offers = `CONTOSO\vadim`, `CONTOSO\jeremy`, "saved", []string{"NTLM"}
	o.Compression, o.CertificateNames = true, []string{"pool01.contoso.com"}
	out, err := call(t, checkFunc, formState(o))
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	var res struct {
		Report struct {
			Register struct {
				Outcome, Failure string
				Connections      []struct {
					Compression bool
					TLS         struct{ Status string }
				}
			} `json:"register"`
		} `json:"report"`
		HTML string `json:"html"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	r := res.Report.Register
	if r.Outcome != "failed" || r.Failure != "address-and-account-mismatch" || len(r.Connections) != 1 || !r.Connections[0].Compression || r.Connections[0].TLS.Status != "valid" {
		t.Errorf("register = %+v; want the mismatch over a compressed connection with a valid certificate", r)
	}
	if !strings.Contains(res.HTML, `data-failure="address-and-account-mismatch"`) {
		t.Error("the rendered report lacks the failure hook")
	}
}

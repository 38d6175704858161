//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
	"time"
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

func TestCheckPlannedZone(t *testing.T) {
	opts, _ := json.Marshal(map[string]any{"uri": "sip:jeremy@contoso.com", "profile": "communicator-2007-r2", "allowTCP": true, "doh": "zone", "zone": plannedZone})
	out, err := call(t, check, string(opts))
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
		Markdown string `json:"markdown"`
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
	if !strings.Contains(res.HTML, `data-testid="outcome"`) || res.Query != "" || strings.Contains(res.HTML, `data-testid="share-link"`) || !strings.HasPrefix(res.Snapshot, "#s=") || res.Markdown == "" {
		t.Errorf("check result incomplete: query %q, snapshot %.10q, html %d bytes, markdown %d bytes", res.Query, res.Snapshot, len(res.HTML), len(res.Markdown))
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

func TestRejections(t *testing.T) {
	tests := []struct {
		name string
		h    handler
		args []any
		want string
	}{
		{"no options", check, nil, "missing argument 1"},
		{"options not JSON", check, []any{"{"}, "bad options"},
		{"unknown option", check, []any{`{"uri":"a@b.c","colour":"red"}`}, `unknown field "colour"`},
		{"bad address", check, []any{`{"uri":"bob@@contoso.com","doh":"zone","zone":"x"}`}, "offset"},
		{"number argument", check, []any{42}, "want a string"},
		{"bad zone line", parseZone, []any{plannedZone + "pool02 IN A nope\n", "jeremy@contoso.com"}, "planned zone:4"},
		{"empty zone", parseZone, []any{""}, "empty"},
		{"tampered snapshot", decodeShare, []any{"#s=AAAA"}, "snapshot link"},
		{"bad link", parseQuery, []any{"?uri=a@b.c&strict=maybe"}, `"strict" is "maybe"`},
		{"bad report", render, []any{`{"uri":""}`}, "bad report"},
		{"not a DoH URL", check, []any{`{"uri":"bob@contoso.com","doh":"ftp://x"}`}, "bad endpoint"},
		{"no protocol offered", check, []any{`{"uri":"bob@contoso.com","doh":"zone","zone":"x","offers":[]}`}, "sign-in: no authentication protocol"},
		{"hostile account", check, []any{`{"uri":"bob@contoso.com","doh":"zone","zone":"` + strings.ReplaceAll(plannedZone, "\n", `\n`) + `","account":"<b>x</b>"}`}, `sign-in, Account "<b>x</b>": an account may not contain`},
		{"bad offers in a link", parseQuery, []any{"?uri=a@b.c&offers=digest"}, `"offers" is "digest"`},
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
	out, err := call(t, parseQuery, "?uri=bob%40contoso.com&profile=lync-2013&strict=1&tcp=0")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"found":true,"options":{"uri":"bob@contoso.com","profile":"lync-2013","strict":true,"allowTCP":false}}`
	if out != want {
		t.Errorf("parseQuery = %s; want %s", out, want)
	}
}

// TestCheckSignInInputs checks that the sign-in inputs reach the
// simulation the way the command line's flags do, and into the live link.
func TestCheckSignInInputs(t *testing.T) {
	opts, _ := json.Marshal(map[string]any{"uri": "jeremy@contoso.com", "profile": "communicator-2007-r2", "allowTCP": true, "doh": "zone", "zone": plannedZone,
		"account": `CONTOSO\vadim`, "owner": `CONTOSO\jeremy`, "credentials": "saved", "offers": []string{"NTLM"}, "compression": true, "certificateNames": "pool01.contoso.com"})
	out, err := call(t, check, string(opts))
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

//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// call invokes one API function the way JavaScript does and waits for its
// promise. It returns the resolved value as JSON, or the rejection message.
func call(t *testing.T, h bridge.Handler, args ...any) (string, error) {
	t.Helper()
	f := bridge.Promise(h)
	defer f.Release()
	p := f.Invoke(args...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := bridge.Await(ctx, js.Global().Get("AbortController").New(), p)
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
	o.URI, o.Resolver = "jeremy@contoso.com", check.Source{Kind: check.SourceZone}
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

	// The snapshot link decodes to the same report.
	s, err := snapshot.Decode(context.Background(), res.Snapshot)
	if err != nil || s.Report.Target == nil || s.Report.Target.Host != "pool01.contoso.com" {
		t.Errorf("the snapshot link decodes to %+v, %v", s.Report, err)
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

func TestToolsRejections(t *testing.T) {
	tests := []struct {
		name string
		h    bridge.Handler
		args []any
		want string
	}{
		{"bad address", checkFunc, []any{`[{"name":"uri","value":"bob@@contoso.com"},{"name":"offers","value":"NTLM"},{"name":"doh","value":"zone"},{"name":"zone","value":"x"}]`}, "offset"},
		{"bad zone line", parseZone, []any{plannedZone + "pool02 IN A nope\n", "jeremy@contoso.com"}, "planned zone:4"},
		{"empty zone", parseZone, []any{""}, "empty"},
		{"no protocol offered", checkFunc, []any{`[{"name":"uri","value":"bob@contoso.com"},{"name":"doh","value":"zone"},{"name":"zone","value":"x"}]`}, "sign-in, The server offers: no authentication protocol"},
		{"hostile account", checkFunc, []any{`[{"name":"uri","value":"bob@contoso.com"},{"name":"tcp","value":"1"},{"name":"register","value":"1"},{"name":"offers","value":"NTLM"},{"name":"doh","value":"zone"},{"name":"zone","value":"` + strings.ReplaceAll(plannedZone, "\n", `\n`) + `"},{"name":"account","value":"<b>x</b>"}]`}, `sign-in, Account "<b>x</b>": an account may not contain`},
		{"not a DoH URL", checkFunc, []any{"?uri=bob@contoso.com&doh=ftp://x"}, "bad endpoint"},
	}
	for _, tt := range tests {
		_, err := call(t, tt.h, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

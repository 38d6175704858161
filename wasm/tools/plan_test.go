//go:build js && wasm

package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
)

func TestPlan(t *testing.T) {
	form, _ := json.Marshal(check.PlanOptions{Domains: "contoso.com", Pool: "pool01.contoso.com", Edge: "sip.contoso.com",
		Profiles: []string{"communicator-2007-r2", "lync-2013"}, AllowTCP: true})
	out, err := call(t, planFunc, string(form))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	var res planResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if !res.OK || res.Checks != 4 {
		t.Errorf("plan: ok %v, %d checks; want true, 4 (2 profiles × 2 views)", res.OK, res.Checks)
	}
	if len(res.Analyze) != 2 {
		t.Fatalf("plan: %d zones to analyze; want 2 (internal and external contoso.com)", len(res.Analyze))
	}
	// Each hand-off is a check the analyzer runs on the zone: it connects.
	for _, entries := range res.Analyze {
		var state []check.FormValue
		for _, e := range entries {
			for _, v := range e.Values {
				state = append(state, check.FormValue{Name: e.Name, Value: v})
			}
		}
		b, _ := json.Marshal(state)
		out, err := call(t, checkFunc, string(b))
		if err != nil {
			t.Fatalf("check of the handed-off zone: %v", err)
		}
		if !strings.Contains(out, `"outcome":"connect"`) {
			t.Errorf("check of the handed-off zone %.200s: not connect", entries)
		}
	}
	if !strings.Contains(res.Files[check.PlanMarkdownFile], "# DNS and certificate plan for contoso.com") {
		t.Errorf("Markdown export = %.100q", res.Files[check.PlanMarkdownFile])
	}
}

func TestPlanErrors(t *testing.T) {
	for _, tt := range []struct{ name, form, want string }{
		{"no pool", `{"domains":"contoso.com","profiles":["lync-2013"]}`, "Front End pool: required"},
		{"unknown field", `{"domains":"contoso.com","pol":"x"}`, "bad plan form"},
		{"bad profile", `{"domains":"contoso.com","pool":"p.contoso.com","profiles":["lync-3000"]}`, "Clients: "},
	} {
		_, err := makePlanJSON(t, tt.form)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func makePlanJSON(t *testing.T, form string) (string, error) {
	t.Helper()
	return call(t, planFunc, form)
}

func TestCheckCertErrors(t *testing.T) {
	for _, tt := range []struct{ name, pem, host, want string }{
		{"no host", "x", "", "server name"},
		{"no block", "hello\n", "sip.contoso.com", "certificate"},
		{"key", "text\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "sip.contoso.com", "line 2"},
	} {
		_, err := certCheck(tt.pem, tt.host, time.Now())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestCompareAndMatrix(t *testing.T) {
	const outside = `$ORIGIN contoso.com.
_sip._tls 3600 IN SRV 0 0 443 sip
sip 3600 IN A 203.0.113.10
`
	views, _ := json.Marshal(map[string]any{"uri": "jeremy@contoso.com", "profile": "lync-2010", "allowTCP": true,
		"a": map[string]string{"doh": "zone", "zone": plannedZone}, "b": map[string]string{"doh": "zone", "zone": outside}})
	out, err := call(t, compare, string(views))
	if err != nil {
		t.Fatalf("compare: %v", err)
	}
	var res viewsResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.HTML, "pool01.contoso.com:5061") || !strings.Contains(res.HTML, "sip.contoso.com:443") || !strings.Contains(res.Query, "a=zone&b=zone") {
		t.Errorf("compare: query %q; HTML lacks one of the two servers", res.Query)
	}
	out, err = call(t, matrix, string(views))
	if err != nil {
		t.Fatalf("matrix: %v", err)
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if n, want := strings.Count(res.HTML, `<td class="cell`), 4*len(engine.Profiles()); n != want {
		t.Errorf("matrix: %d cells; want %d (every profile × strict off/on × 2 views)", n, want)
	}
	if !strings.HasSuffix(res.Query, "&matrix=1") {
		t.Errorf("matrix query = %q", res.Query)
	}
	if _, err := call(t, compare, `{"uri":"jeremy@contoso.com","a":{"doh":"zone","zone":"x y z"},"b":{"doh":"zone","zone":"$ORIGIN contoso.com.\n"}}`); err == nil || !strings.Contains(err.Error(), "view A: planned zone:1") {
		t.Errorf("compare with a bad zone: %v; want view A's line number", err)
	}
}

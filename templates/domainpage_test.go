//go:build !firstmodule

package templates

import (
	"context"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// hostileDomainReport carries markup in every field of a domain report
// that DNS or the user controls.
func hostileDomainReport() *domainreport.Report {
	const s = `<script>alert(1)</script>`
	const img = `<img src=x onerror=alert(2)>`
	const svg = `"><svg onload=alert(3)>`
	return &domainreport.Report{
		Domain: s + ".example",
		Records: []domainreport.Record{
			{Name: "lyncdiscover." + s, Type: engine.TypeA, Role: img, Points: domainreport.PointsOnPremises,
				Targets: []string{img, svg}, Answers: []string{"lyncdiscover. A " + img}},
			{Name: "_sip._tls." + svg, Type: engine.TypeSRV, Role: "r", Points: `x" onmouseover="alert(4)`, Why: s},
		},
		TeamsOnly:  domainreport.TeamsOnly{Blocking: []string{"lyncdiscover." + s}},
		Federation: domainreport.Federation{Outcome: domainreport.FederationFail, Target: img + ":5061"},
		Findings: []engine.Finding{{Kind: engine.Kind(`teams-only-blocked"><b>`), Severity: engine.SeverityError, Subject: svg, Message: s, Fix: img,
			Records: []engine.FixRecord{{Name: "lyncdiscover." + s, TTL: 3600, Type: engine.TypeCNAME, Data: img, Action: engine.FixPublish}}}},
	}
}

func TestDomainResultEscapesHostileData(t *testing.T) {
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	// The demo zone full of markup, as DNS gives it.
	real, err := domainreport.Check(context.Background(), "hostile.example", engine.Config{Resolver: set})
	if err != nil {
		t.Fatal(err)
	}
	for _, reports := range [][]*domainreport.Report{{hostileDomainReport()}, {hostileDomainReport(), real}} {
		out := render(t, DomainResult(NewDomainResultView(reports, `javascript:alert(5)<i>`)))
		for _, bad := range []string{"<script", "<img", "<svg", "<b>", "<i>", `" onmouseover=`, "javascript:alert(5)<"} {
			if i := strings.Index(out, bad); i >= 0 {
				t.Errorf("%d reports: the result contains %q unescaped: …%s…", len(reports), bad, out[max(0, i-80):min(len(out), i+80)])
			}
		}
		for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;"} {
			if !strings.Contains(out, want) {
				t.Errorf("%d reports: the result lacks the escaped text %q", len(reports), want)
			}
		}
	}
}

// TestDomainResultVerdicts renders the demo domains' reports: each
// section and summary row shows the report's own verdicts, and the
// tenant is blocked when any domain blocks.
func TestDomainResultVerdicts(t *testing.T) {
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		domains    []string
		tenant     string
		gates, fed []string
	}{
		{[]string{"teams-ready.example"}, GateReady, []string{GateReady}, []string{domainreport.FederationOK}},
		{[]string{"teams-ready.example", "federation-outside.example"}, GateReady, []string{GateReady, GateReady}, []string{"ok", "fail"}},
		{[]string{"teams-ready.example", "teams-wildcard.example", "nothing.example"}, GateBlocked, []string{GateReady, GateBlocked, GateReady}, []string{"ok", "ok", "none"}},
		// unknown.example: every lookup fails.
		{[]string{"hybrid.example", "unknown.example"}, GateBlocked, []string{GateBlocked, GateUnknown}, []string{"ok", "unknown"}},
		{[]string{"teams-ready.example", "unknown.example"}, GateUnknown, []string{GateReady, GateUnknown}, []string{"ok", "unknown"}},
	}
	var failing servfail
	for _, tt := range tests {
		var reports []*domainreport.Report
		for _, d := range tt.domains {
			res := engine.Resolver(set)
			if d == "unknown.example" {
				res = failing
			}
			r, err := domainreport.Check(context.Background(), d, engine.Config{Resolver: res})
			if err != nil {
				t.Fatal(err)
			}
			reports = append(reports, r)
		}
		v := NewDomainResultView(reports, check.ResolverLocal)
		if v.Tenant != tt.tenant {
			t.Errorf("%v: tenant %s (%s); want %s", tt.domains, v.Tenant, v.TenantText, tt.tenant)
		}
		out := render(t, DomainResult(v))
		if got := strings.Contains(out, `data-testid="dom-summary"`); got != (len(tt.domains) > 1) {
			t.Errorf("%v: summary table shown %v; want it with several domains only", tt.domains, got)
		}
		for i, d := range tt.domains {
			if v.Domains[i].Gate != tt.gates[i] || v.Domains[i].Federation != tt.fed[i] {
				t.Errorf("%s: gate %s, federation %s; want %s, %s", d, v.Domains[i].Gate, v.Domains[i].Federation, tt.gates[i], tt.fed[i])
			}
			section := `data-testid="dom-report" data-domain="` + d + `" data-gate="` + tt.gates[i] + `" data-federation="` + tt.fed[i] + `"`
			if !strings.Contains(out, section) {
				t.Errorf("%v: no section %s", tt.domains, section)
			}
			if len(reports[i].TeamsOnly.Blocking) > 0 && !strings.Contains(v.Domains[i].GateText, reports[i].TeamsOnly.Blocking[0]) {
				t.Errorf("%s: gate text %q does not name the blocking record", d, v.Domains[i].GateText)
			}
			if n := strings.Count(out, `data-testid="dom-record"`); n < len(reports[i].Records) {
				t.Errorf("%v: %d record rows; want at least %d", tt.domains, n, len(reports[i].Records))
			}
		}
	}
}

// servfail answers every question SERVFAIL.
type servfail struct{}

func (servfail) Resolve(context.Context, engine.Question) (engine.Answer, error) {
	return engine.Answer{RCode: engine.RCodeServerFailure}, nil
}

func TestDomainPage(t *testing.T) {
	site := Site{Base: "/", CSS: "/style.css", Boot: "/boot.js"}
	out := render(t, DomainPage(NewDomainView(site, []Resolver{{URL: check.ResolverLocal, Label: "This server"}}, "/domain.js")))
	for _, want := range []string{`<script src="/domain.js" defer>`, `id="dom-list"`, `aria-current="page">Domain`, `<option value="local" selected>`, `value="custom"`, "At most 20 domains"} {
		if !strings.Contains(out, want) {
			t.Errorf("the domain page lacks %q", want)
		}
	}
}

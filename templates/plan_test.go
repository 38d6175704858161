package templates

import (
	"context"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// checkedPlan generates in and runs plan.DiscoverAll against its zones, as the
// WebAssembly does.
func checkedPlan(t *testing.T, in plan.Input) (*plan.Plan, []plan.Result) {
	t.Helper()
	p, err := plan.Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	res := map[plan.View]engine.Resolver{}
	for _, v := range []plan.View{plan.Internal, plan.External} {
		set := new(zone.Set)
		for _, z := range p.View(v).Zones {
			if err := set.Add(z.Origin, plan.BIND(v, z, p.Input.TTL), ""); err != nil {
				t.Fatal(err)
			}
		}
		res[v] = set
	}
	results, err := plan.DiscoverAll(context.Background(), p, res)
	if err != nil {
		t.Fatal(err)
	}
	return p, results
}

func TestPlanResult(t *testing.T) {
	p, results := checkedPlan(t, plan.Input{Domains: []string{"contoso.com", "fabrikam.com"},
		Pool: plan.Server{FQDN: "pool01.corp.litware.net"}, Edge: plan.Server{FQDN: "edge.litware.net"},
		StrictNaming: true, AllowTCP: true})
	links := make([]string, len(results))
	for i := range links {
		links[i] = "../#s=link" + itoa(i)
	}
	v := NewPlanResultView(p, results, links, func(v plan.View, origin string) int {
		if origin == "fabrikam.com" {
			return 7
		}
		return -1
	})
	if !v.OK || v.Checks != len(results) || v.Failed != 0 {
		t.Errorf("OK, Checks, Failed = %v, %d, %d; want true, %d, 0", v.OK, v.Checks, v.Failed, len(results))
	}
	if len(v.Domains) != 2 || len(v.Servers) == 0 {
		t.Fatalf("%d domain sections and %d server zones; want 2 and some (the pool and Edge are outside the SIP domains)", len(v.Domains), len(v.Servers))
	}
	html := render(t, PlanResult(v))
	profiles := len(engine.Profiles())
	if n := strings.Count(html, `<td class="cell`); n != 2*2*profiles {
		t.Errorf("%d matrix cells; want %d (2 domains × 2 views × %d profiles)", n, 4*profiles, profiles)
	}
	if n := strings.Count(html, `data-outcome="connect"`); n != 4*profiles {
		t.Errorf("%d cells connect; want all %d", n, 4*profiles)
	}
	for _, want := range []string{`href="../#s=link0"`, `data-analyze="7"`, `_sipinternaltls._tcp`, `sip.fabrikam.com`, `data-file="` + check.PlanMarkdownFile + `"`} {
		if !strings.Contains(html, want) {
			t.Errorf("plan HTML lacks %s", want)
		}
	}
}

func TestPlanResultMismatch(t *testing.T) {
	p, results := checkedPlan(t, plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"}, Profiles: []string{"lync-2010"}, AllowTCP: true})
	results[0].OK, results[0].Problem = false, "target x; want y"
	v := NewPlanResultView(p, results, nil, nil)
	if v.OK || v.Failed != 1 {
		t.Errorf("OK, Failed = %v, %d; want false, 1", v.OK, v.Failed)
	}
	html := render(t, PlanResult(v))
	if !strings.Contains(html, "differs from the plan") || !strings.Contains(html, "target x; want y") {
		t.Error("a mismatching cell does not say so")
	}
}

// TestPlanResultRulesAndWarnings: the rule checks of plan.Verify and the
// plan's warnings are on the page, each script says where it runs, and a
// failing rule makes the plan not OK.
func TestPlanResultRulesAndWarnings(t *testing.T) {
	p, results := checkedPlan(t, plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"},
		Edge: plan.Server{FQDN: "sip.contoso.com"}, EdgePort: 5061, Profiles: []string{"lync-2010"}})
	rules := []plan.RuleResult{
		{Rule: plan.RuleSRVPort, View: plan.Internal, Name: "_sipinternaltls._tcp.contoso.com -> pool01.contoso.com", OK: true},
		{Rule: plan.RuleSRVTargetNotAlias, View: plan.External, Name: "_sip._tls.contoso.com -> sip.contoso.com", Problem: "the target sip.contoso.com is a CNAME to edge.contoso.com"},
	}
	v := NewPlanResultView(p, results, nil, nil)
	if !v.OK {
		t.Fatal("the plan is not OK before the rules")
	}
	html := render(t, PlanResult(v.WithRules(rules[:1])))
	for _, want := range []string{"Every rule holds (1 checks)", "the federation port", `data-testid="script-where-internal"`, "Never on a DNS server that answers the Internet"} {
		if !strings.Contains(html, want) {
			t.Errorf("plan HTML lacks %q", want)
		}
	}
	bad := v.WithRules(rules)
	if bad.OK || bad.RulesFailed != 1 {
		t.Errorf("WithRules with a failing rule: OK %v, RulesFailed %d; want false, 1", bad.OK, bad.RulesFailed)
	}
	html = render(t, PlanResult(bad))
	if !strings.Contains(html, "1 of 2 rule checks fail") || !strings.Contains(html, "is a CNAME to edge.contoso.com") {
		t.Error("a failing rule is not shown")
	}
}

// TestPlanResultClients: with fewer clients selected, the matrix also
// shows every other client generation, from check.PlanGlance, marked as
// not required, never a mismatch, not counted among the checks, and
// the plan's own rows and verdict unchanged.
func TestPlanResultClients(t *testing.T) {
	p, results := checkedPlan(t, plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"}, Profiles: []string{"lync-2013"}})
	clients := []check.PlanClients{
		{View: plan.Internal, Domain: "contoso.com", Rows: []engine.ClientRow{
			{Profile: "communicator-2007-r2", Title: "Office Communicator 2007 R2", Outcome: engine.OutcomeFail},
			{Profile: "lync-2013", Title: "Lync 2013 / Skype for Business 2015", Outcome: engine.OutcomeConnect, Target: "pool01.contoso.com:5061 TLS"},
			{Profile: "skype-2016", Title: "Skype for Business 2016–2024", Outcome: engine.OutcomeConnect, Target: "<i>pool</i>:5061 TLS"},
		}},
		{View: plan.External, Domain: "contoso.com", Rows: []engine.ClientRow{
			{Profile: "communicator-2007-r2", Title: "Office Communicator 2007 R2", Outcome: engine.OutcomeFail},
			{Profile: "lync-2013", Title: "Lync 2013 / Skype for Business 2015", Outcome: engine.OutcomeFail},
			{Profile: "skype-2016", Title: "Skype for Business 2016–2024", Outcome: engine.OutcomeFail},
		}},
	}
	plain := NewPlanResultView(p, results, nil, nil)
	v := plain.WithClients(p, clients)
	if len(plain.Domains[0].Matrix) != 1 {
		t.Fatalf("WithClients changed the view it was called on: %d rows", len(plain.Domains[0].Matrix))
	}
	m := v.Domains[0].Matrix
	if len(m) != 3 || m[0].Unplanned || !m[1].Unplanned || !m[2].Unplanned || m[1].Profile != "communicator-2007-r2" || m[2].Profile != "skype-2016" {
		t.Fatalf("matrix rows: %+v; want lync-2013, then communicator-2007-r2 and skype-2016 unplanned", m)
	}
	if len(m[1].Cells) != 2 || m[1].Cells[0].View != "internal" || m[1].Cells[1].View != "external" || !m[1].Cells[0].OK {
		t.Errorf("unplanned cells: %+v; want internal then external, not mismatches", m[1].Cells)
	}
	if v.Checks != plain.Checks || v.OK != plain.OK {
		t.Errorf("Checks, OK = %d, %v; want %d, %v as without the other clients", v.Checks, v.OK, plain.Checks, plain.OK)
	}
	html := render(t, PlanResult(v))
	if n := strings.Count(html, "not required by the plan"); n != 2 {
		t.Errorf("%d rows say not required by the plan; want 2", n)
	}
	if strings.Contains(html, "<i>pool") || !strings.Contains(html, "&lt;i&gt;pool") {
		t.Error("an unplanned client's server is not escaped")
	}
	if n := strings.Count(html, "differs from the plan"); n != 0 {
		t.Errorf("%d cells differ from the plan; want none", n)
	}
}

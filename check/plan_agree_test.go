package check

import (
	"context"
	"fmt"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/testwalk"
	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// planInputs are plans over the dimensions that change a verdict: one or
// two domains, a pool in the domain, named sip.<domain> or in a domain of
// its own, with and without a Director and an Access Edge, strict naming,
// TCP, and IPv6 addresses (which only some profiles use).
func planInputs() []plan.Input {
	var out []plan.Input
	pools := []plan.Server{
		{FQDN: "pool01.contoso.com"},
		{FQDN: "sip.contoso.com", Addresses: []string{"10.1.0.5", "2001:db8::5"}},
		{FQDN: "lyncpool.corp.example.net", Addresses: []string{"10.2.0.7"}},
	}
	for _, ds := range [][]string{{"contoso.com"}, {"contoso.com", "fabrikam.com"}} {
		for _, pool := range pools {
			for i := range 8 {
				in := plan.Input{Domains: ds, Pool: pool, StrictNaming: i&1 != 0, AllowTCP: i&2 != 0}
				if i&4 != 0 {
					in.Director = plan.Server{FQDN: "dir01.contoso.com"}
					in.Edge = plan.Server{FQDN: "access.contoso.com", Addresses: []string{"198.51.100.4"}}
					in.WebInternal = plan.Server{FQDN: pool.FQDN}
					in.WebExternal = plan.Server{FQDN: "webext.contoso.com"}
				}
				if in.StrictNaming && in.Director.FQDN != "" && pool.FQDN == "sip.contoso.com" {
					continue // refused by Generate
				}
				out = append(out, in)
			}
		}
	}
	// The consultant's deployment (issue 24): a DNS load balanced pool, a
	// Director with its own web services, an Edge with its three names, a
	// reverse proxy, simple URLs and XMPP, the second domain in pin-point
	// zones (auto) or every domain so (pinpoint), loose and strict.
	for _, zones := range []plan.ZoneStyle{plan.ZonesAuto, plan.ZonesPinPoint, plan.ZonesWhole} {
		for _, strict := range []bool{false, true} {
			out = append(out, plan.Input{Domains: []string{"contoso.com", "fabrikam.com"},
				Pool:     plan.Server{FQDN: "pool01.contoso.com", Members: []string{"fe01.contoso.com", "fe02.contoso.com"}, Addresses: []string{"10.0.1.11", "10.0.1.12"}},
				Director: plan.Server{FQDN: "dirpool.contoso.com", Members: []string{"dir01.contoso.com"}}, DirectorWebInternal: plan.Server{FQDN: "webdirint.contoso.com"},
				DirectorWebExternal: "webdirext.contoso.com",
				Edge:                plan.Server{FQDN: "access.contoso.com", Addresses: []string{"198.51.100.10"}}, WebConfEdge: "webconf.contoso.com",
				AVEdge: plan.Server{FQDN: "av.contoso.com"}, EdgeInternal: plan.Server{FQDN: "edgeint.contoso.com"}, XMPP: true,
				WebInternal: plan.Server{FQDN: "webint.contoso.com"}, WebExternal: plan.Server{FQDN: "webext.contoso.com"},
				OfficeOnline: plan.Server{FQDN: "oos.contoso.com"}, SimpleURLs: true, InternalZones: zones, StrictNaming: strict})
		}
	}
	return out
}

// TestPlanCheckAgreesWithCheck: plan --check (plan.DiscoverAll on the
// generated zones) and sipdisco check on the same zones, with the same
// client and policy (PlanCheckOptions), give the same verdict and target
// for every plan, view, domain and profile.
func TestPlanCheckAgreesWithCheck(t *testing.T) {
	testwalk.SkipInWASM(t)
	ctx := context.Background()
	cells := 0
	for _, in := range planInputs() {
		p, err := plan.Generate(in)
		if err != nil {
			t.Fatalf("Generate(%+v): %v", in, err)
		}
		sets := map[plan.View]engine.Resolver{}
		for _, v := range []plan.View{plan.Internal, plan.External} {
			set := new(zone.Set)
			for _, z := range PlanZones(p, v) {
				if err := set.Add(z.Origin, z.Text, z.Name); err != nil {
					t.Fatal(err)
				}
			}
			sets[v] = set
		}
		results, err := plan.DiscoverAll(ctx, p, sets)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			o := PlanCheckOptions(p, r.View, r.Domain, r.Profile)
			res, err := Run(ctx, o, Env{Resolver: sets[r.View]})
			if err != nil {
				t.Fatalf("Run(%s, %s, %s): %v", r.View, r.Domain, r.Profile, err)
			}
			got, want := verdict(res.Report.Outcome, res.Report.Target), verdict(r.Outcome, r.Target)
			if got != want {
				t.Errorf("plan %+v, %s view, %s, %s: check says %s; plan --check says %s", in, r.View, r.Domain, r.Profile, got, want)
			}
			cells++
		}
	}
	if cells == 0 {
		t.Fatal("no cell compared")
	}
	t.Logf("%d plans, %d cells (view x domain x profile) compared", len(planInputs()), cells)
}

func verdict(o engine.Outcome, t *engine.Target) string {
	if t == nil {
		return string(o)
	}
	return fmt.Sprintf("%s %s from %s %v", o, t.Endpoint(), t.Source, t.Addresses)
}

package plan_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// twoDomains is a plan for two SIP domains with a Director, an Access
// Edge, autodiscover and TCP, loose naming: the pool's SRV records name
// sip.fabrikam.com for the second domain.
func twoDomains(t *testing.T, edit func(*plan.Input)) *plan.Plan {
	t.Helper()
	in := plan.Input{Domains: []string{"contoso.com", "fabrikam.com"},
		Pool:     plan.Server{FQDN: "pool01.contoso.com", Addresses: []string{"10.0.0.10"}, Members: []string{"fe01.contoso.com"}},
		Director: plan.Server{FQDN: "dir01.contoso.com", Addresses: []string{"10.0.0.20"}},
		Edge:     plan.Server{FQDN: "edge.contoso.com", Addresses: []string{"198.51.100.7"}}, EdgeInternal: plan.Server{FQDN: "edgeint.contoso.com"},
		WebInternal: plan.Server{FQDN: "pool01.contoso.com"}, WebExternal: plan.Server{FQDN: "webext.contoso.com"},
		AllowTCP: true, Alias: plan.AliasCNAME, InternalZones: plan.ZonesWhole}
	if edit != nil {
		edit(&in)
	}
	p, err := plan.Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// loadEdited loads view v's zones with edit applied to zone origin's text.
func loadEdited(t *testing.T, p *plan.Plan, v plan.View, origin string, edit func(string) string) *zone.Set {
	t.Helper()
	set := new(zone.Set)
	for _, z := range p.View(v).Zones {
		text := plan.BIND(v, z, p.Input.TTL)
		if z.Origin == origin {
			edited := edit(text)
			if edited == text {
				t.Fatalf("the edit changed nothing in %s:\n%s", origin, text)
			}
			text = edited
		}
		if err := set.Add(z.Origin, text, z.Origin+".zone"); err != nil {
			t.Fatalf("zone %s: %v\n%s", z.Origin, err, text)
		}
	}
	return set
}

func failed(ver *plan.Verification) []plan.RuleResult {
	var out []plan.RuleResult
	for _, r := range ver.Rules {
		if !r.OK {
			out = append(out, r)
		}
	}
	return out
}

// TestVerifyCatches edits the generated zones (and certificates) the way
// an administrator might, and checks that Verify names each broken rule:
// the rules are not true of any zone by construction.
func TestVerifyCatches(t *testing.T) {
	tests := []struct {
		name   string
		view   plan.View
		origin string
		edit   func(string) string
		certs  func([]plan.Certificate) []plan.Certificate
		rule   plan.Rule
		want   string // substring of the problem
	}{
		{name: "SRV target made a CNAME (what plan --alias cname used to publish)", view: plan.Internal, origin: "fabrikam.com",
			edit: func(s string) string {
				return strings.Replace(s, "sip\t3600\tIN\tA\t10.0.0.20", "sip\t3600\tIN\tCNAME\tdir01.contoso.com.", 1)
			},
			rule: plan.RuleSRVTargetNotAlias, want: "sip.fabrikam.com is a CNAME to dir01.contoso.com"},
		{name: "Access Edge on the federation port", view: plan.External, origin: "contoso.com",
			edit: func(s string) string {
				return strings.Replace(s, "SRV\t0 0 443 edge.contoso.com.", "SRV\t0 0 5061 edge.contoso.com.", 1)
			},
			rule: plan.RuleSRVPort, want: "port 5061 is the federation port"},
		{name: "federation SRV record on the client port", view: plan.External, origin: "contoso.com",
			edit: func(s string) string {
				return strings.Replace(s, "SRV\t0 0 5061 edge.contoso.com.", "SRV\t0 0 443 edge.contoso.com.", 1)
			},
			rule: plan.RuleSRVPort, want: "port 443; the service's port is 5061"},
		{name: "a second internal SRV record for another pool", view: plan.Internal, origin: "contoso.com",
			edit: func(s string) string {
				return s + "_sipinternaltls._tcp\t3600\tIN\tSRV\t0 0 5061 pool01.contoso.com.\n"
			},
			rule: plan.RuleOneSRV, want: "2 SRV records; Microsoft: \"Create only one SRV record for the designated server or pool\""},
		{name: "SRV target in another domain", view: plan.External, origin: "fabrikam.com",
			edit: func(s string) string {
				return strings.Replace(s, "SRV\t0 0 443 sip.fabrikam.com.", "SRV\t0 0 443 edge.contoso.com.", 1)
			},
			rule: plan.RuleSRVTargetInDomain, want: "edge.contoso.com is not in fabrikam.com"},
		{name: "internal SRV record published outside", view: plan.External, origin: "contoso.com",
			edit: func(s string) string { return s + "_sipinternaltls._tcp\t3600\tIN\tSRV\t0 0 5061 dir01.contoso.com.\n" },
			rule: plan.RuleOneView, want: "_sipinternaltls._tcp.contoso.com belongs to the internal DNS only"},
		{name: "lyncdiscover published inside", view: plan.Internal, origin: "contoso.com",
			edit: func(s string) string { return s + "lyncdiscover\t3600\tIN\tCNAME\twebext.contoso.com.\n" },
			rule: plan.RuleOneView, want: "lyncdiscover.contoso.com belongs to the external DNS only"},
		{name: "the external script run on the internal DNS: sip.contoso.com gets the Edge's address inside", view: plan.Internal, origin: "contoso.com",
			edit: func(s string) string { return s + "sip\t3600\tIN\tA\t198.51.100.7\n" },
			rule: plan.RuleViewAddresses, want: "sip.contoso.com resolves to 198.51.100.7, an address of edge.contoso.com"},
		{name: "the Director's certificate without sip.fabrikam.com", view: plan.Internal,
			certs: func(cs []plan.Certificate) []plan.Certificate {
				for i, c := range cs {
					if c.Role == plan.RoleDirector {
						cs[i].Names = slices.DeleteFunc(slices.Clone(c.Names), func(n plan.CertName) bool { return n.Name == "sip.fabrikam.com" })
					}
				}
				return cs
			},
			rule: plan.RuleCertificateCovers, want: "lacks sip.fabrikam.com"},
		{name: "the reverse proxy's certificate without lyncdiscover", view: plan.External,
			certs: func(cs []plan.Certificate) []plan.Certificate {
				for i, c := range cs {
					if c.Role == plan.RoleWebExternal {
						cs[i].Names = c.Names[:1]
					}
				}
				return cs
			},
			rule: plan.RuleCertificateCovers, want: "lacks lyncdiscover.contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := twoDomains(t, nil)
			resolvers := map[plan.View]engine.Resolver{plan.Internal: loadView(t, p, p.Internal), plan.External: loadView(t, p, p.External)}
			if tt.edit != nil {
				resolvers[tt.view] = loadEdited(t, p, tt.view, tt.origin, tt.edit)
			}
			if tt.certs != nil {
				p.Certificates = tt.certs(p.Certificates)
			}
			ver, err := plan.Verify(context.Background(), p, resolvers)
			if err != nil {
				t.Fatal(err)
			}
			bad := failed(ver)
			if !slices.ContainsFunc(bad, func(r plan.RuleResult) bool { return r.Rule == tt.rule && strings.Contains(r.Problem, tt.want) }) {
				t.Errorf("Verify found %+v; want a %s failure mentioning %q", bad, tt.rule, tt.want)
			}
		})
	}
	// The unedited plan holds every rule.
	p := twoDomains(t, nil)
	ver, err := plan.Verify(context.Background(), p, map[plan.View]engine.Resolver{plan.Internal: loadView(t, p, p.Internal), plan.External: loadView(t, p, p.External)})
	if err != nil {
		t.Fatal(err)
	}
	if bad := failed(ver); len(bad) > 0 {
		t.Errorf("the generated plan breaks rules: %+v", bad)
	}
	kinds := map[plan.Rule]int{}
	for _, r := range ver.Rules {
		kinds[r.Rule]++
	}
	for _, r := range []plan.Rule{plan.RuleSRVTargetNotAlias, plan.RuleSRVTargetInDomain, plan.RuleSRVPort, plan.RuleOneView, plan.RuleViewAddresses, plan.RuleCertificateCovers} {
		if kinds[r] == 0 {
			t.Errorf("Verify checked no %s", r)
		}
	}
}

// TestSRVTargetNeverAlias: whatever the alias style, no generated SRV
// target is a CNAME in either view, and a sip.<domain> that is not a
// target may be one when asked (issue 16, item 4).
func TestSRVTargetNeverAlias(t *testing.T) {
	cnames := 0
	for _, in := range configs() {
		if refused(in) {
			continue
		}
		p, err := plan.Generate(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, vp := range []plan.ViewPlan{p.Internal, p.External} {
			recs := vp.Records()
			for _, srv := range recs {
				if srv.Type != engine.TypeSRV {
					continue
				}
				if slices.ContainsFunc(recs, func(r plan.Record) bool { return r.Name == srv.Target && r.Type == engine.TypeCNAME }) {
					t.Errorf("%s: %s view: the target of %s, %s, is a CNAME", describe(in), vp.View, srv.Name, srv.Target)
				}
			}
			for _, r := range recs {
				if r.Type == engine.TypeCNAME && r.Kind == plan.KindSIPAlias {
					cnames++
				}
			}
		}
	}
	if cnames == 0 {
		t.Error("no configuration publishes a sip.<domain> CNAME; the alias style is no longer exercised")
	}
}

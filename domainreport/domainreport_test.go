package domainreport_test

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

const head = "$TTL 3600\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.53\n"

// cases are domains in each state the report tells apart, with what it
// must say of them.
var cases = []struct {
	name, zone string
	view       engine.View
	ready      bool
	federation string
	kinds      []engine.Kind
	points     map[string]string
}{{
	name: "teams-only",
	zone: head + "lyncdiscover CNAME webdir.online.lync.com.\nsip CNAME sipdir.online.lync.com.\n" +
		"_sip._tls SRV 100 1 443 sipdir.online.lync.com.\n_sipfederationtls._tcp SRV 100 1 5061 sipfed.online.lync.com.\n",
	ready: true, federation: domainreport.FederationOK,
	points: map[string]string{"lyncdiscover": domainreport.PointsMicrosoft365, "sip": domainreport.PointsMicrosoft365,
		"_sip._tls": domainreport.PointsMicrosoft365, "sipinternal": domainreport.PointsAbsent},
}, {
	name:  "on-premises",
	zone:  head + "lyncdiscover A 203.0.113.12\nsip A 203.0.113.10\n_sip._tls SRV 0 0 443 sip\n_sipfederationtls._tcp SRV 0 0 5061 sip\n",
	ready: false, federation: domainreport.FederationOK,
	kinds:  []engine.Kind{engine.KindTeamsOnlyBlocked, engine.KindTeamsOnlyOnPremises},
	points: map[string]string{"lyncdiscover": domainreport.PointsOnPremises, "_sipfederationtls._tcp": domainreport.PointsOnPremises},
}, {
	name:  "wildcard",
	zone:  head + "* A 203.0.113.99\n",
	ready: false, federation: domainreport.FederationNone,
	kinds:  []engine.Kind{engine.KindTeamsOnlyBlocked, engine.KindFederationNone, engine.KindTeamsOnlyOnPremises},
	points: map[string]string{"lyncdiscover": domainreport.PointsWildcard, "sip": domainreport.PointsWildcard},
}, {
	name:  "nothing",
	zone:  head,
	ready: true, federation: domainreport.FederationNone,
	kinds: []engine.Kind{engine.KindFederationNone},
}, {
	name:  "federation-outside",
	zone:  head + "_sipfederationtls._tcp SRV 0 0 5061 edge.fabrikam.example.\n",
	ready: true, federation: domainreport.FederationFail,
	kinds:  []engine.Kind{engine.KindFederationOutside, engine.KindTeamsOnlyOnPremises},
	points: map[string]string{"_sipfederationtls._tcp": domainreport.PointsElsewhere},
}, {
	name:  "federation-unresolvable",
	zone:  head + "_sipfederationtls._tcp SRV 0 0 5061 edge\n",
	ready: true, federation: domainreport.FederationFail,
	kinds: []engine.Kind{engine.KindFederationUnresolvable, engine.KindTeamsOnlyOnPremises},
}, {
	name:  "federation-port",
	zone:  head + "_sipfederationtls._tcp SRV 0 0 5062 sip\nsip A 203.0.113.10\n",
	ready: true, federation: domainreport.FederationOK,
	kinds: []engine.Kind{engine.KindFederationPort, engine.KindTeamsOnlyOnPremises},
}, {
	// An alias to another domain: mobile clients need HTTP first
	// ("Technical requirements for mobility in Lync Server 2013").
	name:  "autodiscover-other-domain",
	zone:  head + "lyncdiscover CNAME lyncdiscover.contoso.net.\n",
	ready: false, federation: domainreport.FederationNone,
	kinds:  []engine.Kind{engine.KindTeamsOnlyBlocked, engine.KindFederationNone, engine.KindAutodiscoverOtherDomain, engine.KindTeamsOnlyOnPremises},
	points: map[string]string{"lyncdiscover": domainreport.PointsElsewhere},
}, {
	name:  "hybrid-inside",
	zone:  head + "_sipinternaltls._tcp SRV 0 0 5061 pool01\npool01 A 10.0.0.10\nlyncdiscoverinternal A 10.0.0.12\nsip A 10.0.0.10\n",
	view:  engine.ViewInside,
	ready: true, federation: domainreport.FederationNone,
	kinds: []engine.Kind{engine.KindTeamsOnlyInternal},
}}

func TestReportStates(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := check(t, c.name+".test", c.zone, c.view)
			if rep.TeamsOnly.Ready != c.ready {
				t.Errorf("teamsOnly.ready = %v, want %v (blocking %v)", rep.TeamsOnly.Ready, c.ready, rep.TeamsOnly.Blocking)
			}
			if !c.ready && !slices.Contains(rep.TeamsOnly.Blocking, "lyncdiscover."+c.name+".test") {
				t.Errorf("blocking = %v, want lyncdiscover", rep.TeamsOnly.Blocking)
			}
			if rep.Federation.Outcome != c.federation {
				t.Errorf("federation = %+v, want %s", rep.Federation, c.federation)
			}
			var kinds []engine.Kind
			for _, f := range rep.Findings {
				kinds = append(kinds, f.Kind)
			}
			if !slices.Equal(kinds, c.kinds) {
				t.Errorf("findings %v, want %v", kinds, c.kinds)
			}
			for prefix, want := range c.points {
				for _, r := range rep.Records {
					if r.Name == prefix+"."+c.name+".test" && r.Points != want {
						t.Errorf("%s points %s, want %s (%v)", r.Name, r.Points, want, r.Answers)
					}
				}
			}
		})
	}
}

// TestFixesFix applies the records a report's fixes give for its view to
// the zone and checks again. The fixes of the errors and warnings
// together: none of those remains, the Teams Only gate passes where one
// was about it, and federation, outside, is ok. The Teams Only records
// (what to publish, or delete, once every user is Teams Only) on their
// own: the gate passes, and outside every record Microsoft lists that
// exists points to Microsoft 365, federation hosted.
func TestFixesFix(t *testing.T) {
	applied := 0
	for _, c := range cases {
		for _, view := range []engine.View{engine.ViewOutside, engine.ViewInside} {
			if c.view != "" && view != c.view {
				continue
			}
			d := c.name + ".test"
			zones := zoneSet(t, d, c.zone)
			cfg := engine.Config{Resolver: zones, View: view}
			before, err := domainreport.Check(context.Background(), d, cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := engine.FixExternal
			if view == engine.ViewInside {
				want = engine.FixInternal
			}
			var now, switched []engine.FixRecord
			// A finding whose fix is no record (a web publishing rule)
			// is not the records' to fix.
			notDNS := map[engine.Kind]bool{}
			for _, f := range before.Findings {
				if len(f.Records) == 0 {
					notDNS[f.Kind] = true
				}
			}
			for _, f := range before.Findings {
				for _, r := range f.Records {
					if !strings.Contains(f.Fix, r.String()) {
						t.Errorf("%s: %s's fix does not show %q: %s", d, f.Kind, r.String(), f.Fix)
					}
					switch {
					case r.View != want:
					case f.Kind == engine.KindTeamsOnlyBlocked || f.Kind == engine.KindTeamsOnlyOnPremises || f.Kind == engine.KindTeamsOnlyInternal:
						switched = append(switched, r)
					default:
						now = append(now, r)
					}
				}
			}
			for _, step := range []struct {
				recs    []engine.FixRecord
				switch_ bool
			}{{now, false}, {switched, true}} {
				if len(step.recs) == 0 {
					continue
				}
				applied += len(step.recs)
				cfg.Resolver = apply(zones, step.recs)
				after, err := domainreport.Check(context.Background(), d, cfg)
				if err != nil {
					t.Fatal(err)
				}
				what := fmt.Sprintf("%s view=%s after %v", d, view, step.recs)
				for _, f := range after.Findings {
					// The switch's records fix the gate; the others
					// leave it to them.
					if f.Severity != engine.SeverityInfo && !notDNS[f.Kind] && (step.switch_ || f.Kind != engine.KindTeamsOnlyBlocked) {
						t.Errorf("%s: %s left: %s", what, f.Kind, f.Message)
					}
				}
				if !after.TeamsOnly.Ready && (step.switch_ || slices.Contains(before.TeamsOnly.Blocking, "")) {
					t.Errorf("%s: the Teams Only gate still fails: %v", what, after.TeamsOnly.Blocking)
				}
				switch {
				case view == engine.ViewOutside && step.switch_:
					for _, r := range after.Records {
						listed := slices.Contains([]string{"lyncdiscover.", "sip.", "_sip._tls.", "_sipfederationtls._tcp."}, strings.TrimSuffix(r.Name, d))
						if listed && r.Points != domainreport.PointsMicrosoft365 && r.Points != domainreport.PointsAbsent {
							t.Errorf("%s: %s points %s, want Microsoft 365", what, r.Name, r.Points)
						}
					}
					if after.Federation.Outcome != domainreport.FederationNone && !after.Federation.Hosted {
						t.Errorf("%s: federation %+v, want hosted", what, after.Federation)
					}
				case view == engine.ViewOutside && after.Federation.Outcome != domainreport.FederationOK:
					t.Errorf("%s: federation %+v, want ok", what, after.Federation)
				}
				for _, r := range step.recs {
					if r.Type == engine.TypeSRV && r.Action == engine.FixPublish {
						target := strings.TrimSuffix(strings.Fields(r.Data)[3], ".")
						if !strings.HasSuffix(target, ".online.lync.com") && len(addrs(t, cfg.Resolver, target)) == 0 {
							t.Errorf("%s: %s names %s, which does not resolve", what, r, target)
						}
					}
				}
			}
		}
	}
	if applied < 10 {
		t.Errorf("only %d fix records applied; the cases no longer exercise the fixes", applied)
	}
}

// TestRounds: the report asks every name of a domain in
// one round and the servers' addresses in a second, whatever it finds.
func TestRounds(t *testing.T) {
	for _, c := range cases {
		rep := check(t, c.name+".test", c.zone, c.view)
		last := 0
		for _, s := range rep.Steps {
			last = max(last, s.Round)
		}
		if last > 2 {
			t.Errorf("%s: %d rounds, want at most 2", c.name, last)
		}
	}
}

func check(t *testing.T, d, text string, view engine.View) *domainreport.Report {
	t.Helper()
	rep, err := domainreport.Check(context.Background(), d, engine.Config{Resolver: zoneSet(t, d, text), View: view})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func zoneSet(t *testing.T, d, text string) *zone.Set {
	t.Helper()
	zones := new(zone.Set)
	if err := zones.Add(d, text, d); err != nil {
		t.Fatal(err)
	}
	return zones
}

func addrs(t *testing.T, r engine.Resolver, name string) []engine.Record {
	a, err := r.Resolve(context.Background(), engine.Question{Name: name, Type: engine.TypeA})
	if err != nil {
		t.Fatal(err)
	}
	var out []engine.Record
	for _, x := range a.Records {
		if x.Type == engine.TypeA {
			out = append(out, x)
		}
	}
	return out
}

// apply returns r with recs applied (engine.FixRecord's documented
// meaning): deletions answer NXDOMAIN; published records replace their
// name's records of the type (a CNAME replaces the name's every record;
// an address supplied by the administrator is a documentation address).
func apply(r engine.Resolver, recs []engine.FixRecord) engine.Resolver {
	return engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		var own []engine.Record
		touched := false
		for _, fr := range recs {
			if fr.Name != q.Name {
				continue
			}
			touched = true
			if fr.Action == engine.FixDelete || fr.Type != q.Type && fr.Type != engine.TypeCNAME {
				continue
			}
			rec := engine.Record{Name: fr.Name, Type: fr.Type, TTL: fr.TTL}
			data := fr.Data
			if fr.Supply != "" {
				data = "203.0.113.201"
			}
			switch fr.Type {
			case engine.TypeA, engine.TypeAAAA:
				rec.Addr = netip.MustParseAddr(data)
			case engine.TypeCNAME:
				rec.Target = strings.TrimSuffix(data, ".")
			case engine.TypeSRV:
				f := strings.Fields(data)
				n := func(s string) uint16 { v, _ := strconv.Atoi(s); return uint16(v) }
				rec.Priority, rec.Weight, rec.Port, rec.Target = n(f[0]), n(f[1]), n(f[2]), strings.TrimSuffix(f[3], ".")
			}
			own = append(own, rec)
		}
		if !touched {
			return r.Resolve(ctx, q)
		}
		if len(own) == 0 {
			return engine.Answer{RCode: engine.RCodeNameError}, nil
		}
		return engine.Answer{Records: own}, nil
	})
}

package plan_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// configs enumerates plan inputs over every dimension the generator
// branches on: one to three SIP domains (multi-label and nested ones
// included), a pool inside the first domain, named sip.<domain>, or in a
// domain of its own, with and without a Director and an Access Edge
// (named sip.<domain> or not), strict naming, TCP, both alias styles,
// placeholder or given addresses (IPv6 included), all profiles or one.
func configs() []plan.Input {
	domainSets := [][]string{
		{"contoso.com"},
		{"contoso.com", "fabrikam.com"},
		{"contoso.com", "eu.contoso.com", "fabrikam.co.uk"},
	}
	pools := []plan.Server{
		{FQDN: "pool01.contoso.com", Members: []string{"fe01.contoso.com", "fe02.contoso.com"}},
		{FQDN: "sip.contoso.com", Addresses: []string{"10.1.0.5", "10.1.0.6", "2001:db8::5"}},
		{FQDN: "lyncpool.corp.example.net", Addresses: []string{"10.2.0.7"}},
	}
	directors := []plan.Server{{}, {FQDN: "dir01.contoso.com"}, {FQDN: "dirpool.contoso.com", Members: []string{"dir01.contoso.com", "dir02.contoso.com"}}}
	edges := []plan.Server{{}, {FQDN: "sip.contoso.com"}, {FQDN: "access.edge.contoso.com", Addresses: []string{"198.51.100.4", "198.51.100.5"}}}
	profileSets := [][]string{nil, {"communicator-2007-r2"}}
	var out []plan.Input
	for _, ds := range domainSets {
		for _, pool := range pools {
			for _, dir := range directors {
				for _, edge := range edges {
					if edge.FQDN == pool.FQDN {
						continue // refused by Normalize; see TestNormalizeErrors
					}
					for i := range 16 {
						in := plan.Input{
							Domains:      ds,
							Pool:         pool,
							Director:     dir,
							Edge:         edge,
							StrictNaming: i&1 != 0,
							AllowTCP:     i&2 != 0,
							Alias:        []plan.AliasStyle{plan.AliasA, plan.AliasCNAME}[i>>2&1],
							Profiles:     profileSets[i>>3&1],
						}
						if edge.FQDN != "" && i&4 != 0 {
							in.EdgePort = 5061
						}
						if edge.FQDN != "" && i&1 == 0 {
							in.EdgeInternal = plan.Server{FQDN: "edge-int.corp.contoso.com"}
							in.WebConfEdge = "webconf.contoso.com"
						}
						if i&8 == 0 {
							in.WebInternal = plan.Server{FQDN: pool.FQDN}
							in.WebExternal = plan.Server{FQDN: "webext.contoso.com"}
						} else {
							in.WebInternal = plan.Server{FQDN: "webint.contoso.com"}
						}
						out = append(out, in)
					}
				}
			}
		}
	}
	return out
}

// loadView loads the BIND text of every zone of v into a zone.Set, as the
// planned-zone analyzer does.
func loadView(t *testing.T, p *plan.Plan, v plan.ViewPlan) *zone.Set {
	t.Helper()
	set := new(zone.Set)
	for _, z := range v.Zones {
		if err := set.Add(z.Origin, plan.BIND(v.View, z, p.Input.TTL), z.Origin+".zone"); err != nil {
			t.Fatalf("zone.Set.Add(%s): %v\n%s", z.Origin, err, plan.BIND(v.View, z, p.Input.TTL))
		}
	}
	return set
}

// refused reports the configurations Generate must refuse: under strict
// naming sip.contoso.com must stand for the Director, so the pool cannot
// bear that name.
func refused(in plan.Input) bool {
	return in.StrictNaming && in.Director.FQDN != "" && in.Pool.FQDN == "sip.contoso.com"
}

func describe(in plan.Input) string {
	return fmt.Sprintf("domains=%v pool=%s%v director=%s%v edge=%s:%d (internal %s, webconf %s) strict=%v tcp=%v alias=%s profiles=%v web=%s/%s",
		in.Domains, in.Pool.FQDN, in.Pool.Members, in.Director.FQDN, in.Director.Members, in.Edge.FQDN, in.EdgePort, in.EdgeInternal.FQDN, in.WebConfEdge,
		in.StrictNaming, in.AllowTCP, in.Alias, in.Profiles, in.WebInternal.FQDN, in.WebExternal.FQDN)
}

// TestGeneratedZonesConnect is the planner's contract: for every
// configuration, the generated internal zones make every selected profile
// connect to the sign-in server (or its sip.<domain> alias) and the
// external zones to the Access Edge (or its alias).
func TestGeneratedZonesConnect(t *testing.T) {
	cs := configs()
	rules := 0
	for _, in := range cs {
		p, err := plan.Generate(in)
		if refused(in) {
			if err == nil || !strings.HasPrefix(err.Error(), "pool.fqdn: sip.contoso.com is needed in the internal DNS") {
				t.Errorf("Generate(%s) = %v; want the pool.fqdn conflict", describe(in), err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Generate(%s): %v", describe(in), err)
		}
		ver, err := plan.Verify(context.Background(), p, map[plan.View]engine.Resolver{
			plan.Internal: loadView(t, p, p.Internal),
			plan.External: loadView(t, p, p.External),
		})
		if err != nil {
			t.Fatal(err)
		}
		federationPort := false
		for _, r := range ver.Rules {
			// _sip._tls on 5061, the federation port, is planned as
			// given (with a warning) and must fail the port rule.
			if in.EdgePort == 5061 && r.Rule == plan.RuleSRVPort && strings.HasPrefix(r.Name, "_sip._tls.") {
				if r.OK {
					t.Errorf("%s\n  rule %s passes %s on port 5061, the federation port", describe(in), r.Rule, r.Name)
				}
				federationPort = true
				continue
			}
			if !r.OK {
				t.Errorf("%s\n  rule %s in the %s view, %s: %s", describe(in), r.Rule, r.View, r.Name, r.Problem)
			}
		}
		if in.EdgePort == 5061 && !federationPort {
			t.Errorf("%s: no srv-port rule judged _sip._tls on port 5061", describe(in))
		}
		rules += len(ver.Rules)
		res := ver.Results
		if want := 2 * len(p.Input.Domains) * len(p.Profiles()); len(res) != want {
			t.Fatalf("DiscoverAll(%s) gave %d results; want %d", describe(in), len(res), want)
		}
		for _, r := range res {
			if !r.OK {
				t.Errorf("%s\n  %s %s %s: %s", describe(in), r.View, r.Domain, r.Profile, r.Problem)
				continue
			}
			if r.View == plan.Internal {
				host := r.Target.Host
				if host != p.SignIn().FQDN && host != "sip."+r.Domain {
					t.Errorf("%s: internal target %s is neither the sign-in server nor sip.%s", describe(in), host, r.Domain)
				}
			}
			// The server's certificate must carry the name the client
			// connected to.
			// (A sign-in predicted through Autodiscover names the web
			// service, whose certificate the plan does not list.)
			if r.Target != nil && r.Target.Source != engine.SourceAutodiscover && !certNames(p, r.Want.Server)[r.Target.Host] {
				t.Errorf("%s: %s %s: the certificate of %s lacks %s, the name the client connects to", describe(in), r.View, r.Domain, r.Want.Server, r.Target.Host)
			}
			if r.View == plan.External && in.Edge.FQDN != "" && r.Outcome != engine.OutcomeConnect {
				t.Errorf("%s: external %s %s = %s; want connect to the Access Edge", describe(in), r.Domain, r.Profile, r.Outcome)
			}
		}
	}
	t.Logf("%d configurations checked, %d rule checks", len(cs), rules)
}

// certNames returns the names on the certificate whose subject is server.
func certNames(p *plan.Plan, server string) map[string]bool {
	out := map[string]bool{}
	for _, c := range p.Certificates {
		if c.Subject == server {
			for _, n := range c.Names {
				out[n.Name] = true
			}
		}
	}
	return out
}

// view is the records of one view as a tiny resolver the test uses to
// predict what remains resolvable once a record is gone.
type view []plan.Record

// addrs returns the addresses name resolves to through the records,
// following CNAMEs; ipv6 adds AAAA records.
func (v view) addrs(name string, ipv6 bool) []string {
	for range 10 {
		var out []string
		cname := ""
		for _, r := range v {
			if r.Name != name {
				continue
			}
			switch {
			case r.Type == engine.TypeA, r.Type == engine.TypeAAAA && ipv6:
				out = append(out, r.Addr.String())
			case r.Type == engine.TypeCNAME:
				cname = r.Target
			}
		}
		if cname == "" {
			slices.Sort(out)
			return out
		}
		name = cname
	}
	return nil
}

func (v view) srv(name string) (plan.Record, bool) {
	for _, r := range v {
		if r.Name == name && r.Type == engine.TypeSRV {
			return r, true
		}
	}
	return plan.Record{}, false
}

func without(rs []plan.Record, i int) view {
	return slices.Concat(rs[:i], rs[i+1:])
}

// removeOne returns p's view v without record i (its BIND zones change
// accordingly).
func removeOne(vp plan.ViewPlan, i int) plan.ViewPlan {
	out := plan.ViewPlan{View: vp.View}
	n := 0
	for _, z := range vp.Zones {
		nz := plan.Zone{Origin: z.Origin}
		for _, r := range z.Records {
			if n != i {
				nz.Records = append(nz.Records, r)
			}
			n++
		}
		out.Zones = append(out.Zones, nz)
	}
	return out
}

// predict says what the discovery rules (docs/spec.md §4) predict once
// record gone has been removed from view v, for domain d and profile
// prof. rest is the view without it. It returns the expectation and, for
// kinds whose removal must leave a mark in the report beyond the outcome,
// the finding kind that must appear.
func predict(p *plan.Plan, v plan.View, gone plan.Record, rest view, d string, prof *engine.Profile) (plan.Expectation, engine.Kind) {
	base := p.Expect(v, d, prof)
	connect := func(host string, port uint16, tr engine.Transport, source string) plan.Expectation {
		return plan.Expectation{Outcome: engine.OutcomeConnect, Host: host, Port: port, Transport: tr, Source: source, Addresses: rest.addrs(host, prof.IPv6)}
	}
	// Sign-in fails, unless an autodiscover name still resolves: then
	// it is predicted through the web service (engine's
	// autodiscover-only).
	failed := func(k engine.Kind) (plan.Expectation, engine.Kind) {
		for _, a := range prof.Autodiscover {
			if len(rest.addrs(a+"."+d, prof.IPv6)) > 0 {
				return plan.Expectation{Outcome: engine.OutcomeConnect, Source: engine.SourceAutodiscover}, engine.KindAutodiscoverOnly
			}
		}
		return plan.Expectation{Outcome: engine.OutcomeFail}, k
	}
	// The host records, in profile order, TLS on the first port first:
	// when no SRV record exists, or, for a client that continues until
	// one works, after the SRV targets.
	hostRecords := func(afterSRV bool) (plan.Expectation, engine.Kind) {
		for _, fb := range prof.Fallback {
			host := fb.Prefix + "." + d
			if len(rest.addrs(host, prof.IPv6)) > 0 {
				if afterSRV {
					return connect(host, fb.Ports[0], engine.TLS, "fallback"), engine.KindContinuedPastSRV
				}
				return connect(host, fb.Ports[0], engine.TLS, "fallback"), "a-record-fallback"
			}
		}
		if afterSRV {
			return failed(engine.KindNoServer)
		}
		return failed("no-records")
	}
	// An SRV target that no longer resolves: the client skips it, and
	// since an SRV record exists a Communicator client does not fall back
	// (docs/spec.md §4.4); a Lync client goes on to the host records.
	viaSRV := func(srvName string, port uint16, tr engine.Transport) (plan.Expectation, engine.Kind) {
		r, _ := rest.srv(srvName)
		if len(rest.addrs(r.Target, prof.IPv6)) == 0 {
			if prof.Persistence == engine.ContinueUntilOneWorks {
				return hostRecords(true)
			}
			return failed("no-fallback")
		}
		return connect(r.Target, port, tr, srvName), ""
	}
	fallback := func() (plan.Expectation, engine.Kind) {
		if _, ok := rest.srv("_sip._tls." + d); ok && v == plan.Internal && prof.Persistence == engine.ContinueUntilOneWorks {
			return viaSRV("_sip._tls."+d, 0, engine.TLS)
		}
		return hostRecords(false)
	}

	switch gone.Kind {
	case plan.KindSRVInternalTLS, plan.KindSRVExternalTLS:
		if gone.Name != base.Source {
			break // another domain's record
		}
		if _, ok := rest.srv("_sipinternal._tcp." + d); ok && v == plan.Internal {
			if prof.ClientTCP {
				// TCP allowed: the TCP record takes over (TLS first, then TCP).
				return viaSRV("_sipinternal._tcp."+d, 5060, engine.TCP)
			}
			if asksTCP(prof) {
				// A Lync or Skype for Business pool takes no client TCP
				// ("Port and protocol requirements for servers"): the
				// record exists but leads nowhere, so the client goes on.
				if _, ok := rest.srv("_sip._tls." + d); ok && prof.Persistence == engine.ContinueUntilOneWorks {
					return viaSRV("_sip._tls."+d, 0, engine.TLS)
				}
				return hostRecords(true)
			}
		}
		return fallback()
	case plan.KindAutodiscover:
		if len(prof.Autodiscover) > 0 && strings.HasSuffix(gone.Name, "."+d) && strings.Count(gone.Name, ".") == strings.Count(d, ".")+1 {
			if base.Source == engine.SourceAutodiscover {
				base, _ = failed("")
			}
			return base, "autodiscover-missing"
		}
		return base, ""
	case plan.KindSIPAlias, plan.KindHost:
		// A host or alias record: the target keeps its other addresses,
		// or stops resolving.
	}
	if base.Source == engine.SourceAutodiscover {
		base, _ = failed("")
	}
	if base.Outcome != engine.OutcomeConnect || base.Source == engine.SourceAutodiscover {
		return base, ""
	}
	if len(rest.addrs(base.Host, prof.IPv6)) == 0 {
		if prof.Persistence == engine.ContinueUntilOneWorks {
			return hostRecords(true)
		}
		e, _ := failed("")
		return e, "target-unresolvable"
	}
	e := base
	e.Addresses = rest.addrs(base.Host, prof.IPv6)
	return e, ""
}

// TestRemovingARecord removes each generated record in turn, reloads the
// zones, and checks that discovery changes exactly as the discovery rules
// (docs/spec.md §4) predict for that kind of record: the TLS SRV gone
// means the TCP record or the A-record fallback (or failure); the TCP
// SRV gone changes nothing; the SRV target's host or alias record gone
// means failure without fallback (or fewer addresses); an autodiscover
// name gone leaves the outcome and adds an autodiscover-missing finding
// for Lync 2013.
func TestRemovingARecord(t *testing.T) {
	cs := configs()
	r := rand.New(rand.NewPCG(6, 6)) // deterministic sample
	step := 2
	if testing.Short() {
		step = 40
	}
	kinds := map[plan.Kind]int{}
	checked := 0
	for ci, in := range cs {
		if r.IntN(step) != 0 && ci != 0 || refused(in) {
			continue
		}
		checked++
		// Whole zones: with a record gone from a pin-point zone, the rest
		// of the domain is answered by a DNS this test does not have.
		in.InternalZones = plan.ZonesWhole
		p, err := plan.Generate(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, vp := range []plan.ViewPlan{p.Internal, p.External} {
			all := vp.Records()
			for i, gone := range all {
				kinds[gone.Kind]++
				rest := without(all, i)
				set := loadView(t, p, removeOne(vp, i))
				for _, d := range p.Input.Domains {
					u, _ := engine.ParseURI("bob@" + d)
					for _, prof := range p.Profiles() {
						rep, err := engine.Discover(context.Background(), u, engine.Config{Profile: prof.Name, Resolver: set,
							Policy: engine.Policy{StrictNaming: in.StrictNaming, AllowTCP: in.AllowTCP}})
						if err != nil {
							t.Fatal(err)
						}
						want, finding := predict(p, vp.View, gone, rest, d, prof)
						ctx := fmt.Sprintf("%s\n  without %s (%s) in the %s view, %s with %s", describe(in), gone.String(), gone.Kind, vp.View, d, prof.Name)
						if prob := plan.Compare(rep, want); prob != "" {
							t.Errorf("%s: %s", ctx, prob)
							continue
						}
						if finding != "" && !slices.ContainsFunc(rep.Findings, func(f engine.Finding) bool { return f.Kind == finding }) {
							t.Errorf("%s: no %s finding; findings: %v", ctx, finding, kindsOf(rep.Findings))
						}
						if gone.Type == engine.TypeSRV && slices.ContainsFunc(rep.Candidates, func(c engine.Candidate) bool { return c.Source == gone.Name }) {
							t.Errorf("%s: a candidate still comes from the removed %s", ctx, gone.Name)
						}
					}
				}
			}
		}
	}
	for _, k := range []plan.Kind{plan.KindSRVInternalTLS, plan.KindSRVExternalTLS, plan.KindSRVFederation, plan.KindSIPAlias, plan.KindHost, plan.KindPoolMember, plan.KindAutodiscover} {
		if kinds[k] == 0 {
			t.Errorf("no %s record was removed in the sample; widen it", k)
		}
	}
	t.Logf("%d of %d configurations, records removed by kind: %v", checked, len(cs), kinds)
}

func kindsOf(fs []engine.Finding) []engine.Kind {
	var out []engine.Kind
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

// TestRemovalExamples pins the discovery rules' predictions for one plain
// plan in words, so a reader need not work through predict.
func TestRemovalExamples(t *testing.T) {
	p, err := plan.Generate(plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"},
		Edge: plan.Server{FQDN: "sip.contoso.com"}, StrictNaming: true, Profiles: []string{"communicator-2007-r2", "lync-2010"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		view    plan.View
		name    string
		typ     engine.Type
		profile string
		outcome engine.Outcome
		target  string
	}{
		// Internal SRV gone: R2 falls back to sipinternal/sipexternal,
		// which do not exist; Lync 2010 also tries sip.contoso.com,
		// published under strict naming as the pool's alias.
		{plan.Internal, "_sipinternaltls._tcp.contoso.com", engine.TypeSRV, "communicator-2007-r2", engine.OutcomeFail, ""},
		{plan.Internal, "_sipinternaltls._tcp.contoso.com", engine.TypeSRV, "lync-2010", engine.OutcomeConnect, "sip.contoso.com:5061 fallback"},
		// The SRV target's address gone: the SRV exists, so no fallback.
		{plan.Internal, "sip.contoso.com", engine.TypeA, "communicator-2007-r2", engine.OutcomeFail, ""},
		// The pool's own record gone: sip.contoso.com (an A record) still
		// carries the address.
		{plan.Internal, "pool01.contoso.com", engine.TypeA, "communicator-2007-r2", engine.OutcomeConnect, "sip.contoso.com:5061 _sipinternaltls._tcp.contoso.com"},
		// External SRV gone: Lync 2010 falls back to sip.contoso.com on 5061.
		{plan.External, "_sip._tls.contoso.com", engine.TypeSRV, "lync-2010", engine.OutcomeConnect, "sip.contoso.com:5061 fallback"},
		{plan.External, "_sip._tls.contoso.com", engine.TypeSRV, "communicator-2007-r2", engine.OutcomeFail, ""},
		{plan.External, "sip.contoso.com", engine.TypeA, "lync-2010", engine.OutcomeFail, ""},
	}
	for _, tt := range tests {
		vp := p.View(tt.view)
		i := slices.IndexFunc(vp.Records(), func(r plan.Record) bool { return r.Name == tt.name && r.Type == tt.typ })
		if i < 0 {
			t.Fatalf("no %s %s in the %s view", tt.name, tt.typ, tt.view)
		}
		set := loadView(t, p, removeOne(vp, i))
		u, _ := engine.ParseURI("bob@contoso.com")
		rep, err := engine.Discover(context.Background(), u, engine.Config{Profile: tt.profile, Resolver: set, Policy: engine.Policy{StrictNaming: true}})
		if err != nil {
			t.Fatal(err)
		}
		target := ""
		if rep.Target != nil {
			target = fmt.Sprintf("%s:%d %s", rep.Target.Host, rep.Target.Port, rep.Target.Source)
		}
		if rep.Outcome != tt.outcome || target != tt.target {
			t.Errorf("%s without %s %s, %s = %s %q; want %s %q", tt.view, tt.name, tt.typ, tt.profile, rep.Outcome, target, tt.outcome, tt.target)
		}
	}
}

// asksTCP reports whether prof asks a TCP SRV name (skype-2016 does not).
func asksTCP(prof *engine.Profile) bool {
	return slices.ContainsFunc(prof.SRV, func(l engine.SRVLookup) bool { return l.NeedsTCP })
}

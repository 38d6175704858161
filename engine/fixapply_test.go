package engine_test

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/testwalk"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// checkFixText fails unless the fix's text shows every record of the
// finding's Records as it is (FixRecord.String), in order, so that what
// the text says and what a script applies are the same records.
func checkFixText(t *testing.T, name string, f engine.Finding) {
	t.Helper()
	rest := f.Fix
	for _, r := range f.Records {
		i := strings.Index(rest, r.String())
		if i < 0 {
			t.Errorf("%s: %s's fix does not show its record %q (in this order): %q", name, f.Kind, r.String(), f.Fix)
			return
		}
		rest = rest[i+len(r.String()):]
		switch {
		case r.Action == engine.FixPublish && (r.TTL == 0 || r.Data == "" && r.Supply == ""):
			t.Errorf("%s: %s's record to publish has no TTL or no data: %+v", name, f.Kind, r)
		case r.View != engine.FixInternal && r.View != engine.FixExternal:
			t.Errorf("%s: %s's record has no view: %+v", name, f.Kind, r)
		}
	}
}

// The documentation addresses a test supplies where a fix asks for the
// address of a server of a role (FixRecord.Supply): a pool inside the
// network and an Access Edge server's public address, neither used by any
// test zone.
var supplied = map[string]string{
	engine.RolePool: "192.0.2.201",
	engine.RoleEdge: "203.0.113.201",
	"":              "198.51.100.201",
}

// fillFor returns the data a test gives a record whose data the
// administrator supplies: the documentation address of its role.
func fillFor(engine.Resolver) func(engine.FixRecord) string {
	return func(r engine.FixRecord) string { return supplied[r.Role] }
}

// applyFixes returns r with recs applied as FixRecord documents them:
// deletions first (a name whose records of a type are deleted answers
// that type with no records, NXDOMAIN when nothing is left of it; a
// deleted CNAME takes the alias away), then each name with records to
// publish answers them for their types, an address record replacing both
// address types of its name, and any alias of the name replaced. Data to
// supply comes from fill.
func applyFixes(r engine.Resolver, recs []engine.FixRecord, fill func(engine.FixRecord) string) engine.Resolver {
	type key struct {
		name string
		t    engine.Type
	}
	deleted := map[key][]string{} // data deleted; nil entry: all
	published := map[string][]engine.Record{}
	for _, fr := range recs {
		k := key{fr.Name, fr.Type}
		if fr.Action == engine.FixDelete {
			if fr.Data == "" {
				deleted[k] = nil
			} else if d, ok := deleted[k]; !ok || d != nil {
				deleted[k] = append(deleted[k], fr.Data)
			}
			continue
		}
		data := fr.Data
		if fr.Supply != "" {
			data = fill(fr)
		}
		published[fr.Name] = append(published[fr.Name], toRecord(fr, data))
	}
	isAddr := func(t engine.Type) bool { return t == engine.TypeA || t == engine.TypeAAAA }
	return engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		if own, ok := published[q.Name]; ok {
			replaced := slices.ContainsFunc(own, func(x engine.Record) bool {
				return x.Type == q.Type || isAddr(x.Type) && isAddr(q.Type)
			})
			if replaced {
				var a engine.Answer
				for _, rec := range own {
					if rec.Type == q.Type {
						a.Records = append(a.Records, rec)
					}
				}
				return a, nil
			}
		}
		if _, ok := deleted[key{q.Name, engine.TypeCNAME}]; ok {
			// The alias is gone; with no records of its own the name
			// does not exist.
			if _, pub := published[q.Name]; !pub {
				return engine.Answer{RCode: engine.RCodeNameError}, nil
			}
		}
		a, err := r.Resolve(ctx, q)
		if err != nil {
			return a, err
		}
		data, ok := deleted[key{q.Name, q.Type}]
		if !ok {
			return a, nil
		}
		var kept []engine.Record
		for _, rec := range a.Records {
			if rec.Name == q.Name && rec.Type == q.Type && (data == nil || slices.Contains(data, rec.Data())) {
				continue
			}
			kept = append(kept, rec)
		}
		a.Records = kept
		if len(kept) == 0 && data == nil {
			a.RCode = engine.RCodeNameError
		}
		return a, nil
	})
}

// toRecord parses a fix record's presentation data into the record a
// zone would answer.
func toRecord(fr engine.FixRecord, data string) engine.Record {
	rec := engine.Record{Name: fr.Name, Type: fr.Type, TTL: fr.TTL}
	switch fr.Type {
	case engine.TypeA, engine.TypeAAAA:
		rec.Addr = netip.MustParseAddr(data)
	case engine.TypeSRV:
		f := strings.Fields(data)
		if len(f) != 4 {
			panic(fmt.Sprintf("bad SRV data %q", data))
		}
		n := func(s string) uint16 { v, _ := strconv.Atoi(s); return uint16(v) }
		rec.Priority, rec.Weight, rec.Port = n(f[0]), n(f[1]), n(f[2])
		rec.Target = strings.TrimSuffix(f[3], ".")
	default:
		panic("a fix publishes a " + fr.Type.String() + " record")
	}
	return rec
}

// viewRecords returns the records of every finding's fix that belong in
// the DNS of view: the external zone's for the outside view, the internal
// zone's otherwise.
func viewRecords(fs []engine.Finding, view engine.View) []engine.FixRecord {
	want := engine.FixInternal
	if view == engine.ViewOutside {
		want = engine.FixExternal
	}
	var out []engine.FixRecord
	for _, f := range fs {
		for _, r := range f.Records {
			if r.View == want && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// fixedByWords are the findings whose presence means the client's server
// depends on something no record fixes (a failed lookup, a manual
// setting): a case with one is not expected to end at its server.
var fixedByWords = []engine.Kind{engine.KindIndeterminate, engine.KindLookupFailed, engine.KindManualConfiguration,
	engine.KindManualUnresolvable}

// TestFixesLeadToTheirServer is the promise of the fixes as a whole: for
// every demo and scenario zone, read as the internal and as the external
// DNS, under every profile, strict naming off and on and TCP allowed or
// not, every record the report's fixes give for that DNS is applied at
// once (applyFixes), discovery runs again, and the client signs in to the
// server it should: inside, the pool (a server the internal SRV records or
// sipinternal.D name in the zone, or the pool a fix asked the address of),
// not on the Access Edge's client port 443; outside, the Access Edge
// server on TLS 443 (a server _sip._tls, sipexternal.D or sip.D names in
// the zone, or the one a fix asked the address of). Every SRV record a
// fix publishes names a server that then resolves, and the report has no
// error left. Cases whose outcome hangs on what no record fixes (a failed
// lookup, manual servers) are counted apart. And since fleets are mixed,
// the fixes one client's report gives must not break another client
// (fleetKeeps).
func TestFixesLeadToTheirServer(t *testing.T) {
	testwalk.SkipInWASM(t)
	ctx := context.Background()
	n, skipped, withFixes := 0, 0, 0
	for _, c := range viewCases(t) {
		before, err := engine.Discover(ctx, c.uri, c.cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if c.cfg.Policy.Manual() || slices.ContainsFunc(before.Findings, func(f engine.Finding) bool { return slices.Contains(fixedByWords, f.Kind) }) {
			skipped++
			continue
		}
		n++
		recs := viewRecords(before.Findings, c.cfg.View)
		if len(recs) > 0 {
			withFixes++
		}
		cfg := c.cfg
		cfg.Resolver = applyFixes(c.cfg.Resolver, recs, fillFor(c.cfg.Resolver))
		after, err := engine.Discover(ctx, c.uri, cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		what := fmt.Sprintf("%s: after the fixes %s", c.name, showRecords(recs))
		for _, r := range recs {
			if r.Action == engine.FixPublish && r.Type == engine.TypeSRV {
				target := strings.TrimSuffix(strings.Fields(r.Data)[3], ".")
				if len(addresses(ctx, cfg.Resolver, target)) == 0 {
					t.Errorf("%s: %s names %s, which does not resolve", what, r, target)
				}
			}
		}
		if after.Outcome != engine.OutcomeConnect || after.Target == nil {
			t.Errorf("%s: outcome %s, want connect (before: %s)", what, after.Outcome, before.Outcome)
			continue
		}
		for _, f := range after.Findings {
			// An error whose fix is for the other DNS is fixed there.
			if f.Severity == engine.SeverityError && len(viewRecords([]engine.Finding{f}, c.cfg.View)) == len(f.Records) {
				t.Errorf("%s: error left: %s %s: %s", what, f.Kind, f.Subject, f.Message)
			}
		}
		tg := after.Target
		servers := intendedAddrs(ctx, c, recs)
		fleetKeeps(t, what, c, cfg.Resolver, servers)
		switch {
		case c.cfg.View == engine.ViewOutside && (tg.Port != 443 || tg.Transport != engine.TLS):
			t.Errorf("%s: signs in to %s, want the Access Edge on TLS 443", what, tg.Endpoint())
		case c.cfg.View != engine.ViewOutside && tg.Port == 443:
			t.Errorf("%s: signs in to %s, the Access Edge's client port, want the pool", what, tg.Endpoint())
		case !allIn(tg.Addresses, servers):
			t.Errorf("%s: signs in to %s at %v, none of the servers it should (%v)", what, tg.Endpoint(), tg.Addresses, servers)
		}
	}
	t.Logf("%d cases (%d with record fixes applied) end at their server; %d hang on a failed lookup or manual servers", n, withFixes, skipped)
	if withFixes < 100 {
		t.Errorf("only %d cases had record fixes; the zones no longer exercise them", withFixes)
	}
}

// fleetKeeps fails when the fixes one client's report gave (applied in
// fixed) break another client of the fleet: every other profile, under
// the same policy and view, that signed in to one of servers before must
// still do so, and none may end worse than it did.
func fleetKeeps(t *testing.T, what string, c fixCase, fixed engine.Resolver, servers []string) {
	t.Helper()
	ctx := context.Background()
	for _, p := range engine.Profiles() {
		if p.Name == c.cfg.Profile || c.cfg.Profile == "" && p.Name == engine.DefaultProfile {
			continue
		}
		cfg := c.cfg
		cfg.Profile = p.Name
		before, err := engine.Discover(ctx, c.uri, cfg)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Resolver = fixed
		after, err := engine.Discover(ctx, c.uri, cfg)
		if err != nil {
			t.Fatal(err)
		}
		was := before.Outcome == engine.OutcomeConnect && allIn(before.Target.Addresses, servers)
		is := after.Outcome == engine.OutcomeConnect && allIn(after.Target.Addresses, servers)
		if rank(after.Outcome) < rank(before.Outcome) || was && !is {
			t.Errorf("%s: %s then %s (%s), where it signed in to %s before", what, p.Name, after.Outcome, targetOf(after), targetOf(before))
		}
	}
}

func targetOf(r *engine.Report) string {
	if r.Target == nil {
		return "no server"
	}
	return r.Target.Endpoint() + " " + strings.Join(r.Target.Addresses, ",")
}

// intendedAddrs returns the addresses of the servers a client of c's view
// should sign in to: inside (or in no view), the pool — the targets of
// the internal SRV records, sipinternal.D and sip.D (unless _sip._tls
// names it) as the zone has them, and
// the pool address supplied to a fix; outside, the Access Edge — the
// targets of _sip._tls, sipexternal.D and sip.D, and the Access Edge
// address supplied to a fix. Where the zone names no server of the role
// and no fix supplies one, sip.D as the zone has it, the one server it
// has.
func intendedAddrs(ctx context.Context, c fixCase, recs []engine.FixRecord) []string {
	r, d := c.cfg.Resolver, c.uri.Domain
	var names []string
	role := engine.RolePool
	if c.cfg.View == engine.ViewOutside {
		role = engine.RoleEdge
		names = append(names, srvTargets(ctx, r, "_sip._tls."+d)...)
		names = append(names, "sipexternal."+d, "sip."+d)
	} else {
		names = append(names, srvTargets(ctx, r, "_sipinternaltls._tcp."+d)...)
		names = append(names, srvTargets(ctx, r, "_sipinternal._tcp."+d)...)
		names = append(names, "sipinternal."+d)
		// sip.D is the pool inside the network, unless _sip._tls makes
		// it the Access Edge (gg398758).
		if !slices.Contains(srvTargets(ctx, r, "_sip._tls."+d), "sip."+d) {
			names = append(names, "sip."+d)
		}
	}
	var out []string
	for _, n := range names {
		out = append(out, addresses(ctx, r, n)...)
	}
	for _, fr := range recs {
		if fr.Supply != "" && fr.Role == role {
			out = append(out, supplied[role])
		}
	}
	if len(out) == 0 {
		out = addresses(ctx, r, "sip."+d)
	}
	return out
}

// srvTargets returns the targets of name's SRV records.
func srvTargets(ctx context.Context, r engine.Resolver, name string) []string {
	a, err := r.Resolve(ctx, engine.Question{Name: name, Type: engine.TypeSRV})
	if err != nil {
		return nil
	}
	var out []string
	for _, rec := range a.Records {
		if rec.Type == engine.TypeSRV && rec.Target != "." {
			out = append(out, rec.Target)
		}
	}
	return out
}

// addresses returns the A and AAAA addresses of name, following aliases
// as the zone's answer gives them.
func addresses(ctx context.Context, r engine.Resolver, name string) []string {
	var out []string
	for _, ty := range []engine.Type{engine.TypeA, engine.TypeAAAA} {
		a, err := r.Resolve(ctx, engine.Question{Name: name, Type: ty})
		if err != nil {
			continue
		}
		for _, rec := range a.Records {
			if rec.Type == ty {
				out = append(out, rec.Addr.String())
			}
		}
	}
	return out
}

func allIn(xs, set []string) bool {
	if len(xs) == 0 {
		return false
	}
	for _, x := range xs {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}

func showRecords(recs []engine.FixRecord) string {
	if len(recs) == 0 {
		return "(none)"
	}
	parts := make([]string, len(recs))
	for i, r := range recs {
		parts[i] = r.String() + " [" + string(r.View) + "]"
	}
	return strings.Join(parts, "; ")
}

// viewCases returns fixCases read as each view: a case whose zone is no
// view in particular is run as the internal DNS and as the external.
func viewCases(t *testing.T) []fixCase {
	var out []fixCase
	for _, c := range fixCases(t) {
		if c.cfg.View != engine.ViewUnknown {
			out = append(out, c)
			continue
		}
		for _, v := range []engine.View{engine.ViewInside, engine.ViewOutside} {
			vc := c
			vc.name += " view=" + string(v)
			vc.cfg.View = v
			out = append(out, vc)
		}
	}
	return out
}

// TestBrokenFixesNowLeadToThePool replays the fixes issue 21 found
// breaking deployments when followed, each on the zone where it did, and
// checks that the fix printed now leads every client to the pool.
func TestBrokenFixesNowLeadToThePool(t *testing.T) {
	const head = "$TTL 3600\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.53\n"
	for _, tc := range []struct {
		name    string
		zone    string
		profile string
		strict  bool
		kind    engine.Kind
		// pool is the pool's address: the one the zone has, or the one
		// supplied to the fix.
		pool string
	}{{
		// The internal SRV record was missing, and the fix pointed it
		// at sip.D, the Access Edge's public address: internal clients
		// then signed in to the Edge's federation port 5061.
		name:    "internal SRV missing, sip.D is the Edge",
		zone:    head + "_sip._tls SRV 0 0 443 sip\nsip A 203.0.113.10\n",
		profile: "lync-2013", kind: engine.KindNoInternalSRV, pool: supplied[engine.RolePool],
	}, {
		// The domain signed in through sipinternal.D, and the fix said
		// to publish SRV records to sip.D, which does not exist: every
		// Communicator profile then failed (an SRV record exists, so no
		// fallback).
		name:    "signs in through sipinternal.D",
		zone:    head + "sipinternal A 192.0.2.40\n",
		profile: "communicator-2007-r2", kind: engine.KindARecordFallback, pool: "192.0.2.40",
	}, {
		name:    "signs in through sipinternal.D, strict naming",
		zone:    head + "sipinternal A 192.0.2.40\n",
		profile: "communicator-2007-r2", strict: true, kind: engine.KindARecordFallback, pool: "192.0.2.40",
	}, {
		// Strict naming refused the pool's own name, and the fix said
		// to point the SRV record at sip.D without saying that sip.D
		// must resolve to the pool in internal DNS (here it is the
		// Access Edge).
		name:    "strict naming refuses pool01",
		zone:    head + "_sipinternaltls._tcp SRV 0 0 5061 pool01\n_sip._tls SRV 0 0 443 sip\npool01 A 192.0.2.10\nsip A 203.0.113.5\n",
		profile: "communicator-2007-r2", strict: true, kind: engine.KindNamingRefused, pool: "192.0.2.10",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			zones := new(zone.Set)
			if err := zones.Add("contoso.com", tc.zone, "contoso.com"); err != nil {
				t.Fatal(err)
			}
			uri, _ := engine.ParseURI("bob@contoso.com")
			cfg := engine.Config{Profile: tc.profile, Resolver: zones, View: engine.ViewInside,
				Policy: engine.Policy{StrictNaming: tc.strict, AllowTCP: true}}
			rep, err := engine.Discover(context.Background(), uri, cfg)
			if err != nil {
				t.Fatal(err)
			}
			var f *engine.Finding
			for i := range rep.Findings {
				if rep.Findings[i].Kind == tc.kind {
					f = &rep.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("no %s finding: %+v", tc.kind, rep.Findings)
			}
			recs := viewRecords([]engine.Finding{*f}, engine.ViewInside)
			t.Logf("fix: %s", f.Fix)
			fixed := applyFixes(zones, recs, fillFor(zones))
			for _, p := range engine.Profiles() {
				for _, strict := range []bool{tc.strict, true} {
					cfg := cfg
					cfg.Profile, cfg.Resolver, cfg.Policy.StrictNaming = p.Name, fixed, strict
					after, err := engine.Discover(context.Background(), uri, cfg)
					if err != nil {
						t.Fatal(err)
					}
					if after.Outcome != engine.OutcomeConnect || after.Target.Port != 5061 || !allIn(after.Target.Addresses, []string{tc.pool}) {
						t.Errorf("%s strict=%v after the fix: %s %s, want the pool %s on 5061", p.Name, strict, after.Outcome, targetOf(after), tc.pool)
					}
				}
			}
		})
	}
}

package engine_test

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// wordsOnly are the discovery finding kinds whose fix is advice in words,
// not records to publish: a certificate, a policy, the resolver, a look at
// the web service, or a nothing-to-fix. TestFixesFix fails when a kind
// gives records for one of these, or none for a kind not listed, so every
// new kind is classified here.
var wordsOnly = map[engine.Kind]string{
	engine.KindTrustPrompt:         "point the SRV record at a name under the domain, or set TrustModelData: which name is the administrator's choice",
	engine.KindIndeterminate:       "make a failed lookup answer: DNS servers, the resolver, a proxy",
	engine.KindLookupFailed:        "make a failed lookup answer",
	engine.KindCertificateName:     "the certificate, not DNS",
	engine.KindTCPNotAllowed:       "nothing to fix",
	engine.KindSRVDotMixed:         "delete a record",
	engine.KindTooManyRecords:      "publish fewer records: which ones is the administrator's choice",
	engine.KindManualConfiguration: "nothing to fix",
	engine.KindManualUnresolvable:  "publish the manual server's address, or correct the setting",
	engine.KindAutodiscoverFound:   "nothing to fix in DNS",
	engine.KindAutodiscoverMissing: "publish the autodiscover name for the web services: their address is the administrator's",
	engine.KindAddressUnspecified:  "the server's real address",
	engine.KindAddressThisNetwork:  "the server's real address",
	engine.KindAddressBroadcast:    "the server's real address",
	engine.KindAddressReserved:     "the server's real address",
	engine.KindAddressMulticast:    "the server's real address",
	engine.KindAddressLoopback:     "the server's real address",
	engine.KindAddressLinkLocal:    "the server's real address",
	engine.KindAddressNotGlobal:    "the server's public address, or delete the record: which one is the administrator's",
	engine.KindStrictReading:       "nothing to fix with the default settings; a strict policy is the administrator's",
	engine.KindSRVRandomOrder:      "nothing to fix: several working servers",
}

// sometimesWords are kinds whose fix gives records in some cases and is
// words in others.
var sometimesWords = map[engine.Kind]string{
	engine.KindSRVNotOffered: "a TCP record that says \".\" needs no fix: clients use TLS",
}

// fixRecord matches a record in a fix's text: "NAME. 3600 IN TYPE DATA".
var fixRecord = regexp.MustCompile(`([A-Za-z0-9_.-]+)\. (\d+) IN (SRV (\d+) (\d+) (\d+) ([A-Za-z0-9.-]+)\.|A ([0-9.]+\d)|AAAA ([0-9a-fA-F:]+[0-9a-fA-F]))`)

// TestFixesFix is the promise that advice is right, proven: for every
// discovery finding that every scenario and demo zone raises under every
// profile and policy, the records its fix gives are published into the
// zone (each replacing the records of its name and type) and the records
// it says to delete ("Delete NAME. IN TYPE") are deleted, discovery runs
// again, and the finding must be gone (one fewer of its kind and subject)
// with no new error, no new warning unless the outcome got better, and no
// worse outcome. An SRV record in a fix names "a server"; where its target
// has no address yet, the server's address (a documentation one) is
// published with it, as the fix says in words. Fixes that are words only
// are the kinds in wordsOnly.
func TestFixesFix(t *testing.T) {
	cases := fixCases(t)
	covered := map[engine.Kind]int{}
	words := map[engine.Kind]int{}
	checked := 0
	for _, c := range cases {
		before, err := engine.Discover(context.Background(), c.uri, c.cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, f := range before.Findings {
			if !discoveryKind(f.Kind) {
				continue
			}
			recs, dels := parseFixRecords(t, f.Fix), parseFixDeletions(f.Fix)
			_, listed := wordsOnly[f.Kind]
			_, mixed := sometimesWords[f.Kind]
			switch {
			case len(recs)+len(dels) == 0 && (listed || mixed):
				words[f.Kind]++
				continue
			case len(recs)+len(dels) == 0:
				t.Errorf("%s: %s fix has no record and %s is not listed as words-only: %q", c.name, f.Kind, f.Kind, f.Fix)
				continue
			case listed:
				t.Errorf("%s: %s is listed as words-only but its fix gives records: %q", c.name, f.Kind, f.Fix)
				continue
			}
			checked++
			covered[f.Kind]++
			cfg := c.cfg
			cfg.Resolver = withRecords(context.Background(), withoutRecords(c.cfg.Resolver, dels), recs)
			after, err := engine.Discover(context.Background(), c.uri, cfg)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			ctx := fmt.Sprintf("%s: after the fix of %s %s (%q)", c.name, f.Kind, f.Subject, f.Fix)
			if count(after.Findings, f.Kind, f.Subject) >= count(before.Findings, f.Kind, f.Subject) {
				t.Errorf("%s: the finding is still there", ctx)
			}
			improved := rank(after.Outcome) > rank(before.Outcome)
			for _, g := range after.Findings {
				// A new warning may come with a better outcome (signing
				// in over TCP where nothing worked); a new error never.
				if g.Severity == engine.SeverityError || g.Severity == engine.SeverityWarning && !improved {
					if !has(before.Findings, g.Kind, g.Subject) {
						t.Errorf("%s: new %s %s %s: %s", ctx, g.Severity, g.Kind, g.Subject, g.Message)
					}
				}
			}
			if rank(after.Outcome) < rank(before.Outcome) {
				t.Errorf("%s: outcome %s, worse than %s", ctx, after.Outcome, before.Outcome)
			}
		}
	}
	var cov, wo []string
	for k, n := range covered {
		cov = append(cov, fmt.Sprintf("%s (%d)", k, n))
	}
	for k := range wordsOnly {
		wo = append(wo, fmt.Sprintf("%s (%d seen)", k, words[k]))
	}
	sort.Strings(cov)
	sort.Strings(wo)
	t.Logf("%d cases; %d fixes applied and verified, covering %d finding kinds: %s", len(cases), checked, len(covered), strings.Join(cov, ", "))
	t.Logf("%d words-only kinds: %s", len(wordsOnly), strings.Join(wo, ", "))
	if len(covered) < 12 {
		t.Errorf("only %d kinds had their fixes verified; the cases no longer raise them", len(covered))
	}
}

// fixCase is one discovery to run.
type fixCase struct {
	name string
	uri  engine.URI
	cfg  engine.Config
}

// fixCases returns every scenario as written, and every demo zone under
// every profile with strict naming off and on and TCP allowed or not.
func fixCases(t *testing.T) []fixCase {
	var out []fixCase
	files, _ := filepath.Glob("testdata/scenarios/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		uri, cfg, err := scenarioConfig(ar)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, fixCase{filepath.Base(file), uri, cfg})
	}
	zones := new(zone.Set)
	for _, s := range demo.Scenarios() {
		if err := zones.Add(s.Domain, s.Zone, s.Name); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range demo.Scenarios() {
		uri, err := engine.ParseURI(s.Try)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range engine.Profiles() {
			for _, strict := range []bool{false, true} {
				for _, tcp := range []bool{true, false} {
					out = append(out, fixCase{
						name: fmt.Sprintf("%s %s strict=%v tcp=%v", s.Try, p.Name, strict, tcp),
						uri:  uri,
						cfg: engine.Config{Profile: p.Name, Resolver: zones, Rand: func(int) int { return 0 },
							Policy: engine.Policy{StrictNaming: strict, AllowTCP: tcp}},
					})
				}
			}
		}
	}
	return out
}

// discoveryKind reports whether k is one of the engine's discovery kinds.
func discoveryKind(k engine.Kind) bool {
	for _, d := range engine.KindDocs() {
		if d.Kind == k {
			return d.Kind == engine.KindNotSent || !strings.HasPrefix(string(k), "probe-") && !registerOrCertKind(k)
		}
	}
	return false
}

// registerOrCertKind reports the kinds other packages raise; discovery
// never does, and their fixes are tested there.
func registerOrCertKind(k engine.Kind) bool {
	docs := engine.KindDocs()
	i := slices.IndexFunc(docs, func(d engine.KindDoc) bool { return d.Kind == engine.KindNotSent })
	j := slices.IndexFunc(docs, func(d engine.KindDoc) bool { return d.Kind == k })
	return j >= i
}

func has(fs []engine.Finding, k engine.Kind, subject string) bool {
	return slices.ContainsFunc(fs, func(f engine.Finding) bool { return f.Kind == k && f.Subject == subject })
}

func count(fs []engine.Finding, k engine.Kind, subject string) int {
	n := 0
	for _, f := range fs {
		if f.Kind == k && f.Subject == subject {
			n++
		}
	}
	return n
}

func rank(o engine.Outcome) int {
	switch o {
	case engine.OutcomeConnect:
		return 2
	case engine.OutcomeIndeterminate:
		return 1
	}
	return 0
}

// parseFixRecords returns the records the fix text gives.
func parseFixRecords(t *testing.T, fix string) []engine.Record {
	var out []engine.Record
	for _, m := range fixRecord.FindAllStringSubmatch(fix, -1) {
		ttl, _ := strconv.Atoi(m[2])
		r := engine.Record{Name: strings.ToLower(m[1]), TTL: uint32(ttl)}
		switch {
		case m[4] != "":
			r.Type = engine.TypeSRV
			n := func(s string) uint16 { v, _ := strconv.Atoi(s); return uint16(v) }
			r.Priority, r.Weight, r.Port, r.Target = n(m[4]), n(m[5]), n(m[6]), strings.ToLower(m[7])
		case m[8] != "":
			r.Type, r.Addr = engine.TypeA, netip.MustParseAddr(m[8])
		default:
			r.Type, r.Addr = engine.TypeAAAA, netip.MustParseAddr(m[9])
		}
		out = append(out, r)
	}
	return out
}

// fixDeletion matches a record a fix says to delete: "NAME. IN TYPE",
// with no TTL (a record to publish has one).
var fixDeletion = regexp.MustCompile(`([A-Za-z0-9_.-]+)\. IN (SRV|AAAA|A|CNAME)\b`)

// parseFixDeletions returns the records the fix text says to delete, as
// the questions whose answers they are.
func parseFixDeletions(fix string) []engine.Question {
	if !strings.HasPrefix(fix, "Delete ") {
		return nil
	}
	var out []engine.Question
	for _, m := range fixDeletion.FindAllStringSubmatch(fix, -1) {
		ty, err := engine.ParseType(m[2])
		if err != nil {
			panic(err)
		}
		out = append(out, engine.Question{Name: strings.ToLower(m[1]), Type: ty})
	}
	return out
}

// withoutRecords returns r with the records dels name deleted: a question
// for a deleted name and type, or any question for a name whose CNAME is
// deleted, is answered NXDOMAIN, as the zone answers a name it does not
// hold. (Under a wildcard a deleted name would be answered by the
// wildcard; the fixes that delete records are for names a wildcard does
// not answer, which the view check tells apart.)
func withoutRecords(r engine.Resolver, dels []engine.Question) engine.Resolver {
	if len(dels) == 0 {
		return r
	}
	return engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		for _, d := range dels {
			if d.Name == q.Name && (d.Type == q.Type || d.Type == engine.TypeCNAME) {
				return engine.Answer{RCode: engine.RCodeNameError}, nil
			}
		}
		return r.Resolve(ctx, q)
	})
}

// withRecords returns r with recs published: each name that recs give
// records for answers exactly those (its other records, and any alias,
// replaced), and an SRV target in recs without an address gets the
// server's documentation address 192.0.2.99.
func withRecords(ctx context.Context, r engine.Resolver, recs []engine.Record) engine.Resolver {
	names := map[string][]engine.Record{}
	for _, rec := range recs {
		names[rec.Name] = append(names[rec.Name], rec)
	}
	answer := func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		if own, ok := names[q.Name]; ok {
			var a engine.Answer
			for _, rec := range own {
				if rec.Type == q.Type {
					a.Records = append(a.Records, rec)
				}
			}
			return a, nil
		}
		return r.Resolve(ctx, q)
	}
	for _, rec := range recs {
		if rec.Type != engine.TypeSRV {
			continue
		}
		if _, ok := names[rec.Target]; ok {
			continue
		}
		a, err := answer(ctx, engine.Question{Name: rec.Target, Type: engine.TypeA})
		if err == nil && slices.ContainsFunc(a.Records, func(x engine.Record) bool { return x.Type == engine.TypeA && x.Name == rec.Target }) {
			continue
		}
		names[rec.Target] = []engine.Record{{Name: rec.Target, Type: engine.TypeA, TTL: 3600, Addr: netip.MustParseAddr("192.0.2.99")}}
	}
	return engine.ResolverFunc(answer)
}

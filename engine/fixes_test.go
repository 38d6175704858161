package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/testwalk"
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
	engine.KindTooManyRecords:      "publish fewer records: which ones is the administrator's choice",
	engine.KindManualConfiguration: "nothing to fix",
	engine.KindManualUnresolvable:  "publish the manual server's address, or correct the setting",
	engine.KindAutodiscoverFound:   "nothing to fix in DNS",
	engine.KindAutodiscoverMissing: "publish the autodiscover name for the web services: their address is the administrator's",
	engine.KindStrictReading:       "nothing to fix with the default settings; a strict policy is the administrator's",
	engine.KindSRVRandomOrder:      "nothing to fix: several working servers",
}

// sometimesWords are kinds whose fix gives records in some cases and is
// words in others.
var sometimesWords = map[engine.Kind]string{
	engine.KindSRVNotOffered: "a TCP record that says \".\" needs no fix: clients use TLS",
	// A manual server's address is corrected in the setting or in its
	// record; the others' fixes publish the server's address.
	engine.KindAddressUnspecified: "a manual server's address",
	engine.KindAddressThisNetwork: "a manual server's address",
	engine.KindAddressBroadcast:   "a manual server's address",
	engine.KindAddressReserved:    "a manual server's address",
	engine.KindAddressMulticast:   "a manual server's address",
	engine.KindAddressLoopback:    "a manual server's address",
	engine.KindAddressLinkLocal:   "a manual server's address",
	engine.KindAddressNotGlobal:   "a manual server's or an autodiscover name's address",
}

// TestFixesFix is the promise that advice is right, proven one finding at
// a time: for every discovery finding that every scenario and demo zone
// raises under every profile and policy, the records of its fix
// (Finding.Records, which its text shows: checkFixText) are applied to
// the zone as the records say (applyFixes; an address the administrator
// supplies is a documentation address of the record's role), discovery
// runs again, and the finding must be gone (one fewer of its kind and
// subject) with no new error, no new warning unless the outcome got
// better, and no worse outcome. Fixes that are words only are the kinds
// in wordsOnly. TestFixesLeadToTheirServer applies every fix at once and
// checks where the client then signs in.
func TestFixesFix(t *testing.T) {
	testwalk.SkipInWASM(t)
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
			checkFixText(t, c.name, f)
			_, listed := wordsOnly[f.Kind]
			_, mixed := sometimesWords[f.Kind]
			switch {
			case len(f.Records) == 0 && (listed || mixed):
				words[f.Kind]++
				continue
			case len(f.Records) == 0:
				t.Errorf("%s: %s fix has no record and %s is not listed as words-only: %q", c.name, f.Kind, f.Kind, f.Fix)
				continue
			case listed:
				t.Errorf("%s: %s is listed as words-only but its fix gives records: %q", c.name, f.Kind, f.Fix)
				continue
			}
			checked++
			covered[f.Kind]++
			cfg := c.cfg
			cfg.Resolver = applyFixes(c.cfg.Resolver, f.Records, fillFor(c.cfg.Resolver))
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

package engine_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
)

// srvInFix matches an SRV record in a fix: its name's service and port.
var srvInFix = regexp.MustCompile(`(_sipinternaltls\._tcp|_sipinternal\._tcp|_sip\._tls|_sip\._tcp)\.[A-Za-z0-9.-]+\. \d+ IN SRV \d+ \d+ (\d+) `)

// TestAdviceRules checks, over every scenario and demo zone under every
// profile and policy, the rules issue 16 found broken in the advice
// discovery gives (items 1, 3 and 8).
func TestAdviceRules(t *testing.T) {
	wantPort := map[string]string{"_sipinternaltls._tcp": "5061", "_sipinternal._tcp": "5060", "_sip._tls": "443", "_sip._tcp": "5060"}
	for _, c := range fixCases(t) {
		rep, err := engine.Discover(context.Background(), c.uri, c.cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, r := range reports(rep) {
			for _, f := range r.Findings {
				bad := func(why string) {
					t.Errorf("%s: %s %s: %s\n  message: %s\n  fix: %s", c.name, f.Kind, f.Subject, why, f.Message, f.Fix)
				}
				// Item 1: each SRV name's own port in example records.
				for _, m := range srvInFix.FindAllStringSubmatch(f.Fix, -1) {
					if m[2] != wantPort[m[1]] {
						bad("example " + m[1] + " record on port " + m[2] + "; want " + wantPort[m[1]])
					}
				}
				// Item 3: never advise deleting SRV records to get the
				// host-record fallback.
				if strings.Contains(f.Fix, "delete them") || strings.Contains(f.Fix, "host-record fallback apply") {
					bad("advises deleting SRV records")
				}
				switch f.Kind {
				case engine.KindIndeterminate:
					// Item 8: the subject is the name, not the error text.
					if strings.ContainsAny(f.Subject, " ()") {
						bad("the subject carries the error text")
					}
					if strings.Contains(f.Message, "CNAME loop") && strings.Contains(f.Fix, "DNSSEC") {
						bad("DNSSEC suggested for a CNAME loop")
					}
				case engine.KindCertificateName:
					if r.Target != nil && r.Target.Transport == engine.TCP {
						bad("a certificate asked of a TCP target")
					}
					if strings.Contains(f.Fix, "commonly needs") {
						bad("sip.<domain> on the certificate stated as a general need")
					}
				case engine.KindAutodiscoverMissing:
					internal := strings.HasPrefix(f.Subject, "lyncdiscoverinternal.")
					if internal && !strings.Contains(f.Fix, "internal DNS only") || !internal && !strings.Contains(f.Fix, "external (public) DNS only") {
						bad("the autodiscover name's view is not said")
					}
				case engine.KindTrustPrompt:
					if lookAlike(f.Subject, r.Domain) && !strings.HasPrefix(f.Fix, "Do not trust") {
						bad("advises trusting a look-alike of the sign-in domain")
					}
					if !lookAlike(f.Subject, r.Domain) && !strings.Contains(f.Fix, "replaces its default list") {
						bad("does not say that TrustModelData replaces its default list")
					}
				case engine.KindNoExternalSRV, engine.KindNoInternalSRV:
					if !strings.Contains(f.Message, "the DNS this check asked") {
						bad("asserted without saying which DNS was asked")
					}
				}
				if !r.Policy.AllowTCP && asksTCP(r.Profile) && strings.Contains(strings.ToLower(f.Message), "no srv record exists") {
					bad(`"no SRV record exists" although _sipinternal._tcp was not asked`)
				}
			}
		}
	}
}

// reports returns rep and the discovery it carries for comparison.
func reports(rep *engine.Report) []*engine.Report {
	out := []*engine.Report{rep}
	if rep.Discovery != nil {
		out = append(out, rep.Discovery)
	}
	return out
}

// lookAlike reports whether host imitates domain without being under it.
func lookAlike(host, domain string) bool {
	if host == domain || strings.HasSuffix(host, "."+domain) {
		return false
	}
	return strings.HasPrefix(host, domain+".") || strings.Contains(host, "."+domain+".") || strings.HasSuffix(host, domain)
}

// jargon are words a help desk cannot act on without the glossary; the
// first sentence of a kind's meaning must do without them.
var jargon = []string{"NODATA", "NXDOMAIN", "SERVFAIL", "REFUSED", "label boundary", "namespace", "RFC ", "[MS-", "TrustModelData", "CNAME"}

// TestKindDocsOpenPlainly: each discovery kind's meaning opens with one
// plain sentence (issue 16 item 10); the expert detail follows.
func TestKindDocsOpenPlainly(t *testing.T) {
	for _, d := range engine.KindDocs() {
		if d.Kind == engine.KindNotSent {
			break // the discovery kinds come first
		}
		first, _, _ := strings.Cut(d.Meaning, ". ")
		for _, j := range jargon {
			if strings.Contains(first, j) {
				t.Errorf("%s: the first sentence %q uses %q", d.Kind, first, j)
			}
		}
		if n := len(strings.Fields(first)); n > 40 {
			t.Errorf("%s: the first sentence has %d words: %q", d.Kind, n, first)
		}
	}
}

// asksTCP reports whether the profile named name asks a TCP SRV name when
// TCP is allowed (skype-2016 asks none: "Advanced Edge Server DNS planning
// for Skype for Business Server").
func asksTCP(name string) bool {
	p, err := engine.LookupProfile(name)
	if err != nil {
		return true
	}
	for _, l := range p.SRV {
		if l.NeedsTCP {
			return true
		}
	}
	return false
}

package templates

import (
	"context"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// discoverZone runs profile's discovery of bob@domain against the zone
// text, in view v, with the profile's default policy.
func discoverZone(t *testing.T, domain, text string, profile *engine.Profile, v engine.View) *engine.Report {
	t.Helper()
	set, err := zone.Parse(domain, text, domain+".zone")
	if err != nil {
		t.Fatalf("zone for %s: %v", domain, err)
	}
	u, err := engine.ParseURI("bob@" + domain)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := engine.Discover(context.Background(), u, engine.Config{Resolver: set, Profile: profile.Name,
		Policy: profile.DefaultPolicy(), View: v, Rand: func(int) int { return 0 }})
	if err != nil {
		t.Fatalf("Discover(%s, %s): %v", u, profile.Name, err)
	}
	return rep
}

const headZone = `$TTL 3600
@ SOA ns1 hostmaster 1 3600 600 86400 300
@ NS ns1
ns1 A 192.0.2.53
_sipinternaltls._tcp SRV 0 0 5061 pool01
`

// TestFailHeadlineFollowsPersistence: a FAIL headline says what the
// client did after an SRV record that does not work, and what it tells
// the administrator is tested by doing it. The zone has an SRV record
// whose target has no address and no host record. For a client that
// stops at the SRV records (Persistence StopAtSRV) the headline says
// host records will not help, and publishing sipinternal.D leaves the
// client failing; for one that continues until one works it names the
// host records it tried, and publishing the first of them makes it
// connect there. Every profile is checked.
func TestFailHeadlineFollowsPersistence(t *testing.T) {
	const d = "contoso.com"
	for _, p := range engine.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			rep := discoverZone(t, d, headZone, p, engine.ViewUnknown)
			if rep.Outcome != engine.OutcomeFail {
				t.Fatalf("outcome %s; want fail", rep.Outcome)
			}
			_, _, text := headline(rep)
			first := p.Fallback[0].Prefix + "." + d
			after := discoverZone(t, d, headZone+first+". A 192.0.2.10\n", p, engine.ViewUnknown)
			switch p.Persistence {
			case engine.StopAtSRV:
				if !strings.Contains(text, "will not help") {
					t.Errorf("headline text %q; want it to say host records will not help", text)
				}
				if after.Outcome != engine.OutcomeFail {
					t.Errorf("with %s published: %s; the headline says host records will not help", first, after.Outcome)
				}
			case engine.ContinueUntilOneWorks:
				if strings.Contains(text, "will not help") || strings.Contains(text, "does not fall back") {
					t.Errorf("headline text %q says the client does not try host records; %s does", text, p.Name)
				}
				for _, f := range p.Fallback {
					if !strings.Contains(text, f.Prefix+"."+d) {
						t.Errorf("headline text %q does not name the host record %s.%s", text, f.Prefix, d)
					}
				}
				if after.Outcome != engine.OutcomeConnect || after.Target.Host != first {
					t.Errorf("with %s published: %s %+v; the headline says publishing a host record fixes it", first, after.Outcome, after.Target)
				}
			default:
				t.Fatalf("persistence %q not covered", p.Persistence)
			}
			var flow []string
			for _, n := range NewFlow(rep).Nodes {
				flow = append(flow, n.Label)
			}
			if got := strings.Contains(strings.Join(flow, "|"), "No fallback"); got != (p.Persistence == engine.StopAtSRV) {
				t.Errorf("flow %v: \"No fallback\" shown %v; want %v", flow, got, !got)
			}
		})
	}
}

// TestConnectHeadlineReachable: a headline never says the client signs
// in to a target it cannot reach (ADR 0017): a target whose only address
// is loopback, for every profile in every view, and in the outside view a
// pool whose only address is private, published in the public zone
// beside the Access Edge. The client signs in through the Access Edge.
func TestConnectHeadlineReachable(t *testing.T) {
	const d = "contoso.com"
	zoneText := headZone + `_sip._tls SRV 0 0 443 sip
sip A 203.0.113.10
`
	cases := []struct {
		name, pool string
		views      []engine.View
	}{
		{"loopback", "127.0.0.1", []engine.View{engine.ViewUnknown, engine.ViewInside, engine.ViewOutside}},
		{"private outside", "10.0.0.10", []engine.View{engine.ViewOutside}},
	}
	for _, c := range cases {
		for _, v := range c.views {
			for _, p := range engine.Profiles() {
				rep := discoverZone(t, d, zoneText+"pool01 A "+c.pool+"\n", p, v)
				_, head, _ := headline(rep)
				if want := "The client signs in to sip.contoso.com:443 over TLS"; head != want {
					t.Errorf("%s, view %q, %s: headline %q; want %q", c.name, v, p.Name, head, want)
				}
			}
		}
	}
	// Inside, a private address is the pool's own: the client signs in.
	for _, p := range engine.Profiles() {
		rep := discoverZone(t, d, zoneText+"pool01 A 10.0.0.10\n", p, engine.ViewInside)
		if _, head, _ := headline(rep); head != "The client signs in to pool01.contoso.com:5061 over TLS" {
			t.Errorf("inside, %s: headline %q; want the pool", p.Name, head)
		}
	}
}

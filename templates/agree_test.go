package templates

import (
	"context"
	"fmt"
	"slices"
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
			_, _, text := headline(rep, false)
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
// in to a target it cannot reach (ADR 0017). In the outside view a pool
// whose only address is private, published in the public zone beside the
// Access Edge, is passed over: the client signs in through the Access
// Edge. A target whose only address is loopback is where the client
// connects, in every view, and the headline says that is its own
// computer, not a server.
func TestConnectHeadlineReachable(t *testing.T) {
	const d = "contoso.com"
	zoneText := headZone + `_sip._tls SRV 0 0 443 sip
sip A 203.0.113.10
`
	for _, p := range engine.Profiles() {
		rep := discoverZone(t, d, zoneText+"pool01 A 10.0.0.10\n", p, engine.ViewOutside)
		if _, head, _ := headline(rep, false); head != "The client signs in to sip.contoso.com:443 over TLS" {
			t.Errorf("private outside, %s: headline %q; want the Access Edge", p.Name, head)
		}
		for _, v := range []engine.View{engine.ViewUnknown, engine.ViewInside, engine.ViewOutside} {
			rep := discoverZone(t, d, zoneText+"pool01 A 127.0.0.1\n", p, v)
			label, head, _ := headline(rep, false)
			if label != "Connects to its own computer" || strings.Contains(head, "signs in") || !strings.Contains(head, "pool01.contoso.com resolves only to a loopback address (127.0.0.1)") {
				t.Errorf("loopback, view %q, %s: %s: %q; want its own computer named", v, p.Name, label, head)
			}
		}
	}
	// Inside, a private address is the pool's own: the client signs in.
	for _, p := range engine.Profiles() {
		rep := discoverZone(t, d, zoneText+"pool01 A 10.0.0.10\n", p, engine.ViewInside)
		if _, head, _ := headline(rep, false); head != "The client signs in to pool01.contoso.com:5061 over TLS" {
			t.Errorf("inside, %s: headline %q; want the pool", p.Name, head)
		}
	}
}

// docZones splits a docs page's example records into its internal and
// external zones, each with the SOA and NS records a zone needs.
func docZones(t *testing.T, records []string) map[engine.View]string {
	t.Helper()
	zones := map[engine.View]string{}
	var v engine.View
	for _, r := range records {
		switch {
		case strings.HasPrefix(r, "; internal DNS"):
			v = engine.ViewInside
		case strings.HasPrefix(r, "; external DNS"):
			v = engine.ViewOutside
		case strings.HasPrefix(r, ";"):
		case v == engine.ViewUnknown:
			t.Fatalf("record %q before the first view comment", r)
		default:
			if zones[v] == "" {
				zones[v] = "$TTL 3600\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.53\n"
			}
			zones[v] += r + "\n"
		}
	}
	return zones
}

// TestDocsRecordsPassCheck: every docs page's example records, loaded as
// the internal and the external zone, give the clients the page describes
// what the page promises: inside, the pool over TLS on 5061 through
// _sipinternaltls._tcp; outside, the Access Edge on 443 through _sip._tls;
// and no error finding in either view, for every profile.
func TestDocsRecordsPassCheck(t *testing.T) {
	const d = ExampleDomain
	want := map[engine.View]string{
		engine.ViewInside:  "pool01." + d + ":5061 TLS from _sipinternaltls._tcp." + d,
		engine.ViewOutside: "sip." + d + ":443 TLS from _sip._tls." + d,
	}
	for _, p := range engine.Profiles() {
		doc := NewProfileDoc(Site{Base: "/"}, p)
		zones := docZones(t, doc.Records)
		if len(zones) != 2 {
			t.Fatalf("%s: the example records have %d views; want internal and external", p.Name, len(zones))
		}
		for v, text := range zones {
			rep := discoverZone(t, d, text, p, v)
			got := string(rep.Outcome)
			if rep.Target != nil {
				got = rep.Target.Endpoint() + " from " + rep.Target.Source
			}
			if got != want[v] {
				t.Errorf("%s, %s view of the docs page's records: %s; want %s", p.Name, v, got, want[v])
			}
			for _, f := range rep.Findings {
				if f.Severity == engine.SeverityError {
					t.Errorf("%s, %s view: error finding %s (%s): %s", p.Name, v, f.Kind, f.Subject, f.Message)
				}
			}
		}
	}
}

// TestDocsListsAgreeWithEngine: what a docs page says the client tries is
// what engine.Discover's candidate list holds, for every profile. With no
// SRV record at all, the host records the page lists (names, TLS ports in
// order, TCP or not) are the engine's fallback candidates, in order; with
// every SRV name published, each naming its own host, the order the page
// says the targets are tried in is the order of the engine's SRV
// candidates.
func TestDocsListsAgreeWithEngine(t *testing.T) {
	const d = ExampleDomain
	for _, p := range engine.Profiles() {
		doc := NewProfileDoc(Site{Base: "/"}, p)

		rep := discoverZone(t, d, headZone[:strings.Index(headZone, "_sip")], p, engine.ViewUnknown)
		type host struct {
			name string
			tls  []string
			tcp  bool
		}
		var hosts []*host
		for _, c := range rep.Candidates {
			if c.Source != engine.SourceFallback {
				t.Fatalf("%s: candidate %+v with no SRV record published", p.Name, c)
			}
			if len(hosts) == 0 || hosts[len(hosts)-1].name != c.Host {
				hosts = append(hosts, &host{name: c.Host})
			}
			h := hosts[len(hosts)-1]
			if c.Transport == engine.TLS {
				h.tls = append(h.tls, port(c.Port))
			} else {
				h.tcp = true
			}
		}
		var got []string
		for _, h := range hosts {
			tcp := ", TLS only"
			if h.tcp {
				tcp = ", TCP 5060 when allowed"
			}
			got = append(got, h.name+" (TLS "+strings.Join(h.tls, ", then ")+tcp+")")
		}
		if strings.Join(got, "; ") != strings.Join(doc.Fallback, "; ") {
			t.Errorf("%s: the engine tries the host records\n\t%s\nthe docs page lists\n\t%s", p.Name, strings.Join(got, "; "), strings.Join(doc.Fallback, "; "))
		}

		zoneText := headZone[:strings.Index(headZone, "_sip")]
		for i, s := range p.SRV {
			zoneText += fmt.Sprintf("%s SRV 0 0 %d srv%d\nsrv%d A 192.0.2.%d\n", s.Service, s.Port, i, i, 10+i)
		}
		rep = discoverZone(t, d, zoneText, p, engine.ViewUnknown)
		var order []string
		for _, c := range rep.Candidates {
			if c.Source != engine.SourceFallback && !slices.Contains(order, c.Source) {
				order = append(order, c.Source)
			}
		}
		var step string
		for _, s := range doc.Steps {
			if strings.HasPrefix(s, "Tries the targets in this order: ") {
				step = s
			}
		}
		if want := "Tries the targets in this order: " + strings.Join(order, ", then ") + ";"; !strings.HasPrefix(step, want) {
			t.Errorf("%s: the engine tries the SRV names in the order %v; the docs page says %q", p.Name, order, step)
		}
	}
}

// TestAutodiscoverHeadlineReachable: the prediction "likely signs in
// through the Autodiscover web service" is made only for a web service
// the client can reach (ADR 0017): not from outside at a private address
// (inside, a private address is the web services' own); at a loopback
// address the headline says the client connects to its own computer.
func TestAutodiscoverHeadlineReachable(t *testing.T) {
	const d = "contoso.com"
	base := headZone[:strings.Index(headZone, "_sip")]
	cases := []struct {
		record string
		view   engine.View
		likely bool
	}{
		{"lyncdiscoverinternal A 10.0.0.12", engine.ViewOutside, false},
		{"lyncdiscoverinternal A 10.0.0.12", engine.ViewInside, true},

		{"lyncdiscover A 203.0.113.12", engine.ViewOutside, true},
		{"lyncdiscover A 127.0.0.1", engine.ViewOutside, false},
	}
	n := 0
	for _, p := range engine.Profiles() {
		if len(p.Autodiscover) == 0 {
			continue
		}
		for _, c := range cases {
			rep := discoverZone(t, d, base+c.record+"\n", p, c.view)
			label, head, _ := headline(rep, false)
			if got := label == "Likely connects"; got != c.likely {
				t.Errorf("%s, %q in the %s view: %s, %q; want likely connects %v", p.Name, c.record, c.view, label, head, c.likely)
			}
			if strings.Contains(c.record, "127.0.0.1") && !strings.Contains(head, "its own computer") {
				t.Errorf("%s, %q: headline %q; want it to say the client connects to its own computer", p.Name, c.record, head)
			}
			for _, f := range rep.Findings {
				if strings.Contains(f.Message, "not private") && strings.Contains(c.record, "10.0.0.") {
					t.Errorf("%s, %q: finding %s says the address is not private: %s", p.Name, c.record, f.Kind, f.Message)
				}
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no profile asks the autodiscover names")
	}
}

// TestDocsMisunderstoodRule: the docs index's "rule most often
// misunderstood" names as clients that stop at the SRV records exactly
// those for which, in engine.Discover, publishing sipinternal.D next to
// an SRV record whose target has no address leaves sign-in failing, and
// as clients that keep going exactly those that then connect.
func TestDocsMisunderstoodRule(t *testing.T) {
	const d = "contoso.com"
	var stop, cont []string
	for _, p := range engine.Profiles() {
		rep := discoverZone(t, d, headZone+"sipinternal A 192.0.2.10\n", p, engine.ViewUnknown)
		switch {
		case rep.Outcome == engine.OutcomeFail:
			stop = append(stop, p.Title)
		case rep.Outcome == engine.OutcomeConnect && rep.Target.Host == "sipinternal."+d:
			cont = append(cont, p.Title)
		default:
			t.Errorf("%s: %s %+v; want fail or sipinternal", p.Name, rep.Outcome, rep.Target)
		}
	}
	v := NewDocsIndex(Site{Base: "/"})
	if v.StopClients != andList(stop) || v.ContinueClients != andList(cont) {
		t.Errorf("the docs index says %q stop and %q keep going; the engine: %q stop and %q keep going", v.StopClients, v.ContinueClients, andList(stop), andList(cont))
	}
}

package upstream

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// TestDiscoveryPasses runs every demo scenario with every profile and
// policy through the Filter and without it: the reports must be the same,
// so every question discovery asks passes.
func TestDiscoveryPasses(t *testing.T) {
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range demo.Scenarios() {
		for _, p := range engine.Profiles() {
			for _, pol := range []engine.Policy{{AllowTCP: true}, {StrictNaming: true}} {
				u, err := engine.ParseURI(sc.Try)
				if err != nil {
					t.Fatal(err)
				}
				cfg := engine.Config{Profile: p.Name, Policy: pol, Resolver: set}
				want, err := engine.Discover(context.Background(), u, cfg)
				if err != nil {
					t.Fatal(err)
				}
				// One check, as the page asks it: bound to the domain.
				cfg.Resolver = New(set, Options{})
				got, err := engine.Discover(WithCheck(context.Background(), "c1"), u, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(got, want); diff != "" {
					t.Errorf("%s, %s, %+v: through the filter (-got +want):\n%s", sc.Try, p.Name, pol, diff)
				}
			}
		}
	}
}

// TestDomainReportPasses runs the domain report of every demo domain
// through the Filter and without it: the reports must be the same, so
// every question the report asks passes, and the filter was asked exactly
// the report's questions.
func TestDomainReportPasses(t *testing.T) {
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range demo.Scenarios() {
		for _, view := range []engine.View{engine.ViewUnknown, engine.ViewInside, engine.ViewOutside} {
			cfg := engine.Config{Resolver: set, View: view}
			want, err := domainreport.Check(context.Background(), sc.Domain, cfg)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Resolver = New(set, Options{})
			got, err := domainreport.Check(WithCheck(context.Background(), "c1"), sc.Domain, cfg)
			if err != nil {
				t.Fatal(err)
			}
			// A step's time is the clock's; there is none here, so the
			// steps compare whole.
			if diff := cmp.Diff(got, want); diff != "" {
				t.Errorf("%s, %s view: through the filter (-got +want):\n%s", sc.Domain, view, diff)
			}
		}
	}
}

// recorder is a resolver that answers every question with NXDOMAIN, or
// the SRV records of srv, and records what it was asked.
type recorder struct {
	mu    sync.Mutex
	asked []engine.Question
	srv   []engine.Record
}

func (r *recorder) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, q)
	if q.Type == engine.TypeSRV && len(r.srv) > 0 {
		return engine.Answer{Records: r.srv}, nil
	}
	return engine.Answer{RCode: engine.RCodeNameError}, nil
}

func TestRefused(t *testing.T) {
	tests := []struct {
		q    engine.Question
		pass bool
	}{
		{engine.Question{Name: "_sipinternaltls._tcp.contoso.com", Type: engine.TypeSRV}, true},
		{engine.Question{Name: "_SIP._TLS.Contoso.COM.", Type: engine.TypeSRV}, true},
		{engine.Question{Name: "_sipinternal._tcp.eu.contoso.com", Type: engine.TypeSRV}, true},
		{engine.Question{Name: "sipinternal.contoso.com", Type: engine.TypeA}, true},
		{engine.Question{Name: "sip.contoso.com", Type: engine.TypeAAAA}, true},
		{engine.Question{Name: "lyncdiscoverinternal.contoso.com", Type: engine.TypeCNAME}, true},
		{engine.Question{Name: "lyncdiscover.contoso.com", Type: engine.TypeA}, true},
		{engine.Question{Name: "sipexternal.contoso.com", Type: engine.TypeA}, true},
		{engine.Question{Name: "_sip._tls", Type: engine.TypeSRV}, false},
		{engine.Question{Name: "sipinternal", Type: engine.TypeA}, false},
		{engine.Question{Name: "_ldap._tcp.contoso.com", Type: engine.TypeSRV}, false},
		{engine.Question{Name: "_sip._tcp.contoso.com", Type: engine.TypeSRV}, true}, // Communicator 2007 asks it (cc816291)
		// The domain report's names (domainreport.Asked).
		{engine.Question{Name: "_sipfederationtls._tcp.contoso.com", Type: engine.TypeSRV}, true},
		{engine.Question{Name: "_xmpp-server._tcp.contoso.com", Type: engine.TypeSRV}, true},
		{engine.Question{Name: "meet.contoso.com", Type: engine.TypeA}, true},
		{engine.Question{Name: "dialin.contoso.com", Type: engine.TypeA}, true},
		{engine.Question{Name: "webconf.contoso.com", Type: engine.TypeA}, true},
		{engine.Question{Name: "av.contoso.com", Type: engine.TypeCNAME}, true},
		{engine.Question{Name: "_sipfederationtls._tcp", Type: engine.TypeSRV}, false},
		{engine.Question{Name: "_sipfederationtls._tcp.contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "_xmpp-client._tcp.contoso.com", Type: engine.TypeSRV}, false},
		{engine.Question{Name: "meet.contoso.com", Type: engine.TypeTXT}, false},
		{engine.Question{Name: "meet", Type: engine.TypeA}, false},
		{engine.Question{Name: "x.meet.contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "_sip._tls.contoso.com", Type: engine.TypeTXT}, false},
		{engine.Question{Name: "sip.contoso.com", Type: engine.TypeTXT}, false},
		{engine.Question{Name: "sip.contoso.com", Type: engine.Type(15)}, false},
		{engine.Question{Name: "www.contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "intranet.corp.contoso.com", Type: engine.TypeAAAA}, false},
		{engine.Question{Name: "contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "sipinternalx.contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "x.sipinternal.contoso.com", Type: engine.TypeA}, false},
		// The wildcard probe: A only, the exact form discovery draws.
		{engine.Question{Name: "sipdisco-probe-k3x9q2m7ab.contoso.com", Type: engine.TypeA}, true},
		{engine.Question{Name: "SIPDISCO-PROBE-K3X9Q2M7AB.contoso.com.", Type: engine.TypeA}, true},
		{engine.Question{Name: "sipdisco-probe-k3x9q2m7ab.contoso.com", Type: engine.TypeAAAA}, false},
		{engine.Question{Name: "sipdisco-probe-k3x9q2m7ab.contoso.com", Type: engine.TypeCNAME}, false},
		{engine.Question{Name: "sipdisco-probe-k3x9q2m7ab.contoso.com", Type: engine.TypeTXT}, false},
		{engine.Question{Name: "sipdisco-probe-k3x9q2m7a.contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "sipdisco-probe-k3x9q2m7abc.contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "sipdisco-probe-k3x9q2m7a_.contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "sipdisco-probe-anything-else.contoso.com", Type: engine.TypeA}, false},
		{engine.Question{Name: "sipdisco-probe-k3x9q2m7ab", Type: engine.TypeA}, false},
		{engine.Question{Name: "www.sipdisco-probe-k3x9q2m7ab.contoso.com", Type: engine.TypeA}, false},
	}
	for _, tt := range tests {
		next := new(recorder)
		f := New(next, Options{})
		_, err := f.Resolve(context.Background(), tt.q)
		var ee interface{ EDE() (uint16, string) } // wire.ExtendedError
		var re *RefusedError
		switch {
		case tt.pass && (err != nil || len(next.asked) != 1):
			t.Errorf("Resolve(%v) = %v, asked %v; want it passed on", tt.q, err, next.asked)
		case tt.pass:
		case !errors.As(err, &ee) || !errors.As(err, &re) || re.RCode() != engine.RCodeRefused || len(next.asked) != 0:
			t.Errorf("Resolve(%v) = %v, asked %v; want a RefusedError and nothing passed on", tt.q, err, next.asked)
		default:
			if code, text := ee.EDE(); code != wire.EDEProhibited || !strings.HasPrefix(text, "sipdisco answers only the questions sign-in discovery and the domain report ask; ") {
				t.Errorf("Resolve(%v): EDE %d %q", tt.q, code, text)
			}
		}
	}
}

// TestTargets: an SRV target becomes askable only for the check whose SRV
// answer named it, about the domain that check asks about, for TargetTTL
// (issue 26, class 6); the checks and targets remembered are bounded.
func TestTargets(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	next := &recorder{srv: []engine.Record{
		{Name: "_sip._tls.contoso.com", Type: engine.TypeSRV, Port: 443, Target: "edge.contoso.net"},
		{Name: "_sip._tls.contoso.com", Type: engine.TypeSRV, Port: 443, Target: "."},
	}}
	f := New(next, Options{Now: func() time.Time { return now }, TargetTTL: time.Minute})
	bg := context.Background()
	one, other := WithCheck(bg, "one"), WithCheck(bg, "other")
	srv := engine.Question{Name: "_sip._tls.contoso.com", Type: engine.TypeSRV}
	edge := engine.Question{Name: "edge.contoso.net", Type: engine.TypeA}
	if _, err := f.Resolve(one, edge); err == nil {
		t.Fatalf("A %s passed before any SRV answer named it", edge.Name)
	}
	if _, err := f.Resolve(one, srv); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Resolve(one, edge); err != nil {
		t.Errorf("A %s after the check's SRV answer named it: %v", edge.Name, err)
	}
	if _, err := f.Resolve(one, engine.Question{Name: "EDGE.contoso.net.", Type: engine.TypeAAAA}); err != nil {
		t.Errorf("AAAA EDGE.contoso.net.: %v", err)
	}
	for _, ctx := range []context.Context{bg, other} {
		if _, err := f.Resolve(ctx, edge); err == nil {
			t.Errorf("A %s passed for check %q; only check \"one\" was answered it", edge.Name, CheckID(ctx))
		}
	}
	if f.Check("one", engine.Question{Name: ".", Type: engine.TypeA}) == "" {
		t.Error(`the SRV target "." became askable`)
	}
	// One check, one domain: check "one" asks about contoso.com.
	next.srv = []engine.Record{{Name: "_sip._tls.attacker.example", Type: engine.TypeSRV, Target: "secret.corp.contoso.com"}}
	if _, err := f.Resolve(one, engine.Question{Name: "_sip._tls.attacker.example", Type: engine.TypeSRV}); err != nil {
		t.Fatal(err)
	}
	if why := f.Check("one", engine.Question{Name: "secret.corp.contoso.com", Type: engine.TypeA}); why == "" {
		t.Error("a target of another domain's SRV answer became askable for check one")
	}
	now = now.Add(time.Minute)
	if _, err := f.Resolve(one, edge); err == nil {
		t.Errorf("A %s passed after TargetTTL", edge.Name)
	}

	// A check's targets: at most MaxCheckTargets.
	next.srv = nil
	for i := range MaxCheckTargets + 5 {
		next.srv = append(next.srv, engine.Record{Name: srv.Name, Type: engine.TypeSRV, Target: fmt.Sprintf("t%d.contoso.net", i)})
	}
	many := WithCheck(bg, "many")
	f.Resolve(many, srv)
	for i := range MaxCheckTargets + 5 {
		q := engine.Question{Name: fmt.Sprintf("t%d.contoso.net", i), Type: engine.TypeA}
		if got, want := f.Check("many", q) == "", i < MaxCheckTargets; got != want {
			t.Errorf("after an answer of %d targets: %s passes = %v; want %v", MaxCheckTargets+5, q.Name, got, want)
		}
	}

	// MaxTargets over all checks: the check that expires first is
	// forgotten; MaxChecks likewise.
	f = New(next, Options{Now: func() time.Time { return now }, MaxTargets: 2, MaxChecks: 3})
	for i := range 3 {
		now = now.Add(time.Second)
		next.srv = []engine.Record{{Name: srv.Name, Type: engine.TypeSRV, Target: fmt.Sprintf("t%d.contoso.net", i)}}
		f.Resolve(WithCheck(bg, fmt.Sprint(i)), srv)
	}
	for i, want := range []bool{false, true, true} {
		q := engine.Question{Name: fmt.Sprintf("t%d.contoso.net", i), Type: engine.TypeA}
		if got := f.Check(fmt.Sprint(i), q) == ""; got != want {
			t.Errorf("after 3 checks of a target with MaxTargets 2: %s passes = %v; want %v", q.Name, got, want)
		}
	}
	for i := range 10 {
		f.Resolve(WithCheck(bg, fmt.Sprint("x", i)), engine.Question{Name: "sip.contoso.com", Type: engine.TypeA})
	}
	if n, targets := len(f.checks), f.targets; n > 3 || targets > 2 {
		t.Errorf("%d checks and %d targets remembered; want at most 3 and 2", n, targets)
	}
}

// TestValidCheckID: an ID is short and of URL-safe characters.
func TestValidCheckID(t *testing.T) {
	for id, want := range map[string]bool{
		"k3x9q2m7ab": true, "A-b_9": true, "": false, "a b": false, "a.b": false, "é": false,
		strings.Repeat("a", MaxCheckID): true, strings.Repeat("a", MaxCheckID+1): false,
	} {
		if got := ValidCheckID(id); got != want {
			t.Errorf("ValidCheckID(%q) = %v; want %v", id, got, want)
		}
	}
}

func TestOptions(t *testing.T) {
	f := New(new(recorder), Options{Labels: []string{"probe-*", "Webext"}, Names: []string{"Pool01.Contoso.com."}})
	for _, tt := range []struct {
		name string
		pass bool
	}{
		{"probe-8f3a2c.contoso.com", true},
		{"probe.contoso.com", false},
		{"webext.contoso.com", true},
		{"pool01.contoso.com", true},
		{"pool02.contoso.com", false},
	} {
		if got := f.Check("", engine.Question{Name: tt.name, Type: engine.TypeA}) == ""; got != tt.pass {
			t.Errorf("Check(%s A) passes = %v; want %v", tt.name, got, tt.pass)
		}
	}
}

// TestNXDOMAINWithAnswers: an upstream that says a name does not exist
// and gives its SRV record has its reply refused as a server failure, an
// Extended DNS Error saying why, and the record's target does not become
// askable (issue 26, class 4), whatever the resolver behind the Filter.
func TestNXDOMAINWithAnswers(t *testing.T) {
	next := engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		return engine.Answer{RCode: engine.RCodeNameError, Records: []engine.Record{
			{Name: q.Name, Type: engine.TypeSRV, Port: 5061, Target: "secret.corp.contoso.com"}}}, nil
	})
	f := New(next, Options{})
	a, err := f.Resolve(context.Background(), engine.Question{Name: "_sipinternaltls._tcp.contoso.com", Type: engine.TypeSRV})
	var ee wire.ExtendedError
	if !errors.As(err, &ee) {
		t.Fatalf("Resolve = %v, %v; want an error with an Extended DNS Error", a, err)
	}
	if code, text := ee.EDE(); code != wire.EDENetworkError || !strings.Contains(text, "contradicts itself") {
		t.Errorf("EDE = %d %q; want %d saying the reply contradicts itself", code, text, wire.EDENetworkError)
	}
	if why := f.Check("", engine.Question{Name: "secret.corp.contoso.com", Type: engine.TypeA}); why == "" {
		t.Error("the target of an SRV record in an NXDOMAIN reply became askable")
	}
}

//go:build !js

package plain_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
	"github.com/sipdisco/sipdisco/resolve/plain"
)

// The tests in this file ask DNS servers that are not ours — unbound and
// nsd, started on loopback by package dnstest — what discovery asks, and
// check what the client makes of their real replies.

func client(t *testing.T, servers ...netip.AddrPort) *plain.Client {
	t.Helper()
	c, err := plain.New(servers...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func lookup(t *testing.T, c *plain.Client, name string, typ engine.Type) (plain.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.Lookup(ctx, engine.Question{Name: name, Type: typ})
}

func discover(t *testing.T, r engine.Resolver, addr string, limit time.Duration) *engine.Report {
	t.Helper()
	u, err := engine.ParseURI(addr)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := engine.Discover(context.Background(), u, engine.Config{Resolver: r, Policy: engine.DefaultPolicy(), Limits: engine.Limits{Timeout: limit}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestViews asks one domain's internal view (unbound) and external view
// (nsd) and gets each one's answer and verdict.
func TestViews(t *testing.T) {
	inside, outside := dnstest.StartViews(t, dnstest.ExternalView)
	in, out := client(t, inside.Addr), client(t, outside.Addr)

	r, err := lookup(t, in, "_sipinternaltls._tcp.contoso.example", engine.TypeSRV)
	if err != nil {
		t.Fatalf("internal view: %v\n%s", err, inside.Log())
	}
	if len(r.Answer.Records) != 1 || r.Answer.Records[0].Target != "pool01.contoso.example" || r.Server != inside.Addr || r.Transport != plain.UDP {
		t.Errorf("internal view: _sipinternaltls._tcp SRV = %+v; want pool01.contoso.example from %v over UDP", r, inside.Addr)
	}
	r, err = lookup(t, out, "_sipinternaltls._tcp.contoso.example", engine.TypeSRV)
	if err != nil {
		t.Fatalf("external view: %v\n%s", err, outside.Log())
	}
	if r.Answer.RCode != engine.RCodeNameError || r.Server != outside.Addr {
		t.Errorf("external view: _sipinternaltls._tcp SRV = %+v; want NXDOMAIN from %v", r, outside.Addr)
	}
	// NODATA from an authoritative server (AA set) is an answer.
	r, err = lookup(t, out, "sip.contoso.example", engine.TypeAAAA)
	if err != nil || r.Answer.RCode != engine.RCodeSuccess || len(r.Answer.Records) != 0 {
		t.Errorf("external view: sip AAAA = %+v, %v; want NODATA", r, err)
	}

	for _, tt := range []struct {
		view   string
		r      engine.Resolver
		target string
		port   uint16
	}{
		{"internal", in, "pool01.contoso.example", 5061},
		{"external", out, "sip.contoso.example", 443},
	} {
		rep := discover(t, tt.r, "bob@contoso.example", 10*time.Second)
		if rep.Outcome != engine.OutcomeConnect || rep.Target == nil || rep.Target.Host != tt.target || rep.Target.Port != tt.port {
			t.Errorf("%s view: outcome %s, target %+v; want connect to %s:%d", tt.view, rep.Outcome, rep.Target, tt.target, tt.port)
		}
	}
}

// TestTruncatedOverTCP reads a 40-record SRV set that does not fit a
// 1232-octet UDP reply: unbound truncates it, the client asks again over
// TCP and gets every record.
func TestTruncatedOverTCP(t *testing.T) {
	srv := dnstest.StartUnbound(t, dnstest.Zone{Origin: "contoso.example", Text: dnstest.InternalView})
	for _, force := range []bool{false, true} {
		c := client(t, srv.Addr)
		c.TCP = force
		r, err := lookup(t, c, "_sipinternaltls._tcp.big.contoso.example", engine.TypeSRV)
		if err != nil {
			t.Fatalf("TCP=%v: %v\n%s", force, err, srv.Log())
		}
		if len(r.Answer.Records) != 40 {
			t.Errorf("TCP=%v: %d records; want 40", force, len(r.Answer.Records))
		}
		var got []string
		for _, tr := range r.Tries {
			got = append(got, tr.Transport+" "+tr.Outcome)
		}
		want := []string{"udp sent a truncated reply (TC)", "tcp answered NOERROR"}
		if force {
			want = want[1:]
		}
		if !slices.Equal(got, want) {
			t.Errorf("TCP=%v: tries %q; want %q", force, got, want)
		}
		if got, want := r.Source(), plain.FormatServer(srv.Addr)+" over TCP"; got != want {
			t.Errorf("TCP=%v: Source() = %q; want %q", force, got, want)
		}
	}
}

// TestFailover asks a server that answers SERVFAIL (nsd with the zone
// configured but not loaded) before one that answers: the answer is the
// second's, and both are named.
func TestFailover(t *testing.T) {
	broken := dnstest.StartNSD(t, dnstest.Zone{Origin: "contoso.example"})
	good := dnstest.StartUnbound(t, dnstest.Zone{Origin: "contoso.example", Text: dnstest.InternalView})
	c := client(t, broken.Addr, good.Addr)
	r, err := lookup(t, c, "_sipinternaltls._tcp.contoso.example", engine.TypeSRV)
	if err != nil {
		t.Fatalf("%v\nnsd:\n%s", err, broken.Log())
	}
	if r.Server != good.Addr || len(r.Answer.Records) != 1 {
		t.Errorf("answer %+v from %v; want one record from %v", r.Answer, r.Server, good.Addr)
	}
	if len(r.Tries) != 2 || r.Tries[0].Server != broken.Addr || r.Tries[0].RCode != engine.RCodeServerFailure || r.Tries[1].Server != good.Addr {
		t.Errorf("tries %v; want SERVFAIL from %v, then the answer from %v", r.Tries, broken.Addr, good.Addr)
	}
	if got, want := r.Source(), plain.FormatServer(good.Addr)+", after "+plain.FormatServer(broken.Addr)+" answered SERVFAIL (EDE 14 Not Ready: Zone is configured but not loaded)"; got != want {
		t.Errorf("Source() = %q; want %q", got, want)
	}
	if !strings.Contains(r.Tries[0].Outcome, "(EDE 14 Not Ready: Zone is configured but not loaded)") {
		t.Errorf("first try's outcome %q does not carry nsd's Extended DNS Error", r.Tries[0].Outcome)
	}
	rep := discover(t, c, "bob@contoso.example", 10*time.Second)
	if rep.Outcome != engine.OutcomeConnect {
		t.Errorf("discovery through both: outcome %s; want connect", rep.Outcome)
	}

	// Every server failing is an error that names each one.
	refusing := dnstest.StartNSD(t, dnstest.Zone{Origin: "fabrikam.example", Text: dnstest.ExternalView})
	c = client(t, broken.Addr, refusing.Addr)
	_, err = lookup(t, c, "_sip._tls.contoso.example", engine.TypeSRV)
	var pe *plain.Error
	if !errors.As(err, &pe) {
		t.Fatalf("both failing: error %v; want a *plain.Error", err)
	}
	for _, want := range []string{plain.FormatServer(broken.Addr) + " answered SERVFAIL", plain.FormatServer(refusing.Addr) + " answered REFUSED"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("both failing: %q does not say %q", err, want)
		}
	}
	if rep := discover(t, c, "bob@contoso.example", 10*time.Second); rep.Outcome != engine.OutcomeIndeterminate {
		t.Errorf("discovery with both failing: outcome %s; want indeterminate", rep.Outcome)
	}
}

// TestSilentServer asks a server that never answers: the lookup fails
// within the time limit, and discovery is indeterminate within the
// engine's limit.
func TestSilentServer(t *testing.T) {
	silent := dnstest.Silent(t)
	// The tries' own limit is a minute, so that ignoring the context's
	// limit takes a minute; the slack below is for a loaded machine.
	const slack = 5 * time.Second
	for _, force := range []bool{false, true} {
		c := client(t, silent)
		c.TCP = force
		c.TryTimeout = time.Minute
		const limit = 1500 * time.Millisecond
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		start := time.Now()
		_, err := c.Lookup(ctx, engine.Question{Name: "_sip._tls.contoso.example", Type: engine.TypeSRV})
		took := time.Since(start)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "no reply") {
			t.Errorf("TCP=%v: error %v; want one saying no reply came", force, err)
		}
		if took > limit+slack {
			t.Errorf("TCP=%v: took %v; want at most the %v limit", force, took, limit)
		}
	}
	// Discovery asks two rounds; the engine's limit bounds them together.
	const limit = 2 * time.Second
	start := time.Now()
	c := client(t, silent)
	c.TryTimeout = time.Minute
	rep := discover(t, c, "bob@contoso.example", limit)
	if took := time.Since(start); took > limit+slack {
		t.Errorf("discovery took %v; want at most the %v limit", took, limit)
	}
	if rep.Outcome != engine.OutcomeIndeterminate {
		t.Errorf("discovery against a silent server: outcome %s; want indeterminate", rep.Outcome)
	}
}

// TestReferral asks nsd, which holds only the parent zone and answers
// questions under contoso.example with a referral (NOERROR, no answer, no
// AA, NS records in the authority section). That is not "no such record":
// the lookup fails, and discovery is indeterminate instead of falling back
// to A records.
func TestReferral(t *testing.T) {
	parent := dnstest.StartNSD(t, dnstest.Zone{Origin: "example", Text: dnstest.ParentZone})
	c := client(t, parent.Addr)
	_, err := lookup(t, c, "_sipinternaltls._tcp.contoso.example", engine.TypeSRV)
	if err == nil || !strings.Contains(err.Error(), "sent a referral to contoso.example") {
		t.Fatalf("error %v; want a referral error\n%s", err, parent.Log())
	}
	rep := discover(t, c, "bob@contoso.example", 10*time.Second)
	if rep.Outcome != engine.OutcomeIndeterminate {
		t.Errorf("discovery against a referral: outcome %s; want indeterminate", rep.Outcome)
	}
	for _, s := range rep.Steps {
		// The wildcard probe is asked in round one, beside the SRV names;
		// it is not the fallback.
		if s.Type == engine.TypeA && s.Purpose != engine.PurposeWildcardProbe {
			t.Errorf("discovery asked %s A: a referral was taken as no SRV record, so the A-record fallback ran", s.Question)
		}
	}
}

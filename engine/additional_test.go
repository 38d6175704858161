package engine

import (
	"context"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"
)

// countingDNS answers from a fakeDNS and records every question asked.
type countingDNS struct {
	fakeDNS
	mu    sync.Mutex
	asked []string
}

func (c *countingDNS) Resolve(ctx context.Context, q Question) (Answer, error) {
	c.mu.Lock()
	c.asked = append(c.asked, q.String())
	c.mu.Unlock()
	return c.fakeDNS.Resolve(ctx, q)
}

func addrRecord(name, addr string) Record {
	a := netip.MustParseAddr(addr)
	t := TypeA
	if a.Is6() {
		t = TypeAAAA
	}
	return Record{Name: name, Type: t, Addr: a}
}

func maxRound(rep *Report) int {
	n := 0
	for _, s := range rep.Steps {
		n = max(n, s.Round)
	}
	return n
}

// TestAdditionalAddressesSaveARound: an SRV answer whose additional
// section holds its target's address (as nsd sends it) decides the
// report in one round, without asking that address; records that do not
// name a target, are outside the sign-in domain, or are of another type
// are not believed, and their names are asked as before.
func TestAdditionalAddressesSaveARound(t *testing.T) {
	srv := srvAnswer("_sipinternaltls._tcp.contoso.com", "pool.contoso.com")
	srv.Additional = []Record{
		addrRecord("pool.contoso.com", "192.0.2.10"),
		addrRecord("other.contoso.com", "192.0.2.66"), // not a target
		{Name: "pool.contoso.com", Type: TypeCNAME, Target: "evil.example"},
	}
	dns := &countingDNS{fakeDNS: fakeDNS{"_sipinternaltls._tcp.contoso.com SRV": srv}}
	cfg := Config{Resolver: dns, Policy: DefaultPolicy(), Limits: Limits{Timeout: 5 * time.Second}}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != OutcomeConnect || rep.Target.Host != "pool.contoso.com" || !slices.Equal(rep.Target.Addresses, []string{"192.0.2.10"}) {
		t.Fatalf("outcome %s, target %+v; want pool.contoso.com at 192.0.2.10", rep.Outcome, rep.Target)
	}
	if slices.Contains(dns.asked, "pool.contoso.com A") {
		t.Errorf("asked pool.contoso.com A although the SRV answer carried it; asked %v", dns.asked)
	}
	if n := maxRound(rep); n != 1 {
		t.Errorf("the report took %d rounds; want 1", n)
	}
	var step *Step
	for i, s := range rep.Steps {
		if s.Question == "pool.contoso.com" && s.Type == TypeA {
			step = &rep.Steps[i]
		}
		if s.Question == "other.contoso.com" {
			t.Errorf("a record naming no SRV target became a step: %+v", s)
		}
	}
	if step == nil || step.From != "_sipinternaltls._tcp.contoso.com SRV" || step.Round != 1 || !slices.Equal(step.Answers, []string{"pool.contoso.com. A 192.0.2.10"}) {
		t.Errorf("the supplied address's step = %+v; want round 1 from the SRV question with its record", step)
	}
}

// TestAdditionalOutsideBailiwickIsAsked: a Lync client that trusts
// another domain's pool (TrustModelData) still asks that pool's address:
// an address of a name outside the sign-in domain, in the additional
// section of the domain's answer, is not taken.
func TestAdditionalOutsideBailiwickIsAsked(t *testing.T) {
	srv := srvAnswer("_sipinternaltls._tcp.contoso.com", "pool.fabrikam.com")
	srv.Additional = []Record{addrRecord("pool.fabrikam.com", "198.51.100.66")}
	dns := &countingDNS{fakeDNS: fakeDNS{
		"_sipinternaltls._tcp.contoso.com SRV": srv,
		"pool.fabrikam.com A":                  aAnswer("pool.fabrikam.com", "192.0.2.10"),
	}}
	pol := DefaultPolicy()
	pol.TrustedDomains = []string{"fabrikam.com"}
	cfg := Config{Resolver: dns, Profile: "lync-2013", Policy: pol, Limits: Limits{Timeout: 5 * time.Second}}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(dns.asked, "pool.fabrikam.com A") {
		t.Errorf("did not ask pool.fabrikam.com A; asked %v", dns.asked)
	}
	if rep.Target == nil || slices.Contains(rep.Target.Addresses, "198.51.100.66") {
		t.Errorf("target %+v; want the asked address, not the additional one", rep.Target)
	}
}

// TestAdditionalOneTypeStillAsksTheOther: a profile that uses IPv6 asks
// AAAA of a target whose SRV answer carried only its A record (that the
// server sent no AAAA does not say there is none): two rounds.
func TestAdditionalOneTypeStillAsksTheOther(t *testing.T) {
	srv := srvAnswer("_sipinternaltls._tcp.contoso.com", "pool.contoso.com")
	srv.Additional = []Record{addrRecord("pool.contoso.com", "192.0.2.10")}
	dns := &countingDNS{fakeDNS: fakeDNS{"_sipinternaltls._tcp.contoso.com SRV": srv}}
	cfg := Config{Resolver: dns, Profile: "lync-2013", Policy: DefaultPolicy(), Limits: Limits{Timeout: 5 * time.Second}}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(dns.asked, "pool.contoso.com A") || !slices.Contains(dns.asked, "pool.contoso.com AAAA") {
		t.Errorf("asked %v; want AAAA asked and A taken from the additional section", dns.asked)
	}
	if rep.Target == nil || rep.Target.Host != "pool.contoso.com" {
		t.Errorf("target %+v; want pool.contoso.com", rep.Target)
	}
	srv.Additional = append(srv.Additional, addrRecord("pool.contoso.com", "2001:db8::10"))
	dns = &countingDNS{fakeDNS: fakeDNS{"_sipinternaltls._tcp.contoso.com SRV": srv}}
	cfg.Resolver = dns
	rep, err = Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(dns.asked, "pool.contoso.com AAAA") || rep.Target == nil || len(rep.Target.Addresses) != 2 {
		t.Errorf("asked %v, target %+v; want both addresses from the additional section", dns.asked, rep.Target)
	}
}

// TestStrictNamingOneRound: under strict naming the hosts the client can
// accept (D and sip.D) are asked beside the SRV names, so a deployment
// that follows the rule is decided in one round.
func TestStrictNamingOneRound(t *testing.T) {
	dns := &countingDNS{fakeDNS: fakeDNS{
		"_sipinternaltls._tcp.contoso.com SRV": srvAnswer("_sipinternaltls._tcp.contoso.com", "sip.contoso.com"),
		"sip.contoso.com A":                    aAnswer("sip.contoso.com", "192.0.2.10"),
	}}
	pol := DefaultPolicy()
	pol.StrictNaming = true
	cfg := Config{Resolver: dns, Policy: pol, Limits: Limits{Timeout: 5 * time.Second}}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != OutcomeConnect || rep.Target.Host != "sip.contoso.com" {
		t.Fatalf("outcome %s, target %+v; want sip.contoso.com", rep.Outcome, rep.Target)
	}
	if n := maxRound(rep); n != 1 {
		t.Errorf("the report took %d rounds; want 1", n)
	}
	pol.StrictNaming = false
	cfg.Policy = pol
	rep, err = Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := maxRound(rep); n != 2 {
		t.Errorf("without strict naming the report took %d rounds; want 2", n)
	}
}

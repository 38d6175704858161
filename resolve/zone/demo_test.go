package zone

import (
	"context"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// documentation holds the only address ranges demo zones may use
// (RFC 5737 §3, RFC 3849), and 10.0.0.0/8 for an internal server's
// private address (RFC 1918), which names no one's server on the
// Internet: the leaked-internal scenario needs one (ADR 0017).
var documentation = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("2001:db8::/32"),
}

func TestDemoZonesLoad(t *testing.T) {
	for _, sc := range demo.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			s, err := Parse(sc.Domain, sc.Zone, sc.Name+".example.zone")
			if err != nil {
				t.Fatal(err)
			}
			z := s.zones[0]
			apex := z.at(z.names[z.origin])
			if len(apex.get(dns.TypeSOA)) != 1 || len(apex.get(dns.TypeNS)) == 0 {
				t.Errorf("%s: want one SOA and an NS record at the apex", sc.Name)
			}
			for _, sp := range z.names {
				rrs := z.at(sp)
				for _, rr := range rrs {
					r, ok := wire.ToRecord(rr)
					if !ok || !r.Addr.IsValid() {
						continue
					}
					if !inDocumentation(r.Addr) {
						t.Errorf("%s: %v uses an address outside the documentation ranges", sc.Name, r)
					}
				}
			}
		})
	}
}

func inDocumentation(a netip.Addr) bool {
	for _, p := range documentation {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func TestDemo(t *testing.T) {
	s, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(s.Zones()), len(demo.Scenarios()); got != want {
		t.Errorf("len(Demo().Zones()) = %d; want %d", got, want)
	}
	srv := func(name string, prio, weight, port uint16, target string) engine.Record {
		return engine.Record{Name: name, Type: engine.TypeSRV, TTL: 3600, Priority: prio, Weight: weight, Port: port, Target: target}
	}
	addr := func(name, ip string) engine.Record {
		r := a(name, 3600, ip)
		return r
	}
	tests := []struct {
		q    engine.Question
		want engine.Answer
	}{
		{qn("_sipinternaltls._tcp.healthy.example", engine.TypeSRV),
			engine.Answer{Records: []engine.Record{srv("_sipinternaltls._tcp.healthy.example", 0, 0, 5061, "sip.healthy.example")}}},
		{qn("sip.healthy.example", engine.TypeA),
			engine.Answer{Records: []engine.Record{addr("sip.healthy.example", "192.0.2.10")}}},
		{qn("_sipinternaltls._tcp.servfail.example", engine.TypeSRV),
			engine.Answer{RCode: engine.RCodeServerFailure}},
		{qn("_sipinternal._tcp.servfail.example", engine.TypeSRV),
			engine.Answer{RCode: engine.RCodeNameError}},
		{qn("_sipinternaltls._tcp.invalid.example", engine.TypeSRV),
			engine.Answer{Records: []engine.Record{srv("_sipinternaltls._tcp.invalid.example", 0, 0, 5061, "sip.invalid.example.net")}}},
		{qn("sipinternal.invalid.example", engine.TypeA),
			engine.Answer{Records: []engine.Record{addr("sipinternal.invalid.example", "192.0.2.31")}}},
		{qn("sip.invalid.example.net", engine.TypeA),
			engine.Answer{RCode: engine.RCodeRefused}},
		{qn("_sipinternaltls._tcp.fallback.example", engine.TypeSRV),
			engine.Answer{RCode: engine.RCodeNameError}},
		{qn("_sip._tls.not-offered.example", engine.TypeSRV),
			engine.Answer{Records: []engine.Record{srv("_sip._tls.not-offered.example", 0, 0, 0, ".")}}},
		{qn("pool01.unresolvable.example", engine.TypeA),
			engine.Answer{RCode: engine.RCodeNameError}},
		{qn("sip.ipv6-only.example", engine.TypeA),
			engine.Answer{}},
		{qn("sip.cname.example", engine.TypeA),
			engine.Answer{Records: []engine.Record{
				{Name: "sip.cname.example", Type: engine.TypeCNAME, TTL: 3600, Target: "pool01.cname.example"},
				addr("pool01.cname.example", "192.0.2.90")}}},
		{qn("sip.cname-loop.example", engine.TypeA),
			engine.Answer{RCode: engine.RCodeServerFailure, Records: []engine.Record{
				{Name: "sip.cname-loop.example", Type: engine.TypeCNAME, TTL: 3600, Target: "pool01.cname-loop.example"},
				{Name: "pool01.cname-loop.example", Type: engine.TypeCNAME, TTL: 3600, Target: "sip.cname-loop.example"}}}},
		{qn("_sip._tls.hostile.example", engine.TypeSRV),
			engine.Answer{Records: []engine.Record{srv("_sip._tls.hostile.example", 0, 0, 443, `<script>alert\(1\)</script>.hostile.example`)}}},
		{qn(`"onmouseover=alert\(1\)".hostile.example`, engine.TypeA),
			engine.Answer{Records: []engine.Record{addr(`\"onmouseover=alert\(1\)\".hostile.example`, "192.0.2.121")}}},
		{qn(`<script>alert\(1\)</script>.hostile.example`, engine.TypeA),
			engine.Answer{Records: []engine.Record{addr(`<script>alert\(1\)</script>.hostile.example`, "203.0.113.120")}}},
		{qn("_sipinternaltls._tcp.nothing.example", engine.TypeSRV),
			engine.Answer{RCode: engine.RCodeNameError}},
	}
	for _, tt := range tests {
		got, err := s.Resolve(context.Background(), tt.q)
		if err != nil {
			t.Fatalf("Resolve(%v) error: %v", tt.q, err)
		}
		if diff := cmp.Diff(got, tt.want, cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Demo().Resolve(%v) mismatch (-got +want):\n%s", tt.q, diff)
		}
	}
}

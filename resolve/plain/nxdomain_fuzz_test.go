//go:build !js

package plain

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// nxQuestion is the question FuzzNXDOMAINAgrees's replies answer.
var nxQuestion = engine.Question{Name: "_sipinternaltls._tcp.contoso.example", Type: engine.TypeSRV}

// FuzzNXDOMAINAgrees holds the DNS clients to one rule for an NXDOMAIN
// reply (issue 26, class 4): whatever the bytes, neither plain DNS (which
// the system resolver and the upstream bridge ask through) nor the DoH
// client hands over an NXDOMAIN answer with records beyond its CNAME
// chain, and for an NXDOMAIN reply both read, both accept it with the
// same records or both refuse it.
func FuzzNXDOMAINAgrees(f *testing.F) {
	q := wire.QuestionMsg(nxQuestion) // ID 0, as the DoH client sends (RFC 8484 §4.1)
	name := q.Question[0].Name
	rr := func(s string) dns.RR {
		r, err := dns.NewRR(s)
		if err != nil {
			f.Fatal(err)
		}
		return r
	}
	srv := rr(name + " 60 IN SRV 0 0 5061 sip.contoso.example.")
	cname := rr(name + " 60 IN CNAME _sip._tls.gone.example.")
	a := rr("sip.contoso.example. 60 IN A 192.0.2.10")
	soa := rr("contoso.example. 60 IN SOA ns1.contoso.example. h.contoso.example. 1 2 3 4 5")
	for _, answer := range [][]dns.RR{{srv}, {cname}, {cname, a}, {a}, nil} {
		for _, rcode := range []int{dns.RcodeNameError, dns.RcodeSuccess} {
			m := new(dns.Msg).SetReply(q)
			m.Rcode, m.RecursionAvailable, m.Answer, m.Ns = rcode, true, answer, []dns.RR{soa}
			b, err := m.Pack()
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		doh, why, _ := dohclient.Decode(nxQuestion, body)
		if why == "" && doh.Contradiction() != "" {
			t.Fatalf("the DoH client accepts an NXDOMAIN that contradicts itself:\n%x", body)
		}
		m := new(dns.Msg)
		if m.Unpack(body) != nil || wire.CheckCounts(m, body) != "" || wire.CheckReply(q, m) != "" || m.Truncated {
			return
		}
		ans, outcome, ok := classify(m, nxQuestion.Type)
		if ok && ans.Contradiction() != "" {
			t.Fatalf("plain DNS accepts an NXDOMAIN that contradicts itself (%s):\n%x", outcome, body)
		}
		if m.Rcode != dns.RcodeNameError || doh.RCode != engine.RCodeNameError && why == "" {
			return // the clients differ on other codes by design (NODATA without AA or RA)
		}
		if ok != (why == "") {
			t.Fatalf("for an NXDOMAIN, plain DNS says %q (usable %v) and the DoH client %q:\n%x", outcome, ok, why, body)
		}
		if diff := cmp.Diff(doh, ans, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); ok && diff != "" {
			t.Fatalf("plain DNS and the DoH client read\n%x\ndifferently (-DoH +plain):\n%s", body, diff)
		}
	})
}

package wire

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
)

// TestEDEOf sends an Extended DNS Error through a packed reply and reads
// it back, hostile text escaped and bounded.
func TestEDEOf(t *testing.T) {
	q := new(dns.Msg)
	q.SetQuestion("x.example.", dns.TypeA)
	r := new(dns.Msg)
	r.SetReply(q)
	r.Rcode = dns.RcodeServerFailure
	r.SetEdns0(dohclient.UDPSize, false)
	opt := r.IsEdns0()
	opt.Option = append(opt.Option, &dns.EDNS0_EDE{InfoCode: EDENetworkError, ExtraText: "bad \x1b[2J\n\xff" + strings.Repeat("é", 1000)})
	b, err := r.Pack()
	if err != nil {
		t.Fatal(err)
	}
	m := new(dns.Msg)
	if err := m.Unpack(b); err != nil {
		t.Fatal(err)
	}
	code, text, ok := EDEOf(m)
	if !ok || code != EDENetworkError {
		t.Fatalf("EDEOf = %d, %q, %v; want Network Error", code, text, ok)
	}
	if want := `bad \u001b[2J\u000a\xff`; !strings.HasPrefix(text, want) || !strings.HasSuffix(text, "é...") || len(text) > maxEDERead+40 {
		t.Errorf("text %q; want it to start %q, cut on a character boundary", text, want)
	}
	if d := DescribeEDE(code, "x"); d != "EDE 23 Network Error: x" {
		t.Errorf("DescribeEDE = %q", d)
	}
	if d := DescribeEDE(999, ""); d != "EDE 999" {
		t.Errorf("DescribeEDE(999) = %q", d)
	}
	if _, _, ok := EDEOf(q); ok {
		t.Error("EDEOf a message without OPT found one")
	}
}

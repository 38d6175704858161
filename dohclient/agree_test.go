package dohclient_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// These tests hold the client's own reading of the wire format to
// miekg/dns's, which the DNS sources and the /dns-query handler use
// (resolve/wire): the same query bytes, and the same answer from every
// response miekg/dns reads.

// TestQueryAgreesWithMiekg: Query packs the bytes miekg/dns packs for the
// same question, padded as the handler's reader expects, names with
// escapes included.
func TestQueryAgreesWithMiekg(t *testing.T) {
	names := []string{"_sipinternaltls._tcp.contoso.com", "sip.contoso.com", "a.b", "xn--bcher-kva.example",
		`a\032b.example`, `\(x\).example`, `odd\255.example`, strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + ".example"}
	for _, n := range names {
		for _, typ := range []engine.Type{engine.TypeA, engine.TypeAAAA, engine.TypeSRV, engine.TypeTXT, engine.TypeCNAME} {
			q := engine.Question{Name: n, Type: typ}
			want, err := wire.Pad(wire.QuestionMsg(q), dohclient.QueryPadBlock)
			if err != nil {
				t.Fatal(err)
			}
			got, err := dohclient.Query(q)
			if err != nil {
				t.Errorf("Query(%v): %v", q, err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Query(%v) =\n%x\nwant\n%x", q, got, want)
			}
		}
	}
	if _, err := dohclient.Query(engine.Question{Name: `a\.b.example`, Type: engine.TypeA}); err == nil {
		t.Error(`Query of a label holding a dot: no error`)
	}
}

// miekgRead reads body, the response to q, as a DoH client built on
// miekg/dns did before this package replaced it: unpacked whole, every
// announced record present (wire.CheckCounts), a reply to the query
// (wire.CheckReply), not truncated; the answer as wire.ToAnswer gives it.
func miekgRead(q engine.Question, body []byte) (engine.Answer, error) {
	m := new(dns.Msg)
	if err := m.Unpack(body); err != nil {
		return engine.Answer{}, err
	}
	if why := wire.CheckCounts(m, body); why != "" {
		return engine.Answer{}, fmt.Errorf("%s", why)
	}
	if why := wire.CheckReply(wire.QuestionMsg(q), m); why != "" {
		return engine.Answer{}, fmt.Errorf("%s", why)
	}
	if m.Truncated {
		return engine.Answer{}, dohclient.ErrTruncated
	}
	a := wire.ToAnswer(m)
	if why := a.Contradiction(); why != "" {
		return engine.Answer{}, fmt.Errorf("%s", why)
	}
	return a, nil
}

// checkAgree fails when Decode accepts an NXDOMAIN with records beyond
// the CNAME chain (engine.Answer.Contradiction), refuses a body miekg/dns
// reads as the other DNS clients do, or reads it otherwise. Decode may accept more: it does not look into records of
// types discovery does not use, whose malformed data miekg/dns refuses.
func checkAgree(t *testing.T, body []byte) {
	t.Helper()
	if got, why, _ := dohclient.Decode(dohclient.FuzzQuestion, body); why == "" && got.Contradiction() != "" {
		t.Fatalf("Decode accepts a response that contradicts itself (%s):\n%x", got.Contradiction(), body)
	}
	want, err := miekgRead(dohclient.FuzzQuestion, body)
	if err != nil {
		return
	}
	got, why, _ := dohclient.Decode(dohclient.FuzzQuestion, body)
	if why != "" {
		t.Fatalf("Decode refuses a response miekg/dns reads (%s):\n%x", why, body)
	}
	if diff := cmp.Diff(got, want, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Fatalf("Decode and miekg/dns read\n%x\ndifferently (-Decode +miekg/dns):\n%s", body, diff)
	}
}

// TestAgreesWithMiekg: the seed responses, every single-byte change and
// every cut of them are read the same by both, or refused by miekg/dns.
func TestAgreesWithMiekg(t *testing.T) {
	n := 0
	for _, seed := range dohclient.SeedResponses(t) {
		checkAgree(t, seed)
		for i := range seed {
			for _, d := range []byte{1, 0x80, 0xFF, 0x3F} {
				b := bytes.Clone(seed)
				b[i] ^= d
				checkAgree(t, b)
				n++
			}
			checkAgree(t, seed[:i])
			n++
		}
	}
	t.Logf("%d responses", n)
}

// FuzzAgreesWithMiekg holds Decode to miekg/dns: whatever miekg/dns reads,
// Decode reads the same.
func FuzzAgreesWithMiekg(f *testing.F) {
	for _, b := range dohclient.SeedResponses(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAgree(t, body)
	})
}

// TestReplyAgreesWithMiekg: what Reply packs, miekg/dns reads as Decode
// does.
func TestReplyAgreesWithMiekg(t *testing.T) {
	q := dohclient.FuzzQuestion
	query, err := dohclient.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	rs := []engine.Record{
		{Name: q.Name, Type: engine.TypeSRV, TTL: 300, Priority: 1, Weight: 2, Port: 5061, Target: "pool01.contoso.example"},
		{Name: "pool01.contoso.example", Type: engine.TypeA, TTL: 60, Addr: netip.MustParseAddr("192.0.2.1")},
		{Name: "pool01.contoso.example", Type: engine.TypeAAAA, TTL: 60, Addr: netip.MustParseAddr("2001:db8::1")},
		{Name: "alias.contoso.example", Type: engine.TypeCNAME, TTL: 60, Target: `odd\ name.contoso.example`},
	}
	body, err := dohclient.Reply(query, engine.RCodeSuccess, rs)
	if err != nil {
		t.Fatal(err)
	}
	checkAgree(t, body)
	got, err := miekgRead(q, body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got.Records, rs, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("miekg/dns reads Reply's records (-got +want):\n%s", diff)
	}
}

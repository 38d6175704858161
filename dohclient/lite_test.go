package dohclient

import (
	"bytes"
	"context"
	"io"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/dohclient/lite"
	"github.com/sipdisco/sipdisco/engine"
)

// TestLiteQuery: package lite, the browser's first module's client, sends
// the same query bytes as Client, names with escapes included.
func TestLiteQuery(t *testing.T) {
	names := []string{"_sipinternaltls._tcp.contoso.com", "sip.contoso.com", "a.b", "xn--bcher-kva.example",
		`a\032b.example`, `\(x\).example`, `odd\255.example`, strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + ".example"}
	for _, n := range names {
		for _, typ := range []engine.Type{engine.TypeA, engine.TypeAAAA, engine.TypeSRV, engine.TypeTXT, engine.TypeCNAME} {
			q := engine.Question{Name: n, Type: typ}
			want, err := pad(QuestionMsg(q), QueryPadBlock)
			if err != nil {
				t.Fatal(err)
			}
			got, err := lite.Query(q)
			if err != nil {
				t.Errorf("lite.Query(%v): %v", q, err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("lite.Query(%v) =\n%x\nwant\n%x", q, got, want)
			}
		}
	}
	if _, err := lite.Query(engine.Question{Name: `a\.b.example`, Type: engine.TypeA}); err == nil {
		t.Error(`lite.Query of a label holding a dot: no error`)
	}
}

// decodeBoth decodes body, the response to fuzzQuestion, with Client and
// with package lite.
func decodeBoth(body []byte) (full engine.Answer, fullErr error, liteAnswer engine.Answer, liteWhy string) {
	c := &Client{Endpoint: "https://dns.example/dns-query"}
	resp := &Response{Status: 200, ContentType: MediaType, Body: io.NopCloser(bytes.NewReader(body))}
	m, err := c.decode(context.Background(), QuestionMsg(fuzzQuestion), resp)
	if err == nil {
		full = ToAnswer(m)
	}
	liteAnswer, liteWhy, _ = lite.Decode(fuzzQuestion, body)
	return full, err, liteAnswer, liteWhy
}

// checkAgree fails when lite refuses a body Client reads, or reads it
// otherwise. lite may refuse more: it is not asked to find a malformed
// record of a type discovery does not use, which Client refuses.
func checkAgree(t *testing.T, body []byte) {
	t.Helper()
	full, err, la, why := decodeBoth(body)
	if err != nil {
		return
	}
	if why != "" {
		t.Fatalf("lite refuses a response Client reads (%s):\n%x", why, body)
	}
	if diff := cmp.Diff(la, full, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Fatalf("lite and Client read\n%x\ndifferently (-lite +Client):\n%s", body, diff)
	}
}

// TestLiteAgreesOnMutations: every single-byte change and every cut of
// the seed responses is read the same by both, or refused by Client.
func TestLiteAgreesOnMutations(t *testing.T) {
	n := 0
	for _, seed := range seedResponses(t) {
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

// FuzzLiteAgrees holds package lite's decoder to Client's: whatever
// Client reads, lite reads the same.
func FuzzLiteAgrees(f *testing.F) {
	for _, b := range seedResponses(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAgree(t, body)
	})
}

// TestLiteReply: what lite.Reply packs, Client reads as lite does.
func TestLiteReply(t *testing.T) {
	q := fuzzQuestion
	wire, err := lite.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	rs := []engine.Record{
		{Name: q.Name, Type: engine.TypeSRV, TTL: 300, Priority: 1, Weight: 2, Port: 5061, Target: "pool01.contoso.example"},
		{Name: "pool01.contoso.example", Type: engine.TypeA, TTL: 60, Addr: netip.MustParseAddr("192.0.2.1")},
		{Name: "pool01.contoso.example", Type: engine.TypeAAAA, TTL: 60, Addr: netip.MustParseAddr("2001:db8::1")},
		{Name: "alias.contoso.example", Type: engine.TypeCNAME, TTL: 60, Target: `odd\ name.contoso.example`},
	}
	body, err := lite.Reply(wire, engine.RCodeSuccess, rs)
	if err != nil {
		t.Fatal(err)
	}
	checkAgree(t, body)
	full, err, _, _ := decodeBoth(body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full.Records, rs, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("Client reads lite.Reply's records (-got +want):\n%s", diff)
	}
}

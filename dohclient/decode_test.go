package dohclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
)

// questionMsg is the query miekg/dns builds for q, as resolve/wire's
// QuestionMsg does (an internal test cannot import that package, which
// imports this one).
func questionMsg(q engine.Question) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(q.Name), uint16(q.Type))
	m.Id = 0
	m.RecursionDesired = true
	return m
}

// fuzzQuestion is the question FuzzDecodeResponse's responses answer.
var fuzzQuestion = engine.Question{Name: "_sipinternaltls._tcp.contoso.example", Type: engine.TypeSRV}

// seedResponses returns packed responses for the fuzz corpus.
func seedResponses(t testing.TB) [][]byte {
	q := questionMsg(fuzzQuestion)
	name := q.Question[0].Name
	hdr := func(name string, t uint16) dns.RR_Header {
		return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: 60}
	}
	good := new(dns.Msg).SetReply(q)
	good.Answer = []dns.RR{
		&dns.CNAME{Hdr: hdr(name, dns.TypeCNAME), Target: "_sip._tls.contoso.example."},
		&dns.SRV{Hdr: hdr("_sip._tls.contoso.example.", dns.TypeSRV), Priority: 0, Weight: 5, Port: 5061, Target: "sip.contoso.example."},
		&dns.SRV{Hdr: hdr("_sip._tls.contoso.example.", dns.TypeSRV), Target: "."},
		&dns.A{Hdr: hdr("sip.contoso.example.", dns.TypeA), A: []byte{192, 0, 2, 1}},
		&dns.TXT{Hdr: hdr("sip.contoso.example.", dns.TypeTXT), Txt: []string{`"<script>\000`}},
		&dns.MX{Hdr: hdr("contoso.example.", dns.TypeMX), Mx: "mx.contoso.example."},
	}
	// The additional section as nsd fills it for an SRV answer (the
	// target's addresses), with a record of class CH and one of a type
	// discovery does not read, which the client skips.
	good.Extra = []dns.RR{
		&dns.A{Hdr: hdr("sip.contoso.example.", dns.TypeA), A: []byte{192, 0, 2, 7}},
		&dns.AAAA{Hdr: hdr("sip.contoso.example.", dns.TypeAAAA), AAAA: net.ParseIP("2001:db8::7")},
		&dns.A{Hdr: dns.RR_Header{Name: "sip.contoso.example.", Rrtype: dns.TypeA, Class: dns.ClassCHAOS, Ttl: 60}, A: []byte{198, 51, 100, 1}},
		&dns.MX{Hdr: hdr("contoso.example.", dns.TypeMX), Mx: "mx.contoso.example."},
	}
	good.SetEdns0(UDPSize, false)
	nx := new(dns.Msg).SetReply(q)
	nx.Rcode = dns.RcodeNameError
	nx.Ns = []dns.RR{&dns.SOA{Hdr: hdr("contoso.example.", dns.TypeSOA), Ns: "ns.contoso.example.", Mbox: "h.contoso.example."}}
	badID := new(dns.Msg).SetReply(q)
	badID.Id = 1
	// An NXDOMAIN that holds an SRV record (issue 26, class 4), and one at
	// the end of a CNAME chain (RFC 6604 §2), which is consistent.
	nxAnswer := new(dns.Msg).SetReply(q)
	nxAnswer.Rcode = dns.RcodeNameError
	nxAnswer.Answer = good.Answer[1:2]
	nxChain := new(dns.Msg).SetReply(q)
	nxChain.Rcode = dns.RcodeNameError
	nxChain.Answer = good.Answer[:1]
	nxChain.Ns = nx.Ns
	var out [][]byte
	for _, m := range []*dns.Msg{good, nx, badID, q, nxAnswer, nxChain} {
		m.Compress = true
		b, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// respond returns a RoundTrip that answers every request with status,
// contentType and body.
func respond(status int, contentType string, body []byte) RoundTrip {
	return func(context.Context, *Request) (*Response, error) {
		return &Response{Status: status, ContentType: contentType, Body: io.NopCloser(bytes.NewReader(body))}, nil
	}
}

// FuzzDecodeResponse feeds arbitrary statuses, content types and bodies
// through the client's response checks (Resolve with a RoundTrip that
// answers them). They must never panic, and
// whatever they accept must be a 2xx application/dns-message within
// MaxBody holding a non-truncated response with ID 0 to the question asked.
func FuzzDecodeResponse(f *testing.F) {
	for _, b := range seedResponses(f) {
		f.Add(200, MediaType, b)
		f.Add(200, "application/dns-message; charset=binary", b[:len(b)/2])
		f.Add(200, "text/html", b)
	}
	f.Add(204, MediaType, []byte{})
	f.Add(400, "text/plain; charset=utf-8", []byte("missing \"dns\" query parameter\n"))
	f.Add(200, MediaType, []byte("hello, world"))
	// A compression pointer to itself, after a valid header.
	f.Add(200, MediaType, []byte{0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 0x0c, 0, 33, 0, 1})
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		c := &Client{Endpoint: "https://dns.example/dns-query", MaxBody: 4096, RoundTrip: respond(status, contentType, body)}
		a, err := c.Resolve(context.Background(), fuzzQuestion)
		if err != nil {
			var re *ResponseError
			if !errors.As(err, &re) || re.Reason == "" || !strings.Contains(err.Error(), c.Endpoint) {
				t.Fatalf("decode error %q (%T); want a *ResponseError naming the endpoint", err, err)
			}
			return
		}
		if status < 200 || status > 299 || !IsMediaType(contentType) || len(body) > 4096 {
			t.Fatalf("Resolve accepted status %d, content type %q and %d bytes", status, contentType, len(body))
		}
		// What miekg/dns reads of an accepted body: a response with ID 0
		// and one question, the one asked, not truncated.
		m := new(dns.Msg)
		if err := m.Unpack(body); err == nil {
			if !m.Response || m.Id != 0 || m.Truncated || len(m.Question) != 1 {
				t.Fatalf("Resolve accepted QR=%v ID=%d TC=%v %d questions", m.Response, m.Id, m.Truncated, len(m.Question))
			}
			if got := strings.ToLower(strings.TrimSuffix(m.Question[0].Name, ".")); got != fuzzQuestion.Name || m.Question[0].Qtype != dns.TypeSRV || m.Question[0].Qclass != dns.ClassINET {
				t.Fatalf("Resolve accepted the question %v; want %v", m.Question[0], fuzzQuestion)
			}
		}
		for _, r := range a.Records {
			_ = r.String()
		}
	})
}

// TestDecodeAdditional: the additional section's address records of
// class IN reach the answer (engine.Answer.Additional), in order; the
// record of class CH and the MX do not.
func TestDecodeAdditional(t *testing.T) {
	a, why, _ := Decode(fuzzQuestion, seedResponses(t)[0])
	if why != "" {
		t.Fatal(why)
	}
	var got []string
	for _, r := range a.Additional {
		got = append(got, r.String())
	}
	want := []string{"sip.contoso.example. A 192.0.2.7", "sip.contoso.example. AAAA 2001:db8::7"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Additional = %q; want %q", got, want)
	}
}

// TestDecodeSeeds pins the verdicts on the fuzz seeds, so the corpus
// covers both outcomes.
func TestDecodeSeeds(t *testing.T) {
	seeds := seedResponses(t)
	tests := []struct {
		name        string
		contentType string
		body        []byte
		wantErr     string
		wantRecords int
	}{
		{"good", MediaType, seeds[0], "", 5}, // MX skipped
		{"NXDOMAIN", MediaType, seeds[1], "", 0},
		{"bad ID", MediaType, seeds[2], "ID is 1, want 0", 0},
		{"query echoed back", MediaType, seeds[3], "QR bit clear", 0},
		{"NXDOMAIN with an SRV record", MediaType, seeds[4], "answered NXDOMAIN with SRV records in the answer section", 0},
		{"NXDOMAIN after a CNAME", MediaType, seeds[5], "", 1},
		{"html", "text/html", seeds[0], `content type "text/html"`, 0},
		{"cut", MediaType, seeds[0][:len(seeds[0])/2], "not a DNS message", 0},
		{"pointer loop", MediaType, []byte{0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 0x0c, 0, 33, 0, 1}, "not a DNS message", 0},
	}
	for _, tt := range tests {
		c := &Client{Endpoint: "https://dns.example/dns-query", RoundTrip: respond(200, tt.contentType, tt.body)}
		a, err := c.Resolve(context.Background(), fuzzQuestion)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: Resolve: %v", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: Resolve error = %v; want one containing %q", tt.name, err, tt.wantErr)
		case err == nil && len(a.Records) != tt.wantRecords:
			t.Errorf("%s: %d records; want %d", tt.name, len(a.Records), tt.wantRecords)
		}
	}
}

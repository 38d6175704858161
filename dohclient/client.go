package dohclient

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Client is a DNS-over-HTTPS client (RFC 8484). Set it up with New; a
// Client is safe for concurrent use.
type Client struct {
	// Endpoint is the URI template's URL without the "dns" variable
	// (RFC 8484 §3), for example "https://dns.example/dns-query".
	Endpoint string
	// RoundTrip performs the HTTP exchange.
	RoundTrip RoundTrip
	// MaxBody is the largest response body accepted, in bytes; 0 means
	// DefaultMaxBody.
	MaxBody int64
}

// New returns a client for endpoint, validated by CheckEndpoint, that
// sends its requests with rt.
func New(endpoint string, rt RoundTrip) (*Client, error) {
	if err := CheckEndpoint(endpoint); err != nil {
		return nil, err
	}
	if rt == nil {
		return nil, errors.New("dohclient: no RoundTrip given")
	}
	return &Client{Endpoint: endpoint, RoundTrip: rt}, nil
}

// Resolve asks q with a GET request and returns the answer, so that a
// *Client is an engine.Resolver. Every DNS response code is an answer; an
// error means no usable response arrived: the RoundTrip's error wrapped
// with the endpoint (errors.Is reports ctx's error when ctx ended), or a
// *ResponseError saying why the response cannot be used (for a truncated
// one it wraps a *TruncatedError).
func (c *Client) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	wire, err := Query(q)
	if err != nil {
		return engine.Answer{}, fmt.Errorf("dohclient: packing the query: %w", err)
	}
	u, err := GetURL(c.Endpoint, wire)
	if err != nil {
		return engine.Answer{}, err
	}
	if c.RoundTrip == nil {
		return engine.Answer{}, errors.New("dohclient: no RoundTrip set")
	}
	resp, err := c.RoundTrip(ctx, &Request{Method: "GET", URL: u, Header: map[string]string{"Accept": MediaType}})
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		return engine.Answer{}, fmt.Errorf("dohclient: %s: %w", c.Endpoint, err)
	}
	if resp == nil {
		return engine.Answer{}, &ResponseError{Endpoint: c.Endpoint, Reason: "no response"}
	}
	if resp.Body != nil {
		defer resp.Body.Close()
	}
	body, err := ReadBody(ctx, c.Endpoint, resp, c.MaxBody)
	if err != nil {
		return engine.Answer{}, err
	}
	a, why, err := Decode(q, body)
	if why != "" {
		return engine.Answer{}, &ResponseError{Endpoint: c.Endpoint, Status: resp.Status, Reason: why, Err: err}
	}
	return a, nil
}

// Query returns the packed query for q: ID 0, RD set, class IN, and an
// EDNS(0) OPT record advertising UDPSize with a Padding option that fills
// the message to a multiple of QueryPadBlock octets: the bytes miekg/dns
// packs for the same query (TestQueryAgreesWithMiekg).
func Query(q engine.Question) ([]byte, error) {
	b := []byte{0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1} // ID 0, RD, one question, one additional
	b, err := appendName(b, q.Name)
	if err != nil {
		return nil, err
	}
	b = append(b, byte(q.Type>>8), byte(q.Type), 0, classINET)
	// The OPT pseudo-record (RFC 6891 §6.1.2): the root, type 41, the
	// payload size as its class, TTL 0, one Padding option.
	b = append(b, 0, 0, typeOPT, byte(UDPSize>>8), byte(UDPSize&0xff), 0, 0, 0, 0)
	pad := 0
	if r := (len(b) + 6) % QueryPadBlock; r != 0 && len(b)+6+QueryPadBlock-r <= maxMessage {
		pad = QueryPadBlock - r
	}
	b = append(b, byte((4+pad)>>8), byte(4+pad), 0, optionPadding, byte(pad>>8), byte(pad))
	return append(b, make([]byte, pad)...), nil
}

// optionPadding is the EDNS(0) Padding option code (RFC 7830 §3).
const optionPadding = 12

// maxMessage is the largest DNS message (RFC 1035 §4.2.2).
const maxMessage = 65535

// Decode reads body, the DNS response to q, into an answer: the RCode
// (with the EDNS(0) extended bits) and the answer-section records engine
// models, in order. An NXDOMAIN holding records beyond its CNAME chain is
// refused (engine.Answer.Contradiction). why is empty when the answer can
// be used, else the reason in the words of a ResponseError, with err the
// parser's error or a *TruncatedError when there is one.
func Decode(q engine.Question, body []byte) (a engine.Answer, why string, err error) {
	m, err := parse(body)
	if err != nil {
		return engine.Answer{}, fmt.Sprintf("body is not a DNS message (%d bytes): %v", len(body), err), err
	}
	if why := m.check(q); why != "" {
		return engine.Answer{}, why, nil
	}
	if m.truncated {
		te := &TruncatedError{Answer: m.answer, Sent: m.sent}
		return engine.Answer{}, te.Error(), te
	}
	if why := m.answer.Contradiction(); why != "" {
		return engine.Answer{}, why, nil
	}
	return m.answer, "", nil
}

// check returns why m is not a usable reply to q, or "", in the words and
// order the checks are listed in the package documentation.
func (m *message) check(q engine.Question) string {
	switch {
	case !m.response:
		return "DNS message is a query, not a response (QR bit clear)"
	case m.id != 0:
		return fmt.Sprintf("DNS response ID is %d, want 0", m.id)
	case m.opcode != 0:
		return fmt.Sprintf("DNS response opcode is %s, want QUERY", opcodeNames[m.opcode])
	case m.opts > 1:
		return fmt.Sprintf("DNS response has %d OPT records, want at most one (RFC 6891 §6.1.1)", m.opts)
	case m.misplaced:
		return "DNS response has an OPT record outside the additional section (RFC 6891 §6.1.1)"
	case len(m.questions) == 0:
		return fmt.Sprintf("DNS response (%s) does not echo the question", rcodeName(m.rcode))
	case len(m.questions) > 1:
		return fmt.Sprintf("DNS response has %d questions, want 1", len(m.questions))
	}
	got := m.questions[0]
	want := q.Name + "."
	if !strings.EqualFold(got.name, want) || got.qtype != uint16(q.Type) || got.qclass != classINET {
		return fmt.Sprintf("DNS response is for %q %s %s, not the question asked (%q IN %s)",
			got.name, className(got.qclass), typeName(got.qtype), want, typeName(uint16(q.Type)))
	}
	return ""
}

var opcodeNames = map[int]string{0: "QUERY", 1: "IQUERY", 2: "STATUS", 4: "NOTIFY", 5: "UPDATE"}

// rcodeName names a header RCODE as miekg/dns does.
func rcodeName(rc int) string {
	if s := engine.RCode(rc).String(); s != "" {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
}

func className(c uint16) string {
	switch c {
	case classINET:
		return "IN"
	case 3:
		return "CH"
	case 4:
		return "HS"
	case 254:
		return "NONE"
	case 255:
		return "ANY"
	}
	return fmt.Sprintf("CLASS%d", c)
}

var typeNames = map[uint16]string{
	1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA",
	33: "SRV", 41: "OPT", 64: "SVCB", 65: "HTTPS", 252: "AXFR", 255: "ANY",
}

func typeName(t uint16) string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("TYPE%d", t)
}

package dohclient

import (
	"context"
	"errors"
	"fmt"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient/lite"
	"github.com/sipdisco/sipdisco/engine"
)

// Client is a DNS-over-HTTPS client (RFC 8484). Set it up with New; the
// fields may be changed before first use but not concurrently with it. A
// Client is safe for concurrent use.
type Client struct {
	// Endpoint is the URI template's URL without the "dns" variable
	// (RFC 8484 §3), for example "https://dns.example/dns-query".
	Endpoint string
	// Method is "GET" (the default, RFC 8484 §4.1) or "POST".
	Method string
	// RoundTrip performs the HTTP exchange.
	RoundTrip RoundTrip
	// MaxBody is the largest response body accepted, in bytes; 0 means
	// DefaultMaxBody.
	MaxBody int64
}

// New returns a GET client for endpoint, validated by CheckEndpoint, that
// sends its requests with rt.
func New(endpoint string, rt RoundTrip) (*Client, error) {
	if err := CheckEndpoint(endpoint); err != nil {
		return nil, err
	}
	if rt == nil {
		return nil, errors.New("dohclient: no RoundTrip given")
	}
	return &Client{Endpoint: endpoint, Method: "GET", RoundTrip: rt}, nil
}

// Resolve asks q and returns the answer, so that a *Client is an
// engine.Resolver. Every DNS response code is an answer; an error means no
// usable response arrived.
func (c *Client) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	m, err := c.Exchange(ctx, QuestionMsg(q))
	if err != nil {
		return engine.Answer{}, err
	}
	return ToAnswer(m), nil
}

// Exchange sends query to the endpoint and returns the checked response.
// query itself is not modified: the message sent is a copy with ID 0
// (RFC 8484 §4.1) and an EDNS(0) OPT record with a Padding option filling
// it to a multiple of 128 octets (RFC 8467 §4.1). query must hold exactly
// one question.
//
// A response that arrives but cannot be used is a *ResponseError saying
// why; for a truncated response (TC bit) it wraps a *TruncatedError and
// ErrTruncated. When no response arrives, the RoundTrip's error is returned wrapped
// with the endpoint; if ctx ended, errors.Is reports ctx's error
// (context.DeadlineExceeded or context.Canceled) whatever the RoundTrip
// said.
func (c *Client) Exchange(ctx context.Context, query *dns.Msg) (*dns.Msg, error) {
	if query == nil || len(query.Question) != 1 {
		return nil, errors.New("dohclient: a query must hold exactly one question")
	}
	q := query.Copy()
	q.Id = 0
	q.Response = false
	wire, err := pad(q, QueryPadBlock)
	if err != nil {
		return nil, fmt.Errorf("dohclient: packing the query: %w", err)
	}
	req, err := c.request(wire)
	if err != nil {
		return nil, err
	}
	if c.RoundTrip == nil {
		return nil, errors.New("dohclient: no RoundTrip set")
	}
	resp, err := c.RoundTrip(ctx, req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		return nil, fmt.Errorf("dohclient: %s: %w", c.Endpoint, err)
	}
	if resp == nil {
		return nil, &ResponseError{Endpoint: c.Endpoint, Reason: "no response"}
	}
	return c.decode(ctx, q, resp)
}

// request builds the HTTP request carrying wire (RFC 8484 §4.1).
func (c *Client) request(wire []byte) (*Request, error) {
	if err := CheckEndpoint(c.Endpoint); err != nil {
		return nil, err
	}
	h := map[string]string{"Accept": MediaType}
	switch c.Method {
	case "", "GET":
		// RFC 8484 §6: base64url without padding. Only the Accept header,
		// so browsers send it without a CORS preflight.
		u, err := lite.GetURL(c.Endpoint, wire)
		if err != nil {
			return nil, err
		}
		return &Request{Method: "GET", URL: u, Header: h}, nil
	case "POST":
		h["Content-Type"] = MediaType
		return &Request{Method: "POST", URL: c.Endpoint, Header: h, Body: wire}, nil
	}
	return nil, fmt.Errorf("dohclient: method %q is neither GET nor POST", c.Method)
}

// decode reads and checks resp, the response to query. It always closes
// resp.Body. A response with the TC bit set is an error wrapping
// ErrTruncated: DoH has no larger transport to ask again over, and RFC 2181
// §9 says a truncated response is to be ignored, so the records it holds
// are not used.
func (c *Client) decode(ctx context.Context, query *dns.Msg, resp *Response) (*dns.Msg, error) {
	if resp.Body != nil {
		defer resp.Body.Close()
	}
	fail := func(reason string, err error) error {
		return &ResponseError{Endpoint: c.Endpoint, Status: resp.Status, Reason: reason, Err: err}
	}
	body, err := lite.ReadBody(ctx, c.Endpoint, resp, c.MaxBody)
	if err != nil {
		return nil, err
	}
	m := new(dns.Msg)
	if err := m.Unpack(body); err != nil {
		return nil, fail(fmt.Sprintf("body is not a DNS message (%d bytes): %v", len(body), err), err)
	}
	if why := CheckCounts(m, body); why != "" {
		return nil, fail(fmt.Sprintf("body is not a DNS message (%d bytes): %s", len(body), why), nil)
	}
	if why := CheckReply(query, m); why != "" {
		return nil, fail(why, nil)
	}
	if m.Truncated {
		err := &TruncatedError{Answer: ToAnswer(m), Sent: len(m.Answer)}
		return nil, fail(err.Error(), err)
	}
	return m, nil
}

// counts is the number of entries in the four sections of a message:
// question, answer, authority, additional (RFC 1035 §4.1.1).
type counts [4]int

func sectionCounts(m *dns.Msg) counts {
	return counts{len(m.Question), len(m.Answer), len(m.Ns), len(m.Extra)}
}

// headerCounts reads the section counts from a packed message's header.
func headerCounts(b []byte) counts {
	var c counts
	for i := range c {
		if len(b) >= 6+2*i {
			c[i] = int(b[4+2*i])<<8 | int(b[5+2*i])
		}
	}
	return c
}

func questionString(q dns.Question) string {
	return fmt.Sprintf("%q %s %s", q.Name, dns.Class(q.Qclass), dns.Type(q.Qtype))
}

// isMediaType reports whether a Content-Type header value names
// application/dns-message (lite.IsMediaType).
func isMediaType(ct string) bool { return lite.IsMediaType(ct) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

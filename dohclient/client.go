package dohclient

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
)

// MediaType is the content type of a DNS message carried over HTTP
// (RFC 8484 §6).
const MediaType = "application/dns-message"

// DefaultMaxBody is the largest response body a Client reads when
// MaxBody is not set: 64 KiB, the largest DNS message (RFC 1035 §4.2.2
// length field).
const DefaultMaxBody = 64 << 10

// UDPSize is the EDNS(0) payload size the client advertises, the value
// recommended by DNS Flag Day 2020 to avoid IP fragmentation.
const UDPSize = 1232

// QueryPadBlock is the block length queries are padded to, as RFC 8467
// §4.1 recommends for clients.
const QueryPadBlock = 128

// Request is one HTTP request as the client needs it: no more than a
// RoundTrip must send. Header holds canonical header names ("Accept").
type Request struct {
	Method string
	URL    string
	Header map[string]string
	Body   []byte
}

// Response is one HTTP response as the client needs it. ContentType is the
// Content-Type header as sent (parameters included). The client always
// closes Body.
type Response struct {
	Status      int
	ContentType string
	Body        io.ReadCloser
}

// RoundTrip performs one HTTP exchange. It must honour ctx and return an
// error only when no response was obtained; a non-2xx status is a Response.
// HTTPRoundTrip is the net/http implementation; the WebAssembly build
// supplies one based on the browser's fetch.
type RoundTrip func(ctx context.Context, req *Request) (*Response, error)

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

// CheckEndpoint reports whether endpoint is usable as a DoH endpoint: an
// absolute https URL (RFC 8484 §3 requires https), or http to a loopback
// host (127.0.0.1, ::1 or localhost) for local servers; no user
// information, no fragment, and no "dns" parameter of its own.
func CheckEndpoint(endpoint string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("dohclient: bad endpoint %q: %s", endpoint, fmt.Sprintf(format, args...))
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return bad("%v", err)
	}
	switch {
	case u.Scheme == "":
		return bad("not an absolute URL; want https://host/path")
	case u.Scheme != "https" && u.Scheme != "http":
		return bad("scheme %q is not https", u.Scheme)
	case u.Opaque != "":
		return bad("want https://host/path")
	case u.Host == "" || u.Hostname() == "":
		return bad("no host")
	case u.User != nil:
		return bad("user information in the URL is not allowed")
	case u.Fragment != "" || strings.Contains(endpoint, "#"):
		return bad("a fragment (#...) is not allowed")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return bad("plain http is allowed only for 127.0.0.1, ::1 and localhost; use https")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
			return bad("port %q is not a number from 1 to 65535", p)
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad("query: %v", err)
	}
	if q.Has("dns") {
		return bad(`the query already has a "dns" parameter; the client adds it`)
	}
	return nil
}

func isLoopback(host string) bool {
	return host == "127.0.0.1" || host == "::1" || strings.EqualFold(host, "localhost")
}

// ResponseError is the error returned when an endpoint's response cannot be
// used: an HTTP status other than 2xx, a wrong content type, an oversized
// or malformed body, or a DNS message that does not answer the query.
// Reason says which in plain words; Err, if set, is the underlying error.
type ResponseError struct {
	Endpoint string
	Status   int // the HTTP status, 0 if no response arrived
	Reason   string
	Err      error
}

// Error returns "dohclient: ENDPOINT: REASON".
func (e *ResponseError) Error() string {
	return "dohclient: " + e.Endpoint + ": " + e.Reason
}

// Unwrap returns the underlying error, if any.
func (e *ResponseError) Unwrap() error { return e.Err }

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
		u, _ := url.Parse(c.Endpoint) // checked above
		p := "dns=" + base64.RawURLEncoding.EncodeToString(wire)
		if u.RawQuery != "" {
			u.RawQuery += "&" + p
		} else {
			u.RawQuery = p
		}
		u.ForceQuery = false
		return &Request{Method: "GET", URL: u.String(), Header: h}, nil
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
	if resp.Status < 200 || resp.Status > 299 {
		return nil, fail(fmt.Sprintf("HTTP status %d%s, want 2xx%s", resp.Status, statusText(resp.Status), plainReason(resp)), nil)
	}
	if !isMediaType(resp.ContentType) {
		got := resp.ContentType
		if got == "" {
			return nil, fail("response has no content type, want "+MediaType+" (is this a DoH endpoint?)", nil)
		}
		return nil, fail(fmt.Sprintf("content type %q, want %s (is this a DoH endpoint?)", truncate(got, 64), MediaType), nil)
	}
	limit := c.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	var body []byte
	if resp.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
		if err != nil {
			if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
				err = fmt.Errorf("%w (%v)", cerr, err)
			}
			return nil, fail(fmt.Sprintf("reading the body: %v", err), err)
		}
	}
	if int64(len(body)) > limit {
		return nil, fail(fmt.Sprintf("body larger than %d bytes", limit), nil)
	}
	if len(body) == 0 {
		return nil, fail("empty body, want a DNS message", nil)
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
// application/dns-message, ignoring parameters and case (RFC 9110 §8.3.1).
func isMediaType(ct string) bool {
	t, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(t), MediaType)
}

// plainReason returns ": " and the quoted first line of a text/plain
// error body, such as the reason NewHandler gives, or "".
func plainReason(resp *Response) string {
	t, _, _ := strings.Cut(resp.ContentType, ";")
	if resp.Body == nil || !strings.EqualFold(strings.TrimSpace(t), "text/plain") {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	line, _, _ := strings.Cut(string(b), "\n")
	if line = strings.TrimSpace(line); line == "" {
		return ""
	}
	return ": " + strconv.QuoteToASCII(truncate(line, 160))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// statusText returns " (Not Found)" for the common statuses a DoH client
// meets, so the error reads well without net/http.
func statusText(code int) string {
	t, ok := statusTexts[code]
	if !ok {
		return ""
	}
	return " (" + t + ")"
}

var statusTexts = map[int]string{
	301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect", 308: "Permanent Redirect",
	400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
	405: "Method Not Allowed", 406: "Not Acceptable", 413: "Content Too Large",
	414: "URI Too Long", 415: "Unsupported Media Type", 429: "Too Many Requests",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
	503: "Service Unavailable", 504: "Gateway Timeout",
}

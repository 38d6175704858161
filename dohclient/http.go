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
)

// MediaType is the content type of a DNS message carried over HTTP
// (RFC 8484 §6).
const MediaType = "application/dns-message"

// DefaultMaxBody is the largest response body a client reads when its
// MaxBody is not set: 64 KiB, the largest DNS message (RFC 1035 §4.2.2
// length field).
const DefaultMaxBody = 64 << 10

// UDPSize is the EDNS(0) payload size a client advertises, the value
// recommended by DNS Flag Day 2020 to avoid IP fragmentation.
const UDPSize = 1232

// QueryPadBlock is the block length queries are padded to, as RFC 8467
// §4.1 recommends for clients.
const QueryPadBlock = 128

// Request is one HTTP request as a client needs it: no more than a
// RoundTrip must send. Header holds canonical header names ("Accept").
type Request struct {
	Method string
	URL    string
	Header map[string]string
	Body   []byte
}

// Response is one HTTP response as a client needs it. ContentType is the
// Content-Type header as sent (parameters included). The client always
// closes Body.
type Response struct {
	Status      int
	ContentType string
	Body        io.ReadCloser
}

// RoundTrip performs one HTTP exchange. It must honour ctx and return an
// error only when no response was obtained; a non-2xx status is a
// Response. HTTPRoundTrip is the net/http implementation; the
// WebAssembly modules supply one based on the browser's fetch.
type RoundTrip func(ctx context.Context, req *Request) (*Response, error)

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

// GetURL returns the RFC 8484 GET request URL for the packed query wire
// at endpoint: the "dns" parameter, base64url without padding (§6),
// added to the endpoint's query.
func GetURL(endpoint string, wire []byte) (string, error) {
	if err := CheckEndpoint(endpoint); err != nil {
		return "", err
	}
	u, _ := url.Parse(endpoint) // checked above
	p := "dns=" + base64.RawURLEncoding.EncodeToString(wire)
	if u.RawQuery != "" {
		u.RawQuery += "&" + p
	} else {
		u.RawQuery = p
	}
	u.ForceQuery = false
	return u.String(), nil
}

// ResponseError is the error returned when an endpoint's response cannot
// be used: an HTTP status other than 2xx, a wrong content type, an
// oversized or malformed body, or a DNS message that does not answer the
// query. Reason says which in plain words; Err, if set, is the underlying
// error.
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

// ReadBody checks the HTTP side of resp, a DoH response from endpoint,
// and returns its body: a 2xx status, the content type MediaType, and a
// body of 1 to limit bytes (limit 0 is DefaultMaxBody), read no further
// than one byte past the limit. A failed check is a *ResponseError. It
// does not close resp.Body.
func ReadBody(ctx context.Context, endpoint string, resp *Response, limit int64) ([]byte, error) {
	fail := func(reason string, err error) error {
		return &ResponseError{Endpoint: endpoint, Status: resp.Status, Reason: reason, Err: err}
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, fail(fmt.Sprintf("HTTP status %d%s, want 2xx%s", resp.Status, statusText(resp.Status), plainReason(resp)), nil)
	}
	if !IsMediaType(resp.ContentType) {
		got := resp.ContentType
		if got == "" {
			return nil, fail("response has no content type, want "+MediaType+" (is this a DoH endpoint?)", nil)
		}
		return nil, fail(fmt.Sprintf("content type %q, want %s (is this a DoH endpoint?)", truncate(got, 64), MediaType), nil)
	}
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
	return body, nil
}

// IsMediaType reports whether a Content-Type header value names
// application/dns-message, ignoring parameters and case (RFC 9110 §8.3.1).
func IsMediaType(ct string) bool {
	t, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(t), MediaType)
}

// plainReason returns ": " and the quoted first line of a text/plain
// error body, such as the reason dohclient/server's handler gives, or "".
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

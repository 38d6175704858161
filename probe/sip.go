package probe

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sipdisco/sipdisco/engine"
)

// Limits on what a server may send. A challenge from Office
// Communications Server or Lync is about 1 KiB (the 401 of [MS-SIPAE]
// §4.1 with three WWW-Authenticate headers), so these leave room for a
// verbose server while stopping a hostile one early.
const (
	// MaxHeadBytes is the most bytes the start line and header fields
	// of one response may take, the blank line included.
	MaxHeadBytes = 16 << 10
	// MaxHeaderFields is the most header fields one response may have
	// (engine.SIPMaxHeaderFields, which Result.Validate applies too).
	MaxHeaderFields = engine.SIPMaxHeaderFields
	// MaxBodyBytes is the largest body read; a response announcing a
	// larger one is not read further (engine.SIPMaxBodyBytes).
	MaxBodyBytes = engine.SIPMaxBodyBytes
)

// The kinds of ParseError: what the bytes were instead of a SIP response.
const (
	// ErrHTTP: an HTTP server answered (a web server or reverse proxy on
	// the port, typically 443).
	ErrHTTP FailureKind = "http"
	// ErrTLSRecord: the bytes are a TLS record: the port expects TLS and
	// was spoken to in clear text.
	ErrTLSRecord FailureKind = "tls-record"
	// ErrRequest: the server sent a SIP request, not a response.
	ErrRequest FailureKind = "request"
	// ErrNotSIP: the first line is neither SIP nor HTTP.
	ErrNotSIP FailureKind = "not-sip"
	// ErrMalformed: a SIP response whose syntax is broken (a header
	// without a colon, a status code that is not three digits, a control
	// character or a byte that is not UTF-8, two Content-Length values).
	ErrMalformed FailureKind = "malformed"
	// ErrTooLarge: the header section is larger than MaxHeadBytes or has
	// more than MaxHeaderFields fields.
	ErrTooLarge FailureKind = "too-large"
)

// ParseError says precisely why bytes from a server are not a usable SIP
// response: its Kind (ErrHTTP, ErrTLSRecord, ...), the 1-based Line of
// the head it is about (0 for the whole), and a message that quotes the
// offending bytes, escaped.
type ParseError struct {
	Kind FailureKind
	Line int
	Msg  string
}

// Error returns "line N: message", or the message alone.
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func parseErr(kind FailureKind, line int, format string, args ...any) *ParseError {
	return &ParseError{Kind: kind, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Response is a SIP response as it arrived (engine.SIPResponse): its
// start line, its header fields in order (names as the server spelt them,
// compact forms included) and its body, with what sipdisco reads from
// them. All text is the server's: renderers must escape it. Its Get
// matches compact forms (RFC 3261 §7.3.3).
type Response = engine.SIPResponse

// first returns the first value of the header field name in r, or "".
func first(r Response, name string) string {
	if v := r.Get(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// CanonicalName returns a header field name in lower case with a compact
// form replaced by its full name: "l" and "Content-Length" both give
// "content-length" (engine.CanonicalHeaderName).
func CanonicalName(name string) string { return engine.CanonicalHeaderName(name) }

// HeadLength reports how many bytes at the start of buf make the head of
// a response: the start line and header fields up to and including the
// blank line that ends them. It returns 0 and no error while the head is
// incomplete, and an error as soon as buf cannot become a SIP response:
// it is a TLS record, or it holds more than MaxHeadBytes without a blank
// line. Blank lines before the start line (keep-alives, RFC 5626 §3.5.1;
// RFC 3261 §7.5) are part of the head. Lines may end in CRLF or, as
// lenient servers send them, a bare LF.
func HeadLength(buf []byte) (int, error) {
	lead := leadingBlank(buf)
	rest := buf[lead:]
	if len(rest) >= 2 && (rest[0] == 0x15 || rest[0] == 0x16) && rest[1] == 0x03 {
		return 0, tlsRecordErr(rest)
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] != '\n' {
			continue
		}
		// A line ends at i; the head ends when the next line is empty.
		j := i + 1
		if j < len(rest) && rest[j] == '\r' {
			j++
		}
		if j < len(rest) && rest[j] == '\n' {
			n := lead + j + 1
			if n > MaxHeadBytes {
				break
			}
			return n, nil
		}
	}
	if len(buf) > MaxHeadBytes {
		return 0, parseErr(ErrTooLarge, 0, "the server sent more than %d bytes (%d KiB) without ending the header section; a SIP challenge takes about 1 KiB", MaxHeadBytes, MaxHeadBytes>>10)
	}
	return 0, nil
}

// leadingBlank returns the length of the CRLF and LF bytes that buf
// starts with.
func leadingBlank(buf []byte) int {
	n := 0
	for n < len(buf) && (buf[n] == '\r' || buf[n] == '\n') {
		n++
	}
	return n
}

func tlsRecordErr(b []byte) *ParseError {
	what := "a TLS handshake record"
	if b[0] == 0x15 {
		what = "a TLS alert"
	}
	return parseErr(ErrTLSRecord, 0, "the server answered with %s (bytes % x), not SIP in clear text: this port expects TLS", what, b[:min(len(b), 5)])
}

// ParseResponse parses the head of a SIP response (RFC 3261 §7.2: the
// status line and header fields up to the blank line, as HeadLength
// delimits it) and reads from it what sipdisco reports: the status, the
// challenges, the diagnostics, Server and User-Agent, and a redirect's
// target. The body is not part of head; the caller reads ContentLength
// bytes after it and sets Body.
//
// The parser is strict where leniency would hide a problem and says
// precisely what is wrong: an HTTP status line (ErrHTTP), a TLS record
// (ErrTLSRecord), a request line (ErrRequest), anything else that is
// not "SIP/2.0 NNN reason" (ErrNotSIP), a header field without a colon,
// a name that is not a token, a control character, a continuation line
// with no field before it, conflicting Content-Length values
// (ErrMalformed), and a head over the limits (ErrTooLarge). A challenge or
// diagnostic header whose value cannot be read does not fail the
// response: its Challenge or Diagnostic carries the error.
func ParseResponse(head []byte) (Response, error) {
	if len(head) > MaxHeadBytes {
		return Response{}, parseErr(ErrTooLarge, 0, "the header section is %d bytes; the limit is %d (%d KiB)", len(head), MaxHeadBytes, MaxHeadBytes>>10)
	}
	head = head[leadingBlank(head):]
	if len(head) == 0 {
		return Response{}, parseErr(ErrNotSIP, 0, "the server sent only blank lines")
	}
	if len(head) >= 2 && (head[0] == 0x15 || head[0] == 0x16) && head[1] == 0x03 {
		return Response{}, tlsRecordErr(head)
	}
	lines := splitLines(head)
	r := Response{ContentLength: -1}
	if err := parseStatusLine(&r, lines[0]); err != nil {
		return Response{}, err
	}
	for i, raw := range lines[1:] {
		line := i + 2
		if raw == "" {
			break
		}
		if err := checkControls(raw, line); err != nil {
			return Response{}, err
		}
		if raw[0] == ' ' || raw[0] == '\t' {
			if len(r.Headers) == 0 {
				return Response{}, parseErr(ErrMalformed, line, "a continuation line (starting with white space) with no header field before it: %s", quote(raw))
			}
			h := &r.Headers[len(r.Headers)-1]
			h.Value = strings.TrimSpace(h.Value + " " + strings.TrimSpace(raw))
			continue
		}
		name, value, ok := strings.Cut(raw, ":")
		if !ok {
			return Response{}, parseErr(ErrMalformed, line, "a header field without a colon: %s", quote(raw))
		}
		name = strings.TrimRight(name, " \t")
		if !isToken(name) {
			return Response{}, parseErr(ErrMalformed, line, "the header field name %s is not a token (RFC 3261 §25.1)", quote(name))
		}
		if len(r.Headers) == MaxHeaderFields {
			return Response{}, parseErr(ErrTooLarge, line, "more than %d header fields", MaxHeaderFields)
		}
		r.Headers = append(r.Headers, engine.Header{Name: name, Value: strings.TrimSpace(value)})
	}
	if r.Headers == nil {
		r.Headers = []engine.Header{}
	}
	if err := readFields(&r); err != nil {
		return Response{}, err
	}
	return r, nil
}

// splitLines splits head at LF, dropping the CR of each CRLF.
func splitLines(head []byte) []string {
	parts := bytes.Split(head, []byte("\n"))
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		out = append(out, string(bytes.TrimSuffix(p, []byte("\r"))))
	}
	return out
}

func parseStatusLine(r *Response, l string) error {
	if err := checkControls(l, 1); err != nil {
		return err
	}
	r.StartLine = l
	version, rest, _ := strings.Cut(l, " ")
	switch {
	case strings.HasPrefix(strings.ToUpper(version), "HTTP/"):
		return parseErr(ErrHTTP, 1, "an HTTP server answered (%s), not a SIP server: this port serves web traffic (a web server or reverse proxy)", quote(l))
	case !strings.EqualFold(version, "SIP/2.0"):
		// A request line ends in the SIP version: METHOD URI SIP/2.0.
		if f := strings.Fields(l); len(f) == 3 && strings.EqualFold(f[2], "SIP/2.0") && isToken(f[0]) {
			return parseErr(ErrRequest, 1, "the server sent a %s request (%s) instead of answering the REGISTER", f[0], quote(l))
		}
		return parseErr(ErrNotSIP, 1, "not a SIP status line: %s (want \"SIP/2.0 <code> <reason>\")", quote(l))
	}
	code, reason, _ := strings.Cut(rest, " ")
	if len(code) != 3 || code[0] < '1' || code[0] > '6' || !allDigits(code) {
		return parseErr(ErrMalformed, 1, "the status code %s is not three digits from 100 to 699 (RFC 3261 §7.2)", quote(code))
	}
	r.Status, _ = strconv.Atoi(code)
	r.Reason = reason
	return nil
}

// readFields reads the header fields sipdisco reports on.
func readFields(r *Response) error {
	for _, h := range r.Headers {
		switch CanonicalName(h.Name) {
		case "content-length":
			n, err := strconv.Atoi(h.Value)
			if err != nil || n < 0 || !allDigits(h.Value) {
				return parseErr(ErrMalformed, 0, "Content-Length %s is not a number of bytes", quote(h.Value))
			}
			if r.ContentLength >= 0 && r.ContentLength != n {
				return parseErr(ErrMalformed, 0, "two different Content-Length values (%d and %d): the message cannot be delimited", r.ContentLength, n)
			}
			r.ContentLength = n
		case "www-authenticate", "proxy-authenticate":
			r.Challenges = append(r.Challenges, ParseChallenge(h.Name, h.Value))
		case "ms-diagnostics", "ms-diagnostics-public":
			r.Diagnostics = append(r.Diagnostics, ParseDiagnostic(h.Name, h.Value))
		case "server":
			if r.Server == "" {
				r.Server = h.Value
			}
		case "user-agent":
			if r.UserAgent == "" {
				r.UserAgent = h.Value
			}
		}
	}
	if r.Status == 301 || r.Status == 302 {
		red := ParseRedirect(first(*r, "contact"))
		r.Redirect = &red
	}
	return nil
}

// checkControls refuses control characters other than horizontal tab
// (RFC 3261 §25.1 allows none in a header field; a terminal would obey
// an escape sequence), C1 controls among them (U+0080–U+009F: 0x9B is a
// CSI on terminals that honour 8-bit controls), and bytes that are not
// UTF-8 (§25.1's TEXT-UTF8char; a lone 0x9B is the same CSI).
func checkControls(l string, line int) error {
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c < 0x20 && c != '\t' || c == 0x7f:
			return parseErr(ErrMalformed, line, "control character 0x%02x at column %d: %s", c, i+1, quote(l))
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(l[i:])
			if r == utf8.RuneError && size <= 1 {
				return parseErr(ErrMalformed, line, "byte 0x%02x at column %d is not UTF-8: %s", c, i+1, quote(l))
			}
			if r < 0xa0 {
				return parseErr(ErrMalformed, line, "control character %U at column %d: %s", r, i+1, quote(l))
			}
			i += size - 1
		}
	}
	return nil
}

// isToken reports whether s is a non-empty RFC 3261 §25.1 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte("-.!%*_+`'~", c) >= 0) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// quote returns s in Go quoted form, cut to 80 bytes, so that a message
// shows hostile bytes escaped.
func quote(s string) string {
	if len(s) > 80 {
		return strconv.Quote(s[:80]) + "…"
	}
	return strconv.Quote(s)
}

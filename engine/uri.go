package engine

import (
	"fmt"
	"strings"

	"golang.org/x/net/idna"
)

// URI is a parsed sign-in address.
type URI struct {
	// Scheme is "sip" or "sips"; a bare user@domain gets "sip".
	Scheme string
	// User is the user part as typed, percent-escapes kept.
	User string
	// Domain is the host part in lower case ASCII (IDNA A-labels,
	// RFC 5891), without a trailing dot. It is the D of discovery.
	Domain string
	// Params are the URI parameters in the order given.
	Params []Param
}

// Param is one URI parameter (RFC 3261 §19.1.1 uri-parameter); Value is
// empty and HasValue false for a bare flag such as ";lr".
type Param struct {
	Name     string
	Value    string
	HasValue bool
}

// String returns u in canonical form: "sip:bob@contoso.com;transport=tls".
// ParseURI(u.String()) returns u again.
func (u URI) String() string {
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteByte(':')
	b.WriteString(u.User)
	b.WriteByte('@')
	b.WriteString(u.Domain)
	for _, p := range u.Params {
		b.WriteByte(';')
		b.WriteString(p.Name)
		if p.HasValue {
			b.WriteByte('=')
			b.WriteString(p.Value)
		}
	}
	return b.String()
}

// URIError reports a malformed sign-in address and where it went wrong.
type URIError struct {
	Input  string
	Offset int // byte offset into Input of the offending character
	Msg    string
}

func (e *URIError) Error() string {
	return fmt.Sprintf("bad sign-in address %q at offset %d: %s", e.Input, e.Offset, e.Msg)
}

// MaxURILength bounds the input ParseURI accepts.
const MaxURILength = 512

// ParseURI parses a sign-in address. The accepted grammar is this subset of
// RFC 3261 §19.1 (SIP-URI and SIPS-URI without password, port or headers):
//
//	address = [ ("sip:" / "sips:") ] user "@" domain *( ";" param )
//	user    = 1*( unreserved / escaped / "&" / "=" / "+" / "$" / "," / "?" / "/" )
//	domain  = a DNS name, U-labels allowed (converted to A-labels), an
//	          optional trailing dot; not an IP address
//	param   = pname [ "=" pvalue ]  (RFC 3261 paramchar, 1 to 64 bytes each)
//
// Surrounding white space is ignored; the scheme is case-insensitive; the
// domain is lower-cased. Errors are *URIError carrying the byte offset.
func ParseURI(s string) (URI, error) {
	fail := func(off int, format string, args ...any) (URI, error) {
		return URI{}, &URIError{Input: s, Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	if len(s) > MaxURILength {
		return fail(MaxURILength, "address is longer than %d bytes", MaxURILength)
	}
	start, end := 0, len(s)
	for start < end && isSpace(s[start]) {
		start++
	}
	for end > start && isSpace(s[end-1]) {
		end--
	}
	if start == end {
		return fail(0, "address is empty; type an address such as sip:bob@contoso.com")
	}
	u := URI{Scheme: "sip"}
	i := start
	if c := strings.IndexByte(s[i:end], ':'); c >= 0 && strings.IndexByte(s[i:i+c], '@') < 0 {
		scheme := strings.ToLower(s[i : i+c])
		switch scheme {
		case "sip", "sips":
			u.Scheme = scheme
		case "":
			return fail(i, "missing scheme before ':'")
		default:
			return fail(i, "unsupported scheme %q; use sip: or sips:", s[i:i+c])
		}
		i += c + 1
	}

	// User part, up to the '@'.
	at := strings.IndexByte(s[i:end], '@')
	if at < 0 {
		return fail(end, "missing '@': a sign-in address is user@domain")
	}
	if at == 0 {
		return fail(i, "missing user before '@'")
	}
	for j := i; j < i+at; j++ {
		c := s[j]
		switch {
		case c == '%':
			if j+2 >= i+at || !isHex(s[j+1]) || !isHex(s[j+2]) {
				return fail(j, "'%%' must start an escape such as %%40")
			}
			j += 2
		case c == ':':
			return fail(j, "a password is not allowed in a sign-in address")
		case isUnreserved(c) || strings.IndexByte("&=+$,?/", c) >= 0:
		default:
			return fail(j, "character %s is not allowed in the user part", quoteByte(c))
		}
	}
	u.User = s[i : i+at]
	i += at + 1

	// Domain, up to the first ';'.
	hostEnd := end
	if p := strings.IndexByte(s[i:end], ';'); p >= 0 {
		hostEnd = i + p
	}
	for j := i; j < hostEnd; j++ {
		switch c := s[j]; c {
		case ':':
			return fail(j, "a port is not part of a sign-in address; discovery finds the port")
		case '?':
			return fail(j, "headers are not allowed in a sign-in address")
		case '@':
			return fail(j, "a second '@' is not allowed")
		case '[':
			return fail(j, "an IP address is not a sign-in domain")
		}
	}
	d, off, err := normalizeDomain(s[i:hostEnd])
	if err != nil {
		return fail(i+off, "%v", err)
	}
	u.Domain = d
	i = hostEnd

	// Parameters.
	for i < end {
		i++ // the ';'
		pEnd := end
		if p := strings.IndexByte(s[i:end], ';'); p >= 0 {
			pEnd = i + p
		}
		raw := s[i:pEnd]
		var p Param
		if eq := strings.IndexByte(raw, '='); eq >= 0 {
			p = Param{Name: raw[:eq], Value: raw[eq+1:], HasValue: true}
			if p.Value == "" {
				return fail(i+eq+1, "parameter %q has an empty value", p.Name)
			}
		} else {
			p = Param{Name: raw}
		}
		if p.Name == "" {
			return fail(i, "empty parameter name")
		}
		if len(p.Name) > 64 || len(p.Value) > 64 {
			return fail(i, "parameter longer than 64 bytes")
		}
		for j := 0; j < len(raw); j++ {
			c := raw[j]
			if c == '=' && j == len(p.Name) {
				continue
			}
			if c == '%' {
				if j+2 >= len(raw) || !isHex(raw[j+1]) || !isHex(raw[j+2]) {
					return fail(i+j, "'%%' must start an escape such as %%3B")
				}
				j += 2
				continue
			}
			if !isUnreserved(c) && strings.IndexByte("[]/:&+$", c) < 0 {
				return fail(i+j, "character %s is not allowed in a parameter", quoteByte(c))
			}
		}
		u.Params = append(u.Params, p)
		i = pEnd
	}
	return u, nil
}

// NormalizeDomain returns name as discovery uses it: IDNA A-labels in lower
// case without the trailing dot, checked for DNS syntax (RFC 1035 §2.3.4
// lengths, RFC 5891 IDNA, letters, digits and hyphens). The sign-in domain
// must be a host name, so underscores are refused.
func NormalizeDomain(name string) (string, error) {
	d, _, err := normalizeDomain(name)
	return d, err
}

// normalizeDomain is NormalizeDomain that also returns the byte offset in
// name of the problem.
func normalizeDomain(name string) (string, int, error) {
	if name == "" {
		return "", 0, fmt.Errorf("missing domain after '@'")
	}
	trimmed := strings.TrimSuffix(name, ".")
	if trimmed == "" {
		return "", 0, fmt.Errorf("the root '.' is not a sign-in domain")
	}
	ascii := true
	for j := 0; j < len(trimmed); j++ {
		if trimmed[j] >= 0x80 {
			ascii = false
			break
		}
	}
	d := strings.ToLower(trimmed)
	if !ascii {
		a, err := idna.Lookup.ToASCII(trimmed)
		if err != nil {
			return "", 0, fmt.Errorf("domain %q is not a valid internationalized name: %v", name, err)
		}
		d = strings.ToLower(a)
	}
	if len(d) > 253 {
		off := 253
		if !ascii {
			off = 0
		}
		return "", off, fmt.Errorf("domain is longer than 253 bytes")
	}
	labelStart := 0
	for j := 0; j <= len(d); j++ {
		if j < len(d) && d[j] != '.' {
			c := d[j]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				off := j
				if !ascii {
					off = 0
				}
				return "", off, fmt.Errorf("character %s is not allowed in a domain name", quoteByte(name[off]))
			}
			continue
		}
		off := labelStart
		if !ascii {
			off = 0
		}
		n := j - labelStart
		switch {
		case n == 0:
			return "", off, fmt.Errorf("empty label in domain %q", name)
		case n > 63:
			return "", off, fmt.Errorf("label %q is longer than 63 bytes", d[labelStart:j])
		case d[labelStart] == '-' || d[j-1] == '-':
			return "", off, fmt.Errorf("label %q starts or ends with '-'", d[labelStart:j])
		}
		labelStart = j + 1
	}
	if !strings.Contains(d, ".") {
		return "", 0, fmt.Errorf("domain %q has a single label; a sign-in domain looks like contoso.com", name)
	}
	if allDigitsAndDots(d) {
		return "", 0, fmt.Errorf("an IP address is not a sign-in domain")
	}
	return d, 0, nil
}

func allDigitsAndDots(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// isUnreserved reports RFC 3261 §25.1 unreserved = alphanum / mark.
func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-_.!~*'()", c) >= 0
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", string(c))
	}
	return fmt.Sprintf("0x%02X", c)
}

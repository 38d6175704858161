package logread

import "strings"

// Redacted replaces a secret.
const Redacted = "[redacted]"

// authHeaders carry an authentication scheme and parameters: only the
// scheme and the parameters in keptParams survive redaction.
var authHeaders = map[string]bool{
	"authorization": true, "proxy-authorization": true,
	"www-authenticate": true, "proxy-authenticate": true,
	"authentication-info": true, "proxy-authentication-info": true,
}

// keptParams are the authentication parameters that are no secret: where
// to authenticate and with what, never a token, a response or a nonce.
var keptParams = map[string]bool{
	"realm": true, "targetname": true, "version": true, "qop": true,
	"algorithm": true, "username": true, "sts-uri": true,
}

// secretHeaders have values that are secret as a whole.
var secretHeaders = map[string]bool{
	"x-ms-webticket": true, "cookie": true, "set-cookie": true,
}

// RedactHeader returns a header's value with its secrets replaced: an
// authentication header keeps its scheme and its kept parameters (realm,
// targetname, version, qop, algorithm, username, sts-uri), every other
// parameter's value becomes [redacted]; X-MS-WebTicket, Cookie and
// Set-Cookie, and any header whose name speaks of a ticket, token,
// password or secret, become [redacted] whole.
func RedactHeader(name, value string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	switch {
	case secretHeaders[n] || strings.Contains(n, "ticket") || strings.Contains(n, "token") || strings.Contains(n, "password") || strings.Contains(n, "secret") || strings.Contains(n, "cookie"):
		return Redacted
	case authHeaders[n]:
		return redactAuth(value)
	}
	return Redact(value)
}

// redactAuth keeps an authentication value's scheme and kept parameters.
func redactAuth(v string) string {
	v = strings.TrimSpace(v)
	s := scheme(v)
	rest := strings.TrimSpace(v[len(s):])
	if s == "" {
		return Redacted
	}
	if rest == "" {
		return s
	}
	var b strings.Builder
	b.WriteString(s)
	for i, p := range splitParams(rest, ',') {
		name, _, ok := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		if !ok || !isToken(name) {
			// No name=value: a token68 credential (RFC 7235 §2.1).
			name = ""
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" ")
		switch {
		case name == "":
			b.WriteString(Redacted)
		case keptParams[strings.ToLower(name)]:
			b.WriteString(Redact(strings.TrimSpace(p)))
		default:
			b.WriteString(name + `="` + Redacted + `"`)
		}
	}
	return b.String()
}

func isToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// secretParams are parameters whose values Redact replaces wherever they
// appear in free text.
var secretParams = []string{"gssapi-data=", "response=", "rspauth=", "opaque=", "srand=", "snum=", "crand=", "cnum=", "nonce=", "cnonce=", "signature=", "password=", "token=", "ticket="}

// secretLines are header names after which Redact replaces the rest of
// the text.
var secretLines = []string{"authorization:", "proxy-authorization:", "authentication-info:", "x-ms-webticket:", "cookie:", "set-cookie:", "webticket"}

// Redact replaces the secrets free text may hold: the values of
// credential parameters (gssapi-data, response, rspauth, opaque, nonce
// and the like), everything after a credential header's name
// (Authorization:, X-MS-WebTicket:, Cookie: ...), and a URL's query.
func Redact(s string) string {
	if indexFold(s, "http") >= 0 {
		s = redactQuery(s)
	}
	if !maySecret(s) {
		return s
	}
	return redactParams(s)
}

// redactParams is Redact's replacement of credential headers' text and
// parameters' values, without the check that there is any (maySecret).
func redactParams(s string) string {
	l := strings.ToLower(s)
	for _, h := range secretLines {
		if i := strings.Index(l, h); i >= 0 {
			s, l = s[:i+len(h)]+" "+Redacted, l[:i+len(h)]+" "+strings.ToLower(Redacted)
		}
	}
	for _, p := range secretParams {
		for from := 0; ; {
			i := strings.Index(l[from:], p)
			if i < 0 {
				break
			}
			i += from + len(p)
			end := valueEnd(s, i)
			s = s[:i] + `"` + Redacted + `"` + s[end:]
			l = l[:i] + `"` + strings.ToLower(Redacted) + `"` + l[end:]
			from = i + len(Redacted) + 2
		}
	}
	return s
}

// valueEnd returns where a parameter value starting at i ends: after its
// closing quote, or at a comma, semicolon, space or the end.
func valueEnd(s string, i int) int {
	if i < len(s) && s[i] == '"' {
		for j := i + 1; j < len(s); j++ {
			if s[j] == '\\' {
				j++
				continue
			}
			if s[j] == '"' {
				return j + 1
			}
		}
		return len(s)
	}
	for j := i; j < len(s); j++ {
		switch s[j] {
		case ',', ';', ' ', '\t', '&':
			return j
		}
	}
	return len(s)
}

// redactQuery replaces the query of every http or https URL in s: a
// query may carry a ticket.
func redactQuery(s string) string {
	l := strings.ToLower(s)
	for from := 0; ; {
		i := strings.Index(l[from:], "http")
		if i < 0 {
			return s
		}
		i += from
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '"' && s[j] != '\'' && s[j] != '>' && s[j] != '<' {
			j++
		}
		if q := strings.IndexByte(s[i:j], '?'); q >= 0 && (strings.HasPrefix(l[i:], "http://") || strings.HasPrefix(l[i:], "https://")) {
			s = s[:i+q] + "?" + Redacted + s[j:]
			l = strings.ToLower(s)
			j = i + q + 1 + len(Redacted)
		}
		from = j
		if from >= len(s) {
			return s
		}
	}
}

// maySecret reports whether Redact has anything to replace in s beyond a
// URL's query: a secretLines name, or a secretParams name (each ends in
// "=") before one of its "=". It reads s once, without copying or
// lower-casing it; most header values hold neither.
func maySecret(s string) bool {
	// Each secretLines name but authentication-info: holds a z or a k,
	// which few values do.
	if strings.ContainsAny(s, "zZkK") {
		for _, h := range secretLines {
			if indexFold(s, h) >= 0 {
				return true
			}
		}
	} else if indexFold(s, "authentication-info:") >= 0 {
		return true
	}
	for i := strings.IndexByte(s, '='); i >= 0; {
		for _, p := range secretParams {
			name := p[:len(p)-1]
			if i >= len(name) && equalFold(s[i-len(name):i], name) {
				return true
			}
		}
		j := strings.IndexByte(s[i+1:], '=')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// upper returns c in upper case if it is a lower-case ASCII letter.
func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

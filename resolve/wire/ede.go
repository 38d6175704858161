package wire

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/miekg/dns"
)

// ExtendedError is implemented by a Resolver error that carries an
// Extended DNS Error (RFC 8914): the /dns-query handler
// (dohclient/server) answers it with SERVFAIL and an EDE option holding
// code (RFC 8914 §4, "INFO-CODE") and text ("EXTRA-TEXT", cut to 256
// bytes of valid UTF-8), so that a client sees why an upstream failed. A
// query without an OPT record gets SERVFAIL alone, since a reply may
// carry EDNS options only when the query did (RFC 6891 §7).
type ExtendedError interface {
	error
	EDE() (code uint16, text string)
}

// The RFC 8914 §4 INFO-CODEs sipdisco's resolvers report through
// ExtendedError.
const (
	// EDEOther (0) is an error no other code describes.
	EDEOther uint16 = dns.ExtendedErrorCodeOther
	// EDEProhibited (18): the server is configured to refuse the query;
	// "sipdisco serve --upstream" refuses names discovery never asks.
	EDEProhibited uint16 = dns.ExtendedErrorCodeProhibited
	// EDENoReachableAuthority (22): no server that was asked answered.
	EDENoReachableAuthority uint16 = dns.ExtendedErrorCodeNoReachableAuthority
	// EDENetworkError (23): talking to another server failed, or it
	// answered with an error.
	EDENetworkError uint16 = dns.ExtendedErrorCodeNetworkError
)

// maxEDERead bounds the EXTRA-TEXT EDEOf returns, in bytes.
const maxEDERead = 400

// EDEOf returns the first Extended DNS Error option of the reply m (RFC
// 8914): its INFO-CODE and EXTRA-TEXT, and whether m has one. The text
// comes from a server that may be hostile: it is cut to 400 bytes, and
// invalid UTF-8 and control characters are escaped.
func EDEOf(m *dns.Msg) (code uint16, text string, ok bool) {
	opt := m.IsEdns0()
	if opt == nil {
		return 0, "", false
	}
	for _, o := range opt.Option {
		if ede, ok := o.(*dns.EDNS0_EDE); ok {
			return ede.InfoCode, printable(cutText(ede.ExtraText, maxEDERead)), true
		}
	}
	return 0, "", false
}

// DescribeEDE returns an Extended DNS Error as a person reads it: "EDE 23
// Network Error: the text".
func DescribeEDE(code uint16, text string) string {
	s := fmt.Sprintf("EDE %d", code)
	if name, ok := dns.ExtendedErrorCodeToString[code]; ok {
		s += " " + name
	}
	if text != "" {
		s += ": " + text
	}
	return s
}

// printable returns s with invalid UTF-8 and control characters written
// as \xNN and \uNNNN escapes, so that text from a server can neither
// move a terminal's cursor nor break a line.
func printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// cutText returns s cut to at most n bytes on a character boundary, with
// "..." when something was cut.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n - 3
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

package signin

import (
	"fmt"
	"strings"
)

// Kind names one sort of value that a SIP REGISTER exchange needs to be
// unique or unpredictable. Simulate asks an IDs source for each of them
// and never invents one itself.
type Kind int

// The kinds of generated values, with the form IDs.Next must return for
// each. Simulate rejects a value of the wrong form, so a faulty source can
// never put a character into a header that would change its meaning.
const (
	// CallID is the Call-ID of the registration: 1 to 64 letters or digits
	// (Communicator uses 32 hex digits).
	CallID Kind = iota
	// Tag is the From tag of the client: 1 to 32 letters or digits.
	Tag
	// ServerTag is the To tag a server adds to its responses: 1 to 32
	// letters or digits (Office Communications Server uses 32 hex digits).
	ServerTag
	// Epid is the endpoint identifier of [MS-SIPRE], the epid parameter on
	// the From header: 1 to 16 letters or digits (10 hex digits in traces).
	// The +sip.instance of the Contact is derived from it ([MS-SIPRE]
	// §3.3.3), not drawn.
	Epid
	// ContactOpaque is the ms-opaque parameter of the client's Contact
	// URI: 1 to 16 hex digits (10 in traces).
	ContactOpaque
	// ConnectionID is the ms-received-cid a server adds to the Via and the
	// Contact for the connection a request came in on: 1 to 8 hex digits
	// (such as 2600 or 1C500 in traces).
	ConnectionID
	// Opaque is the opaque parameter of a security association: 1 to 16
	// hex digits (8 in traces).
	Opaque
	// Token is the random part of one gssapi-data blob: 2 to 256 hex digits,
	// an even number. Simulate frames it (NTLMSSP signature, GSS-API or TLS
	// record header) and encodes it in base64.
	Token
	// Signature is the random part of a message signature or a salt
	// (rspauth, response, srand, crand): 40 hex digits, the length of a
	// TLS-DSK signature (HMAC-SHA1); NTLM and Kerberos signatures and the
	// 8-digit salts take their shorter parts from its end.
	Signature
	numKinds
)

var kindNames = [numKinds]string{"call-id", "tag", "server-tag", "epid", "contact-opaque", "connection-id", "opaque", "token", "signature"}

// String returns the kind's name, such as "call-id".
func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// IDs is the source of every generated value in an exchange. Tests pass a
// Counter so that a golden file pins every byte; a caller that wants
// realistic values passes RandIDs with its own random source. Simulate
// calls Next in a fixed order, so the same source state always yields the
// same exchange.
type IDs interface {
	Next(k Kind) string
}

// IDsFunc adapts a function to the IDs interface.
type IDsFunc func(k Kind) string

// Next returns f(k).
func (f IDsFunc) Next(k Kind) string { return f(k) }

// Counter is a deterministic IDs source: each kind has its own counter,
// and its values are that counter in the kind's form, so that a value
// reads as what it is (the third tag is "0000000003"). The zero value is
// ready to use.
type Counter struct {
	n [numKinds]uint64
}

// Next returns the next counter value of kind k in that kind's form.
func (c *Counter) Next(k Kind) string {
	if k < 0 || k >= numKinds {
		return ""
	}
	c.n[k]++
	n := c.n[k]
	switch k {
	case CallID:
		return fmt.Sprintf("%032x", n)
	case ServerTag:
		return fmt.Sprintf("%032X", n)
	case ConnectionID:
		return fmt.Sprintf("%X00", n)
	case Opaque:
		return fmt.Sprintf("%08X", n)
	case Token:
		return fmt.Sprintf("%032x", n)
	case Signature:
		return fmt.Sprintf("%040X", n)
	default: // Tag, Epid, ContactOpaque
		return fmt.Sprintf("%010x", n)
	}
}

// RandIDs returns an IDs source that draws its values from next, a source
// of random 64-bit numbers owned by the caller (the package itself never
// touches a global random source or the clock).
func RandIDs(next func() uint64) IDs {
	hex := func(digits int, upper bool) string {
		var b strings.Builder
		for b.Len() < digits {
			fmt.Fprintf(&b, "%016x", next())
		}
		s := b.String()[:digits]
		if upper {
			s = strings.ToUpper(s)
		}
		return s
	}
	return IDsFunc(func(k Kind) string {
		switch k {
		case CallID:
			return hex(32, false)
		case ServerTag:
			return hex(32, true)
		case ConnectionID:
			return strings.TrimLeft(hex(4, true), "0") + "00"
		case Opaque:
			return hex(8, true)
		case Token:
			return hex(48, false)
		case Signature:
			return hex(40, true)
		default:
			return hex(10, false)
		}
	})
}

// checkID reports whether v has the form that kind k requires.
func checkID(k Kind, v string) error {
	bad := func(want string) error {
		return fmt.Errorf("register: IDs source gave %s %q; want %s", k, v, want)
	}
	switch k {
	case CallID:
		if !alnum(v, 1, 64) {
			return bad("1 to 64 letters or digits")
		}
	case Tag, ServerTag:
		if !alnum(v, 1, 32) {
			return bad("1 to 32 letters or digits")
		}
	case Epid:
		if !alnum(v, 1, 16) {
			return bad("1 to 16 letters or digits")
		}
	case ContactOpaque:
		if !hexDigits(v, 1, 16) {
			return bad("1 to 16 hex digits")
		}
	case ConnectionID:
		if !hexDigits(v, 1, 8) {
			return bad("1 to 8 hex digits")
		}
	case Opaque:
		if !hexDigits(v, 1, 16) {
			return bad("1 to 16 hex digits")
		}
	case Token:
		if !hexDigits(v, 2, 256) || len(v)%2 != 0 {
			return bad("an even number (2 to 256) of hex digits")
		}
	case Signature:
		if !hexDigits(v, 40, 40) {
			return bad("40 hex digits")
		}
	default:
		return fmt.Errorf("register: unknown kind %d", int(k))
	}
	return nil
}

func alnum(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func hexDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

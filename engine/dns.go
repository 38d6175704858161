package engine

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Type is a DNS resource record type (RFC 1035 §3.2.2, RFC 2782, RFC 3596).
type Type uint16

// The record types discovery asks about or follows.
const (
	TypeA     Type = 1
	TypeCNAME Type = 5
	TypeTXT   Type = 16
	TypeAAAA  Type = 28
	TypeSRV   Type = 33
)

var typeNames = map[Type]string{
	TypeA: "A", TypeCNAME: "CNAME", TypeTXT: "TXT", TypeAAAA: "AAAA", TypeSRV: "SRV",
}

// String returns the mnemonic of t ("SRV"), or "TYPE<n>" as RFC 3597 writes
// unknown types.
func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return "TYPE" + strconv.Itoa(int(t))
}

// MarshalText writes t as String does.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (t *Type) UnmarshalText(b []byte) error {
	v, err := ParseType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// ParseType returns the Type named by s ("srv", "A", "TYPE33").
func ParseType(s string) (Type, error) {
	u := strings.ToUpper(s)
	for t, n := range typeNames {
		if n == u {
			return t, nil
		}
	}
	if n, ok := strings.CutPrefix(u, "TYPE"); ok {
		if v, err := strconv.ParseUint(n, 10, 16); err == nil {
			return Type(v), nil
		}
	}
	return 0, fmt.Errorf("unknown DNS record type %q", s)
}

// RCode is a DNS response code (RFC 1035 §4.1.1, RFC 6895).
type RCode int

// NoRCode stands for the response code of an answer never obtained; it
// is written as the empty string.
const NoRCode RCode = -1

// The response codes discovery distinguishes.
const (
	RCodeSuccess        RCode = 0 // NOERROR
	RCodeFormatError    RCode = 1 // FORMERR
	RCodeServerFailure  RCode = 2 // SERVFAIL
	RCodeNameError      RCode = 3 // NXDOMAIN
	RCodeNotImplemented RCode = 4 // NOTIMP
	RCodeRefused        RCode = 5 // REFUSED
)

var rcodeNames = map[RCode]string{
	RCodeSuccess: "NOERROR", RCodeFormatError: "FORMERR", RCodeServerFailure: "SERVFAIL",
	RCodeNameError: "NXDOMAIN", RCodeNotImplemented: "NOTIMP", RCodeRefused: "REFUSED",
}

// String returns the mnemonic of r ("NXDOMAIN"), "RCODE<n>", or "" for
// NoRCode.
func (r RCode) String() string {
	if s, ok := rcodeNames[r]; ok {
		return s
	}
	if r == NoRCode {
		return ""
	}
	return "RCODE" + strconv.Itoa(int(r))
}

// ParseRCode returns the RCode named by s ("nxdomain", "SERVFAIL",
// "RCODE9").
func ParseRCode(s string) (RCode, error) {
	u := strings.ToUpper(s)
	for r, n := range rcodeNames {
		if n == u {
			return r, nil
		}
	}
	if n, ok := strings.CutPrefix(u, "RCODE"); ok {
		if v, err := strconv.ParseUint(n, 10, 12); err == nil {
			return RCode(v), nil
		}
	}
	return 0, fmt.Errorf("unknown DNS response code %q", s)
}

// MarshalText writes r as String does.
func (r RCode) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads what MarshalText writes; "" is NoRCode.
func (r *RCode) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = NoRCode
		return nil
	}
	v, err := ParseRCode(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Question is one DNS question. Name is a fully qualified domain name in
// lower case without the trailing dot ("_sip._tls.contoso.com"); the class
// is always IN.
type Question struct {
	Name string
	Type Type
}

// String returns the question as "NAME TYPE".
func (q Question) String() string { return q.Name + " " + q.Type.String() }

// Record is one resource record of an answer. Only the fields of its Type
// are set: Addr for A and AAAA; Target for CNAME; Priority, Weight, Port and
// Target for SRV; Text for TXT. Names are lower case without the trailing
// dot; an SRV Target of "." (RFC 2782 "service not available") is kept as
// ".".
type Record struct {
	Name     string
	Type     Type
	TTL      uint32
	Addr     netip.Addr
	Target   string
	Priority uint16
	Weight   uint16
	Port     uint16
	Text     []string
}

// Data returns the record's data in zone-file presentation form, the part
// after the type: "10 50 5061 sip.contoso.com." for SRV, "192.0.2.1" for A.
// TXT strings are quoted as zone files write them (RFC 1035 §5.1: '"' and
// '\\' escaped with a backslash, other bytes outside printable ASCII as
// \DDD), so the result is always a single printable line.
func (r Record) Data() string {
	switch r.Type {
	case TypeA, TypeAAAA:
		return r.Addr.String()
	case TypeCNAME:
		return fqdn(r.Target)
	case TypeSRV:
		return fmt.Sprintf("%d %d %d %s", r.Priority, r.Weight, r.Port, fqdn(r.Target))
	case TypeTXT:
		parts := make([]string, len(r.Text))
		for i, s := range r.Text {
			parts[i] = quoteTXT(s)
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// String returns r as one zone-file line without TTL and class:
// "_sip._tls.contoso.com. SRV 0 0 443 sip.contoso.com.".
func (r Record) String() string {
	return fqdn(r.Name) + " " + r.Type.String() + " " + r.Data()
}

func fqdn(name string) string {
	if name == "." || strings.HasSuffix(name, ".") {
		return name
	}
	return name + "."
}

// Answer is a DNS response reduced to what discovery needs: the response
// code and the records of the answer section, CNAMEs included in the order
// the server gave them. NXDOMAIN, NODATA (NOERROR with no records of the
// asked type) and SERVFAIL are all answers, not errors.
type Answer struct {
	RCode   RCode
	Records []Record
	// Server names who answered, when a resolver asks several
	// ("10.0.0.2:53, after 10.0.0.1:53 answered SERVFAIL"); empty when
	// there is only one to ask. Discovery copies it into the step.
	Server string
	// Additional holds the address records (A and AAAA, class IN) of the
	// response's additional section, names and targets as in Records.
	// Authoritative servers such as nsd put there the addresses of an SRV
	// answer's targets (RFC 2782, "Implicit additional processing":
	// "Implementors are urged, but not required, to return the address
	// record(s) in the Additional Data section"); discovery uses those
	// that name a target of the answer under the sign-in domain instead
	// of asking for them in a second round (docs/adr/0002-discovery-rounds.md).
	Additional []Record
}

// Contradiction returns why a cannot be believed, or "": an NXDOMAIN
// (the name does not exist) that carries records in its answer section
// other than the CNAME chain leading to the name that does not exist
// (RFC 6604 §2, RFC 2308 §2.1) says both that the name exists and that it
// does not. Every DNS client takes such a reply as a failure of the
// server for that question, not as an answer.
func (a Answer) Contradiction() string {
	if a.RCode != RCodeNameError {
		return ""
	}
	for _, r := range a.Records {
		if r.Type != TypeCNAME {
			return "answered NXDOMAIN with " + r.Type.String() + " records in the answer section, a reply that contradicts itself (taken as a server failure)"
		}
	}
	return ""
}

// Resolver answers DNS questions. Implementations: DNS-over-HTTPS
// (dohclient), authoritative in-memory zones (resolve/zone) and test fakes.
//
// Resolve returns an error only when no answer was obtained at all
// (timeout, network failure, a malformed response); the error text should
// say which. Every DNS response, whatever its RCode, is an Answer.
type Resolver interface {
	Resolve(ctx context.Context, q Question) (Answer, error)
}

// ResolverFunc adapts a function to the Resolver interface.
type ResolverFunc func(ctx context.Context, q Question) (Answer, error)

// Resolve calls f(ctx, q).
func (f ResolverFunc) Resolve(ctx context.Context, q Question) (Answer, error) { return f(ctx, q) }

// quoteTXT writes one character-string in zone-file form (RFC 1035 §5.1).
func quoteTXT(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

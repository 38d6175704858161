package wire

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"
)

// CheckReply returns why m is not a reply to query, or "" when it is: m
// must be a response (QR set) with query's ID and opcode, at most one OPT
// record and that in the additional section (RFC 6891 §6.1.1), holding
// exactly one question equal to query's (names compared
// case-insensitively, RFC 4343), as RFC 1035 §7.3 asks a resolver to check
// before it believes an answer. query must hold one question. The TC bit
// is not examined: over UDP a truncated reply means "ask again over TCP"
// (RFC 7766 §5), over HTTP it is an error; the caller decides.
func CheckReply(query, m *dns.Msg) string {
	switch {
	case !m.Response:
		return "DNS message is a query, not a response (QR bit clear)"
	case m.Id != query.Id:
		return fmt.Sprintf("DNS response ID is %d, want %d", m.Id, query.Id)
	case m.Opcode != query.Opcode:
		return fmt.Sprintf("DNS response opcode is %s, want %s", dns.OpcodeToString[m.Opcode], dns.OpcodeToString[query.Opcode])
	case CountOPT(m) > 1:
		return fmt.Sprintf("DNS response has %d OPT records, want at most one (RFC 6891 §6.1.1)", CountOPT(m))
	case MisplacedOPT(m):
		return "DNS response has an OPT record outside the additional section (RFC 6891 §6.1.1)"
	}
	want := query.Question[0]
	switch {
	case len(m.Question) == 0:
		return fmt.Sprintf("DNS response (%s) does not echo the question", rcodeString(m.Rcode))
	case len(m.Question) > 1:
		return fmt.Sprintf("DNS response has %d questions, want 1", len(m.Question))
	}
	got := m.Question[0]
	if !strings.EqualFold(got.Name, want.Name) || got.Qtype != want.Qtype || got.Qclass != want.Qclass {
		return fmt.Sprintf("DNS response is for %s, not the question asked (%s)", questionString(got), questionString(want))
	}
	return ""
}

// CheckCounts returns why the packed message wire, unpacked as m, is not
// whole, or "": miekg/dns stops quietly where the data ends, so a message
// cut at a record boundary would otherwise lose records unnoticed.
func CheckCounts(m *dns.Msg, wire []byte) string {
	if got, want := sectionCounts(m), headerCounts(wire); got != want {
		return fmt.Sprintf("it ends before the records its header announces (%v, found %v)", want, got)
	}
	return ""
}

func rcodeString(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
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

package wire

import (
	"net/netip"
	"strings"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
)

// This file is where miekg/dns and engine vocabularies meet; nothing else
// in the module converts between them.

// QuestionMsg returns a recursive query for q with ID 0 (RFC 8484 §4.1:
// a DoH client should use ID 0 so that identical requests cache alike).
func QuestionMsg(q engine.Question) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(q.Name), uint16(q.Type))
	m.Id = 0
	m.RecursionDesired = true
	return m
}

// EngineName returns a DNS name as engine spells names: lower case, no
// trailing dot, the root kept as ".".
func EngineName(name string) string {
	if name == "." || name == "" {
		return "."
	}
	return strings.ToLower(strings.TrimSuffix(name, "."))
}

// ToRecord converts one resource record. ok is false for types engine does
// not model (they are skipped by ToAnswer). TXT strings become their raw
// bytes, without miekg/dns's presentation escapes.
func ToRecord(rr dns.RR) (r engine.Record, ok bool) {
	h := rr.Header()
	r = engine.Record{Name: EngineName(h.Name), Type: engine.Type(h.Rrtype), TTL: h.Ttl}
	switch v := rr.(type) {
	case *dns.A:
		a, ok := netip.AddrFromSlice(v.A.To4())
		if !ok {
			return r, false
		}
		r.Addr = a
	case *dns.AAAA:
		a, ok := netip.AddrFromSlice(v.AAAA.To16())
		if !ok {
			return r, false
		}
		r.Addr = a
	case *dns.CNAME:
		r.Target = EngineName(v.Target)
	case *dns.SRV:
		r.Priority, r.Weight, r.Port = v.Priority, v.Weight, v.Port
		r.Target = EngineName(v.Target)
	case *dns.TXT:
		r.Text = make([]string, len(v.Txt))
		for i, t := range v.Txt {
			r.Text[i] = txtRaw(t)
		}
	default:
		return r, false
	}
	return r, true
}

// ToAnswer converts a DNS response to an engine.Answer: the RCode, the
// answer-section records engine models, in order, and the additional
// section's address records of class IN (engine.Answer.Additional).
func ToAnswer(m *dns.Msg) engine.Answer {
	a := engine.Answer{RCode: engine.RCode(m.Rcode)}
	for _, rr := range m.Answer {
		if r, ok := ToRecord(rr); ok {
			a.Records = append(a.Records, r)
		}
	}
	for _, rr := range m.Extra {
		h := rr.Header()
		if h.Class != dns.ClassINET || h.Rrtype != dns.TypeA && h.Rrtype != dns.TypeAAAA {
			continue
		}
		if r, ok := ToRecord(rr); ok {
			a.Additional = append(a.Additional, r)
		}
	}
	return a
}

// FromRecord converts an engine.Record back to a resource record of class
// IN. ok is false for a record of a type engine does not model. TXT strings
// are taken as raw bytes and escaped for miekg/dns.
func FromRecord(r engine.Record) (rr dns.RR, ok bool) {
	h := dns.RR_Header{Name: dns.Fqdn(r.Name), Rrtype: uint16(r.Type), Class: dns.ClassINET, Ttl: r.TTL}
	switch r.Type {
	case engine.TypeA:
		return &dns.A{Hdr: h, A: r.Addr.AsSlice()}, r.Addr.Is4()
	case engine.TypeAAAA:
		return &dns.AAAA{Hdr: h, AAAA: r.Addr.AsSlice()}, r.Addr.Is6()
	case engine.TypeCNAME:
		return &dns.CNAME{Hdr: h, Target: dns.Fqdn(r.Target)}, true
	case engine.TypeSRV:
		return &dns.SRV{Hdr: h, Priority: r.Priority, Weight: r.Weight, Port: r.Port, Target: dns.Fqdn(r.Target)}, true
	case engine.TypeTXT:
		txt := make([]string, len(r.Text))
		for i, t := range r.Text {
			txt[i] = txtPresentation(t)
		}
		return &dns.TXT{Hdr: h, Txt: txt}, true
	}
	return nil, false
}

// ReplyMsg builds the response to query q carrying answer a: same ID and
// question, the RCode, a's records in the answer section and its
// Additional records in the additional section. RA is left
// clear: the servers sipdisco runs answer from their own data and do not
// recurse (RFC 1035 §4.1.1).
func ReplyMsg(q *dns.Msg, a engine.Answer) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(q)
	m.Rcode = int(a.RCode)
	for _, r := range a.Records {
		if rr, ok := FromRecord(r); ok {
			m.Answer = append(m.Answer, rr)
		}
	}
	for _, r := range a.Additional {
		if rr, ok := FromRecord(r); ok {
			m.Extra = append(m.Extra, rr)
		}
	}
	return m
}

// txtRaw returns the bytes of a TXT character-string as miekg/dns holds it,
// in presentation form with \X and \DDD escapes (RFC 1035 §5.1); engine
// keeps TXT strings raw.
func txtRaw(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			c = s[i]
			if i+2 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) {
				if n := int(s[i]-'0')*100 + int(s[i+1]-'0')*10 + int(s[i+2]-'0'); n <= 255 {
					c = byte(n)
					i += 2
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// txtPresentation is the inverse of txtRaw: it escapes the double quote and
// the backslash with a backslash and other bytes outside printable ASCII as
// \DDD, as miekg/dns does when it unpacks.
func txtPresentation(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			b.WriteByte('\\')
			b.WriteByte('0' + c/100)
			b.WriteByte('0' + c/10%10)
			b.WriteByte('0' + c%10)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

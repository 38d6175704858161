package dohclient

import (
	"errors"
	"net/netip"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// This file reads a DNS message (RFC 1035 §4.1) as miekg/dns reads it,
// for the records discovery uses: the same names in the same
// presentation form, the same limits, the same verdict on malformed
// record data of those types. Records of other types are skipped, their
// data unread.

// The DNS types and class the parser reads (RFC 1035 §3.2.2, RFC 3596,
// RFC 2782, RFC 6891).
const (
	typeA     = 1
	typeCNAME = 5
	typeTXT   = 16
	typeAAAA  = 28
	typeSRV   = 33
	typeOPT   = 41
	classINET = 1
)

// Limits of a name, as miekg/dns applies them: 255 octets on the wire
// (RFC 1035 §2.3.4), and at most 126 compression pointers followed.
const (
	maxNameOctets   = 255
	maxNamePointers = (maxNameOctets+1)/2 - 2
)

var (
	errShort    = errors.New("the message ends inside a field")
	errLongName = errors.New("a name is longer than 255 octets")
	errPointers = errors.New("a name follows too many compression pointers")
	errLabel    = errors.New("a name has a label of a reserved type (0x40 or 0x80)")
	errRDLength = errors.New("a record's data does not match its length")
)

// message is what Decode keeps of a parsed response.
type message struct {
	id        uint16
	response  bool
	opcode    int
	truncated bool
	rcode     int
	questions []question
	answer    engine.Answer
	// sent counts the answer section's records; opts the OPT records,
	// misplaced whether one is outside the additional section.
	sent      int
	opts      int
	misplaced bool
}

type question struct {
	name          string
	qtype, qclass uint16
}

// header is a resource record's header (RFC 1035 §4.1.3).
type header struct {
	name         string
	rtype, class uint16
	ttl          uint32
	// rdata is the record's data, the message cut at its end (names in
	// it may point back into the message).
	msg      []byte
	off, end int
}

func u16(b []byte, off int) (uint16, int, error) {
	if off+2 > len(b) {
		return 0, off, errShort
	}
	return uint16(b[off])<<8 | uint16(b[off+1]), off + 2, nil
}

func u32(b []byte, off int) (uint32, int, error) {
	if off+4 > len(b) {
		return 0, off, errShort
	}
	return uint32(b[off])<<24 | uint32(b[off+1])<<16 | uint32(b[off+2])<<8 | uint32(b[off+3]), off + 4, nil
}

// name reads the name at off in msg, following compression pointers,
// and returns it in presentation form with the trailing dot (see
// presentationFQDN) and the offset after it.
func name(msg []byte, off int) (string, int, error) {
	var b strings.Builder
	budget := maxNameOctets
	pointers := 0
	next := -1
	for {
		if off >= len(msg) {
			return "", 0, errShort
		}
		c := int(msg[off])
		off++
		switch c & 0xC0 {
		case 0x00:
			if c == 0 {
				if next < 0 {
					next = off
				}
				if b.Len() == 0 {
					return ".", next, nil
				}
				return b.String(), next, nil
			}
			if off+c > len(msg) {
				return "", 0, errShort
			}
			if budget -= c + 1; budget <= 0 {
				return "", 0, errLongName
			}
			writeLabel(&b, msg[off:off+c])
			b.WriteByte('.')
			off += c
		case 0xC0:
			if off >= len(msg) {
				return "", 0, errShort
			}
			if next < 0 {
				next = off + 1
			}
			if pointers++; pointers > maxNamePointers {
				return "", 0, errPointers
			}
			off = (c&0x3F)<<8 | int(msg[off])
		default:
			return "", 0, errLabel
		}
	}
}

// writeLabel writes one label's bytes as miekg/dns presents them:
// '.', ' ', '\”, '@', ';', '(', ')', '"' and '\\' after a backslash,
// other bytes outside printable ASCII as \DDD (RFC 1035 §5.1).
func writeLabel(b *strings.Builder, label []byte) {
	for _, c := range label {
		switch {
		case c == '.' || c == ' ' || c == '\'' || c == '@' || c == ';' || c == '(' || c == ')' || c == '"' || c == '\\':
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
}

// engineName is a presentation name as engine spells names: lower case,
// no trailing dot, the root kept as ".".
func engineName(s string) string {
	if s == "." || s == "" {
		return "."
	}
	return strings.ToLower(strings.TrimSuffix(s, "."))
}

func parse(msg []byte) (*message, error) {
	if len(msg) < 12 {
		return nil, errors.New("the message is shorter than its 12-octet header")
	}
	m := &message{id: uint16(msg[0])<<8 | uint16(msg[1])}
	flags := uint16(msg[2])<<8 | uint16(msg[3])
	m.response = flags&(1<<15) != 0
	m.opcode = int(flags>>11) & 0xF
	m.truncated = flags&(1<<9) != 0
	m.rcode = int(flags & 0xF)
	var counts [4]int
	for i := range counts {
		counts[i] = int(msg[4+2*i])<<8 | int(msg[5+2*i])
	}
	off := 12
	for range counts[0] {
		var q question
		var err error
		if q.name, off, err = name(msg, off); err != nil {
			return nil, err
		}
		if q.qtype, off, err = u16(msg, off); err != nil {
			return nil, err
		}
		if q.qclass, off, err = u16(msg, off); err != nil {
			return nil, err
		}
		m.questions = append(m.questions, q)
	}
	extended := -1
	for section := 1; section <= 3; section++ {
		for range counts[section] {
			h, err := readHeader(msg, off)
			if err != nil {
				return nil, err
			}
			off = h.end
			if h.rtype == typeOPT {
				m.opts++
				if section != 3 {
					m.misplaced = true
				} else {
					// miekg/dns takes the extended RCODE of the last OPT
					// record (RFC 6891 §6.1.3: its TTL's upper 8 bits).
					extended = int(h.ttl >> 24)
				}
			}
			if section == 3 && (h.rtype == typeA || h.rtype == typeAAAA) && h.class == classINET {
				// An SRV target's address, which servers may add
				// (engine.Answer.Additional).
				r, ok, err := h.record()
				if err != nil {
					return nil, err
				}
				if ok {
					m.answer.Additional = append(m.answer.Additional, r)
				}
			}
			if section != 1 {
				continue
			}
			m.sent++
			r, ok, err := h.record()
			if err != nil {
				return nil, err
			}
			if ok {
				m.answer.Records = append(m.answer.Records, r)
			}
		}
	}
	m.answer.RCode = engine.RCode(m.rcode)
	if extended >= 0 {
		m.answer.RCode = engine.RCode(m.rcode | extended<<4)
	}
	return m, nil
}

// readHeader reads the record at off: its header, and where its data
// starts and ends.
func readHeader(msg []byte, off int) (header, error) {
	var h header
	var err error
	if h.name, off, err = name(msg, off); err != nil {
		return h, err
	}
	if h.rtype, off, err = u16(msg, off); err != nil {
		return h, err
	}
	if h.class, off, err = u16(msg, off); err != nil {
		return h, err
	}
	if h.ttl, off, err = u32(msg, off); err != nil {
		return h, err
	}
	var rdlength uint16
	if rdlength, off, err = u16(msg, off); err != nil {
		return h, err
	}
	h.off, h.end = off, off+int(rdlength)
	if h.end > len(msg) {
		return h, errRDLength
	}
	h.msg = msg[:h.end]
	return h, nil
}

// record reads the data of h: ok is false for a type engine does not
// model, or an address record without data. Empty data gives the zero
// record of its type, as miekg/dns reads it.
func (h header) record() (engine.Record, bool, error) {
	r := engine.Record{Name: engineName(h.name), Type: engine.Type(h.rtype), TTL: h.ttl}
	data := h.msg[h.off:h.end]
	empty := len(data) == 0
	switch h.rtype {
	case typeA:
		if empty {
			return r, false, nil
		}
		if len(data) != 4 {
			return r, false, errRDLength
		}
		r.Addr = netip.AddrFrom4([4]byte(data))
	case typeAAAA:
		if empty {
			return r, false, nil
		}
		if len(data) != 16 {
			return r, false, errRDLength
		}
		r.Addr = netip.AddrFrom16([16]byte(data))
	case typeCNAME:
		r.Target = "."
		if !empty {
			t, end, err := name(h.msg, h.off)
			if err != nil {
				return r, false, err
			}
			if end != h.end {
				return r, false, errRDLength
			}
			r.Target = engineName(t)
		}
	case typeSRV:
		r.Target = "."
		if !empty {
			off := h.off
			var err error
			if r.Priority, off, err = u16(h.msg, off); err != nil {
				return r, false, err
			}
			if r.Weight, off, err = u16(h.msg, off); err != nil {
				return r, false, err
			}
			if r.Port, off, err = u16(h.msg, off); err != nil {
				return r, false, err
			}
			t, end, err := name(h.msg, off)
			if err != nil {
				return r, false, err
			}
			if end != h.end {
				return r, false, errRDLength
			}
			r.Target = engineName(t)
		}
	case typeTXT:
		r.Text = []string{}
		for off := 0; off < len(data); {
			n := int(data[off])
			off++
			if off+n > len(data) {
				return r, false, errShort
			}
			r.Text = append(r.Text, string(data[off:off+n]))
			off += n
		}
	default:
		return r, false, nil
	}
	return r, true, nil
}

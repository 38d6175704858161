package wire

import (
	"fmt"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
)

// This file builds DNS replies as the /dns-query handler
// (dohclient/server) sends them. It carries no build constraint so that
// the in-memory zones (resolve/zone), which run in the browser's second
// module too, can ask whether an answer would fit.

// PackReply encodes resp, the reply to q, as the /dns-query handler sends
// it:
//
//   - names compressed (RFC 1035 §4.1.4);
//   - when q has an OPT record, resp gets one (RFC 6891 §6.1.1) with the DO
//     bit copied (RFC 3225 §3), ede as an Extended DNS Error option
//     (RFC 8914) if not nil, and padding to a multiple of 468 octets if q
//     was padded (RFC 8467 §4.1); without an OPT in q there is none in
//     resp and ede is dropped (RFC 6891 §7);
//   - when the reply still exceeds 65,535 octets, the records that do not
//     fit are left out and the TC bit is set, as a DNS server over TCP
//     would (RFC 1035 §4.2.2, RFC 2181 §9).
//
// It returns an error only when resp cannot be encoded at all (an RCode
// over 12 bits, for example).
func PackReply(q, resp *dns.Msg, ede *dns.EDNS0_EDE) ([]byte, error) {
	resp.Compress = true
	qopt := q.IsEdns0()
	padded := false
	if qopt != nil {
		resp.SetEdns0(dohclient.UDPSize, qopt.Do())
		opt := resp.IsEdns0()
		if ede != nil {
			opt.Option = append(opt.Option, ede)
		}
		if padded = HasPadding(q); padded {
			// An empty Padding option now, so that truncation counts it.
			opt.Option = append(opt.Option, new(dns.EDNS0_PADDING))
		}
	}
	if resp.Len() > dns.MaxMsgSize {
		resp.Truncate(dns.MaxMsgSize)
	}
	var b []byte
	var err error
	if padded {
		b, err = Pad(resp, ResponsePadBlock)
	} else {
		b, err = resp.Pack()
	}
	if err == nil && len(b) > dns.MaxMsgSize {
		return nil, fmt.Errorf("reply of %d octets exceeds %d", len(b), dns.MaxMsgSize)
	}
	return b, err
}

// optRoom is more than an OPT record with an Extended DNS Error and an
// empty Padding option add to a reply (RFC 6891 §6.1.2: 11 octets for the
// record, 4 for each option's header).
const optRoom = 256

// CheckMessageSize reports whether the reply carrying a, the answer to q,
// fits in one DNS message as the /dns-query handler would send it to
// dohclient's Client. When it does not, the error is a
// *dohclient.TruncatedError holding a and reading exactly as the Client's
// error for that reply would, so that an
// answer given from memory and the same answer fetched over DoH lead to
// the same report.
func CheckMessageSize(q engine.Question, a engine.Answer) error {
	if len(a.Records) == 0 {
		return nil
	}
	query := QuestionMsg(q)
	// The answer's uncompressed length bounds the reply's; with room for
	// the OPT record and an empty Padding option (which padding only
	// fills while it fits), a reply under the limit is not truncated, and
	// most answers are far under it: no need to pack them.
	if bound := ReplyMsg(query, a); bound.Len()+optRoom <= dns.MaxMsgSize {
		return nil
	}
	if _, err := Pad(query, dohclient.QueryPadBlock); err != nil {
		return nil // a question that cannot be sent is the caller's concern
	}
	resp := ReplyMsg(query, a)
	if _, err := PackReply(query, resp, nil); err != nil {
		return nil
	}
	if resp.Truncated {
		return &dohclient.TruncatedError{Answer: a, Sent: len(resp.Answer)}
	}
	return nil
}

// CountOPT returns how many OPT records m has in all its sections.
func CountOPT(m *dns.Msg) int {
	n := 0
	for _, sec := range [][]dns.RR{m.Answer, m.Ns, m.Extra} {
		for _, rr := range sec {
			if rr.Header().Rrtype == dns.TypeOPT {
				n++
			}
		}
	}
	return n
}

// MisplacedOPT reports whether m has an OPT record outside its
// additional section.
func MisplacedOPT(m *dns.Msg) bool {
	for _, sec := range [][]dns.RR{m.Answer, m.Ns} {
		for _, rr := range sec {
			if rr.Header().Rrtype == dns.TypeOPT {
				return true
			}
		}
	}
	return false
}

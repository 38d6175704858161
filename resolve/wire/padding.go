package wire

import (
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
)

// ResponsePadBlock is the block length responses are padded to when the
// query asked for padding, as RFC 8467 §4.1 recommends for servers.
const ResponsePadBlock = 468

// Pad packs m with an EDNS(0) Padding option (RFC 7830) sized so that the
// message length is a multiple of block octets (RFC 8467 §4.1: 128 for
// queries, 468 for responses). It adds an OPT record advertising
// dohclient.UDPSize if m has none and replaces any Padding option m
// already has. When padding would push the message past 65535 octets, the
// option is sent empty.
func Pad(m *dns.Msg, block int) ([]byte, error) {
	opt := m.IsEdns0()
	if opt == nil {
		m.SetEdns0(dohclient.UDPSize, false)
		opt = m.IsEdns0()
	}
	kept := opt.Option[:0]
	for _, o := range opt.Option {
		if o.Option() != dns.EDNS0PADDING {
			kept = append(kept, o)
		}
	}
	p := new(dns.EDNS0_PADDING)
	opt.Option = append(kept, p)
	b, err := m.Pack()
	if err != nil {
		return nil, err
	}
	if r := len(b) % block; r != 0 && len(b)+block-r <= dns.MaxMsgSize {
		p.Padding = make([]byte, block-r)
		return m.Pack()
	}
	return b, nil
}

// HasPadding reports whether m carries an EDNS(0) Padding option.
func HasPadding(m *dns.Msg) bool {
	if opt := m.IsEdns0(); opt != nil {
		for _, o := range opt.Option {
			if o.Option() == dns.EDNS0PADDING {
				return true
			}
		}
	}
	return false
}

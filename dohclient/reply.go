package dohclient

import (
	"errors"

	"github.com/sipdisco/sipdisco/engine"
)

// Reply packs the response a server would send to the packed query: the
// same ID and question, QR and AA set, rcode, and the answers (A, AAAA,
// CNAME and SRV records; their owner names and targets uncompressed),
// for tests that need a resolver's answers without one.
func Reply(query []byte, rcode engine.RCode, answers []engine.Record) ([]byte, error) {
	if len(query) < 12 {
		return nil, errors.New("dohclient: the query is shorter than a header")
	}
	_, end, err := name(query, 12)
	if err != nil {
		return nil, err
	}
	if end+4 > len(query) {
		return nil, errShort
	}
	b := append([]byte(nil), query[:2]...)
	b = append(b, query[2]&0x01|0x84, byte(rcode&0xF)) // QR, AA, RD as asked
	b = append(b, 0, 1, byte(len(answers)>>8), byte(len(answers)), 0, 0, 0, 0)
	b = append(b, query[12:end+4]...)
	for _, r := range answers {
		if b, err = appendName(b, r.Name); err != nil {
			return nil, err
		}
		b = append(b, byte(r.Type>>8), byte(r.Type), 0, classINET,
			byte(r.TTL>>24), byte(r.TTL>>16), byte(r.TTL>>8), byte(r.TTL))
		var data []byte
		switch r.Type {
		case engine.TypeA, engine.TypeAAAA:
			data = r.Addr.AsSlice()
		case engine.TypeCNAME:
			if data, err = appendName(nil, r.Target); err != nil {
				return nil, err
			}
		case engine.TypeSRV:
			data = []byte{byte(r.Priority >> 8), byte(r.Priority), byte(r.Weight >> 8), byte(r.Weight), byte(r.Port >> 8), byte(r.Port)}
			if data, err = appendName(data, r.Target); err != nil {
				return nil, err
			}
		default:
			return nil, errors.New("dohclient: Reply packs only A, AAAA, CNAME and SRV records")
		}
		b = append(b, byte(len(data)>>8), byte(len(data)))
		b = append(b, data...)
	}
	if len(b) > maxMessage {
		return nil, errors.New("dohclient: the reply does not fit in a DNS message")
	}
	return b, nil
}

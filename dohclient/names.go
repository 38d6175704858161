package dohclient

import (
	"errors"
	"strconv"
	"strings"
)

// appendName appends the engine name s (presentation form, without the
// trailing dot) to b in wire form (RFC 1035 §3.1), uncompressed, reading
// \X and \DDD escapes as miekg/dns does when it packs a name.
func appendName(b []byte, s string) ([]byte, error) {
	s = strings.TrimSuffix(s, ".")
	start := len(b)
	if s != "" {
		var label []byte
		flush := func() error {
			if len(label) == 0 {
				return errors.New("the name " + strconv.Quote(s) + " has an empty label")
			}
			if len(label) > 63 {
				return errors.New("the name " + strconv.Quote(s) + " has a label longer than 63 octets")
			}
			b = append(append(b, byte(len(label))), label...)
			label = label[:0]
			return nil
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '.':
				if err := flush(); err != nil {
					return nil, err
				}
				continue
			case c == '\\':
				if i+1 >= len(s) {
					return nil, errors.New("the name " + strconv.Quote(s) + " ends in a backslash")
				}
				i++
				c = s[i]
				if i+2 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) {
					n := int(s[i]-'0')*100 + int(s[i+1]-'0')*10 + int(s[i+2]-'0')
					if n > 255 {
						return nil, errors.New("the name " + strconv.Quote(s) + " has an escape that is not a byte")
					}
					c, i = byte(n), i+2
				}
				if c == '.' {
					return nil, errors.New("a label holding a dot cannot be asked for")
				}
			}
			label = append(label, c)
		}
		if err := flush(); err != nil {
			return nil, err
		}
	}
	b = append(b, 0)
	if len(b)-start > maxNameOctets {
		return nil, errLongName
	}
	return b, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

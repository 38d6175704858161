package lite

import (
	"errors"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// wireName returns the engine name s (presentation form, without the
// trailing dot) as a dnsmessage name, reading \X and \DDD escapes as
// miekg/dns does when it packs a name.
func wireName(s string) (dnsmessage.Name, error) {
	if s == "" || s == "." {
		return dnsmessage.NewName(".")
	}
	if !strings.Contains(s, `\`) {
		return dnsmessage.NewName(strings.TrimSuffix(s, ".") + ".")
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return dnsmessage.Name{}, errors.New("name ends in a backslash")
		}
		i++
		c = s[i]
		if i+2 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) {
			n := int(s[i]-'0')*100 + int(s[i+1]-'0')*10 + int(s[i+2]-'0')
			if n > 255 {
				return dnsmessage.Name{}, errors.New("escape \\" + s[i:i+3] + " is not a byte")
			}
			c = byte(n)
			i += 2
		}
		if c == '.' {
			return dnsmessage.Name{}, errors.New("a label holding a dot cannot be asked for")
		}
		b.WriteByte(c)
	}
	return dnsmessage.NewName(strings.TrimSuffix(b.String(), ".") + ".")
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

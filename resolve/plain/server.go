package plain

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Port is the DNS port (RFC 1035 §4.2).
const Port = 53

// ParseServer parses a DNS server address as a user writes it: an IPv4 or
// IPv6 address, optionally with a port ("10.0.0.1", "10.0.0.1:5353",
// "2001:db8::1", "[2001:db8::1]:5353", "fe80::1%eth0"). The port defaults
// to 53. A host name is refused: finding its address would need DNS.
func ParseServer(s string) (netip.AddrPort, error) {
	bad := func(format string, args ...any) (netip.AddrPort, error) {
		return netip.AddrPort{}, fmt.Errorf("bad DNS server %q: %s", s, fmt.Sprintf(format, args...))
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return bad("empty; want an IP address such as 10.0.0.1 or [2001:db8::1]:53")
	}
	if a, err := netip.ParseAddr(t); err == nil {
		return netip.AddrPortFrom(a, Port), nil
	}
	host, port, ok := cutPort(t)
	if !ok {
		if strings.Count(t, ":") > 1 || strings.HasPrefix(t, "[") {
			return bad("not an IP address; an IPv6 address with a port is written [2001:db8::1]:53")
		}
		return bad("not an IP address; a DNS server is given by its address, since finding a name's address would need DNS")
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return bad("%q is not an IP address; a DNS server is given by its address", host)
	}
	if strings.Contains(host, ":") != strings.HasPrefix(t, "[") {
		return bad("an IPv6 address with a port is written in brackets, [%s]:%s", host, port)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return bad("port %q is not a number from 1 to 65535", port)
	}
	return netip.AddrPortFrom(a, uint16(n)), nil
}

// cutPort splits "host:port" or "[host]:port".
func cutPort(s string) (host, port string, ok bool) {
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 || !strings.HasPrefix(s[end+1:], ":") {
			return "", "", false
		}
		return s[1:end], s[end+2:], true
	}
	i := strings.LastIndex(s, ":")
	if i < 0 || strings.Contains(s[:i], ":") {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// FormatServer writes a server address as a person reads it: the address
// alone when the port is 53, "10.0.0.1:5353" or "[2001:db8::1]:5353"
// otherwise.
func FormatServer(s netip.AddrPort) string {
	if s.Port() == Port {
		return s.Addr().String()
	}
	return s.String()
}

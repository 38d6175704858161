package system

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/resolve/plain"
)

// ResolvConfPath is where Linux and the BSDs keep their resolver
// configuration.
const ResolvConfPath = "/etc/resolv.conf"

// MaxNameservers is how many nameserver lines the C libraries use (glibc
// and musl MAXNS); later ones are ignored.
const MaxNameservers = 3

// ResolvConf is what sipdisco takes from a resolv.conf file.
type ResolvConf struct {
	// Servers are the nameservers in file order, at most MaxNameservers;
	// 127.0.0.1 when the file names none (resolv.conf(5)).
	Servers []netip.AddrPort
	// Timeout is the "options timeout:N" value, 0 when not set.
	Timeout time.Duration
	// TCP is set by "options use-vc" (glibc) or "options tcp" (OpenBSD).
	TCP bool
	// Notes say what was ignored and why, with line numbers.
	Notes []string
}

// ParseResolvConf reads resolv.conf text (resolv.conf(5)). It never fails:
// as the C library does, it skips what it cannot use, and says so in
// Notes. A nameserver may carry a port as OpenBSD writes it
// ("[2001:db8::1]:5353", "10.0.0.1:5353").
func ParseResolvConf(text string) ResolvConf {
	var rc ResolvConf
	note := func(line int, format string, args ...any) {
		rc.Notes = append(rc.Notes, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
	for i, line := range strings.Split(normalizeNewlines(text), "\n") {
		n := i + 1
		if j := strings.IndexAny(line, "#;"); j >= 0 {
			line = line[:j]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "nameserver":
			if len(f) < 2 {
				note(n, "nameserver without an address, ignored")
				continue
			}
			s, err := plain.ParseServer(f[1])
			switch {
			case err != nil:
				note(n, "%v, ignored", err)
			case len(rc.Servers) == MaxNameservers:
				note(n, "nameserver %s ignored: the system resolver uses only the first %d", f[1], MaxNameservers)
			default:
				rc.Servers = append(rc.Servers, s)
			}
		case "options":
			for _, o := range f[1:] {
				switch k, v, _ := strings.Cut(o, ":"); k {
				case "timeout":
					if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
						rc.Timeout = time.Duration(min(secs, 30)) * time.Second
					}
				case "use-vc", "tcp":
					rc.TCP = true
				case "rotate":
					note(n, "option rotate ignored: servers are asked in the order written")
				case "ndots":
					note(n, "option %s ignored: names are always asked fully qualified", o)
				}
			}
		case "search", "domain":
			note(n, "%s ignored: names are always asked fully qualified, never with a search suffix", f[0])
		}
	}
	if len(rc.Servers) == 0 {
		rc.Servers = []netip.AddrPort{netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), plain.Port)}
		rc.Notes = append(rc.Notes, "no nameserver line: the server on 127.0.0.1 is used, as the system resolver does")
	}
	return rc
}

// fromResolvConf returns the plain-DNS client for resolv.conf text read
// from path.
func fromResolvConf(text, path string) *plain.Client {
	rc := ParseResolvConf(text)
	return &plain.Client{Servers: rc.Servers, TCP: rc.TCP, TryTimeout: rc.Timeout, Source: path}
}

// normalizeNewlines turns CRLF and lone CR line ends into LF.
func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

package engine

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCheckPort(t *testing.T) {
	for _, port := range []uint16{1, 443, 5060, 5061, 65535} {
		if p, bad := CheckPort(port); bad {
			t.Errorf("CheckPort(%d) = %+v; want usable", port, p)
		}
	}
	p, bad := CheckPort(0)
	if !bad || p.Kind != ProblemPortZero || p.Severity != SeverityError {
		t.Errorf("CheckPort(0) = %+v, %v; want %s, an error", p, bad, ProblemPortZero)
	}
}

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr string
		want AddressProblemKind // "" means usable
		sev  Severity
	}{
		// Unspecified, both families, and IPv4-mapped.
		{"0.0.0.0", ProblemUnspecified, SeverityError},
		{"::", ProblemUnspecified, SeverityError},
		{"::ffff:0.0.0.0", ProblemUnspecified, SeverityError},
		// "This network", 0.0.0.0/8.
		{"0.0.0.1", ProblemThisNetwork, SeverityError},
		{"0.255.255.255", ProblemThisNetwork, SeverityError},
		// Limited broadcast and reserved class E around it.
		{"255.255.255.255", ProblemBroadcast, SeverityError},
		{"::ffff:255.255.255.255", ProblemBroadcast, SeverityError},
		{"240.0.0.1", ProblemReserved, SeverityError},
		{"255.255.255.254", ProblemReserved, SeverityError},
		// Multicast, both families, edges of 224.0.0.0/4.
		{"224.0.0.0", ProblemMulticast, SeverityError},
		{"224.0.1.75", ProblemMulticast, SeverityError},
		{"239.255.255.255", ProblemMulticast, SeverityError},
		{"ff02::1", ProblemMulticast, SeverityError},
		{"ff0e::db8:1", ProblemMulticast, SeverityError},
		{"::ffff:239.1.1.1", ProblemMulticast, SeverityError},
		// Warnings: connectable, but not to a server elsewhere.
		{"127.0.0.1", ProblemLoopback, SeverityWarning},
		{"127.255.0.9", ProblemLoopback, SeverityWarning},
		{"::1", ProblemLoopback, SeverityWarning},
		{"fe80::1", ProblemLinkLocalIPv6, SeverityWarning},
		{"febf::1", ProblemLinkLocalIPv6, SeverityWarning},
		// Usable: public, private, documentation, edges of the classes.
		{"192.0.2.10", "", ""},
		{"203.0.113.5", "", ""},
		{"10.0.0.1", "", ""},
		{"172.16.0.1", "", ""},
		{"192.168.1.1", "", ""},
		{"1.0.0.0", "", ""},
		{"223.255.255.255", "", ""},
		{"169.254.1.1", "", ""}, // IPv4 link-local works on the link
		{"100.64.0.1", "", ""},
		{"2001:db8::10", "", ""},
		{"fec0::1", "", ""},
		{"fc00::1", "", ""},
		{"::ffff:192.0.2.1", "", ""},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		p, bad := CheckAddr(a)
		if bad != (tt.want != "") || p.Kind != tt.want || p.Severity != tt.sev {
			t.Errorf("CheckAddr(%s) = %+v, %v; want %q %q", tt.addr, p, bad, tt.want, tt.sev)
			continue
		}
		if bad && (!strings.HasPrefix(p.What, a.Unmap().String()+", ") || !strings.HasPrefix(p.Source, "RFC ")) {
			t.Errorf("CheckAddr(%s) = %+v; want What to name the address and Source an RFC", tt.addr, p)
		}
	}
	if p, bad := CheckAddr(netip.Addr{}); !bad || p.Severity != SeverityError {
		t.Errorf("CheckAddr(zero Addr) = %+v, %v; want an error", p, bad)
	}
}

// TestAddressProblemText pins the finding text for one address and the
// port, and checks every class says what the client does and names the
// record to fix.
func TestAddressProblemText(t *testing.T) {
	p, _ := CheckPort(0)
	if got, want := p.Message("sip.contoso.com", 0, "_sip._tls.contoso.com"),
		"_sip._tls.contoso.com gives sip.contoso.com port 0, a reserved port on which no server can listen (RFC 6335). The client cannot connect to this candidate and tries the next one."; got != want {
		t.Errorf("port 0 Message = %q; want %q", got, want)
	}
	for _, s := range []string{"0.0.0.0", "255.255.255.255", "224.0.0.1", "::", "127.0.0.1", "fe80::1", "240.0.0.1", "0.1.2.3"} {
		p, _ := CheckAddr(netip.MustParseAddr(s))
		msg := p.Message("pool01.contoso.com", 5061, "_sipinternaltls._tcp.contoso.com")
		fix := p.Fix("pool01.contoso.com", "_sipinternaltls._tcp.contoso.com")
		if !strings.Contains(msg, "pool01.contoso.com (port 5061, from _sipinternaltls._tcp.contoso.com) resolves to "+s+", ") ||
			!strings.Contains(msg, p.Source) || !strings.Contains(fix, "A and AAAA records of pool01.contoso.com") {
			t.Errorf("%s: Message %q, Fix %q", s, msg, fix)
		}
	}
}

// TestCheckReach: only the outside view refuses an address that is not
// globally reachable (RFC 6890), and documentation addresses, which the
// examples use for public ones, stay reachable.
func TestCheckReach(t *testing.T) {
	tests := []struct {
		addr string
		out  bool // unreachable from the outside view
	}{
		{"10.0.0.10", true}, {"172.16.0.1", true}, {"172.31.255.255", true}, {"192.168.1.1", true},
		{"100.64.0.1", true}, {"169.254.1.1", true}, {"fd00::10", true}, {"::ffff:10.1.2.3", true},
		{"172.32.0.1", false}, {"100.128.0.1", false}, {"192.0.2.10", false}, {"203.0.113.10", false},
		{"198.51.100.7", false}, {"2001:db8::10", false}, {"8.8.8.8", false},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		for _, v := range []View{ViewUnknown, ViewInside, ViewOutside} {
			p, bad := CheckReach(a, v)
			want := tt.out && v == ViewOutside
			if bad != want {
				t.Errorf("CheckReach(%s, %q) = %v; want %v", tt.addr, v, bad, want)
			}
			if bad && (p.Kind != ProblemNotGlobal || p.Severity != SeverityError || !strings.HasPrefix(p.What, a.Unmap().String()+", ") || !strings.HasPrefix(p.Source, "RFC ")) {
				t.Errorf("CheckReach(%s, %q) = %+v", tt.addr, v, p)
			}
		}
	}
}

package system

import (
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
)

func addrs(ss ...string) []netip.AddrPort {
	out := make([]netip.AddrPort, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddrPort(s)
	}
	return out
}

func TestParseResolvConf(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		servers   []netip.AddrPort
		tcp       bool
		timeout   time.Duration
		wantNotes []string
	}{
		{"systemd-resolved stub", "# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch corp.contoso.com\n",
			addrs("127.0.0.53:53"), false, 0, []string{"line 4: search ignored"}},
		{"IPv4 and IPv6", "nameserver 10.0.0.1\nnameserver 2001:db8::53\nnameserver fe80::1%eth0\n",
			addrs("10.0.0.1:53", "[2001:db8::53]:53", "[fe80::1%eth0]:53"), false, 0, nil},
		{"ports, as OpenBSD writes them", "nameserver [2001:db8::53]:5353\nnameserver 10.0.0.1:5300\n",
			addrs("[2001:db8::53]:5353", "10.0.0.1:5300"), false, 0, nil},
		{"only three used", "nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n",
			addrs("10.0.0.1:53", "10.0.0.2:53", "10.0.0.3:53"), false, 0, []string{"line 4: nameserver 10.0.0.4 ignored"}},
		{"options", "options timeout:4 attempts:3 use-vc rotate ndots:2\nnameserver 10.0.0.1 # the DC\n",
			addrs("10.0.0.1:53"), true, 4 * time.Second, []string{"line 1: option rotate ignored", "line 1: option ndots:2 ignored"}},
		{"OpenBSD tcp", "nameserver 10.0.0.1\noptions tcp\n", addrs("10.0.0.1:53"), true, 0, nil},
		{"bad lines skipped", "nameserver\nnameserver dc01.contoso.com\n\r\nnameserver 10.0.0.1\r\n",
			addrs("10.0.0.1:53"), false, 0, []string{"line 1: nameserver without an address", "line 2: bad DNS server"}},
		{"no server", "# empty\n", addrs("127.0.0.1:53"), false, 0, []string{"no nameserver line"}},
		{"CR only", "nameserver 10.0.0.1\rsearch x\r", addrs("10.0.0.1:53"), false, 0, []string{"line 2: search ignored"}},
	}
	for _, tt := range tests {
		rc := ParseResolvConf(tt.text)
		if diff := cmp.Diff(rc.Servers, tt.servers, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
			t.Errorf("%s: servers (-got +want):\n%s", tt.name, diff)
		}
		if rc.TCP != tt.tcp || rc.Timeout != tt.timeout {
			t.Errorf("%s: TCP %v, timeout %v; want %v, %v", tt.name, rc.TCP, rc.Timeout, tt.tcp, tt.timeout)
		}
		for _, want := range tt.wantNotes {
			if !slices.ContainsFunc(rc.Notes, func(n string) bool { return strings.HasPrefix(n, want) }) {
				t.Errorf("%s: notes %q lack %q", tt.name, rc.Notes, want)
			}
		}
	}
	c := fromResolvConf("nameserver 127.0.0.53\n", ResolvConfPath)
	if got, want := c.String(), "the DNS server 127.0.0.53 (systemd-resolved) from /etc/resolv.conf"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
}

func TestParseScutil(t *testing.T) {
	text, err := os.ReadFile("testdata/scutil-vpn.txt")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ParseScutil(string(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []ScutilResolver{
		{Number: 1, Servers: addrs("192.168.1.1:53", "[fe80::1%en0]:53")},
		{Number: 2, Domain: "contoso.com", Servers: addrs("10.0.0.1:53", "10.0.0.2:53"), Order: 102200},
		{Number: 3, Domain: "eu.contoso.com", Servers: addrs("10.1.0.1:5353"), Order: 102201, Timeout: 4 * time.Second},
		{Number: 4, Domain: "contoso.com", Servers: addrs("10.9.9.9:53"), Order: 102300},
		{Number: 5, Domain: "local", Timeout: 5 * time.Second, Order: 300000, MDNS: true},
		{Number: 6, Domain: "254.169.in-addr.arpa", Timeout: 5 * time.Second, Order: 300200, MDNS: true},
	}
	if diff := cmp.Diff(rs, want, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
		t.Errorf("ParseScutil (-got +want):\n%s", diff)
	}
	if _, err := ParseScutil("No DNS configuration available\n"); err == nil {
		t.Error("ParseScutil of text without a resolver succeeded")
	}

	r := fromScutil(string(text), "nameserver 10.255.0.1\n")
	for _, tt := range []struct{ name, want string }{
		{"_sipinternaltls._tcp.contoso.com", "10.0.0.1:53"},
		{"CONTOSO.COM.", "10.0.0.1:53"},
		{"sip.eu.contoso.com", "10.1.0.1:5353"},
		{"eu.contoso.com", "10.1.0.1:5353"},
		{"sip.contoso.com.evil.example", "192.168.1.1:53"},
		{"notcontoso.com", "192.168.1.1:53"},
		{"printer.local", "192.168.1.1:53"}, // mDNS resolvers are not for unicast
		{"_sip._tls.fabrikam.com", "192.168.1.1:53"},
	} {
		if got := r.For(tt.name).Servers[0].String(); got != tt.want {
			t.Errorf("For(%q) asks %s first; want %s", tt.name, got, tt.want)
		}
	}
	if got := r.For("sip.eu.contoso.com").TryTimeout; got != 4*time.Second {
		t.Errorf("scoped timeout %v; want 4s", got)
	}
	want1 := "the resolvers of scutil --dns: 192.168.1.1, fe80::1%en0 for every name; 10.1.0.1:5353 for eu.contoso.com; 10.0.0.1, 10.0.0.2 for contoso.com"
	if got := r.String(); got != want1 {
		t.Errorf("String() = %q; want %q", got, want1)
	}
	// Without scutil's output: resolv.conf alone.
	if got, want := fromScutil("", "nameserver 10.255.0.1\n").String(), "the DNS server 10.255.0.1 from /etc/resolv.conf"; got != want {
		t.Errorf("without scutil: %q; want %q", got, want)
	}
}

func TestWindowsStatus(t *testing.T) {
	tests := []struct {
		status uint32
		rc     engine.RCode
		answer bool
		reason string
	}{
		{winSuccess, engine.RCodeSuccess, true, ""},
		{winNameError, engine.RCodeNameError, true, ""},
		{winNoRecords, engine.RCodeSuccess, true, ""},
		{winServerFailure, engine.RCodeServerFailure, true, ""},
		{winRefused, engine.RCodeRefused, true, ""},
		{winFormatError, engine.RCodeFormatError, true, ""},
		{9004, engine.RCodeNotImplemented, true, ""},
		{9009, engine.RCode(9), true, ""}, // NOTAUTH
		{winTimeout, 0, false, "timed out"},
		{winRecordTimedOut, 0, false, "timed out"},
		{winWSATimedOut, 0, false, "timed out"},
		{winNoDNSServers, 0, false, "no DNS server is configured"},
		{winInvalidName, 0, false, "not valid"},
		{winBadPacket, 0, false, "could not be read"},
		{9019, 0, false, "error 9019"},
		{5, 0, false, "error 5"}, // ERROR_ACCESS_DENIED
	}
	for _, tt := range tests {
		rc, answer, reason := windowsStatus(tt.status)
		if rc != tt.rc || answer != tt.answer || !strings.Contains(reason, tt.reason) || (tt.reason == "") != (reason == "") {
			t.Errorf("windowsStatus(%d) = %v, %v, %q; want %v, %v, %q", tt.status, rc, answer, reason, tt.rc, tt.answer, tt.reason)
		}
	}
}

//go:build !js

package system

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
)

const zoneText = `$TTL 300
@          IN SOA ns1 hostmaster 1 3600 600 86400 300
@          IN NS  ns1
ns1        IN A   127.0.0.1
_sip._tls  IN SRV 0 0 443 sip
sip        IN A   %s
`

// TestRoutedRealServers routes names as macOS would through a scutil
// listing whose VPN resolver for contoso.example is unbound (the internal
// view) and whose default resolver is nsd (the external view): a name
// under the VPN's domain gets the internal answer, others the default.
func TestRoutedRealServers(t *testing.T) {
	inside := dnstest.StartUnbound(t, dnstest.Zone{Origin: "contoso.example", Text: fmt.Sprintf(zoneText, "10.0.0.10")})
	outside := dnstest.StartNSD(t,
		dnstest.Zone{Origin: "contoso.example", Text: fmt.Sprintf(zoneText, "203.0.113.10")},
		dnstest.Zone{Origin: "fabrikam.example", Text: fmt.Sprintf(zoneText, "203.0.113.20")})
	scutil := fmt.Sprintf(`DNS configuration

resolver #1
  nameserver[0] : %s
  port     : %d
  flags    : Request A records

resolver #2
  domain   : contoso.example
  nameserver[0] : %s
  port     : %d
  flags    : Supplemental, Request A records
  order    : 102200
`, outside.Addr.Addr(), outside.Addr.Port(), inside.Addr.Addr(), inside.Addr.Port())
	r := fromScutil(scutil, "")
	for _, tt := range []struct {
		name, addr string
		from       string
	}{
		{"sip.contoso.example", "10.0.0.10", inside.Addr.String()},
		{"sip.fabrikam.example", "203.0.113.20", outside.Addr.String()},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		res, err := r.Lookup(ctx, engine.Question{Name: tt.name, Type: engine.TypeA})
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(res.Answer.Records) != 1 || res.Answer.Records[0].Addr.String() != tt.addr || res.Server.String() != tt.from {
			t.Errorf("%s A = %v from %v; want %s from %s", tt.name, res.Answer.Records, res.Server, tt.addr, tt.from)
		}
	}
}

// TestNew builds this machine's resolver.
func TestNew(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /etc/resolv.conf as Linux does")
	}
	if _, err := os.Stat(ResolvConfPath); err != nil {
		t.Skipf("no %s on this machine", ResolvConfPath)
	}
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if s := r.String(); !strings.HasPrefix(s, "the DNS server") || !strings.HasSuffix(s, "from /etc/resolv.conf") {
		t.Errorf("String() = %q; want the servers from /etc/resolv.conf", s)
	}
}

// TestNXDOMAINWithAnswers: the machine's resolver as read from resolv.conf
// and from a scutil listing, pointing at a server on loopback that answers
// NXDOMAIN with an SRV record in the answer section: no answer comes back,
// and the error says the reply contradicts itself (issue 26, class 4).
func TestNXDOMAINWithAnswers(t *testing.T) {
	hostile := dnstest.Responder(t, func(q *dns.Msg) *dns.Msg {
		r := new(dns.Msg).SetReply(q)
		r.RecursionAvailable, r.Rcode = true, dns.RcodeNameError
		rr, _ := dns.NewRR(q.Question[0].Name + " 60 IN SRV 0 0 5061 sip.contoso.example.")
		r.Answer = []dns.RR{rr}
		return r
	})
	scutil := fmt.Sprintf("DNS configuration\n\nresolver #1\n  nameserver[0] : %s\n  port     : %d\n  flags    : Request A records\n", hostile.Addr(), hostile.Port())
	for name, r := range map[string]engine.Resolver{
		"resolv.conf": fromResolvConf("nameserver "+hostile.String()+"\n", "/etc/resolv.conf"),
		"scutil":      fromScutil(scutil, ""),
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		a, err := r.Resolve(ctx, engine.Question{Name: "_sipinternaltls._tcp.contoso.example", Type: engine.TypeSRV})
		cancel()
		if err == nil || !strings.Contains(err.Error(), "contradicts itself") {
			t.Errorf("%s: Resolve = %v, %v; want an error saying the reply contradicts itself", name, a, err)
		}
	}
}

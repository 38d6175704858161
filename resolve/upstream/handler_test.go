//go:build !js

package upstream_test

import (
	"encoding/base64"
	"io"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
	"github.com/sipdisco/sipdisco/resolve/plain"
	"github.com/sipdisco/sipdisco/resolve/upstream"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// TestThroughHandler serves the Filter in front of a plain-DNS client as
// "serve --upstream" would — DoH handler, Filter, plain DNS to a real
// server — and asks it over DoH: discovery's questions are answered from
// the server; others are refused, and an upstream that fails is named in
// the Extended DNS Error, not hidden behind a bare SERVFAIL.
func TestThroughHandler(t *testing.T) {
	inside, _ := dnstest.StartViews(t, dnstest.ExternalView)
	silent := dnstest.Silent(t)
	// ask asks q through the handler, the plain client waiting up to try
	// for each reply: long for a server that answers, since a loaded
	// machine can take seconds to schedule nsd or unbound, and short for
	// one that never does, whose time limit the refusal names.
	ask := func(t *testing.T, servers []string, try time.Duration, q engine.Question) *dns.Msg {
		t.Helper()
		var addrs []netip.AddrPort
		for _, s := range servers {
			a, err := plain.ParseServer(s)
			if err != nil {
				t.Fatal(err)
			}
			addrs = append(addrs, a)
		}
		c, err := plain.New(addrs...)
		if err != nil {
			t.Fatal(err)
		}
		c.TryTimeout = try
		srv := httptest.NewServer(server.NewHandler(upstream.New(c, upstream.Options{}), server.HandlerOptions{Timeout: try + 10*time.Second}))
		defer srv.Close()
		// The reply itself, Extended DNS Error included, which
		// dohclient's Client does not hand over: a GET as it sends one.
		query, err := wire.Pad(wire.QuestionMsg(q), dohclient.QueryPadBlock)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Get(srv.URL + "/dns-query?dns=" + base64.RawURLEncoding.EncodeToString(query))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET: status %d, %v", resp.StatusCode, err)
		}
		m := new(dns.Msg)
		if err := m.Unpack(body); err != nil {
			t.Fatal(err)
		}
		return m
	}

	const answers, silence = 20 * time.Second, 500 * time.Millisecond
	m := ask(t, []string{inside.Addr.String()}, answers, engine.Question{Name: "_sipinternaltls._tcp." + dnstest.Domain, Type: engine.TypeSRV})
	if a := wire.ToAnswer(m); a.RCode != engine.RCodeSuccess || len(a.Records) != 1 || a.Records[0].Target != "pool01."+dnstest.Domain {
		t.Errorf("discovery's question: %v; want the internal SRV record", a)
	}

	m = ask(t, []string{inside.Addr.String()}, answers, engine.Question{Name: "www." + dnstest.Domain, Type: engine.TypeA})
	code, text, ok := wire.EDEOf(m)
	if m.Rcode == dns.RcodeSuccess || m.Rcode == dns.RcodeNameError || !ok || code != wire.EDEProhibited ||
		!strings.Contains(text, "www.contoso.example A is neither a host the client builds") {
		t.Errorf("a question discovery never asks: %s, EDE %d %q; want a refusal with EDE 18 naming it", dns.RcodeToString[m.Rcode], code, text)
	}

	m = ask(t, []string{silent.String()}, silence, engine.Question{Name: "_sip._tls." + dnstest.Domain, Type: engine.TypeSRV})
	code, text, ok = wire.EDEOf(m)
	if m.Rcode != dns.RcodeServerFailure || !ok || code != wire.EDENoReachableAuthority ||
		!strings.Contains(text, plain.FormatServer(silent)+" sent no reply within 500ms") {
		t.Errorf("a silent upstream: %s, EDE %d %q; want SERVFAIL with EDE 22 naming the server", dns.RcodeToString[m.Rcode], code, text)
	}

	// Issue 26, class 4: an upstream that answers NXDOMAIN with an SRV
	// record in the answer section.
	hostile := dnstest.Responder(t, func(q *dns.Msg) *dns.Msg {
		r := new(dns.Msg).SetReply(q)
		r.RecursionAvailable, r.Rcode = true, dns.RcodeNameError
		rr, _ := dns.NewRR(q.Question[0].Name + " 60 IN SRV 0 0 5061 secret.corp." + dnstest.Domain + ".")
		r.Answer = []dns.RR{rr}
		return r
	})
	m = ask(t, []string{hostile.String()}, answers, engine.Question{Name: "_sipinternaltls._tcp." + dnstest.Domain, Type: engine.TypeSRV})
	code, text, ok = wire.EDEOf(m)
	if m.Rcode != dns.RcodeServerFailure || len(m.Answer) != 0 || !ok || !strings.Contains(text, "answered NXDOMAIN with SRV records in the answer section, a reply that contradicts itself") {
		t.Errorf("an NXDOMAIN with an SRV record: %s with %d records, EDE %d %q; want SERVFAIL with none, the EDE saying why", dns.RcodeToString[m.Rcode], len(m.Answer), code, text)
	}
}

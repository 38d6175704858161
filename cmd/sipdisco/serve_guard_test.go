//go:build !js

package main

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
)

// TestServeRefusesOtherSites: whatever /dns-query answers from that is
// not public — --zone files, --upstream servers, --upstream system —
// serve answers only requests for its own address (no DNS rebinding: a
// foreign Host, an IP in another spelling or a name with a trailing dot
// gets 421) and carries out no request another site's page makes (an
// Origin that is not its own, Sec-Fetch-Site other than same-origin or
// none: 403). Issue 26, class 1.
func TestServeRefusesOtherSites(t *testing.T) {
	zf := filepath.Join(t.TempDir(), dnstest.Domain+".zone")
	os.WriteFile(zf, []byte(dnstest.ExternalView), 0o644)
	upstream := dnstest.Responder(t, func(q *dns.Msg) *dns.Msg {
		r := new(dns.Msg).SetReply(q)
		r.RecursionAvailable = true
		if q.Question[0].Qtype == dns.TypeSRV {
			rr, _ := dns.NewRR(q.Question[0].Name + " 60 IN SRV 0 0 5061 pool01." + dnstest.Domain + ".")
			r.Answer = []dns.RR{rr}
		}
		return r
	})
	// The query: _sip._tls.contoso.example SRV, ID 0.
	msg := new(dns.Msg).SetQuestion("_sip._tls."+dnstest.Domain+".", dns.TypeSRV)
	msg.Id = 0
	packed, err := msg.Pack()
	if err != nil {
		t.Fatal(err)
	}
	query := "/dns-query?dns=" + base64.RawURLEncoding.EncodeToString(packed)

	for _, mode := range []struct {
		name string
		args []string
		// answers: the upstream can be asked here (not the machine's DNS).
		answers bool
	}{
		{"zone", []string{"--zone", dnstest.Domain + "=" + zf}, true},
		{"upstream", []string{"--upstream", upstream.String()}, true},
		{"system", []string{"--upstream", "system"}, false},
	} {
		t.Run(mode.name, func(t *testing.T) {
			addr := startServe(t, mode.args...)
			_, port, _ := strings.Cut(addr, ":")
			do := func(path, host string, header map[string]string) int {
				t.Helper()
				req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
				req.Header.Set("Accept", "application/dns-message")
				if host != "" {
					req.Host = host
				}
				for k, v := range header {
					req.Header.Set(k, v)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			for _, host := range []string{"attacker.example", "attacker.example:" + port, "localhost.:" + port, "127.0.0.1.:" + port,
				"2130706433:" + port, "127.1:" + port, "0x7f000001:" + port, "[::ffff:127.0.0.1]:" + port, "localhost:1" + port, "localhost"} {
				for _, path := range []string{query, "/"} {
					if code := do(path, host, nil); code != http.StatusMisdirectedRequest {
						t.Errorf("GET %s with Host %s = %d; want 421", path, host, code)
					}
				}
			}
			for _, h := range []map[string]string{
				{"Origin": "http://attacker.example"},
				{"Origin": "http://attacker.example:" + port},
				{"Origin": "null"},
				{"Origin": "http://localhost:1" + port},
				{"Sec-Fetch-Site": "cross-site"},
				{"Sec-Fetch-Site": "same-site"}, // another port of localhost
				{"Origin": "http://" + addr, "Sec-Fetch-Site": "cross-site"},
			} {
				if code := do(query, "", h); code != http.StatusForbidden {
					t.Errorf("GET /dns-query with %v = %d; want 403", h, code)
				}
			}
			if !mode.answers {
				return
			}
			for _, tt := range []struct {
				host   string
				header map[string]string
			}{
				{"", nil}, // the command line, a script
				{"", map[string]string{"Origin": "http://" + addr, "Sec-Fetch-Site": "same-origin"}},
				{"localhost:" + port, map[string]string{"Sec-Fetch-Site": "same-origin"}},
				{"LOCALHOST:" + port, map[string]string{"Sec-Fetch-Site": "none"}},
			} {
				if code := do(query, tt.host, tt.header); code != http.StatusOK {
					t.Errorf("GET /dns-query with Host %q, %v = %d; want 200", tt.host, tt.header, code)
				}
			}
		})
	}
}

// TestServeUpstreamBindsTargets: through serve --upstream in front of a
// real DNS server (unbound), the address of an SRV target is answered
// only to the check whose SRV answer about its own domain named it
// (issue 26, class 6). Before, any domain's _sipinternaltls._tcp answer
// made the host it names askable by anyone for five minutes, so a domain
// whose SRV record names an internal host walked the bridge into it.
func TestServeUpstreamBindsTargets(t *testing.T) {
	attacker := "attacker.example"
	inside := dnstest.StartUnbound(t,
		dnstest.Zone{Origin: dnstest.Domain, Text: dnstest.InternalView + "secret IN A 10.0.0.99\n"},
		dnstest.Zone{Origin: attacker, Text: "$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n" +
			"_sipinternaltls._tcp IN SRV 0 0 5061 secret." + dnstest.Domain + ".\n"})
	addr := startServe(t, "--upstream", inside.Addr.String())
	ask := func(check string, q engine.Question) engine.Answer {
		t.Helper()
		endpoint := "http://" + addr + "/dns-query"
		if check != "" {
			endpoint += "?check=" + check
		}
		doh, err := dohclient.New(endpoint, dohclient.HTTPRoundTrip(nil))
		if err != nil {
			t.Fatal(err)
		}
		a, err := doh.Resolve(context.Background(), q)
		if err != nil {
			t.Fatalf("check %q, %v: %v", check, q, err)
		}
		return a
	}
	srv := func(domain string) engine.Question {
		return engine.Question{Name: "_sipinternaltls._tcp." + domain, Type: engine.TypeSRV}
	}
	pool := engine.Question{Name: "pool01." + dnstest.Domain, Type: engine.TypeA}
	secret := engine.Question{Name: "secret." + dnstest.Domain, Type: engine.TypeA}
	answered := func(a engine.Answer) bool { return a.RCode == engine.RCodeSuccess && len(a.Records) > 0 }

	// A check of contoso.example: its SRV answer names pool01, which it
	// may then ask for; no other check, and no question without one.
	if a := ask("inside1", srv(dnstest.Domain)); !answered(a) || a.Records[0].Target != pool.Name {
		t.Fatalf("SRV %s = %+v; want pool01", srv(dnstest.Domain).Name, a)
	}
	if a := ask("inside1", pool); !answered(a) {
		t.Errorf("A %s for the check that was answered its SRV record = %+v; want the address", pool.Name, a)
	}
	for _, check := range []string{"", "another"} {
		if a := ask(check, pool); a.RCode != engine.RCodeRefused {
			t.Errorf("A %s for check %q = %s; want REFUSED (only check inside1 was answered it)", pool.Name, check, a.RCode)
		}
	}

	// The walk: another domain's SRV record names an internal host.
	for _, check := range []string{"", "inside1"} {
		if a := ask(check, srv(attacker)); !answered(a) || a.Records[0].Target != secret.Name {
			t.Fatalf("SRV %s = %+v; want secret", srv(attacker).Name, a)
		}
		if a := ask(check, secret); a.RCode != engine.RCodeRefused {
			t.Errorf("A %s after %s's SRV answer, check %q = %s %v; want REFUSED", secret.Name, attacker, check, a.RCode, a.Records)
		}
	}
	// What remains, as documented: a check of attacker.example learns
	// what its own SRV records name, and only that check.
	if a := ask("attacker1", srv(attacker)); !answered(a) {
		t.Fatalf("SRV %s = %+v", srv(attacker).Name, a)
	}
	if a := ask("attacker1", secret); !answered(a) {
		t.Errorf("A %s for the check of %s = %+v; want it answered (its own SRV target)", secret.Name, attacker, a)
	}
	if a := ask("attacker2", secret); a.RCode != engine.RCodeRefused {
		t.Errorf("A %s for another check = %s; want REFUSED", secret.Name, a.RCode)
	}

	for _, bad := range []string{"", "a%20b", strings.Repeat("a", 65), "a&check=b"} {
		resp, err := http.Get("http://" + addr + "/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB&check=" + bad)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("check=%s: %d; want 400", bad, resp.StatusCode)
		}
	}
}

//go:build !js

package main

import (
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

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

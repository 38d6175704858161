package prober

import (
	"bytes"
	"encoding/base64"
	"net"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
	"github.com/sipdisco/sipdisco/probe"
)

// TestProbeSendsNoSecret captures every byte the probe sends, decrypted,
// on every connection of several exchanges — challenges for every
// protocol, one that already carries an NTLM server token, a redirect,
// TCP and TLS — and checks that each connection received exactly the one
// REGISTER the attempt records, with no Authorization header, no
// password and no NTLM or Kerberos token; the probe never answers a
// challenge.
func TestProbeSendsNoSecret(t *testing.T) {
	ca := siptest.NewCA(t)
	cert := ca.Valid(t, "sip.probe.test", "pool01.probe.test")
	ntlmToken := base64.StdEncoding.EncodeToString(append([]byte("NTLMSSP\x00\x02\x00\x00\x00"), bytes.Repeat([]byte{7}, 32)...))
	servers := []*scripted{
		serve(t, &cert, answer("401 Unauthorized", lyncChallenge("pool01.probe.test")...)),
		serve(t, &cert, answer("401 Unauthorized",
			`WWW-Authenticate: NTLM realm="SIP Communications Service", opaque="1A2B3C4D", targetname="pool01.probe.test", gssapi-data="`+ntlmToken+`"`,
			`WWW-Authenticate: Kerberos realm="SIP Communications Service", targetname="sip/pool01.probe.test", version=3`)),
		serve(t, nil, answer("407 Proxy Authentication Required", `Proxy-Authenticate: NTLM realm="SIP Communications Service", targetname="pool01.probe.test", version=3`)),
		serve(t, nil, answer("401 Unauthorized", `WWW-Authenticate: Digest realm="probe.test", nonce="abc", qop="auth"`)),
	}
	pool := serve(t, &cert, answer("401 Unauthorized", lyncChallenge("pool01.probe.test")...))
	servers = append(servers, pool,
		serve(t, &cert, answer("301 Redirect request to Home Server", "Contact: <sip:pool01.probe.test:"+itoa(pool.port())+";transport=tls>")))

	var cands []engine.Candidate
	for _, s := range servers {
		tr := engine.TLS
		if !isTLS(s) {
			tr = engine.TCP
		}
		cands = append(cands, candidate("sip.probe.test", s.port(), tr))
	}
	res := run(t, Options{Address: "bob@probe.test", CA: ca.Pool, AllowTCP: true, All: true, Resolver: loopbackResolver, Candidates: cands})

	var sent []string
	for _, a := range res.Attempts {
		if a.Outcome != probe.Answered {
			t.Fatalf("attempt %s:%d: %s %+v", a.Host, a.Port, a.Outcome, a.Failure)
		}
		sent = append(sent, a.Request.String())
	}
	var got []string
	for _, s := range servers {
		for _, r := range s.received() {
			got = append(got, string(r))
		}
	}
	if len(got) != len(sent) {
		t.Fatalf("the servers saw %d connections; the probe made %d attempts", len(got), len(sent))
	}
	forbidden := []string{"authorization", "gssapi-data", "ntlmssp", "tlrmtvnt", "yii", "password", "crand", "response=", ntlmToken}
	for i, g := range got {
		if !slicesContain(sent, g) {
			t.Errorf("connection %d received bytes that no attempt records as its request:\n%s", i, g)
		}
		if strings.Count(g, "REGISTER sip:") != 1 {
			t.Errorf("connection %d received %d REGISTERs; want exactly 1:\n%s", i, strings.Count(g, "REGISTER sip:"), g)
		}
		low := strings.ToLower(g)
		for _, f := range forbidden {
			if strings.Contains(low, strings.ToLower(f)) {
				t.Errorf("connection %d received %q:\n%s", i, f, g)
			}
		}
		if !strings.Contains(g, "From: <sip:bob@probe.test>;tag=") || !strings.Contains(g, "Content-Length: 0\r\n\r\n") {
			t.Errorf("connection %d: not the REGISTER of sip:bob@probe.test without a body:\n%s", i, g)
		}
	}
	// Fresh identifiers on every connection.
	ids := map[string]bool{}
	for _, g := range got {
		id := header([]byte(g), "Call-ID")
		if len(id) != 32 || ids[id] {
			t.Errorf("Call-ID %q: want 32 hex digits, new on every connection", id)
		}
		ids[id] = true
	}
}

func isTLS(s *scripted) bool {
	_, plain := s.ln.(*net.TCPListener)
	return !plain
}

// testRegister is the REGISTER the probe would send to
// sip.probe.test:5061 over TLS.
func testRegister() engine.Message {
	c, _ := engine.LookupProfile("")
	u, _ := engine.ParseURI("sip:bob@probe.test")
	p := &prober{o: Options{Rand: cryptoRand}, client: c, uri: u, addr: u.String()}
	m, err := p.request(target{host: "sip.probe.test", port: 5061, transport: engine.TLS}, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50000})
	if err != nil {
		panic(err)
	}
	return m
}

func registerHeader(name, value string) engine.Header {
	return engine.Header{Name: name, Value: value}
}

func slicesContain(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestCheckNoSecret: the last guard before the network refuses anything
// that could carry a credential.
func TestCheckNoSecret(t *testing.T) {
	for _, tt := range []struct {
		name, header, value, body, start string
	}{
		{"Authorization", "Authorization", `NTLM qop="auth", realm="SIP Communications Service", targetname="x", gssapi-data="", version=3`, "", ""},
		{"Proxy-Authorization", "proxy-authorization", "Kerberos", "", ""},
		{"a token elsewhere", "X-Anything", `gssapi-data="YIIB"`, "", ""},
		{"an NTLM message", "X-Anything", "TlRMTVNTUAABAAAA", "", ""},
		{"a body", "", "", "password=secret", ""},
		{"not a REGISTER", "", "", "", "INVITE sip:bob@probe.test SIP/2.0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := testRegister()
			if tt.header != "" {
				m.Headers = append(m.Headers, registerHeader(tt.header, tt.value))
			}
			m.Body = tt.body
			if tt.start != "" {
				m.StartLine = tt.start
			}
			if err := checkNoSecret(m); err == nil {
				t.Errorf("checkNoSecret accepted %s", tt.name)
			}
		})
	}
	if err := checkNoSecret(testRegister()); err != nil {
		t.Errorf("checkNoSecret(the REGISTER without credentials) = %v", err)
	}
}

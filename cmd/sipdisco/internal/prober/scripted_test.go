package prober

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
	"github.com/sipdisco/sipdisco/probe"
	"github.com/sipdisco/sipdisco/signin"
)

// simulate returns the simulated exchange the probe is compared with.
func simulate(t *testing.T, in signin.Input) *engine.Exchange {
	t.Helper()
	if in.Address.Domain == "" {
		in.Address, _ = engine.ParseURI("sip:bob@probe.test")
	}
	if in.Account == "" {
		in.Account = `PROBE\bob`
	}
	ex, err := signin.Simulate(in, &signin.Counter{})
	if err != nil {
		t.Fatal(err)
	}
	return &ex
}

// TestProbeLyncChallenge: a TLS server answering like a Lync Server 2013
// pool. The probe reports the TLS parameters, the chain and its trust,
// the three challenges, and where they differ from the simulation of
// Office Communicator 2007.
func TestProbeLyncChallenge(t *testing.T) {
	ca := siptest.NewCA(t)
	cert := ca.Valid(t, "pool01.probe.test", "sip.probe.test")
	srv := serve(t, &cert, answer("401 Unauthorized", lyncChallenge("pool01.probe.test")...))

	res := run(t, Options{CA: ca.Pool, CALabel: "--ca test-root.pem",
		Candidates: []engine.Candidate{candidate("sip.probe.test", srv.port(), engine.TLS)}})
	if len(res.Attempts) != 1 {
		t.Fatalf("attempts = %d; want 1", len(res.Attempts))
	}
	a := res.Attempts[0]
	if a.Outcome != probe.Answered {
		t.Fatalf("outcome %s, failure %+v", a.Outcome, a.Failure)
	}
	if a.TLS == nil || a.TLS.Version != "TLS 1.3" || a.TLS.ServerName != "sip.probe.test" || !a.TLS.Covered || a.TLS.By != "DNS:sip.probe.test" {
		t.Fatalf("TLS = %+v; want TLS 1.3 with SNI sip.probe.test covered by DNS:sip.probe.test", a.TLS)
	}
	if len(a.TLS.Chain) != 2 || a.TLS.Chain[1].Subject != "CN="+ca.Cert.Subject.CommonName {
		t.Errorf("chain = %+v; want the leaf and the test root", a.TLS.Chain)
	}
	if len(a.TLS.Trust) != 2 || a.TLS.Trust[0].Trusted || a.TLS.Trust[0].Problem != "unknown-authority" || !a.TLS.Trust[1].Trusted {
		t.Errorf("trust = %+v; want not by the (empty) system roots, trusted by the CA", a.TLS.Trust)
	}
	r := a.Response
	if r.Status != 401 || r.Server != "RTC/5.0" || len(r.Challenges) != 3 {
		t.Fatalf("response = %d %q with %d challenges", r.Status, r.Server, len(r.Challenges))
	}
	for i, want := range []string{signin.NTLM, signin.Kerberos, signin.TLSDSK} {
		c := r.Challenges[i]
		if c.Protocol != want || c.Realm != signin.Realm || c.Version != 4 {
			t.Errorf("challenge %d = %+v; want %s, version 4", i, c, want)
		}
	}
	if got := r.Challenges[2].StsURI; got != "https://pool01.probe.test:443/CertProv/CertProvisioningService.svc" {
		t.Errorf("sts-uri = %q", got)
	}
	if _, ok := finding(a.Findings, engine.KindProbeCertificateTrusted); !ok {
		t.Errorf("no %s finding in %v", engine.KindProbeCertificateTrusted, kinds(a.Findings))
	}
	if f, ok := finding(a.Findings, engine.KindProbeChallenge); !ok || !strings.Contains(f.Message, "NTLM (realm \"SIP Communications Service\", targetname pool01.probe.test, version 4)") {
		t.Errorf("challenge finding = %+v", f)
	}

	// Compared with Office Communicator 2007 (its server answers in
	// version 3), the Lync pool differs in version too.
	cmp := probe.Compare(res, simulate(t, signin.Input{Client: "communicator-2007", Server: signin.Server{FQDN: "sip.probe.test", Port: int(srv.port())}}))
	for _, k := range []engine.Kind{engine.KindProbeDiffersVersion, engine.KindProbeDiffersOffers, engine.KindProbeDiffersTargetName, engine.KindProbeDiffersCertificate} {
		if _, ok := finding(cmp, k); !ok {
			t.Errorf("Compare has no %s finding: %v", k, kinds(cmp))
		}
	}
	if f, _ := finding(cmp, engine.KindProbeDiffersOffers); f.Severity != engine.SeverityInfo {
		t.Errorf("TLS-DSK offered to a client without it is %s; want info: %+v", f.Severity, f)
	}
	// The same server compared with a Lync 2013 simulation offering the
	// same protocols differs only in the names.
	cmp = probe.Compare(res, simulate(t, signin.Input{Client: "lync-2013", Server: signin.Server{FQDN: "pool01.probe.test", Port: int(srv.port())},
		CertificateNames: []string{"pool01.probe.test", "sip.probe.test"}}))
	if got := kinds(cmp); len(got) != 1 || got[0] != engine.KindProbeDiffersTarget {
		t.Errorf("Compare with lync-2013 = %v; want only %s (the simulation names the pool)", got, engine.KindProbeDiffersTarget)
	}
}

// TestProbeDiagnostics: a 404 with ms-diagnostics 1003 is decoded with
// [MS-OCER]'s reason and its meaning.
func TestProbeDiagnostics(t *testing.T) {
	srv := serve(t, nil, answer("404 Not Found",
		`ms-diagnostics: 1003;reason="User does not exist";source="pool01.probe.test"`, "Server: RTC/3.5"))
	res := run(t, Options{AllowTCP: true, Candidates: []engine.Candidate{candidate("sip.probe.test", srv.port(), engine.TCP)}})
	a := res.Attempts[0]
	if a.Outcome != probe.Answered || a.Response.Status != 404 {
		t.Fatalf("attempt = %+v", a)
	}
	d := a.Response.Diagnostics
	if len(d) != 1 || d[0].Code != 1003 || d[0].Source != "pool01.probe.test" || d[0].Documented != "User does not exist." || d[0].Meaning == "" {
		t.Fatalf("diagnostics = %+v", d)
	}
	f, ok := finding(a.Findings, engine.KindProbeDiagnostic)
	if !ok || f.Severity != engine.SeverityWarning || !strings.Contains(f.Message, "No user has this SIP URI") || !strings.Contains(f.Fix, "SIP URI") {
		t.Errorf("diagnostic finding = %+v", f)
	}
	if _, ok := finding(a.Findings, engine.KindProbeRefused); !ok {
		t.Errorf("no %s finding in %v", engine.KindProbeRefused, kinds(a.Findings))
	}
}

// TestProbeRedirect: a Director answers 301 with the home pool as
// Contact; the probe follows it once, over a new TLS connection with SNI
// the pool's name, found through the resolver it is given.
func TestProbeRedirect(t *testing.T) {
	ca := siptest.NewCA(t)
	poolCert := ca.Valid(t, "pool01.probe.test")
	pool := serve(t, &poolCert, answer("401 Unauthorized", lyncChallenge("pool01.probe.test")...))
	dirCert := ca.Valid(t, "dir01.probe.test", "sip.probe.test")
	contact := "Contact: <sip:pool01.probe.test:" + itoa(pool.port()) + ";transport=tls>"
	// A redirect loop: the pool's 301 would point back, but the probe
	// follows only once.
	dir := serve(t, &dirCert, answer("301 Redirect request to Home Server", contact, "Expires: 2592000"))

	res := run(t, Options{CA: ca.Pool, Resolver: loopbackResolver,
		Candidates: []engine.Candidate{candidate("sip.probe.test", dir.port(), engine.TLS)}})
	if len(res.Attempts) != 2 {
		t.Fatalf("attempts = %d; want 2: %+v", len(res.Attempts), res.Attempts)
	}
	d, p := res.Attempts[0], res.Attempts[1]
	if d.Response == nil || d.Response.Redirect == nil || d.Response.Redirect.Host != "pool01.probe.test" || d.Response.Redirect.Port != pool.port() {
		t.Fatalf("director's response = %+v", d.Response)
	}
	if p.Reason != engine.ConnectionRedirected || p.Source != "redirect" || p.Host != "pool01.probe.test" || p.Outcome != probe.Answered || p.TLS.ServerName != "pool01.probe.test" || !p.TLS.Covered {
		t.Fatalf("pool attempt = %+v", p)
	}
	if _, ok := finding(d.Findings, engine.KindProbeRedirect); !ok {
		t.Errorf("no %s finding: %v", engine.KindProbeRedirect, kinds(d.Findings))
	}
	cmp := probe.Compare(res, simulate(t, signin.Input{Server: signin.Server{FQDN: "sip.probe.test", Port: int(dir.port())}}))
	if f, ok := finding(cmp, engine.KindProbeDiffersRedirect); !ok || !strings.Contains(f.Fix, "pool01.probe.test") {
		t.Errorf("Compare = %v; want %s naming the pool", kinds(cmp), engine.KindProbeDiffersRedirect)
	}

	// NoRedirect leaves it.
	res = run(t, Options{CA: ca.Pool, Resolver: loopbackResolver, NoRedirect: true,
		Candidates: []engine.Candidate{candidate("sip.probe.test", dir.port(), engine.TLS)}})
	if len(res.Attempts) != 1 {
		t.Errorf("NoRedirect: attempts = %d; want 1", len(res.Attempts))
	}
}

func itoa(p uint16) string { return strconv.Itoa(int(p)) }

// TestProbeHostile: servers that answer badly each give a specific
// failure and finding, and nothing waits past its time limit.
func TestProbeHostile(t *testing.T) {
	ca := siptest.NewCA(t)
	good := ca.Valid(t, "sip.probe.test")
	other := ca.Valid(t, "www.elsewhere.test")
	expired := ca.Leaf(t, []string{"sip.probe.test"}, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))

	megabyte := func(c net.Conn, req []byte) bool {
		c.Write([]byte("SIP/2.0 401 Unauthorized\r\nX-Padding: "))
		c.Write(bytes.Repeat([]byte("a"), 1<<20))
		return false
	}
	endlessBody := func(c net.Conn, req []byte) bool {
		h := respond(req, "401 Unauthorized", lyncChallenge("sip.probe.test"))
		h = bytes.Replace(h, []byte("Content-Length: 0"), []byte("Content-Length: 999999999"), 1)
		c.Write(h)
		for i := 0; i < 1000; i++ {
			if _, err := c.Write(bytes.Repeat([]byte("z"), 4096)); err != nil {
				break
			}
		}
		return false
	}
	drip := func(c net.Conn, req []byte) bool {
		for _, b := range []byte("SIP/2.0 401 Unauthorized\r\nX: ") {
			c.Write([]byte{b})
			time.Sleep(5 * time.Millisecond)
		}
		for i := 0; i < 400; i++ { // longer than the response timeout
			if _, err := c.Write([]byte("a")); err != nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		return false
	}
	// Issue 26, class 5: a valid 401, one byte every 100 ms, and one whose
	// body stalls after 10 of the 100 bytes it announces.
	slow := func(c net.Conn, req []byte) bool {
		for _, b := range respond(req, "401 Unauthorized", lyncChallenge("sip.probe.test")) {
			if _, err := c.Write([]byte{b}); err != nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		return false
	}
	stalledBody := func(c net.Conn, req []byte) bool {
		h := respond(req, "401 Unauthorized", lyncChallenge("sip.probe.test"))
		h = bytes.Replace(h, []byte("Content-Length: 0"), []byte("Content-Length: 100"), 1)
		c.Write(append(h, "0123456789"...))
		io.Copy(io.Discard, c) // until the probe gives up and closes
		return false
	}
	garbage := func(c net.Conn, req []byte) bool {
		c.Write([]byte("\x00\x01\x02 220 hello, this is not SIP\r\n\r\n"))
		return false
	}
	silent := func(c net.Conn, req []byte) bool {
		io.Copy(io.Discard, c) // until the probe gives up and closes
		return false
	}
	wrongCall := func(c net.Conn, req []byte) bool {
		c.Write(bytes.Replace(respond(req, "401 Unauthorized", lyncChallenge("sip.probe.test")), []byte(header(req, "Call-ID")), []byte("someone-else"), 1))
		return false
	}

	tests := []struct {
		name      string
		cert      *tls.Certificate
		reply     replyFunc
		transport engine.Transport
		outcome   probe.Outcome
		stage     probe.Stage
		kind      probe.FailureKind
		msg       string      // in the failure message
		finding   engine.Kind // a finding kind the attempt has
	}{
		{"1 MB header", &good, megabyte, engine.TLS, probe.Failed, probe.StageResponse, probe.ErrTooLarge, "more than 16384 bytes", engine.KindProbeResponseTooLarge},
		{"never-ending body", &good, endlessBody, engine.TLS, probe.Failed, probe.StageResponse, probe.FailBodyTooLarge, "a body of 999999999 bytes", engine.KindProbeResponseTooLarge},
		{"response that never ends", nil, drip, engine.TCP, probe.Failed, probe.StageResponse, probe.FailTimeout, "did not end within 500ms", engine.KindProbeNoResponse},
		{"valid 401, one byte at a time", nil, slow, engine.TCP, probe.Failed, probe.StageResponse, probe.FailTimeout, `the response did not end within 500ms: `, engine.KindProbeNoResponse},
		{"body that stalls", nil, stalledBody, engine.TCP, probe.Failed, probe.StageResponse, probe.FailTimeout, `the body ended after 10 of the 100 bytes its Content-Length announced: the response did not end within 500ms: 10 bytes arrived, starting "0123456789"`, engine.KindProbeNoResponse},
		{"garbage", nil, garbage, engine.TCP, probe.Failed, probe.StageResponse, probe.ErrMalformed, "control character 0x00", engine.KindProbeMalformedResponse},
		{"silence", &good, silent, engine.TLS, probe.Failed, probe.StageResponse, probe.FailTimeout, "no answer within 500ms", engine.KindProbeNoResponse},
		// Issue 26, class 2: an 8-bit CSI (0x9B, not UTF-8) and the same
		// control as UTF-8 (U+009B), which RFC 3261 §25.1's TEXT-UTF8char
		// does not make text, in the reason phrase and in a header.
		{"8-bit CSI in the reason phrase", nil, answer("401 Unauthorized\x9b2J", lyncChallenge("sip.probe.test")...), engine.TCP, probe.Failed, probe.StageResponse, probe.ErrMalformed, "byte 0x9b at column 25 is not UTF-8", engine.KindProbeMalformedResponse},
		{"C1 control as UTF-8 in the Server header", nil, answer("401 Unauthorized", "Server: RTC/5.0\u009b31m"), engine.TCP, probe.Failed, probe.StageResponse, probe.ErrMalformed, "control character U+009B at column 16", engine.KindProbeMalformedResponse},
		{"another dialog's response", nil, wrongCall, engine.TCP, probe.Failed, probe.StageResponse, probe.FailMismatch, `Call-ID "someone-else"`, engine.KindProbeMalformedResponse},
		{"certificate for another name", &other, answer("401 Unauthorized", lyncChallenge("sip.probe.test")...), engine.TLS, probe.Answered, "", "", "", "name-not-covered"},
		{"expired certificate", &expired, answer("401 Unauthorized", lyncChallenge("sip.probe.test")...), engine.TLS, probe.Answered, "", "", "", "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.cert, tt.reply)
			// A server that answers is given the default time, which a
			// loaded machine does not reach; one that stays silent, 500ms,
			// and must be left when they run out, long before the default.
			wait := DefaultResponseTimeout
			if tt.kind == probe.FailTimeout {
				wait = 500 * time.Millisecond
			}
			start := time.Now()
			res := run(t, Options{CA: ca.Pool, AllowTCP: true, ResponseTimeout: wait,
				Candidates: []engine.Candidate{candidate("sip.probe.test", srv.port(), tt.transport)}})
			if took := time.Since(start); tt.kind == probe.FailTimeout && took > DefaultResponseTimeout/2 {
				t.Errorf("the probe took %v; want it to give up after its %v, not the default %v", took, wait, DefaultResponseTimeout)
			}
			a := res.Attempts[0]
			if a.Outcome != tt.outcome {
				t.Fatalf("outcome = %s (%+v); want %s", a.Outcome, a.Failure, tt.outcome)
			}
			if tt.stage != "" && (a.Failure.Stage != tt.stage || a.Failure.Kind != tt.kind || !strings.Contains(a.Failure.Message, tt.msg)) {
				t.Errorf("failure = %+v; want %s/%s containing %q", a.Failure, tt.stage, tt.kind, tt.msg)
			}
			f, ok := finding(a.Findings, tt.finding)
			if !ok {
				t.Fatalf("no %s finding in %v", tt.finding, kinds(a.Findings))
			}
			if f.Severity != engine.SeverityError || f.Fix == "" {
				t.Errorf("finding %s = %+v; want an error with a fix", tt.finding, f)
			}
		})
	}
}

// TestProbeTransportMistakes: TLS spoken to a clear-text server and the
// reverse, a web server on 443, a TLS alert, a refused and a reset
// connection.
func TestProbeTransportMistakes(t *testing.T) {
	ca := siptest.NewCA(t)
	good := ca.Valid(t, "sip.probe.test")

	// A clear-text SIP server that answers anything with 400.
	plainLn, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { plainLn.Close() })
	go acceptLoop(plainLn, func(c net.Conn) {
		c.Read(make([]byte, 512))
		c.Write([]byte("SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
	})
	// A TLS server's answer to clear text: an alert record.
	alert := []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}
	alertLn, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { alertLn.Close() })
	go acceptLoop(alertLn, func(c net.Conn) {
		c.Read(make([]byte, 512))
		c.Write(alert)
	})
	// A web server with a certificate for the SIP name, as a reverse
	// proxy on 443 would have.
	web := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }))
	web.TLS = &tls.Config{Certificates: []tls.Certificate{good}}
	web.StartTLS()
	t.Cleanup(web.Close)
	webPort := uint16(web.Listener.Addr().(*net.TCPAddr).Port)
	// Nothing listens: a port that was free a moment ago.
	gone, _ := net.Listen("tcp", "127.0.0.1:0")
	gonePort := uint16(gone.Addr().(*net.TCPAddr).Port)
	gone.Close()
	// A server that resets the connection on the ClientHello.
	resetLn, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { resetLn.Close() })
	go acceptLoop(resetLn, func(c net.Conn) {
		c.Read(make([]byte, 1))
		c.(*net.TCPConn).SetLinger(0)
	})

	port := func(l net.Listener) uint16 { return uint16(l.Addr().(*net.TCPAddr).Port) }
	tests := []struct {
		name      string
		port      uint16
		transport engine.Transport
		stage     probe.Stage
		kind      probe.FailureKind
		msg       string
		finding   engine.Kind
	}{
		{"TLS to clear-text SIP", port(plainLn), engine.TLS, probe.StageTLS, probe.FailNotTLS, `clear-text SIP ("SIP/2"...)`, engine.KindProbeTLSFailed},
		{"TCP to TLS", port(alertLn), engine.TCP, probe.StageResponse, probe.ErrTLSRecord, "this port expects TLS", engine.KindProbeNotSIP},
		{"TLS alert", port(alertLn), engine.TLS, probe.StageTLS, probe.FailTLSAlert, `the TLS alert "handshake failure"`, engine.KindProbeTLSFailed},
		{"HTTPS on 443", webPort, engine.TLS, probe.StageResponse, probe.ErrHTTP, "an HTTP server answered", engine.KindProbeNotSIP},
		{"refused", gonePort, engine.TLS, probe.StageConnect, probe.FailRefused, "connection refused", engine.KindProbeConnectFailed},
		{"reset", port(resetLn), engine.TLS, probe.StageTLS, probe.FailReset, "reset the connection during the handshake", engine.KindProbeTLSFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, Options{CA: ca.Pool, AllowTCP: true, Candidates: []engine.Candidate{candidate("sip.probe.test", tt.port, tt.transport)}})
			a := res.Attempts[0]
			if a.Outcome != probe.Failed || a.Failure.Stage != tt.stage || a.Failure.Kind != tt.kind || !strings.Contains(a.Failure.Message, tt.msg) {
				t.Fatalf("attempt = %s %+v; want failed %s/%s containing %q", a.Outcome, a.Failure, tt.stage, tt.kind, tt.msg)
			}
			if _, ok := finding(a.Findings, tt.finding); !ok {
				t.Errorf("no %s finding in %v", tt.finding, kinds(a.Findings))
			}
			if f, ok := finding(res.Findings, engine.KindProbeNoServerAnswered); !ok || f.Severity != engine.SeverityError {
				t.Errorf("result findings = %v; want %s", kinds(res.Findings), engine.KindProbeNoServerAnswered)
			}
		})
	}
}

func acceptLoop(ln net.Listener, h func(net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			h(c)
		}()
	}
}

// TestProbeOrder: candidates are tried in the client's order, the first
// that answers ends the probe (unless All), refused candidates and TCP
// without the policy's permission are never contacted.
func TestProbeOrder(t *testing.T) {
	ca := siptest.NewCA(t)
	good := ca.Valid(t, "sip.probe.test", "pool01.probe.test")
	gone, _ := net.Listen("tcp", "127.0.0.1:0")
	gonePort := uint16(gone.Addr().(*net.TCPAddr).Port)
	gone.Close()
	srv := serve(t, &good, answer("401 Unauthorized", lyncChallenge("pool01.probe.test")...))
	tcp := serve(t, nil, answer("401 Unauthorized", lyncChallenge("pool01.probe.test")...))

	refused := candidate("sip.evil.test", srv.port(), engine.TLS)
	refused.Accepted = false
	cands := []engine.Candidate{
		refused,
		candidate("sip.probe.test", gonePort, engine.TLS),
		candidate("pool01.probe.test", srv.port(), engine.TLS),
		candidate("sip.probe.test", tcp.port(), engine.TCP),
	}
	res := run(t, Options{CA: ca.Pool, Candidates: cands})
	var got []string
	for _, a := range res.Attempts {
		got = append(got, a.Host+" "+string(a.Outcome))
	}
	if want := "sip.probe.test failed,pool01.probe.test answered"; strings.Join(got, ",") != want {
		t.Errorf("attempts = %v; want %s", got, want)
	}
	if _, ok := finding(res.Findings, engine.KindProbeFirstCandidateFailed); !ok {
		t.Errorf("result findings = %v; want %s", kinds(res.Findings), engine.KindProbeFirstCandidateFailed)
	}
	cmp := probe.Compare(res, simulate(t, signin.Input{Server: signin.Server{FQDN: "sip.probe.test", Port: int(gonePort)}}))
	if _, ok := finding(cmp, engine.KindProbeDiffersTarget); !ok {
		t.Errorf("Compare = %v; want %s", kinds(cmp), engine.KindProbeDiffersTarget)
	}

	res = run(t, Options{CA: ca.Pool, Candidates: cands, All: true})
	got = nil
	for _, a := range res.Attempts {
		got = append(got, string(a.Transport)+" "+string(a.Outcome))
	}
	if want := "TLS failed,TLS answered,TCP skipped"; strings.Join(got, ",") != want {
		t.Errorf("All without TCP: attempts = %v; want %s", got, want)
	}
	if f, ok := finding(res.Attempts[2].Findings, engine.KindProbeSkipped); !ok || f.Severity != engine.SeverityInfo || !strings.Contains(f.Message, "the policy does not allow TCP") {
		t.Errorf("skipped TCP attempt: findings = %+v", res.Attempts[2].Findings)
	}
	// Documentation addresses (the demo zones') are never contacted.
	demo := candidate("sip.healthy.example", 5061, engine.TLS)
	demo.Addresses = []string{"192.0.2.10", "2001:db8::10"}
	res = run(t, Options{Candidates: []engine.Candidate{demo}})
	if a := res.Attempts[0]; a.Outcome != probe.Skipped || a.Remote != "" || !strings.Contains(a.Failure.Message, "reserved for documentation") {
		t.Errorf("demo candidate: attempt = %+v", a)
	}
	if len(tcp.received()) != 0 {
		t.Errorf("the TCP server was contacted although the policy forbids TCP")
	}
}

// TestProbeTimeouts: a connection that never opens and a handshake that
// never finishes end at their limits.
func TestProbeTimeouts(t *testing.T) {
	hang := func(ctx context.Context, network, addr string) (net.Conn, error) {
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
	}
	start := time.Now()
	res := run(t, Options{Dial: hang, ConnectTimeout: 300 * time.Millisecond,
		Candidates: []engine.Candidate{candidate("sip.probe.test", 5061, engine.TLS)}})
	if a := res.Attempts[0]; a.Failure == nil || a.Failure.Kind != probe.FailTimeout || !strings.Contains(a.Failure.Message, "no answer within 300ms") {
		t.Errorf("hung dial: attempt = %+v", a)
	}
	// A server that accepts but never speaks TLS.
	mute, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { mute.Close() })
	go acceptLoop(mute, func(c net.Conn) { io.Copy(io.Discard, c) })
	res = run(t, Options{HandshakeTimeout: 300 * time.Millisecond,
		Candidates: []engine.Candidate{candidate("sip.probe.test", uint16(mute.Addr().(*net.TCPAddr).Port), engine.TLS)}})
	if a := res.Attempts[0]; a.Failure == nil || a.Failure.Stage != probe.StageTLS || a.Failure.Kind != probe.FailTimeout {
		t.Errorf("mute server: attempt = %+v", a)
	}
	// Either one waiting for its default limit (5s) would take longer.
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("took %v; want both to end at their 300ms limits", took)
	}

	// Cancelling the context ends the probe at once, with its error.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := Probe(ctx, Options{Address: "bob@probe.test", SystemRoots: x509.NewCertPool(),
		Candidates: []engine.Candidate{candidate("sip.probe.test", uint16(mute.Addr().(*net.TCPAddr).Port), engine.TLS)}})
	if err == nil || time.Since(start) > 3*time.Second { // not the 5s handshake limit
		t.Errorf("Probe with a cancelled context = %v after %v; want its error at once", err, time.Since(start))
	}
}

// TestProbeOldServer: a server of the OCS 2007 era that speaks only TLS
// 1.0 with RSA key exchange and 3DES still completes the handshake, and
// the findings say what it chose.
func TestProbeOldServer(t *testing.T) {
	ca := siptest.NewCA(t)
	cert := ca.RSALeaf(t, "sip.probe.test")
	srv := serveTLS(t, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10,
		CipherSuites: []uint16{tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA}},
		answer("401 Unauthorized", `WWW-Authenticate: NTLM realm="SIP Communications Service", targetname="sip.probe.test", version=3`, "Server: RTC/3.0"))
	res := run(t, Options{CA: ca.Pool, Candidates: []engine.Candidate{candidate("sip.probe.test", srv.port(), engine.TLS)}})
	a := res.Attempts[0]
	if a.Outcome != probe.Answered || a.TLS.Version != "TLS 1.0" || a.TLS.CipherSuite != "TLS_RSA_WITH_3DES_EDE_CBC_SHA" {
		t.Fatalf("attempt = %s %+v, TLS %+v", a.Outcome, a.Failure, a.TLS)
	}
	for _, k := range []engine.Kind{engine.KindProbeTLSOldVersion, engine.KindProbeTLSWeakCipher} {
		if f, ok := finding(a.Findings, k); !ok || f.Severity != engine.SeverityWarning {
			t.Errorf("no %s warning in %v", k, kinds(a.Findings))
		}
	}
}

// TestProbeDeadline: eight SIP servers on loopback that accept the
// REGISTER and never answer hold the probe only for its overall time
// limit (Options.Deadline, issue 26): the candidates it reaches time out
// at their own limit, the one it is on when the time runs out at the
// time left, saying so, and the rest are not tried; the result names
// them in one finding.
func TestProbeDeadline(t *testing.T) {
	var cands []engine.Candidate
	for range 8 {
		stall := serve(t, nil, func(c net.Conn, req []byte) bool {
			io.Copy(io.Discard, c) // read the REGISTER and what follows, answer nothing
			return false
		})
		cands = append(cands, candidate("sip.probe.test", stall.port(), engine.TCP))
	}
	res := run(t, Options{Candidates: cands, AllowTCP: true, All: true, ResponseTimeout: 500 * time.Millisecond, Deadline: 1250 * time.Millisecond})
	if len(res.Attempts) != len(cands) {
		t.Fatalf("%d attempts for %d candidates", len(res.Attempts), len(cands))
	}
	var notTried []string
	for i, a := range res.Attempts {
		f := a.Failure
		switch {
		case f == nil:
			t.Errorf("attempt %d answered: %+v", i, a)
		case i < 2 && (f.Kind != probe.FailTimeout || !strings.Contains(f.Message, "within 500ms") || strings.Contains(f.Message, "overall")):
			t.Errorf("attempt %d, within the time: %+v; want a timeout at its own 500ms", i, *f)
		case f.Kind == probe.FailNotTried:
			if a.Outcome != probe.Skipped || !strings.Contains(f.Message, "overall time limit of 1.25s ran out") {
				t.Errorf("attempt %d not tried: %s %+v", i, a.Outcome, *f)
			}
			if _, ok := finding(a.Findings, engine.KindProbeSkipped); !ok {
				t.Errorf("attempt %d not tried: findings %v; want %s", i, kinds(a.Findings), engine.KindProbeSkipped)
			}
			notTried = append(notTried, engine.Endpoint(a.Host, a.Port, a.Transport))
		case len(notTried) > 0:
			t.Errorf("attempt %d tried after one not tried: %+v", i, *f)
		case i >= 2 && (f.Kind != probe.FailTimeout || !strings.Contains(f.Message, "overall time limit of 1.25s ran out")):
			t.Errorf("attempt %d, as the time ran out: %+v; want a timeout saying the overall limit ran out", i, *f)
		}
	}
	if len(notTried) < 4 {
		t.Errorf("%d candidates not tried; want at least 4 of 8 with 1.25s for 500ms each", len(notTried))
	}
	f, ok := finding(res.Findings, engine.KindProbeOutOfTime)
	if !ok || f.Severity != engine.SeverityWarning || !strings.Contains(f.Message, fmt.Sprintf("tried %d of the candidates (%s)", len(notTried), strings.Join(notTried, ", "))) {
		t.Errorf("result findings %+v; want %s naming the %d not tried", res.Findings, engine.KindProbeOutOfTime, len(notTried))
	}

	// Out of time before the first candidate: no server was contacted,
	// and the finding says why.
	res = run(t, Options{Candidates: cands[:2], AllowTCP: true, Deadline: time.Nanosecond})
	if f, ok := finding(res.Findings, engine.KindProbeNoServerAnswered); !ok || !strings.Contains(f.Message, "overall time limit ran out first") {
		t.Errorf("with no time: findings %+v", res.Findings)
	}
}

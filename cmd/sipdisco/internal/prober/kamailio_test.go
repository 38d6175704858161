//go:build linux

package prober

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/probe"
)

// The kamailio tests run the probe against a SIP server that is not
// ours: kamailio, from the Debian packages "kamailio" and
// "kamailio-tls-modules", found on PATH, in /usr/sbin, or at
// $SIPDISCO_KAMAILIO. It runs in the foreground on two free loopback
// ports (TCP and TLS) with a configuration, key and certificate the test
// writes to a temporary directory, and challenges every REGISTER with
// 401 Digest in the realm of the To domain — except for two users: for
// "moved" it answers 301 with a home pool as Contact, for "ghost" 404
// with ms-diagnostics 1003, both as Office Communications Server words
// them. Without the binary the tests skip, unless SIPDISCO_CI=1, where a
// missing server is a failure.

// kamailio is a running kamailio.
type kamailio struct {
	tcp, tls uint16
	ca       *testCA
	log      *lockedBuffer
}

// kamailioConfig is the server's configuration: TCP and TLS on
// loopback, no UDP, no DNS, one worker per transport.
const kamailioConfig = `#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
dns=no
rev_dns=no
disable_sctp=yes
enable_tls=yes
listen=tcp:127.0.0.1:%[1]d
listen=tls:127.0.0.1:%[2]d
mpath="%[3]s"
loadmodule "tls.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "auth.so"
modparam("tls", "certificate", "%[4]s")
modparam("tls", "private_key", "%[5]s")
modparam("tls", "verify_certificate", 0)
modparam("tls", "require_certificate", 0)
modparam("tls", "tls_method", "TLSv1.2")
request_route {
	if (!is_method("REGISTER")) {
		sl_send_reply("405", "Method Not Allowed");
		exit;
	}
	if ($tU == "moved") {
		append_to_reply("Contact: <sip:pool01.kam.test:%[2]d;transport=tls>\r\n");
		append_to_reply("Expires: 2592000\r\n");
		sl_send_reply("301", "Redirect request to Home Server");
		exit;
	}
	if ($tU == "ghost") {
		append_to_reply("ms-diagnostics: 1003;reason=\"User does not exist\";source=\"pool01.kam.test\"\r\n");
		sl_send_reply("404", "Not Found");
		exit;
	}
	auth_challenge("$td", "1");
	exit;
}
`

func startKamailio(t testing.TB) *kamailio {
	t.Helper()
	bin := needKamailio(t)
	mods := kamailioModules(t)
	dir := t.TempDir()
	ca := newTestCA(t)
	cert := ca.valid(t, "sip.kam.test", "pool01.kam.test")
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	var chain bytes.Buffer
	for _, der := range cert.Certificate {
		pem.Encode(&chain, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, chain.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	// A free port can be taken between our look and kamailio's bind, so
	// try a few times.
	var lastErr error
	for range 3 {
		tcpPort, tlsPort := freePort(t), freePort(t)
		conf := filepath.Join(dir, "kamailio.cfg")
		if err := os.WriteFile(conf, fmt.Appendf(nil, kamailioConfig, tcpPort, tlsPort, mods, certFile, keyFile), 0o600); err != nil {
			t.Fatal(err)
		}
		log := new(lockedBuffer)
		// -DD: stay in the foreground; -E: log to stderr; small memory.
		cmd := exec.Command(bin, "-f", conf, "-DD", "-E", "-m", "32", "-M", "8")
		cmd.Stdout, cmd.Stderr = log, log
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", bin, err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		stop := func() {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the group of the process we started
				<-exited
			}
		}
		err := waitListening(exited, 10*time.Second, tcpPort, tlsPort)
		if err == nil {
			err = waitReady(exited, 20*time.Second, tcpPort, tlsPort)
		}
		if err != nil {
			stop()
			lastErr = fmt.Errorf("%v\nkamailio log:\n%s", err, log)
			continue
		}
		t.Cleanup(stop)
		return &kamailio{tcp: uint16(tcpPort), tls: uint16(tlsPort), ca: ca, log: log}
	}
	t.Fatalf("kamailio did not start: %v", lastErr)
	return nil
}

// needKamailio returns kamailio's path, skipping the test when it is
// missing, or failing it when SIPDISCO_CI=1.
func needKamailio(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("SIPDISCO_KAMAILIO"); p != "" {
		return p
	}
	if p, err := exec.LookPath("kamailio"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/kamailio"); err == nil {
		return "/usr/sbin/kamailio"
	}
	msg := "kamailio not found; install the Debian packages \"kamailio\" and \"kamailio-tls-modules\""
	if os.Getenv("SIPDISCO_CI") == "1" {
		t.Fatal(msg + "; SIPDISCO_CI=1 requires the kamailio tests to run")
	}
	t.Skip(msg + "; skipping the kamailio test")
	return ""
}

// kamailioModules returns the directory holding kamailio's modules, with
// tls.so (from kamailio-tls-modules).
func kamailioModules(t testing.TB) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/*/kamailio/modules")
	dirs = append(dirs, "/usr/lib/kamailio/modules", "/usr/lib64/kamailio/modules")
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "tls.so")); err == nil {
			return d
		}
	}
	msg := "kamailio's tls.so not found; install the Debian package \"kamailio-tls-modules\""
	if os.Getenv("SIPDISCO_CI") == "1" {
		t.Fatal(msg + "; SIPDISCO_CI=1 requires the kamailio tests to run")
	}
	t.Skip(msg)
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening waits until every port accepts connections on loopback,
// the process exits, or d passes.
func waitListening(exited <-chan error, d time.Duration, ports ...int) error {
	deadline := time.Now().Add(d)
	for _, p := range ports {
		addr := fmt.Sprintf("127.0.0.1:%d", p)
		for {
			select {
			case err := <-exited:
				return fmt.Errorf("kamailio exited: %v", err)
			default:
			}
			if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("kamailio not listening on %s after %v", addr, d)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

// waitReady waits until kamailio answers SIP on its TCP port and
// completes a TLS handshake on its TLS port: it accepts connections
// before its workers are ready, and on a loaded machine the first
// answers can take seconds.
func waitReady(exited <-chan error, d time.Duration, tcpPort, tlsPort int) error {
	deadline := time.Now().Add(d)
	options := "OPTIONS sip:ready@kam.test SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKready\r\nFrom: <sip:t@kam.test>;tag=1\r\nTo: <sip:ready@kam.test>\r\nCall-ID: ready\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
	var last error
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("kamailio exited: %v", err)
		default:
		}
		last = func() error {
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", tcpPort), time.Second)
			if err != nil {
				return err
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(2 * time.Second))
			if _, err := c.Write([]byte(options)); err != nil {
				return err
			}
			b := make([]byte, 12)
			if _, err := io.ReadFull(c, b); err != nil || string(b) != "SIP/2.0 405 " {
				return fmt.Errorf("TCP answer %q, %v", b, err)
			}
			tc, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", fmt.Sprintf("127.0.0.1:%d", tlsPort), &tls.Config{InsecureSkipVerify: true})
			if err != nil {
				return err
			}
			return tc.Close()
		}()
		if last == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("kamailio not ready after %v: %v", d, last)
}

// lockedBuffer is a bytes.Buffer safe for a process's output and a test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func kamCandidate(host string, port uint16, tr engine.Transport) engine.Candidate {
	c := candidate(host, port, tr)
	c.Source = strings.Replace(c.Source, "probe.test", "kam.test", 1)
	return c
}

// kamRun is run with time limits for a shared machine: kamailio is a
// real server, slower to answer than a scripted one under load.
func kamRun(t *testing.T, o Options) probe.Result {
	t.Helper()
	if o.HandshakeTimeout == 0 {
		o.HandshakeTimeout = 10 * time.Second
	}
	o.ConnectTimeout, o.ResponseTimeout = 10*time.Second, 10*time.Second
	return run(t, o)
}

// TestKamailio probes kamailio over TLS and TCP: the probe reports the
// certificate kamailio presents, the TLS version it was configured for,
// its Digest challenge with the realm, and that a Microsoft client
// cannot answer it.
func TestKamailio(t *testing.T) {
	k := startKamailio(t)
	t.Run("TLS", func(t *testing.T) {
		res := kamRun(t, Options{Address: "bob@kam.test", CA: k.ca.pool, CALabel: "--ca kam-root.pem",
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.tls, engine.TLS)}})
		a := res.Attempts[0]
		if a.Outcome != probe.Answered {
			t.Fatalf("outcome %s %+v\nkamailio log:\n%s", a.Outcome, a.Failure, k.log)
		}
		tl := a.TLS
		if tl.Version != "TLS 1.2" || tl.ServerName != "sip.kam.test" || !tl.Covered || tl.By != "DNS:sip.kam.test" || !tl.SIPDomainCovered {
			t.Errorf("TLS = %+v; want TLS 1.2 (kamailio's tls_method), SNI sip.kam.test covered, sip.kam.test", tl)
		}
		if len(tl.Chain) != 2 || !strings.Contains(strings.Join(tl.Chain[0].DNSNames, ","), "pool01.kam.test") {
			t.Errorf("chain = %+v; want kamailio's certificate and the test root", tl.Chain)
		}
		if len(tl.Trust) != 2 || tl.Trust[0].Trusted || !tl.Trust[1].Trusted || tl.Trust[1].Roots != "--ca kam-root.pem" {
			t.Errorf("trust = %+v; want untrusted by the (empty) system roots, trusted by --ca", tl.Trust)
		}
		checkDigest(t, a, "kam.test")
		if a.ResponseMS < 0 || a.ConnectMS < 0 || tl.HandshakeMS < 0 {
			t.Errorf("times %d %d %d", a.ConnectMS, tl.HandshakeMS, a.ResponseMS)
		}
		// What a page gets from a pasted result is what the prober made.
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		var back probe.Result
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if err := probe.Validate(back); err != nil {
			t.Errorf("Validate(kamailio's result from JSON) = %v", err)
		}
		if diff := cmp.Diff(back, res); diff != "" {
			t.Errorf("JSON round trip (-got +want):\n%s", diff)
		}
	})
	t.Run("TCP", func(t *testing.T) {
		res := kamRun(t, Options{Address: "sip:alice@kam.test", AllowTCP: true,
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.tcp, engine.TCP)}})
		a := res.Attempts[0]
		if a.Outcome != probe.Answered || a.TLS != nil {
			t.Fatalf("attempt %+v\nkamailio log:\n%s", a, k.log)
		}
		checkDigest(t, a, "kam.test")
		// kamailio echoes our Via with what it saw (RFC 3261 §18.2.1).
		if via := a.Response.Get("Via"); len(via) != 1 || !strings.HasPrefix(via[0], "SIP/2.0/TCP 127.0.0.1:") {
			t.Errorf("Via = %q", via)
		}
	})
	t.Run("TLS to the TCP port", func(t *testing.T) {
		res := kamRun(t, Options{Address: "bob@kam.test", HandshakeTimeout: time.Second,
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.tcp, engine.TLS)}})
		a := res.Attempts[0]
		if a.Outcome != probe.Failed || a.Failure.Stage != probe.StageTLS {
			t.Fatalf("attempt = %s %+v; want a TLS failure", a.Outcome, a.Failure)
		}
		if _, ok := finding(a.Findings, engine.KindProbeTLSFailed); !ok {
			t.Errorf("findings = %v", kinds(a.Findings))
		}
	})
	t.Run("redirect", func(t *testing.T) {
		res := kamRun(t, Options{Address: "moved@kam.test", CA: k.ca.pool, Resolver: loopbackResolver,
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.tls, engine.TLS)}})
		if len(res.Attempts) != 2 {
			t.Fatalf("attempts = %+v", res.Attempts)
		}
		d, p := res.Attempts[0], res.Attempts[1]
		if d.Response.Status != 301 || d.Response.Reason != "Redirect request to Home Server" || d.Response.Redirect.Host != "pool01.kam.test" {
			t.Errorf("director: %+v", d.Response)
		}
		if p.Reason != engine.ConnectionRedirected || p.TLS == nil || p.TLS.ServerName != "pool01.kam.test" || !p.TLS.Covered || p.Outcome != probe.Answered {
			t.Errorf("pool: %+v", p)
		}
		// kamailio's "pool" is the same server and redirects "moved"
		// again: the probe stops there and says so.
		if _, ok := finding(res.Findings, engine.KindProbeRedirectAgain); !ok || p.Response.Status != 301 {
			t.Errorf("result findings = %v; want %s", kinds(res.Findings), engine.KindProbeRedirectAgain)
		}
	})
	t.Run("ms-diagnostics", func(t *testing.T) {
		res := kamRun(t, Options{Address: "ghost@kam.test", CA: k.ca.pool,
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.tls, engine.TLS)}})
		r := res.Attempts[0].Response
		if r == nil || r.Status != 404 || len(r.Diagnostics) != 1 || r.Diagnostics[0].Code != 1003 || r.Diagnostics[0].Meaning == "" {
			t.Fatalf("response = %+v", r)
		}
	})
}

// checkDigest checks kamailio's 401: one Digest challenge in realm, with
// a nonce and qop=auth, a Server header naming kamailio, and the finding
// that a Microsoft client cannot answer it.
func checkDigest(t *testing.T, a probe.Attempt, realm string) {
	t.Helper()
	r := a.Response
	if r.Status != 401 || len(r.Challenges) != 1 {
		t.Fatalf("response = %d with %d challenges; want 401 with 1", r.Status, len(r.Challenges))
	}
	c := r.Challenges[0]
	if c.Protocol != probe.Digest || c.Realm != realm || c.Nonce == "" || c.QOP != "auth" || c.Error != "" {
		t.Errorf("challenge = %+v; want Digest realm %q with a nonce and qop auth", c, realm)
	}
	if !strings.HasPrefix(r.Server, "kamailio") {
		t.Errorf("Server = %q; want kamailio's", r.Server)
	}
	f, ok := finding(a.Findings, engine.KindProbeNoCommonProtocol)
	if !ok || f.Severity != engine.SeverityError || !strings.Contains(f.Message, "offers only Digest") {
		t.Errorf("findings = %v; want %s saying it offers only Digest", kinds(a.Findings), engine.KindProbeNoCommonProtocol)
	}
	if f, ok := finding(a.Findings, engine.KindProbeChallenge); !ok || !strings.Contains(f.Message, `Digest (realm "`+realm+`"`) || !strings.Contains(f.Message, "Server: kamailio") {
		t.Errorf("challenge finding = %+v", f)
	}
}

//go:build linux

package siptest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Kamailio is a running kamailio: its TCP and TLS ports on 127.0.0.1,
// the CA that issued its certificate, and its log (for a failing test's
// message).
type Kamailio struct {
	TCP, TLS uint16
	CA       *CA
	Log      fmt.Stringer
}

// The names kamailio's certificate carries and the domain it serves.
const (
	KamailioDomain = "kam.test"
	KamailioHost   = "sip.kam.test"
	KamailioPool   = "pool01.kam.test"
)

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

// StartKamailio starts kamailio on two free loopback ports, TCP and TLS,
// serving a certificate for sip.kam.test and pool01.kam.test issued by a
// new CA, and stops it when the test ends. It challenges every REGISTER
// with 401 Digest in the realm of the To domain (kam.test), except for
// two users, answered as Office Communications Server words it: "moved"
// gets 301 with pool01.kam.test on the TLS port as Contact, "ghost" 404
// with ms-diagnostics 1003. It skips the test when kamailio is missing
// (fails it under SIPDISCO_CI=1).
func StartKamailio(t testing.TB) *Kamailio {
	t.Helper()
	bin := needKamailio(t)
	mods := kamailioModules(t)
	dir := t.TempDir()
	ca := NewCA(t)
	cert := ca.Valid(t, "sip.kam.test", "pool01.kam.test")
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, chainPEM(cert), 0o600); err != nil {
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
		return &Kamailio{TCP: uint16(tcpPort), TLS: uint16(tlsPort), CA: ca, Log: log}
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

//go:build !js

package dohclient

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
)

// The interop tests run our client against a DoH server that is not our
// code: unbound, from the Debian package "unbound" (1.17 or later, built
// with libnghttp2 as Debian builds it), found on PATH, in /usr/sbin, or at
// $SIPDISCO_UNBOUND. It runs in the foreground on a free loopback port
// with a configuration, key and self-signed certificate written to a
// temporary directory. Without the binary the test skips, unless
// SIPDISCO_CI=1, where a missing server is a failure.

// unboundZone is the local data the unbound server answers from, in its
// own configuration syntax.
var unboundZone = []string{
	`local-zone: "interop.example." static`,
	`local-data: "_sipinternaltls._tcp.interop.example. 300 IN SRV 0 10 5061 pool01.interop.example."`,
	`local-data: "_sipinternaltls._tcp.interop.example. 300 IN SRV 10 0 5061 sip.interop.example."`,
	`local-data: "_sip._tls.interop.example. 600 IN SRV 0 0 443 ."`,
	`local-data: "sip.interop.example. 300 IN A 192.0.2.10"`,
	`local-data: "sip.interop.example. 300 IN AAAA 2001:db8::10"`,
	`local-data: "pool01.interop.example. 60 IN A 192.0.2.11"`,
	`local-data: "pool01.interop.example. 60 IN A 192.0.2.12"`,
	`local-data: "alias.interop.example. 120 IN CNAME sip.interop.example."`,
	`local-data: 'txt.interop.example. 30 IN TXT "v=spf1 -all" "quote\" <b> \255"'`,
}

func TestInteropUnbound(t *testing.T) {
	srv := startUnbound(t)
	rec := func(name string, typ engine.Type, ttl uint32) engine.Record {
		return engine.Record{Name: name, Type: typ, TTL: ttl}
	}
	srv1 := rec("_sipinternaltls._tcp.interop.example", engine.TypeSRV, 300)
	srv1.Weight, srv1.Port, srv1.Target = 10, 5061, "pool01.interop.example"
	srv2 := rec("_sipinternaltls._tcp.interop.example", engine.TypeSRV, 300)
	srv2.Priority, srv2.Port, srv2.Target = 10, 5061, "sip.interop.example"
	srvDot := rec("_sip._tls.interop.example", engine.TypeSRV, 600)
	srvDot.Port, srvDot.Target = 443, "."
	sipA := rec("sip.interop.example", engine.TypeA, 300)
	sipA.Addr = netip.MustParseAddr("192.0.2.10")
	sipAAAA := rec("sip.interop.example", engine.TypeAAAA, 300)
	sipAAAA.Addr = netip.MustParseAddr("2001:db8::10")
	pool1 := rec("pool01.interop.example", engine.TypeA, 60)
	pool1.Addr = netip.MustParseAddr("192.0.2.11")
	pool2 := rec("pool01.interop.example", engine.TypeA, 60)
	pool2.Addr = netip.MustParseAddr("192.0.2.12")
	alias := rec("alias.interop.example", engine.TypeCNAME, 120)
	alias.Target = "sip.interop.example"
	txt := rec("txt.interop.example", engine.TypeTXT, 30)
	txt.Text = []string{"v=spf1 -all", "quote\" <b> \xff"}

	tests := []struct {
		q    engine.Question
		want engine.Answer
	}{
		{engine.Question{Name: "_sipinternaltls._tcp.interop.example", Type: engine.TypeSRV}, engine.Answer{Records: []engine.Record{srv1, srv2}}},
		{engine.Question{Name: "_sip._tls.interop.example", Type: engine.TypeSRV}, engine.Answer{Records: []engine.Record{srvDot}}},
		{engine.Question{Name: "sip.interop.example", Type: engine.TypeA}, engine.Answer{Records: []engine.Record{sipA}}},
		{engine.Question{Name: "sip.interop.example", Type: engine.TypeAAAA}, engine.Answer{Records: []engine.Record{sipAAAA}}},
		{engine.Question{Name: "pool01.interop.example", Type: engine.TypeA}, engine.Answer{Records: []engine.Record{pool1, pool2}}},
		{engine.Question{Name: "alias.interop.example", Type: engine.TypeCNAME}, engine.Answer{Records: []engine.Record{alias}}},
		{engine.Question{Name: "txt.interop.example", Type: engine.TypeTXT}, engine.Answer{Records: []engine.Record{txt}}},
		// NXDOMAIN: no such name in the static zone.
		{engine.Question{Name: "_sipinternal._tcp.interop.example", Type: engine.TypeSRV}, engine.Answer{RCode: engine.RCodeNameError}},
		{engine.Question{Name: "sipinternal.interop.example", Type: engine.TypeA}, engine.Answer{RCode: engine.RCodeNameError}},
		// NODATA: the name exists, the type does not.
		{engine.Question{Name: "sip.interop.example", Type: engine.TypeSRV}, engine.Answer{RCode: engine.RCodeSuccess}},
		{engine.Question{Name: "pool01.interop.example", Type: engine.TypeAAAA}, engine.Answer{RCode: engine.RCodeSuccess}},
	}
	for _, method := range []string{"GET"} {
		t.Run(method, func(t *testing.T) {
			var bodies [][]byte
			c, err := New(srv.endpoint, recordBodies(HTTPRoundTrip(srv.client), &bodies))
			if err != nil {
				t.Fatal(err)
			}
			for _, tt := range tests {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				got, err := c.Resolve(ctx, tt.q)
				cancel()
				if err != nil {
					t.Errorf("Resolve(%v): %v\nunbound log:\n%s", tt.q, err, srv.log)
					continue
				}
				// unbound rotates RRsets (rrset-roundrobin); compare as sets.
				slices.SortFunc(got.Records, func(a, b engine.Record) int { return strings.Compare(a.String(), b.String()) })
				if diff := cmp.Diff(got, tt.want, addrComparer); diff != "" {
					t.Errorf("Resolve(%v) (-got +want):\n%s", tt.q, diff)
				}
			}
			// unbound answers an OPT record with one of its own (RFC 6891
			// §7) once it has parsed ours, Padding option included; a
			// malformed OPT would have been FORMERR. (unbound 1.17 pads
			// responses only on DNS-over-TLS, not DoH, so the reply
			// length proves nothing.)
			if len(bodies) != len(tests) {
				t.Errorf("saw %d responses; want %d", len(bodies), len(tests))
			}
			for _, b := range bodies {
				m := new(dns.Msg)
				if err := m.Unpack(b); err != nil {
					t.Fatal(err)
				}
				if m.IsEdns0() == nil {
					t.Errorf("unbound's reply to %v has no OPT record", m.Question)
				}
			}
		})
	}

	t.Run("question echoed in another case", func(t *testing.T) {
		c, err := New(srv.endpoint, HTTPRoundTrip(srv.client))
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Resolve(context.Background(), engine.Question{Name: "SIP.Interop.EXAMPLE", Type: engine.TypeA})
		if err != nil {
			t.Fatalf("Resolve: %v", err)
		}
		if len(got.Records) != 1 || got.Records[0].Addr != sipA.Addr {
			t.Errorf("Resolve(SIP.Interop.EXAMPLE A) = %v; want %v", got, sipA)
		}
	})

	t.Run("wrong path", func(t *testing.T) {
		c, err := New(strings.TrimSuffix(srv.endpoint, "/dns-query")+"/nope", HTTPRoundTrip(srv.client))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Resolve(context.Background(), engine.Question{Name: "sip.interop.example", Type: engine.TypeA})
		var re *ResponseError
		if !errors.As(err, &re) || re.Status != http.StatusNotFound || !strings.Contains(err.Error(), "HTTP status 404") {
			t.Errorf("Resolve at a wrong path: %v; want a 404 ResponseError", err)
		}
	})
}

// recordBodies wraps rt so that every response body is appended to bodies.
func recordBodies(rt RoundTrip, bodies *[][]byte) RoundTrip {
	var mu sync.Mutex
	return func(ctx context.Context, req *Request) (*Response, error) {
		resp, err := rt(ctx, req)
		if err != nil || resp.Body == nil {
			return resp, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		mu.Lock()
		*bodies = append(*bodies, b)
		mu.Unlock()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return resp, nil
	}
}

// unboundServer is a running unbound serving DoH on loopback.
type unboundServer struct {
	endpoint string
	client   *http.Client // trusts the server's certificate
	log      *syncBuffer
}

func startUnbound(t *testing.T) *unboundServer {
	t.Helper()
	bin := dnstest.NeedBinary(t, "unbound", "unbound", "SIPDISCO_UNBOUND", "/usr/sbin/unbound")
	dir := t.TempDir()
	certPEM, keyPEM, pool := selfSigned(t)
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	tr.ForceAttemptHTTP2 = true // unbound speaks DoH over HTTP/2 only
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)

	// A free port can be taken between our probe and unbound's bind, so
	// try a few.
	var lastErr error
	for range 3 {
		port := freePort(t)
		conf := filepath.Join(dir, "unbound.conf")
		if err := os.WriteFile(conf, []byte(unboundConfig(dir, port)), 0o600); err != nil {
			t.Fatal(err)
		}
		log := new(syncBuffer)
		cmd := exec.Command(bin, "-d", "-c", conf)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", bin, err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(port))
		if err := waitListening(addr, exited, 10*time.Second); err != nil {
			cmd.Process.Kill()
			<-exited
			lastErr = fmt.Errorf("%v\nunbound log:\n%s", err, log)
			continue
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			<-exited
		})
		return &unboundServer{endpoint: "https://" + addr + "/dns-query", client: hc, log: log}
	}
	t.Fatalf("unbound did not start: %v", lastErr)
	return nil
}

func unboundConfig(dir string, port int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `server:
	verbosity: 1
	do-daemonize: no
	chroot: ""
	username: ""
	directory: %q
	pidfile: ""
	use-syslog: no
	logfile: ""
	num-threads: 1
	interface: 127.0.0.1@%d
	https-port: %d
	http-endpoint: "/dns-query"
	tls-service-key: %q
	tls-service-pem: %q
	do-ip6: no
	do-udp: no
	access-control: 127.0.0.0/8 allow
	module-config: "iterator"
`, dir, port, port, filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem"))
	for _, l := range unboundZone {
		b.WriteString("\t" + l + "\n")
	}
	b.WriteString("remote-control:\n\tcontrol-enable: no\n")
	return b.String()
}

// waitListening waits until addr accepts TCP connections, the process
// exits, or d passes.
func waitListening(addr string, exited <-chan error, d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("unbound exited: %v", err)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("unbound not listening on %s after %v", addr, d)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// selfSigned returns a certificate and key for 127.0.0.1, valid for an
// hour, and a pool that trusts it.
func selfSigned(t *testing.T) (certPEM, keyPEM []byte, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "sipdisco interop test"},
		NotBefore:             time.Now().Add(-time.Minute),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), pool
}

// syncBuffer is a bytes.Buffer safe for a process's output and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

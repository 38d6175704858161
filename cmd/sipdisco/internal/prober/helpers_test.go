package prober

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/probe"
)

// scripted is a small SIP server for what kamailio cannot give: it reads
// each request head on a connection, records every byte it receives, and
// answers with reply (which may also misbehave on the connection).
type scripted struct {
	ln   net.Listener
	mu   sync.Mutex
	recv [][]byte // everything received, one entry per connection
	wg   sync.WaitGroup
}

// replyFunc answers one request head on c; req is the head as received.
// It returns false to stop serving the connection.
type replyFunc func(c net.Conn, req []byte) bool

// serve starts a scripted server on a free loopback port, over TLS with
// cert when cert is not nil.
func serve(t testing.TB, cert *tls.Certificate, reply replyFunc) *scripted {
	t.Helper()
	var cfg *tls.Config
	if cert != nil {
		cfg = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	return serveTLS(t, cfg, reply)
}

// serveTLS is serve with a TLS configuration of its own (nil for TCP).
func serveTLS(t testing.TB, cfg *tls.Config, reply replyFunc) *scripted {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
	}
	s := &scripted{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			idx := len(s.recv)
			s.recv = append(s.recv, nil)
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				s.handle(c, idx, reply)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *scripted) handle(c net.Conn, idx int, reply replyFunc) {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	var buf []byte
	tmp := make([]byte, 4096)
	for {
		n, err := c.Read(tmp)
		s.mu.Lock()
		s.recv[idx] = append(s.recv[idx], tmp[:n]...)
		s.mu.Unlock()
		buf = append(buf, tmp[:n]...)
		for {
			i := bytes.Index(buf, []byte("\r\n\r\n"))
			if i < 0 {
				break
			}
			head := buf[:i+4]
			buf = buf[i+4:]
			if !reply(c, head) {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// port returns the server's port.
func (s *scripted) port() uint16 { return uint16(s.ln.Addr().(*net.TCPAddr).Port) }

// received returns what each connection received so far.
func (s *scripted) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, len(s.recv))
	for i, r := range s.recv {
		out[i] = append([]byte(nil), r...)
	}
	return out
}

// header returns the first value of header name in a request head.
func header(req []byte, name string) string {
	for _, l := range strings.Split(string(req), "\r\n") {
		n, v, ok := strings.Cut(l, ":")
		if ok && strings.EqualFold(strings.TrimSpace(n), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// respond builds a response to req: the status line, lead headers, the
// dialog headers copied from req (To with a tag), tail headers and a
// Content-Length, in the order of the [MS-SIPAE] §4 examples.
func respond(req []byte, status string, lead []string, tail ...string) []byte {
	var b strings.Builder
	b.WriteString("SIP/2.0 " + status + "\r\n")
	for _, h := range lead {
		b.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s;tag=5E7F1A2B3C4D5E6F\r\nCall-ID: %s\r\nCSeq: %s\r\nVia: %s\r\n",
		header(req, "From"), header(req, "To"), header(req, "Call-ID"), header(req, "CSeq"), header(req, "Via"))
	for _, h := range tail {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("Content-Length: 0\r\n\r\n")
	return []byte(b.String())
}

// answer returns a replyFunc that answers every request with status and
// headers, keeping the connection open.
func answer(status string, lead ...string) replyFunc {
	return func(c net.Conn, req []byte) bool {
		c.Write(respond(req, status, lead))
		return true
	}
}

// lyncChallenge is what Lync Server 2013 answers an unauthenticated
// REGISTER with (a public trace, "raw_lync_unauthorized" in an
// open-source SIP parser's tests; [MS-SIPAE] §3.3.5.1), for the pool
// fqdn.
func lyncChallenge(fqdn string) []string {
	return []string{
		`WWW-Authenticate: NTLM realm="SIP Communications Service", targetname="` + fqdn + `", version=4`,
		`WWW-Authenticate: Kerberos realm="SIP Communications Service", targetname="sip/` + fqdn + `", version=4`,
		`WWW-Authenticate: TLS-DSK realm="SIP Communications Service", targetname="` + fqdn + `", version=4, sts-uri="https://` + fqdn + `:443/CertProv/CertProvisioningService.svc"`,
		"Server: RTC/5.0",
	}
}

// candidate is a discovered candidate on loopback.
func candidate(host string, port uint16, tr engine.Transport) engine.Candidate {
	src := "_sipinternaltls._tcp.probe.test"
	if tr == engine.TCP {
		src = "_sipinternal._tcp.probe.test"
	}
	return engine.Candidate{Host: host, Port: port, Transport: tr, Source: src, Accepted: true, Addresses: []string{"127.0.0.1"}}
}

// loopbackResolver answers A questions for every name with 127.0.0.1.
var loopbackResolver = engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
	if q.Type != engine.TypeA {
		return engine.Answer{}, nil
	}
	return engine.Answer{Records: []engine.Record{{Name: q.Name, Type: engine.TypeA, Addr: netip.MustParseAddr("127.0.0.1")}}}, nil
})

// kinds returns the kinds of fs.
func kinds(fs []engine.Finding) []engine.Kind {
	var out []engine.Kind
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

// finding returns the first finding of kind in fs.
func finding(fs []engine.Finding, kind engine.Kind) (engine.Finding, bool) {
	for _, f := range fs {
		if f.Kind == kind {
			return f, true
		}
	}
	return engine.Finding{}, false
}

// run probes with short time limits, failing the test on an error.
func run(t testing.TB, o Options) probe.Result {
	t.Helper()
	if o.Address == "" {
		o.Address = "sip:bob@probe.test"
	}
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = 2 * time.Second
	}
	if o.HandshakeTimeout == 0 {
		o.HandshakeTimeout = 2 * time.Second
	}
	if o.ResponseTimeout == 0 {
		o.ResponseTimeout = 2 * time.Second
	}
	if o.SystemRoots == nil {
		o.SystemRoots = x509.NewCertPool() // an empty "system": the tests do not depend on the machine's roots
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := Probe(ctx, o)
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	return res
}

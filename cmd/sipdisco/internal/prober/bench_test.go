//go:build linux

package prober

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
	"github.com/sipdisco/sipdisco/probe"
)

// BenchmarkProbeVsHandshake measures what observing one candidate costs
// beyond the connection itself: a full probe (TCP, TLS handshake, chain
// checks and verification against the roots, the REGISTER and its 401,
// the findings) against a bare TCP connection and TLS handshake to the
// same server, in the same run. It reports both in milliseconds and
// their ratio. The server is kamailio when it is installed (the
// kamailio tests' configuration), else a scripted Go server.
func BenchmarkProbeVsHandshake(b *testing.B) {
	var port uint16
	var roots *x509.CertPool
	server := "kamailio"
	if _, err := exec.LookPath("kamailio"); err == nil {
		k := siptest.StartKamailio(b)
		port, roots = k.TLS, k.CA.Pool
	} else {
		server = "scripted"
		ca := siptest.NewCA(b)
		cert := ca.Valid(b, "sip.kam.test", "pool01.kam.test")
		port, roots = serve(b, &cert, answer("401 Unauthorized", lyncChallenge("pool01.kam.test")...)).port(), ca.Pool
	}
	system, _ := x509.SystemCertPool()
	if system == nil {
		system = x509.NewCertPool()
	}
	o := Options{Address: "bob@kam.test", CA: roots, SystemRoots: system,
		Candidates: []engine.Candidate{kamCandidate("sip.kam.test", port, engine.TLS)}}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port)))
	handshake := func() {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		tc := tls.Client(c, &tls.Config{ServerName: "sip.kam.test", InsecureSkipVerify: true, MinVersion: tls.VersionTLS10})
		if err := tc.Handshake(); err != nil {
			b.Fatal(err)
		}
		tc.Close()
	}
	ctx := context.Background()
	once := func() {
		res, err := Probe(ctx, o)
		if err != nil {
			b.Fatal(err)
		}
		if a := res.Attempts[0]; a.Outcome != probe.Answered {
			b.Fatalf("probe: %s %+v", a.Outcome, a.Failure)
		}
	}
	// Warm both paths (session caches are not used by either).
	handshake()
	once()
	var hs, pr time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		handshake()
		t1 := time.Now()
		once()
		t2 := time.Now()
		hs += t1.Sub(t0)
		pr += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(hs.Microseconds())/1000/n, "handshake-ms")
	b.ReportMetric(float64(pr.Microseconds())/1000/n, "probe-ms")
	b.ReportMetric(float64(pr)/float64(hs), "probe/handshake")
	b.Logf("server: %s", server)
}

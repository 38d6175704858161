//go:build linux

package prober

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
	"github.com/sipdisco/sipdisco/probe"
)

// The kamailio tests run the probe against a SIP server that is not
// ours: kamailio, started by package siptest (see siptest.StartKamailio
// for what it answers).

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
	k := siptest.StartKamailio(t)
	t.Run("TLS", func(t *testing.T) {
		res := kamRun(t, Options{Address: "bob@kam.test", CA: k.CA.Pool, CALabel: "--ca kam-root.pem",
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.TLS, engine.TLS)}})
		a := res.Attempts[0]
		if a.Outcome != probe.Answered {
			t.Fatalf("outcome %s %+v\nkamailio log:\n%s", a.Outcome, a.Failure, k.Log)
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
		if err := back.Validate(); err != nil {
			t.Errorf("Validate(kamailio's result from JSON) = %v", err)
		}
		if diff := cmp.Diff(back, res); diff != "" {
			t.Errorf("JSON round trip (-got +want):\n%s", diff)
		}
	})
	t.Run("TCP", func(t *testing.T) {
		res := kamRun(t, Options{Address: "sip:alice@kam.test", AllowTCP: true,
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.TCP, engine.TCP)}})
		a := res.Attempts[0]
		if a.Outcome != probe.Answered || a.TLS != nil {
			t.Fatalf("attempt %+v\nkamailio log:\n%s", a, k.Log)
		}
		checkDigest(t, a, "kam.test")
		// kamailio echoes our Via with what it saw (RFC 3261 §18.2.1).
		if via := a.Response.Get("Via"); len(via) != 1 || !strings.HasPrefix(via[0], "SIP/2.0/TCP 127.0.0.1:") {
			t.Errorf("Via = %q", via)
		}
	})
	t.Run("TLS to the TCP port", func(t *testing.T) {
		res := kamRun(t, Options{Address: "bob@kam.test", HandshakeTimeout: time.Second,
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.TCP, engine.TLS)}})
		a := res.Attempts[0]
		if a.Outcome != probe.Failed || a.Failure.Stage != probe.StageTLS {
			t.Fatalf("attempt = %s %+v; want a TLS failure", a.Outcome, a.Failure)
		}
		if _, ok := finding(a.Findings, engine.KindProbeTLSFailed); !ok {
			t.Errorf("findings = %v", kinds(a.Findings))
		}
	})
	t.Run("redirect", func(t *testing.T) {
		res := kamRun(t, Options{Address: "moved@kam.test", CA: k.CA.Pool, Resolver: loopbackResolver,
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.TLS, engine.TLS)}})
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
		res := kamRun(t, Options{Address: "ghost@kam.test", CA: k.CA.Pool,
			Candidates: []engine.Candidate{kamCandidate("sip.kam.test", k.TLS, engine.TLS)}})
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

package probe

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// selfSignedCA returns a CA certificate and a leaf it issued for names.
func selfSignedCA(t *testing.T, names ...string) (ca, leaf *x509.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root"},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(der)
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: now.AddDate(0, -1, 0), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err = x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ = x509.ParseCertificate(der)
	return ca, leaf
}

func kindsOf(fs []engine.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+" "+string(f.Kind))
	}
	return out
}

func TestNewTLS(t *testing.T) {
	ca, leaf := selfSignedCA(t, "pool01.contoso.com")
	trusted := x509.NewCertPool()
	trusted.AddCert(ca)
	empty := x509.NewCertPool()
	tests := []struct {
		name  string
		h     Handshake
		roots []Roots
		want  []string // severity and kind of every finding, in order
	}{
		{"TLS 1.0 with 3DES, trusted by the CA file", Handshake{Version: VersionTLS10, CipherSuite: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", InsecureCipher: true, Chain: []*x509.Certificate{leaf, ca}},
			[]Roots{{RootsSystem, empty}, {"--ca root.pem", trusted}},
			[]string{"info probe-tls", "warning probe-tls-old-version", "warning probe-tls-weak-cipher", "info name-covered", "info probe-certificate-no-sip-domain", "info probe-certificate-trusted"}},
		{"TLS 1.3, only the system's roots, which do not know the CA", Handshake{Version: VersionTLS13, CipherSuite: "TLS_AES_128_GCM_SHA256", Chain: []*x509.Certificate{leaf, ca}},
			[]Roots{{RootsSystem, empty}},
			[]string{"info probe-tls", "info name-covered", "info probe-certificate-no-sip-domain", "warning probe-certificate-untrusted"}},
		{"a CA file that does not know it either", Handshake{Version: VersionTLS12, CipherSuite: "x", Chain: []*x509.Certificate{leaf}},
			[]Roots{{RootsSystem, empty}, {"--ca other.pem", empty}},
			[]string{"info probe-tls", "info name-covered", "info probe-certificate-no-sip-domain", "error probe-certificate-untrusted"}},
		{"no certificate", Handshake{Version: VersionTLS12, CipherSuite: "x"}, nil,
			[]string{"info probe-tls", "error probe-certificate-missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, fs := NewTLS(tt.h, "pool01.contoso.com", 5061, "contoso.com", tt.roots, now)
			if got := kindsOf(fs); !slices.Equal(got, tt.want) {
				t.Errorf("NewTLS findings = %q; want %q", got, tt.want)
			}
			for _, f := range fs {
				if f.Subject != "pool01.contoso.com:5061" || f.Fix == "" {
					t.Errorf("finding %s: subject %q, fix %q", f.Kind, f.Subject, f.Fix)
				}
				// A fix that pushes TLS 1.2 says which clients need TLS 1.0,
				// after Microsoft's document (issue 24).
				pushes := strings.Contains(f.Fix, "Enable TLS 1.2")
				caveat := strings.Contains(f.Fix, "Office Communicator 2007/R2, Lync 2010 or Lync Phone Edition") && strings.Contains(f.Fix, "Disable TLS 1.0/1.1 in Skype for Business Server 2015")
				if pushes != caveat {
					t.Errorf("finding %s: fix %q; a fix pushing TLS 1.2 carries the old clients' caveat, and only such a fix", f.Kind, f.Fix)
				}
			}
			if len(tt.h.Chain) > 0 && (!info.Covered || info.SIPDomain != "sip.contoso.com" || info.SIPDomainCovered || len(info.Trust) != len(tt.roots)) {
				t.Errorf("info = %+v", info)
			}
		})
	}
	// A certificate for another name keeps certcheck's kind.
	_, wrong := selfSignedCA(t, "www.fabrikam.com")
	_, fs := NewTLS(Handshake{Version: VersionTLS12, Chain: []*x509.Certificate{wrong}}, "sip.contoso.com", 5061, "contoso.com", nil, now)
	if !slices.Contains(kindsOf(fs), "error name-not-covered") {
		t.Errorf("another name: findings = %q; want error name-not-covered", kindsOf(fs))
	}
}

func TestJudgeResponses(t *testing.T) {
	ms := func(proto, target string, version int) string {
		return proto + ` realm="SIP Communications Service", targetname="` + target + `", version=` + string(rune('0'+version))
	}
	tests := []struct {
		name   string
		client string
		head   string
		want   []string
		msg    string // in the last finding's message
	}{
		{"OCS 2007 R2 challenge", "communicator-2007-r2",
			"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: " + ms("NTLM", "pool01.contoso.com", 3) + "\r\nWWW-Authenticate: " + ms("Kerberos", "sip/pool01.contoso.com", 3) + "\r\nServer: RTC/3.5\r\nContent-Length: 0\r\n\r\n",
			[]string{"info probe-challenge"}, "(Server: RTC/3.5) challenges the REGISTER that carries no credentials with 401 Unauthorized and offers NTLM"},
		{"Digest only", "communicator-2007-r2",
			"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"contoso.com\", nonce=\"x\"\r\nContent-Length: 0\r\n\r\n",
			[]string{"info probe-challenge", "error probe-no-common-protocol"}, "it offers only Digest"},
		{"TLS-DSK only, to a client without it", "communicator-2007-r2",
			"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: TLS-DSK realm=\"SIP Communications Service\", targetname=\"p.contoso.com\", version=4, sts-uri=\"https://p.contoso.com/CertProv/CertProvisioningService.svc\"\r\nContent-Length: 0\r\n\r\n",
			[]string{"info probe-challenge", "error probe-no-common-protocol"}, "Office Communicator 2007 R2 cannot use TLS-DSK"},
		{"TLS-DSK only, to Lync 2013", "lync-2013",
			"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: TLS-DSK realm=\"SIP Communications Service\", targetname=\"p.contoso.com\", version=4, sts-uri=\"https://p.contoso.com/CertProv/CertProvisioningService.svc\"\r\nContent-Length: 0\r\n\r\n",
			[]string{"info probe-challenge"}, "offers TLS-DSK"},
		{"targetnames swapped, another realm, no sts-uri", "lync-2013",
			"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"sip/p.contoso.com\", version=4\r\nWWW-Authenticate: Kerberos realm=\"Contoso\", targetname=\"p.contoso.com\", version=4\r\nWWW-Authenticate: TLS-DSK realm=\"SIP Communications Service\", targetname=\"p.contoso.com\", version=5\r\nContent-Length: 0\r\n\r\n",
			[]string{"warning probe-challenge-problem", "warning probe-challenge-problem", "warning probe-challenge-problem", "warning probe-challenge-problem", "warning probe-challenge-problem", "info probe-challenge"}, "offers NTLM"},
		{"no challenge in a 401", "", "SIP/2.0 401 Unauthorized\r\nContent-Length: 0\r\n\r\n",
			[]string{"error probe-challenge-problem"}, "names no authentication protocol"},
		{"a proxy's 407", "", "SIP/2.0 407 Proxy Authentication Required\r\nProxy-Authenticate: " + ms("NTLM", "p.contoso.com", 3) + "\r\nContent-Length: 0\r\n\r\n",
			[]string{"info probe-challenge"}, "SHOULD answer a REGISTER with 401"},
		{"registered without credentials", "", "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
			[]string{"warning probe-no-challenge"}, "without authenticating anyone"},
		{"404 with diagnostics, no Content-Length", "", "SIP/2.0 404 Not Found\r\nms-diagnostics: 4006;reason=\"User not found in pool\";source=\"p.contoso.com\"\r\n\r\n",
			[]string{"warning probe-no-content-length", "warning probe-diagnostic", "error probe-refused"}, "see its diagnostics"},
		{"a diagnostic code sipdisco does not carry", "", "SIP/2.0 480 Temporarily Unavailable\r\nms-diagnostics: 23999;reason=\"new\"\r\nContent-Length: 0\r\n\r\n",
			[]string{"warning probe-diagnostic", "error probe-refused"}, "480 Temporarily Unavailable"},
		{"a redirect to nowhere", "", "SIP/2.0 301 Moved\r\nContent-Length: 0\r\n\r\n",
			[]string{"error probe-redirect"}, "names no server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseResponse([]byte(tt.head))
			if err != nil {
				t.Fatal(err)
			}
			a := Attempt{Host: "p.contoso.com", Port: 5061, Transport: engine.TLS, Response: &r, Outcome: Answered}
			JudgeAttempt(&a, tt.client)
			if got := kindsOf(a.Findings); !slices.Equal(got, tt.want) {
				t.Fatalf("findings = %q; want %q", got, tt.want)
			}
			if last := a.Findings[len(a.Findings)-1]; !strings.Contains(last.Message, tt.msg) {
				t.Errorf("last finding = %q; want it to contain %q", last.Message, tt.msg)
			}
		})
	}
	// A diagnostic code sipdisco does not carry says so.
	d := ParseDiagnostic("ms-diagnostics", `23999;reason="new"`)
	if msg := diagMessage(d); !strings.Contains(msg, "sipdisco has no published meaning for 23999") {
		t.Errorf("diagMessage = %q", msg)
	}
}

func TestJudgeResult(t *testing.T) {
	failed := Attempt{Host: "a.contoso.com", Port: 5061, Transport: engine.TLS, Outcome: Failed,
		Failure: &Failure{Stage: StageConnect, Kind: FailRefused, Message: "connection refused"}}
	ok := Attempt{Host: "b.contoso.com", Port: 5061, Transport: engine.TLS, Outcome: Answered, Response: &Response{Status: 401}}
	skip := Attempt{Host: "c.contoso.com", Port: 5060, Transport: engine.TCP, Outcome: Skipped,
		Failure: &Failure{Stage: StageConnect, Kind: FailNotAllowed, Message: "TCP is not allowed"}}
	tests := []struct {
		name     string
		attempts []Attempt
		want     []string
	}{
		{"nothing tried", []Attempt{skip}, []string{"error probe-no-server-answered"}},
		{"nothing answered", []Attempt{failed, skip}, []string{"error probe-no-server-answered"}},
		{"the second answered", []Attempt{failed, ok}, []string{"warning probe-first-candidate-failed"}},
		{"the first answered", []Attempt{ok}, nil},
	}
	for _, tt := range tests {
		r := Result{Address: "sip:bob@contoso.com", Attempts: tt.attempts}
		Judge(&r)
		if got := kindsOf(r.Findings); !slices.Equal(got, tt.want) {
			t.Errorf("%s: findings = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	sim := func(in signin.Input) *engine.Exchange {
		in.Address, _ = engine.ParseURI("sip:bob@contoso.com")
		in.Account = `CONTOSO\bob`
		ex, err := signin.Simulate(in, &signin.Counter{})
		if err != nil {
			t.Fatal(err)
		}
		return &ex
	}
	answered := func(head string, tls *TLSInfo) Result {
		r, err := ParseResponse([]byte(head))
		if err != nil {
			t.Fatal(err)
		}
		return Result{Attempts: []Attempt{{Host: "sip.contoso.com", Port: 5061, Transport: engine.TLS, Outcome: Answered, Response: &r, TLS: tls}}}
	}
	ocs := "SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"sip.contoso.com\", version=3\r\nWWW-Authenticate: Kerberos realm=\"SIP Communications Service\", targetname=\"sip/sip.contoso.com\", version=3\r\nContent-Length: 0\r\n\r\n"
	ntlmOnly := "SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"pool01.contoso.com\", version=3\r\nContent-Length: 0\r\n\r\n"
	tls := func(names ...string) *TLSInfo {
		return &TLSInfo{Covered: slices.Contains(names, "sip.contoso.com"), InValidity: true, Chain: []certcheck.Summary{{DNSNames: names}}}
	}
	server := signin.Server{FQDN: "sip.contoso.com"}
	// The ocs answers are OCS 2007's (version 3): simulated with its client.
	ocs07 := func(in signin.Input) signin.Input { in.Client = "communicator-2007"; return in }
	tests := []struct {
		name string
		res  Result
		ex   *engine.Exchange
		want []string
		msg  string
	}{
		{"the same", answered(ocs, tls("sip.contoso.com")), sim(ocs07(signin.Input{Server: server, CertificateNames: []string{"sip.contoso.com"}})), nil, ""},
		{"fewer protocols, another name", answered(ntlmOnly, tls("sip.contoso.com")), sim(ocs07(signin.Input{Server: server, CertificateNames: []string{"sip.contoso.com"}})),
			[]string{"warning probe-differs-offers", "info probe-differs-targetname"}, "pool01.contoso.com"},
		{"version 3 against a Lync 2010 simulation", answered(ocs, tls("sip.contoso.com")), sim(signin.Input{Client: "lync-2010", Server: signin.Server{FQDN: "sip.contoso.com", Offers: []string{"ntlm", "kerberos"}}, CertificateNames: []string{"sip.contoso.com"}}),
			[]string{"info probe-differs-version"}, "Office Communications Server 2007"},
		{"certificate assumed", answered(ocs, tls("pool01.contoso.com")), sim(ocs07(signin.Input{Server: server})),
			[]string{"info probe-differs-certificate"}, "it does not name sip.contoso.com"},
		{"certificate names differ and the real one fails", answered(ocs, tls("pool01.contoso.com")), sim(ocs07(signin.Input{Server: server, CertificateNames: []string{"sip.contoso.com"}})),
			[]string{"warning probe-differs-certificate", "error probe-differs-certificate"}, "the real client refuses the connection"},
		{"a redirect the simulation sees only after authentication", answered(ocs, tls("sip.contoso.com")), sim(ocs07(signin.Input{Server: server, HomePool: "pool01.contoso.com", CertificateNames: []string{"sip.contoso.com"}})),
			[]string{"info probe-differs-redirect"}, "cannot be observed here"},
		{"another target", Result{Attempts: []Attempt{{Host: "sip.contoso.com", Port: 443, Transport: engine.TLS, Outcome: Answered, Response: &Response{Status: 503}}}}, sim(signin.Input{Server: server}),
			[]string{"warning probe-differs-target"}, "sip.contoso.com:5061 over TLS"},
		{"no simulation", answered(ocs, nil), nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Compare(tt.res, tt.ex)
			if got := kindsOf(fs); !slices.Equal(got, tt.want) {
				t.Fatalf("Compare = %q; want %q", got, tt.want)
			}
			if tt.msg != "" && !strings.Contains(fs[len(fs)-1].Message, tt.msg) {
				t.Errorf("last finding = %q; want %q in it", fs[len(fs)-1].Message, tt.msg)
			}
		})
	}
}

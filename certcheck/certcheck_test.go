package certcheck_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/certcheck"
)

var (
	t0  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
)

// authority is a test CA with an ECDSA P-256 key.
type authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newCA(t *testing.T, name string) authority {
	t.Helper()
	k := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name, Organization: []string{"Contoso"}},
		NotBefore: t0, NotAfter: t0.AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return authority{c, k}
}

// issue returns a leaf certificate signed by ca (or self-signed when ca
// is nil) after edit has adjusted the template.
func issue(t *testing.T, ca *authority, edit func(*x509.Certificate)) *x509.Certificate {
	t.Helper()
	k := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "pool01.contoso.com"},
		DNSNames:  []string{"pool01.contoso.com", "sip.contoso.com"},
		NotBefore: t0, NotAfter: t0.AddDate(2, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	if edit != nil {
		edit(tmpl)
	}
	parent, signer := tmpl, k
	if ca != nil {
		parent, signer = ca.cert, ca.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &k.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pemOf(cs ...*x509.Certificate) string {
	var b strings.Builder
	for _, c := range cs {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.String()
}

func TestMatchName(t *testing.T) {
	tests := []struct {
		pattern, host string
		want          bool
		reason        string // substring of the reason, "" for none
	}{
		{"sip.contoso.com", "sip.contoso.com", true, ""},
		{"SIP.Contoso.COM.", "sip.contoso.com", true, ""},
		{"sip.contoso.com", "sip.contoso.com.evil.com", false, ""},
		{"*.contoso.com", "sip.contoso.com", true, ""},
		{"*.contoso.com", "contoso.com", false, ""},
		{"*.contoso.com", "a.sip.contoso.com", false, "covers one label only"},
		{"*.com", "contoso.com", false, "whole top-level domain"},
		{"*.co.uk", "contoso.co.uk", true, ""}, // no public suffix list: see MatchName
		{"s*.contoso.com", "sip.contoso.com", false, "other than a whole left-most label"},
		{"sip.*.com", "sip.contoso.com", false, "other than a whole left-most label"},
		{"*.*.contoso.com", "a.b.contoso.com", false, "other than a whole left-most label"},
		{"*", "contoso", false, "other than a whole left-most label"},
		{"*.contoso.com", "sip.fabrikam.com", false, ""},
		{"", "sip.contoso.com", false, ""},
	}
	for _, tt := range tests {
		got, reason := certcheck.MatchName(tt.pattern, tt.host)
		if got != tt.want || (tt.reason == "") != (reason == "") || !strings.Contains(reason, tt.reason) {
			t.Errorf("MatchName(%q, %q) = %v, %q; want %v, %q", tt.pattern, tt.host, got, reason, tt.want, tt.reason)
		}
	}
}

func TestCheck(t *testing.T) {
	ca := newCA(t, "Contoso Issuing CA")
	other := newCA(t, "Fabrikam CA")
	type want struct {
		Covered, InValidity, ServerAuth, OK bool
		By                                  string
		Kinds                               []string
	}
	tests := []struct {
		name  string
		chain func() []*x509.Certificate
		host  string
		want  want
	}{
		{"SAN covers", func() []*x509.Certificate { return []*x509.Certificate{issue(t, &ca, nil), ca.cert} }, "sip.contoso.com",
			want{true, true, true, true, "DNS:sip.contoso.com", []string{"name-covered", "issuer"}}},
		{"SAN misses; the CN would match but is not read", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.Subject.CommonName = "sip.fabrikam.com" })}
		}, "sip.fabrikam.com",
			want{false, true, true, false, "", []string{"name-not-covered", "issuer"}}},
		{"no SAN: the CN is read, with a warning", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.DNSNames = nil })}
		}, "pool01.contoso.com",
			want{true, true, true, true, "CN=pool01.contoso.com", []string{"cn-fallback", "issuer"}}},
		{"wildcard", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.DNSNames = []string{"*.contoso.com"} })}
		}, "sip.contoso.com",
			want{true, true, true, true, "DNS:*.contoso.com", []string{"wildcard", "issuer"}}},
		{"expired", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.NotAfter = t0.AddDate(0, 3, 0) })}
		}, "sip.contoso.com",
			want{true, false, true, false, "DNS:sip.contoso.com", []string{"name-covered", "expired", "issuer"}}},
		{"not yet valid", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.NotBefore = now.Add(time.Hour) })}
		}, "sip.contoso.com",
			want{true, false, true, false, "DNS:sip.contoso.com", []string{"name-covered", "not-yet-valid", "issuer"}}},
		{"expires soon", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.NotAfter = now.AddDate(0, 0, 10) })}
		}, "sip.contoso.com",
			want{true, true, true, true, "DNS:sip.contoso.com", []string{"name-covered", "expires-soon", "issuer"}}},
		{"client authentication only", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} })}
		}, "sip.contoso.com",
			want{true, true, false, false, "DNS:sip.contoso.com", []string{"name-covered", "not-server-auth", "issuer"}}},
		{"key usage without digitalSignature", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageDataEncipherment })}
		}, "sip.contoso.com",
			want{true, true, false, false, "DNS:sip.contoso.com", []string{"name-covered", "not-server-auth", "issuer"}}},
		{"no usage extensions at all: unrestricted", func() []*x509.Certificate {
			return []*x509.Certificate{issue(t, &ca, func(c *x509.Certificate) { c.KeyUsage, c.ExtKeyUsage = 0, nil })}
		}, "sip.contoso.com",
			want{true, true, true, true, "DNS:sip.contoso.com", []string{"name-covered", "issuer"}}},
		{"chain signed by another CA", func() []*x509.Certificate { return []*x509.Certificate{issue(t, &ca, nil), other.cert} }, "sip.contoso.com",
			want{true, true, true, false, "DNS:sip.contoso.com", []string{"name-covered", "chain-broken", "issuer"}}},
		{"self-signed", func() []*x509.Certificate { return []*x509.Certificate{issue(t, nil, nil)} }, "sip.contoso.com",
			want{true, true, true, true, "DNS:sip.contoso.com", []string{"name-covered", "self-signed"}}},
		{"CA first", func() []*x509.Certificate { return []*x509.Certificate{ca.cert} }, "sip.contoso.com",
			want{false, true, false, false, "", []string{"name-not-covered", "not-server-auth", "ca-certificate", "self-signed"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Through PEM, as a user pastes it.
			chain, err := certcheck.Parse([]byte(pemOf(tt.chain()...)))
			if err != nil {
				t.Fatal(err)
			}
			r, err := certcheck.Check(chain, tt.host, now)
			if err != nil {
				t.Fatal(err)
			}
			got := want{r.Covered, r.InValidity, r.ServerAuth, r.OK, r.By, nil}
			for _, f := range r.Findings {
				got.Kinds = append(got.Kinds, string(f.Kind))
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("Check (-got +want):\n%s\nfindings: %+v", diff, r.Findings)
			}
		})
	}
}

func TestCheckSummary(t *testing.T) {
	ca := newCA(t, "Contoso Issuing CA")
	leaf := issue(t, &ca, nil)
	r, err := certcheck.Check([]*x509.Certificate{leaf, ca.cert}, "SIP.contoso.com.", now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Host != "sip.contoso.com" || r.Issuer != "CN=Contoso Issuing CA,O=Contoso" {
		t.Errorf("Check host, issuer = %q, %q", r.Host, r.Issuer)
	}
	want := certcheck.Summary{
		Subject: "CN=pool01.contoso.com", CommonName: "pool01.contoso.com", Issuer: "CN=Contoso Issuing CA,O=Contoso", SerialNumber: "2A",
		DNSNames: []string{"pool01.contoso.com", "sip.contoso.com"}, NotBefore: t0, NotAfter: t0.AddDate(2, 0, 0),
		KeyUsage: []string{"digitalSignature"}, ExtKeyUsage: []string{"serverAuth", "clientAuth"}, PublicKey: "ECDSA P-256",
	}
	if diff := cmp.Diff(r.Chain[0], want); diff != "" {
		t.Errorf("Summary (-got +want):\n%s", diff)
	}
	if !r.Chain[1].SelfSigned || !r.Chain[1].IsCA {
		t.Errorf("CA summary = %+v; want self-signed CA", r.Chain[1])
	}
	if _, err := certcheck.Check([]*x509.Certificate{leaf}, "bad host", now); err == nil {
		t.Error("Check with host \"bad host\" = nil error")
	}
	if _, err := certcheck.Check(nil, "sip.contoso.com", now); err == nil {
		t.Error("Check with no certificate = nil error")
	}
}

func TestParse(t *testing.T) {
	ca := newCA(t, "Contoso Issuing CA")
	leaf := issue(t, &ca, nil)
	good := pemOf(leaf, ca.cert)
	keyPEM := "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n"
	tests := []struct {
		name  string
		text  string
		certs int
		err   string
		line  int
	}{
		{"chain", good, 2, "", 0},
		{"openssl s_client output", "CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN = pool01.contoso.com\n" + good + "---\nServer certificate\n", 2, "", 0},
		{"empty", "  \n", 0, "no certificate given", 0},
		{"plain text", "hello, this is not a certificate", 0, "no PEM certificate found", 0},
		{"DER", string(leaf.Raw), 0, "binary (DER)", 0},
		{"private key", good + keyPEM, 0, "EC PRIVATE KEY, not a certificate. Never paste", 1 + strings.Count(good, "\n")},
		{"CSR", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", 0, "certificate request (CSR)", 1},
		{"other block", "x\n-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n", 0, `"PKCS7" block`, 2},
		{"broken base64", "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n", 0, "PEM block starting here is broken", 1},
		{"broken, then good", "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n" + good, 0, "PEM block starting here is broken", 1},
		{"missing END", strings.SplitAfter(good, "-----END CERTIFICATE-----")[0][:200], 0, "PEM block starting here is broken", 1},
		{"not a certificate inside", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 0, "certificate 1 cannot be read", 1},
		{"too big", strings.Repeat("x", certcheck.MaxPEMBytes+1), 0, "the limit is 65536", 0},
		{"too many", strings.Repeat(pemOf(leaf), certcheck.MaxCertificates+1), 0, "more than 8 certificates", 1 + certcheck.MaxCertificates*strings.Count(pemOf(leaf), "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			certs, err := certcheck.Parse([]byte(tt.text))
			if tt.err == "" {
				if err != nil || len(certs) != tt.certs {
					t.Fatalf("Parse = %d certificates, %v; want %d", len(certs), err, tt.certs)
				}
				if !slices.EqualFunc(certs, []*x509.Certificate{leaf, ca.cert}[:tt.certs], func(a, b *x509.Certificate) bool { return a.Equal(b) }) {
					t.Error("Parse did not return the chain in order")
				}
				return
			}
			var pe *certcheck.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %v; want a *ParseError containing %q", err, tt.err)
			}
			if !strings.Contains(pe.Msg, tt.err) || pe.Line != tt.line {
				t.Errorf("Parse error = line %d %q; want line %d containing %q", pe.Line, pe.Msg, tt.line, tt.err)
			}
		})
	}
}

// FuzzParse: any text gives certificates or a *ParseError, never a panic.
func FuzzParse(f *testing.F) {
	f.Add("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
	f.Add("-----BEGIN RSA PRIVATE KEY-----")
	f.Add("x-----BEGIN -----BEGIN CERTIFICATE-----")
	f.Fuzz(func(t *testing.T, s string) {
		certs, err := certcheck.Parse([]byte(s))
		var pe *certcheck.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("Parse error %T %v; want *ParseError", err, err)
		}
		if err == nil && len(certs) == 0 {
			t.Fatal("Parse = no certificates and no error")
		}
	})
}

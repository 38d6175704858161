package certview

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/templates"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCertCheck(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "<b>sip.contoso.com"},
		DNSNames: []string{"sip.contoso.com"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(90 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		host    string
		covered bool
		want    string
	}{
		{"sip.contoso.com", true, "DNS:sip.contoso.com"},
		{"pool01.contoso.com", false, "does not cover pool01.contoso.com"},
	} {
		r, err := certcheck.Check([]*x509.Certificate{c}, tt.host, now)
		if err != nil {
			t.Fatal(err)
		}
		v := New(r)
		html := render(t, templates.CertCheck(v))
		if v.Covered != tt.covered || !strings.Contains(html, tt.want) {
			t.Errorf("%s: covered %v; want %v and %q in\n%s", tt.host, v.Covered, tt.covered, tt.want, html)
		}
		if strings.Contains(html, "<b>") {
			t.Errorf("%s: the subject is not escaped", tt.host)
		}
		if !strings.Contains(html, "digitalSignature") || !strings.Contains(html, "serverAuth") {
			t.Errorf("%s: key usage not shown", tt.host)
		}
	}
}

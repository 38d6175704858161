package certcheck_test

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/certcheck"
)

// intermediate returns a CA certificate signed by parent, with its key.
func intermediate(t *testing.T, parent authority, name string) authority {
	t.Helper()
	k := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: name},
		NotBefore: t0, NotAfter: t0.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent.cert, &k.PublicKey, parent.key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return authority{c, k}
}

func TestVerify(t *testing.T) {
	root := newCA(t, "Contoso Root CA")
	issuing := intermediate(t, root, "Contoso Issuing CA")
	other := newCA(t, "Fabrikam Root CA")
	pool := func(as ...authority) *x509.CertPool {
		p := x509.NewCertPool()
		for _, a := range as {
			p.AddCert(a.cert)
		}
		return p
	}
	leaf := issue(t, &issuing, nil)
	tests := []struct {
		name    string
		chain   []*x509.Certificate
		roots   *x509.CertPool
		trusted bool
		problem string
		path    string
	}{
		{"through the intermediate the server sends", []*x509.Certificate{leaf, issuing.cert}, pool(root), true, "",
			"CN=pool01.contoso.com > CN=Contoso Issuing CA > CN=Contoso Root CA,O=Contoso"},
		{"intermediate missing", []*x509.Certificate{leaf}, pool(root), false, certcheck.TrustUnknownAuthority, ""},
		{"another root", []*x509.Certificate{leaf, issuing.cert}, pool(other), false, certcheck.TrustUnknownAuthority, ""},
		{"expired", []*x509.Certificate{issue(t, &issuing, func(c *x509.Certificate) { c.NotAfter = now.AddDate(0, 0, -1) }), issuing.cert}, pool(root), false, certcheck.TrustExpired, ""},
		{"client authentication only", []*x509.Certificate{issue(t, &issuing, func(c *x509.Certificate) {
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		}), issuing.cert}, pool(root), false, certcheck.TrustUsage, ""},
		{"no roots", []*x509.Certificate{leaf}, nil, false, certcheck.TrustInvalid, ""},
		{"no certificate", nil, pool(root), false, certcheck.TrustInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := certcheck.Verify(tt.chain, tt.roots, "test", now)
			if got.Trusted != tt.trusted || got.Problem != tt.problem || strings.Join(got.Path, " > ") != tt.path || got.Roots != "test" {
				t.Errorf("Verify = %+v; want trusted %v, problem %q, path %q", got, tt.trusted, tt.problem, tt.path)
			}
			if s := got.String(); !strings.Contains(s, "the test roots") {
				t.Errorf("String() = %q; want it to name the roots", s)
			}
		})
	}
}

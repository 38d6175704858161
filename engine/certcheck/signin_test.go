package certcheck_test

import (
	"crypto/x509"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/certcheck"
	"github.com/sipdisco/sipdisco/engine/register"
)

func TestSignIn(t *testing.T) {
	notAfter := t0.AddDate(2, 0, 0) // issue's validity
	cnOnly := issue(t, nil, func(c *x509.Certificate) { c.DNSNames = nil })
	tests := []struct {
		name  string
		chain []*x509.Certificate
		want  register.Settings
	}{
		{"no chain", nil, register.Settings{CertificateNames: []string{"typed.contoso.com"}}},
		{"SANs", []*x509.Certificate{issue(t, nil, nil)}, register.Settings{
			CertificateNames: []string{"pool01.contoso.com", "sip.contoso.com"}, CertificateNotAfter: notAfter, Now: now}},
		{"CN only", []*x509.Certificate{cnOnly}, register.Settings{
			CertificateNames: []string{"pool01.contoso.com"}, CertificateNotAfter: notAfter, Now: now}},
	}
	for _, tt := range tests {
		s := register.Settings{CertificateNames: []string{"typed.contoso.com"}}
		certcheck.SignIn(&s, tt.chain, now)
		if diff := cmp.Diff(s, tt.want); diff != "" {
			t.Errorf("%s: certcheck.SignIn (-got +want):\n%s", tt.name, diff)
		}
	}
}

func TestAddFindings(t *testing.T) {
	chain := []*x509.Certificate{issue(t, nil, nil)}
	rep := &engine.Report{Target: &engine.Target{Host: "sip.fabrikam.com"}}
	if err := certcheck.AddFindings(rep, chain, now); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || f.Kind == "name-not-covered"
	}
	if !found {
		t.Errorf("AddFindings for sip.fabrikam.com = %+v; want name-not-covered", rep.Findings)
	}
	none := &engine.Report{}
	if err := certcheck.AddFindings(none, chain, now); err != nil || len(none.Findings) != 0 {
		t.Errorf("AddFindings without a target = %v, %d findings; want nothing", err, len(none.Findings))
	}
}

package register_test

import (
	"testing"

	"github.com/sipdisco/sipdisco/engine/certcheck"
	"github.com/sipdisco/sipdisco/engine/register"
)

// TestMatchNameAgreesWithCertcheck holds register's copy of the name rule
// to certcheck.MatchName, the one the certificate page applies: the same
// verdict and the same reason for every pair.
func TestMatchNameAgreesWithCertcheck(t *testing.T) {
	patterns := []string{
		"sip.contoso.com", "SIP.Contoso.com.", "contoso.com", "*.contoso.com", "*.CONTOSO.com.",
		"*.com", "*", "s*.contoso.com", "*.*.contoso.com", "sip.*.com", "*.emea.contoso.com", "", ".",
	}
	hosts := []string{
		"sip.contoso.com", "contoso.com", "pool01.contoso.com", "sip.emea.contoso.com", "emea.contoso.com",
		"com", "sip.fabrikam.com", "sip.contoso.com.", "", ".contoso.com",
	}
	for _, p := range patterns {
		for _, h := range hosts {
			gotOK, gotWhy := register.MatchName(p, h)
			wantOK, wantWhy := certcheck.MatchName(p, h)
			if gotOK != wantOK || gotWhy != wantWhy {
				t.Errorf("matchName(%q, %q) = %v, %q; certcheck.MatchName = %v, %q", p, h, gotOK, gotWhy, wantOK, wantWhy)
			}
		}
	}
}

// FuzzMatchName looks for any pair on which the two disagree.
func FuzzMatchName(f *testing.F) {
	f.Add("*.contoso.com", "sip.contoso.com")
	f.Add("*.com", "contoso.com")
	f.Fuzz(func(t *testing.T, p, h string) {
		gotOK, gotWhy := register.MatchName(p, h)
		wantOK, wantWhy := certcheck.MatchName(p, h)
		if gotOK != wantOK || gotWhy != wantWhy {
			t.Errorf("matchName(%q, %q) = %v, %q; certcheck.MatchName = %v, %q", p, h, gotOK, gotWhy, wantOK, wantWhy)
		}
	})
}

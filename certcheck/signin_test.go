package certcheck_test

import (
	"crypto/x509"
	"testing"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/engine"
)

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

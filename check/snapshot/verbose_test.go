package snapshot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
)

// TestVerboseServerSnapshot: a legal but verbose server — a certificate
// with 10,000 names, a chain of 50, a 401 with 120 challenges — is
// recorded within the prober's limits, and its snapshot link is still
// made and opens: the link keeps the first of each, and the observation
// says what the link left out (issue 26, class 3).
func TestVerboseServerSnapshot(t *testing.T) {
	r := sample()
	r.Probe = sampleProbe()
	a := &r.Probe.Attempts[0]
	var names []string
	for i := range 10000 {
		names = append(names, fmt.Sprintf("host%05d.contoso.com", i))
	}
	cert := engine.CertSummary{Subject: "CN=sip.contoso.com", Issuer: "CN=Contoso CA", SerialNumber: "01", DNSNames: names}
	a.TLS = &engine.ProbeTLS{ServerName: "sip.contoso.com", Version: "TLS 1.2", CipherSuite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}
	for range 50 {
		a.TLS.Chain = append(a.TLS.Chain, cert)
	}
	ch := a.Response.Challenges[0]
	for len(a.Response.Challenges) < 120 {
		a.Response.Challenges = append(a.Response.Challenges, ch)
	}
	frag, err := Encode(context.Background(), check.Snapshot{Report: r})
	if err != nil {
		t.Fatalf("the snapshot of a verbose server: %v", err)
	}
	got, err := Decode(context.Background(), frag)
	if err != nil {
		t.Fatalf("its link does not open: %v", err)
	}
	ga := got.Report.Probe.Attempts[0]
	if len(ga.TLS.Chain) == 0 || len(ga.TLS.Chain) >= 50 || len(ga.TLS.Chain[0].DNSNames) == 0 || len(ga.TLS.Chain[0].DNSNames) >= 10000 || len(ga.Response.Challenges) >= 120 {
		t.Errorf("the link keeps %d certificates, %d names, %d challenges; want the first of each", len(ga.TLS.Chain), len(ga.TLS.Chain[0].DNSNames), len(ga.Response.Challenges))
	}
	said := ""
	for _, f := range got.Report.Probe.Findings {
		if f.Kind == engine.KindProbeShortened {
			said = f.Message
		}
	}
	for _, want := range []string{"10,000 names", "50 certificates", "120 challenges"} {
		if !strings.Contains(said, want) {
			t.Errorf("the link's note %q does not say it left out part of the %s", said, want)
		}
	}
	if len(r.Probe.Attempts[0].TLS.Chain) != 50 {
		t.Errorf("making the link changed the report itself")
	}
}

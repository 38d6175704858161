package check

import (
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
)

func diffReport() *engine.Report {
	return &engine.Report{
		URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile,
		Policy: engine.DefaultPolicy(), Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "pool01.contoso.com", Port: 5061, Transport: engine.TLS,
			Addresses: []string{"192.0.2.10"}, Source: "_sipinternaltls._tcp.contoso.com"},
		Candidates: []engine.Candidate{
			{Host: "pool01.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.contoso.com", Accepted: true},
			{Host: "sip.other.net", Port: 443, Transport: engine.TLS, Source: "_sip._tls.contoso.com"},
		},
		Steps: []engine.Step{
			{Question: "_sipinternaltls._tcp.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 5061 pool01.contoso.com."}, Round: 1},
			{Question: "_sip._tls.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 443 sip.other.net."}, Round: 1},
			{Question: "pool01.contoso.com", Type: engine.TypeA, RCode: engine.RCodeSuccess, Answers: []string{"192.0.2.10"}, Round: 2},
		},
	}
}

func TestDiffReports(t *testing.T) {
	a := diffReport()
	b := diffReport()
	b.Target = &engine.Target{Host: "sip.contoso.com", Port: 443, Transport: engine.TLS, Source: "_sip._tls.contoso.com"}
	b.Steps[0].RCode, b.Steps[0].Answers = engine.RCodeNameError, nil
	differs := map[string]bool{}
	for _, d := range DiffReports(a, b) {
		differs[d.Aspect] = d.Differs
	}
	for aspect, want := range map[string]bool{
		"Outcome": false, "Server": true, "Found through": true,
		"_sipinternaltls._tcp.contoso.com SRV": true, "_sip._tls.contoso.com SRV": false,
	} {
		if got, ok := differs[aspect]; !ok || got != want {
			t.Errorf("DiffReports: %q differs = %v (listed %v); want %v", aspect, got, ok, want)
		}
	}
	if got := DiffReports(a, a); len(got) == 0 || func() bool {
		for _, d := range got {
			if d.Differs {
				return true
			}
		}
		return false
	}() {
		t.Errorf("DiffReports(a, a) = %v; want rows, none differing", got)
	}
}

// TestDiffReportsProbe: the wildcard probes of two checks have different
// random names but are one question; only what they found can differ.
func TestDiffReportsProbe(t *testing.T) {
	probe := func(label, addr string) engine.Step {
		s := engine.Step{Question: label + ".contoso.com", Type: engine.TypeA, RCode: engine.RCodeNameError, Round: 1, Purpose: engine.PurposeWildcardProbe}
		if addr != "" {
			s.RCode, s.Answers = engine.RCodeSuccess, []string{label + ".contoso.com. A " + addr}
		}
		return s
	}
	for _, tt := range []struct {
		b       engine.Step
		differs bool
	}{
		{probe("sipdisco-probe-bbbbbbbbbb", ""), false},
		{probe("sipdisco-probe-bbbbbbbbbb", "203.0.113.99"), true},
	} {
		a, b := diffReport(), diffReport()
		a.Steps = append(a.Steps, probe("sipdisco-probe-aaaaaaaaaa", ""))
		b.Steps = append(b.Steps, tt.b)
		var rows []DiffRow
		for _, d := range DiffReports(a, b) {
			if strings.Contains(d.Aspect, "probe") {
				rows = append(rows, d)
			}
		}
		if len(rows) != 1 || rows[0].Differs != tt.differs || strings.Contains(rows[0].B, "bbbb") {
			t.Errorf("probe rows %+v; want one, differing %v, without the random name", rows, tt.differs)
		}
	}
}

// TestDiffReportsOneFailure: a view whose resolver failed every question
// alike (offline, CORS, a server refusing the domain) is one row, not one
// "difference" per question.
func TestDiffReportsOneFailure(t *testing.T) {
	a := diffReport()
	b := diffReport()
	for i := range b.Steps {
		b.Steps[i].RCode, b.Steps[i].Answers, b.Steps[i].Error = 0, nil, "no response from dns.google (TypeError: Failed to fetch)"
	}
	b.Outcome, b.Target = engine.OutcomeIndeterminate, nil
	rows := DiffReports(a, b)
	var dns []DiffRow
	for _, d := range rows {
		if strings.Contains(d.Aspect, "._tcp.") || strings.Contains(d.Aspect, "._tls.") || d.Aspect == "DNS questions" {
			dns = append(dns, d)
		}
	}
	if len(dns) != 1 || dns[0].Aspect != "DNS questions" || !strings.Contains(dns[0].B, "Failed to fetch") || !strings.HasPrefix(dns[0].B, "all ") {
		t.Errorf("DiffReports with B failing every question: DNS rows %+v; want one, saying so", dns)
	}
	// One question failing differently is still its own row.
	c := diffReport()
	c.Steps[0].Error = "timeout"
	for _, d := range DiffReports(a, c) {
		if d.Aspect == "DNS questions" {
			t.Errorf("DiffReports with one failed question collapses it: %+v", d)
		}
	}
}

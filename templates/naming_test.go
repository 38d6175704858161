package templates

import (
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
)

// TestReportNamesEachClientsPolicy: the report's Naming fact names the
// strict-naming policy of the report's own client, as its documents name
// it (EnableStrictDNSNaming for Communicator, DisableStrictDNSNaming for
// Lync), for strict and loose naming alike.
func TestReportNamesEachClientsPolicy(t *testing.T) {
	for _, p := range engine.Profiles() {
		for _, strict := range []bool{true, false} {
			r := &engine.Report{URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: p.Name,
				Policy: engine.Policy{StrictNaming: strict}, Outcome: engine.OutcomeFail}
			v := NewReportView(r, ReportOptions{})
			var naming string
			for _, f := range v.Policy {
				if f.Label == "Naming" {
					naming = f.Value
				}
			}
			want := "loose"
			if strict {
				want = "strict"
			}
			if !strings.HasPrefix(naming, want) || !strings.Contains(naming, p.StrictPolicy) {
				t.Errorf("%s, strict %v: Naming %q; want %s and the client's policy %s", p.Name, strict, naming, want, p.StrictPolicy)
			}
		}
	}
}

package zone

import (
	"context"
	"fmt"
	"testing"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
)

// TestDemoExpectations runs the default profile's discovery against every
// demo zone and checks the outcome each scenario's "; sipdisco-expect:"
// line promises, so a scenario cannot drift from the rule it illustrates.
func TestDemoExpectations(t *testing.T) {
	s, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range demo.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			u, err := engine.ParseURI(sc.Try)
			if err != nil {
				t.Fatalf("ParseURI(%q): %v", sc.Try, err)
			}
			rep, err := engine.Discover(context.Background(), u, engine.Config{
				Resolver: s,
				Policy:   engine.DefaultPolicy(),
				Rand:     func(int) int { return 0 },
			})
			if err != nil {
				t.Fatalf("Discover(%q): %v", sc.Try, err)
			}
			got := string(rep.Outcome)
			if rep.Target != nil && sc.Expect != "connect" {
				got += fmt.Sprintf(" %s:%d %s", rep.Target.Host, rep.Target.Port, rep.Target.Transport)
			}
			if got != sc.Expect {
				t.Errorf("Discover(%q) = %q; want %q\nfindings: %+v", sc.Try, got, sc.Expect, rep.Findings)
			}
		})
	}
}

// TestDemoClaims checks what the scenario descriptions say about other
// profiles and policies.
func TestDemoClaims(t *testing.T) {
	s, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		try, profile string
		policy       engine.Policy
		want         engine.Outcome
	}{
		{"bob@strict.example", "", engine.Policy{AllowTCP: true, StrictNaming: true}, engine.OutcomeFail},
		{"bob@healthy.example", "", engine.Policy{AllowTCP: false, StrictNaming: true}, engine.OutcomeConnect},
		{"bob@tcp-only.example", "", engine.Policy{AllowTCP: false}, engine.OutcomeFail},
		{"bob@fallback-sip.example", "communicator-2007", engine.DefaultPolicy(), engine.OutcomeConnect},
		{"bob@fallback-sip.example", "lync-2010", engine.DefaultPolicy(), engine.OutcomeConnect},
		{"bob@ipv6-only.example", "lync-2010", engine.DefaultPolicy(), engine.OutcomeFail},
		{"bob@ipv6-only.example", "lync-2013", engine.DefaultPolicy(), engine.OutcomeConnect},
		{"bob@lync.example", "lync-2013", engine.DefaultPolicy(), engine.OutcomeConnect},
	}
	for _, tt := range tests {
		u, err := engine.ParseURI(tt.try)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := engine.Discover(context.Background(), u, engine.Config{
			Resolver: s, Profile: tt.profile, Policy: tt.policy, Rand: func(int) int { return 0 },
		})
		if err != nil {
			t.Fatalf("Discover(%q, %q): %v", tt.try, tt.profile, err)
		}
		if rep.Outcome != tt.want {
			t.Errorf("Discover(%q, profile %q, %+v) = %s; want %s", tt.try, tt.profile, tt.policy, rep.Outcome, tt.want)
		}
	}
}

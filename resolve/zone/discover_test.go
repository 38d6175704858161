package zone

import (
	"context"
	"fmt"
	"testing"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
)

// TestDemoExpectations runs every profile's discovery, with its default
// policy and in the scenario's view, against every demo zone and checks
// the outcome the scenario's "; sipdisco-expect:" lines promise for that
// profile (demo.Scenario.ExpectFor), so that neither a scenario nor the
// demo list drifts from what the engine does for any client.
func TestDemoExpectations(t *testing.T) {
	s, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sc := range demo.Scenarios() {
		for _, p := range engine.Profiles() {
			t.Run(sc.Name+"/"+p.Name, func(t *testing.T) {
				u, err := engine.ParseURI(sc.Try)
				if err != nil {
					t.Fatalf("ParseURI(%q): %v", sc.Try, err)
				}
				rep, err := engine.Discover(context.Background(), u, engine.Config{
					Resolver: s,
					Profile:  p.Name,
					Policy:   p.DefaultPolicy(),
					View:     sc.View,
					Rand:     func(int) int { return 0 },
				})
				if err != nil {
					t.Fatalf("Discover(%q): %v", sc.Try, err)
				}
				want := sc.ExpectFor(p.Name)
				got := string(rep.Outcome)
				if rep.Target != nil && want != "connect" {
					got += fmt.Sprintf(" %s:%d %s", rep.Target.Host, rep.Target.Port, rep.Target.Transport)
				}
				if got != want {
					t.Errorf("Discover(%q) = %q; want %q\nfindings: %+v", sc.Try, got, want, rep.Findings)
				}
			})
			n++
		}
	}
	t.Logf("%d scenarios x %d profiles = %d checks", len(demo.Scenarios()), len(engine.Profiles()), n)
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

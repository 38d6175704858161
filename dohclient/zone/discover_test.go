package zone

import (
	"context"
	"fmt"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/demo"
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

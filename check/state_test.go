package check

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
)

// wantState restates docs/adr/0019-four-states.md's rule without
// engine.StateOf: fail does not sign in; indeterminate is unknown; a
// connect signs in with problems when its worst finding — every finding
// of the report and of an observation, leaving out the warnings the ADR
// lists as notes — is an error or a warning, or when the simulated
// sign-in fails.
func wantState(r *engine.Report) engine.State {
	notes := []string{"lookup-failed", "srv-target-alias", "srv-dot-mixed", "too-many-records", "pool-no-client-tcp",
		"probe-differs-target", "probe-differs-offers", "probe-differs-redirect", "probe-differs-certificate",
		"teams-only-unknown", "federation-port", "federation-unknown", "federation-tls", "autodiscover-other-domain"}
	switch r.Outcome {
	case engine.OutcomeFail:
		return engine.StateDoesNotSignIn
	case engine.OutcomeIndeterminate:
		return engine.StateUnknown
	}
	fs := slices.Clone(r.Findings)
	if r.Probe != nil {
		fs = append(fs, r.Probe.AllFindings()...)
		if r.Probe.Autodiscover != nil {
			fs = append(fs, r.Probe.Autodiscover.AllFindings()...)
		}
	}
	worst := engine.SeverityInfo
	for _, f := range fs {
		switch {
		case f.Severity == engine.SeverityError:
			worst = engine.SeverityError
		case f.Severity == engine.SeverityWarning && !slices.Contains(notes, string(f.Kind)) && worst != engine.SeverityError:
			worst = engine.SeverityWarning
		}
	}
	if worst != engine.SeverityInfo || r.Register != nil && r.Register.Outcome == engine.SignInFailed {
		return engine.StateSignsInWithProblems
	}
	return engine.StateSignsIn
}

// TestStateEveryDemo walks every demo address with every client profile,
// as the page checks it (the sign-in simulated), and holds the report's
// state, its JSON field and the banner's count of problems to the rule.
func TestStateEveryDemo(t *testing.T) {
	env := demoEnv(t)
	count := map[engine.State]int{}
	for _, sc := range demo.Scenarios() {
		for _, p := range engine.Profiles() {
			o := PageDefaults()
			o.URI, o.Profile = sc.Try, p.Name
			res, err := Run(context.Background(), o, env)
			if err != nil {
				t.Fatalf("Run(%s, %s): %v", sc.Try, p.Name, err)
			}
			r := res.Report
			want := wantState(r)
			if r.State != want || engine.StateOf(r) != want {
				t.Errorf("%s %s: state %s, StateOf %s; want %s (outcome %s, findings %v)", sc.Try, p.Name, r.State, engine.StateOf(r), want, r.Outcome, kinds(r.Findings))
			}
			js, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				State   string `json:"state"`
				Outcome string `json:"outcome"`
			}
			if err := json.Unmarshal(js, &back); err != nil || back.State != string(want) || back.Outcome != string(r.Outcome) {
				t.Errorf("%s %s: JSON state %q outcome %q; want %q, %q", sc.Try, p.Name, back.State, back.Outcome, want, r.Outcome)
			}
			if ps := engine.Problems(r); want == engine.StateSignsIn && len(ps) != 0 || want == engine.StateSignsInWithProblems && len(ps) == 0 {
				t.Errorf("%s %s: %d problems in state %s", sc.Try, p.Name, len(ps), want)
			}
			// An old snapshot carries no state; the rule gives it back.
			old := *r
			old.State = ""
			if got := engine.StateOf(&old); got != want {
				t.Errorf("%s %s: without the state field, StateOf = %s; want %s", sc.Try, p.Name, got, want)
			}
			count[want]++
		}
	}
	t.Logf("demo addresses × profiles by state: %v", count)
	for _, s := range []engine.State{engine.StateSignsIn, engine.StateSignsInWithProblems, engine.StateDoesNotSignIn, engine.StateUnknown} {
		if count[s] == 0 {
			t.Errorf("no demo address and profile is in state %s; the walk covers too little", s)
		}
	}
}

// TestStateNamed pins the states the issue names: a green banner over a
// refused TLS server (hostile.example), over TCP, a wildcard, a leak, and
// a sign-in that fails once the server was found.
func TestStateNamed(t *testing.T) {
	env := demoEnv(t)
	for _, tt := range []struct {
		uri, profile string
		edit         func(*Options)
		want         engine.State
	}{
		{"bob@healthy.example", "lync-2013", nil, engine.StateSignsIn},
		{"bob@tcp-only.example", "communicator-2007-r2", nil, engine.StateSignsInWithProblems},
		{"bob@hostile.example", "lync-2013", nil, engine.StateSignsInWithProblems},
		// Only a TCP record the client skips: a note, not a problem.
		{"bob@strict.example", "lync-2013", nil, engine.StateSignsIn},
		{"bob@wildcard.example", "lync-2013", nil, engine.StateSignsInWithProblems},
		{"bob@leaked-internal.example", "lync-2013", func(o *Options) { o.View = engine.ViewOutside }, engine.StateSignsInWithProblems},
		{"bob@healthy.example", "lync-2013", func(o *Options) { o.Owner = `CONTOSO\alice` }, engine.StateSignsInWithProblems},
		{"bob@nothing.example", "lync-2013", nil, engine.StateDoesNotSignIn},
		{"bob@servfail.example", "lync-2013", nil, engine.StateUnknown},
	} {
		o := PageDefaults()
		o.URI, o.Profile = tt.uri, tt.profile
		if tt.edit != nil {
			tt.edit(&o)
		}
		res, err := Run(context.Background(), o, env)
		if err != nil {
			t.Fatalf("Run(%s): %v", tt.uri, err)
		}
		if got := res.Report.State; got != tt.want {
			t.Errorf("Run(%s, %s).State = %s; want %s (findings %v, register %v)", tt.uri, tt.profile, got, tt.want, kinds(res.Report.Findings), res.Report.Register.Outcome)
		}
	}
}

func kinds(fs []engine.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+":"+string(f.Kind))
	}
	return out
}

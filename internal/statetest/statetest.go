// Package statetest holds the tests' own rule for a report's state
// (docs/adr/0019-four-states.md), apart from engine.StateOf, so that the
// walks of every demo address × every client profile — the command
// line's (cmd/sipdisco) and the page's (web) — hold StateOf and the
// front ends to one rule written once.
package statetest

import (
	"slices"

	"github.com/sipdisco/sipdisco/engine"
)

// Want is the state a report's findings and simulated sign-in call for:
// fail does not sign in, indeterminate is unknown, and a connect signs
// in with problems when the worst finding that counts (engine.IsProblem,
// which check.TestStateEveryDemo holds to the ADR's list independently),
// in the report or an observation, is an error or a warning, or when the
// simulated sign-in fails. It reads r's outcome, findings and sign-in,
// never r.State: a front end's report rebuilt from what it shows (the
// page's banner and findings) is judged the same way as the JSON.
func Want(r *engine.Report) engine.State {
	switch r.Outcome {
	case engine.OutcomeFail:
		return engine.StateDoesNotSignIn
	case engine.OutcomeConnect:
	default:
		return engine.StateUnknown
	}
	fs := slices.Clone(r.Findings)
	if r.Probe != nil {
		fs = append(fs, r.Probe.AllFindings()...)
	}
	worst := engine.SeverityInfo
	for _, f := range fs {
		if engine.IsProblem(f) && engine.SeverityRank(f.Severity) < engine.SeverityRank(worst) {
			worst = f.Severity
		}
	}
	if worst != engine.SeverityInfo || r.Register != nil && r.Register.Outcome == engine.SignInFailed {
		return engine.StateSignsInWithProblems
	}
	return engine.StateSignsIn
}

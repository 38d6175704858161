package engine

import "slices"

// State is a report's verdict at a glance, one of four: the outcome,
// split where the client connects into a sign-in with and without
// problems a user or administrator will meet
// (docs/adr/0019-four-states.md).
type State string

// The four states of a report.
const (
	// StateSignsIn: the client connects and nothing a user or
	// administrator will meet is wrong.
	StateSignsIn State = "signs-in"
	// StateSignsInWithProblems: the client connects, but a Problem is
	// present: an error or warning finding that is not a note, or a
	// simulated sign-in that fails after the server was found.
	StateSignsInWithProblems State = "signs-in-with-problems"
	// StateDoesNotSignIn: the outcome is fail.
	StateDoesNotSignIn State = "does-not-sign-in"
	// StateUnknown: the outcome is indeterminate (a lookup that could
	// change the result failed), or not one this version knows.
	StateUnknown State = "unknown"
)

// Words returns the state as a banner says it: "Signs in", "Signs in,
// with problems", "Does not sign in" or "Unknown".
func (s State) Words() string {
	switch s {
	case StateSignsIn:
		return "Signs in"
	case StateSignsInWithProblems:
		return "Signs in, with problems"
	case StateDoesNotSignIn:
		return "Does not sign in"
	}
	return "Unknown"
}

// Known reports whether s is one of the four states.
func (s State) Known() bool {
	switch s {
	case StateSignsIn, StateSignsInWithProblems, StateDoesNotSignIn, StateUnknown:
		return true
	}
	return false
}

// StateOf computes r's state from its outcome, findings, simulated
// sign-in and observation; the one rule every rendering and the JSON
// field use. It does not read r.State, so a report made before the field
// existed (an old snapshot link) gets the same state as a new one.
func StateOf(r *Report) State {
	switch r.Outcome {
	case OutcomeConnect:
		if len(Problems(r)) > 0 {
			return StateSignsInWithProblems
		}
		return StateSignsIn
	case OutcomeFail:
		return StateDoesNotSignIn
	}
	return StateUnknown
}

// Where a Problem is shown in a report.
const (
	// InFindings: Report.Findings.
	InFindings = "findings"
	// InRegister: the simulated sign-in, Report.Register.
	InRegister = "register"
	// InProbe: the observation, Report.Probe (Probe.AllFindings).
	InProbe = "probe"
	// InAutodiscover: the observation of the Autodiscover web service
	// (Probe.Autodiscover.AllFindings).
	InAutodiscover = "autodiscover"
)

// Problem is one thing a user or administrator will meet: a finding that
// counts (IsProblem) or a simulated sign-in that fails.
type Problem struct {
	Kind     Kind
	Severity Severity
	// Where is InFindings, InRegister, InProbe or InAutodiscover; Index
	// the finding's position in that list (Report.Findings,
	// Probe.AllFindings, AutodiscoverProbe.AllFindings), in its own, not
	// severity, order; 0 for InRegister.
	Where string
	Index int
}

// Problems returns r's problems, errors first, then warnings, each in the
// order the report holds them: its findings, then the simulated sign-in's
// failure, then the observation's. A report with problems and outcome
// connect is StateSignsInWithProblems; a failing or indeterminate report
// has problems too, which its banner counts.
func Problems(r *Report) []Problem {
	var out []Problem
	add := func(where string, fs []Finding) {
		for i, f := range fs {
			if IsProblem(f) {
				out = append(out, Problem{Kind: f.Kind, Severity: f.Severity, Where: where, Index: i})
			}
		}
	}
	add(InFindings, r.Findings)
	if x := r.Register; x != nil && x.Outcome == SignInFailed {
		out = append(out, Problem{Kind: x.Failure, Severity: SeverityError, Where: InRegister})
	}
	if p := r.Probe; p != nil {
		add(InProbe, p.AllFindings())
		if ad := p.Autodiscover; ad != nil {
			add(InAutodiscover, ad.AllFindings())
		}
	}
	// Errors, then warnings: two passes, not a generic sort, which would
	// be code of its own in the browser's first module
	// (docs/adr/0005-wasm-size.md).
	sorted := make([]Problem, 0, len(out))
	for rank := range 2 {
		for _, p := range out {
			if SeverityRank(p.Severity) == rank {
				sorted = append(sorted, p)
			}
		}
	}
	return sorted
}

// IsProblem reports whether f is a problem a user or administrator will
// meet: every error, and every warning but the notes (noteKinds), whose
// kind does not change what the client does or that the user sees.
func IsProblem(f Finding) bool {
	switch f.Severity {
	case SeverityError:
		return true
	case SeverityWarning:
		return !slices.Contains(noteKinds, f.Kind)
	}
	return false
}

// noteKinds are the warnings that do not make a sign-in "with problems"
// (docs/adr/0019-four-states.md says why, kind by kind): the result and
// what the user sees are the same without them.
var noteKinds = []Kind{
	// The lookup does not change the result.
	KindLookupFailed,
	// The client follows the alias and connects.
	KindSRVTargetAlias,
	// A stray "." is ignored.
	KindSRVDotMixed,
	// sipdisco's own bound on what it reads.
	KindTooManyRecords,
	// A TCP record the client skips for another that works.
	KindPoolNoClientTCP,
	// Where the observation differs from the simulation's inputs, not
	// from what the client meets (its errors still count).
	KindProbeDiffersTarget,
	KindProbeDiffersOffers,
	KindProbeDiffersRedirect,
	KindProbeDiffersCertificate,
	// The domain report's (Teams Only, federation), not the sign-in's.
	KindTeamsOnlyUnknown,
	KindFederationPort,
	KindFederationUnknown,
	KindFederationTLS,
	KindAutodiscoverOtherDomain,
}

// BySeverity returns fs ordered by severity — errors, warnings, then
// information and any other severity — each in fs's order; fs is not
// changed. Renderings list findings this way; a report's JSON keeps the
// order discovery made them in.
func BySeverity(fs []Finding) []Finding {
	// Four passes, not a sort: the browser's first module links this,
	// and a generic sort is code of its own for every element type
	// (docs/adr/0005-wasm-size.md).
	out := make([]Finding, 0, len(fs))
	for rank := range 4 {
		for _, f := range fs {
			if SeverityRank(f.Severity) == rank {
				out = append(out, f)
			}
		}
	}
	return out
}

// SeverityRank ranks s for ordering, worst first: 0 for an error, 1 for
// a warning, 2 for information, 3 for any other severity.
func SeverityRank(s Severity) int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	case SeverityInfo:
		return 2
	}
	return 3
}

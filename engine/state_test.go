package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBySeverity(t *testing.T) {
	fs := []Finding{
		{Kind: "a", Severity: SeverityInfo}, {Kind: "b", Severity: SeverityWarning}, {Kind: "c", Severity: SeverityError},
		{Kind: "d", Severity: SeverityWarning}, {Kind: "e", Severity: "odd"}, {Kind: "f", Severity: SeverityError},
	}
	var got []Kind
	for _, f := range BySeverity(fs) {
		got = append(got, f.Kind)
	}
	if diff := cmp.Diff(got, []Kind{"c", "f", "b", "d", "a", "e"}); diff != "" {
		t.Errorf("BySeverity order (-got +want):\n%s", diff)
	}
	if fs[0].Kind != "a" {
		t.Errorf("BySeverity changed its argument: %v", fs)
	}
}

// TestNoteKinds: every note is a kind whose usual severity is a warning,
// so that leaving it out changes something.
func TestNoteKinds(t *testing.T) {
	for _, k := range noteKinds {
		if _, sev, ok := KindTitle(k); !ok || sev != SeverityWarning {
			t.Errorf("note kind %s: severity %q, known %v; want a warning", k, sev, ok)
		}
	}
}

func TestStateOf(t *testing.T) {
	connect := func(fs []Finding, x *Exchange, p *Probe) *Report {
		return &Report{Outcome: OutcomeConnect, Findings: fs, Register: x, Probe: p}
	}
	tcp := Finding{Kind: KindTCPTarget, Severity: SeverityWarning}
	note := Finding{Kind: KindLookupFailed, Severity: SeverityWarning}
	info := Finding{Kind: KindCertificateName, Severity: SeverityInfo}
	for _, tt := range []struct {
		name string
		r    *Report
		want State
		n    int
	}{
		{"clean", connect([]Finding{info}, nil, nil), StateSignsIn, 0},
		{"note only", connect([]Finding{note, info}, nil, nil), StateSignsIn, 0},
		{"tcp", connect([]Finding{info, tcp}, nil, nil), StateSignsInWithProblems, 1},
		{"sign-in fails", connect(nil, &Exchange{Outcome: SignInFailed, Failure: KindWrongAccountOrPassword}, nil), StateSignsInWithProblems, 1},
		{"registered", connect(nil, &Exchange{Outcome: SignInRegistered}, nil), StateSignsIn, 0},
		{"no server answered", connect(nil, nil, &Probe{Findings: []Finding{{Kind: KindProbeNoServerAnswered, Severity: SeverityError}}}), StateSignsInWithProblems, 1},
		{"fail", &Report{Outcome: OutcomeFail, Findings: []Finding{{Kind: KindNoRecords, Severity: SeverityError}}}, StateDoesNotSignIn, 1},
		{"indeterminate", &Report{Outcome: OutcomeIndeterminate}, StateUnknown, 0},
		{"unknown outcome", &Report{Outcome: "later"}, StateUnknown, 0},
	} {
		if got := StateOf(tt.r); got != tt.want || len(Problems(tt.r)) != tt.n {
			t.Errorf("%s: StateOf = %s with %d problems; want %s with %d", tt.name, got, len(Problems(tt.r)), tt.want, tt.n)
		}
	}
	ps := Problems(connect([]Finding{tcp, {Kind: KindNamingRefused, Severity: SeverityError}}, &Exchange{Outcome: SignInFailed, Failure: KindNoCredentials}, nil))
	want := []Problem{{KindNamingRefused, SeverityError, InFindings, 1}, {KindNoCredentials, SeverityError, InRegister, 0}, {KindTCPTarget, SeverityWarning, InFindings, 0}}
	if diff := cmp.Diff(ps, want); diff != "" {
		t.Errorf("Problems (-got +want):\n%s", diff)
	}
}

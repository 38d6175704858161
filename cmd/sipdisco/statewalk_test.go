//go:build !js

package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/statetest"
)

// exitFor is check's exit status for one address in state s.
func exitFor(s engine.State) int {
	switch s {
	case engine.StateSignsIn:
		return exitConnect
	case engine.StateSignsInWithProblems:
		return exitProblems
	case engine.StateDoesNotSignIn:
		return exitFail
	}
	return exitIndeterminate
}

// TestStateWalkCLI walks every demo address × every client profile
// through the command line (issue 25's "done when"), with the sign-in
// as check simulates it by default and with one that fails (the address
// owned by another account): the JSON's state is what its findings and
// sign-in call for; the text's State line says the same state's words
// and as many problems; the exit status is the state's; and audit's CSV
// and JSON rows, its summary line and its exit status say what check
// says.
func TestStateWalkCLI(t *testing.T) {
	var addrs []string
	for _, sc := range demo.Scenarios() {
		addrs = append(addrs, sc.Try)
	}
	count := map[engine.State]int{}
	for _, p := range engine.Profiles() {
		for _, extra := range [][]string{nil, {"--owner", `CONTOSO\someone-else`}} {
			states := map[string]engine.State{}
			for _, addr := range addrs {
				args := append(append([]string{"check", "-p", p.Name}, extra...), addr)
				name := strings.Join(args[1:], " ")
				code, out, stderr := runCLI(t, append(args[:len(args)-1:len(args)-1], "--json", addr)...)
				var rep engine.Report
				if err := decodeOne(out, &rep); err != nil {
					t.Fatalf("check --json %s: %v\n%s", name, err, stderr)
				}
				want := statetest.Want(&rep)
				states[addr] = want
				count[want]++
				if rep.State != want {
					t.Errorf("check --json %s: state %q; its findings and sign-in call for %q", name, rep.State, want)
				}
				if rep.Outcome == engine.OutcomeConnect && rep.Register == nil {
					t.Errorf("check --json %s: no simulated sign-in; check simulates it by default", name)
				}
				if code != exitFor(want) {
					t.Errorf("check --json %s: exit %d; want %d for %s", name, code, exitFor(want), want)
				}
				tcode, text, _ := runCLI(t, args...)
				lines := strings.SplitN(text, "\n", 4)
				line := "State: " + want.Words()
				if n := len(engine.Problems(&rep)); n == 1 {
					line += " — 1 problem: "
				} else if n > 1 {
					line += fmt.Sprintf(" — %d problems; the first: ", n)
				}
				// Without problems the line is the words alone; with
				// them, the count and the first problem's title follow.
				exact := !strings.Contains(line, " — ")
				if len(lines) < 3 || !strings.HasPrefix(lines[2], line) || exact && lines[2] != line {
					t.Errorf("check %s: State line %q; want it to start %q", name, lines[min(2, len(lines)-1)], line)
				}
				if tcode != code {
					t.Errorf("check %s: exit %d as text, %d as JSON", name, tcode, code)
				}
			}
			if extra != nil {
				continue // audit takes no sign-in inputs
			}
			in := strings.Join(addrs, "\n")
			code, out, stderr := runAuditCLI(t, in, "-p", p.Name, "-")
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || len(recs) != len(addrs)+1 {
				t.Fatalf("audit -p %s: %v, %d records\n%s", p.Name, err, len(recs), stderr)
			}
			_, jout, _ := runAuditCLI(t, in, "-p", p.Name, "-j", "-")
			var rows []audit.Row
			if err := json.Unmarshal([]byte(jout), &rows); err != nil || len(rows) != len(addrs) {
				t.Fatalf("audit -p %s -j: %v, %d rows", p.Name, err, len(rows))
			}
			wantCode := exitConnect
			n := map[engine.State]int{}
			for i, addr := range addrs {
				want := states[addr]
				n[want]++
				if got := recs[i+1][len(recs[i+1])-1]; got != string(want) || rows[i].State != string(want) {
					t.Errorf("audit -p %s %s: state column %q, JSON %q; check says %q", p.Name, addr, got, rows[i].State, want)
				}
				switch c := exitFor(want); {
				case c == exitFail || wantCode == exitFail:
					wantCode = exitFail
				case c == exitIndeterminate || wantCode == exitIndeterminate:
					wantCode = exitIndeterminate
				case c == exitProblems:
					wantCode = exitProblems
				}
			}
			if code != wantCode {
				t.Errorf("audit -p %s: exit %d; want %d from the states check gives", p.Name, code, wantCode)
			}
			summary := fmt.Sprintf("%d addresses: %d connect (%d sign in, %d with problems), %d fail, %d indeterminate, 0 bad input",
				len(addrs), n[engine.StateSignsIn]+n[engine.StateSignsInWithProblems], n[engine.StateSignsIn], n[engine.StateSignsInWithProblems], n[engine.StateDoesNotSignIn], n[engine.StateUnknown])
			if !strings.Contains(stderr, summary) {
				t.Errorf("audit -p %s: summary on stderr %q; want %q from the states check gives", p.Name, stderr, summary)
			}
		}
	}
	t.Logf("demo addresses × profiles × {default sign-in, another owner} by state: %v", count)
	for _, s := range []engine.State{engine.StateSignsIn, engine.StateSignsInWithProblems, engine.StateDoesNotSignIn, engine.StateUnknown} {
		if count[s] == 0 {
			t.Errorf("no run ends in state %s: the walk covers too little", s)
		}
	}
}

package register

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the ladder and outcome sections of testdata/*.txtar")

// goldenCase is one testdata/*.txtar file: a comment saying what it shows,
// an input section (the Input as JSON), and the expected ladder and
// outcome.
type goldenCase struct {
	name    string
	path    string
	archive *txtar.Archive
	input   Input
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no testdata/*.txtar files")
	}
	var out []goldenCase
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := goldenCase{name: strings.TrimSuffix(filepath.Base(p), ".txtar"), path: p, archive: a}
		in := section(a, "input")
		if in == nil {
			t.Fatalf("%s: no -- input -- section", p)
		}
		dec := json.NewDecoder(bytes.NewReader(in))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c.input); err != nil {
			t.Fatalf("%s: input: %v", p, err)
		}
		out = append(out, c)
	}
	return out
}

func section(a *txtar.Archive, name string) []byte {
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func setSection(a *txtar.Archive, name string, data []byte) {
	for i, f := range a.Files {
		if f.Name == name {
			a.Files[i].Data = data
			return
		}
	}
	a.Files = append(a.Files, txtar.File{Name: name, Data: data})
}

// renderLadder writes the messages as a person reads them: a line naming
// the step, direction and note, then the message text with its CRLF line
// endings shown as plain newlines (TestMessageWireFormat checks the CRLFs).
func renderLadder(ex Exchange) []byte {
	var b strings.Builder
	for i, m := range ex.Messages {
		arrow := "client -> server"
		if m.Direction == ServerToClient {
			arrow = "server -> client"
		}
		fmt.Fprintf(&b, "=== %d. %s: %s\n", i+1, arrow, m.Label)
		fmt.Fprintf(&b, "# %s\n", m.Note)
		b.WriteString(strings.ReplaceAll(m.String(), "\r\n", "\n"))
	}
	return []byte(b.String())
}

func renderOutcome(ex Exchange) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "outcome: %s\n", ex.Outcome)
	if ex.Protocol != "" {
		fmt.Fprintf(&b, "protocol: %s\n", ex.Protocol)
	}
	if ex.Failure != "" {
		fmt.Fprintf(&b, "failure: %s\n", ex.Failure)
	}
	fmt.Fprintf(&b, "explanation: %s\n", ex.Explanation)
	if ex.Fix != "" {
		fmt.Fprintf(&b, "fix: %s\n", ex.Fix)
	}
	return []byte(b.String())
}

func TestGolden(t *testing.T) {
	for _, c := range loadGolden(t) {
		t.Run(c.name, func(t *testing.T) {
			ex, err := Simulate(c.input, new(Counter))
			if err != nil {
				t.Fatalf("Simulate: %v", err)
			}
			ladder, outcome := renderLadder(ex), renderOutcome(ex)
			if *update {
				setSection(c.archive, "ladder", ladder)
				setSection(c.archive, "outcome", outcome)
				if err := os.WriteFile(c.path, txtar.Format(c.archive), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(string(ladder), string(section(c.archive, "ladder"))); diff != "" {
				t.Errorf("ladder mismatch (-got +want):\n%s\n(run go test -run TestGolden -update to accept)", diff)
			}
			if diff := cmp.Diff(string(outcome), string(section(c.archive, "outcome"))); diff != "" {
				t.Errorf("outcome mismatch (-got +want):\n%s", diff)
			}
		})
	}
}

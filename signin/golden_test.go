package signin

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
	"github.com/sipdisco/sipdisco/engine"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the connections, ladder and outcome sections of testdata/*.txtar")

// goldenCase is one testdata/*.txtar file: a comment saying what it shows,
// an input section (the Input as JSON), and the expected connections,
// ladder and outcome.
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

// setSection replaces the section name, or adds it before the section
// before (at the end if there is none).
func setSection(a *txtar.Archive, name, before string, data []byte) {
	for i, f := range a.Files {
		if f.Name == name {
			a.Files[i].Data = data
			return
		}
	}
	for i, f := range a.Files {
		if f.Name == before {
			a.Files = append(a.Files[:i], append([]txtar.File{{Name: name, Data: data}}, a.Files[i:]...)...)
			return
		}
	}
	a.Files = append(a.Files, txtar.File{Name: name, Data: data})
}

// renderConnections writes each connection: where it goes and why, the
// messages sent on it, then its steps with their status, and the
// certificate check's data.
func renderConnections(ex engine.Exchange) []byte {
	var b strings.Builder
	for i, c := range ex.Connections {
		end := len(ex.Messages)
		if i+1 < len(ex.Connections) {
			end = ex.Connections[i+1].FirstMessage
		}
		msgs := "no message"
		if end > c.FirstMessage {
			msgs = fmt.Sprintf("messages %d to %d", c.FirstMessage+1, end)
		}
		fmt.Fprintf(&b, "=== %d. %s to %s:%d (%s), %s\n", i+1, strings.ToUpper(c.Transport), c.Host, c.Port, c.Reason, msgs)
		for _, st := range c.Steps {
			fmt.Fprintf(&b, "%s [%s]: %s\n", st.Kind, st.Status, st.Text)
		}
		if t := c.TLS; t != nil {
			fmt.Fprintf(&b, "tls: %s", t.Status)
			if len(t.Names) > 0 {
				fmt.Fprintf(&b, "; names %s", strings.Join(t.Names, ", "))
			}
			if t.MatchedBy != "" {
				fmt.Fprintf(&b, "; matched by %s", t.MatchedBy)
			}
			if t.NotAfter != "" {
				fmt.Fprintf(&b, "; not after %s", t.NotAfter)
			}
			b.WriteString("\n")
		}
		if c.Compression {
			fmt.Fprintf(&b, "compression: %s\n", compressionAlgorithm)
		}
	}
	return []byte(b.String())
}

// renderLadder writes the messages as a person reads them: a line naming
// the step and direction, the note and what is unverified, then the
// message text with its CRLF line endings shown as plain newlines
// (TestMessageWireFormat checks the CRLFs).
func renderLadder(ex engine.Exchange) []byte {
	var b strings.Builder
	for i, m := range ex.Messages {
		arrow := "client -> server"
		if m.Direction == engine.ServerToClient {
			arrow = "server -> client"
		}
		fmt.Fprintf(&b, "=== %d. %s: %s\n", i+1, arrow, m.Label)
		fmt.Fprintf(&b, "# %s\n", m.Note)
		for _, u := range m.Unverified {
			fmt.Fprintf(&b, "# unverified: %s\n", u)
		}
		b.WriteString(strings.ReplaceAll(m.String(), "\r\n", "\n"))
	}
	return []byte(b.String())
}

func renderOutcome(ex engine.Exchange) []byte {
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
			conns, ladder, outcome := renderConnections(ex), renderLadder(ex), renderOutcome(ex)
			if *update {
				setSection(c.archive, "connections", "ladder", conns)
				setSection(c.archive, "ladder", "outcome", ladder)
				setSection(c.archive, "outcome", "", outcome)
				if err := os.WriteFile(c.path, txtar.Format(c.archive), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(string(conns), string(section(c.archive, "connections"))); diff != "" {
				t.Errorf("connections mismatch (-got +want):\n%s\n(run go test -run TestGolden -update to accept)", diff)
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

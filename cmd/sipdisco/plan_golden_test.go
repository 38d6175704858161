//go:build !js

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// planFormats are the sections of a plan golden file: each the output of
// sipdisco plan with the file's arguments and these.
var planFormats = []struct {
	section string
	args    []string
	stderr  bool // the section is the standard error
}{
	{"bind", nil, false},
	{"powershell-internal", []string{"--format", "powershell", "--view", "internal"}, false},
	{"powershell-external", []string{"--format", "powershell", "--view", "external"}, false},
	{"csv", []string{"--format", "csv"}, false},
	{"md", []string{"--format", "md"}, false},
	{"json", []string{"--format", "json"}, false},
	{"check", []string{"--format", "json", "--check"}, true},
}

// TestPlanGolden runs sipdisco plan for each testdata/plan/*.txtar in
// every format and compares the output with the file's sections (go test
// -run TestPlanGolden -update rewrites them). It also checks that --out
// writes the same PowerShell scripts, one per view.
func TestPlanGolden(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "plan", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/plan/*.txtar: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			args := strings.Fields(string(section(a, "args")))
			if len(args) == 0 {
				t.Fatal("no -- args -- section")
			}
			got := map[string]string{}
			for _, f := range planFormats {
				code, out, stderr := runCLI(t, slices.Concat([]string{"plan"}, args, f.args)...)
				if code != exitConnect {
					t.Fatalf("plan %s: exit %d: %s", strings.Join(f.args, " "), code, stderr)
				}
				if f.stderr {
					out = stderr
				}
				got[f.section] = out
			}
			if *update {
				for _, f := range planFormats {
					setPlanSection(a, f.section, got[f.section])
				}
				if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, f := range planFormats {
				if diff := cmp.Diff(got[f.section], string(section(a, f.section))); diff != "" {
					t.Errorf("%s (-got +want; -update rewrites):\n%s", f.section, diff)
				}
			}
			dir := t.TempDir()
			if code, _, stderr := runCLI(t, slices.Concat([]string{"plan"}, args, []string{"--out", dir})...); code != exitConnect {
				t.Fatalf("plan --out: exit %d: %s", code, stderr)
			}
			for _, v := range []string{"internal", "external"} {
				b, err := os.ReadFile(filepath.Join(dir, v+"-dns.ps1"))
				if err != nil {
					t.Fatal(err)
				}
				if string(b) != got["powershell-"+v] {
					t.Errorf("--out wrote %s-dns.ps1 unlike --format powershell --view %s", v, v)
				}
			}
		})
	}
}

func section(a *txtar.Archive, name string) []byte {
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func setPlanSection(a *txtar.Archive, name, data string) {
	for i, f := range a.Files {
		if f.Name == name {
			a.Files[i].Data = []byte(data)
			return
		}
	}
	a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(data)})
}

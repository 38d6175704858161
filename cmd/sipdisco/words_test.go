//go:build !js

package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
)

// seedWord matches the project's internal name for Microsoft's document,
// which a user must never read: "the seed", "(seed)", "The seed:".
var seedWord = regexp.MustCompile(`(?i)\bseed('s)?\b`)

// userTexts collects what the product says to its users, by where it says
// it: every command's help, the README, every finding and sign-in text of
// every demo address under every profile, naming policy and TCP policy,
// the finding kinds' docs, the plan in Markdown, and every page of the
// built site (docs pages included).
func userTexts(t *testing.T) map[string]string {
	t.Helper()
	texts := map[string]string{}
	for _, c := range commands() {
		_, out, _ := runCLI(t, c.name, "-h")
		texts["sipdisco "+c.name+" -h"] = out
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	texts["README.md"] = string(readme)

	var addrs []string
	for _, s := range demo.Scenarios() {
		addrs = append(addrs, "bob@"+s.Domain)
	}
	for _, p := range engine.Profiles() {
		for _, policy := range [][]string{nil, {"--strict"}, {"--no-tcp"}, {"--strict", "--no-tcp"}} {
			args := slices.Concat([]string{"check", "--json", "--register", "--profile", p.Name}, policy, addrs)
			_, out, stderr := runCLI(t, args...)
			var reps []engine.Report
			if err := json.Unmarshal([]byte(out), &reps); err != nil {
				t.Fatalf("%v: %v: %s", args, err, stderr)
			}
			for _, r := range reps {
				texts[strings.Join(args[:6], " ")+" "+r.URI] = reportText(r)
			}
		}
	}
	for _, signIn := range [][]string{
		{"--creds", "none"}, {"--creds", "saved", "--password", "wrong"}, {"--account", `CONTOSO\vadim`, "--owner", `CONTOSO\jeremy`, "--creds", "prompt"},
		{"--desktop-account", `CONTOSO\vadim`, "--owner", `CONTOSO\jeremy`}, {"--not-enabled"}, {"--offers", "kerberos", "--creds", "prompt"},
		{"--cert-names", "pool01.healthy.example"}, {"--home-pool", "pool01.healthy.example", "--compression"},
	} {
		for _, p := range engine.Profiles() {
			args := slices.Concat([]string{"check", "--json", "--profile", p.Name}, signIn, []string{"jeremy@healthy.example"})
			_, out, stderr := runCLI(t, args...)
			var reps []engine.Report
			if err := json.Unmarshal([]byte(out), &reps); err != nil || len(reps) != 1 {
				t.Fatalf("%v: %d reports, %v: %s", args, len(reps), err, stderr)
			}
			texts[strings.Join(args, " ")] = reportText(reps[0])
		}
	}
	for _, d := range engine.KindDocs() {
		texts["kind "+string(d.Kind)] = d.Title + "\n" + d.Meaning + "\n" + d.Fix
	}
	_, md, _ := runCLI(t, "plan", "--domain", "contoso.com,fabrikam.com", "--pool", "pool01.contoso.com", "--director", "dir01.contoso.com",
		"--edge", "sip.contoso.com:5061", "--web-internal", "pool01.contoso.com", "--web-external", "webext.contoso.com", "--strict", "--tcp", "--format", "md")
	texts["plan --format md"] = md

	dir := t.TempDir()
	wasm := filepath.Join(dir, "main.wasm")
	exec := filepath.Join(dir, "wasm_exec.js")
	os.WriteFile(wasm, []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	os.WriteFile(filepath.Join(dir, "tools.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644) // the second module, beside the first
	os.WriteFile(exec, []byte("// wasm_exec.js\n"), 0o644)
	site := filepath.Join(dir, "site")
	if code, _, stderr := runCLI(t, "build", "--wasm", wasm, "--wasm-exec", exec, "--out", site); code != exitConnect {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	pages := 0
	filepath.WalkDir(site, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".html") {
			b, _ := os.ReadFile(path)
			texts[strings.TrimPrefix(path, site)] = string(b)
			pages++
		}
		return err
	})
	if pages < 5 {
		t.Fatalf("the built site has %d pages", pages)
	}
	return texts
}

// reportText is every sentence of a report a user reads.
func reportText(r engine.Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(f.Subject + "\n" + f.Message + "\n" + f.Fix + "\n")
	}
	for _, c := range r.Candidates {
		b.WriteString(c.Reason + "\n")
	}
	if x := r.Register; x != nil {
		b.WriteString(x.Explanation + "\n" + x.Fix + "\n")
		for _, m := range x.Messages {
			b.WriteString(m.Note + "\n" + strings.Join(m.Unverified, "\n") + "\n")
		}
		for _, c := range x.Connections {
			for _, s := range c.Steps {
				b.WriteString(s.Text + "\n")
			}
		}
	}
	return b.String()
}

// TestNoSeedInUserText: no text the product shows its users calls
// Microsoft's "Office Communicator Sign-in and Discovery" "the seed"
// (issue 16, item 10).
func TestNoSeedInUserText(t *testing.T) {
	texts := userTexts(t)
	for _, where := range slices.Sorted(func(yield func(string) bool) {
		for k := range texts {
			if !yield(k) {
				return
			}
		}
	}) {
		if loc := seedWord.FindStringIndex(texts[where]); loc != nil {
			s := texts[where]
			from, to := max(0, loc[0]-60), min(len(s), loc[1]+60)
			t.Errorf("%s says %q: …%s…", where, s[loc[0]:loc[1]], s[from:to])
		}
	}
	t.Logf("%d texts read", len(texts))
}

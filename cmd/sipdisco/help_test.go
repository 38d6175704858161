//go:build !js

package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
)

var update = flag.Bool("update", false, "rewrite the golden help files in testdata/help")

// TestHelpGolden keeps every command's help, and sipdisco's own, equal
// to testdata/help/NAME.txt (go test -run TestHelpGolden -update rewrites
// them: read the diff). Every spelling of the request prints the same
// text on stdout, nothing on stderr, and exits 0.
func TestHelpGolden(t *testing.T) {
	type ask struct {
		golden string
		args   [][]string
	}
	asks := []ask{{"sipdisco", [][]string{{"-h"}, {"--help"}, {"help"}, {"-help"}}}}
	for _, c := range commands() {
		asks = append(asks, ask{c.name, [][]string{{c.name, "-h"}, {c.name, "--help"}, {c.name, "-help"}, {"help", c.name}}})
	}
	for _, a := range asks {
		file := filepath.Join("testdata", "help", a.golden+".txt")
		var first string
		for i, args := range a.args {
			code, stdout, stderr := runCLI(t, args...)
			if code != 0 || stderr != "" {
				t.Errorf("sipdisco %s = exit %d, stderr %q; want 0 and nothing on stderr", strings.Join(args, " "), code, stderr)
			}
			if i == 0 {
				first = stdout
				continue
			}
			if stdout != first {
				t.Errorf("sipdisco %s prints other help than sipdisco %s:\n%s", strings.Join(args, " "), strings.Join(a.args[0], " "), cmp.Diff(stdout, first))
			}
		}
		if *update {
			os.MkdirAll(filepath.Dir(file), 0o755)
			if err := os.WriteFile(file, []byte(first), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test -run TestHelpGolden -update)", err)
		}
		if diff := cmp.Diff(profileBlind(first), profileBlind(string(want))); diff != "" {
			t.Errorf("sipdisco %s differs from %s (-got +want; -update rewrites it):\n%s", strings.Join(a.args[0], " "), file, diff)
		}
	}
}

// profileList is a --profile flag's list of the client profiles.
var profileList = regexp.MustCompile(`: (?:[a-z0-9]+(?:-[a-z0-9]+)+, )+[a-z0-9]+(?:-[a-z0-9]+)+`)

// profileBlind returns help with the description of its --profile flag
// on one line and its list of profiles replaced by PROFILES, so that a
// help golden file need not change when a client profile is added (the
// list comes from engine.Profiles; TestProfileHelpListsEveryProfile
// checks it).
func profileBlind(help string) string {
	lines := strings.Split(help, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "  -p, --profile ") {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.HasPrefix(lines[j], "   ") && !strings.HasPrefix(strings.TrimSpace(lines[j]), "-") {
			j++
		}
		block := strings.Join(strings.Fields(strings.Join(lines[i:j], " ")), " ")
		lines = slices.Concat(lines[:i], []string{profileList.ReplaceAllString(block, ": PROFILES")}, lines[j:])
	}
	return strings.Join(lines, "\n")
}

// TestProfileHelpListsEveryProfile: the --profile flags that profileBlind
// leaves out of the help goldens name every client profile.
func TestProfileHelpListsEveryProfile(t *testing.T) {
	var names []string
	for _, p := range engine.Profiles() {
		names = append(names, p.Name)
	}
	for _, cmd := range []string{"check", "audit", "plan"} {
		_, out, _ := runCLI(t, cmd, "-h")
		blind := profileBlind(out)
		if !strings.Contains(blind, ": PROFILES") {
			t.Errorf("%s -h: no list of profiles found in --profile's description", cmd)
		}
		flat := strings.Join(strings.Fields(out), " ")
		if !strings.Contains(flat, strings.Join(names, ", ")) {
			t.Errorf("%s -h does not list the profiles %v", cmd, names)
		}
	}
}

// flagRow is the start of a flag's row in help: "  -p, --profile" or
// "      --dns".
var flagRow = regexp.MustCompile(`^  (-[a-z], |    )--[a-z]`)

// TestHelpForm checks what every help must have, beyond its golden file:
// examples, flags spelt with two dashes, lines that fit a terminal, and
// every flag of the command's flag set listed.
func TestHelpForm(t *testing.T) {
	singleDash := regexp.MustCompile(`(?m)^\s+-[a-z][a-z-]+\b`)
	for _, c := range commands() {
		_, out, _ := runCLI(t, c.name, "-h")
		if n := strings.Count(out, "\n  sipdisco "); n < 2 {
			t.Errorf("%s -h shows %d examples; want two or three", c.name, n)
		}
		if m := singleDash.FindString(out); m != "" {
			t.Errorf("%s -h spells a flag with one dash: %q", c.name, m)
		}
		for i, line := range strings.Split(out, "\n") {
			if len([]rune(line)) > helpWidth && !strings.HasPrefix(line, "  sipdisco ") && !strings.HasPrefix(line, "  Get-Content") && !flagRow.MatchString(line) {
				t.Errorf("%s -h line %d is %d columns wide: %q", c.name, i+1, len([]rune(line)), line)
			}
		}
		fs := c.flagSet()
		fs.VisitAll(func(f *flag.Flag) {
			if long := longOf(fs, f); long != "" {
				if !regexp.MustCompile(`\n  -` + f.Name + `, --` + long + `[ \n]`).MatchString(out) {
					t.Errorf("%s -h does not list -%s beside --%s", c.name, f.Name, long)
				}
				return
			}
			if !regexp.MustCompile(`\n  (-[a-z], |    )--` + regexp.QuoteMeta(f.Name) + `[ \n]`).MatchString(out) {
				t.Errorf("%s -h does not list --%s", c.name, f.Name)
			}
		})
		if !strings.Contains(out, "Exit status:") {
			t.Errorf("%s -h does not give the exit status", c.name)
		}
	}
}

func TestFlagErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--nope"}, "sipdisco serve: unknown flag --nope (run sipdisco serve -h for help)\n"},
		{[]string{"serve", "-nope"}, "sipdisco serve: unknown flag --nope (run sipdisco serve -h for help)\n"},
		{[]string{"serve", "--addr"}, "sipdisco serve: flag --addr needs a value (run sipdisco serve -h for help)\n"},
		{[]string{"version", "--json=maybe"}, `sipdisco version: invalid boolean value "maybe" for --json: parse error (run sipdisco version -h for help)` + "\n"},
		{[]string{"demo"}, "sipdisco demo: want sipdisco demo list (run sipdisco demo -h for help)\n"},
		{[]string{"completion", "tcsh"}, "sipdisco completion: no completion for \"tcsh\": want bash, zsh, fish or powershell\n"},
		{[]string{"help", "nope"}, "sipdisco help: unknown command \"nope\" (run sipdisco help for the list)\n"},
		{[]string{"nope"}, "sipdisco: unknown command \"nope\" (run sipdisco -h for the list)\n"},
	} {
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != exitUsage || stderr != tt.want || stdout != "" {
			t.Errorf("sipdisco %s = exit %d, stdout %q, stderr %q; want exit 2 and stderr %q", strings.Join(tt.args, " "), code, stdout, stderr, tt.want)
		}
	}
	// No arguments at all: the list of commands, on stderr, exit 2.
	if code, _, stderr := runCLI(t); code != exitUsage || !strings.Contains(stderr, "Commands:") {
		t.Errorf("sipdisco with no arguments = exit %d, %q", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	var outs []string
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}, {"-version"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 || stderr != "" {
			t.Errorf("sipdisco %s = exit %d, %q", strings.Join(args, " "), code, stderr)
		}
		outs = append(outs, stdout)
	}
	for _, o := range outs[1:] {
		if o != outs[0] {
			t.Errorf("version spellings differ: %q vs %q", o, outs[0])
		}
	}
	for _, re := range []string{`^sipdisco \S+\n`, `\ncommit: +\S+\n`, `\ndate: +\S+\n`, `\ngo: +go1\.\d+\S* \w+/\w+\n`, `\nsite: +built from the source tree when needed`} {
		if !regexp.MustCompile(re).MatchString(outs[0]) {
			t.Errorf("sipdisco version does not match %s:\n%s", re, outs[0])
		}
	}
	_, js, _ := runCLI(t, "version", "--json")
	var v map[string]string
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("version --json: %v\n%s", err, js)
	}
	for _, k := range []string{"version", "commit", "date", "go", "platform", "site"} {
		if _, ok := v[k]; !ok {
			t.Errorf("version --json lacks %q: %s", k, js)
		}
	}
}

// TestCompletionBash loads the bash script in a real bash and completes
// words as a user would press Tab: commands, every flag of every command,
// flag values and file names.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	_, script, _ := runCLI(t, "completion", "bash")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c.bash"), []byte(script), 0o644)
	os.WriteFile(filepath.Join(dir, "users.txt"), nil, 0o644)
	complete := func(words ...string) []string {
		t.Helper()
		var q []string
		for _, w := range words {
			q = append(q, shellQuote(w))
		}
		sh := "source c.bash\nCOMP_WORDS=(" + strings.Join(q, " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) + "\n_sipdisco\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", sh)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.Fields(string(out))
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if got := complete("sipdisco", ""); !contains(got, names...) {
		t.Errorf("sipdisco <Tab> = %v; want every command %v", got, names)
	}
	if got := complete("sipdisco", "au"); cmp.Diff(got, []string{"audit"}) != "" {
		t.Errorf("sipdisco au<Tab> = %v; want audit", got)
	}
	for _, c := range commands() {
		want, shorts := spellings(c.flagSet())
		if got := complete("sipdisco", c.name, "--"); !contains(got, want...) {
			t.Errorf("sipdisco %s --<Tab> = %v; want every flag %v", c.name, got, want)
		}
		if got := complete("sipdisco", c.name, "-"); !contains(got, append(want, shorts...)...) {
			t.Errorf("sipdisco %s -<Tab> = %v; want every flag and short name %v %v", c.name, got, want, shorts)
		}
	}
	for _, tt := range []struct {
		words []string
		want  []string
	}{
		{[]string{"sipdisco", "check", "--profile", "lync"}, profilesWith("lync")},
		{[]string{"sipdisco", "check", "-p", "sk"}, profilesWith("sk")},
		{[]string{"sipdisco", "check", "--color", ""}, []string{"auto", "always", "never"}},
		{[]string{"sipdisco", "check", "--view", ""}, []string{"inside", "outside"}},
		{[]string{"sipdisco", "plan", "-f", "p"}, []string{"powershell"}},
		{[]string{"sipdisco", "check", "bob@healthy.example", "--creds", ""}, []string{"current", "saved", "prompt", "none"}},
		{[]string{"sipdisco", "audit", "--format", ""}, []string{"csv", "json"}},
		{[]string{"sipdisco", "plan", "--view", "ex"}, []string{"external"}},
		{[]string{"sipdisco", "audit", "us"}, []string{"users.txt"}},
		{[]string{"sipdisco", "serve", "--zone", "us"}, []string{"users.txt"}},
		{[]string{"sipdisco", "completion", "p"}, []string{"powershell"}},
		{[]string{"sipdisco", "demo", ""}, []string{"list"}},
		{[]string{"sipdisco", "help", "ver"}, []string{"version"}},
		{[]string{"sipdisco", "serve", "--addr", ""}, nil},
	} {
		if got := complete(tt.words...); cmp.Diff(got, tt.want) != "" && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%s<Tab> = %v; want %v", strings.Join(tt.words, " "), got, tt.want)
		}
	}
}

// TestCompletionZsh loads the zsh script after compinit in a real zsh: it
// must parse and register _sipdisco for sipdisco. (Driving zsh's
// completion widgets needs a terminal; bash's test covers the words.)
func TestCompletionZsh(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		if os.Getenv("SIPDISCO_CI") == "1" {
			t.Fatal("no zsh (SIPDISCO_CI=1 requires it): install Debian's zsh package")
		}
		t.Skip("no zsh; install Debian's zsh package")
	}
	_, script, _ := runCLI(t, "completion", "zsh")
	dir := t.TempDir()
	file := filepath.Join(dir, "_sipdisco")
	os.WriteFile(file, []byte(script), 0o644)
	if out, err := exec.Command(zsh, "-n", file).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	cmd := exec.Command(zsh, "-f", "-c", "autoload -Uz compinit && compinit -u -d "+shellQuote(filepath.Join(dir, "zcompdump"))+" && source "+shellQuote(file)+" && print -r -- ${_comps[sipdisco]} ${_comps[sipdisco.exe]} $+functions[_sipdisco]")
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "_sipdisco _sipdisco 1" {
		t.Errorf("zsh after source: %v, %q; want _sipdisco registered for sipdisco and sipdisco.exe", err, out)
	}
}

// TestCompletionPowerShell checks the PowerShell script's content (no
// PowerShell runs on this machine): every command and flag is in its
// table, and quoting survives text that PowerShell would otherwise read
// as code.
func TestCompletionPowerShell(t *testing.T) {
	code, script, stderr := runCLI(t, "completion", "powershell")
	if code != 0 || stderr != "" {
		t.Fatalf("completion powershell = exit %d, %q", code, stderr)
	}
	if !strings.Contains(script, "Register-ArgumentCompleter -Native -CommandName 'sipdisco', 'sipdisco.exe'") {
		t.Errorf("the script registers no native completer for sipdisco and sipdisco.exe")
	}
	for _, c := range commands() {
		if !strings.Contains(script, "\n    '"+c.name+"' = @{") {
			t.Errorf("the script has no entry for %s", c.name)
		}
		long, shorts := spellings(c.flagSet())
		for _, name := range append(long, shorts...) {
			if !strings.Contains(script, "'"+name+"' = @{") {
				t.Errorf("the script has no entry for %s %s", c.name, name)
			}
		}
	}
	for in, want := range map[string]string{
		"plain":            "'plain'",
		"it's":             "'it''s'",
		"$(Remove-Item x)": "'$(Remove-Item x)'",
		"a\u2019b":         "'a\u2019\u2019b'",
	} {
		if got := psQuote(in); got != want {
			t.Errorf("psQuote(%q) = %s; want %s", in, got, want)
		}
	}
	// Outside its strings and comments the script's braces, brackets and
	// parentheses pair up, in order: a short flag's entry or the
	// completer's code cannot leave a block open.
	if err := psBalanced(script); err != nil {
		t.Error(err)
	}
	// Every quoted string in the script is balanced: an odd number of
	// single quotes on a line would open a string that never ends.
	for i, line := range strings.Split(script, "\n") {
		if strings.Count(line, "'")%2 != 0 {
			t.Errorf("line %d has unbalanced quotes: %s", i+1, line)
		}
	}
}

// TestCompletionFish loads the fish script in a real fish and completes
// words with complete -C, as fish does when Tab is pressed.
func TestCompletionFish(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		if os.Getenv("SIPDISCO_CI") == "1" {
			t.Fatal("no fish (SIPDISCO_CI=1 requires it): install Debian's fish package")
		}
		t.Skip("no fish; install Debian's fish package")
	}
	_, script, _ := runCLI(t, "completion", "fish")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sipdisco.fish"), []byte(script), 0o644)
	os.WriteFile(filepath.Join(dir, "users.txt"), nil, 0o644)
	complete := func(line string) []string {
		t.Helper()
		cmd := exec.Command(fish, "--no-config", "-c", "function sipdisco; end; source sipdisco.fish; complete -C "+shellQuote(line))
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		var words []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if w, _, _ := strings.Cut(l, "\t"); w != "" {
				words = append(words, w)
			}
		}
		return words
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if got := complete("sipdisco "); !contains(got, names...) {
		t.Errorf("sipdisco <Tab> = %v; want every command %v", got, names)
	}
	for _, c := range commands() {
		want, shorts := spellings(c.flagSet())
		if got := complete("sipdisco " + c.name + " --"); !contains(got, want...) {
			t.Errorf("sipdisco %s --<Tab> = %v; want every flag %v", c.name, got, want)
		}
		if got := complete("sipdisco " + c.name + " -"); !contains(got, shorts...) {
			t.Errorf("sipdisco %s -<Tab> = %v; want every short name %v", c.name, got, shorts)
		}
	}
	for _, tt := range []struct {
		line string
		want []string
	}{
		{"sipdisco check --profile lync", profilesWith("lync")},
		{"sipdisco check --view ", []string{"inside", "outside"}},
		{"sipdisco check -p sk", profilesWith("sk")},
		{"sipdisco check --color ", []string{"auto", "always", "never"}},
		{"sipdisco audit -f ", []string{"csv", "json"}},
		{"sipdisco audit --format ", []string{"csv", "json"}},
		{"sipdisco plan --view ex", []string{"external"}},
		{"sipdisco audit us", []string{"users.txt"}},
		{"sipdisco serve --zone us", []string{"users.txt"}},
		{"sipdisco completion f", []string{"fish"}},
		{"sipdisco demo ", []string{"list"}},
		{"sipdisco help ver", []string{"version"}},
	} {
		got := complete(tt.line)
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.want))
		if cmp.Diff(got, want) != "" {
			t.Errorf("%s<Tab> = %v; want %v", tt.line, got, want)
		}
	}
}

// TestCompletionOffersTheTablesChoices: for every flag of the field
// table whose value is one of a few words (check.Field.Words), and every
// command that takes it, each shell's script offers exactly those words,
// in the table's order; and every other flag whose value has choices
// (the commands' own) offers its check.Chooser's words. There is no
// second copy of a choice to drift.
func TestCompletionOffersTheTablesChoices(t *testing.T) {
	scripts := map[string]string{}
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		code, s, stderr := runCLI(t, "completion", sh)
		if code != 0 {
			t.Fatalf("completion %s = exit %d, %q", sh, code, stderr)
		}
		scripts[sh] = s
	}
	table := map[string][]string{} // flag usage -> the table's words
	for _, f := range check.Fields() {
		for _, fl := range f.Flags {
			if w := f.Words(fl); len(w) > 0 {
				table[fl.Usage] = w
			}
		}
	}
	if len(table) < 4 {
		t.Fatalf("only %d flags of the table have choices; want at least --profile, --view, --creds, --offers, --password", len(table))
	}
	tested := map[string]bool{}
	for _, c := range commands() {
		fs := c.flagSet()
		fs.VisitAll(func(fl *flag.Flag) {
			if longOf(fs, fl) != "" {
				return // a short name: checked with its flag below
			}
			short := ""
			fs.VisitAll(func(s *flag.Flag) {
				if longOf(fs, s) == fl.Name {
					short = s.Name
				}
			})
			want := choicesOf(fl)
			if tw, ok := table[fl.Usage]; ok {
				if cmp.Diff(want, tw) != "" {
					t.Errorf("%s --%s offers %v; the table says %v", c.name, fl.Name, want, tw)
				}
				tested[fl.Usage] = true
			}
			if len(want) == 0 {
				return
			}
			for sh, script := range scripts {
				spellings := []string{"--" + fl.Name}
				if short != "" {
					spellings = append(spellings, "-"+short)
				}
				for _, spelt := range spellings {
					got, ok := offeredWords(sh, script, c.name, fl.Name, short, spelt)
					if !ok {
						t.Errorf("completion %s: %s %s offers no words; want %v", sh, c.name, spelt, want)
						continue
					}
					if diff := cmp.Diff(got, want); diff != "" {
						t.Errorf("completion %s: %s %s (-got +want):\n%s", sh, c.name, spelt, diff)
					}
				}
			}
		})
	}
	for usage := range table {
		if !tested[usage] {
			t.Errorf("no command takes the table's flag %q", usage)
		}
	}
}

// offeredWords returns the words the script of shell sh offers for the
// value of command cmd's flag --name (whose short name, "" for none, is
// short) when it is spelt spelt (--name or -short).
func offeredWords(sh, script, cmd, name, short, spelt string) ([]string, bool) {
	section := script
	var re *regexp.Regexp
	q := regexp.QuoteMeta
	switch sh {
	case "bash":
		section = between(script, "\n    "+cmd+")\n", "\n        ;;\n")
		alt := ""
		if short != "" {
			alt = `\|-` + q(short)
		}
		re = regexp.MustCompile(`(?m)^        --` + q(name) + `\|-` + q(name) + alt + `\) COMPREPLY=\(\$\(compgen -W '([^']*)'`)
	case "zsh":
		section = between(script, "\n    "+cmd+")\n", ";;\n")
		eq := "="
		if spelt != "--"+name {
			eq = ""
		}
		re = regexp.MustCompile(`'\*` + q(spelt) + eq + `\[(?:[^']|'\\'')*\]:[^:']*:\(([^)']*)\)'`)
	case "fish":
		s := ""
		if short != "" {
			s = ` -s ` + q(short)
		}
		re = regexp.MustCompile(`(?m)^complete -c sipdisco -n '__fish_seen_subcommand_from ` + q(cmd) + `'` + s + ` -l ` + q(name) + ` -x -a '([^']*)'`)
	case "powershell":
		section = between(script, "\n    '"+cmd+"' = @{", "\n        Args = ")
		re = regexp.MustCompile(`'` + q(spelt) + `' = @\{ Tip = '(?:[^']|'')*'; Kind = 'words'; Words = @\(([^)]*)\) \}`)
	}
	m := re.FindStringSubmatch(section)
	if m == nil {
		return nil, false
	}
	if sh == "powershell" {
		return strings.Fields(strings.NewReplacer("'", "", ",", " ").Replace(m[1])), true
	}
	return strings.Fields(m[1]), true
}

// psBalanced checks that PowerShell text's (), {} and [] pair up outside
// single-quoted strings (a doubled quote inside is a quote),
// double-quoted strings (a backtick escapes) and # comments.
func psBalanced(s string) error {
	var stack []rune
	pair := map[rune]rune{')': '(', '}': '{', ']': '['}
	line := 1
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '\n':
			line++
		case '#':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			line++
		case '\'', '\u2018', '\u2019':
			for i++; i < len(rs); i++ {
				if rs[i] == '\'' || rs[i] == '\u2018' || rs[i] == '\u2019' {
					if i+1 < len(rs) && rs[i+1] == rs[i] {
						i++
						continue
					}
					break
				}
				if rs[i] == '\n' {
					line++
				}
			}
		case '"':
			for i++; i < len(rs) && rs[i] != '"'; i++ {
				if rs[i] == '`' {
					i++
				}
			}
		case '(', '{', '[':
			stack = append(stack, c)
		case ')', '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != pair[c] {
				return fmt.Errorf("line %d: %q closes nothing open", line, c)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("%d brackets left open: %q", len(stack), string(stack))
	}
	return nil
}

// spellings returns the flags of fs as --name, and their short names as
// -p.
func spellings(fs *flag.FlagSet) (long, short []string) {
	fs.VisitAll(func(f *flag.Flag) {
		if longOf(fs, f) != "" {
			short = append(short, "-"+f.Name)
		} else {
			long = append(long, "--"+f.Name)
		}
	})
	return long, short
}

// between returns the part of s from the first from to the next to.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		s = s[:j]
	}
	return s
}

// profilesWith returns the names of the client profiles that start with
// prefix, in their order.
func profilesWith(prefix string) []string {
	var out []string
	for _, p := range engine.Profiles() {
		if strings.HasPrefix(p.Name, prefix) {
			out = append(out, p.Name)
		}
	}
	return out
}

func contains(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

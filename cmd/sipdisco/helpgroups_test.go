//go:build !js

package main

import (
	"flag"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
)

// helpSections splits a command's help into its flag sections: heading
// ("Flags" or a check.HelpGroup) to the flags listed under it, in order.
func helpSections(t *testing.T, help string) (order []string, flags map[string][]string) {
	t.Helper()
	flags = map[string][]string{}
	heading := regexp.MustCompile(`^([A-Z][A-Za-z -]+):$`)
	row := regexp.MustCompile(`^  (?:-[a-z], |    )--([a-z-]+)`)
	cur := ""
	for _, line := range strings.Split(help, "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			if m[1] == "Usage" || m[1] == "Examples" {
				cur = ""
				continue
			}
			cur = m[1]
			order = append(order, cur)
			continue
		}
		if line == "" || strings.HasPrefix(line, "Exit status") {
			if strings.HasPrefix(line, "Exit status") {
				cur = ""
			}
			continue
		}
		if m := row.FindStringSubmatch(line); m != nil && cur != "" {
			flags[cur] = append(flags[cur], m[1])
		}
	}
	return order, flags
}

// TestHelpGrouped: every command with flags in more than one group lists
// them under the groups' headings, in check.HelpGroups' order, each of
// the field table's flags under its field's HelpGroup; check's help has
// the five groups issue 25 names; -h, --help ends the last section.
func TestHelpGrouped(t *testing.T) {
	tableGroup := map[string]check.HelpGroup{}
	for _, f := range check.Fields() {
		for _, fl := range f.Flags {
			tableGroup[fl.Name] = f.HelpGroup
		}
	}
	for _, c := range commands() {
		_, out, _ := runCLI(t, c.name, "-h")
		order, flags := helpSections(t, out)
		if len(order) == 0 {
			t.Errorf("%s -h lists no flags", c.name)
			continue
		}
		if len(order) > 1 {
			var want []string
			if order[0] == "Flags" {
				want = append(want, "Flags") // the flags in no group come first
			}
			for _, g := range check.HelpGroups() {
				if slices.Contains(order, string(g)) {
					want = append(want, string(g))
				}
			}
			if !slices.Equal(order, want) {
				t.Errorf("%s -h sections %v; want them in the order %v", c.name, order, want)
			}
			for sec, names := range flags {
				if c.name == "plan" {
					break // plan's flags are its own table's (check.BindPlan), not the field table's
				}
				for _, n := range names {
					if g, ok := tableGroup[n]; ok && string(g) != sec {
						t.Errorf("%s -h lists --%s under %q; the field table says %q", c.name, n, sec, g)
					}
				}
			}
		}
		last := flags[order[len(order)-1]]
		if len(last) == 0 || last[len(last)-1] != "help" {
			t.Errorf("%s -h: -h, --help does not end the last section %q: %v", c.name, order[len(order)-1], last)
		}
	}
	_, out, _ := runCLI(t, "check", "-h")
	order, flags := helpSections(t, out)
	want := []string{"Where to ask DNS", "Client and policy", "Sign-in simulation", "Observation of the real servers", "Output"}
	if !slices.Equal(order, want) {
		t.Errorf("check -h sections %v; want %v", order, want)
	}
	// The example: --tcp (how to ask DNS) and --no-tcp (the
	// client's policy) are no longer side by side.
	if !slices.Contains(flags["Where to ask DNS"], "tcp") || !slices.Contains(flags["Client and policy"], "no-tcp") {
		t.Errorf("check -h: --tcp under %v, --no-tcp under %v", flags["Where to ask DNS"], flags["Client and policy"])
	}
	for _, n := range []string{"json", "md", "color", "link"} {
		if !slices.Contains(flags["Output"], n) {
			t.Errorf("check -h: --%s is not under Output: %v", n, flags["Output"])
		}
	}
}

// TestShortFlags: every short name is the same flag as its long one on
// every command that has it (a letter means one thing), none is -h or
// -v, and a check spelt short gives the same report as spelt long.
func TestShortFlags(t *testing.T) {
	meaning := map[string]string{}
	for _, c := range commands() {
		fs := c.flagSet()
		fs.VisitAll(func(f *flag.Flag) {
			if len(f.Name) != 1 {
				return
			}
			long := longOf(fs, f)
			if long == "" {
				t.Errorf("%s -%s is not a second name of a long flag", c.name, f.Name)
				return
			}
			if f.Name == "h" || f.Name == "v" {
				t.Errorf("%s -%s takes a letter sipdisco already uses (help, version)", c.name, f.Name)
			}
			if m, ok := meaning[f.Name]; ok && m != long {
				t.Errorf("-%s is --%s on %s but --%s elsewhere", f.Name, long, c.name, m)
			}
			meaning[f.Name] = long
		})
	}
	for _, want := range []string{"p", "j"} {
		if meaning[want] == "" {
			t.Errorf("no command has -%s", want)
		}
	}
	_, long, _ := runCLI(t, "check", "--profile", "lync-2013", "--json", "bob@tcp-only.example")
	_, short, _ := runCLI(t, "check", "-p", "lync-2013", "-j", "bob@tcp-only.example")
	var a, b engine.Report
	if err := decodeOne(long, &a); err != nil {
		t.Fatal(err)
	}
	if err := decodeOne(short, &b); err != nil {
		t.Fatal(err)
	}
	if a.Profile != "lync-2013" || b.Profile != a.Profile || b.State != a.State || b.Outcome != a.Outcome {
		t.Errorf("-p lync-2013 -j: profile %s state %s; --profile lync-2013 --json: profile %s state %s", b.Profile, b.State, a.Profile, a.State)
	}
	if code, _, stderr := runCLI(t, "check", "-p"); code != exitUsage || !strings.Contains(stderr, "flag -p needs a value") {
		t.Errorf("check -p = exit %d, %q; want 2 naming -p", code, stderr)
	}
}

// sgr matches an ANSI colour sequence.
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestColor: --color always colours the text report and only adds to it
// (without the sequences it is the plain report, word for word); never
// and auto off a terminal (as in tests) do not; JSON and Markdown are
// never coloured; a bad value is a usage error.
func TestColor(t *testing.T) {
	for _, addr := range []string{"bob@healthy.example", "bob@tcp-only.example", "bob@nothing.example", "bob@servfail.example"} {
		_, plain, _ := runCLI(t, "check", addr)
		code, colour, _ := runCLI(t, "check", "--color", "always", addr)
		if !sgr.MatchString(colour) {
			t.Errorf("check --color always %s: no colour", addr)
		}
		ms := regexp.MustCompile(`\d+ ms\b`)
		if got := ms.ReplaceAllString(sgr.ReplaceAllString(colour, ""), "N ms"); got != ms.ReplaceAllString(plain, "N ms") {
			t.Errorf("check --color always %s without its colours differs from the plain text:\n%s\n---\n%s", addr, got, plain)
		}
		if c, _, _ := runCLI(t, "check", addr); c != code {
			t.Errorf("check --color always %s exits %d, without %d", addr, code, c)
		}
		for _, args := range [][]string{{"--color", "never"}, {"--color", "auto"}, {}, {"--color", "always", "--json"}, {"--color", "always", "--md"}} {
			_, out, _ := runCLI(t, append(append([]string{"check"}, args...), addr)...)
			if strings.Contains(out, "\x1b") {
				t.Errorf("check %v %s: colour where there should be none", args, addr)
			}
		}
	}
	// The state's colour is on the State line: green, yellow, red.
	for addr, want := range map[string]string{"bob@healthy.example": "32", "bob@tcp-only.example": "33", "bob@nothing.example": "1;31"} {
		_, out, _ := runCLI(t, "check", "--color", "always", addr)
		if !strings.Contains(out, "State: \x1b["+want+"m") {
			t.Errorf("check --color always %s: the State line is not in colour %s", addr, want)
		}
	}
	if code, _, stderr := runCLI(t, "check", "--color", "sometimes", "bob@healthy.example"); code != exitUsage || !strings.Contains(stderr, "want auto, always or never") {
		t.Errorf("--color sometimes = exit %d, %q", code, stderr)
	}
	// domain's text too: the Teams Only verdict green when ready, red
	// when blocked; the same words without the colours; JSON plain.
	domains := []string{"teams-ready.example", "teams-blocked.example"}
	_, plain, _ := runCLI(t, append([]string{"domain"}, domains...)...)
	_, colour, _ := runCLI(t, append([]string{"domain", "--color", "always"}, domains...)...)
	if sgr.ReplaceAllString(colour, "") != plain || !strings.Contains(colour, "Teams Only: \x1b[32mReady") || !strings.Contains(colour, "Teams Only: \x1b[1;31mBlocked") {
		t.Errorf("domain --color always: not the plain text in colour, ready green and blocked red:\n%q", colour)
	}
	if _, js, _ := runCLI(t, append([]string{"domain", "--color", "always", "-j"}, domains...)...); strings.Contains(js, "\x1b") {
		t.Error("domain --color always -j: colour in JSON")
	}
}

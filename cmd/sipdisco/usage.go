//go:build !js

package main

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/internal/suggest"
)

// usageText is the help of one command, printed by printUsage.
type usageText struct {
	// Synopsis is the usage line(s), e.g. "sipdisco serve [flags]".
	Synopsis []string
	// Description is what the command does: paragraphs separated by a
	// blank line, each wrapped by printUsage.
	Description string
	// Examples are two or three typical calls.
	Examples []example
	// Notes follow the flags, e.g. the exit statuses; wrapped as
	// Description.
	Notes string
}

// example is one example call with an optional comment.
type example struct{ Comment, Command string }

// helpWidth is the width help text is wrapped to.
const helpWidth = 80

// printUsage writes the help of a command to w, in the form the tools our
// users know print it (doggo, q, the GitHub CLI): usage, description,
// examples, then the flags of fs spelt with two dashes (--json; Go's flag
// package accepts -json and --json alike, but prints -json), each with
// its value name, its description and its default when that is not the
// zero value, and last -h, --help.
//
// A flag's usage string names its value in back quotes, as for
// flag.PrintDefaults ("listen `address`"); the name is printed in upper
// case (--addr ADDRESS).
func printUsage(w io.Writer, fs *flag.FlagSet, u usageText) error {
	var b strings.Builder
	b.WriteString("Usage:\n")
	for _, s := range u.Synopsis {
		b.WriteString("  " + s + "\n")
	}
	if u.Description != "" {
		b.WriteString("\n")
		writeParagraphs(&b, u.Description, "", helpWidth)
	}
	if len(u.Examples) > 0 {
		b.WriteString("\nExamples:\n")
		for i, e := range u.Examples {
			if e.Comment != "" {
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString("  # " + e.Comment + "\n")
			}
			b.WriteString("  " + e.Command + "\n")
		}
	}
	b.WriteString("\n")
	writeFlags(&b, fs)
	if u.Notes != "" {
		b.WriteString("\n")
		writeParagraphs(&b, u.Notes, "", helpWidth)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// flagLine is one flag as help and completion show it.
type flagLine struct {
	name     string // without dashes
	short    string // its one-letter second name ("p"), or ""
	value    string // the value's name, "" for a boolean flag
	usage    string
	defValue string // "" when the default is the zero value
	group    check.HelpGroup
}

// flagLines returns the flags of fs in lexical order, a short name
// (-p) on the line of the flag it is a second name of (--profile).
func flagLines(fs *flag.FlagSet) []flagLine {
	var lines []flagLine
	shorts := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if long := longOf(fs, f); long != "" {
			shorts[long] = f.Name
			return
		}
		plain := *f
		plain.Value = unwrap(f.Value)
		value, usage := flag.UnquoteUsage(&plain)
		if value == "value" {
			value = "VALUE"
		}
		l := flagLine{name: f.Name, value: strings.ToUpper(value), usage: usage, group: groupOf(f)}
		if !isZeroDefault(f) {
			l.defValue = f.DefValue
		}
		lines = append(lines, l)
	})
	for i := range lines {
		lines[i].short = shorts[lines[i].name]
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].name < lines[j].name })
	return lines
}

// longOf returns the name of the flag that f, a one-letter name, is a
// second name of (the same Value under a longer name), else "".
func longOf(fs *flag.FlagSet, f *flag.Flag) string {
	if len(f.Name) != 1 {
		return ""
	}
	t := reflect.TypeOf(f.Value)
	if t == nil || !t.Comparable() {
		return ""
	}
	long := ""
	fs.VisitAll(func(g *flag.Flag) {
		if len(g.Name) > 1 && reflect.TypeOf(g.Value) == t && g.Value == f.Value {
			long = g.Name
		}
	})
	return long
}

// grouped is a command's own flag (not the field table's) with the help
// group it is listed in: inGroup puts it there.
type grouped struct {
	flag.Value
	group check.HelpGroup
}

// IsBoolFlag, Choices: those of the flag wrapped, so that parsing and
// completion are unchanged.
func (g *grouped) IsBoolFlag() bool {
	b, ok := g.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (g *grouped) Choices() []string {
	if c, ok := g.Value.(check.Chooser); ok {
		return c.Choices()
	}
	return nil
}

func (g *grouped) HelpGroup() check.HelpGroup { return g.group }

// unwrap returns the Value a grouped flag wraps, so that the help names
// its value as the flag package does (DURATION, INT).
func unwrap(v flag.Value) flag.Value {
	if g, ok := v.(*grouped); ok {
		return g.Value
	}
	return v
}

// inGroup lists the flags of fs named in the help group g. It panics on
// a name fs does not have: a command's registration is wrong.
func inGroup(fs *flag.FlagSet, g check.HelpGroup, names ...string) {
	for _, n := range names {
		f := fs.Lookup(n)
		if f == nil {
			panic("inGroup: no flag --" + n)
		}
		f.Value = &grouped{Value: f.Value, group: g}
	}
}

// shortFlag gives the flag of fs called name the one-letter second name
// letter: the same Value, so the two are one flag in help and completion.
// The letters are chosen in one place, shortFlags, so that a letter means
// the same on every command.
func shortFlag(fs *flag.FlagSet, name string) {
	letter := shortName(name)
	if letter == "" {
		panic("shortFlag: no short name for --" + name)
	}
	f := fs.Lookup(name)
	if f == nil {
		panic("shortFlag: no flag --" + name)
	}
	fs.Var(f.Value, letter, f.Usage)
}

// shortFlags are the one-letter names of the commands' own flags
// (docs/adr/0024-one-vocabulary-for-page-and-command-line.md); the field table's
// are its Flag.Short (-p for --profile, -z for --zone).
var shortFlags = map[string]string{"json": "j", "format": "f", "out": "o"}

// shortName returns the one-letter name of the flag called name: a
// command's own (shortFlags), else the field table's, so that plan's
// --profile, which is not the table's, is -p as check's is; "" for none.
func shortName(name string) string {
	if s, ok := shortFlags[name]; ok {
		return s
	}
	for _, f := range check.Fields() {
		for _, fl := range f.Flags {
			if fl.Name == name {
				return fl.Short
			}
		}
	}
	return ""
}

// groupOf returns the help group f is listed in: its field's, or the
// one inGroup gave it; "" for none.
func groupOf(f *flag.Flag) check.HelpGroup {
	if g, ok := f.Value.(interface{ HelpGroup() check.HelpGroup }); ok {
		return g.HelpGroup()
	}
	return ""
}

// isZeroDefault reports whether f's default is its type's zero value, so
// that help need not show it.
func isZeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "0s", "[]":
		return true
	}
	return false
}

// writeFlags writes the flags of fs, and -h, --help, as aligned columns:
// under "Flags:" when they are in one help group (or none), else under
// each group's heading, in the order of check.HelpGroups, those in no
// group first under "Flags:".
func writeFlags(b *strings.Builder, fs *flag.FlagSet) {
	type row struct{ left, right string }
	sections := map[check.HelpGroup][]row{}
	for _, l := range flagLines(fs) {
		left := "    --" + l.name
		if l.short != "" {
			left = "-" + l.short + ", --" + l.name
		}
		if l.value != "" {
			left += " " + l.value
		}
		right := l.usage
		if l.defValue != "" {
			right += " (default " + l.defValue + ")"
		}
		sections[l.group] = append(sections[l.group], row{left, right})
	}
	order := append([]check.HelpGroup{""}, check.HelpGroups()...)
	var shown []check.HelpGroup
	for _, g := range order {
		if len(sections[g]) > 0 {
			shown = append(shown, g)
		}
	}
	if len(shown) <= 1 {
		var all []row
		for _, g := range shown {
			all = append(all, sections[g]...)
		}
		sections, shown = map[check.HelpGroup][]row{"": all}, []check.HelpGroup{""}
	}
	last := shown[len(shown)-1]
	sections[last] = append(sections[last], row{"-h, --help", "show this help"})
	const maxLeft = 30
	col := 0
	for _, g := range shown {
		for _, r := range sections[g] {
			if n := utf8.RuneCountInString(r.left); n <= maxLeft && n > col {
				col = n
			}
		}
	}
	indent := 2 + col + 2
	for i, g := range shown {
		if i > 0 {
			b.WriteString("\n")
		}
		if g == "" {
			b.WriteString("Flags:\n")
		} else {
			b.WriteString(string(g) + ":\n")
		}
		for _, r := range sections[g] {
			b.WriteString("  " + r.left)
			n := utf8.RuneCountInString(r.left)
			if n > col {
				b.WriteString("\n" + strings.Repeat(" ", indent))
			} else {
				b.WriteString(strings.Repeat(" ", col-n+2))
			}
			for i, line := range wrap(r.right, helpWidth-indent) {
				if i > 0 {
					b.WriteString(strings.Repeat(" ", indent))
				}
				b.WriteString(line + "\n")
			}
		}
	}
}

// writeParagraphs writes text's paragraphs (separated by blank lines)
// wrapped to width with prefix before each line. Lines starting with
// spaces are kept as they are (commands, lists).
func writeParagraphs(b *strings.Builder, text, prefix string, width int) {
	for i, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		var words []string
		flush := func() {
			for _, l := range wrap(strings.Join(words, " "), width-len(prefix)) {
				b.WriteString(prefix + l + "\n")
			}
			words = nil
		}
		for _, line := range strings.Split(para, "\n") {
			if strings.HasPrefix(line, " ") {
				if len(words) > 0 {
					flush()
				}
				b.WriteString(prefix + line + "\n")
				continue
			}
			words = append(words, strings.Fields(line)...)
		}
		if len(words) > 0 {
			flush()
		}
	}
}

// wrap splits s into lines of at most width runes, at spaces; a word
// longer than width gets a line of its own.
func wrap(s string, width int) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	line := words[0]
	for _, w := range words[1:] {
		if utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line += " " + w
	}
	return append(lines, line)
}

// newFlagSet returns a flag set for command name that reports nothing by
// itself: parseFlags turns its errors into usage errors that name the
// help.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// errHelp is returned by parseFlags when -h or --help was given and the
// help was printed; the command then exits 0.
var errHelp = errors.New("help printed")

// parseFlags parses args with fs, flags and arguments interspersed (as
// people type them). On -h or --help it prints the help to stdout and
// returns errHelp. A bad flag is a usage error that spells the flag with
// two dashes and points at the help.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer, u usageText) ([]string, error) {
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		if err := printUsage(stdout, fs, u); err != nil {
			return nil, err
		}
		return nil, errHelp
	}
	if err != nil {
		return nil, usagef("%s%s (run sipdisco %s -h for help)", flagError(err), flagHint(fs, err), fs.Name())
	}
	return pos, nil
}

// flagHint is ", did you mean --NAME?" for an unknown flag near one of
// fs's, else "".
func flagHint(fs *flag.FlagSet, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) > 1 {
			names = append(names, f.Name)
		}
	})
	if s := suggest.Closest(strings.TrimPrefix(name, "-"), names); s != "" {
		return ": did you mean --" + s + "?"
	}
	return ""
}

// flagError rewrites the flag package's error text to spell flags with two
// dashes: "flag provided but not defined: -x" becomes "unknown flag --x".
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag " + dashes(strings.TrimPrefix(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag " + dashes(strings.TrimPrefix(name, "-")) + " needs a value"
	}
	// "invalid value \"x\" for flag -n: ..." and "invalid boolean value \"x\" for -n: ...".
	return strings.Replace(msg, " for -", " for --", 1)
}

// dashes spells a flag as help does: -p for a one-letter name, --json
// for the others.
func dashes(name string) string {
	if utf8.RuneCountInString(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// exitStatusNote is the exit-status paragraph of the commands that only
// succeed or fail.
const exitStatusNote = `Exit status: 0 done, 1 the command could not do its work (a file could not be read or written, the address is in use, the site could not be built), 2 bad usage or input.`

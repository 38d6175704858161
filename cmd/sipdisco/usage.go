//go:build !js

package main

import (
	"errors"
	"flag"
	"github.com/sipdisco/sipdisco/internal/suggest"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
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
	b.WriteString("\nFlags:\n")
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
	value    string // the value's name, "" for a boolean flag
	usage    string
	defValue string // "" when the default is the zero value
}

// flagLines returns the flags of fs in lexical order.
func flagLines(fs *flag.FlagSet) []flagLine {
	var lines []flagLine
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		if value == "value" {
			value = "VALUE"
		}
		l := flagLine{name: f.Name, value: strings.ToUpper(value), usage: usage}
		if !isZeroDefault(f) {
			l.defValue = f.DefValue
		}
		lines = append(lines, l)
	})
	sort.Slice(lines, func(i, j int) bool { return lines[i].name < lines[j].name })
	return lines
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

// writeFlags writes the flags of fs, and -h, --help, as aligned columns.
func writeFlags(b *strings.Builder, fs *flag.FlagSet) {
	type row struct{ left, right string }
	var rows []row
	for _, l := range flagLines(fs) {
		left := "--" + l.name
		if l.value != "" {
			left += " " + l.value
		}
		right := l.usage
		if l.defValue != "" {
			right += " (default " + l.defValue + ")"
		}
		rows = append(rows, row{left, right})
	}
	rows = append(rows, row{"-h, --help", "show this help"})
	const maxLeft = 26
	col := 0
	for _, r := range rows {
		if n := utf8.RuneCountInString(r.left); n <= maxLeft && n > col {
			col = n
		}
	}
	indent := 2 + col + 2
	for _, r := range rows {
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
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
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
		return "unknown flag --" + strings.TrimPrefix(name, "-")
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag --" + strings.TrimPrefix(name, "-") + " needs a value"
	}
	// "invalid value \"x\" for flag -n: ..." and "invalid boolean value \"x\" for -n: ...".
	return strings.Replace(msg, " for -", " for --", 1)
}

// exitStatusNote is the exit-status paragraph of the commands that only
// succeed or fail.
const exitStatusNote = `Exit status: 0 done, 1 the command could not do its work (a file could not be read or written, the address is in use, the site could not be built), 2 bad usage or input.`

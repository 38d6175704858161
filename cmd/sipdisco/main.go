//go:build !js

// Command sipdisco tells which server a Microsoft SIP client (Office
// Communicator 2007/R2, Lync, Skype for Business) would sign in to for an
// address, and why — or why not.
//
// Usage:
//
//	sipdisco check [flags] URI...   discovery report (text, --json, --md)
//	sipdisco audit [flags] FILE     every address in a file, CSV or JSON
//	sipdisco plan [flags]           records and certificate names
//	sipdisco serve [flags]          the site and a local /dns-query endpoint
//	sipdisco build [flags]          the static site
//	sipdisco demo list              the embedded demo zones
//	sipdisco version                version, commit, Go release, build date
//	sipdisco completion SHELL       completion for bash, zsh or powershell
//
// Every command's help (sipdisco COMMAND -h) is printed on standard output
// with examples, and exits 0.
//
// Exit status: 0 success (check: every address connects), 3 some address
// fails, 4 some result is indeterminate (and none fails), 2 bad usage or
// input, 1 the command could not do its work (a file could not be read or
// written, the address is in use, the site could not be built).
package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/sipdisco/sipdisco/internal/suggest"
	"io"
	"os"
	"os/signal"
	"strings"
)

// Exit statuses.
const (
	exitConnect       = 0
	exitError         = 1
	exitUsage         = 2
	exitFail          = 3
	exitIndeterminate = 4
	// exitProblems: every address connects, some with problems a user
	// or administrator will meet (engine.StateSignsInWithProblems;
	// docs/adr/0019-four-states.md).
	exitProblems = 5
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError marks errors that are the user's input, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// writeMainUsage writes sipdisco's own help: the commands, examples and
// the top-level flags.
func writeMainUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("sipdisco tells which server a Microsoft SIP client (Office Communicator, Lync,\nSkype for Business) would sign in to for an address, and why.\n\n")
	b.WriteString("Usage:\n  sipdisco COMMAND [flags] [arguments]\n\nCommands:\n")
	cs := commands()
	width := 0
	for _, c := range cs {
		width = max(width, len(c.name))
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, c.name, c.short)
	}
	b.WriteString(`
Examples:
  # A demo address: no network needed
  sipdisco check bob@healthy.example

  # The site on http://127.0.0.1:8080/, with the demo zones behind /dns-query
  sipdisco serve

  # Completion for PowerShell (add the line to $PROFILE)
  sipdisco completion powershell | Out-String | Invoke-Expression

Flags:
  -h, --help     show this help
  -v, --version  print the version

Run "sipdisco COMMAND -h" for a command's flags and examples.
`)
	io.WriteString(w, b.String())
}

// run is main without the process: testable, with explicit streams.
// commandHint is ": did you mean NAME?" for a word near a command's
// name, else "".
func commandHint(word string) string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if s := suggest.Closest(word, names); s != "" {
		return ": did you mean " + s + "?"
	}
	return ""
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		writeMainUsage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			c := lookupCommand(args[1])
			if c == nil {
				fmt.Fprintf(stderr, "sipdisco help: unknown command %q%s (run sipdisco help for the list)\n", args[1], commandHint(args[1]))
				return exitUsage
			}
			return printCommandHelp(c, stdout, stderr)
		}
		writeMainUsage(stdout)
		return 0
	case "-v", "-version", "--version":
		name, args = "version", append([]string{"version"}, args[1:]...)
	}
	c := lookupCommand(name)
	if c == nil {
		fmt.Fprintf(stderr, "sipdisco: unknown command %q%s (run sipdisco -h for the list)\n", name, commandHint(name))
		return exitUsage
	}
	if !c.ownHelp && c.wantsHelp(args[1:]) {
		// check, audit and plan parse their flags themselves; their help
		// is printed here so that it has the same form as the others'.
		return printCommandHelp(c, stdout, stderr)
	}
	code, err := c.run(ctx, args[1:], stdin, stdout, stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "sipdisco %s: %v\n", name, err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		if code == 0 {
			return exitError
		}
	}
	return code
}

// printCommandHelp prints c's help on stdout.
func printCommandHelp(c *command, stdout, stderr io.Writer) int {
	if err := printUsage(stdout, c.flagSet(), c.usage); err != nil {
		fmt.Fprintf(stderr, "sipdisco %s: %v\n", c.name, err)
		return exitError
	}
	return 0
}

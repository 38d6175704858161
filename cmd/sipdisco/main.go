//go:build !js

// Command sipdisco tells which server a Microsoft SIP client (Office
// Communicator 2007/R2, Lync, Skype for Business) would sign in to for an
// address, and why — or why not.
//
// Usage:
//
//	sipdisco check [flags] URI...   discovery report (text, --json, --md)
//	sipdisco serve [flags]          the site and a local /dns-query endpoint
//	sipdisco build [flags]          the static site
//	sipdisco demo list              the embedded demo zones
//
// Exit status of check: 0 every address connects, 3 some address fails,
// 4 some result is indeterminate (and none fails), 2 bad usage or input.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// Exit statuses of sipdisco check.
const (
	exitConnect       = 0
	exitError         = 1
	exitUsage         = 2
	exitFail          = 3
	exitIndeterminate = 4
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

const usage = `sipdisco tells which server a Microsoft SIP client would sign in to, and why.

Usage:
  sipdisco check [flags] URI...   run discovery for each sign-in address
  sipdisco serve [flags]          serve the site and a local DoH endpoint
  sipdisco build [flags]          write the static site (what Netlify publishes)
  sipdisco plan [flags]           records and certificate names for a deployment
  sipdisco audit [flags] FILE     check every address in FILE (- for stdin), CSV/JSON
  sipdisco demo list              list the embedded demo zones

Run "sipdisco COMMAND -h" for the flags of a command.
`

// run is main without the process: testable, with explicit streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var code int
	var err error
	switch args[0] {
	case "check":
		code, err = runCheck(ctx, args[1:], stdout, stderr)
	case "build":
		err = runBuild(args[1:], stdout, stderr)
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr)
	case "plan":
		code, err = runPlan(ctx, args[1:], stdout, stderr)
	case "audit":
		code, err = runAudit(ctx, args[1:], stdin, stdout, stderr)
	case "demo":
		err = runDemo(args[1:], stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "sipdisco: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "sipdisco %s: %v\n", args[0], err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitError
	}
	return code
}

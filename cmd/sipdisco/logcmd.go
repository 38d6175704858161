//go:build !js

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/internal/textenc"
	"github.com/sipdisco/sipdisco/logread"
	"github.com/sipdisco/sipdisco/templates/logview"
)

// logExitNote is the log command's exit statuses.
const logExitNote = `Exit status: 0 the log was read (whatever its sign-in's outcome), 2 bad usage, or input that is no text log (binary data, an encoding sipdisco does not read: the message names the offset), 1 the log could not be read or the output written.`

// logFlags are the log command's flags: the resolver inputs of the field
// table, as check has them, for the prediction set beside the log, and
// the output's.
type logFlags struct {
	bind      *check.Binding
	timeout   time.Duration
	json, md  bool
	full      bool
	noPredict bool
	link      bool
	linkBase  string
}

func (f *logFlags) register(fs *flag.FlagSet) {
	f.bind = check.BindFields(fs, check.Defaults(), flagEnv, "Profile", "Strict", "Resolver", "Zones", "View", "DNS", "DNSTCP")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "time limit of the prediction's discovery")
	fs.BoolVar(&f.json, "json", false, "print JSON (docs/spec.md: the log reader's JSON)")
	fs.BoolVar(&f.md, "md", false, "print Markdown, for pasting into a ticket")
	fs.BoolVar(&f.full, "full", false, "print every header of each sign-in message (credentials redacted)")
	fs.BoolVar(&f.noPredict, "no-predict", false, "only read the log: do not run discovery for its sign-in address")
	fs.BoolVar(&f.link, "link", false, "print after the report a link to the sign-in ladder, redacted: only the ladder travels in it, never the log")
	fs.StringVar(&f.linkBase, "link-base", defaultLinkBase, "the site `URL` the link opens (sipdisco serve's, or the public site)")
	inGroup(fs, check.HelpDNS, "timeout", "no-predict")
	inGroup(fs, check.HelpOutput, "json", "md", "full", "link", "link-base")
	shortFlag(fs, "json")
}

// logOutput is the log command's JSON: the log's fields, the
// comparison with the prediction and the prediction itself.
type logOutput struct {
	Tool   engine.Tool `json:"tool"`
	File   string      `json:"file"`
	ReadAt string      `json:"readAt"`
	*logread.Log
	Comparison *logread.Comparison `json:"comparison,omitempty"`
	Prediction *engine.Report      `json:"prediction,omitempty"`
	// PredictionError says why no prediction was made, when one was
	// asked for and none could be.
	PredictionError string `json:"predictionError,omitempty"`
}

func runLog(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	var f logFlags
	fs := newFlagSet("log")
	f.register(fs)
	pos, err := parseFlags(fs, args, stdout, usageOf("log"))
	if err != nil {
		return exitUsage, err
	}
	o, err := f.bind.Options()
	if err != nil {
		return exitUsage, usageError{err.Error()}
	}
	if f.json && f.md {
		return exitUsage, usagef("--json and --md are exclusive")
	}
	if f.json && f.link {
		return exitUsage, usagef("--json and --link are exclusive: the JSON is the whole reading; --link prints a link beside a text or Markdown report")
	}
	base, err := linkBase(f.linkBase)
	if err != nil {
		return exitUsage, err
	}
	if len(pos) != 1 {
		return exitUsage, usagef("give one log file, or - for standard input (run sipdisco log -h for help)")
	}
	profileSet := false
	fs.Visit(func(fl *flag.Flag) { profileSet = profileSet || fl.Name == "profile" })

	in, name, done, err := openList(pos[0], stdin)
	if err != nil {
		return exitUsage, err
	}
	defer done()
	l, err := logread.Read(ctx, in, logread.DefaultLimits(), nil)
	if err != nil {
		var le *logread.Error
		if errors.As(err, &le) {
			return exitUsage, usagef("%s: %s", name, le.Msg)
		}
		return exitError, fmt.Errorf("%s: %w", name, err)
	}
	out := logOutput{Tool: engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}, File: name, ReadAt: time.Now().UTC().Format(time.RFC3339), Log: l}
	if !f.noPredict && l.SignIn != nil && l.SignIn.Address != "" {
		if !profileSet {
			if p := logread.ProfileFor(l.Client); p != "" {
				o.Profile = p
			}
		}
		rep, err := predict(ctx, o, l.SignIn.Address, f.timeout)
		switch {
		case errors.Is(err, context.Canceled):
			return exitError, err
		case err != nil:
			out.PredictionError = err.Error()
			fmt.Fprintf(stderr, "sipdisco log: no prediction for %s: %v\n", textenc.Escape(l.SignIn.Address), err)
		default:
			out.Prediction = rep
			out.Comparison = logread.Compare(l, rep)
		}
	}
	switch {
	case f.json:
		b, err := marshalJSON(out)
		if err != nil {
			return exitError, err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return 0, err
	case f.md:
		err = logview.WriteMarkdown(stdout, l, out.Comparison, logview.Options{Name: name, Full: f.full})
	default:
		err = logview.WriteText(stdout, l, out.Comparison, logview.Options{Name: name, Full: f.full})
	}
	if err != nil || !f.link {
		return 0, err
	}
	return 0, writeLogLink(stdout, stderr, l, base, f.md)
}

// writeLogLink prints the link to l's redacted ladder under base (the log
// page, /log/), saying what it carries; a log without a sign-in has no
// link, which is said on stderr.
func writeLogLink(stdout, stderr io.Writer, l *logread.Log, base string, md bool) error {
	frag, err := logread.EncodeLink(l)
	if err != nil {
		fmt.Fprintf(stderr, "sipdisco log: no link: %v\n", err)
		return nil
	}
	link := base + "log/" + frag
	const what = "It carries only the ladder, redacted: no credentials, other headers, other messages or instant messages. The log itself is not uploaded."
	if md {
		_, err = fmt.Fprintf(stdout, "\n[Link to this sign-in ladder](%s). %s\n", link, what)
	} else {
		_, err = fmt.Fprintf(stdout, "\nLink to this sign-in ladder. %s\n%s\n", what, link)
	}
	return err
}

// predict runs the check sipdisco check runs for address, with the
// resolver the flags choose.
func predict(ctx context.Context, o check.Options, address string, timeout time.Duration) (*engine.Report, error) {
	u, err := engine.ParseURI(address)
	if err != nil {
		return nil, err
	}
	o.URI = u.String()
	resolver, source, err := resolverFor(o, []engine.URI{u})
	if err != nil {
		return nil, err
	}
	env := check.Env{Resolver: resolver, Now: time.Now, Limits: engine.Limits{Timeout: timeout}, Source: source,
		Tool: engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}}
	res, err := check.Run(ctx, o, env)
	if err != nil {
		return nil, err
	}
	return res.Report, nil
}

//go:build !js

package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/console"
)

// defaultAuditConcurrency is how many addresses audit checks at once
// unless told: each asks about three questions a round, so about 24 are
// in flight to the server, below plain.MaxInFlight (64), on three or
// four UDP sockets; a corporate resolver is not flooded, and the rounds
// of one address overlap the others' (docs/adr/0027).
const defaultAuditConcurrency = 8

// auditFlags are audit's flags.
type auditFlags struct {
	bind        *check.Binding
	timeout     time.Duration
	json        bool
	format      string
	concurrency int
	// perAddress runs discovery for every address, not once per domain.
	perAddress bool
	// progress forces the progress bar on or off; "" means only when
	// stderr is a terminal.
	progress string
}

// register adds audit's flags to fs: every input of a check but the
// address and the sign-in (check.Bind), and the audit's own.
func (a *auditFlags) register(fs *flag.FlagSet) {
	a.bind = check.Bind(fs, check.Defaults(), flagEnv, check.GroupClient, check.GroupPolicy, check.GroupManual, check.GroupAnswers, check.GroupCommandLine)
	fs.DurationVar(&a.timeout, "timeout", 10*time.Second, "time limit for each address")
	fs.BoolVar(&a.json, "json", false, "same as --format json")
	fs.Var(check.NewOneOf(&a.format, "csv", "csv", "json"), "format", "output `format`: csv or json")
	fs.IntVar(&a.concurrency, "concurrency", defaultAuditConcurrency, "addresses checked at the same time")
	fs.BoolVar(&a.perAddress, "per-address", false, "run discovery for every address, not once per domain (for DNS that answers differently each time)")
	fs.Var(check.NewOneOf(&a.progress, "", "on", "off"), "progress", "progress bar on stderr: `on`, off, or empty for only on a terminal")
	inGroup(fs, check.HelpDNS, "timeout", "concurrency", "per-address")
	inGroup(fs, check.HelpOutput, "json", "format", "progress")
	shortFlag(fs, "json")
	shortFlag(fs, "format")
}

func runAudit(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	var f auditFlags
	fs := newFlagSet("audit")
	f.register(fs)
	pos, err := parseFlags(fs, args, stdout, usageOf("audit"))
	if err != nil {
		return exitUsage, err
	}
	o, err := f.options(pos)
	if err != nil {
		return exitUsage, err
	}
	list, err := openAuditList(pos[0], stdin)
	if err != nil {
		return exitUsage, err
	}
	defer list.close()
	// The first pass reports the bad lines, counts the lines for the
	// progress bar and finds the domains' kind for the default source;
	// the second streams them through discovery. Neither holds more
	// than a line.
	var total int
	demoOnly := true // every address under .example: the demo zones answer by default
	err = list.each(func(l audit.Line) {
		total++
		if l.Err != nil {
			fmt.Fprintf(stderr, "sipdisco audit: %s:%d: %v\n", list.name, l.N, l.Err)
			return
		}
		demoOnly = demoOnly && allUnderExample([]engine.URI{l.URI})
	})
	if err != nil {
		return exitUsage, err
	}
	src, err := sourceOf(o, demoOnly)
	if err != nil {
		return exitUsage, err
	}
	resolver, source, err := newResolver(src, o)
	if err != nil {
		return exitUsage, err
	}
	fmt.Fprintf(stderr, "sipdisco: answering from %s\n", source.Description)
	// The source names the view (check.Options.ViewOf), as for check.
	env := check.Env{Resolver: resolver, Source: source, Limits: engine.Limits{Timeout: f.timeout}}
	cfg, err := o.Config(env)
	if err != nil {
		return exitUsage, usageError{err.Error()}
	}
	// Each address's report carries every client generation's row, as
	// a check's does.
	discover, err := o.Discoverer(env)
	if err != nil {
		return exitUsage, usageError{err.Error()}
	}
	out := newRowWriter(stdout, f.format)
	bar := f.progressBar(stderr, total)
	next, err := list.lines()
	if err != nil {
		return exitError, err
	}
	_, sum, err := audit.Stream(ctx, next, cfg, audit.Options{Concurrency: f.concurrency, PerAddress: f.perAddress, Progress: bar.update, Discover: discover}, out.write)
	bar.finish()
	if err2 := out.close(); err == nil {
		err = err2
	}
	fmt.Fprintln(stderr, audit.Summarize(total, sum))
	if err != nil {
		return exitError, err
	}
	return auditExit(sum), nil
}

// options checks the flags and the arguments (pos), and returns the
// check every address gets.
func (f *auditFlags) options(pos []string) (check.Options, error) {
	o, err := f.bind.Options()
	if err != nil {
		return o, usageError{err.Error()}
	}
	switch {
	case len(pos) != 1:
		return o, usagef("give one FILE, or - for standard input (run sipdisco audit -h for help)")
	case f.json:
		f.format = "json"
	}
	switch {
	case f.format != "csv" && f.format != "json":
		return o, usagef("--format %q: want csv or json", f.format)
	case f.concurrency < 1 || f.concurrency > 256:
		return o, usagef("--concurrency %d: want 1 to 256", f.concurrency)
	case f.progress != "" && f.progress != "on" && f.progress != "off":
		return o, usagef("--progress %q: want on, off or empty", f.progress)
	}
	// A bad manual server or trusted domain is the user's input: find out
	// before auditing thousands of addresses.
	if _, err := o.Config(check.Env{}); err != nil {
		return o, usageError{err.Error()}
	}
	return o, nil
}

// auditList is the list an audit reads twice: FILE, or standard input
// copied to a temporary file (so that it is not held in memory).
type auditList struct {
	f    *os.File
	name string // for messages: the file's, or "stdin"
	temp bool
}

// openAuditList opens name, or copies stdin for "-".
func openAuditList(name string, stdin io.Reader) (*auditList, error) {
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		return &auditList{f: f, name: name}, nil
	}
	f, err := os.CreateTemp("", "sipdisco-audit-*.txt")
	if err != nil {
		return nil, fmt.Errorf("copying standard input: %w", err)
	}
	l := &auditList{f: f, name: "stdin", temp: true}
	if _, err := io.Copy(f, stdin); err != nil {
		l.close()
		return nil, fmt.Errorf("copying standard input: %w", err)
	}
	return l, nil
}

// lines returns a reader of the list's lines from its start, for
// audit.Stream.
func (l *auditList) lines() (func() (audit.Line, error), error) {
	if _, err := l.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	ls, err := audit.NewLines(l.f)
	if err != nil {
		return nil, usagef("%s: %v", l.name, err)
	}
	return ls.Next, nil
}

// each calls fn with every line of the list, from its start.
func (l *auditList) each(fn func(audit.Line)) error {
	next, err := l.lines()
	if err != nil {
		return err
	}
	for {
		line, err := next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return usagef("%s: %v", l.name, err)
		}
		fn(line)
	}
}

func (l *auditList) close() {
	l.f.Close()
	if l.temp {
		os.Remove(l.f.Name())
	}
}

// openList opens the list a command reads, FILE or - for standard input,
// and returns it with the name its messages give it ("stdin" for -) and
// the function that closes it.
func openList(name string, stdin io.Reader) (io.Reader, string, func(), error) {
	if name == "-" {
		return stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, name, nil, usageError{err.Error()}
	}
	return f, name, func() { f.Close() }, nil
}

// auditExit is audit's exit status for the counts of rows by outcome
// and by state (audit.Run).
func auditExit(sum map[string]int) int {
	switch {
	case sum[audit.OutcomeBadInput] > 0:
		return exitUsage
	case sum[string(engine.OutcomeFail)] > 0:
		return exitFail
	case sum[string(engine.OutcomeIndeterminate)] > 0:
		return exitIndeterminate
	case sum[string(engine.StateSignsInWithProblems)] > 0:
		return exitProblems
	}
	return exitConnect
}

// rowWriter writes rows as CSV or as one JSON array, streaming.
type rowWriter struct {
	w      *bufio.Writer
	csv    *csv.Writer
	json   bool
	n      int
	header bool
}

func newRowWriter(w io.Writer, format string) *rowWriter {
	rw := &rowWriter{w: bufio.NewWriter(w), json: format == "json"}
	if !rw.json {
		rw.csv = csv.NewWriter(rw.w)
	}
	return rw
}

func (rw *rowWriter) write(r audit.Row) error {
	if rw.json {
		b, err := marshalJSON(r)
		if err != nil {
			return err
		}
		sep := ",\n  "
		if rw.n == 0 {
			sep = "[\n  "
		}
		rw.n++
		rw.w.WriteString(sep)
		_, err = rw.w.Write(b)
		return err
	}
	if !rw.header {
		rw.header = true
		rw.csv.Write(audit.Header)
	}
	rw.csv.Write(r.Record())
	return rw.csv.Error()
}

func (rw *rowWriter) close() error {
	if rw.json {
		if rw.n == 0 {
			rw.w.WriteString("[")
		}
		rw.w.WriteString("\n]\n")
	} else {
		if !rw.header {
			rw.csv.Write(audit.Header)
		}
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return err
		}
	}
	return rw.w.Flush()
}

// progressBar returns the bar of total lines on w: on a terminal (or
// with --progress on, drawn with plain carriage returns where w is not
// one), none with --progress off. Its methods do nothing on a nil bar.
func (f *auditFlags) progressBar(w io.Writer, total int) *progressBar {
	caps := console.Detect(w)
	switch {
	case f.progress == "off":
		return nil
	case f.progress == "on" && !caps.Terminal:
		caps = console.Caps{Terminal: true}
	case !caps.Terminal:
		return nil
	}
	return &progressBar{status: console.NewStatus(w, caps), total: total}
}

// progressBar draws "[#####.....] 512/10000 addresses" on one line,
// redrawn at most every 100 ms.
type progressBar struct {
	status *console.Status
	total  int
	last   time.Time
}

func (p *progressBar) update(done int) {
	if p == nil || p.total == 0 {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond || done == p.total {
		p.last = now
		const width = 30
		fill := width * done / p.total
		p.status.Show(fmt.Sprintf("[%s%s] %d/%d addresses", strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, p.total))
	}
}

func (p *progressBar) finish() {
	if p != nil {
		p.status.Clear()
	}
}

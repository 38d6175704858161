//go:build !js

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/audit"
	"github.com/sipdisco/sipdisco/engine/check"
)

// MaxAuditLines bounds the addresses one audit reads.
const MaxAuditLines = 1_000_000

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
	a.bind = check.Bind(fs, check.Defaults(), flagEnv, check.GroupClient, check.GroupPolicy, check.GroupManual, check.GroupAnswers)
	fs.DurationVar(&a.timeout, "timeout", 10*time.Second, "time limit for each address")
	fs.BoolVar(&a.json, "json", false, "same as --format json")
	fs.StringVar(&a.format, "format", "csv", "output `format`: csv or json")
	fs.IntVar(&a.concurrency, "concurrency", 8, "addresses checked at the same time")
	fs.BoolVar(&a.perAddress, "per-address", false, "run discovery for every address, not once per domain (for DNS that answers differently each time)")
	fs.StringVar(&a.progress, "progress", "", "progress bar on stderr: `on`, off, or empty for only on a terminal")
}

func runAudit(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	var f auditFlags
	fs := newFlagSet("audit")
	f.register(fs)
	pos, err := parseFlags(fs, args, stdout, usageOf("audit"))
	if err != nil {
		return exitUsage, err
	}
	bind, timeout, jsonOut, format, concurrency, perAddress, progress := f.bind, &f.timeout, &f.json, &f.format, &f.concurrency, &f.perAddress, &f.progress
	o, err := bind.Options()
	if err != nil {
		return exitUsage, usageError{err.Error()}
	}
	if len(pos) != 1 {
		return exitUsage, usagef("give one FILE, or - for standard input (run sipdisco audit -h for help)")
	}
	if *jsonOut {
		*format = "json"
	}
	if *format != "csv" && *format != "json" {
		return exitUsage, usagef("--format %q: want csv or json", *format)
	}
	if *concurrency < 1 || *concurrency > 256 {
		return exitUsage, usagef("--concurrency %d: want 1 to 256", *concurrency)
	}
	if *progress != "" && *progress != "on" && *progress != "off" {
		return exitUsage, usagef("--progress %q: want on, off or empty", *progress)
	}
	// A bad manual server or trusted domain is the user's input: find out
	// before auditing thousands of addresses.
	if _, err := o.Config(check.Env{}); err != nil {
		return exitUsage, usageError{err.Error()}
	}

	name := pos[0]
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return exitUsage, usageError{err.Error()}
		}
		defer f.Close()
		in = f
	} else {
		name = "stdin"
	}
	lines, err := audit.ReadLines(in, MaxAuditLines)
	if err != nil {
		return exitUsage, usagef("%s: %v", name, err)
	}
	var uris []engine.URI
	for _, l := range lines {
		if l.Err != nil {
			fmt.Fprintf(stderr, "sipdisco audit: %s:%d: %v\n", name, l.N, l.Err)
			continue
		}
		uris = append(uris, l.URI)
	}
	resolver, desc, err := resolverFor(o, uris)
	if err != nil {
		return exitUsage, err
	}
	if desc != "" {
		fmt.Fprintf(stderr, "sipdisco: answering from %s\n", desc)
	}
	cfg, err := o.Config(check.Env{Resolver: resolver, Limits: engine.Limits{Timeout: *timeout}})
	if err != nil {
		return exitUsage, usageError{err.Error()}
	}

	out := newRowWriter(stdout, *format)
	var bar *progressBar
	if *progress == "on" || *progress == "" && isTerminal(stderr) {
		bar = &progressBar{w: stderr, total: len(lines)}
	}
	sum, err := audit.Run(ctx, lines, cfg, audit.Options{Concurrency: *concurrency, PerAddress: *perAddress, Progress: bar.update}, out.write)
	bar.finish()
	if err2 := out.close(); err == nil {
		err = err2
	}
	fmt.Fprintln(stderr, audit.Summarize(len(lines), sum))
	if err != nil {
		return exitError, err
	}
	switch {
	case sum[audit.OutcomeBadInput] > 0:
		return exitUsage, nil
	case sum[string(engine.OutcomeFail)] > 0:
		return exitFail, nil
	case sum[string(engine.OutcomeIndeterminate)] > 0:
		return exitIndeterminate, nil
	}
	return exitConnect, nil
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
		b, err := json.Marshal(r)
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

// isTerminal reports whether w is a terminal, where a progress bar helps
// and does not end up in a log.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBar draws "[#####.....] 512/10000 addresses" on one line,
// redrawn at most every 100 ms. Its methods do nothing on a nil bar.
type progressBar struct {
	w     io.Writer
	total int
	last  time.Time
	drawn bool
}

func (p *progressBar) update(done int) {
	if p == nil || p.total == 0 {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond || done == p.total {
		p.last = now
		const width = 30
		fill := width * done / p.total
		var b bytes.Buffer
		fmt.Fprintf(&b, "\r[%s%s] %d/%d addresses", strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, p.total)
		p.w.Write(b.Bytes())
		p.drawn = true
	}
}

func (p *progressBar) finish() {
	if p != nil && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

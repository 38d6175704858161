//go:build !js

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/sipdisco/sipdisco/engine"
)

// Limits on an audit file.
const (
	// MaxAuditLines bounds the lines one audit reads.
	MaxAuditLines = 1_000_000
	// maxAuditLine bounds one line; longer lines are reported as bad.
	maxAuditLine = 4096
)

// auditOptions are audit's flags: check's resolver and policy flags plus
// the output format and the concurrency.
type auditOptions struct {
	checkOptions
	format      string
	concurrency int
	// perAddress runs discovery for every address, not once per domain.
	perAddress bool
	// progress forces the progress bar on or off; "" means only when
	// stderr is a terminal.
	progress string
}

// auditLine is one address line of the input.
type auditLine struct {
	n    int    // 1-based line number
	text string // the address as written
	uri  engine.URI
	err  error // why the line is not an address
}

// auditRow is one output row: CSV columns in this order, JSON field names.
type auditRow struct {
	Line      int    `json:"line"`
	Address   string `json:"address"`
	Domain    string `json:"domain"`
	Profile   string `json:"profile"`
	Outcome   string `json:"outcome"`
	Target    string `json:"target"`
	Port      uint16 `json:"port,omitempty"`
	Transport string `json:"transport"`
	Source    string `json:"source"`
	Error     string `json:"error"`
}

// auditHeader is the CSV header row.
var auditHeader = []string{"address", "domain", "profile", "outcome", "target", "port", "transport", "source", "error"}

// outcomeBadInput marks rows for lines that are not sign-in addresses.
const outcomeBadInput = "bad-input"

func runAudit(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, `Usage: sipdisco audit [flags] FILE

Runs discovery for every sign-in address in FILE (- reads standard input): one
address per line; blank lines and # comments are ignored. Writes one CSV row (or
JSON object) per address, in input order, and a summary line on stderr.
Exit status: 2 if a line is not an address (the rest are still audited), else 3
if any address fails, else 4 if any is indeterminate, else 0.

Flags:
`)
		fs.PrintDefaults()
	}
	var o auditOptions
	o.discoveryFlags(fs)
	fs.BoolVar(&o.json, "json", false, "same as --format json")
	fs.StringVar(&o.format, "format", "csv", "output `format`: csv or json")
	fs.IntVar(&o.concurrency, "concurrency", 8, "addresses checked at the same time")
	fs.BoolVar(&o.perAddress, "per-address", false, "run discovery for every address, not once per domain (for DNS that answers differently each time)")
	fs.StringVar(&o.progress, "progress", "", "progress bar on stderr: `on`, off, or empty for only on a terminal")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, nil
		}
		return exitUsage, usageError{err.Error()}
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage, usagef("give one FILE (or - for standard input)")
	}
	if o.json {
		o.format = "json"
	}
	if o.format != "csv" && o.format != "json" {
		return exitUsage, usagef("--format %q: want csv or json", o.format)
	}
	if o.concurrency < 1 || o.concurrency > 256 {
		return exitUsage, usagef("--concurrency %d: want 1 to 256", o.concurrency)
	}
	if o.progress != "" && o.progress != "on" && o.progress != "off" {
		return exitUsage, usagef("--progress %q: want on, off or empty", o.progress)
	}
	if _, err := engine.LookupProfile(o.profile); err != nil {
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
	lines, err := readAuditLines(in)
	if err != nil {
		return exitUsage, usagef("%s: %v", name, err)
	}
	var uris []engine.URI
	for _, l := range lines {
		if l.err != nil {
			fmt.Fprintf(stderr, "sipdisco audit: %s:%d: %v\n", name, l.n, l.err)
			continue
		}
		uris = append(uris, l.uri)
	}
	resolver, desc, err := o.resolver(uris)
	if err != nil {
		return exitUsage, err
	}
	if desc != "" {
		fmt.Fprintf(stderr, "sipdisco: answering from %s\n", desc)
	}
	cfg := o.config(resolver)
	// A bad manual server or trusted domain is the user's input: find out
	// before auditing thousands of addresses.
	if len(uris) > 0 {
		if _, err := engine.Discover(ctx, engine.URI{Scheme: "sip", User: "x", Domain: "invalid"}, withResolver(cfg, engine.ResolverFunc(refuseAll))); err != nil {
			return exitUsage, usageError{err.Error()}
		}
	}

	out := newRowWriter(stdout, o.format)
	var bar *progressBar
	if o.progress == "on" || o.progress == "" && isTerminal(stderr) {
		bar = &progressBar{w: stderr, total: len(lines)}
	}
	sum, err := audit(ctx, lines, cfg, o.concurrency, o.perAddress, out.write, bar.update)
	bar.finish()
	if err2 := out.close(); err == nil {
		err = err2
	}
	fmt.Fprintf(stderr, "%d addresses: %d connect, %d fail, %d indeterminate, %d bad input\n",
		len(lines), sum[string(engine.OutcomeConnect)], sum[string(engine.OutcomeFail)], sum[string(engine.OutcomeIndeterminate)], sum[outcomeBadInput])
	if err != nil {
		return exitError, err
	}
	switch {
	case sum[outcomeBadInput] > 0:
		return exitUsage, nil
	case sum[string(engine.OutcomeFail)] > 0:
		return exitFail, nil
	case sum[string(engine.OutcomeIndeterminate)] > 0:
		return exitIndeterminate, nil
	}
	return exitConnect, nil
}

func withResolver(c engine.Config, r engine.Resolver) engine.Config {
	c.Resolver = r
	return c
}

func refuseAll(context.Context, engine.Question) (engine.Answer, error) {
	return engine.Answer{RCode: engine.RCodeRefused}, nil
}

// readAuditLines reads one address per line: blank lines and lines whose
// first non-blank character is # are skipped, and " #" starts a trailing
// comment (# cannot appear in a sign-in address unescaped). Lines that
// are not addresses come back with err set; only a read failure or too
// many lines is an error.
func readAuditLines(r io.Reader) ([]auditLine, error) {
	br := bufio.NewReaderSize(r, maxAuditLine)
	var out []auditLine
	for n := 1; ; n++ {
		raw, err := br.ReadSlice('\n')
		long := false
		head := ""
		for errors.Is(err, bufio.ErrBufferFull) {
			if !long {
				head = string(raw[:64]) // raw is reused by the next read
			}
			long = true
			_, err = br.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(raw) == 0 && err == io.EOF && !long {
			return out, nil
		}
		line := strings.TrimSpace(string(raw))
		if i := strings.IndexAny(line, "#"); i >= 0 && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			line = strings.TrimSpace(line[:i])
		}
		switch {
		case long:
			out = append(out, auditLine{n: n, text: head + "...", err: fmt.Errorf("line longer than %d bytes", maxAuditLine)})
		case line == "":
		default:
			u, perr := engine.ParseURI(line)
			out = append(out, auditLine{n: n, text: line, uri: u, err: perr})
		}
		if len(out) > MaxAuditLines {
			return nil, fmt.Errorf("more than %d addresses; split the file", MaxAuditLines)
		}
		if err == io.EOF {
			return out, nil
		}
	}
}

// audit runs discovery for every line with at most concurrency at once
// and calls emit with each row in input order as soon as it and every
// row before it are done. Unless perAddress, discovery runs once per
// domain and its result serves every address of that domain: the report
// depends only on the domain, the profile and the policy. progress, if
// not nil, is called with the number of lines done. It returns the count
// of rows by outcome.
func audit(ctx context.Context, lines []auditLine, cfg engine.Config, concurrency int, perAddress bool,
	emit func(auditRow) error, progress func(done int)) (map[string]int, error) {
	type domainResult struct {
		done chan struct{}
		rep  *engine.Report
		err  error
	}
	var (
		mu      sync.Mutex
		rows    = make([]*auditRow, len(lines))
		next    int
		done    int
		emitErr error
		byDom   = map[string]*domainResult{}
		sum     = map[string]int{}
	)
	finish := func(i int, row auditRow) {
		mu.Lock()
		defer mu.Unlock()
		rows[i] = &row
		done++
		for next < len(rows) && rows[next] != nil {
			if emitErr == nil {
				emitErr = emit(*rows[next])
			}
			sum[rows[next].Outcome]++
			rows[next] = nil // release it
			next++
		}
		if progress != nil {
			progress(done)
		}
	}
	discover := func(l auditLine) (*engine.Report, error) {
		if perAddress {
			return engine.Discover(ctx, l.uri, cfg)
		}
		mu.Lock()
		r, ok := byDom[l.uri.Domain]
		if !ok {
			r = &domainResult{done: make(chan struct{})}
			byDom[l.uri.Domain] = r
		}
		mu.Unlock()
		if !ok {
			r.rep, r.err = engine.Discover(ctx, l.uri, cfg)
			close(r.done)
		}
		<-r.done
		return r.rep, r.err
	}

	work := make(chan int)
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for range concurrency {
		wg.Go(func() {
			for i := range work {
				l := lines[i]
				if l.err != nil {
					finish(i, auditRow{Line: l.n, Address: l.text, Outcome: outcomeBadInput, Error: l.err.Error()})
					continue
				}
				rep, err := discover(l)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					finish(i, auditRow{Line: l.n, Address: l.text, Domain: l.uri.Domain, Outcome: outcomeBadInput, Error: err.Error()})
					continue
				}
				finish(i, rowFor(l, rep))
			}
		})
	}
feed:
	for i := range lines {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	if firstErr != nil && errors.Is(firstErr, context.Canceled) {
		return sum, firstErr
	}
	return sum, emitErr
}

// rowFor reduces a report to its row; Error is the first error finding.
func rowFor(l auditLine, rep *engine.Report) auditRow {
	row := auditRow{Line: l.n, Address: l.text, Domain: rep.Domain, Profile: rep.Profile, Outcome: string(rep.Outcome)}
	if t := rep.Target; t != nil {
		row.Target, row.Port, row.Transport, row.Source = t.Host, t.Port, string(t.Transport), t.Source
	}
	for _, f := range rep.Findings {
		if f.Severity == engine.SeverityError {
			row.Error = f.Kind + ": " + f.Message
			break
		}
	}
	return row
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

func (rw *rowWriter) write(r auditRow) error {
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
		rw.csv.Write(auditHeader)
	}
	port := ""
	if r.Port != 0 {
		port = strconv.Itoa(int(r.Port))
	}
	rec := []string{r.Address, r.Domain, r.Profile, r.Outcome, r.Target, port, r.Transport, r.Source, r.Error}
	for i, s := range rec {
		rec[i] = csvSafe(s)
	}
	rw.csv.Write(rec)
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
			rw.csv.Write(auditHeader)
		}
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return err
		}
	}
	return rw.w.Flush()
}

// csvSafe defuses a cell a spreadsheet would run as a formula (an address
// line is the user's text, and DNS data is hostile): it gets a leading '.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
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

package audit

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/textenc"
)

// MaxLine bounds one line; longer lines are reported as bad.
const MaxLine = 4096

// OutcomeBadInput marks rows for lines that are not sign-in addresses.
const OutcomeBadInput = "bad-input"

// Line is one address line of the input.
type Line struct {
	N    int    // 1-based line number
	Text string // the address as written
	URI  engine.URI
	Err  error // why the line is not an address
}

// Row is one output row: CSV columns in Header's order, JSON field names.
type Row struct {
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
	// State is the report's state (engine.StateOf): signs-in,
	// signs-in-with-problems, does-not-sign-in or unknown; empty for a
	// bad line. It is the last CSV column, after the generations, so
	// that the columns before it keep their places.
	State string `json:"state"`
	// Clients are every client generation's outcome for the address at
	// a glance, from the same answers (engine.Report.Clients): present
	// when the discovery computed them (Options.Discover).
	Clients []engine.ClientRow `json:"clients,omitempty"`
}

// Header is the CSV header row: the row's fields, then a column per
// client generation (Generations), each cell the generation's outcome
// and, when it connects, its target ("connect pool01.contoso.com:5061
// TLS"), then the state (Row.State).
var Header = append(append([]string{"address", "domain", "profile", "outcome", "target", "port", "transport", "source", "error"}, Generations()...), "state")

// Generations names the at-a-glance client generations, the last columns
// of Header, oldest first: the profiles of engine.GlanceProfiles. A
// generation's column holds the row of the profile the audit's client
// stands for in it: lync-2010-cu's in the lync-2010 column when it is the
// audit's client.
func Generations() []string {
	var out []string
	for _, p := range engine.GlanceProfiles(engine.DefaultProfile) {
		out = append(out, p.Name)
	}
	return out
}

// ReadLines reads one address per line: blank lines and lines whose first
// non-blank character is # are skipped, and " #" starts a trailing comment
// (# cannot appear in a sign-in address unescaped). Lines that are not
// addresses come back with Err set; only a read failure, an input that is
// not text (a *textenc.Error) or more than max addresses is an error.
//
// The list may be UTF-8, with or without the byte-order mark Notepad
// writes, or UTF-16 with a byte-order mark, as Windows PowerShell 5's
// Out-File and ">" write it; lines may end in LF, CRLF or CR. A line that
// is not UTF-8 is a bad line saying so, since a list in a legacy encoding
// such as Windows-1252 is readable except where it is not ASCII.
func ReadLines(r io.Reader, max int) ([]Line, error) {
	ls, err := NewLines(r)
	if err != nil {
		return nil, err
	}
	var out []Line
	for {
		l, err := ls.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if out = append(out, l); len(out) > max {
			return nil, fmt.Errorf("more than %d addresses; split the list", max)
		}
	}
}

// Lines reads a list's lines one at a time, as ReadLines does, holding
// one line at a time: an audit of a list of any length reads it with
// memory that does not grow with it.
type Lines struct {
	lr *lineReader
	n  int
}

// NewLines returns a reader of r's lines; the error is ReadLines's for an
// input that is not text.
func NewLines(r io.Reader) (*Lines, error) {
	text, _, err := textenc.NewReader(r)
	if err != nil {
		return nil, err
	}
	return &Lines{lr: &lineReader{br: bufio.NewReaderSize(text, MaxLine)}}, nil
}

// Next returns the next line that is not blank or a comment; the error
// is io.EOF after the last, or the read failure.
func (s *Lines) Next() (Line, error) {
	for {
		raw, long, err := s.lr.next()
		if err != nil {
			return Line{}, err
		}
		s.n++
		if l, ok := parseLine(s.n, raw, long); ok {
			return l, nil
		}
	}
}

// parseLine turns line n of the list into a Line; ok is false for a blank
// or comment line.
func parseLine(n int, raw []byte, long bool) (l Line, ok bool) {
	if long {
		cut := 64
		for cut > 0 && !utf8.RuneStart(raw[cut]) {
			cut-- // do not cut a character in two
		}
		return Line{N: n, Text: string(raw[:cut]) + "...", Err: fmt.Errorf("line longer than %d bytes", MaxLine)}, true
	}
	line := strings.TrimSpace(string(raw))
	if i := strings.IndexAny(line, "#"); i >= 0 && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
		line = strings.TrimSpace(line[:i])
	}
	if line == "" {
		return Line{}, false
	}
	if !utf8.ValidString(line) {
		return Line{N: n, Text: line, Err: notUTF8(line)}, true
	}
	u, err := engine.ParseURI(line)
	return Line{N: n, Text: line, URI: u, Err: err}, true
}

// notUTF8 says where line stops being UTF-8 and what that suggests.
func notUTF8(line string) error {
	i := 0
	for i < len(line) {
		r, size := utf8.DecodeRuneInString(line[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	return fmt.Errorf("not UTF-8 text: byte 0x%02X at offset %d; the list seems to be in a legacy encoding such as Windows-1252: %s", line[i], i, textenc.SaveAsUTF8)
}

// Options configure Run.
type Options struct {
	// Concurrency is how many addresses are checked at once; below 1 is 1.
	Concurrency int
	// PerAddress runs discovery for every address, not once per domain.
	PerAddress bool
	// Progress, if not nil, is called with the number of lines done.
	Progress func(done int)
	// Report, if not nil, is called with each line's report (shared by
	// the lines of one domain) before its row is emitted.
	Report func(i int, rep *engine.Report)
	// Discover, if not nil, runs each discovery in place of
	// engine.Discover with Run's cfg: the front ends pass check's
	// (check.Options.Discoverer), whose reports carry every client
	// generation's row (engine.Report.Clients), which the rows then
	// carry too.
	Discover func(ctx context.Context, u engine.URI) (*engine.Report, error)
}

// Run runs discovery for every line and calls emit with each row in input
// order as soon as it and every row before it are done. Unless
// o.PerAddress, discovery runs once per domain and its result serves every
// address of that domain. It returns the count of rows by outcome and by
// state (the keys do not overlap: "connect", "signs-in", ...); its
// error is the context's, or emit's first.
func Run(ctx context.Context, lines []Line, cfg engine.Config, o Options, emit func(Row) error) (map[string]int, error) {
	i := 0
	next := func() (Line, error) {
		if i == len(lines) {
			return Line{}, io.EOF
		}
		i++
		return lines[i-1], nil
	}
	_, sum, err := Stream(ctx, next, cfg, o, emit)
	return sum, err
}

// MaxDomains bounds the domains whose discovery Stream keeps to serve
// their other addresses; beyond it the domain seen longest ago is
// forgotten, and discovered again if it comes back.
const MaxDomains = 4096

// Stream is Run over the lines next returns until io.EOF, read as they
// are needed: at most a few lines per unit of o.Concurrency are held
// (being checked, or done and waiting for an earlier row), and at most
// MaxDomains domains' reports, so memory does not grow with the number
// of lines. It returns the number of lines read; its error is also
// next's, other than io.EOF.
func Stream(ctx context.Context, next func() (Line, error), cfg engine.Config, o Options, emit func(Row) error) (int, map[string]int, error) {
	type domainResult struct {
		done chan struct{}
		rep  *engine.Report
		err  error
	}
	workers := max(o.Concurrency, 1)
	window := 4*workers + 16
	var (
		mu      sync.Mutex
		pending = map[int]Row{} // done, waiting for an earlier row
		emitted int
		done    int
		emitErr error
		byDom   = map[string]*domainResult{}
		domains []string // byDom's keys, a ring whose oldest is at oldest
		oldest  int
		sum     = map[string]int{}
		// slots holds a token for each line read and not yet emitted.
		slots = make(chan struct{}, window)
	)
	finish := func(i int, row Row) {
		mu.Lock()
		defer mu.Unlock()
		pending[i] = row
		done++
		for {
			r, ok := pending[emitted]
			if !ok {
				break
			}
			delete(pending, emitted)
			if emitErr == nil {
				emitErr = emit(r)
			}
			sum[r.Outcome]++
			if r.State != "" {
				sum[r.State]++
			}
			emitted++
			<-slots
		}
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	one := o.Discover
	if one == nil {
		one = func(ctx context.Context, u engine.URI) (*engine.Report, error) { return engine.Discover(ctx, u, cfg) }
	}
	discover := func(l Line) (*engine.Report, error) {
		if o.PerAddress {
			return one(ctx, l.URI)
		}
		mu.Lock()
		r, ok := byDom[l.URI.Domain]
		if !ok {
			r = &domainResult{done: make(chan struct{})}
			byDom[l.URI.Domain] = r
			if len(domains) < MaxDomains {
				domains = append(domains, l.URI.Domain)
			} else {
				// The oldest is forgotten; whoever waits for it holds
				// its result.
				delete(byDom, domains[oldest])
				domains[oldest] = l.URI.Domain
				oldest = (oldest + 1) % MaxDomains
			}
		}
		mu.Unlock()
		if !ok {
			r.rep, r.err = one(ctx, l.URI)
			close(r.done)
		}
		<-r.done
		return r.rep, r.err
	}

	type job struct {
		i int
		l Line
	}
	work := make(chan job)
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for range workers {
		wg.Go(func() {
			for j := range work {
				l := j.l
				if l.Err != nil {
					finish(j.i, Row{Line: l.N, Address: l.Text, Outcome: OutcomeBadInput, Error: l.Err.Error()})
					continue
				}
				rep, err := discover(l)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					finish(j.i, Row{Line: l.N, Address: l.Text, Domain: l.URI.Domain, Outcome: OutcomeBadInput, Error: err.Error()})
					continue
				}
				if o.Report != nil {
					o.Report(j.i, rep)
				}
				finish(j.i, RowFor(l, rep))
			}
		})
	}
	n := 0
	var readErr error
feed:
	for {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break feed
		}
		l, err := next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = err
			}
			break
		}
		select {
		case work <- job{n, l}:
			n++
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return n, sum, err
	}
	if firstErr != nil && errors.Is(firstErr, context.Canceled) {
		return n, sum, firstErr
	}
	if readErr != nil {
		return n, sum, readErr
	}
	return n, sum, emitErr
}

// RowFor reduces a report to line l's row; Error is the first error
// finding, "kind: message"; State is engine.StateOf's; Clients are the
// report's.
func RowFor(l Line, rep *engine.Report) Row {
	row := Row{Line: l.N, Address: l.Text, Domain: rep.Domain, Profile: rep.Profile, Outcome: string(rep.Outcome),
		State: string(engine.StateOf(rep)), Clients: rep.Clients}
	if t := rep.Target; t != nil {
		row.Target, row.Port, row.Transport, row.Source = t.Host, t.Port, string(t.Transport), t.Source
	}
	for _, f := range rep.Findings {
		if f.Severity == engine.SeverityError {
			row.Error = string(f.Kind) + ": " + f.Message
			break
		}
	}
	return row
}

// Record returns r as a CSV record in Header's order, every cell defused
// with CSVSafe.
func (r Row) Record() []string {
	port := ""
	if r.Port != 0 {
		port = strconv.Itoa(int(r.Port))
	}
	rec := []string{r.Address, r.Domain, r.Profile, r.Outcome, r.Target, port, r.Transport, r.Source, r.Error}
	rec = append(rec, r.GenerationCells()...)
	rec = append(rec, r.State)
	for i, s := range rec {
		rec[i] = CSVSafe(s)
	}
	return rec
}

// GenerationCells returns the row's cells of Header's generation
// columns: each generation's outcome, and its target when it connects
// ("connect pool01.contoso.com:5061 TLS"); empty where the row has no
// row of that generation (a bad line, a discovery without the rows).
func (r Row) GenerationCells() []string {
	cells := make([]string, len(Generations()))
	for i, p := range engine.GlanceProfiles(r.Profile) {
		for _, c := range r.Clients {
			if c.Profile != p.Name {
				continue
			}
			cells[i] = string(c.Outcome)
			if c.Target != "" {
				cells[i] += " " + c.Target
			}
		}
	}
	return cells
}

// WriteCSV writes the header and rows as CSV.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	cw.Write(Header)
	for _, r := range rows {
		cw.Write(r.Record())
	}
	cw.Flush()
	return cw.Error()
}

// CSVSafe makes s safe to put in a CSV cell, since an address line is the
// user's text and DNS data is hostile. Control characters (C0, DEL and C1)
// and bytes that are not UTF-8 become \xNN escapes and bidirectional
// formatting characters \uNNNN, as the text output writes them
// (textenc.Escape), so that printing the file cannot move the cursor,
// clear the screen, change colours or reorder a cell; and a cell a
// spreadsheet would run as a formula gets a leading '.
func CSVSafe(s string) string {
	s = textenc.Escape(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Summary is the count of rows by outcome, and of the connecting rows by
// state: SignsIn + WithProblems = Connect.
type Summary struct {
	Total         int `json:"total"`
	Connect       int `json:"connect"`
	Fail          int `json:"fail"`
	Indeterminate int `json:"indeterminate"`
	BadInput      int `json:"badInput"`
	SignsIn       int `json:"signsIn"`
	WithProblems  int `json:"signsInWithProblems"`
}

// Summarize turns Run's counts into a Summary of total rows.
func Summarize(total int, sum map[string]int) Summary {
	return Summary{Total: total, Connect: sum[string(engine.OutcomeConnect)], Fail: sum[string(engine.OutcomeFail)],
		Indeterminate: sum[string(engine.OutcomeIndeterminate)], BadInput: sum[OutcomeBadInput],
		SignsIn: sum[string(engine.StateSignsIn)], WithProblems: sum[string(engine.StateSignsInWithProblems)]}
}

// String is the summary line: "12 addresses: 9 connect (7 sign in, 2
// with problems), 2 fail, 0 indeterminate, 1 bad input".
func (s Summary) String() string {
	return fmt.Sprintf("%d addresses: %d connect (%d sign in, %d with problems), %d fail, %d indeterminate, %d bad input",
		s.Total, s.Connect, s.SignsIn, s.WithProblems, s.Fail, s.Indeterminate, s.BadInput)
}

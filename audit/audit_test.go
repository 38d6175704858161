package audit

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/textenc"
)

func TestReadLines(t *testing.T) {
	long := strings.Repeat("a", MaxLine+10) + "@contoso.com"
	lines, err := ReadLines(strings.NewReader("# c\n\nbob@contoso.com\r\n"+long+"\n  carol@contoso.com #x\nsip:dave@contoso.com"), 10)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		N    int
		Text string
		Bad  bool
	}
	var g []got
	for _, l := range lines {
		g = append(g, got{l.N, l.Text, l.Err != nil})
	}
	want := []got{{3, "bob@contoso.com", false}, {4, strings.Repeat("a", 64) + "...", true}, {5, "carol@contoso.com", false}, {6, "sip:dave@contoso.com", false}}
	if diff := cmp.Diff(g, want); diff != "" {
		t.Errorf("ReadLines (-got +want):\n%s", diff)
	}
}

func TestReadLinesLimit(t *testing.T) {
	in := strings.Repeat("bob@contoso.com\n# comment\n\n", 3)
	if _, err := ReadLines(strings.NewReader(in), 3); err != nil {
		t.Errorf("ReadLines(3 addresses, 3) = %v; want no error (comments and blanks do not count)", err)
	}
	if _, err := ReadLines(strings.NewReader(in), 2); err == nil || !strings.Contains(err.Error(), "more than 2 addresses") {
		t.Errorf("ReadLines(3 addresses, 2) = %v; want more than 2 addresses", err)
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-x": "'-x", "@x": "'@x", "bob@x": "bob@x", "": ""} {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q; want %q", in, got, want)
		}
	}
}

// fakeDNS answers A questions for the fallback host sipinternal of every domain except
// those starting with "none", and nothing else.
func fakeDNS(calls *atomic.Int64) engine.Resolver {
	return engine.ResolverFunc(func(_ context.Context, q engine.Question) (engine.Answer, error) {
		if q.Type == engine.TypeSRV {
			calls.Add(1)
		}
		if q.Type == engine.TypeA && strings.HasPrefix(q.Name, "sipinternal.") && !strings.HasPrefix(q.Name, "sipinternal.none") {
			return engine.Answer{Records: []engine.Record{{Name: q.Name, Type: engine.TypeA, TTL: 60, Addr: netip.MustParseAddr("192.0.2.1")}}}, nil
		}
		return engine.Answer{RCode: engine.RCodeNameError}, nil
	})
}

func TestRun(t *testing.T) {
	var in strings.Builder
	for i := range 40 {
		fmt.Fprintf(&in, "user%d@d%d.example\n", i, i%4)
	}
	in.WriteString("not an address\nbob@none.example\n")
	lines, err := ReadLines(strings.NewReader(in.String()), 100)
	if err != nil {
		t.Fatal(err)
	}
	srvCalls := map[bool]int{}
	for _, perAddress := range []bool{false, true} {
		var calls atomic.Int64
		var progress int
		var rows []Row
		sum, err := Run(context.Background(), lines, engine.Config{Resolver: fakeDNS(&calls), Policy: engine.DefaultPolicy()},
			Options{Concurrency: 8, PerAddress: perAddress, Progress: func(done int) { progress = max(progress, done) }},
			func(r Row) error { rows = append(rows, r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(lines) || progress != len(lines) {
			t.Fatalf("perAddress %v: %d rows, progress %d; want %d", perAddress, len(rows), progress, len(lines))
		}
		for i, r := range rows {
			if r.Line != lines[i].N {
				t.Errorf("perAddress %v: row %d is line %d; want %d (input order)", perAddress, i, r.Line, lines[i].N)
			}
		}
		if r := rows[40]; r.Outcome != OutcomeBadInput || r.Line != 41 || r.Error == "" {
			t.Errorf("bad line row = %+v; want bad-input at line 41 with the reason", r)
		}
		if r := rows[0]; r.Outcome != "connect" || r.Target != "sipinternal.d0.example" {
			t.Errorf("first row = %+v; want connect to sipinternal.d0.example", r)
		}
		if r := rows[41]; r.Outcome == "connect" || r.Error == "" {
			t.Errorf("none.example row = %+v; want a failure with its first error finding", r)
		}
		got := Summarize(len(rows), sum)
		if got.BadInput != 1 || got.Connect != 40 || got.Total != 42 || got.SignsIn+got.WithProblems != got.Connect {
			t.Errorf("Summarize = %+v; want 40 connect, each signing in with or without problems, 1 bad input of 42", got)
		}
		srvCalls[perAddress] = int(calls.Load())
	}
	// Once per domain: five domains, 41 addresses.
	if perDomain, perAddress := srvCalls[false], srvCalls[true]; perDomain*41 != perAddress*5 {
		t.Errorf("SRV questions: %d once per domain, %d per address; want them in the ratio 5:41", perDomain, perAddress)
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	rows := []Row{{Line: 1, Address: "=cmd@x.example", Outcome: "connect", Target: "sip.x.example", Port: 5061, State: "signs-in-with-problems"}}
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// A row without at-a-glance rows has empty generation cells; the
	// state comes last.
	want := [][]string{Header, append(append([]string{"'=cmd@x.example", "", "", "connect", "sip.x.example", "5061", "", "", ""}, make([]string, len(Generations()))...), "signs-in-with-problems")}
	if diff := cmp.Diff(recs, want); diff != "" {
		t.Errorf("WriteCSV (-got +want):\n%s", diff)
	}
}

// listLines is an address list with what a list has: comments, blank
// lines, an IDN domain, a bad line, a character outside the BMP.
var listLines = []string{
	"# staff 😀",
	"bob@contoso.com",
	"",
	"  carol@bücher.example  # IDN",
	"not an address",
	"sip:dave@contoso.com",
}

// encodeList returns lines joined by eol, in the encoding named.
func encodeList(t *testing.T, lines []string, eol, enc string, final bool) []byte {
	t.Helper()
	text := strings.Join(lines, eol)
	if final {
		text += eol
	}
	switch enc {
	case "UTF-8":
		return []byte(text)
	case "UTF-8 with BOM":
		return append([]byte{0xef, 0xbb, 0xbf}, text...)
	case "UTF-16LE with BOM", "UTF-16BE with BOM", "UTF-16LE without BOM":
		var b []byte
		if !strings.Contains(enc, "without") {
			b = []byte{0xff, 0xfe}
			if strings.Contains(enc, "BE") {
				b = []byte{0xfe, 0xff}
			}
		}
		for _, u := range utf16.Encode([]rune(text)) {
			if strings.Contains(enc, "BE") {
				b = append(b, byte(u>>8), byte(u))
			} else {
				b = append(b, byte(u), byte(u>>8))
			}
		}
		return b
	}
	t.Fatalf("unknown encoding %q", enc)
	return nil
}

// TestReadLinesEncodings reads the same list in every encoding and with
// every line ending people's tools write, and wants the same lines each
// time.
func TestReadLinesEncodings(t *testing.T) {
	type got struct {
		N      int
		Text   string
		Domain string
		Err    string
	}
	read := func(b []byte) ([]got, error) {
		lines, err := ReadLines(bytes.NewReader(b), 100)
		var out []got
		for _, l := range lines {
			g := got{N: l.N, Text: l.Text, Domain: l.URI.Domain}
			if l.Err != nil {
				g.Err = l.Err.Error()
			}
			out = append(out, g)
		}
		return out, err
	}
	want, err := read([]byte(strings.Join(listLines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 4 || want[1].Domain != "xn--bcher-kva.example" || want[2].Err == "" {
		t.Fatalf("UTF-8 LF baseline = %+v; want 4 lines, the IDN converted and one bad", want)
	}
	for _, enc := range []string{"UTF-8", "UTF-8 with BOM", "UTF-16LE with BOM", "UTF-16BE with BOM"} {
		for eolName, eol := range map[string]string{"LF": "\n", "CRLF": "\r\n", "CR": "\r"} {
			for _, final := range []bool{false, true} {
				name := fmt.Sprintf("%s, %s, final end of line %v", enc, eolName, final)
				g, err := read(encodeList(t, listLines, eol, enc, final))
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if diff := cmp.Diff(g, want); diff != "" {
					t.Errorf("%s (-got +want):\n%s", name, diff)
				}
			}
		}
	}
	// Mixed line ends count one line each; CR LF is one end, LF CR two.
	g, err := read([]byte("bob@contoso.com\r\n\r\ncarol@contoso.com\rdave@contoso.com\n\rerin@contoso.com"))
	if err != nil {
		t.Fatal(err)
	}
	var ns []int
	for _, l := range g {
		ns = append(ns, l.N)
	}
	if diff := cmp.Diff(ns, []int{1, 3, 4, 6}); diff != "" {
		t.Errorf("line numbers with mixed ends (-got +want):\n%s", diff)
	}
}

// TestReadLinesOtherEncodings checks that input ReadLines cannot read is
// named, not read as a list of bad lines.
func TestReadLinesOtherEncodings(t *testing.T) {
	list := strings.Join(listLines, "\r\n")
	tests := []struct {
		name string
		in   []byte
		want string // substring of the error
	}{
		{"UTF-32LE", append([]byte{0xff, 0xfe, 0, 0}, 'b', 0, 0, 0), "the text is UTF-32 little-endian"},
		{"UTF-32BE", []byte{0, 0, 0xfe, 0xff, 0, 0, 0, 'b'}, "the text is UTF-32 big-endian"},
		{"UTF-16LE without BOM", encodeList(t, listLines, "\r\n", "UTF-16LE without BOM", true), "UTF-16 little-endian without a byte-order mark"},
		{"UTF-16BE without BOM", encodeList(t, listLines, "\r\n", "UTF-16BE with BOM", true)[2:], "UTF-16 big-endian without a byte-order mark"},
		{"xlsx", append([]byte("PK\x03\x04"), list...), "a ZIP archive"},
		{"xls", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, list...), "an Office document"},
		{"gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0}, "gzip-compressed"},
		{"binary with NUL", append([]byte("bob@contoso.com\n\x00\x01\x02"), list...), "binary data (a NUL byte at offset 16)"},
		{"UTF-16 with an odd byte", append(encodeList(t, listLines, "\n", "UTF-16LE with BOM", true), 'x'), "ends in the middle of a character"},
	}
	for _, tt := range tests {
		lines, err := ReadLines(bytes.NewReader(tt.in), 100)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ReadLines = %d lines, %v; want an error containing %q", tt.name, len(lines), err, tt.want)
		}
	}
	// A legacy 8-bit encoding is readable but for its non-ASCII lines,
	// which say what the list seems to be.
	lines, err := ReadLines(strings.NewReader("bob@contoso.com\r\nj\xf8rgen@contoso.com\r\nbob@m\xfcnchen.example\r\n"), 100)
	if err != nil || len(lines) != 3 || lines[0].Err != nil {
		t.Fatalf("Windows-1252 list: %+v, %v; want 3 lines, the first good", lines, err)
	}
	for _, l := range lines[1:] {
		if l.Err == nil || !strings.Contains(l.Err.Error(), "legacy encoding such as Windows-1252") {
			t.Errorf("line %d %q: error %v; want it to name the encoding", l.N, l.Text, l.Err)
		}
	}
	// An unpaired surrogate in UTF-16 is a bad line, not a failure.
	b := []byte{0xff, 0xfe}
	for _, u := range append(utf16.Encode([]rune("bob@contoso.com\nx")), 0xd800, 'y', '@', 'z', '.', 'c', '\n') {
		b = append(b, byte(u), byte(u>>8))
	}
	lines, err = ReadLines(bytes.NewReader(b), 100)
	if err != nil || len(lines) != 2 || lines[0].Err != nil || lines[1].Err == nil {
		t.Errorf("UTF-16 with an unpaired surrogate: %+v, %v; want a good line and a bad one", lines, err)
	}
}

// TestCSVControlCharacters checks the class of control characters in
// cells: whatever a row holds, the CSV has no control character but the
// CSV's own line ends, and no byte that is not UTF-8.
func TestCSVControlCharacters(t *testing.T) {
	isControl := func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || textenc.IsBidiControl(r) }
	var hostile []string
	for c := range rune(0xa0) {
		if isControl(c) {
			hostile = append(hostile, "a"+string(c)+"b")
		}
	}
	hostile = append(hostile, "\x1b[2J\x1b[31mred", "bad\xffutf8", "\xc3", "line\r\nbreak", "=HYPERLINK(\"x\")", "\t=1", "ok ünïcode", "x\u2066y\u061c")
	for _, h := range hostile {
		rows := []Row{{Line: 1, Address: h, Domain: h, Profile: h, Outcome: h, Target: h, Transport: h, Source: h, Error: h}}
		var b bytes.Buffer
		if err := WriteCSV(&b, rows); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !utf8.ValidString(out) {
			t.Errorf("CSV of %q is not valid UTF-8: %q", h, out)
		}
		body := strings.TrimSuffix(strings.SplitN(out, "\n", 2)[1], "\n")
		if strings.ContainsFunc(body, isControl) {
			t.Errorf("CSV of %q holds a control character: %q", h, body)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("CSV of %q does not read back: %v", h, err)
		}
		if cell := recs[1][0]; h == "ok ünïcode" && cell != h {
			t.Errorf("plain text %q came out as %q", h, cell)
		}
	}
	for in, want := range map[string]string{"\x1b[2J": `\x1b[2J`, "a\x00b": `a\x00b`, "bad\xffutf8": `bad\xffutf8`, "\u009b": `\x9b`, "=\x07": `'=\x07`, "\u202eexe.txt": `\u202eexe.txt`} {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestRunDiscover: with Options.Discover, every discovery goes through
// it, and each row carries its report's at-a-glance rows, written to the
// CSV's generation columns by generation: the Lync 2010 column holds
// lync-2010-cu's row when that is the audit's client, and a generation
// without a row is an empty cell.
func TestRunDiscover(t *testing.T) {
	lines, err := ReadLines(strings.NewReader("bob@a.example\nnot an address\n"), 10)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	clients := []engine.ClientRow{
		{Profile: "communicator-2007-r2", Outcome: engine.OutcomeFail},
		{Profile: "lync-2010-cu", Outcome: engine.OutcomeConnect, Target: "pool01.a.example:5061 TLS"},
		{Profile: "skype-2016", Outcome: engine.OutcomeIndeterminate},
	}
	discover := func(_ context.Context, u engine.URI) (*engine.Report, error) {
		calls.Add(1)
		return &engine.Report{Domain: u.Domain, Profile: "lync-2010-cu", Outcome: engine.OutcomeConnect, Clients: clients}, nil
	}
	var rows []Row
	if _, err := Run(context.Background(), lines, engine.Config{}, Options{Discover: discover}, func(r Row) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 || len(rows) != 2 {
		t.Fatalf("%d discoveries, %d rows; want 1 and 2", calls.Load(), len(rows))
	}
	if diff := cmp.Diff(rows[0].Clients, clients); diff != "" {
		t.Errorf("row clients (-got +want):\n%s", diff)
	}
	// The generations follow error; state is the last column, added
	// after them so that every earlier column keeps its place.
	gens := Generations()
	first := slices.Index(Header, "error") + 1
	if diff := cmp.Diff(Header[first:], append(slices.Clone(gens), "state")); diff != "" {
		t.Errorf("Header's last columns (-got +want):\n%s", diff)
	}
	want := map[string]string{"communicator-2007-r2": "fail", "lync-2010": "connect pool01.a.example:5061 TLS", "skype-2016": "indeterminate"}
	rec := rows[0].Record()
	if len(rec) != len(Header) {
		t.Fatalf("record has %d cells for %d columns", len(rec), len(Header))
	}
	for i, g := range gens {
		if got := rec[first+i]; got != want[g] {
			t.Errorf("column %s = %q; want %q", g, got, want[g])
		}
	}
	if got := rec[len(rec)-1]; got != "signs-in" || rows[0].State != "signs-in" {
		t.Errorf("state column = %q, Row.State %q; want signs-in", got, rows[0].State)
	}
	for i, cell := range rows[1].Record()[first:] {
		if cell != "" {
			t.Errorf("bad line's %s cell = %q; want empty", Header[first+i], cell)
		}
	}
}

// TestStreamHoldsFewLines: while the first address's discovery hangs,
// Stream reads only a window of lines ahead (a few per worker), not the
// whole list; once it ends, every row comes out in input order.
func TestStreamHoldsFewLines(t *testing.T) {
	const total, workers = 10000, 4
	release := make(chan struct{})
	discover := func(ctx context.Context, u engine.URI) (*engine.Report, error) {
		if u.User == "u0" {
			<-release
		}
		return &engine.Report{Domain: u.Domain, Outcome: engine.OutcomeConnect}, nil
	}
	var read atomic.Int64
	next := func() (Line, error) {
		n := int(read.Load())
		if n == total {
			return Line{}, io.EOF
		}
		read.Add(1)
		u, err := engine.ParseURI(fmt.Sprintf("u%d@d%d.example", n, n))
		return Line{N: n + 1, Text: u.String(), URI: u}, err
	}
	var rows []Row
	done := make(chan error)
	go func() {
		n, _, err := Stream(context.Background(), next, engine.Config{}, Options{Concurrency: workers, Discover: discover}, func(r Row) error { rows = append(rows, r); return nil })
		if err == nil && n != total {
			err = fmt.Errorf("Stream read %d lines; want %d", n, total)
		}
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	if n := read.Load(); n > 4*workers+16 {
		t.Errorf("with the first discovery hanging, %d lines were read; want at most %d", n, 4*workers+16)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(rows) != total {
		t.Fatalf("%d rows; want %d", len(rows), total)
	}
	for i, r := range rows {
		if r.Line != i+1 {
			t.Fatalf("row %d is line %d; want input order", i, r.Line)
		}
	}
}

// TestStreamForgetsDomains: beyond MaxDomains domains, the oldest is
// forgotten and discovered again when it comes back; every row is still
// its own domain's.
func TestStreamForgetsDomains(t *testing.T) {
	// extra new domains after the first MaxDomains: more than Stream's
	// window at concurrency 8 (4×8+16 lines), so the line that evicts
	// d0 has been checked before alice@d0 is read, whatever order the
	// workers take their lines in.
	const extra = 100
	var text strings.Builder
	for i := range MaxDomains + extra {
		fmt.Fprintf(&text, "bob@d%d.example\n", i)
	}
	fmt.Fprintf(&text, "alice@d0.example\nalice@d%d.example\n", MaxDomains+extra-1)
	lines, err := ReadLines(strings.NewReader(text.String()), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	discover := func(_ context.Context, u engine.URI) (*engine.Report, error) {
		calls.Add(1)
		return &engine.Report{Domain: u.Domain, Outcome: engine.OutcomeConnect}, nil
	}
	var rows []Row
	if _, err := Run(context.Background(), lines, engine.Config{}, Options{Concurrency: 8, Discover: discover}, func(r Row) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if got, want := calls.Load(), int64(MaxDomains+extra+1); got != want {
		t.Errorf("%d discoveries; want %d (d0 forgotten and asked again, d%d kept)", got, want, MaxDomains+extra-1)
	}
	for _, r := range rows {
		if _, d, _ := strings.Cut(r.Address, "@"); d != r.Domain {
			t.Fatalf("row %+v has another domain's report", r)
		}
	}
}

package logread

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/internal/textenc"
)

// Format is the kind of log Read found.
type Format string

// The formats Read tells apart.
const (
	// FormatUccApi is a client's UccApilog: lines
	// "MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL :: text" with SIP messages
	// between "Sending Packet"/"Data Received" and "End of ...".
	FormatUccApi Format = "uccapilog"
	// FormatServer is a server's SIPStack trace: records between
	// $$begin_record and $$end_record (OCSLogger, the Centralized Logging
	// Service).
	FormatServer Format = "server-trace"
	// FormatPlainSIP is SIP messages as text, one after another.
	FormatPlainSIP Format = "plain-sip"
	// FormatEventLog is the text of Communicator's or Lync's Application
	// event log entries.
	FormatEventLog Format = "event-log"
	// FormatNotMicrosoft is a log that resembles a client log but is not
	// one of Microsoft's (a desk phone's syslog).
	FormatNotMicrosoft Format = "not-microsoft"
	// FormatUnknown is text in none of the formats above.
	FormatUnknown Format = "unknown"
)

// Direction says whether the log's writer sent or received a message.
type Direction string

// The directions.
const (
	Sent     Direction = "sent"
	Received Direction = "received"
)

// Limits bound what Read keeps, so that its memory does not grow with the
// size of the log.
type Limits struct {
	Line     int // bytes of one line; the rest of a longer line is dropped
	Message  int // bytes of one SIP message's start line and headers
	Messages int // messages kept in Log.Messages
	PerCall  int // messages kept in one Call-ID's ladder
	Calls    int // sign-in Call-IDs kept
	Evidence int // discovery evidence lines kept
	Problems int // problems kept
}

// DefaultLimits are the limits the command line and the page use: a
// UccApilog line is short, a REGISTER with its tokens a few kilobytes.
func DefaultLimits() Limits {
	return Limits{Line: 16 << 10, Message: 64 << 10, Messages: 5000, PerCall: 32, Calls: 200, Evidence: 200, Problems: 50}
}

// Dropped counts what the limits cut.
type Dropped struct {
	LongLines    int `json:"longLines"`
	LongMessages int `json:"longMessages"`
	Messages     int `json:"messages"`
	CallMessages int `json:"callMessages"`
	Calls        int `json:"calls"`
	Evidence     int `json:"evidence"`
	Problems     int `json:"problems"`
	Unparsed     int `json:"unparsed"`
}

// Problem is a part of the log Read could not use, with its line.
type Problem struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Evidence is a line of the log that tells about discovery: an
// Autodiscover or lyncdiscover request, a DNS question, an event log
// entry.
type Evidence struct {
	Line int    `json:"line"`
	Kind string `json:"kind"` // "autodiscover", "dns", "event", "server-diagnostic"
	Text string `json:"text"`
}

// Log is what Read found in a log.
type Log struct {
	Format Format `json:"format"`
	// Why says in words how the format was recognised.
	Why string `json:"why"`
	// Encoding is the input's encoding: UTF-8 or UTF-16LE/BE.
	Encoding string `json:"encoding"`
	// Perspective is whose log it is: "client" or "server" (whose
	// "sent" and "received" the directions are), or "" when unknown.
	Perspective string `json:"perspective,omitempty"`
	// Client is the User-Agent of the first REGISTER.
	Client   string    `json:"client,omitempty"`
	Messages []Message `json:"messages"`
	SignIn   *SignIn   `json:"signIn,omitempty"`
	// Diagnostics are the distinct ms-diagnostics and
	// ms-diagnostics-public headers, in order of first appearance.
	Diagnostics []Diagnostic `json:"diagnostics"`
	// Folded counts the messages folded away by CSeq method: SUBSCRIBE,
	// NOTIFY, BENOTIFY, OPTIONS.
	Folded    map[string]int `json:"folded"`
	Discovery Discovery      `json:"discovery"`
	Lines     int            `json:"lines"`
	Bytes     int64          `json:"bytes"`
	Dropped   Dropped        `json:"dropped"`
	Problems  []Problem      `json:"problems"`
}

// Discovery is the discovery evidence a log holds.
type Discovery struct {
	// Servers are the remote addresses the log's writer sent to, in the
	// order it first did.
	Servers  []string   `json:"servers"`
	Evidence []Evidence `json:"evidence"`
}

// Progress is told how many bytes of the input Read has consumed.
type Progress func(n int64)

// Error is input Read cannot read at all: binary data, an encoding it
// does not accept.
type Error struct {
	Offset int64
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Read reads a log from r within lim, calling progress (when not nil)
// every few hundred kilobytes. It returns an error only for input that is
// not text (an *Error naming the offset), a failing reader or a cancelled
// context; a log it cannot make sense of is a Log of FormatUnknown or
// FormatNotMicrosoft.
func Read(ctx context.Context, r io.Reader, lim Limits, progress Progress) (*Log, error) {
	return read(ctx, r, lim, progress, false)
}

// read is Read; full makes every message go through sipgo's parser,
// without the scanner's shortcuts (flush), so that a test can hold the
// two to the same result.
func read(ctx context.Context, r io.Reader, lim Limits, progress Progress, full bool) (*Log, error) {
	counted := &countReader{r: r}
	text, enc, err := textenc.NewReader(counted)
	if err != nil {
		var te *textenc.Error
		if errors.As(err, &te) {
			return nil, &Error{Offset: int64(te.Offset), Msg: "not a text log: " + te.Error()}
		}
		return nil, err
	}
	rd := newReader(lim)
	rd.full = full
	rd.log.Encoding = string(enc)
	br := bufio.NewReaderSize(text, lim.Line)
	var next int64 = 256 << 10
	var keep []byte
	for {
		line, long, err := readLine(br, &keep)
		if len(line) > 0 || err == nil {
			rd.lineNo++
			if long {
				rd.log.Dropped.LongLines++
			}
			if bad := binaryAt(line); bad >= 0 {
				return nil, &Error{Offset: counted.n, Msg: "not a text log: line " + strconv.Itoa(rd.lineNo) + " holds binary data (byte 0x" + hex2(line[bad]) + " at column " + strconv.Itoa(bad+1) + ")"}
			}
			rd.line(line)
		}
		if progress != nil && counted.n >= next {
			progress(counted.n)
			next = counted.n + 256<<10
		}
		if rd.lineNo%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	rd.end()
	if !rd.decided {
		rd.log.Why = fmt.Sprintf("none of its %d lines is in a format sipdisco reads", rd.lineNo)
		if counted.n == 0 {
			rd.log.Why = "the log is empty"
		}
	}
	rd.log.Lines = rd.lineNo
	rd.log.Bytes = counted.n
	if progress != nil {
		progress(counted.n)
	}
	return rd.finish(), nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readLine returns the next line without its line end, at most the
// reader's buffer long; long is set when the rest was dropped.
func readLine(br *bufio.Reader, keep *[]byte) (line []byte, long bool, err error) {
	line, err = br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// The slice is the reader's buffer, which the next read
		// overwrites: keep the first part.
		*keep = append((*keep)[:0], line...)
		line, long = *keep, true
		for err == bufio.ErrBufferFull {
			_, err = br.ReadSlice('\n')
		}
	}
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	return line, long, err
}

// binaryAt returns the index of the first byte in line that no text log
// holds (NUL and other C0 controls but TAB and ESC), or -1. ESC is let
// through: terminal escapes in a header are hostile text, escaped when
// shown, not binary data. It looks at eight bytes at a time, and at each
// byte only of a word that holds one below 0x20.
func binaryAt(line []byte) int {
	const ones, highs, below = 0x0101010101010101, 0x8080808080808080, 0x20 * 0x0101010101010101
	i := 0
	for ; i+8 <= len(line); i += 8 {
		w := binary.LittleEndian.Uint64(line[i:])
		if (w-below)&^w&highs == 0 {
			continue
		}
		for j := i; j < i+8; j++ {
			if c := line[j]; c < 0x20 && c != '\t' && c != 0x1b && c != '\f' {
				return j
			}
		}
	}
	for ; i < len(line); i++ {
		if c := line[i]; c < 0x20 && c != '\t' && c != 0x1b && c != '\f' {
			return i
		}
	}
	return -1
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// reader is Read's state between lines.
type reader struct {
	lim    Limits
	log    Log
	lineNo int
	// decided is false until a line tells the format.
	decided bool
	// pkt is the message being collected (cur), nil between messages.
	pkt *packet
	cur packet
	// full sends every message through sipgo (read).
	full bool
	// srv is the server record being collected.
	srv *record
	// calls holds the REGISTER messages per Call-ID.
	calls     map[string]*Attempt
	callOrder []string
	servers   map[string]bool
	diags     map[string]int
	parse     *sipParser
	// sawUA is set once a REGISTER's User-Agent named the client.
	sawUA bool
}

func newReader(lim Limits) *reader {
	d := DefaultLimits()
	if lim.Line <= 64 {
		lim.Line = d.Line
	}
	if lim.Message <= 0 {
		lim.Message = d.Message
	}
	if lim.Messages <= 0 {
		lim.Messages = d.Messages
	}
	if lim.PerCall <= 0 {
		lim.PerCall = d.PerCall
	}
	if lim.Calls <= 0 {
		lim.Calls = d.Calls
	}
	if lim.Evidence <= 0 {
		lim.Evidence = d.Evidence
	}
	if lim.Problems <= 0 {
		lim.Problems = d.Problems
	}
	return &reader{
		lim:     lim,
		log:     Log{Format: FormatUnknown, Folded: map[string]int{}, Messages: []Message{}, Diagnostics: []Diagnostic{}, Problems: []Problem{}, Discovery: Discovery{Servers: []string{}, Evidence: []Evidence{}}},
		calls:   map[string]*Attempt{},
		servers: map[string]bool{},
		diags:   map[string]int{},
		parse:   newSIPParser(),
	}
}

// line handles one line of the log.
func (rd *reader) line(b []byte) {
	if !rd.decided {
		rd.detect(b)
		if !rd.decided {
			return
		}
	}
	switch rd.log.Format {
	case FormatUccApi:
		rd.uccapiLine(b)
	case FormatServer:
		rd.serverLine(b)
	case FormatPlainSIP:
		rd.plainLine(b)
	case FormatEventLog:
		rd.eventLine(b)
	}
}

// end finishes a message the log ends inside.
func (rd *reader) end() {
	if rd.pkt != nil {
		rd.pkt.truncated = rd.log.Format != FormatPlainSIP
		rd.flush()
	}
	if rd.srv != nil {
		rd.problem(rd.srv.line, "the log ends inside a $$begin_record record")
		rd.endRecord()
	}
}

// detect decides the format from a line, if the line tells.
func (rd *reader) detect(b []byte) {
	s := string(b)
	switch {
	case isUccApiLine(b):
		rd.decide(FormatUccApi, "client", fmt.Sprintf("line %d has a UccApilog prefix (MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL :: text)", rd.lineNo))
	case strings.Contains(s, "$$begin_record"):
		rd.decide(FormatServer, "server", fmt.Sprintf("line %d opens a server trace record ($$begin_record)", rd.lineNo))
	case isStartLine(s):
		rd.decide(FormatPlainSIP, "", fmt.Sprintf("line %d is a SIP start line", rd.lineNo))
	case isEventText(s):
		rd.decide(FormatEventLog, "client", fmt.Sprintf("line %d is a Communicator or Lync event log entry", rd.lineNo))
	case strings.Contains(s, "Sending Packet") || strings.Contains(s, "Data Received"):
		rd.decide(FormatNotMicrosoft, "", fmt.Sprintf("line %d says %q but has no UccApilog prefix (MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL :: text): another product's log, which sipdisco does not read", rd.lineNo, clip(Redact(s), 80)))
	}
}

func (rd *reader) decide(f Format, perspective, why string) {
	rd.decided = true
	rd.log.Format, rd.log.Perspective, rd.log.Why = f, perspective, why
}

// problem records a problem at line n, bounded.
func (rd *reader) problem(n int, msg string) {
	if len(rd.log.Problems) >= rd.lim.Problems {
		rd.log.Dropped.Problems++
		return
	}
	rd.log.Problems = append(rd.log.Problems, Problem{Line: n, Message: Redact(msg)})
}

// evidence records a discovery evidence line, bounded.
func (rd *reader) evidence(kind, text string) {
	if len(rd.log.Discovery.Evidence) >= rd.lim.Evidence {
		rd.log.Dropped.Evidence++
		return
	}
	rd.log.Discovery.Evidence = append(rd.log.Discovery.Evidence, Evidence{Line: rd.lineNo, Kind: kind, Text: clip(Redact(strings.TrimSpace(text)), 400)})
}

// clip cuts s to at most n bytes, on a character boundary, marking the
// cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// discoveryKindBytes is discoveryKind without copying or lower-casing
// the line: most of a client's log is lines that tell nothing, and each
// word discoveryKind looks for holds "discover", "_sip" or "dns".
func discoveryKindBytes(b []byte) string {
	if indexFold(b, "discover") < 0 && indexFold(b, "_sip") < 0 && indexFold(b, "dns") < 0 {
		return ""
	}
	return discoveryKind(string(b))
}

// indexFold returns the index of the first instance of pat (lower-case
// ASCII, starting with a letter) in b, ASCII case ignored, or -1.
func indexFold[T string | []byte](b T, pat string) int {
	lo, up := pat[0], upper(pat[0])
	last := len(b) - len(pat)
	for i := 0; i <= last; {
		j := indexByte(b[i:last+1], lo)
		lim := last + 1
		if j >= 0 {
			lim = i + j
		}
		if k := indexByte(b[i:lim], up); k >= 0 {
			j = k
		}
		if j < 0 {
			return -1
		}
		i += j
		if equalFold(b[i:i+len(pat)], pat) {
			return i
		}
		i++
	}
	return -1
}

// indexByte is bytes.IndexByte or strings.IndexByte, whichever b is.
func indexByte[T string | []byte](b T, c byte) int {
	switch b := any(b).(type) {
	case string:
		return strings.IndexByte(b, c)
	case []byte:
		return bytes.IndexByte(b, c)
	}
	panic("unreachable")
}

// equalFold reports whether b is pat (lower-case ASCII), ASCII case
// ignored.
func equalFold[T string | []byte](b T, pat string) bool {
	if len(b) != len(pat) {
		return false
	}
	for i := range len(pat) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != pat[i] {
			return false
		}
	}
	return true
}

// discoveryKind says what discovery a line of free text tells about, or
// "".
func discoveryKind(s string) string {
	l := strings.ToLower(s)
	switch {
	case strings.Contains(l, "lyncdiscover") || strings.Contains(l, "autodiscover"):
		return "autodiscover"
	case strings.Contains(l, "_sipinternaltls") || strings.Contains(l, "_sipinternal.") || strings.Contains(l, "_sip._tls") || strings.Contains(l, "_sipfederationtls") || (strings.Contains(l, "dns") && (strings.Contains(l, "srv") || strings.Contains(l, "query") || strings.Contains(l, "resolv"))):
		return "dns"
	}
	return ""
}

package zone

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/internal/textenc"
)

// prepared is zone text made ready for miekg/dns's parser, which knows
// neither Windows DNS's files nor the encodings editors write.
type prepared struct {
	// text has LF line ends, Windows DNS's [AGE:n] stamps blanked and
	// WINS records rewritten as records of an unknown type; every line
	// is where it was.
	text string
	// recordLines holds the line each record starts on, in parse order;
	// nil when a $GENERATE makes that unknowable without parsing.
	recordLines []int32
	// notes say what was passed over, with file and line.
	notes []string
}

// isAgeStamp reports whether tok is the aging timestamp Windows DNS writes
// before the TTL of a dynamically registered record when aging is on,
// "[AGE:3748210]" (hours since 1601).
func isAgeStamp(tok string) bool {
	n, ok := cutFold(tok, "[AGE:")
	if !ok || len(n) < 2 || n[len(n)-1] != ']' {
		return false
	}
	return allDigits(n[:len(n)-1])
}

// isTTL reports whether tok is a TTL as BIND writes it: seconds, or
// numbers each followed by a unit s, m, h, d or w ("1h30m"), as miekg/dns
// reads them.
func isTTL(tok string) bool {
	digits := false
	for i := 0; i < len(tok); i++ {
		switch c := tok[i] | 0x20; {
		case '0' <= tok[i] && tok[i] <= '9':
			digits = true
		case digits && (c == 's' || c == 'm' || c == 'h' || c == 'd' || c == 'w'):
			digits = false
		default:
			return false
		}
	}
	return len(tok) > 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// cutFold is strings.CutPrefix ignoring ASCII case.
func cutFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// delim marks the bytes that end an unquoted token.
var delim = [256]bool{' ': true, '\t': true, '\n': true, ';': true, '(': true, ')': true, '"': true}

// winsTypes are Windows DNS's own record types, which only Windows
// servers use (for NetBIOS names) and no other reader knows; they are kept
// as records of an unknown type (RFC 3597) so that their name still
// exists, and discovery never asks for them.
var winsTypes = map[string]string{"WINS": "TYPE65281", "WINS-R": "TYPE65282", "WINSR": "TYPE65282"}

// prepare decodes raw zone text and rewrites what miekg/dns cannot read,
// checking on the way what it would misreport: an unknown $ directive, an
// unbalanced parenthesis or quote, a bracketed token other than [AGE:n].
// Errors are *ParseError naming file and line.
func prepare(raw, file string) (*prepared, error) {
	text, _, err := textenc.Decode([]byte(raw))
	if err != nil {
		te := err.(*textenc.Error)
		return nil, &ParseError{File: file, Line: te.Line, Msg: te.Msg + "; a zone file is text"}
	}
	p := &prepared{}
	lx := lexer{s: text, file: file, p: p, line: 1}
	if err := lx.run(); err != nil {
		return nil, err
	}
	if lx.edited {
		lx.out.WriteString(text[lx.copied:])
		p.text = lx.out.String()
	} else {
		p.text = text
	}
	if lx.generate {
		p.recordLines = nil
	}
	return p, nil
}

// lexer walks zone text the way RFC 1035 §5.1 reads it: entries of
// tokens, one per line unless parentheses continue it, ";" comments,
// quoted strings and backslash escapes.
type lexer struct {
	s, file string
	p       *prepared
	out     strings.Builder
	copied  int // s[:copied] is in out
	edited  bool

	line, lineStart int
	depth           int
	parenLine       int
	generate        bool // a $GENERATE whose record count is unknown
	generated       int  // records the current $GENERATE makes

	// The entry being read.
	inEntry   bool
	entryLine int
	owner     bool // the entry starts in column 1, with its owner
	tokens    int
	directive bool
	typed     bool // the type token has been seen; the rest is rdata
	wins      int  // where a WINS entry's type token starts, or -1
}

func (lx *lexer) errorf(line int, format string, args ...any) error {
	return &ParseError{File: lx.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (lx *lexer) run() error {
	s := lx.s
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n':
			if lx.depth == 0 {
				lx.endEntry(i)
			}
			lx.line++
			lx.lineStart = i + 1
		case ' ', '\t':
		case ';':
			for i+1 < len(s) && s[i+1] != '\n' {
				i++
			}
		case '(', ')':
			if err := lx.paren(i); err != nil {
				return err
			}
		case '"':
			end, err := lx.quoted(i)
			if err != nil {
				return err
			}
			i = end
		default:
			j := i
			for j < len(s) && !delim[s[j]] {
				if s[j] == '\\' && j+1 < len(s) && s[j+1] != '\n' {
					j++
				}
				j++
			}
			if err := lx.token(i, j); err != nil {
				return err
			}
			i = j - 1
		}
	}
	if lx.depth > 0 {
		return lx.errorf(lx.parenLine, "the '(' opened on this line is never closed")
	}
	lx.endEntry(len(s))
	return nil
}

// paren reads the parenthesis at s[i], which continues an entry over
// several lines (RFC 1035 §5.1).
func (lx *lexer) paren(i int) error {
	if lx.s[i] == ')' {
		if lx.depth == 0 {
			return lx.errorf(lx.line, "')' without a '(' before it")
		}
		lx.depth = 0
		return nil
	}
	if lx.depth > 0 {
		return lx.errorf(lx.line, "'(' inside the '(' opened on line %d; parentheses do not nest in a zone file", lx.parenLine)
	}
	lx.startEntry(i)
	lx.depth, lx.parenLine = 1, lx.line
	return nil
}

// quoted reads the quoted string that opens at s[i], which may span
// lines and escape a quote with a backslash, and returns the index of its
// closing quote.
func (lx *lexer) quoted(i int) (int, error) {
	s, start := lx.s, lx.line
	lx.startEntry(i)
	lx.tokens++
	if !lx.directive {
		lx.typed = true // a quoted string is rdata
	}
	for i++; i < len(s) && s[i] != '"'; i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		if s[i] == '\n' {
			lx.line++
			lx.lineStart = i + 1
		}
	}
	if i >= len(s) {
		return i, lx.errorf(start, "the quoted string opened on this line is never closed")
	}
	return i, nil
}

func (lx *lexer) startEntry(i int) {
	if lx.inEntry {
		return
	}
	lx.inEntry, lx.entryLine, lx.owner = true, lx.line, i == lx.lineStart
	lx.tokens, lx.directive, lx.typed, lx.wins = 0, false, false, -1
}

// token reads the token s[i:j] of the current entry.
func (lx *lexer) token(i, j int) error {
	lx.startEntry(i)
	lx.tokens++
	tok := lx.s[i:j]
	if lx.tokens == 1 && lx.owner {
		if tok[0] != '$' {
			return nil // the owner name
		}
		lx.directive = true
		switch strings.ToUpper(tok) {
		case "$ORIGIN", "$TTL", "$INCLUDE":
		case "$GENERATE":
			lx.generated = -1
		default:
			return lx.errorf(lx.line, "unknown directive %s; a zone file has $ORIGIN, $TTL and $GENERATE ($INCLUDE is not supported)", quoteToken(tok))
		}
		return nil
	}
	if lx.directive && lx.tokens == 2 && lx.generated < 0 {
		lx.generated = generateCount(tok)
	}
	if lx.directive || lx.typed {
		return nil
	}
	switch {
	case tok[0] == '[':
		if !isAgeStamp(tok) {
			return lx.errorf(lx.line, "%s is not supported; the only bracketed token a zone file may have is the [AGE:n] aging stamp Windows DNS writes", quoteToken(tok))
		}
		lx.replace(i, j, strings.Repeat(" ", j-i))
	case isTTL(tok) || isClass(tok):
	default:
		lx.typed = true
		if len(tok) <= 6 && (tok[0]|0x20) == 'w' {
			if _, ok := winsTypes[strings.ToUpper(tok)]; ok {
				lx.wins = i
			}
		}
	}
	return nil
}

// endEntry ends the entry, if any, at s[end] (a newline or the end).
func (lx *lexer) endEntry(end int) {
	if !lx.inEntry {
		return
	}
	lx.inEntry = false
	if lx.directive {
		switch {
		case lx.generated < 0:
			lx.generate = true
		case lx.generated > 0:
			// One record per step of the range, all on this line; no
			// more than the loader could take.
			n := min(lx.generated, MaxRecords+1-len(lx.p.recordLines))
			for range max(n, 0) {
				lx.p.recordLines = append(lx.p.recordLines, int32(lx.entryLine))
			}
		}
		lx.generated = 0
		return
	}
	lx.p.recordLines = append(lx.p.recordLines, int32(lx.entryLine))
	if lx.wins >= 0 {
		typ := lx.s[lx.wins:]
		typ = typ[:strings.IndexAny(typ+" ", " \t\n;(")]
		old := lx.s[lx.wins:end]
		lx.replace(lx.wins, end, winsTypes[strings.ToUpper(typ)]+` \# 0`+strings.Repeat("\n", strings.Count(old, "\n")))
		lx.p.notes = append(lx.p.notes, fmt.Sprintf("%s:%d: %s record skipped: Windows DNS's own type, which sign-in discovery never asks for", lx.file, lx.entryLine, strings.ToUpper(typ)))
	}
}

// generateCount returns how many records the range of a $GENERATE makes
// ("1-100", "0-254/2"), or -1 when it cannot tell.
func generateCount(rng string) int {
	r, step, hasStep := strings.Cut(rng, "/")
	a, b, ok := strings.Cut(r, "-")
	if !ok || !allDigits(a) || !allDigits(b) || hasStep && !allDigits(step) || len(a) > 9 || len(b) > 9 || len(step) > 9 {
		return -1
	}
	start, end, by := atoi(a), atoi(b), 1
	if hasStep {
		by = atoi(step)
	}
	if by <= 0 || end < start {
		return -1
	}
	return (end-start)/by + 1
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// replace puts with in the output in place of s[i:j].
func (lx *lexer) replace(i, j int, with string) {
	if !lx.edited {
		lx.out.Grow(len(lx.s))
		lx.edited = true
	}
	lx.out.WriteString(lx.s[lx.copied:i])
	lx.out.WriteString(with)
	lx.copied = j
}

// isClass reports whether tok is a class mnemonic (RFC 1035 §3.2.4,
// RFC 3597 §5).
func isClass(tok string) bool {
	switch strings.ToUpper(tok) {
	case "IN", "CH", "CS", "HS", "NONE", "ANY":
		return true
	}
	u := strings.ToUpper(tok)
	return strings.HasPrefix(u, "CLASS") && len(u) > 5 && strings.Trim(u[5:], "0123456789") == ""
}

// quoteToken quotes a token for a message, cut to 40 bytes.
func quoteToken(tok string) string {
	if len(tok) > 40 {
		tok = tok[:40] + "..."
	}
	return fmt.Sprintf("%q", tok)
}

package engine

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// URI is a parsed sign-in address.
type URI struct {
	// Scheme is "sip" or "sips"; a bare user@domain gets "sip".
	Scheme string
	// User is the user part as typed, percent-escapes kept.
	User string
	// Domain is the host part in lower case ASCII (IDNA A-labels,
	// RFC 5891), without a trailing dot. It is the D of discovery.
	Domain string
	// Params are the URI parameters in the order given.
	Params []Param
}

// Param is one URI parameter (RFC 3261 §19.1.1 uri-parameter); Value is
// empty and HasValue false for a bare flag such as ";lr".
type Param struct {
	Name     string
	Value    string
	HasValue bool
}

// String returns u in canonical form: "sip:bob@contoso.com;transport=tls".
// ParseURI(u.String()) returns u again.
func (u URI) String() string {
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteByte(':')
	b.WriteString(u.User)
	b.WriteByte('@')
	b.WriteString(u.Domain)
	for _, p := range u.Params {
		b.WriteByte(';')
		b.WriteString(p.Name)
		if p.HasValue {
			b.WriteByte('=')
			b.WriteString(p.Value)
		}
	}
	return b.String()
}

// URIError reports a malformed sign-in address and where it went wrong.
//
// Input is the address exactly as given, which may hold anything: control
// characters, invalid UTF-8, megabytes. Error and Caret never print it
// raw: they show an excerpt around Offset, escaped so that it is one line
// of plain text.
type URIError struct {
	Input  string
	Offset int // byte offset into Input of the first offending character
	Msg    string
}

// Error returns "bad sign-in address "EXCERPT" at offset N: MSG", where
// EXCERPT is Input around Offset as Excerpt returns it.
func (e *URIError) Error() string {
	text, _ := e.Excerpt()
	return fmt.Sprintf("bad sign-in address \"%s\" at offset %d: %s", text, e.Offset, e.Msg)
}

// excerptContext is how many bytes of Input an excerpt keeps on each side
// of the offending character.
const excerptContext = 32

// Excerpt returns the part of Input around Offset (the offending
// character and at most 32 bytes on each side, "..." marking what was
// cut) escaped for printing, and the column at which the offending
// character starts in it, counted in characters: a caret printed after
// that many spaces sits under it.
//
// The escapes are those of a Go string literal: \t, \n, \r, \" and \\;
// \xNN for other control characters and for bytes that are not UTF-8;
// \uNNNN for C1 controls, format characters (such as bidirectional
// overrides), combining marks and every character from U+0590 up, whose
// width or direction on a terminal is not one column left to right. What
// remains is printable text one column per character, so the caret lines
// up.
func (e *URIError) Excerpt() (text string, column int) {
	in := e.Input
	off := min(max(e.Offset, 0), len(in))
	lo := max(off-excerptContext, 0)
	for lo > 0 && !utf8.RuneStart(in[lo]) && off-lo < excerptContext+utf8.UTFMax {
		lo--
	}
	_, size := utf8.DecodeRuneInString(in[off:])
	hi := min(off+size+excerptContext, len(in))
	for hi < len(in) && !utf8.RuneStart(in[hi]) && hi-off < excerptContext+utf8.UTFMax {
		hi++
	}
	var b strings.Builder
	if lo > 0 {
		b.WriteString("...")
	}
	b.WriteString(escapeInput(in[lo:off]))
	column = utf8.RuneCountInString(b.String())
	b.WriteString(escapeInput(in[off:hi]))
	if hi < len(in) {
		b.WriteString("...")
	}
	return b.String(), column
}

// Caret returns two lines for a terminal: the escaped excerpt of Input
// (see Excerpt) and, below it, a caret under the offending character.
func (e *URIError) Caret() string {
	text, col := e.Excerpt()
	return text + "\n" + strings.Repeat(" ", col) + "^"
}

// escapeInput escapes s as Excerpt describes.
func escapeInput(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
		} else {
			b.WriteString(escapeRune(r))
		}
		i += size
	}
	return b.String()
}

// escapeRune returns r as escapeInput writes it.
func escapeRune(r rune) string {
	switch {
	case r == '"' || r == '\\':
		return `\` + string(r)
	case r == '\t':
		return `\t`
	case r == '\n':
		return `\n`
	case r == '\r':
		return `\r`
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r)
	case r < 0x80 || oneColumn(r):
		return string(r)
	case r > 0xffff:
		return fmt.Sprintf(`\U%08x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// oneColumn reports whether a terminal shows r as one column, left to
// right: printable, not a combining mark, and below U+0590 (Hebrew and
// Arabic run right to left; wide East Asian characters take two columns).
func oneColumn(r rune) bool {
	return r >= 0xa0 && r < 0x590 && unicode.IsPrint(r) && !unicode.In(r, unicode.Mn, unicode.Me)
}

// quoteShort returns s quoted for an error message: escaped as Excerpt
// escapes, and cut to about 40 bytes.
func quoteShort(s string) string {
	const n = 40
	if len(s) <= n {
		return `"` + escapeInput(s) + `"`
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return `"` + escapeInput(s[:cut]) + `..."`
}

// MaxURILength bounds the input ParseURI accepts.
const MaxURILength = 512

// ParseURI parses a sign-in address. The accepted grammar is this subset of
// RFC 3261 §19.1 (SIP-URI and SIPS-URI without password, port or headers):
//
//	address = [ ("sip:" / "sips:") ] user "@" domain *( ";" param )
//	user    = 1*( unreserved / escaped / "&" / "=" / "+" / "$" / "," / "?" / "/" )
//	domain  = a DNS name, U-labels allowed (converted to A-labels), an
//	          optional trailing dot; not an IP address
//	param   = pname [ "=" pvalue ]  (RFC 3261 paramchar, 1 to 64 bytes each)
//
// The address is UTF-8 text of at most MaxURILength bytes without control
// characters. Surrounding white space is ignored; the scheme is
// case-insensitive; the domain is lower-cased.
//
// Errors are *URIError carrying the byte offset of the first offending
// character: the input is checked as text first (control characters,
// invalid UTF-8, length), then read left to right.
func ParseURI(s string) (URI, error) {
	p := uriParser{s: s}
	return p.parse()
}

// uriParser holds the input of one ParseURI call; each method checks one
// part of the grammar and returns the offset after it.
type uriParser struct {
	s string
}

func (p *uriParser) fail(off int, format string, args ...any) *URIError {
	return &URIError{Input: p.s, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *uriParser) parse() (URI, error) {
	start, end := trimSpace(p.s)
	if err := p.checkText(start, end); err != nil {
		return URI{}, err
	}
	if start == end {
		return URI{}, p.fail(0, "address is empty; type an address such as sip:bob@contoso.com")
	}
	u := URI{Scheme: "sip"}
	i, err := p.scheme(start, end, &u)
	if err != nil {
		return URI{}, err
	}
	if i, err = p.user(i, end, &u); err != nil {
		return URI{}, err
	}
	if i, err = p.host(i, end, &u); err != nil {
		return URI{}, err
	}
	if err := p.params(i, end, &u); err != nil {
		return URI{}, err
	}
	return u, nil
}

// trimSpace returns the bounds of s without surrounding white space.
func trimSpace(s string) (start, end int) {
	start, end = 0, len(s)
	for start < end && isSpace(s[start]) {
		start++
	}
	for end > start && isSpace(s[end-1]) {
		end--
	}
	return start, end
}

// checkText checks s[start:end] as text: the first control character or
// byte that is not UTF-8 is the error, then a length over MaxURILength.
// Only the first MaxURILength bytes are read.
func (p *uriParser) checkText(start, end int) error {
	for i := start; i < min(end, MaxURILength); {
		r, size := utf8.DecodeRuneInString(p.s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return p.fail(i, "byte 0x%02X is not UTF-8; a sign-in address is UTF-8 text", p.s[i])
		case r == '\r' || r == '\n':
			return p.fail(i, "%s is not allowed: a sign-in address is one line", controlName(r))
		case isControlChar(r):
			return p.fail(i, "%s is not allowed in a sign-in address", controlName(r))
		}
		i += size
	}
	if len(p.s) > MaxURILength {
		return p.fail(MaxURILength, "address is longer than %d bytes", MaxURILength)
	}
	return nil
}

// isControlChar reports whether r is a control character: C0, DEL or C1
// (Unicode general category Cc).
func isControlChar(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }

// controlName names a control character for an error message: "a
// carriage return (CR, U+000D)".
func controlName(r rune) string {
	type name struct{ words, abbr string }
	names := map[rune]name{0: {"a NUL byte", ""}, '\t': {"a tab", ""}, '\n': {"a line break", "LF"},
		'\r': {"a carriage return", "CR"}, 0x1b: {"an escape character", "ESC"}, 0x7f: {"a DEL character", ""}}
	n, ok := names[r]
	switch {
	case !ok:
		return fmt.Sprintf("control character U+%04X", r)
	case n.abbr != "":
		return fmt.Sprintf("%s (%s, U+%04X)", n.words, n.abbr, r)
	}
	return fmt.Sprintf("%s (U+%04X)", n.words, r)
}

// scheme reads an optional "sip:" or "sips:" at i into u.Scheme.
func (p *uriParser) scheme(i, end int, u *URI) (int, error) {
	s := p.s
	c := strings.IndexByte(s[i:end], ':')
	if c < 0 || strings.IndexByte(s[i:i+c], '@') >= 0 {
		return i, nil
	}
	switch scheme := strings.ToLower(s[i : i+c]); scheme {
	case "sip", "sips":
		u.Scheme = scheme
	case "":
		return i, p.fail(i, "missing scheme before ':'")
	default:
		return i, p.fail(i, "unsupported scheme %s; use sip: or sips:", quoteShort(s[i:i+c]))
	}
	return i + c + 1, nil
}

// user reads the user part at i, up to the '@', into u.User.
func (p *uriParser) user(i, end int, u *URI) (int, error) {
	s := p.s
	at := strings.IndexByte(s[i:end], '@')
	if at < 0 {
		return i, p.fail(end, "missing '@': a sign-in address is user@domain")
	}
	if at == 0 {
		return i, p.fail(i, "missing user before '@'")
	}
	user := s[i : i+at]
	if j, err := checkEscaped(user, "&=+$,?/", -1, "%40", "the user part"); err != nil {
		if user[j] == ':' {
			j, err = userColon(user, j)
		}
		return i, p.fail(i+j, "%v", err)
	}
	u.User = user
	return i + at + 1, nil
}

// userColon says what the ':' at offset j of the user part is: a second
// scheme ("sip:sip:bob@...", reported where it starts) or a password.
func userColon(user string, j int) (int, error) {
	if before := user[:j]; strings.EqualFold(before, "sip") || strings.EqualFold(before, "sips") {
		return 0, fmt.Errorf("the scheme %s is written twice; write it once", quoteShort(user[:j+1]))
	}
	return j, fmt.Errorf("a password is not allowed in a sign-in address")
}

// host reads the domain at i, up to the first ';', into u.Domain.
func (p *uriParser) host(i, end int, u *URI) (int, error) {
	hostEnd := end
	if k := strings.IndexByte(p.s[i:end], ';'); k >= 0 {
		hostEnd = i + k
	}
	d, off, err := normalizeDomain(p.s[i:hostEnd])
	if err != nil {
		return i, p.fail(i+off, "%v", err)
	}
	u.Domain = d
	return hostEnd, nil
}

// params reads the ";name[=value]" parameters from i to end into
// u.Params.
func (p *uriParser) params(i, end int, u *URI) error {
	for i < end {
		i++ // the ';'
		pEnd := end
		if k := strings.IndexByte(p.s[i:end], ';'); k >= 0 {
			pEnd = i + k
		}
		prm, err := p.param(i, pEnd)
		if err != nil {
			return err
		}
		u.Params = append(u.Params, prm)
		i = pEnd
	}
	return nil
}

// param reads the one parameter s[i:end].
func (p *uriParser) param(i, end int) (Param, error) {
	raw := p.s[i:end]
	prm := Param{Name: raw}
	if eq := strings.IndexByte(raw, '='); eq >= 0 {
		prm = Param{Name: raw[:eq], Value: raw[eq+1:], HasValue: true}
		if prm.Value == "" {
			return prm, p.fail(i+eq+1, "parameter %s has an empty value", quoteShort(prm.Name))
		}
	}
	if prm.Name == "" {
		return prm, p.fail(i, "empty parameter name")
	}
	if len(prm.Name) > 64 || len(prm.Value) > 64 {
		return prm, p.fail(i, "parameter longer than 64 bytes")
	}
	if j, err := checkEscaped(raw, "[]/:&+$", len(prm.Name), "%3B", "a parameter"); err != nil {
		return prm, p.fail(i+j, "%v", err)
	}
	return prm, nil
}

// checkEscaped checks that s holds only unreserved characters (RFC 3261
// §25.1), those in extra, '=' at offset eq, and escapes "%XX"; it returns
// the offset of the first other character. example is an escape to
// suggest, part names the part of the address in the message.
func checkEscaped(s, extra string, eq int, example, part string) (int, error) {
	for j := 0; j < len(s); j++ {
		switch c := s[j]; {
		case c == '=' && j == eq:
		case c == '%':
			if j+2 >= len(s) || !isHex(s[j+1]) || !isHex(s[j+2]) {
				return j, fmt.Errorf("'%%' must start an escape such as %s", example)
			}
			j += 2
		case !isUnreserved(c) && strings.IndexByte(extra, c) < 0:
			return j, fmt.Errorf("%s is not allowed in %s", describeChar(s[j:]), part)
		}
	}
	return 0, nil
}

// describeChar names the character s starts with for an error message:
// `character "<"`, or with its code point when it is not ASCII.
func describeChar(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	switch {
	case r == ' ':
		return "a space"
	case r < 0x80:
		return "character " + quoteShort(string(r))
	}
	return fmt.Sprintf("character %s (U+%04X)", quoteShort(string(r)), r)
}

// NormalizeDomain returns name as discovery uses it: IDNA A-labels in lower
// case without the trailing dot, checked for DNS syntax (RFC 1035 §2.3.4
// lengths, RFC 5891 IDNA, letters, digits and hyphens). The sign-in domain
// must be a host name, so underscores are refused.
func NormalizeDomain(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("empty domain name")
	}
	d, _, err := normalizeDomain(name)
	return d, err
}

// normalizeDomain is NormalizeDomain that also returns the byte offset in
// name of the first offending character. It reads name left to right:
// characters and label syntax of the ASCII labels first, then the IDNA
// conversion of the whole name when it has non-ASCII characters, then the
// checks of the converted name.
func normalizeDomain(name string) (string, int, error) {
	charOff, charErr := checkHostChars(name)
	trimmed := strings.TrimSuffix(name, ".")
	if charErr == nil && trimmed == "" {
		return "", 0, fmt.Errorf("the root '.' is not a sign-in domain")
	}
	// A label error before the first bad character comes first.
	if off, err := checkLabels(trimmed, name, true); err != nil && (charErr == nil || off < charOff) {
		return "", off, err
	}
	if charErr != nil {
		return "", charOff, charErr
	}
	d := strings.ToLower(trimmed)
	if !isASCII(trimmed) {
		a, err := toASCII(trimmed)
		if err != nil {
			return "", 0, fmt.Errorf("domain %s is not a valid internationalized name: %s", quoteShort(name), cutText(err.Error(), 120))
		}
		d = strings.ToLower(a)
		if off, err := checkLabels(d, name, false); err != nil {
			return "", off, err
		}
	}
	return checkDomain(d, name)
}

// checkHostChars finds the first ASCII byte of name that cannot be in a
// domain name and says what it suggests (hostCharError). It also refuses
// an empty name.
func checkHostChars(name string) (int, error) {
	if name == "" {
		return 0, fmt.Errorf("missing domain after '@'")
	}
	for j := 0; j < len(name); j++ {
		if c := name[j]; c < 0x80 && !isLDH(c) && c != '.' {
			return j, hostCharError(name[j:])
		}
	}
	return 0, nil
}

// hostCharError says why the character rest starts with cannot be in a
// domain: ':' starts a port, '?' headers, '@' a second '@', '[' an IP
// literal.
func hostCharError(rest string) error {
	switch rest[0] {
	case ':':
		return fmt.Errorf("a port is not part of a sign-in address; discovery finds the port")
	case '?':
		return fmt.Errorf("headers are not allowed in a sign-in address")
	case '@':
		return fmt.Errorf("a second '@' is not allowed")
	case '[':
		return fmt.Errorf("an IP address is not a sign-in domain")
	}
	return fmt.Errorf("%s is not allowed in a domain name", describeChar(rest))
}

// isLDH reports whether c is a letter, digit or hyphen (RFC 1035 §2.3.1).
func isLDH(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// checkLabels checks the labels of d (name without its trailing dot, or
// its IDNA conversion when raw is false) for RFC 1035 §2.3.4 syntax:
// none empty, none over 63 bytes, none starting or ending with '-'. When
// raw, labels holding non-ASCII characters are left to the IDNA
// conversion and offsets are those of name; otherwise an offset is the
// start of the matching label of name when the label counts agree, else 0.
func checkLabels(d, name string, raw bool) (int, error) {
	starts := labelStarts(name)
	for k, label := range strings.Split(d, ".") {
		if raw && !isASCII(label) {
			continue
		}
		in, err := labelError(label, name)
		if err == nil {
			continue
		}
		if !raw {
			if len(starts) != strings.Count(d, ".")+1 {
				return 0, err
			}
			in = 0
		}
		return starts[k] + in, err
	}
	return 0, nil
}

// labelError returns what is wrong with one label of name, and the offset
// in the label of the first offending character.
func labelError(label, name string) (int, error) {
	switch {
	case label == "":
		return 0, fmt.Errorf("empty label in domain %s", quoteShort(name))
	case len(label) > 63:
		return 63, fmt.Errorf("label %s is longer than 63 bytes", quoteShort(label))
	case label[0] == '-':
		return 0, fmt.Errorf("label %s starts or ends with '-'", quoteShort(label))
	case label[len(label)-1] == '-':
		return len(label) - 1, fmt.Errorf("label %s starts or ends with '-'", quoteShort(label))
	}
	return 0, nil
}

// labelStarts returns the byte offsets in name at which its labels start.
func labelStarts(name string) []int {
	starts := []int{0}
	for j := 0; j < len(name); j++ {
		if name[j] == '.' {
			starts = append(starts, j+1)
		}
	}
	return starts
}

// checkDomain checks the converted name d as a whole: its length, its
// characters (an IDNA mapping can produce any), and that it is a domain
// of two labels or more rather than an IP address.
func checkDomain(d, name string) (string, int, error) {
	ascii := isASCII(name)
	if len(d) > 253 {
		off := 253
		if !ascii {
			off = 0
		}
		return "", off, fmt.Errorf("domain is longer than 253 bytes")
	}
	for j := 0; j < len(d); j++ {
		if c := d[j]; !isLDH(c) && c != '.' || c >= 'A' && c <= 'Z' {
			return "", 0, fmt.Errorf("character %s is not allowed in a domain name", quoteByte(c))
		}
	}
	if !strings.Contains(d, ".") {
		return "", 0, fmt.Errorf("domain %s has a single label; a sign-in domain looks like contoso.com", quoteShort(name))
	}
	if allDigitsAndDots(d) {
		return "", 0, fmt.Errorf("an IP address is not a sign-in domain")
	}
	return d, 0, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// cutText cuts s to about n bytes on a character boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func allDigitsAndDots(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// isUnreserved reports RFC 3261 §25.1 unreserved = alphanum / mark.
func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-_.!~*'()", c) >= 0
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", string(c))
	}
	return fmt.Sprintf("0x%02X", c)
}

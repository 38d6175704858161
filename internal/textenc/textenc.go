package textenc

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Error says why bytes are not acceptable text: where and what, in words.
type Error struct {
	// Line is 1-based; 0 when the problem is the whole input.
	Line int
	// Offset is the byte offset of the problem: in the input for UTF-8,
	// in the decoded text for UTF-16.
	Offset int
	Msg    string
}

// Error returns "line N: message", or the message alone.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Encoding names what Decode found.
type Encoding string

// The encodings Decode accepts.
const (
	UTF8    Encoding = "UTF-8"
	UTF8BOM Encoding = "UTF-8 with a byte-order mark"
	UTF16LE Encoding = "UTF-16 little-endian"
	UTF16BE Encoding = "UTF-16 big-endian"
)

// SaveAsUTF8 tells a Windows user how to save a text file as UTF-8.
const SaveAsUTF8 = "save it as UTF-8 (in Notepad: Save As, Encoding UTF-8; in PowerShell: Out-File -Encoding utf8)"

// Decode returns b as UTF-8 text with LF line ends, and the encoding it
// was in, as the package documentation describes. The error is an *Error.
func Decode(b []byte) (string, Encoding, error) {
	enc, bom, err := sniff(b)
	if err != nil {
		return "", "", err
	}
	var s string
	switch enc {
	case UTF16LE, UTF16BE:
		if s, err = fromUTF16(b[bom:], enc == UTF16BE); err != nil {
			return "", "", err
		}
	default:
		s = string(b[bom:])
		if err := checkUTF8(s, bom > 0); err != nil {
			return "", "", err
		}
	}
	if err := checkControls(s); err != nil {
		return "", "", err
	}
	return NormalizeNewlines(s), enc, nil
}

// NormalizeNewlines turns CRLF and lone CR line ends into LF.
func NormalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// fromUTF16 decodes UTF-16 code units; an odd length or an unpaired
// surrogate is an error naming the line.
func fromUTF16(b []byte, bigEndian bool) (string, error) {
	if len(b)%2 != 0 {
		return "", &Error{Msg: fmt.Sprintf("the text is UTF-16 but has an odd number of bytes (%d); it may be cut short or not UTF-16 at all", len(b)+2)}
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	var sb strings.Builder
	sb.Grow(len(units))
	line := 1
	for i := 0; i < len(units); i++ {
		u := units[i]
		r := rune(u)
		switch {
		case utf16.IsSurrogate(r) && i+1 < len(units) && u < 0xdc00 && units[i+1] >= 0xdc00 && units[i+1] <= 0xdfff:
			r = utf16.DecodeRune(r, rune(units[i+1]))
			i++
		case utf16.IsSurrogate(r):
			return "", &Error{Line: line, Offset: 2 + 2*i, Msg: fmt.Sprintf("unpaired UTF-16 surrogate 0x%04X; the text is damaged", u)}
		case r == '\n':
			line++
		}
		sb.WriteRune(r)
	}
	return sb.String(), nil
}

// checkUTF8 returns an *Error for the first byte of s that is not UTF-8.
// bom says whether three bytes of byte-order mark preceded s.
func checkUTF8(s string, bom bool) error {
	if utf8.ValidString(s) {
		return nil
	}
	line := 1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			off := i
			if bom {
				off += 3
			}
			return &Error{Line: line, Offset: off, Msg: fmt.Sprintf(
				"byte 0x%02X is not UTF-8; the text may be in a legacy code page such as Windows-1252 — %s", s[i], SaveAsUTF8)}
		}
		if r == '\n' || r == '\r' && !strings.HasPrefix(s[i+1:], "\n") {
			line++
		}
		i += n
	}
	return nil
}

// checkControls returns an *Error for the first control character other
// than TAB, LF and CR: a sign of binary data, not text.
func checkControls(s string) error {
	line, lineStart := 1, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n':
			line, lineStart = line+1, i+1
		case c == '\r' && (i+1 == len(s) || s[i+1] != '\n'):
			line, lineStart = line+1, i+1
		case c < 0x20 && c != '\t' && c != '\r', c == 0x7f:
			return &Error{Line: line, Offset: i, Msg: fmt.Sprintf(
				"control byte 0x%02X at column %d: this is binary data, not text", c, i-lineStart+1)}
		}
	}
	return nil
}

package zone

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sipdisco/sipdisco/internal/textenc"
)

// invisibleNames names the invisible characters a zone file is most
// likely to hold by accident: a second byte-order mark (a file saved
// twice with one, or two files joined), spaces and joiners pasted from a
// web page or a word processor, and the bidirectional formatting
// characters of Unicode Standard Annex #9. The Unicode character names,
// shortened where they say less than a common name.
var invisibleNames = map[rune]string{
	0x00a0: "no-break space",
	0x00ad: "soft hyphen",
	0x034f: "combining grapheme joiner",
	0x061c: "arabic letter mark",
	0x115f: "hangul choseong filler",
	0x1160: "hangul jungseong filler",
	0x180e: "mongolian vowel separator",
	0x200b: "zero-width space",
	0x200c: "zero-width non-joiner",
	0x200d: "zero-width joiner",
	0x200e: "left-to-right mark",
	0x200f: "right-to-left mark",
	0x2028: "line separator",
	0x2029: "paragraph separator",
	0x202a: "left-to-right embedding",
	0x202b: "right-to-left embedding",
	0x202c: "pop directional formatting",
	0x202d: "left-to-right override",
	0x202e: "right-to-left override",
	0x202f: "narrow no-break space",
	0x205f: "medium mathematical space",
	0x2060: "word joiner",
	0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate",
	0x2068: "first strong isolate",
	0x2069: "pop directional isolate",
	0x3000: "ideographic space",
	0x3164: "hangul filler",
	0xfeff: "byte-order mark",
	0xffa0: "halfwidth hangul filler",
}

// invisibleName returns what r is called when it is a character a reader
// of the zone file cannot see, or one that is not what it looks like (a
// space other than U+0020), and "" for any other.
func invisibleName(r rune) string {
	if name, ok := invisibleNames[r]; ok {
		return name
	}
	switch {
	case r == utf8.RuneError:
		return ""
	case unicode.IsControl(r):
		return "control character"
	case unicode.Is(unicode.Zs, r) && r != ' ':
		return "space other than U+0020"
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Variation_Selector, r):
		return "invisible formatting character"
	}
	return ""
}

// maxInvisibleNamed bounds the characters one error names.
const maxInvisibleNamed = 3

// nameInvisible adds to err, a *ParseError, the invisible characters of
// the line it names (or, for errNoOrigin, of the text), each by code
// point, name and column: "not a TTL: \"contoso.test.\"" says nothing of
// the U+FEFF before "$ORIGIN" that made it. raw is the text as given;
// other errors pass unchanged.
func nameInvisible(err error, raw string) error {
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line == 0 && pe.Msg != errNoOrigin {
		return err
	}
	text, _, derr := textenc.Decode([]byte(raw))
	if derr != nil {
		return err // the decoder's own message names the bytes
	}
	lines := strings.Split(text, "\n")
	first, last := 0, len(lines)
	if pe.Line > 0 {
		if pe.Line > len(lines) {
			return err
		}
		first, last = pe.Line-1, pe.Line
	}
	// Decode took a byte-order mark at the very start as the encoding's;
	// one right after it is a second.
	bom := strings.HasPrefix(raw, "\xef\xbb\xbf") || strings.HasPrefix(raw, "\xff\xfe") || strings.HasPrefix(raw, "\xfe\xff")
	var found []string
	more := 0
	for n := first; n < last; n++ {
		col := 0
		for _, r := range lines[n] {
			col++
			name := invisibleName(r)
			if name == "" {
				continue
			}
			if len(found) == maxInvisibleNamed {
				more++
				continue
			}
			where := fmt.Sprintf("column %d", col)
			if pe.Line == 0 {
				where = fmt.Sprintf("line %d, column %d", n+1, col)
			}
			if r == 0xfeff && n == 0 && col == 1 && bom {
				name += ", a second one after the file's own"
			}
			found = append(found, fmt.Sprintf("%U (%s) at %s", r, name, where))
		}
	}
	if len(found) == 0 {
		return err
	}
	list := strings.Join(found, ", ")
	if more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	holder := "the line"
	if pe.Line == 0 {
		holder = "the text"
	}
	out := *pe
	out.Msg += fmt.Sprintf(" (%s holds %s, which cannot be seen: delete or retype it)", holder, list)
	return &out
}

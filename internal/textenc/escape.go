package textenc

import (
	"strings"
	"unicode/utf8"
)

// Escape makes s safe to print on a terminal: a byte that is not UTF-8
// and a control character (C0, DEL and C1, Unicode general category Cc)
// become \xNN, and a bidirectional formatting character becomes \uNNNN
// (see IsBidiControl). What remains is valid UTF-8 that cannot move the
// cursor, change colours (an 8-bit CSI, 0x9B, as much as ESC [) or
// reorder the text around it.
func Escape(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			hex(&b, `\x`, rune(s[i]), 2)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			hex(&b, `\x`, r, 2)
		case IsBidiControl(r):
			hex(&b, `\u`, r, 4)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// EscapeBidi returns s with every bidirectional formatting character
// (IsBidiControl) written as \uNNNN and nothing else changed: for HTML,
// where the markup's escaping already makes the rest inert text but a
// browser still obeys a right-to-left override in that text.
func EscapeBidi(s string) string {
	if !strings.ContainsFunc(s, IsBidiControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if IsBidiControl(r) {
			hex(&b, `\u`, r, 4)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// IsBidiControl reports whether r is one of the characters with the
// Unicode property Bidi_Control (Unicode Standard Annex #9, "Unicode
// Bidirectional Algorithm", table 4): the Arabic letter mark U+061C, the
// marks U+200E and U+200F, the embeddings and overrides U+202A–U+202E and
// the isolates U+2066–U+2069. Shown as they are, they reorder the text
// around them, so that "exe.txt" can read as "txt.exe" (CVE-2021-42574,
// "Trojan Source").
func IsBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// hex writes prefix and r as digits lowercase hexadecimal digits.
func hex(b *strings.Builder, prefix string, r rune, digits int) {
	const hexDigits = "0123456789abcdef"
	b.WriteString(prefix)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b.WriteByte(hexDigits[r>>shift&0xf])
	}
}

package textenc

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"pool01.contoso.com", "pool01.contoso.com"},
		{"", ""},
		{"café ünïcode €", "café ünïcode €"},
		{"\x1b[2J", `\x1b[2J`},
		{"a\tb\nc\rd\x00e\x7f", `a\x09b\x0ac\x0dd\x00e\x7f`},
		// 0x9B alone is not UTF-8: the 8-bit CSI of terminals that honour
		// 8-bit controls. The same control as UTF-8 is U+009B.
		{"Lync\x9b2J", `Lync\x9b2J`},
		{"\x9b", `\x9b`},
		{"\u009b2J\u0085", `\x9b2J\x85`},
		{"bad\xff\xc3", `bad\xff\xc3`},
		{"\u202eexe.txt", `\u202eexe.txt`},
		{"a\u061cb\u200ec\u200fd\u202ae\u2066f\u2069", `a\u061cb\u200ec\u200fd\u202ae\u2066f\u2069`},
		// Not controls: a zero-width joiner in an emoji, U+00A0.
		{"x\u200dy\u00a0z", "x\u200dy\u00a0z"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscapeBidi(t *testing.T) {
	for in, want := range map[string]string{
		"<b>\u202eexe.txt</b>": `<b>\u202eexe.txt</b>`,
		"plain":                "plain",
		"\x1b\u2067x":          "\x1b\\u2067x",
	} {
		if got := EscapeBidi(in); got != want {
			t.Errorf("EscapeBidi(%q) = %q; want %q", in, got, want)
		}
	}
}

// FuzzEscape: whatever the bytes, Escape's output is valid UTF-8 (so no
// lone C1 byte) and holds no C0, DEL, C1 or bidirectional formatting
// character; printable ASCII comes out as it went in; and every other
// character survives unless it was escaped.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"pool01.contoso.com", "\x1b[31m", "Lync\x9b2J", "\u009b\u0085", "\u202eexe.txt", "bad\xff\xc3\xe2\x80", "café \u2066x\u2069", "\t\r\n\x00\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q: not UTF-8", s, out)
		}
		if i := strings.IndexFunc(out, func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || IsBidiControl(r) }); i >= 0 {
			t.Fatalf("Escape(%q) = %q: a control character at byte %d", s, out, i)
		}
		plain := !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r >= 0x7f })
		if plain && out != s {
			t.Fatalf("Escape(%q) = %q; printable ASCII should pass unchanged", s, out)
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
			return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || IsBidiControl(r) || r == '\\'
		}) && out != s {
			t.Fatalf("Escape(%q) = %q; text without controls should pass unchanged", s, out)
		}
		if b := EscapeBidi(s); strings.ContainsFunc(b, IsBidiControl) {
			t.Fatalf("EscapeBidi(%q) = %q: a bidi control remains", s, b)
		}
	})
}

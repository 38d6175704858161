package engine

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want URI
		str  string
	}{
		{"sip", "sip:bob@contoso.com", URI{Scheme: "sip", User: "bob", Domain: "contoso.com"}, "sip:bob@contoso.com"},
		{"bare", "bob@contoso.com", URI{Scheme: "sip", User: "bob", Domain: "contoso.com"}, "sip:bob@contoso.com"},
		{"sips", "sips:bob@contoso.com", URI{Scheme: "sips", User: "bob", Domain: "contoso.com"}, "sips:bob@contoso.com"},
		{"upper scheme and domain, trailing dot", "  SIP:Bob@CONTOSO.COM. ", URI{Scheme: "sip", User: "Bob", Domain: "contoso.com"}, "sip:Bob@contoso.com"},
		{"params", "sip:bob@contoso.com;transport=tls;lr", URI{Scheme: "sip", User: "bob", Domain: "contoso.com",
			Params: []Param{{Name: "transport", Value: "tls", HasValue: true}, {Name: "lr"}}}, "sip:bob@contoso.com;transport=tls;lr"},
		{"escaped user", "sip:bob%20smith@contoso.com", URI{Scheme: "sip", User: "bob%20smith", Domain: "contoso.com"}, "sip:bob%20smith@contoso.com"},
		{"idn", "bob@bücher.example", URI{Scheme: "sip", User: "bob", Domain: "xn--bcher-kva.example"}, "sip:bob@xn--bcher-kva.example"},
		{"idn upper", "bob@BÜCHER.example", URI{Scheme: "sip", User: "bob", Domain: "xn--bcher-kva.example"}, "sip:bob@xn--bcher-kva.example"},
		{"a-label", "bob@xn--bcher-kva.example", URI{Scheme: "sip", User: "bob", Domain: "xn--bcher-kva.example"}, "sip:bob@xn--bcher-kva.example"},
		{"user marks", "sip:first.last+lab@sub.contoso.com", URI{Scheme: "sip", User: "first.last+lab", Domain: "sub.contoso.com"}, "sip:first.last+lab@sub.contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseURI(tt.in)
			if err != nil {
				t.Fatalf("ParseURI(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("ParseURI(%q) mismatch (-got +want):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("ParseURI(%q).String() = %q; want %q", tt.in, s, tt.str)
			}
			again, err := ParseURI(got.String())
			if err != nil || !cmp.Equal(again, got) {
				t.Errorf("ParseURI(%q) does not round-trip: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseURIErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
	}{
		{"", 0},
		{"   ", 0},
		{"bob", 3},
		{"sip:bob", 7},
		{"@contoso.com", 0},
		{"sip:@contoso.com", 4},
		{"tel:+15551234@contoso.com", 0},
		{"mailto:bob@contoso.com", 0},
		{":bob@contoso.com", 0},
		{"sip:bob:secret@contoso.com", 7},
		{"sip:bob@contoso.com:5061", 19},
		{"sip:bob@contoso.com?subject=x", 19},
		{"sip:bob@", 8},
		{"sip:bob@.", 8},
		{"sip:bob@contoso", 8},
		{"sip:bob@192.0.2.1", 8},
		{"sip:bob@[2001:db8::1]", 8},
		{"sip:bob@con toso.com", 11},
		{"sip:bob@contoso..com", 16},
		{"sip:bob@-contoso.com", 8},
		{"sip:bob@con_toso.com", 11},
		{"sip:b<b@contoso.com", 5},
		{"sip:bob%2@contoso.com", 7},
		{"sip:bob@a@contoso.com", 9},
		{"sip:bob@contoso.com;", 20},
		{"sip:bob@contoso.com;transport=", 30},
		{"sip:bob@contoso.com;a<b", 21},
		{"sip:bob@" + string(make([]byte, 600)), 8}, // the first NUL, not the length
		{"sip:bob@" + strings.Repeat("a", 600) + ".com", 512},
		{"sip:bob@\x00.com", 8},
	}
	for _, tt := range tests {
		_, err := ParseURI(tt.in)
		var ue *URIError
		if !errors.As(err, &ue) {
			t.Errorf("ParseURI(%q) error = %v; want a *URIError", tt.in, err)
			continue
		}
		if ue.Offset != tt.offset {
			t.Errorf("ParseURI(%q) offset = %d (%v); want %d", tt.in, ue.Offset, err, tt.offset)
		}
	}
}

// TestParseURIHostile is the table of hostile addresses: control
// characters, CR/LF, invalid UTF-8, a second scheme, very long input. Each
// error must point at the first offending byte and say what it is, and its
// text must be short and hold no raw control character, whatever the
// input held.
func TestParseURIHostile(t *testing.T) {
	long := strings.Repeat("a", 100<<10)
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string // substring of the error
	}{
		{"CR LF header injection", "bob@contoso.com\r\nX-Injected: 1", 15, "a carriage return (CR, U+000D) is not allowed: a sign-in address is one line"},
		{"LF alone", "bob@contoso.com\nX-Injected: 1", 15, "a line break (LF, U+000A)"},
		{"CR in the user part", "bo\rb@contoso.com", 2, "carriage return"},
		{"ESC sequence after the domain", "bob@contoso.com\x1b[2J", 15, "an escape character (ESC, U+001B)"},
		{"ESC in the user part", "\x1b[31mbob@contoso.com", 0, "escape character"},
		{"NUL", "bob@conto\x00so.com", 9, "a NUL byte"},
		{"tab inside", "bob@contoso\t.com", 11, "a tab"},
		{"DEL", "bob\x7f@contoso.com", 3, "a DEL character"},
		{"C1 CSI", "bob@contoso.com\u009b2J", 15, "control character U+009B"},
		{"C1 NEL", "bob\u0085@contoso.com", 3, "control character U+0085"},
		{"invalid UTF-8 in the domain", "bob@bad\xffutf8.com", 7, "byte 0xFF is not UTF-8"},
		{"invalid UTF-8 in the user part", "b\xc3b@contoso.com", 1, "byte 0xC3 is not UTF-8"},
		{"truncated UTF-8 at the end", "bob@contoso.com\xe2\x82", 15, "byte 0xE2 is not UTF-8"},
		{"overlong UTF-8", "bob@c\xc0\xafontoso.com", 5, "byte 0xC0 is not UTF-8"},
		{"surrogate in UTF-8", "bob@c\xed\xa0\x80.com", 5, "byte 0xED is not UTF-8"},
		{"scheme twice", "sip:sip:bob@contoso.com", 4, `the scheme "sip:" is written twice`},
		{"scheme twice, other case", "SIPS:Sip:bob@contoso.com", 5, `the scheme "Sip:" is written twice`},
		{"password", "sip:bob:secret@contoso.com", 7, "a password is not allowed"},
		{"port after a bad character", "bob@con toso.com:5061", 7, "a space is not allowed in a domain name"},
		{"empty label before a port", "bob@a..b.com:5061", 6, "empty label"},
		{"label over 63 bytes", "bob@" + strings.Repeat("x", 70) + ".com", 4 + 63, "is longer than 63 bytes"},
		{"trailing hyphen", "bob@contoso-.com", 11, "starts or ends with '-'"},
		{"non-ASCII user", "bøb@contoso.com", 1, `character "ø" (U+00F8) is not allowed in the user part`},
		{"bidi override in the domain", "bob@\u202econtoso.com", 4, "not a valid internationalized name"},
		{"100 KB address", long + "@contoso.com", MaxURILength, "longer than 512 bytes"},
		{"100 KB with a CR early", "bob@contoso.com\r\n" + long, 15, "carriage return"},
		{"100 KB scheme", long + ":bob@contoso.com", MaxURILength, "longer than 512"},
		{"long unsupported scheme", strings.Repeat("x", 300) + ":bob@contoso.com", 0, "unsupported scheme"},
		{"long parameter name with no value", "bob@contoso.com;" + strings.Repeat("p", 300) + "=", 16 + 301, "has an empty value"},
		{"long label", "bob@" + strings.Repeat("y", 400) + ".com", 4 + 63, "longer than 63"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseURI(tt.in)
			var ue *URIError
			if !errors.As(err, &ue) {
				t.Fatalf("ParseURI(%.80q) = %v; want a *URIError", tt.in, err)
			}
			if ue.Offset != tt.offset || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("ParseURI(%.80q) = offset %d, %q; want offset %d and %q", tt.in, ue.Offset, err, tt.offset, tt.msg)
			}
			checkErrorText(t, tt.in, ue)
		})
	}
}

// checkErrorText checks what a *URIError prints: short, valid UTF-8, no
// control characters, a caret under the offending character of the
// excerpt.
func checkErrorText(t *testing.T, in string, ue *URIError) {
	t.Helper()
	msg := ue.Error()
	caret := ue.Caret()
	for _, s := range []string{msg, caret} {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && isControlChar(r) }) {
			t.Errorf("error text %q holds invalid UTF-8 or a control character", s)
		}
	}
	if len(msg) > 600 {
		t.Errorf("error text is %d bytes for a %d-byte input; want it cut", len(msg), len(in))
	}
	text, col := ue.Excerpt()
	lines := strings.Split(caret, "\n")
	if len(lines) != 2 || lines[0] != text || lines[1] != strings.Repeat(" ", col)+"^" {
		t.Fatalf("Caret() = %q; want the excerpt %q and a caret at column %d", caret, text, col)
	}
	if n := utf8.RuneCountInString(text); col > n {
		t.Errorf("caret column %d is past the excerpt's %d characters", col, n)
	}
	// The caret stands under the escaped form of the offending character.
	if ue.Offset < len(in) {
		want := escapeInput(in[ue.Offset : ue.Offset+1])
		if r, size := utf8.DecodeRuneInString(in[ue.Offset:]); r != utf8.RuneError || size > 1 {
			want = escapeRune(r)
		}
		if got := string([]rune(text)[col:]); !strings.HasPrefix(got, want) {
			t.Errorf("excerpt %q from column %d reads %q; want the offending character %q", text, col, got, want)
		}
	}
}

// TestURIErrorExcerpt pins the excerpt and caret of a few errors.
func TestURIErrorExcerpt(t *testing.T) {
	tests := []struct {
		in, excerpt, caret string
	}{
		{"bob@contoso.com\r\nX-Injected: 1", `bob@contoso.com\r\nX-Injected: 1`, "               ^"},
		{"bob@contoso.com\x1b[2J", `bob@contoso.com\x1b[2J`, "               ^"},
		{"sip:bob", `sip:bob`, "       ^"},
		{"bob@bücher\xff.example", `bob@bücher\xff.example`, "          ^"},
		{"b\"ob@x.com", `b\"ob@x.com`, " ^"},
		{"bob@\u202econtoso.com", `bob@\u202econtoso.com`, "    ^"},
		// Wide characters are escaped, so the caret still lines up.
		{"bob@例え.jp\x00", `bob@\u4f8b\u3048.jp\x00`, strings.Repeat(" ", 19) + "^"},
		{strings.Repeat("a", 100) + "\r" + strings.Repeat("b", 100) + "@x.com",
			"..." + strings.Repeat("a", 32) + `\r` + strings.Repeat("b", 32) + "...", strings.Repeat(" ", 35) + "^"},
	}
	for _, tt := range tests {
		_, err := ParseURI(tt.in)
		var ue *URIError
		if !errors.As(err, &ue) {
			t.Errorf("ParseURI(%q) = %v; want a *URIError", tt.in, err)
			continue
		}
		want := tt.excerpt + "\n" + tt.caret
		if got := ue.Caret(); got != want {
			t.Errorf("ParseURI(%q).Caret() =\n%s\nwant\n%s", tt.in, got, want)
		}
		if !strings.Contains(ue.Error(), `"`+tt.excerpt+`"`) {
			t.Errorf("ParseURI(%q).Error() = %q; want it to quote the excerpt %q", tt.in, ue.Error(), tt.excerpt)
		}
	}
}

// FuzzParseURI checks the Parse -> String -> Parse fixed point and that no
// input panics; errors point inside the input and print safely.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{"sip:bob@contoso.com", "bob@bücher.example", "sips:a@b.c;x=y;lr", "sip:%41@x.y", "SIP:A@B.C.", "sip:bob@contoso.com:5061",
		"bob@contoso.com\r\nX-Injected: 1", "bob@contoso.com\x1b[2J", "sip:sip:bob@contoso.com", "bob@bad\xffutf8.com", "bob@\u202econtoso.com", "b\u0085@x.y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURI(s)
		if err != nil {
			var ue *URIError
			if !errors.As(err, &ue) || ue.Offset < 0 || ue.Offset > len(s) {
				t.Fatalf("ParseURI(%q) = %v; want a *URIError with an offset inside the input", s, err)
			}
			checkErrorText(t, s, ue)
			return
		}
		again, err := ParseURI(u.String())
		if err != nil {
			t.Fatalf("ParseURI(%q) = %+v, but its String %q does not parse: %v", s, u, u.String(), err)
		}
		if !cmp.Equal(again, u) {
			t.Fatalf("round trip of %q: %+v != %+v", s, again, u)
		}
	})
}

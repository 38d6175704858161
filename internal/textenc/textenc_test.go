package textenc

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b []byte
	if bom {
		if bigEndian {
			b = append(b, 0xfe, 0xff)
		} else {
			b = append(b, 0xff, 0xfe)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func TestDecode(t *testing.T) {
	const text = "@ IN A 192.0.2.1 ; café\nsip IN A 192.0.2.2\n"
	tests := []struct {
		name string
		in   []byte
		want string
		enc  Encoding
		err  string
	}{
		{"UTF-8", []byte(text), text, UTF8, ""},
		{"UTF-8 BOM", append([]byte{0xef, 0xbb, 0xbf}, text...), text, UTF8BOM, ""},
		{"UTF-16LE BOM", utf16Bytes(text, false, true), text, UTF16LE, ""},
		{"UTF-16BE BOM", utf16Bytes(text, true, true), text, UTF16BE, ""},
		{"UTF-16 astral", utf16Bytes("x 😀\n", false, true), "x 😀\n", UTF16LE, ""},
		{"CRLF", []byte(strings.ReplaceAll(text, "\n", "\r\n")), text, UTF8, ""},
		{"CR only", []byte(strings.ReplaceAll(text, "\n", "\r")), text, UTF8, ""},
		{"UTF-16 CRLF", utf16Bytes(strings.ReplaceAll(text, "\n", "\r\n"), false, true), text, UTF16LE, ""},
		{"empty", nil, "", UTF8, ""},
		{"tabs", []byte("a\tb\n"), "a\tb\n", UTF8, ""},
		{"UTF-16 without BOM", utf16Bytes(text, false, false), "", "", "UTF-16 little-endian without a byte-order mark"},
		{"UTF-32", []byte{0xff, 0xfe, 0, 0, 'a', 0, 0, 0}, "", "", "UTF-32"},
		{"xlsx", []byte("PK\x03\x04\x14\x00\x06\x00"), "", "", "the text is a ZIP archive (an Excel .xlsx workbook?)"},
		{"short NUL", []byte("a\x00"), "", "", "line 1: control byte 0x00 at column 2"},
		{"odd UTF-16", append(utf16Bytes("ab", false, true), 'c'), "", "", "odd number of bytes"},
		{"lone surrogate", append(utf16Bytes("a\nb", false, true), 0x00, 0xd8, 'c', 0), "", "", "line 2: unpaired UTF-16 surrogate 0xD800"},
		{"Windows-1252", []byte("a\nb\ncaf\xe9\n"), "", "", "line 3: byte 0xE9 is not UTF-8; the text may be in a legacy code page such as Windows-1252"},
		{"Windows-1252 after CR", []byte("a\rb\rcaf\xe9\n"), "", "", "line 3: byte 0xE9"},
		{"binary", []byte("a\nb\x00\x01\x02"), "", "", "line 2: control byte 0x00 at column 2: this is binary data"},
		{"escape", []byte("sip\x1b[2J IN A 192.0.2.1\n"), "", "", "line 1: control byte 0x1B at column 4"},
		{"control in UTF-16", utf16Bytes("a\r\nb\x07", false, true), "", "", "line 2: control byte 0x07"},
	}
	for _, tt := range tests {
		got, enc, err := Decode(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: Decode = %q, %v; want an error containing %q", tt.name, got, err, tt.err)
			}
		case err != nil || got != tt.want || enc != tt.enc:
			t.Errorf("%s: Decode = %q, %q, %v; want %q, %q", tt.name, got, enc, err, tt.want, tt.enc)
		}
	}
}

// TestNewReader reads what Decode reads, a line at a time, and refuses
// what it refuses.
func TestNewReader(t *testing.T) {
	const text = "bob@contoso.com\r\ncarol@fabrikam.com\n"
	for _, in := range [][]byte{[]byte(text), append([]byte{0xef, 0xbb, 0xbf}, text...), utf16Bytes(text, false, true), utf16Bytes(text, true, true)} {
		r, enc, err := NewReader(bytes.NewReader(in))
		if err != nil {
			t.Errorf("NewReader(% x...): %v", in[:4], err)
			continue
		}
		got, err := io.ReadAll(r)
		if err != nil || string(got) != text {
			t.Errorf("NewReader(% x...) as %s = %q, %v; want %q", in[:4], enc, got, err, text)
		}
	}
	for in, want := range map[string]string{
		"bob@contoso.com\n\x00\x01\x02":        "binary data (a NUL byte at offset 16)",
		string(utf16Bytes(text, false, false)): "UTF-16 little-endian without a byte-order mark",
		"\x1f\x8b\x08\x00":                     "gzip-compressed data",
		"%PDF-1.7\n":                           "a PDF document",
	} {
		if _, _, err := NewReader(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewReader(%q) = %v; want an error containing %q", in, err, want)
		}
	}
	r, _, err := NewReader(bytes.NewReader(append(utf16Bytes("ab", false, true), 'c')))
	if err == nil {
		_, err = io.ReadAll(r)
	}
	if err == nil || !strings.Contains(err.Error(), "ends in the middle of a character") {
		t.Errorf("UTF-16 with an odd byte: %v; want it named", err)
	}
}

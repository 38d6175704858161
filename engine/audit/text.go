package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// This file turns the bytes of an address list into lines of UTF-8 text:
// the encodings people's tools really write, and the line endings of every
// platform.

// sniffLen is how much of the input is inspected to tell its encoding.
const sniffLen = 512

// EncodingError is the error for an input that is not text ReadLines can
// read. Encoding names what the input looks like ("UTF-32LE", "a ZIP
// archive").
type EncodingError struct {
	Encoding string
	Hint     string // what to do instead
}

// Error returns "the list is ENCODING, not UTF-8 or UTF-16 text: HINT".
func (e *EncodingError) Error() string {
	return fmt.Sprintf("the list is %s, not UTF-8 or UTF-16 text: %s", e.Encoding, e.Hint)
}

const saveAsUTF8 = "save it as UTF-8 (in Notepad: Save As, Encoding UTF-8; in PowerShell: Out-File -Encoding utf8)"

// decodeText returns r as UTF-8 text without a byte-order mark. It reads
// UTF-8, with or without the mark Notepad writes, and UTF-16 with a mark
// (Windows PowerShell 5 writes UTF-16 LE with Out-File and ">"). An input
// in another encoding, or binary data, is an *EncodingError naming what it
// looks like. Bytes that are not UTF-8 further on are left for the lines
// that hold them to report.
func decodeText(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		br.Discard(3)
		return br, nil
	case bytes.HasPrefix(head, []byte{0, 0, 0xfe, 0xff}):
		return nil, &EncodingError{"UTF-32BE", saveAsUTF8}
	case bytes.HasPrefix(head, []byte{0xff, 0xfe, 0, 0}):
		return nil, &EncodingError{"UTF-32LE", saveAsUTF8}
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		br.Discard(2)
		return &utf16Reader{r: br, big: true}, nil
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		br.Discard(2)
		return &utf16Reader{r: br}, nil
	}
	if e := sniffBinary(head); e != nil {
		return nil, e
	}
	return br, nil
}

// sniffBinary names the input that starts with head when it is not text:
// a file format people save address lists in by mistake, UTF-16 without a
// byte-order mark, or other data with NUL bytes (which UTF-8 text never
// holds).
func sniffBinary(head []byte) error {
	formats := []struct {
		magic []byte
		name  string
		hint  string
	}{
		{[]byte("PK\x03\x04"), "a ZIP archive (an Excel .xlsx workbook?)", "save the column of addresses as a text file (Excel: Save As, CSV UTF-8)"},
		{[]byte{0xd0, 0xcf, 0x11, 0xe0}, "an Office document (an Excel .xls workbook?)", "save the column of addresses as a text file (Excel: Save As, CSV UTF-8)"},
		{[]byte{0x1f, 0x8b}, "gzip-compressed data", "decompress it first"},
		{[]byte("%PDF"), "a PDF document", "copy the addresses into a text file"},
	}
	for _, f := range formats {
		if bytes.HasPrefix(head, f.magic) {
			return &EncodingError{f.name, f.hint}
		}
	}
	nul := bytes.IndexByte(head, 0)
	if nul < 0 {
		return nil
	}
	// ASCII text in UTF-16 has a NUL in every other byte: odd offsets for
	// little-endian, even for big-endian.
	even, odd := 0, 0
	for i, c := range head[:len(head)&^1] {
		if c == 0 && i%2 == 0 {
			even++
		} else if c == 0 {
			odd++
		}
	}
	half := len(head) / 4 // at least half of the code units
	switch {
	case odd >= half && even <= odd/8:
		return &EncodingError{"UTF-16LE without a byte-order mark", saveAsUTF8}
	case even >= half && odd <= even/8:
		return &EncodingError{"UTF-16BE without a byte-order mark", saveAsUTF8}
	}
	return &EncodingError{fmt.Sprintf("binary data (a NUL byte at offset %d)", nul), "want a text file with one sign-in address per line"}
}

// utf16Reader decodes UTF-16 (RFC 2781) to UTF-8. An unpaired surrogate
// becomes U+FFFD, which no address may hold; an odd final byte is an
// error.
type utf16Reader struct {
	r   *bufio.Reader
	big bool
	out []byte // decoded, not yet read
	err error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// fill decodes up to 256 code units into u.out.
func (u *utf16Reader) fill() {
	for range 256 {
		c, err := u.unit()
		if err != nil {
			u.err = err
			return
		}
		r := rune(c)
		if utf16.IsSurrogate(r) {
			r = u.pair(r)
		}
		u.out = utf8.AppendRune(u.out, r)
	}
}

// pair returns the character the surrogate r starts, reading its second
// half, or U+FFFD when r does not start a pair.
func (u *utf16Reader) pair(r rune) rune {
	if r >= 0xdc00 { // a low surrogate first
		return utf8.RuneError
	}
	b, err := u.r.Peek(2)
	if err != nil {
		return utf8.RuneError
	}
	lo := rune(b[0])<<8 | rune(b[1])
	if !u.big {
		lo = rune(b[1])<<8 | rune(b[0])
	}
	if lo < 0xdc00 || lo > 0xdfff {
		return utf8.RuneError // keep the next unit for the next character
	}
	u.r.Discard(2)
	return utf16.DecodeRune(r, lo)
}

// unit reads one code unit.
func (u *utf16Reader) unit() (uint16, error) {
	var b [2]byte
	switch _, err := io.ReadFull(u.r, b[:]); {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return 0, errors.New("the list is UTF-16 text that ends in the middle of a character (an odd number of bytes)")
	case err != nil:
		return 0, err
	}
	if u.big {
		return uint16(b[0])<<8 | uint16(b[1]), nil
	}
	return uint16(b[1])<<8 | uint16(b[0]), nil
}

// lineReader splits text into lines ended by LF, CRLF or CR (Unix,
// Windows and classic Mac OS), so that a list from any of them has the
// same lines.
type lineReader struct {
	br  *bufio.Reader
	buf []byte
}

// next returns the next line without its end, and whether it was longer
// than MaxLine bytes (line then holds its first MaxLine bytes). The slice
// is reused by the next call. err is io.EOF after the last line.
func (l *lineReader) next() (line []byte, long bool, err error) {
	l.buf = l.buf[:0]
	for {
		c, err := l.br.ReadByte()
		switch {
		case errors.Is(err, io.EOF) && (len(l.buf) > 0 || long):
			return l.buf, long, nil
		case err != nil:
			return nil, false, err
		case c == '\n':
			return l.buf, long, nil
		case c == '\r':
			if b, _ := l.br.Peek(1); len(b) == 1 && b[0] == '\n' {
				l.br.ReadByte()
			}
			return l.buf, long, nil
		case len(l.buf) < MaxLine:
			l.buf = append(l.buf, c)
		default:
			long = true
		}
	}
}

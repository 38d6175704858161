package textenc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// NewReader returns r as UTF-8 text without a byte-order mark, for input
// read a line at a time, such as a list of addresses. It accepts what
// Decode accepts and refuses it as Decode does, with an *Error, and also
// refuses an input with a NUL byte near its start as binary data. Further
// on it checks nothing: bytes that are not UTF-8 are left for the lines
// that hold them to report, an unpaired UTF-16 surrogate becomes U+FFFD,
// and line ends are kept as they are.
func NewReader(r io.Reader) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	enc, bom, err := sniff(head)
	if err != nil {
		return nil, "", err
	}
	if enc == UTF8 {
		if nul := bytes.IndexByte(head, 0); nul >= 0 {
			return nil, "", &Error{Offset: nul, Msg: fmt.Sprintf("the text is binary data (a NUL byte at offset %d), not UTF-8 or UTF-16", nul)}
		}
	}
	br.Discard(bom)
	if enc == UTF16LE || enc == UTF16BE {
		return &utf16Reader{r: br, big: enc == UTF16BE}, enc, nil
	}
	return br, enc, nil
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
		return 0, &Error{Msg: "the text is UTF-16 but ends in the middle of a character (an odd number of bytes); it may be cut short"}
	case err != nil:
		return 0, err
	}
	if u.big {
		return uint16(b[0])<<8 | uint16(b[1]), nil
	}
	return uint16(b[1])<<8 | uint16(b[0]), nil
}

package audit

import (
	"bufio"
	"errors"
	"io"
)

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

package textenc

import (
	"bytes"
	"fmt"
)

// sniffLen is how much of the input sniff inspects.
const sniffLen = 512

// sniff tells the encoding of the input that starts with head, and the
// length of its byte-order mark. It refuses, naming them, UTF-32, UTF-16
// without a byte-order mark, and the file formats people save a list or
// a zone in by mistake; any other input is UTF-8 for the caller to check.
func sniff(head []byte) (Encoding, int, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		return UTF8BOM, 3, nil
	case bytes.HasPrefix(head, []byte{0, 0, 0xfe, 0xff}):
		return "", 0, notText("UTF-32 big-endian", SaveAsUTF8)
	case bytes.HasPrefix(head, []byte{0xff, 0xfe, 0, 0}):
		return "", 0, notText("UTF-32 little-endian", SaveAsUTF8)
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return UTF16BE, 2, nil
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return UTF16LE, 2, nil
	}
	const fromSheet = "save the column as a text file (Excel: Save As, CSV UTF-8)"
	formats := []struct {
		magic      string
		name, hint string
	}{
		{"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?)", fromSheet},
		{"\xd0\xcf\x11\xe0", "an Office document (an Excel .xls workbook?)", fromSheet},
		{"\x1f\x8b", "gzip-compressed data", "decompress it first"},
		{"%PDF", "a PDF document", "copy the text into a text file"},
	}
	for _, f := range formats {
		if bytes.HasPrefix(head, []byte(f.magic)) {
			return "", 0, notText(f.name, f.hint)
		}
	}
	// ASCII text in UTF-16 has a NUL in every other byte: odd offsets for
	// little-endian, even for big-endian.
	head = head[:min(len(head), sniffLen)&^1]
	even, odd := 0, 0
	for i, c := range head {
		switch {
		case c == 0 && i%2 == 0:
			even++
		case c == 0:
			odd++
		}
	}
	units := len(head) / 2
	switch {
	case units < 2:
	case 2*odd >= units && even <= odd/8:
		return "", 0, notText("UTF-16 little-endian without a byte-order mark", SaveAsUTF8)
	case 2*even >= units && odd <= even/8:
		return "", 0, notText("UTF-16 big-endian without a byte-order mark", SaveAsUTF8)
	}
	return UTF8, 0, nil
}

// notText is the *Error for an input in encoding or format name.
func notText(name, hint string) *Error {
	return &Error{Msg: fmt.Sprintf("the text is %s, not UTF-8 or UTF-16; %s", name, hint)}
}

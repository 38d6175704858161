// Package snapshot encodes and decodes snapshot links (check.Snapshot)
// with compress/gzip, for the programs that compress in Go: the command
// line's tests, the tools module's links to reports of planned zones, and
// everything else outside a browser. The format, its limits and its
// checks are package check's (check.SnapshotJSON); the analyzer's first
// WebAssembly module uses the browser's Compression Streams instead and
// so links no DEFLATE code.
package snapshot

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/sipdisco/sipdisco/check"
)

// Encode returns the fragment of a snapshot link, "#s=…": the JSON of s
// (check.SnapshotJSON), gzip-compressed (RFC 1952) and base64url-encoded
// without padding (check.SnapshotFragment). A report that Decode would
// refuse is an error, so that every link it writes opens.
func Encode(s check.Snapshot) (string, error) {
	js, err := check.SnapshotJSON(s)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(js)
	if err := w.Close(); err != nil {
		return "", err
	}
	return check.SnapshotFragment(buf.Bytes())
}

// Decode reads a snapshot fragment ("#s=…", "s=…") and checks the whole
// of it before anything may render it: the limits, the checksum, nothing
// after the data, every field known, and every report in it valid
// (check.ValidateReport). The error says in plain words whether the link
// is not a snapshot, was cut short or altered, or holds something that is
// not a sipdisco report.
func Decode(fragment string) (check.Snapshot, error) {
	raw, version, err := check.SnapshotData(fragment)
	if err != nil {
		return check.Snapshot{}, err
	}
	js, err := inflate(raw, version)
	if err != nil {
		return check.Snapshot{}, err
	}
	return check.SnapshotFromJSON(js, version)
}

// inflate decompresses a snapshot's data with compress/gzip (version 2,
// checked against its CRC-32 and length) or compress/flate (version 1).
// Nothing may follow the compressed data.
func inflate(raw []byte, version int) ([]byte, error) {
	br := bytes.NewReader(raw)
	var r io.Reader
	if version == 2 {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, errors.New("the snapshot link is damaged: its data does not start as a sipdisco snapshot does")
		}
		zr.Multistream(false)
		r = zr
	} else {
		r = flate.NewReader(br)
	}
	js, err := io.ReadAll(io.LimitReader(r, check.MaxSnapshotJSON+1))
	switch {
	case errors.Is(err, gzip.ErrChecksum):
		return nil, check.ErrSnapshotChecksum
	case err != nil:
		return nil, check.ErrSnapshotData
	case len(js) > check.MaxSnapshotJSON:
		return nil, check.ErrSnapshotSize
	case br.Len() > 0:
		return nil, fmt.Errorf("the snapshot link has %d bytes of data after its end; it was altered", br.Len())
	}
	return js, nil
}

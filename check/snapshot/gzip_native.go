//go:build !js

package snapshot

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sipdisco/sipdisco/check"
)

// compress returns js gzip-compressed at the best compression.
func compress(_ context.Context, js []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(js)
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inflate decompresses a snapshot's data with compress/gzip (version 2,
// checked against its CRC-32 and length) or compress/flate (version 1).
// Nothing may follow the compressed data.
func inflate(_ context.Context, raw []byte, version int) ([]byte, error) {
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

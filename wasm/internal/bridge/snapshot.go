//go:build js && wasm

package bridge

import (
	"context"
	"errors"

	"github.com/sipdisco/sipdisco/check"
)

// The snapshot link's compression goes through the browser's
// CompressionStream and DecompressionStream (the Compression Streams
// standard, in every current browser and in Node), so that the first
// module carries no DEFLATE code of its own (about 38 KB brotli,
// docs/adr/0005-wasm-size.md). Everything around it is package check's:
// the JSON and its limits before, the checksum and the report's
// validation after. check/snapshot does the same with
// compress/gzip; TestSnapshotCodecsAgree holds the two together.

// EncodeSnapshot returns the snapshot link's fragment, "#s=…", for s.
func EncodeSnapshot(ctx context.Context, s check.Snapshot) (string, error) {
	js, err := check.SnapshotJSON(s)
	if err != nil {
		return "", err
	}
	gz, err := transform(ctx, "CompressionStream", "gzip", js, check.MaxSnapshotLink)
	if err != nil {
		return "", err
	}
	return check.SnapshotFragment(gz)
}

// DecodeSnapshot reads a snapshot link's fragment and checks the whole
// of it, as check/snapshot's Decode does.
func DecodeSnapshot(ctx context.Context, fragment string) (check.Snapshot, error) {
	raw, version, err := check.SnapshotData(fragment)
	if err != nil {
		return check.Snapshot{}, err
	}
	body := raw
	if version == 2 {
		// The DEFLATE data between gzip's 10-octet header and its
		// 8-octet trailer; the trailer is checked here, not by the
		// browser, so that a damaged link is named as such.
		body = raw[10 : len(raw)-8]
	}
	js, err := transform(ctx, "DecompressionStream", "deflate-raw", body, check.MaxSnapshotJSON+1)
	switch {
	case err != nil:
		return check.Snapshot{}, check.ErrSnapshotData
	case len(js) > check.MaxSnapshotJSON:
		return check.Snapshot{}, check.ErrSnapshotSize
	}
	if version == 2 {
		if err := check.CheckGzipTrailer(raw, js); err != nil {
			return check.Snapshot{}, err
		}
	}
	return check.SnapshotFromJSON(js, version)
}

// ignoreRejection handles promises whose failure shows elsewhere. It is
// never released: such a promise may settle at any later time.
var ignoreRejection = jsFunc(func() {})

// transform writes in through a new CompressionStream or
// DecompressionStream (class) of format and returns what it reads out,
// at most limit bytes: reading stops and the stream is cancelled there.
func transform(ctx context.Context, class, format string, in []byte, limit int) ([]byte, error) {
	ctor := jsGlobal(class)
	if !ctor.Truthy() {
		return nil, errors.New("this browser has no " + class + "; update it to open and make snapshot links")
	}
	ts := ctor.New(format)
	w := ts.Get("writable").Call("getWriter")
	// The writes settle as the output is read; a failure shows in the
	// read below, so the promises only need a handler.
	w.Call("write", toUint8Array(in)).Call("catch", ignoreRejection)
	w.Call("close").Call("catch", ignoreRejection)
	out, err := readStream(ctx, jsNew("AbortController"), ts.Get("readable").Call("getReader"), limit)
	return out, err
}

//go:build js && wasm

package snapshot

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/internal/jsasync"
)

// compress returns js gzip-compressed by the browser's CompressionStream.
func compress(ctx context.Context, in []byte) ([]byte, error) {
	return transform(ctx, "CompressionStream", "gzip", in, check.MaxSnapshotLink)
}

// inflate decompresses a snapshot's data with the browser's
// DecompressionStream: for version 2 the DEFLATE data between gzip's
// 10-octet header (checked by check.SnapshotData) and its 8-octet
// trailer, which is checked here (check.CheckGzipTrailer), not by the
// browser, so that a damaged link is named as such; for version 1 the
// whole of it. The browser refuses data after the end of the DEFLATE
// stream.
func inflate(ctx context.Context, raw []byte, version int) ([]byte, error) {
	body := raw
	if version == 2 {
		body = raw[10 : len(raw)-8]
	}
	js, err := transform(ctx, "DecompressionStream", "deflate-raw", body, check.MaxSnapshotJSON+1)
	switch {
	case err != nil:
		return nil, check.ErrSnapshotData
	case len(js) > check.MaxSnapshotJSON:
		return nil, check.ErrSnapshotSize
	}
	if version == 2 {
		if err := check.CheckGzipTrailer(raw, js); err != nil {
			return nil, err
		}
	}
	return js, nil
}

// ignoreRejection handles promises whose failure shows elsewhere. It is
// never released: such a promise may settle at any later time.
var ignoreRejection = js.FuncOf(func(js.Value, []js.Value) any { return nil })

// transform writes in through a new CompressionStream or
// DecompressionStream (class) of format and returns what it reads out,
// at most limit bytes: reading stops and the stream is cancelled there.
func transform(ctx context.Context, class, format string, in []byte, limit int) ([]byte, error) {
	ctor := js.Global().Get(class)
	if !ctor.Truthy() {
		return nil, errors.New("this browser has no " + class + "; update it to open and make snapshot links")
	}
	ts := ctor.New(format)
	w := ts.Get("writable").Call("getWriter")
	// The writes settle as the output is read; a failure shows in the
	// read below, so the promises only need a handler.
	w.Call("write", jsasync.Uint8Array(in)).Call("catch", ignoreRejection)
	w.Call("close").Call("catch", ignoreRejection)
	return jsasync.ReadStream(ctx, js.Global().Get("AbortController").New(), ts.Get("readable").Call("getReader"), limit)
}

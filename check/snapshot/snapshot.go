// Package snapshot encodes and decodes snapshot links (check.Snapshot),
// the one codec of every program: the command line, the tests and both
// WebAssembly modules. The format, its limits and its checks are package
// check's (check.SnapshotJSON, check.SnapshotData, check.SnapshotFromJSON);
// this package compresses and decompresses between them.
//
// The compression is gzip (RFC 1952; raw DEFLATE, RFC 1951, for links of
// version 1). Natively it is compress/gzip (gzip_native.go); in
// WebAssembly it is the browser's CompressionStream and
// DecompressionStream (the Compression Streams standard, in every current
// browser and in Node; gzip_js.go), so that the analyzer's first module
// links no DEFLATE code of its own (about 38 KB brotli,
// docs/adr/0005-wasm-size.md). Both decoders check the same things: the
// limits, the gzip header as a sipdisco snapshot writes it, the CRC-32
// and length of the trailer, nothing after the data, every field known,
// and every report valid (check.ValidateReport). The two encoders may
// compress differently; each reads the other's links (the test suite
// runs natively and under WebAssembly on the same links).
//
// What it deliberately doesn't do: render, shorten or store links, or
// accept a link that only nearly decodes.
package snapshot

import (
	"context"

	"github.com/sipdisco/sipdisco/check"
)

// Encode returns the fragment of a snapshot link, "#s=…": the JSON of s
// (check.SnapshotJSON), gzip-compressed (RFC 1952) and base64url-encoded
// without padding (check.SnapshotFragment). A report that Decode would
// refuse is an error, so that every link it writes opens. ctx bounds the
// browser's compression in WebAssembly.
func Encode(ctx context.Context, s check.Snapshot) (string, error) {
	js, err := check.SnapshotJSON(s)
	if err != nil {
		return "", err
	}
	gz, err := compress(ctx, js)
	if err != nil {
		return "", err
	}
	return check.SnapshotFragment(gz)
}

// Decode reads a snapshot fragment ("#s=…", "s=…") and checks the whole
// of it before anything may render it: the limits, the checksum, nothing
// after the data, every field known, and every report in it valid
// (check.ValidateReport). The error says in plain words whether the link
// is not a snapshot, was cut short or altered, or holds something that is
// not a sipdisco report. ctx bounds the browser's decompression in
// WebAssembly.
func Decode(ctx context.Context, fragment string) (check.Snapshot, error) {
	raw, version, err := check.SnapshotData(fragment)
	if err != nil {
		return check.Snapshot{}, err
	}
	js, err := inflate(ctx, raw, version)
	if err != nil {
		return check.Snapshot{}, err
	}
	return check.SnapshotFromJSON(js, version)
}

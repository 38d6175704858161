// Package lite is DNS-over-HTTPS (RFC 8484) for the analyzer's first
// WebAssembly module: the HTTP exchange as small types, the checks of an
// endpoint and of a response, and a Client whose DNS wire format goes
// through golang.org/x/net/dns/dnsmessage.
//
// Package dohclient, the command line's and the server's DNS, is built on
// github.com/miekg/dns, which imports crypto/tls; in a WebAssembly module
// that link alone costs about half a megabyte brotli
// (docs/adr/0005-wasm-size.md). This package keeps the browser's path to
// an answer free of it. dohclient re-exports the exchange types, the
// endpoint check and the errors from here, so that both clients send the
// same request bytes and fail with the same words; TestLiteAgrees in
// dohclient holds the two decoders to the same answers.
//
// A [Client] sends what dohclient.Client sends: one query per request
// with message ID 0 and RD set (RFC 8484 §4.1), an EDNS(0) OPT record
// advertising 1232 octets (RFC 6891) and the Padding option (RFC 7830)
// filling the query to a multiple of 128 octets (RFC 8467 §4.1), by GET
// with only an Accept header (no CORS preflight). The response is checked
// before it is believed: a 2xx status, the content type
// application/dns-message, a body within the limit, a message that parses,
// a response with ID 0 and the query's opcode, at most one OPT record and
// that in the additional section, echoing the question, and not truncated
// (ErrTruncated; RFC 2181 §9).
//
// Names are given to the engine in miekg/dns's presentation form (the
// bytes RFC 1035 §5.1 escapes written \X or \DDD, lower-cased, without
// the trailing dot), so that a hostile name reads the same in the browser
// and on the command line. Where the two libraries disagree on a broken
// message this package refuses it: dnsmessage refuses a label holding a
// dot (golang/go#56246) and a name reached through more than ten
// compression pointers, which miekg/dns reads.
//
// What it deliberately doesn't do: POST, retries, caching, or parsing
// records discovery does not use (they are skipped unread, where
// miekg/dns would refuse a message whose other records are malformed).
package lite

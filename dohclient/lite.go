package dohclient

import "github.com/sipdisco/sipdisco/dohclient/lite"

// The HTTP exchange, the endpoint check and the errors are those of
// package lite, the browser's first module's DoH client, so that both
// clients send the same requests and fail in the same words.

// MediaType is the content type of a DNS message carried over HTTP
// (RFC 8484 §6).
const MediaType = lite.MediaType

// DefaultMaxBody is the largest response body a Client reads when
// MaxBody is not set: 64 KiB, the largest DNS message (RFC 1035 §4.2.2
// length field).
const DefaultMaxBody = lite.DefaultMaxBody

// UDPSize is the EDNS(0) payload size the client advertises, the value
// recommended by DNS Flag Day 2020 to avoid IP fragmentation.
const UDPSize = lite.UDPSize

// QueryPadBlock is the block length queries are padded to, as RFC 8467
// §4.1 recommends for clients.
const QueryPadBlock = lite.QueryPadBlock

// Request is one HTTP request as the client needs it (lite.Request).
type Request = lite.Request

// Response is one HTTP response as the client needs it (lite.Response).
type Response = lite.Response

// RoundTrip performs one HTTP exchange (lite.RoundTrip). HTTPRoundTrip is
// the net/http implementation; the WebAssembly modules supply one based on
// the browser's fetch.
type RoundTrip = lite.RoundTrip

// ResponseError is the error returned when an endpoint's response cannot
// be used (lite.ResponseError).
type ResponseError = lite.ResponseError

// TruncatedError is the error for an answer that does not fit in one DNS
// message (lite.TruncatedError). It unwraps to ErrTruncated.
type TruncatedError = lite.TruncatedError

// ErrTruncated is the error, wrapped, when an answer does not fit in one
// DNS message (lite.ErrTruncated).
var ErrTruncated = lite.ErrTruncated

// CheckEndpoint reports whether endpoint is usable as a DoH endpoint
// (lite.CheckEndpoint): an absolute https URL, or http to a loopback
// host; no user information, no fragment, and no "dns" parameter of its
// own.
func CheckEndpoint(endpoint string) error { return lite.CheckEndpoint(endpoint) }

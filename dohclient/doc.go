// Package dohclient is sipdisco's DNS-over-HTTPS client (RFC 8484), one
// for the command line and the browser: it asks an endpoint the
// questions discovery needs and gives the answers as the engine's small
// types.
//
// # Client
//
// A [Client] sends one query per request, as RFC 8484 §4.1 describes: a
// message ID of 0 so identical requests cache alike, RD set, an EDNS(0)
// OPT record (RFC 6891) advertising 1232 octets, and the Padding option
// (RFC 7830) filling the query to a multiple of 128 octets (RFC 8467
// §4.1). It sends GET, the query as the base64url "dns" parameter with
// only an Accept header, so a browser sends it without a CORS preflight
// and caches may keep it.
//
// The response is checked before it is believed: a 2xx status, the
// content type application/dns-message (some providers answer a wrong path
// with 200 text/html), a body within [Client.MaxBody], a message that
// parses, is a response with ID 0 and the query's opcode, has at most one
// OPT record and that in the additional section, echoes the question, is
// not truncated, and is not an NXDOMAIN holding records beyond its CNAME
// chain (engine.Answer.Contradiction: it contradicts itself). Each failed check is a [*ResponseError] naming the
// endpoint and the problem in words a person can act on. A truncated
// response (TC bit) is [ErrTruncated]: DoH already carries the largest DNS
// message, so there is no bigger transport to ask again over, and RFC 2181
// §9 says to ignore such a response; the lookup fails rather than pass on
// part of a record set.
//
// The HTTP exchange itself is injected as a [RoundTrip] over the small
// [Request] and [Response] types: the command line uses [HTTPRoundTrip]
// (net/http, not built for js/wasm), the WebAssembly modules pass the
// browser's fetch (wasm/internal/bridge), and tests pass fakes.
//
// # Wire format
//
// The package reads and writes DNS messages (RFC 1035 §4.1) itself, for
// the five record types discovery uses, and links neither
// github.com/miekg/dns (which imports crypto/tls, about half a megabyte
// brotli in a WebAssembly module) nor golang.org/x/net/dns/dnsmessage:
// the latter, for the same query and the same reading, made the
// analyzer's first module 8,867 bytes brotli larger, 369 bytes under its
// budget, and refuses names miekg/dns reads (a label holding a dot,
// golang/go#56246; more than ten compression pointers)
// (docs/adr/0005-wasm-size.md).
//
// It reads as miekg/dns reads, which the DNS sources on the server side
// use (resolve/wire): names are given to the engine in miekg/dns's
// presentation form (the bytes RFC 1035 §5.1 escapes written \X or \DDD,
// lower-cased, without the trailing dot), so that a hostile name reads
// the same whichever program asked; the limits of a name are the same;
// and a record of a type discovery uses that miekg/dns refuses is
// refused. TestAgreesWithMiekg and FuzzAgreesWithMiekg hold the two
// readings together, and the query's bytes are those miekg/dns packs.
//
// # What it deliberately doesn't do
//
// The client does not retry, fall back to other endpoints, cache, follow
// CNAMEs, validate DNSSEC, send POST, or use UDP or TCP port 53:
// discovery decides what to ask and what a failure means, and a browser
// can only speak HTTP. It does not bootstrap the endpoint's own host
// name; that is the HTTP stack's job. Records of types discovery does not
// use are skipped unread, where miekg/dns would refuse a message whose
// other records are malformed.
//
// The /dns-query server is dohclient/server; the conversion between
// miekg/dns messages and the engine's types, for the DNS sources that
// speak miekg/dns, is resolve/wire.
package dohclient

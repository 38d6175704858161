// Package dohclient speaks DNS-over-HTTPS (RFC 8484) for sipdisco: a
// client that asks an endpoint the questions discovery needs, and an HTTP
// handler that answers such questions from any engine.Resolver.
//
// It is the only package that knows both the wire vocabulary of
// github.com/miekg/dns and the engine's small types; convert.go is where
// the two meet.
//
// # Client
//
// A [Client] sends one query per request, as RFC 8484 §4.1 describes: a
// message ID of 0 so identical requests cache alike, an EDNS(0) OPT record
// (RFC 6891) advertising 1232 octets, and the Padding option (RFC 7830)
// filling the query to a multiple of 128 octets (RFC 8467 §4.1). GET, the
// default, carries the query as the base64url "dns" parameter with only an
// Accept header, so a browser sends it without a CORS preflight and caches
// may keep it; POST carries it as the body.
//
// The response is checked before it is believed: a 2xx status, the
// content type application/dns-message (some providers answer a wrong path
// with 200 text/html), a body within [Client.MaxBody], a message that
// unpacks, is a response with ID 0, echoes the question, has at most one
// OPT record and is not truncated. Each failed check is a
// [*ResponseError] naming the endpoint and the problem in words a person
// can act on. A truncated response (TC bit) is [ErrTruncated]: DoH
// already carries the largest DNS message, so there is no bigger transport
// to ask again over, and RFC 2181 §9 says to ignore such a response; the
// lookup fails rather than pass on part of a record set.
//
// The HTTP exchange itself is injected as a [RoundTrip] over the small
// [Request] and [Response] types, so this core does not import net/http:
// the command line uses [HTTPRoundTrip], the WebAssembly build passes the
// browser's fetch, and tests pass fakes.
//
// # Handler
//
// [NewHandler] serves RFC 8484 GET and POST from an engine.Resolver, for
// "sipdisco serve" (the embedded demo zones, or the machine's own resolver
// for the internal view) and for tests. Replies are compressed; one that
// still exceeds 65,535 octets is cut to the records that fit and marked
// TC, as a DNS server would. [CheckMessageSize] applies the same rule to
// an answer held in memory, so that the zones of resolve/zone answer
// exactly what they would answer over DoH.
//
// # What it deliberately doesn't do
//
// The client does not retry, fall back to other endpoints, cache, follow
// CNAMEs, validate DNSSEC, or use UDP or TCP port 53: discovery decides what
// to ask and what a failure means, and a browser can only speak HTTP. It
// does not bootstrap the endpoint's own host name; that is the HTTP
// stack's job.
//
// The handler is not an open recursive resolver: it answers only what the
// Resolver it was given answers, only for one question of class IN and the
// types discovery uses (A, AAAA, CNAME, SRV, TXT), and answers everything
// else with NOTIMP. It adds no CORS headers; "sipdisco serve" is
// same-origin.
package dohclient

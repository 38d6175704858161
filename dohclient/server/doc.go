// Package server is the /dns-query handler: DNS-over-HTTPS (RFC 8484)
// GET and POST answered from any engine.Resolver, for "sipdisco serve"
// (the embedded demo zones, or the machine's own resolver for the
// internal view) and for tests.
//
// Replies are built with github.com/miekg/dns through resolve/wire and
// compressed; one that still exceeds 65,535 octets is cut to the records
// that fit and marked TC, as a DNS server would (wire.CheckMessageSize
// applies the same rule to an answer held in memory). A Resolver error
// that is a wire.ExtendedError is answered with SERVFAIL and an Extended
// DNS Error (RFC 8914).
//
// # What it deliberately doesn't do
//
// The handler is not an open recursive resolver: it answers only what the
// Resolver it was given answers, only for one question of class IN and the
// types discovery uses (A, AAAA, CNAME, SRV, TXT), and answers everything
// else with NOTIMP. It adds no CORS headers; "sipdisco serve" is
// same-origin. It is never built into the browser's modules, which only
// ask (package dohclient).
package server

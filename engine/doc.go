// Package engine is the pure core of sipdisco: it parses a SIP sign-in
// address, walks a client profile's DNS discovery steps through a Resolver,
// applies the client's naming policy, orders SRV records as RFC 2782 says,
// and returns a Report describing which server the client would sign in to
// and why (or why not).
//
// The package performs no I/O. It does not import net/http, os, syscall/js
// or github.com/miekg/dns, never reads the clock and never uses a global
// random source: DNS answers arrive through the Resolver interface, time
// through Config.Now, and randomness through Config.Rand. The layer test
// in internal/layers enforces this so that the same code runs natively in the
// CLI and as WebAssembly in the browser.
//
// The Report also carries, as plain data, the parts the packages above
// attach to it: the simulated sign-in (Exchange, from signin)
// and what the real servers answered when the command line observed them
// (Probe, from probe and the command line's prober), so that one
// report type is the command line's JSON, a snapshot link and the page
// (docs/adr/0010-the-probe-is-part-of-the-report.md).
//
// Config.View says which side of split-brain DNS the Resolver answers
// for; discovery then adds to its first round two questions no client asks
// (view.go): a random name that shows a wildcard record, and in the
// outside view the names that belong in internal DNS only
// (docs/adr/0011-views-and-the-view-checks.md).
//
// What it deliberately does not do: speak DNS on the wire (package
// dohclient does), render HTML (package templates does), or contact a SIP
// server (the REGISTER exchange is simulated; the observation is the
// command line's).
package engine

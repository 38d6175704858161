// Package audit runs discovery for a list of sign-in addresses: it reads
// the list (one address per line, blank lines and # comments allowed; UTF-8
// with or without a byte-order mark or UTF-16 with one, lines ending in
// LF, CRLF or CR; other encodings refused by name),
// checks the addresses with bounded concurrency — once per domain unless
// asked otherwise, since a report depends only on the domain, the profile
// and the policy — and reduces each report to a row, emitted in input
// order. CSV cells carry no control character: they are escaped as the
// text output escapes them. The command line's `sipdisco audit` and the
// web page's batch audit share it.
//
// The package is pure: the resolver comes in engine.Config, it reads no
// clock and opens nothing.
package audit

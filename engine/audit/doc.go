// Package audit runs discovery for a list of sign-in addresses: it reads
// the list (one address per line, blank lines and # comments allowed),
// checks the addresses with bounded concurrency — once per domain unless
// asked otherwise, since a report depends only on the domain, the profile
// and the policy — and reduces each report to a row, emitted in input
// order. The command line's `sipdisco audit` and the web page's batch audit
// share it.
//
// The package is pure: the resolver comes in engine.Config, it reads no
// clock and opens nothing.
package audit

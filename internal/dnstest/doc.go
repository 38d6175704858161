// Package dnstest starts DNS servers that are not sipdisco's own — NLnet
// Labs' unbound (Debian package "unbound") and nsd (package "nsd") — on
// loopback for tests, each serving zones a test gives, and stops them when
// the test ends.
//
// Each server gets its own random address in 127.0.0.0/8 (127.0.0.1 when
// the system cannot bind others) and a port that was free for both UDP and
// TCP, so tests of several sessions never collide. It runs in the
// foreground, as the current user, with every file in a temporary
// directory. A missing program skips the test, or fails it when
// SIPDISCO_CI=1 (.ci/run installs both).
//
// It deliberately does not configure recursion: unbound answers only from
// its auth-zones (other names fail slowly as it cannot reach the root),
// nsd only from its zones (REFUSED elsewhere).
package dnstest

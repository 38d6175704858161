// Package demo holds sipdisco's embedded demo zones: one BIND zone file per
// scenario under the reserved top-level domain "example" (RFC 2606 §2,
// RFC 6761 §6.5), each built to exercise one rule of the discovery
// behaviour in the specification, so that a new user with no network can
// type bob@healthy.example and see a full report.
//
// Each file in zones/ reads alone. Its first lines are comments the package
// parses:
//
//	; sipdisco-demo: <one-line description shown by "sipdisco demo list">
//	; sipdisco-expect: <outcome for every profile without a line of its own>
//	; sipdisco-expect <profile>: <that profile's outcome>   (any number)
//	; sipdisco-view: <inside or outside>                    (optional)
//
// followed by free comments and the zone itself ($ORIGIN, $TTL, SOA, NS and
// the records of the scenario). Every profile's outcome, with its default
// policy and in the scenario's view, is checked against engine.Discover by
// resolve/zone's TestDemoExpectations, and a description whose outcome
// depends on the client names the clients. Addresses come only from the
// documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24
// (RFC 5737) and 2001:db8::/32 (RFC 3849), and 10.0.0.0/8 (RFC 1918) for an
// internal server's private address.
//
// The package is pure data: it does not parse DNS records (package
// resolve/zone does, and its Demo function loads every scenario) and it
// imports nothing that touches the network or the file system beyond its
// own embedded files, so it builds for js/wasm unchanged.
package demo

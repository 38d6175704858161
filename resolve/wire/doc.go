// Package wire converts between DNS messages as github.com/miekg/dns
// holds them and the engine's small types, for the DNS sources and the
// server that speak miekg/dns: plain DNS (resolve/plain), zone files
// (resolve/zone), the upstream filter (resolve/upstream) and the
// /dns-query handler (dohclient/server).
//
// It builds queries (QuestionMsg) and replies (ReplyMsg, PackReply, with
// the EDNS(0) Padding of RFC 7830 and RFC 8467 §4.1 in Pad), reads
// replies into engine.Answer (ToAnswer, ToRecord), checks that a reply
// answers its query (CheckReply, RFC 1035 §7.3; CheckCounts), reads and
// names Extended DNS Errors (RFC 8914: EDEOf, DescribeEDE,
// ExtendedError), and tells whether an answer fits in one DNS message as
// the handler would send it (CheckMessageSize).
//
// What it deliberately doesn't do: any I/O, and DNS-over-HTTPS itself.
// The DoH client (package dohclient), which the browser's first
// WebAssembly module links, reads the wire format on its own and links
// no miekg/dns; its tests hold its reading to this package's
// (dohclient's TestAgreesWithMiekg and FuzzAgreesWithMiekg).
package wire

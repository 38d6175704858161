// Package plain asks DNS servers over UDP and TCP port 53 (RFC 1035
// §4.2, RFC 7766), as the Microsoft clients' resolver does inside a
// network: the split-brain, internal view that public DNS-over-HTTPS
// resolvers cannot give. A [Client] is an engine.Resolver over a list of
// servers.
//
// # What a lookup does
//
// Each question is sent as a recursive query (RD set) with a random ID
// and an EDNS(0) OPT record advertising 1232 octets (RFC 6891; the DNS
// Flag Day 2020 value) to the first server, over UDP unless the Client
// forces TCP. A reply is believed only when it is a response to that
// query: same ID, opcode and question (wire.CheckReply), its section
// counts whole, at most 65535 octets. Then:
//
//   - a truncated UDP reply (TC) is asked again over TCP, on a kept or
//     new connection with a new ID (RFC 7766 §5);
//   - FORMERR to a query with EDNS is asked again without it (RFC 6891
//     §7), for servers that predate EDNS;
//   - NXDOMAIN is an answer: the name does not exist; but one that
//     carries records beyond the CNAME chain leading to that name (RFC
//     6604 §2) contradicts itself and counts as that server failing
//     (engine.Answer.Contradiction);
//   - NOERROR with records is an answer;
//   - NOERROR without records is NODATA only when the server says it
//     knows: AA (it is authoritative) or RA (it recursed for us) set.
//     Without either it is a referral or a lame answer, which proves
//     nothing about the name; taking it as "does not exist" would send
//     discovery to the A-record fallback. It counts as that server
//     failing;
//   - SERVFAIL, REFUSED and every other code, a timeout, a network error
//     or a reply that fails the checks move on to the next server.
//
// When every server fails, Lookup returns an [*Error] naming each
// server's result ("10.0.0.1:53 answered SERVFAIL; 10.0.0.2:53 sent no
// reply within 2s"); the engine turns it into an indeterminate step. When
// one answers, [Result] says which, over which transport, and every try
// before it.
//
// Each try has its own deadline: the Client's TryTimeout (2 s by default),
// shortened so that the servers still to be asked share what is left of
// the context's deadline (the engine's overall limit). A UDP query is
// sent a second time, on the same socket and with the same ID, when half
// of its try has passed without a reply.
//
// Names are absolute. A question is always sent as the fully qualified
// name it holds: no search list, no suffix devolution, no ndots. The
// Microsoft clients ask fully qualified names, and a search suffix could
// make "_sip._tls.contoso.com" answer for "_sip._tls.contoso.com.corp.example".
//
// # What it deliberately doesn't do
//
// It does not cache, does not recurse itself (a server in the list must
// be a recursive resolver or authoritative for the names asked), does not
// speak DNS over TLS or QUIC, does not validate DNSSEC, and does not read
// the system's configuration; package resolve/system does that.
//
// # Sockets
//
// The queries to a server share a few sockets, kept by the process and
// bounded to MaxInFlight queries in flight per server
// (docs/adr/0027-udp-sockets-shared-and-retired.md). A UDP socket is
// connected to the server, so the kernel passes it only datagrams from
// the server's address, on an ephemeral port the operating system picks
// at random; it carries at most 8 queries at once, each under a random
// ID no other query on it holds, and is retired after 128 queries or 5
// seconds, so the port keeps changing (RFC 5452 §9.2). A reply is handed
// to the query with its ID only when it is a response with that query's
// question; any other datagram is dropped and counted ([Dropped]), and a
// try that saw only such replies says so when its time runs out. TCP
// connections are kept open between lookups (RFC 7766 §6.2.1) and carry
// up to 16 queries at once, pipelined, their replies matched the same
// way in whatever order they come (§6.2.1.1). A socket idle for 2 seconds
// is closed; CloseIdle closes the idle ones at once.
package plain

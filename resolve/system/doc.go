// Package system finds the machine's own DNS resolvers, the ones the
// Microsoft clients use, and asks them as those clients would: the
// internal, split-brain view of a network the machine is on.
//
// [New] returns one [Resolver] for the running system:
//
//   - Linux and the BSDs: the nameserver lines of /etc/resolv.conf
//     (resolv.conf(5)), asked with package resolve/plain. On systems run
//     by systemd-resolved that is its stub, 127.0.0.53, which keeps the
//     per-link split DNS a VPN sets up. The options timeout:N and use-vc
//     (or tcp) are honoured; search, domain, ndots and rotate are not:
//     names are always asked fully qualified, in the order written. As
//     glibc and musl do, at most three servers are used, and a file with
//     none means the server on 127.0.0.1.
//   - macOS: the resolvers "scutil --dns" lists in its main section,
//     routed by name as the system does: a resolver with a domain
//     (supplemental, typically from a VPN) answers the names at or below
//     it, the most specific domain winning, and the first resolver
//     without a domain answers everything else; mDNS resolvers are
//     skipped. Without scutil, /etc/resolv.conf is used.
//   - Windows: the Windows DNS client itself, through DnsQuery_W, so that
//     the Name Resolution Policy Table (NRPT), VPN rules, the hosts file
//     and the client's cache apply exactly as they do for the Microsoft
//     clients, which resolve through the same API. Its status codes are
//     mapped to response codes: 9003 NXDOMAIN, 9501 no records (NODATA),
//     9002 SERVFAIL, 9005 REFUSED; a timeout or any other status is a
//     failed lookup, not an answer.
//
// The parsers of resolv.conf and of scutil's output, the routing by
// domain and the mapping of Windows status codes are pure and compiled on
// every system, so they are tested everywhere; only reading the files,
// running scutil and calling DnsQuery_W are per system.
//
// What it deliberately doesn't do: follow search lists or suffix
// devolution (the clients ask fully qualified names), cache, watch the
// configuration for changes (call New again), or read NetworkManager,
// resolvectl or the Windows registry directly.
package system

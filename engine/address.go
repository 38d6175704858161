package engine

import (
	"fmt"
	"net/netip"
	"strings"
)

// AddressProblem says why a client cannot use an address or a port that
// DNS gave it for a candidate. CheckPort and CheckAddr return one; the
// zero value means no problem.
type AddressProblem struct {
	// Kind names the problem for a finding: one of the Problem constants.
	Kind AddressProblemKind
	// Severity is SeverityError when no connection can be made at all, or
	// none from where the client is (a private address in the outside
	// view, CheckReach), so the candidate must not be the sign-in target,
	// and SeverityWarning when a connection can be made but not to a
	// server elsewhere (a loopback address reaches the client's own
	// computer; docs/adr/0018-a-target-the-client-cannot-reach.md).
	Severity Severity
	// What says what the value is, as the end of a sentence: "0.0.0.0,
	// the unspecified address, which names no host", "port 0, a reserved
	// port on which no server can listen".
	What string
	// Source cites the rule: "RFC 1122 §3.2.1.3".
	Source string
}

// AddressProblemKind names a class of unusable address or port. Its
// value is fit to be a finding kind.
type AddressProblemKind string

// The classes CheckPort and CheckAddr tell apart.
const (
	ProblemPortZero      AddressProblemKind = "port-zero"
	ProblemUnspecified   AddressProblemKind = "address-unspecified"
	ProblemThisNetwork   AddressProblemKind = "address-this-network"
	ProblemBroadcast     AddressProblemKind = "address-broadcast"
	ProblemReserved      AddressProblemKind = "address-reserved"
	ProblemMulticast     AddressProblemKind = "address-multicast"
	ProblemLoopback      AddressProblemKind = "address-loopback"
	ProblemLinkLocalIPv6 AddressProblemKind = "address-link-local"
	ProblemNotGlobal     AddressProblemKind = "address-not-global"
)

// CheckPort reports whether a client cannot connect to port. Only port 0
// is refused: it is reserved in the port registry RFC 6335 governs, and the
// sockets API reads it as "any port", so no server can listen on it.
func CheckPort(port uint16) (AddressProblem, bool) {
	if port != 0 {
		return AddressProblem{}, false
	}
	return AddressProblem{
		Kind: ProblemPortZero, Severity: SeverityError,
		What: "port 0, a reserved port on which no server can listen", Source: "RFC 6335",
	}, true
}

// CheckAddr reports whether a client cannot connect over TCP to the
// address a, an A or AAAA answer for a candidate. An IPv4-mapped IPv6
// address is judged as the IPv4 address it maps. The classes:
//
//   - unspecified (0.0.0.0, ::): names no host; only a source address
//     (RFC 1122 §3.2.1.3 (a), RFC 4291 §2.5.2);
//   - "this network" (0.0.0.0/8): only a source address (RFC 1122
//     §3.2.1.3 (b), RFC 6890 §2.2.2);
//   - limited broadcast (255.255.255.255) and multicast (224.0.0.0/4,
//     ff00::/8): TCP connects only to one host, and a host discards a SYN
//     sent to a broadcast or multicast address (RFC 1122 §4.2.3.10);
//   - reserved (240.0.0.0/4, "class E"): reserved for future use, not
//     routed (RFC 1112 §4, RFC 6890 §2.2.2);
//
// all errors, and two warnings, where a connection can be made but not to
// a server elsewhere:
//
//   - loopback (127.0.0.0/8, ::1): every client connects to its own
//     computer (RFC 1122 §3.2.1.3 (g), RFC 4291 §2.5.3); the report's
//     headline says so instead of naming a server
//     (docs/adr/0018-a-target-the-client-cannot-reach.md);
//   - IPv6 link-local (fe80::/10): ambiguous without the zone (interface)
//     that a DNS answer cannot carry (RFC 4291 §2.5.6, RFC 4007).
//
// Private (RFC 1918) and documentation addresses are usable: an internal
// pool has the former, and examples the latter. Whether a client outside
// the network can reach a private address is CheckReach's question.
func CheckAddr(a netip.Addr) (AddressProblem, bool) {
	a = a.Unmap()
	p := func(kind AddressProblemKind, sev Severity, what, source string) (AddressProblem, bool) {
		return AddressProblem{Kind: kind, Severity: sev, What: a.String() + ", " + what, Source: source}, true
	}
	switch {
	case !a.IsValid():
		return p(ProblemUnspecified, SeverityError, "no address at all", "RFC 1035 §3.4.1")
	case a.IsUnspecified() && a.Is4():
		return p(ProblemUnspecified, SeverityError, "the unspecified address, which names no host", "RFC 1122 §3.2.1.3")
	case a.IsUnspecified():
		return p(ProblemUnspecified, SeverityError, "the unspecified address, which names no host", "RFC 4291 §2.5.2")
	case a.Is4() && a.As4()[0] == 0:
		return p(ProblemThisNetwork, SeverityError, `a "this network" address, valid only as a source`, "RFC 1122 §3.2.1.3")
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return p(ProblemBroadcast, SeverityError, "the limited broadcast address, to which TCP cannot connect", "RFC 1122 §4.2.3.10")
	case a.IsMulticast():
		return p(ProblemMulticast, SeverityError, "a multicast address, to which TCP cannot connect", "RFC 1122 §4.2.3.10")
	case a.Is4() && a.As4()[0] >= 240:
		return p(ProblemReserved, SeverityError, "a reserved (class E) address that is not routed", "RFC 1112 §4")
	case a.IsLoopback():
		return p(ProblemLoopback, SeverityWarning, "a loopback address: every client would connect to its own computer, not to a server", "RFC 1122 §3.2.1.3")
	case a.Is6() && a.IsLinkLocalUnicast():
		return p(ProblemLinkLocalIPv6, SeverityWarning, "an IPv6 link-local address, which a client cannot use without knowing the network interface, and DNS cannot say which", "RFC 4291 §2.5.6")
	}
	return AddressProblem{}, false
}

// Message returns the finding message for candidate host:port, found in
// source (an SRV name, or "A-record fallback"), whose address or port has
// problem p: what the value is and what the client does.
func (p AddressProblem) Message(host string, port uint16, source string) string {
	does := "The client cannot connect to this candidate and tries the next one."
	switch {
	case p.Kind == ProblemNotGlobal:
		does = "A client outside the network cannot reach it: its connection waits until it times out, and then it tries the next candidate."
	case p.Severity != SeverityError:
		does = "The client can connect, but not to the server this record is meant to name."
	}
	if p.Kind == ProblemPortZero {
		return fmt.Sprintf("%s gives %s %s (%s). %s", source, host, p.What, p.Source, does)
	}
	return fmt.Sprintf("%s (port %d, from %s) resolves to %s (%s). %s", host, port, source, p.What, p.Source, does)
}

// Fix returns the finding's fix for candidate host found in source.
func (p AddressProblem) Fix(host, source string) string {
	if p.Kind == ProblemPortZero {
		return fmt.Sprintf("Publish %s with the port the server listens on: 5061 for TLS or 5060 for TCP on a pool, 443 for an Access Edge Server.", source)
	}
	return fmt.Sprintf("Correct the A and AAAA records of %s to the addresses the server listens on, as the clients reach it.", host)
}

// problemKinds gives each class its finding kind.
var problemKinds = map[AddressProblemKind]Kind{
	ProblemPortZero:      KindPortZero,
	ProblemUnspecified:   KindAddressUnspecified,
	ProblemThisNetwork:   KindAddressThisNetwork,
	ProblemBroadcast:     KindAddressBroadcast,
	ProblemReserved:      KindAddressReserved,
	ProblemMulticast:     KindAddressMulticast,
	ProblemLoopback:      KindAddressLoopback,
	ProblemLinkLocalIPv6: KindAddressLinkLocal,
	ProblemNotGlobal:     KindAddressNotGlobal,
}

// FindingKind returns the kind of the finding that reports p.
func (p AddressProblem) FindingKind() Kind { return problemKinds[p.Kind] }

// notGlobal are the address blocks that RFC 6890's registries mark
// "Globally Reachable: False" and that a deployment uses inside its
// network: a client on the Internet cannot reach a server there.
// Documentation blocks (RFC 5737, RFC 3849) are left out on purpose:
// examples, the demo zones and plans use them for public addresses.
var notGlobal = []struct {
	prefix netip.Prefix
	what   string
	source string
}{
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address (RFC 1918)", "RFC 1918 §3, RFC 6890 §2.2.2"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address (RFC 1918)", "RFC 1918 §3, RFC 6890 §2.2.2"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address (RFC 1918)", "RFC 1918 §3, RFC 6890 §2.2.2"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared address of a carrier's network (RFC 6598)", "RFC 6598, RFC 6890 §2.2.2"},
	{netip.MustParsePrefix("169.254.0.0/16"), "an IPv4 link-local address (RFC 3927)", "RFC 3927, RFC 6890 §2.2.2"},
	{netip.MustParsePrefix("fc00::/7"), "an IPv6 unique local address (RFC 4193)", "RFC 4193, RFC 6890 §2.2.3"},
}

// CheckReach reports whether a client in view v cannot reach the
// address a, which CheckAddr finds usable: in the outside view (a client
// on the Internet), an address that is not globally reachable (RFC 6890:
// private, shared, IPv4 link-local, unique local). The internal pool's
// private address in a public zone is the usual case. In the inside view
// and an unknown view every such address is reachable as far as sipdisco
// can tell (docs/adr/0018-a-target-the-client-cannot-reach.md).
func CheckReach(a netip.Addr, v View) (AddressProblem, bool) {
	if v != ViewOutside {
		return AddressProblem{}, false
	}
	a = a.Unmap()
	for _, b := range notGlobal {
		if b.prefix.Contains(a) {
			return AddressProblem{Kind: ProblemNotGlobal, Severity: SeverityError,
				What:   a.String() + ", " + b.what + ", which clients on the Internet cannot reach",
				Source: b.source}, true
		}
	}
	return AddressProblem{}, false
}

// splitAddresses divides the addresses of one host (as DNS gave them,
// in presentation form) into those a client in view v can connect to,
// warnings included, and the problems of the others and of the warnings.
func splitAddresses(addresses []string, v View) (usable []string, problems []AddressProblem) {
	for _, s := range addresses {
		a, err := netip.ParseAddr(s)
		p, bad := CheckAddr(a)
		if err != nil {
			p, bad = CheckAddr(netip.Addr{})
		}
		if !bad {
			p, bad = CheckReach(a, v)
		}
		if bad {
			problems = append(problems, p)
		}
		if !bad || p.Severity != SeverityError {
			usable = append(usable, s)
		}
	}
	return usable, problems
}

// goodAddresses returns the addresses that have no problem at all in
// view v, not even a warning: those a fix may keep.
func goodAddresses(addresses []string, v View) []string {
	var out []string
	for _, s := range addresses {
		if a, err := netip.ParseAddr(s); err == nil {
			_, bad := CheckAddr(a)
			if !bad {
				_, bad = CheckReach(a, v)
			}
			if !bad {
				out = append(out, s)
			}
		}
	}
	return out
}

// reachable reports whether a client in the check's view can reach some
// address that the lookups in res gave name: one that CheckAddr and
// CheckReach do not refuse. A name with no address record is not
// reachable. The autodiscover prediction needs it: a web service that,
// seen from outside, has only private addresses gives the client
// nothing (docs/adr/0018-a-target-the-client-cannot-reach.md). Each
// address it refuses is reported as a candidate's would be.
func (w *walk) reachable(res []result, name string) bool {
	var addresses []string
	for _, x := range res {
		if x.q.Name != name || x.status != present {
			continue
		}
		for _, rec := range x.records {
			if rec.Addr.IsValid() {
				addresses = append(addresses, rec.Addr.String())
			}
		}
	}
	usable, problems := splitAddresses(addresses, w.cfg.View)
	for _, p := range problems {
		w.addressFinding(p, name, 443, "the autodiscover names", "", len(usable) > 0, goodAddresses(addresses, w.cfg.View))
	}
	return len(usable) > 0
}

// addressFinding reports problem p of the candidate host:port from source.
// service is the SRV service prefix when the problem is an SRV record's
// port, "" otherwise. others marks an address problem of a host that has
// addresses a client can use too (warnings included); usable are its
// addresses without any problem, which the fix keeps. The fix publishes
// the SRV record with the service's port, or the host's addresses: the
// usable ones where it has some, else the server's address to supply.
func (w *walk) addressFinding(p AddressProblem, host string, port uint16, source, service string, others bool, usable []string) {
	subject := host
	fix := p.Fix(host, source)
	role, view := w.sourceRole(source, host)
	var recs []FixRecord
	switch {
	case p.Kind == ProblemPortZero:
		subject = source
		for _, l := range []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS, srvExternalTCP} {
			if l.Service == service {
				recs = []FixRecord{publishSRV(source, l.Port, host, view, role)}
				fix = fmt.Sprintf("%s For example: %s.", fix, recordList(recs))
			}
		}
	case len(usable) > 0:
		for _, a := range usable {
			recs = append(recs, publishAddr(host, a, view, role))
		}
		fix = fmt.Sprintf("%s Keeping the addresses a client can use: %s.", fix, recordList(recs))
	case strings.HasPrefix(source, "_") || source == SourceFallback:
		// A server an SRV record or the host-record fallback gives; a
		// manual server's address is the setting's, and the
		// autodiscover names' the web services'.
		recs = []FixRecord{supplyAddr(host, view, role)}
		fix = fmt.Sprintf("%s %s.", fix, recordList(recs))
	}
	if source == SourceFallback {
		source = "the host-record fallback"
	}
	msg := p.Message(host, port, source)
	if others && p.Severity == SeverityError {
		msg = fmt.Sprintf("%s (port %d, from %s) resolves to %s (%s), besides addresses a client can use: the client cannot connect to that one and uses the others.", host, port, source, p.What, p.Source)
	}
	for _, f := range w.rep.Findings {
		if f.Kind == p.FindingKind() && f.Subject == subject && f.Message == msg {
			return
		}
	}
	w.find(Finding{Kind: p.FindingKind(), Severity: p.Severity, Subject: subject, Message: msg, Fix: fix, Records: recs})
}

package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// FixView is the DNS a fix's record belongs in. A deployment that signs
// clients in from inside and outside its network keeps two zones for its
// domain (split-brain DNS, docs/adr/0011-views-and-the-view-checks.md):
// the internal one names the pool, the external (public) one the Access
// Edge server.
type FixView string

// The two sides of split-brain DNS a fix record is for.
const (
	FixInternal FixView = "internal"
	FixExternal FixView = "external"
)

// FixAction says whether a fix record is to be published or deleted.
type FixAction string

// The actions of a fix record.
const (
	// FixPublish: publish the record, replacing the records of its name
	// and type (and an alias of its name) in that view.
	FixPublish FixAction = "publish"
	// FixDelete: delete the record; with no Data, every record of its
	// name and type.
	FixDelete FixAction = "delete"
)

// The roles of the servers a fix record leads to.
const (
	// RolePool is the Front End pool, Standard Edition server or
	// Director the clients inside the network sign in to: the target of
	// _sipinternaltls._tcp (gg425884).
	RolePool = "pool"
	// RoleEdge is the Access Edge server's external interface, where
	// clients outside the network sign in on TLS 443 (JJ204756): the
	// target of _sip._tls.
	RoleEdge = "edge"
)

// FixRecord is one record a finding's fix says to publish or delete, as
// data: the fix's text shows each one in zone-file form (String), and a
// script, like sipdisco's own tests, can apply exactly what the text says
// (docs/spec.md §7.3).
type FixRecord struct {
	// Name is the record's owner name, lower case, without the trailing
	// dot: "_sipinternaltls._tcp.contoso.com".
	Name string `json:"name"`
	// TTL is the time to live to publish the record with; 0 (absent)
	// for a deletion.
	TTL  uint32 `json:"ttl,omitempty"`
	Type Type   `json:"type"`
	// Data is the record's data in zone-file presentation form ("0 0 5061
	// pool01.contoso.com." for SRV, "192.0.2.10" for A). It is empty for
	// a deletion of every record of the name and type, and where Supply
	// says what only the administrator knows.
	Data   string    `json:"data,omitempty"`
	View   FixView   `json:"view"`
	Action FixAction `json:"action"`
	// Role is the server the record leads to or is the address of:
	// RolePool or RoleEdge; empty for a record that leads to no server
	// in particular (a deletion, an alias replaced by its addresses).
	Role string `json:"role,omitempty"`
	// Supply, when not empty, says what the administrator must put in
	// Data because DNS does not show it: "the pool's IPv4 address".
	Supply string `json:"supply,omitempty"`
}

// String returns the record as the fix's text shows it: "NAME. TTL IN
// TYPE DATA" to publish, with "<what to supply>" for the data the
// administrator supplies; "NAME. IN TYPE" (and the data, if any) to
// delete.
func (r FixRecord) String() string {
	data := r.Data
	if r.Supply != "" {
		data = "<" + r.Supply + ">"
	}
	var b strings.Builder
	b.WriteString(fqdn(r.Name))
	if r.Action == FixPublish {
		b.WriteString(" " + strconv.FormatUint(uint64(r.TTL), 10))
	}
	b.WriteString(" IN " + r.Type.String())
	if data != "" {
		b.WriteString(" " + data)
	}
	return b.String()
}

// fixTTL is the TTL of the records fixes publish: an hour, as the
// examples of Microsoft's deployment documents use.
const fixTTL = 3600

// publishSRV returns the SRV record name → target:port to publish in
// view, leading to a server of role.
func publishSRV(name string, port uint16, target string, view FixView, role string) FixRecord {
	return FixRecord{Name: name, TTL: fixTTL, Type: TypeSRV, Data: fmt.Sprintf("0 0 %d %s", port, fqdn(target)),
		View: view, Action: FixPublish, Role: role}
}

// publishAddr returns the address record of host for addr (A or AAAA).
func publishAddr(host, addr string, view FixView, role string) FixRecord {
	t := TypeA
	if a, err := netip.ParseAddr(addr); err == nil && a.Is6() && !a.Is4In6() {
		t = TypeAAAA
	}
	return FixRecord{Name: host, TTL: fixTTL, Type: t, Data: addr, View: view, Action: FixPublish, Role: role}
}

// supplyAddr returns the A record of host whose address the
// administrator supplies: that of the server of role.
func supplyAddr(host string, view FixView, role string) FixRecord {
	what := "the server's IPv4 address"
	switch role {
	case RolePool:
		what = "the pool's IPv4 address"
	case RoleEdge:
		what = "the Access Edge server's public IPv4 address"
	}
	return FixRecord{Name: host, TTL: fixTTL, Type: TypeA, View: view, Action: FixPublish, Role: role, Supply: what}
}

// deleteRecord returns the deletion of name's records of type t in view;
// data, when not empty, names the one record to delete.
func deleteRecord(name string, t Type, data string, view FixView) FixRecord {
	return FixRecord{Name: name, Type: t, Data: data, View: view, Action: FixDelete}
}

// recordList shows records in a fix's text: "A; B and C".
func recordList(recs []FixRecord) string {
	parts := make([]string, len(recs))
	for i, r := range recs {
		parts[i] = r.String()
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], "; ") + " and " + parts[len(parts)-1]
}

// thisView is the view of the fix records that change the DNS this check
// asked: external for the outside view, internal otherwise (a zone that
// is no view in particular is read as the internal one, where every
// record the client asks first belongs).
func (w *walk) thisView() FixView {
	if w.cfg.View == ViewOutside {
		return FixExternal
	}
	return FixInternal
}

// server is a server a fix's SRV record names: its host and, where the
// DNS does not make the name lead to it yet, the records to publish first.
type server struct {
	host  string
	first []FixRecord
}

// records returns the SRV record at name (port port, in view) leading to
// s, after the records s needs first.
func (s server) records(name string, port uint16, view FixView, role string) []FixRecord {
	return append(append([]FixRecord(nil), s.first...), publishSRV(name, port, s.host, view, role))
}

// poolServer returns the server an internal SRV record should name: the
// pool (or Director) the client already reaches inside the network — an
// internal SRV record's target, or the host record sipinternal.D, or
// sip.D where no _sip._tls record makes it the Access Edge — if it has an
// address; else a pool the internal SRV records name but the naming
// policy refuses. Its name must pass the naming policy, and a host record
// reached as a fallback must pass strict naming too (see roleServer):
// where it does not (strict naming allows only D and sip.D), the server
// is sip.D, with address records copying the pool's, since the SRV record
// and the certificate must then say sip.D ("Certificate requirements for
// internal servers", gg398094). Where no pool is known, sip.D with the pool's
// address to supply: "Determine DNS requirements for Lync Server 2013"
// (gg398758) gives sip.D as the Front End pool or Director inside the
// network.
func (w *walk) poolServer() server {
	return w.roleServer(RolePool, FixInternal)
}

// edgeServer returns the server _sip._tls should name for clients outside
// the network: the Access Edge server the answers show — a _sip._tls
// record's target, sipexternal.D, or, in the outside view, sip.D — under
// the same naming rule as poolServer; where none is known, sip.D with
// the Access Edge server's public address to supply (gg398758: sip.D is
// the Access Edge outside the network).
func (w *walk) edgeServer() server {
	return w.roleServer(RoleEdge, FixExternal)
}

// roleServer picks the server of role (see poolServer, edgeServer) from
// the candidates and their addresses.
func (w *walk) roleServer(role string, view FixView) server {
	sip := "sip." + w.d
	host, addrs, fallback := w.knownServer(role)
	if host == "" {
		return server{host: sip, first: []FixRecord{supplyAddr(sip, view, role)}}
	}
	// A host record the client reached as a fallback was never judged
	// by the naming policy (docs/spec.md §6.6); named by an SRV record
	// it is, and strict naming (Communicator's EnableStrictDNSNaming, a
	// strict Lync policy) allows only D and sip.D. Such clients stop at
	// a refused SRV record, so the record names a name every client
	// accepts under every policy.
	strictSafe := host == w.d || host == sip
	if v := judgeName(w.prof, w.pol, host, w.d, TLS); v.Allowed && !v.Prompt && (!fallback || strictSafe) {
		return server{host: host}
	}
	s := server{host: sip}
	if len(addrs) == 0 {
		s.first = []FixRecord{supplyAddr(sip, view, role)}
		return s
	}
	for _, a := range addrs {
		s.first = append(s.first, publishAddr(sip, a, view, role))
	}
	return s
}

// knownServer returns the host of the server of role the answers show,
// with its usable addresses and whether it is a fallback host record, or
// "" when they show none.
func (w *walk) knownServer(role string) (string, []string, bool) {
	isRole := func(c Candidate) bool {
		r, _ := w.sourceRole(c.Source, c.Host)
		return r == role && c.Source != SourceManualInternal && c.Source != SourceManualExternal
	}
	// A server the client can use first, then one the answers name but
	// the client refuses or cannot reach, as long as it has an address.
	for _, usable := range []bool{true, false} {
		for _, c := range w.rep.Candidates {
			// A host only a wildcard answers for has no address of
			// its own to keep (RFC 4592).
			if !isRole(c) || usable != (c.Accepted && len(c.Addresses) > 0) || w.wildcardLike(c.Host) {
				continue
			}
			addrs := goodAddresses(c.Addresses, w.cfg.View)
			if !usable {
				addrs = w.usableAddrs(c.Host)
			}
			if len(addrs) > 0 {
				return c.Host, addrs, c.Source == SourceFallback
			}
		}
	}
	return "", nil, false
}

// usableAddrs returns the addresses without a problem (goodAddresses)
// that round two found for host (none when it did not ask).
func (w *walk) usableAddrs(host string) []string {
	a, ok := w.addr[host]
	if !ok || a.status != present {
		return nil
	}
	return goodAddresses(a.addresses, w.cfg.View)
}

// internalSRV returns the records that give the clients inside the
// network the pool through _sipinternaltls._tcp.D.
func (w *walk) internalSRV() []FixRecord {
	return w.poolServer().records(srvInternalTLS.Service+"."+w.d, srvInternalTLS.Port, FixInternal, RolePool)
}

// externalSRV returns the records that give the clients outside the
// network the Access Edge server through _sip._tls.D on 443.
func (w *walk) externalSRV() []FixRecord {
	return w.edgeServer().records(srvExternalTLS.Service+"."+w.d, srvExternalTLS.Port, FixExternal, RoleEdge)
}

// viewSRV returns the records that lead the clients of the view this
// check asked to their server: the Access Edge outside, the pool
// otherwise.
func (w *walk) viewSRV() []FixRecord {
	if w.cfg.View == ViewOutside {
		return w.externalSRV()
	}
	return w.internalSRV()
}

// bothSRVRecords returns the internal and the external SRV records; in
// the outside view only the external ones, the internal ones belonging in
// internal DNS only.
func (w *walk) bothSRVRecords() []FixRecord {
	if w.cfg.View == ViewOutside {
		return w.externalSRV()
	}
	return append(w.internalSRV(), w.externalSRV()...)
}

// inViews says where records go in a fix's text: "(internal DNS)" after
// each group of one view when the records are for both.
func inViews(recs []FixRecord) string {
	var parts []string
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].View == recs[i].View {
			j++
		}
		parts = append(parts, recordList(recs[i:j])+" ("+string(recs[i].View)+" DNS)")
		i = j
	}
	return strings.Join(parts, "; ")
}

// sourceRole returns the role of the server a candidate from source with
// host stands for, and the view its records belong in: an internal SRV
// record's target and sipinternal.D are the pool, a _sip._tls record's
// target and sipexternal.D the Access Edge, and sip.D either: the Access
// Edge in the outside view or where a _sip._tls record names it, the pool
// otherwise (gg398758).
func (w *walk) sourceRole(source, host string) (string, FixView) {
	external := func(s string) bool {
		return s == srvExternalTLS.Service+"."+w.d || s == srvExternalTCP.Service+"."+w.d || s == SourceManualExternal
	}
	edge := external(source)
	if source == SourceFallback {
		switch host {
		case "sipexternal." + w.d:
			edge = true
		case "sip." + w.d:
			edge = w.cfg.View == ViewOutside || slices.ContainsFunc(w.rep.Candidates, func(c Candidate) bool {
				return c.Host == host && external(c.Source)
			})
		}
	}
	if edge {
		return RoleEdge, FixExternal
	}
	return RolePool, FixInternal
}

// srvRecords returns the records that make the SRV name name (an SRV name
// of the sign-in domain, with its usual port) lead to the server of its
// role.
func (w *walk) srvRecords(name string) []FixRecord {
	port := uint16(5061)
	for _, l := range []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS, srvExternalTCP} {
		if name == l.Service+"."+w.d {
			port = l.Port
		}
	}
	if role, view := w.sourceRole(name, ""); role == RoleEdge {
		return w.edgeServer().records(name, port, view, role)
	}
	return w.poolServer().records(name, port, FixInternal, RolePool)
}

// finishFixes adds to each fix that makes an SRV record name a host it
// also gives addresses (sip.D, mostly) that the server's certificate must
// carry that name: the client checks the name it connects to against the
// certificate (RFC 6125; "Certificate requirements for internal servers",
// gg398094). And where a sentence ends with a record, whose name or data
// ends with the root's dot, it does not add a second one.
func (w *walk) finishFixes() {
	for i, f := range w.rep.Findings {
		w.rep.Findings[i].Fix = strings.ReplaceAll(f.Fix, ".. ", ". ")
		if strings.HasSuffix(w.rep.Findings[i].Fix, "..") {
			w.rep.Findings[i].Fix = strings.TrimSuffix(w.rep.Findings[i].Fix, ".")
		}
		var names []string
		for _, r := range f.Records {
			if r.Action != FixPublish || r.Type != TypeSRV {
				continue
			}
			target := strings.TrimSuffix(r.Data[strings.LastIndexByte(r.Data, ' ')+1:], ".")
			for _, a := range f.Records {
				if a.Name == target && (a.Type == TypeA || a.Type == TypeAAAA) && a.Role != "" && !slices.Contains(names, target) {
					names = append(names, target)
				}
			}
		}
		for _, n := range names {
			w.rep.Findings[i].Fix += fmt.Sprintf(" The server's certificate must carry %s as a subject alternative name, since the client checks the name it connects to.", n)
		}
	}
}

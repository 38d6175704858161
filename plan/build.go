package plan

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// roleInfo describes each role in words and names its Input field.
var roleInfo = map[Role]struct{ field, words string }{
	RolePool:         {"pool", "the Front End pool (or Standard Edition server)"},
	RoleDirector:     {"director", "the Director"},
	RoleWebInternal:  {"webInternal", "the internal web services"},
	RoleEdgeInternal: {"edgeInternal", "the Edge Server's internal interface"},
	RoleEdge:         {"edge", "the Access Edge's external interface"},
	RoleWebExternal:  {"webExternal", "the external web services (reverse proxy)"},
}

// hostEntry is one server name of a view and its addresses.
type hostEntry struct {
	fqdn        string
	roles       []Role
	addresses   []string
	placeholder bool
}

// hostTable holds the server names of one view, in the order added.
type hostTable struct{ entries []*hostEntry }

func (t *hostTable) get(fqdn string) *hostEntry {
	for _, e := range t.entries {
		if e.fqdn == fqdn {
			return e
		}
	}
	return nil
}

// add records s under role. A server sharing another's name shares its
// addresses; a server without addresses gets the role's placeholder. s's
// addresses are filled in.
func (t *hostTable) add(role Role, field string, s *Server) error {
	if e := t.get(s.FQDN); e != nil {
		switch {
		case len(s.Addresses) == 0:
			s.Addresses = slices.Clone(e.addresses)
		case !sameSet(s.Addresses, e.addresses):
			return fieldErr(field+".addresses", "%s is also the name of %s, with other addresses; give the same addresses or none",
				s.FQDN, roleInfo[e.roles[0]].words)
		}
		e.roles = append(e.roles, role)
		return nil
	}
	e := &hostEntry{fqdn: s.FQDN, roles: []Role{role}}
	if len(s.Addresses) == 0 {
		s.Addresses = []string{placeholders[role]}
		e.placeholder = true
	}
	e.addresses = slices.Clone(s.Addresses)
	t.entries = append(t.entries, e)
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// builder collects the records of both views in publishing order.
type builder struct {
	p     *Plan
	ttl   uint32
	hosts map[View]*hostTable
	recs  map[View][]Record
}

func (b *builder) put(v View, r Record) {
	if b.recs == nil {
		b.recs = map[View][]Record{}
	}
	r.View = v
	r.TTL = b.ttl
	b.recs[v] = append(b.recs[v], r)
}

func (b *builder) srv(v View, d, name string, port uint16, target string, kind Kind, role Role, why string) {
	b.put(v, Record{Record: engine.Record{Name: name, Type: engine.TypeSRV, Priority: 0, Weight: 0, Port: port, Target: target},
		Kind: kind, Role: role, Reason: why})
}

func (b *builder) cname(v View, d, name, target string, kind Kind, role Role, why string) {
	b.put(v, Record{Record: engine.Record{Name: name, Type: engine.TypeCNAME, Target: target}, Kind: kind, Role: role, Reason: why})
}

// alias publishes name for server s: its addresses, or a CNAME to it when
// Input.Alias asks for one and name is not an SRV target (RFC 2782: the
// target "MUST NOT be an alias").
func (b *builder) alias(v View, d, name string, role Role, s Server, why string) {
	if b.p.Input.Alias == AliasCNAME && !b.p.isTarget(v, name) {
		b.cname(v, d, name, s.FQDN, KindSIPAlias, role, why)
		return
	}
	e := b.hosts[v].get(s.FQDN)
	for _, a := range e.addresses {
		b.put(v, addrRecord(name, a, KindSIPAlias, role, why, e.placeholder))
	}
}

// isTarget reports whether name is the SRV target of any domain in view v.
func (p *Plan) isTarget(v View, name string) bool {
	for _, t := range p.targets[v] {
		if t == name {
			return true
		}
	}
	return false
}

func addrRecord(name, addr string, kind Kind, role Role, why string, placeholder bool) Record {
	ip := netip.MustParseAddr(addr)
	t := engine.TypeA
	if ip.Is6() {
		t = engine.TypeAAAA
	}
	return Record{Record: engine.Record{Name: name, Type: t, Addr: ip}, Kind: kind, Role: role, Reason: why, Placeholder: placeholder}
}

// aliasReason explains sip.<domain> as the SRV target standing for server.
func (b *builder) aliasReason(d, server, srvName string) string {
	if b.p.Input.StrictNaming {
		return fmt.Sprintf("strict naming (EnableStrictDNSNaming) accepts only %s and sip.%s as the target of %s, so sip.%s stands for %s; as an SRV target it is a host record, never a CNAME (RFC 2782; Office Communicator Sign-in and Discovery)", d, d, srvName, d, server)
	}
	return fmt.Sprintf("%s is not a name under %s, so the client would refuse it as the target of %s; sip.%s stands for it, a host record in the SRV record's own domain as Lync Server 2013 requires (TechNet gg398758), never a CNAME (RFC 2782)", server, d, srvName, d)
}

// internal adds the internal records of domain d: _sipinternaltls._tcp
// (and _sipinternal._tcp when TCP is allowed) to the sign-in server or its
// sip.<domain> stand-in, and lyncdiscoverinternal when autodiscover is
// planned.
func (b *builder) internal(d string) {
	p, in := b.p, b.p.Input
	role := RolePool
	if in.Director.FQDN != "" {
		role = RoleDirector
	}
	t := p.signIn.FQDN
	if !acceptable(t, d, in.StrictNaming) {
		t = "sip." + d
	}
	p.targets[Internal][d] = t
	b.srv(Internal, d, "_sipinternaltls._tcp."+d, 5061, t, KindSRVInternalTLS, role,
		fmt.Sprintf("internal clients of every profile ask _sipinternaltls._tcp.%s first and sign in to its target over TLS on port 5061 (Office Communicator Sign-in and Discovery; TechNet dd572514, gg425884)", d))
	if in.AllowTCP {
		b.srv(Internal, d, "_sipinternal._tcp."+d, 5060, t, KindSRVInternalTCP, role,
			fmt.Sprintf("clients whose policy allows TCP ask _sipinternal._tcp.%s and try its target over TCP on port 5060 only after every TLS connection fails (Office Communicator Sign-in and Discovery: \"If TLS fails, then and only then will it fall back to\" TCP)", d))
	}
	if t != p.signIn.FQDN {
		b.alias(Internal, d, t, role, p.signIn, b.aliasReason(d, p.signIn.FQDN, "_sipinternaltls._tcp."+d))
	}
	if p.autodiscover[Internal] {
		b.cname(Internal, d, "lyncdiscoverinternal."+d, in.WebInternal.FQDN, KindAutodiscover, RoleWebInternal,
			fmt.Sprintf("Lync 2013 and Skype for Business clients ask lyncdiscoverinternal.%s before any SRV record and fetch the autodiscover service from the internal web services there; it belongs in the internal DNS only (TechNet gg398758)", d))
	}
}

// external adds the external records of domain d: _sip._tls to the Access
// Edge or its sip.<domain> stand-in, sip.<domain> itself, and lyncdiscover
// when autodiscover is planned.
func (b *builder) external(d string) {
	p, in := b.p, b.p.Input
	if in.Edge.FQDN != "" {
		t := in.Edge.FQDN
		if !acceptable(t, d, in.StrictNaming) {
			t = "sip." + d
		}
		p.targets[External][d] = t
		b.srv(External, d, "_sip._tls."+d, in.EdgePort, t, KindSRVExternalTLS, RoleEdge,
			fmt.Sprintf("clients outside the network find no internal record and sign in through the Access Edge named by _sip._tls.%s, over TLS on port %d (TechNet dd572514, gg398758)", d, in.EdgePort))
		if sip := "sip." + d; sip != in.Edge.FQDN {
			why := b.aliasReason(d, in.Edge.FQDN, "_sip._tls."+d)
			if t != sip {
				why = fmt.Sprintf("sip.%s names the Access Edge for Lync 2010 and later clients, which try sip.%s when no SRV record answers (TechNet gg398758)", d, d)
			}
			b.alias(External, d, sip, RoleEdge, in.Edge, why)
		}
	}
	if p.autodiscover[External] {
		b.cname(External, d, "lyncdiscover."+d, in.WebExternal.FQDN, KindAutodiscover, RoleWebExternal,
			fmt.Sprintf("Lync 2013, Skype for Business and mobile clients outside the network ask lyncdiscover.%s and fetch the autodiscover service through the external web services (reverse proxy) there; it belongs in the external DNS only (TechNet gg398758)", d))
	}
}

// hostRecords adds each server's own host records.
func (b *builder) hostRecords(v View, roles []Role) {
	for _, e := range b.hosts[v].entries {
		var words []string
		for _, r := range e.roles {
			words = append(words, roleInfo[r].words)
		}
		why := fmt.Sprintf("host record of %s; the servers may register it already, and it is listed so the planned zone is complete", strings.Join(words, " and "))
		for _, a := range e.addresses {
			b.put(v, addrRecord(e.fqdn, a, KindHost, e.roles[0], why, e.placeholder))
		}
	}
}

// under reports whether name is domain or a name below it.
func under(name, domain string) bool { return name == domain || strings.HasSuffix(name, "."+domain) }

// origins returns the zones of view v: one per SIP domain, in input
// order, then one for each server name outside every SIP domain (its
// parent domain, or the name itself when the parent is a top-level
// domain), sorted.
func (b *builder) origins(v View) []string {
	out := slices.Clone(b.p.Input.Domains)
	var extra []string
	for _, r := range b.recs[v] {
		if slices.ContainsFunc(b.p.Input.Domains, func(d string) bool { return under(r.Name, d) }) {
			continue
		}
		o := r.Name
		if _, parent, ok := strings.Cut(r.Name, "."); ok && strings.Contains(parent, ".") {
			o = parent
		}
		if !slices.Contains(extra, o) {
			extra = append(extra, o)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// zoneOf returns the most specific origin holding name.
func zoneOf(origins []string, name string) string {
	best := ""
	for _, o := range origins {
		if under(name, o) && len(o) > len(best) {
			best = o
		}
	}
	return best
}

// view groups the records of v into zones.
func (b *builder) view(v View) ViewPlan {
	origins := b.origins(v)
	vp := ViewPlan{View: v}
	for _, o := range origins {
		vp.Zones = append(vp.Zones, Zone{Origin: o})
	}
	for _, r := range b.recs[v] {
		r.Zone = zoneOf(origins, r.Name)
		i := slices.Index(origins, r.Zone)
		vp.Zones[i].Records = append(vp.Zones[i].Records, r)
	}
	return vp
}

// conflicts refuses plans whose names collide: a server named like a
// generated alias or autodiscover name, or a CNAME at a zone apex.
func (b *builder) conflicts() error {
	for _, v := range []View{Internal, External} {
		owner := map[string]Record{}
		origins := b.origins(v)
		for _, r := range b.recs[v] {
			if r.Type == engine.TypeCNAME && slices.Contains(origins, r.Name) {
				return fieldErr("alias", "%s is also the name of a zone, whose apex cannot hold a CNAME (RFC 1034 §3.6.2); use alias \"a\"", r.Name)
			}
			o, seen := owner[r.Name]
			if !seen {
				owner[r.Name] = r
				continue
			}
			if o.Kind == r.Kind && o.Role == r.Role {
				continue // the addresses of one name
			}
			host, other := r, o
			if o.Kind == KindHost {
				host, other = o, r
			}
			if host.Kind != KindHost {
				return fieldErr("domains", "%s would be published twice in the %s DNS, as %s and as %s", r.Name, v, o.Kind, r.Kind)
			}
			return fieldErr(roleInfo[host.Role].field+".fqdn", "%s is needed in the %s DNS as a %s record for %s; give %s another name",
				r.Name, v, other.Kind, roleInfo[other.Role].words, roleInfo[host.Role].words)
		}
	}
	return nil
}

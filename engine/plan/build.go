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
	RolePool:        {"pool", "the Front End pool (or Standard Edition server)"},
	RoleDirector:    {"director", "the Director"},
	RoleWebInternal: {"webInternal", "the internal web services"},
	RoleEdge:        {"edge", "the Access Edge's external interface"},
	RoleWebExternal: {"webExternal", "the external web services (reverse proxy)"},
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

// alias publishes name for server s: its addresses (AliasA) or a CNAME.
func (b *builder) alias(v View, d, name string, role Role, s Server, why string) {
	if b.p.Input.Alias == AliasCNAME {
		b.cname(v, d, name, s.FQDN, KindSIPAlias, role, why)
		return
	}
	e := b.hosts[v].get(s.FQDN)
	for _, a := range e.addresses {
		b.put(v, addrRecord(name, a, KindSIPAlias, role, why, e.placeholder))
	}
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
		return fmt.Sprintf("strict naming (EnableStrictDNSNaming) accepts only %s and sip.%s as the target of %s, so sip.%s stands for %s (Office Communicator Sign-in and Discovery)", d, d, srvName, d, server)
	}
	return fmt.Sprintf("%s is not a name under %s, so the client would refuse it as the target of %s; sip.%s stands for it, in the same domain as the SRV record as Lync Server 2013 requires (TechNet gg398758)", server, d, srvName, d)
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

// certificates lists the names each server's certificate must carry.
func certificates(p *Plan, autodiscover bool) []Certificate {
	in := p.Input
	var certs []*Certificate
	byFQDN := map[string]*Certificate{}
	add := func(c *Certificate, name, why string) {
		for _, n := range c.Names {
			if n.Name == name {
				return
			}
		}
		c.Names = append(c.Names, CertName{Name: name, Reason: why})
	}
	cert := func(role Role, s Server, words string) *Certificate {
		c := &Certificate{Role: role, Server: words, Subject: s.FQDN}
		add(c, s.FQDN, "the server's own name, as subject and again as the first subject alternative name: clients that find the SAN extension do not read the subject (RFC 2818 §3.1)")
		certs = append(certs, c)
		byFQDN[s.FQDN] = c
		return c
	}
	signIn := cert(RolePool, in.Pool, "Front End pool or Standard Edition server "+in.Pool.FQDN+" (default certificate)")
	if in.Director.FQDN != "" {
		signIn = cert(RoleDirector, in.Director, "Director "+in.Director.FQDN+" (default certificate)")
	}
	for _, d := range in.Domains {
		if t := p.targets[Internal][d]; t == "sip."+d {
			add(signIn, t, fmt.Sprintf("internal clients connect to sip.%s, the target of _sipinternaltls._tcp.%s, and refuse a certificate without it; Microsoft: \"if this pool is the auto-logon server for clients and strict DNS matching is required in group policy, you also need entries for sip.<sipdomain>\" (TechNet gg398094)", d, d))
		}
	}
	if autodiscover && in.WebInternal.FQDN != "" {
		c := byFQDN[in.WebInternal.FQDN]
		if c == nil {
			c = byFQDN[in.Pool.FQDN]
			add(c, in.WebInternal.FQDN, "the internal web services name, served by the pool, which lyncdiscoverinternal points at (TechNet gg398094)")
		}
		for _, d := range in.Domains {
			add(c, "lyncdiscoverinternal."+d, fmt.Sprintf("Lync 2013 clients fetch https://lyncdiscoverinternal.%s/ from the internal web services (TechNet gg398094, hh690012)", d))
		}
	}
	if in.Edge.FQDN != "" {
		c := cert(RoleEdge, in.Edge, "Access Edge external interface "+in.Edge.FQDN)
		for _, d := range in.Domains {
			why := fmt.Sprintf("sip.%s is published for the Access Edge (the target of _sip._tls.%s, or the fallback name Lync 2010 and later try), and a client connecting to it checks the name; automatic sign-in makes sip.<domain> a SAN on every Access Edge (common practice, TechNet gg398758; no Microsoft page states the Edge rule outright)", d, d)
			add(c, "sip."+d, why)
		}
	}
	if autodiscover && in.WebExternal.FQDN != "" {
		c := byFQDN[in.WebExternal.FQDN]
		if c == nil {
			c = cert(RoleWebExternal, in.WebExternal, "reverse proxy publishing the external web services "+in.WebExternal.FQDN)
		}
		for _, d := range in.Domains {
			add(c, "lyncdiscover."+d, fmt.Sprintf("autodiscover published on port 443 needs lyncdiscover.%s on the reverse proxy's certificate (Autodiscover service requirements for Lync Server 2013, TechNet hh690012)", d))
		}
	}
	out := make([]Certificate, len(certs))
	for i, c := range certs {
		out[i] = *c
	}
	return out
}

// notes lists what the reader must know about the plan.
func notes(p *Plan, autodiscover bool, hosts map[View]*hostTable) []string {
	in := p.Input
	var out []string
	placeholder := false
	for _, v := range []View{Internal, External} {
		placeholder = placeholder || slices.ContainsFunc(hosts[v].entries, func(e *hostEntry) bool { return e.placeholder })
	}
	if placeholder {
		out = append(out, "Addresses marked as placeholders come from the documentation ranges 192.0.2.0/24 (internal) and 203.0.113.0/24 (external) of RFC 5737: replace them with the servers' real addresses before publishing.")
	}
	if in.Director.FQDN != "" {
		out = append(out, fmt.Sprintf("The internal SRV records point at the Director %s, which authenticates users and redirects them to their home pool %s.", in.Director.FQDN, in.Pool.FQDN))
	}
	if in.Edge.FQDN == "" {
		out = append(out, "No Access Edge is planned: clients outside the network cannot sign in, and the external zones hold no SIP records.")
	}
	if autodiscover && in.WebInternal.FQDN == "" {
		out = append(out, "lyncdiscoverinternal.<domain> is not planned because no internal web services name was given; Lync 2013 and Skype for Business clients then use SRV discovery.")
	}
	if autodiscover && in.WebExternal.FQDN == "" {
		out = append(out, "lyncdiscover.<domain> is not planned because no external web services name was given; Lync 2013 mobile clients, which use only autodiscover, cannot sign in from outside.")
	}
	if !autodiscover && (in.WebInternal.FQDN != "" || in.WebExternal.FQDN != "") {
		out = append(out, "No selected client profile uses autodiscover, so no lyncdiscover records are planned for the web services names.")
	}
	out = append(out, "The BIND zones open with a placeholder SOA and NS (ns1.<zone>, serial 1) so that they load on their own; add the records to your existing zones rather than replacing them.")
	return out
}

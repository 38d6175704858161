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
	RolePool:                {"pool", "the Front End pool (or Standard Edition server)"},
	RoleDirector:            {"director", "the Director"},
	RoleWebInternal:         {"webInternal", "the internal web services"},
	RoleEdgeInternal:        {"edgeInternal", "the Edge Server's internal interface"},
	RoleEdge:                {"edge", "the Access Edge's external interface"},
	RoleWebExternal:         {"webExternal", "the external web services (reverse proxy)"},
	RolePoolMember:          {"pool", "a Front End server of the pool"},
	RoleDirectorMember:      {"director", "a Director of the Director pool"},
	RoleWebConfEdge:         {"webConfEdge", "the Web Conferencing Edge's external interface"},
	RoleAVEdge:              {"avEdge", "the A/V Edge's external interface"},
	RoleDirectorWebInternal: {"directorWebInternal", "the Director's internal web services"},
	RoleDirectorWebExternal: {"directorWebExternal", "the Director's external web services (reverse proxy)"},
	RoleOfficeOnline:        {"officeOnline", "the Office Online Server"},
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
// addresses; a server without addresses gets the role's placeholder, or
// a pool with servers one placeholder per server. s's addresses are
// filled in.
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
		if first, ok := memberPlaceholders[role]; ok && len(s.Members) > 0 {
			for i := range s.Members {
				s.Addresses = append(s.Addresses, fmt.Sprintf("192.0.2.%d", first+i))
			}
		} else {
			s.Addresses = []string{placeholders[role]}
		}
		e.placeholder = true
	}
	e.addresses = slices.Clone(s.Addresses)
	t.entries = append(t.entries, e)
	return nil
}

// addMember records a server of a pool with its one address.
func (t *hostTable) addMember(role Role, field string, s *Server, placeholder bool) error {
	if err := t.add(role, field, s); err != nil {
		return err
	}
	e := t.get(s.FQDN)
	e.placeholder = e.placeholder || placeholder
	return nil
}

// addShared records fqdn under role with the addresses of the server
// named from (a name the reverse proxy publishes).
func (t *hostTable) addShared(role Role, field, fqdn, from string) error {
	src := t.get(from)
	s := Server{FQDN: fqdn, Addresses: slices.Clone(src.addresses)}
	if err := t.add(role, field, &s); err != nil {
		return err
	}
	e := t.get(fqdn)
	e.placeholder = e.placeholder || src.placeholder
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

func (b *builder) srv(v View, name string, port uint16, target string, kind Kind, role Role, why, needs string) {
	b.put(v, Record{Record: engine.Record{Name: name, Type: engine.TypeSRV, Priority: 0, Weight: 0, Port: port, Target: target},
		Kind: kind, Role: role, Reason: why, Needs: needs})
}

// pinPoint reports whether name is published in a pin-point zone of its
// own in view v.
func (p *Plan) pinPoint(v View, name string) bool {
	if v != Internal {
		return false
	}
	best := -1
	for i, d := range p.Input.Domains {
		if under(name, d) && (best < 0 || len(d) > len(p.Input.Domains[best])) {
			best = i
		}
	}
	switch {
	case best < 0:
		return false
	case p.Input.InternalZones == ZonesPinPoint:
		return true
	case p.Input.InternalZones == ZonesAuto:
		return best > 0
	}
	return false
}

// pointTo publishes name as a CNAME to target, or as target's host
// records where a CNAME cannot stand: in a pin-point zone, whose apex the
// name is (RFC 1034 §3.6.2), or for an SRV target (RFC 2782).
func (b *builder) pointTo(v View, name, target string, kind Kind, role Role, why, needs string) {
	if !b.p.pinPoint(v, name) && !b.p.isTarget(v, name) {
		b.put(v, Record{Record: engine.Record{Name: name, Type: engine.TypeCNAME, Target: target}, Kind: kind, Role: role, Reason: why, Needs: needs})
		return
	}
	b.hostsOf(v, name, target, kind, role, why, needs)
}

// hostsOf publishes name with the addresses of the planned server named
// target.
func (b *builder) hostsOf(v View, name, target string, kind Kind, role Role, why, needs string) {
	e := b.hosts[v].get(target)
	for _, a := range e.addresses {
		r := addrRecord(name, a, kind, role, why, e.placeholder)
		r.Needs = needs
		b.put(v, r)
	}
}

// alias publishes name for server s: its addresses, or a CNAME to it when
// Input.Alias asks for one and name is not an SRV target (RFC 2782: the
// target "MUST NOT be an alias").
func (b *builder) alias(v View, name string, role Role, s Server, why, needs string) {
	if b.p.Input.Alias == AliasCNAME {
		b.pointTo(v, name, s.FQDN, KindSIPAlias, role, why, needs)
		return
	}
	b.hostsOf(v, name, s.FQDN, KindSIPAlias, role, why, needs)
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
		return fmt.Sprintf("strict naming (Office Communicator's EnableStrictDNSNaming policy; for Lync and Skype for Business, a policy requiring strict DNS matching, as the DisableStrictDNSNaming policy text reads) accepts only %s and sip.%s as the target of %s, so sip.%s stands for %s; as an SRV target it is a host record, never a CNAME (RFC 2782; Office Communicator Sign-in and Discovery; Certificate requirements for internal servers in Lync Server 2013)", d, d, srvName, d, server)
	}
	return fmt.Sprintf("%s is not a name under %s, so the client would refuse it as the target of %s; sip.%s stands for it, a host record in the SRV record's own domain as Determine DNS requirements for Lync Server 2013 requires, never a CNAME (RFC 2782)", server, d, srvName, d)
}

// The clients and features that need each kind of record, as the
// Needs of a record says it.
const (
	needsSignInInside  = "sign-in inside: every client (Communicator 2007/R2, Lync 2010, Lync 2013, Skype for Business)"
	needsSignInOutside = "sign-in outside: every client"
	needsSIPOutside    = "sign-in outside: Lync 2010 and later when no SRV record answers; the Access Edge certificate's name"
	needsAutoInside    = "Lync 2013, Skype for Business and mobile clients inside (autodiscover)"
	needsAutoOutside   = "Lync 2013, Skype for Business and mobile clients outside (autodiscover, mobility)"
	needsFederation    = "federation with other organizations (server to server; no client asks it)"
	needsXMPP          = "XMPP federation (server to server)"
	needsWebConf       = "meetings outside: web conferencing (content sharing) through the Edge"
	needsAV            = "audio and video outside: the A/V Edge (media relay)"
	needsMeet          = "meetings: the join link of every meeting (meet simple URL)"
	needsDialin        = "meetings: the dial-in conferencing page (dialin simple URL)"
	needsAdmin         = "administrators inside: the Control Panel (admin simple URL)"
	needsPool          = "every client and server inside: SIP to the pool's servers (DNS load balancing)"
	needsMember        = "server to server traffic; DNS load balancing hands clients each server's address"
	needsWeb           = "every client: the web services (address book, meeting content, mobility) through the load balancer or reverse proxy"
	needsOOS           = "meetings: PowerPoint presentations (Office Online Server)"
	needsHost          = "the servers and the records that point at them"
)

// internal adds the internal records of domain d: _sipinternaltls._tcp to
// the sign-in server or its sip.<domain> stand-in, and
// lyncdiscoverinternal when autodiscover is planned. _sipinternal._tcp is
// never published: Lync Server and Skype for Business Server pools take
// no client SIP over TCP ("Port and protocol requirements for servers":
// TCP 5060 only for static routes to trusted services), so the record
// would send clients whose policy allows TCP to a port that refuses them.
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
	b.srv(Internal, "_sipinternaltls._tcp."+d, 5061, t, KindSRVInternalTLS, role,
		fmt.Sprintf("internal clients of every profile ask _sipinternaltls._tcp.%s first and sign in to its target over TLS on port 5061; Microsoft: \"Create only one SRV record for the designated server or pool\" (DNS requirements for automatic client sign-in in Lync Server 2013; Office Communicator Sign-in and Discovery)", d), needsSignInInside)
	if t != p.signIn.FQDN {
		b.alias(Internal, t, role, p.signIn, b.aliasReason(d, p.signIn.FQDN, "_sipinternaltls._tcp."+d), needsSignInInside)
	}
	if p.autodiscover[Internal] {
		w := p.webTarget(Internal)
		why := fmt.Sprintf("Lync 2013 and Skype for Business clients ask lyncdiscoverinternal.%s before any SRV record and fetch the autodiscover service from the internal web services %s; internal DNS only (Determine DNS requirements for Lync Server 2013)", d, w)
		if in.Director.FQDN != "" {
			why = fmt.Sprintf("Lync 2013 and Skype for Business clients ask lyncdiscoverinternal.%s before any SRV record; with a Director it leads to the Director's internal web services %s, which redirect to the user's pool; internal DNS only (Determine DNS requirements for Lync Server 2013)", d, w)
		}
		b.pointTo(Internal, "lyncdiscoverinternal."+d, w, KindAutodiscover, RoleWebInternal, why, needsAutoInside)
	}
}

// external adds the external records of domain d: _sip._tls to the Access
// Edge or its sip.<domain> stand-in, sip.<domain> itself,
// _sipfederationtls._tcp and _xmpp-server._tcp to the Access Edge, and
// lyncdiscover when autodiscover is planned.
func (b *builder) external(d string) {
	p, in := b.p, b.p.Input
	if in.Edge.FQDN != "" {
		t := in.Edge.FQDN
		if !acceptable(t, d, in.StrictNaming) {
			t = "sip." + d
		}
		p.targets[External][d] = t
		b.srv(External, "_sip._tls."+d, in.EdgePort, t, KindSRVExternalTLS, RoleEdge,
			fmt.Sprintf("clients outside the network find no internal record and sign in through the Access Edge named by _sip._tls.%s, over TLS on port %d (Determine DNS requirements for Lync Server 2013; OCS 2007 R2 Client DNS Queries Drilldown)", d, in.EdgePort), needsSignInOutside)
		if sip := "sip." + d; sip != in.Edge.FQDN {
			why := b.aliasReason(d, in.Edge.FQDN, "_sip._tls."+d)
			if t != sip {
				why = fmt.Sprintf("sip.%s names the Access Edge for Lync 2010 and later clients, which try sip.%s when no SRV record answers (Determine DNS requirements for Lync Server 2013)", d, d)
			}
			b.alias(External, sip, RoleEdge, in.Edge, why, needsSIPOutside)
		}
		if !in.NoFederation {
			b.srv(External, "_sipfederationtls._tcp."+d, 5061, t, KindSRVFederation, RoleEdge,
				fmt.Sprintf("federated organizations find the Access Edge of %s by _sipfederationtls._tcp.%s and connect over MTLS on port 5061, the federation port; its target is in the record's own domain and on the Edge's external certificate (DNS summary - Single consolidated edge with private IP addresses using NAT in Lync Server 2013; Port summary - SIP, XMPP federation, and public instant messaging in Lync Server 2013)", d, d), needsFederation)
		}
		if in.XMPP {
			b.srv(External, "_xmpp-server._tcp."+d, 5269, t, KindSRVXMPP, RoleEdge,
				fmt.Sprintf("XMPP partners find the Edge's XMPP proxy of %s by _xmpp-server._tcp.%s, port 5269 (Port summary - SIP, XMPP federation, and public instant messaging in Lync Server 2013)", d, d), needsXMPP)
		}
	}
	if p.autodiscover[External] {
		w := p.webTarget(External)
		why := fmt.Sprintf("Lync 2013, Skype for Business and mobile clients outside the network ask lyncdiscover.%s and fetch the autodiscover service through the reverse proxy's %s; external DNS only (Determine DNS requirements for Lync Server 2013; Certificate requirements for mobility in Lync Server 2013)", d, w)
		if in.Director.FQDN != "" && w == in.DirectorWebExternal {
			why = fmt.Sprintf("Lync 2013, Skype for Business and mobile clients outside the network ask lyncdiscover.%s; with a Director it leads to the Director's external web services %s, published by the reverse proxy; external DNS only (Determine DNS requirements for Lync Server 2013)", d, w)
		}
		b.pointTo(External, "lyncdiscover."+d, w, KindAutodiscover, RoleWebExternal, why, needsAutoOutside)
	}
}

// simpleURLs adds the simple URLs of "Planning for simple URLs in Lync
// Server 2013" (Option 1): meet.<domain> for every SIP domain, dialin and
// admin under the first. Inside they lead to the Director's web services
// when there is a Director, otherwise to the pool's ("DNS requirements
// for simple URLs in Lync Server 2013"); outside, meet and dialin lead to
// the reverse proxy, and admin is not published.
func (b *builder) simpleURLs() {
	p, in := b.p, b.p.Input
	if !in.SimpleURLs {
		return
	}
	inside := in.WebInternal.FQDN
	if in.Director.FQDN != "" {
		inside = in.DirectorWebInternal.FQDN
	}
	if inside == "" {
		inside = in.Pool.FQDN
	}
	first := in.Domains[0]
	for _, u := range p.SimpleURLs() {
		needs, why := needsMeet, fmt.Sprintf("the meet simple URL of %s: each SIP domain needs one, and its A record leads to the Director if there is one, otherwise to the Front End pool's web services (DNS requirements for simple URLs in Lync Server 2013)", strings.TrimPrefix(u, "meet."))
		switch u {
		case "dialin." + first:
			needs, why = needsDialin, "the dial-in simple URL, one for the organization: its A record leads to the Director if there is one, otherwise to the Front End pool's web services (DNS requirements for simple URLs in Lync Server 2013)"
		case "admin." + first:
			needs, why = needsAdmin, "the admin simple URL, one for the organization and internal only (Planning for simple URLs in Lync Server 2013)"
		}
		b.hostsOf(Internal, u, inside, KindSimpleURL, RoleWebInternal, why, needs)
		if u != "admin."+first && in.WebExternal.FQDN != "" {
			b.hostsOf(External, u, in.WebExternal.FQDN, KindSimpleURL, RoleWebExternal, why+"; outside, the reverse proxy publishes it (Request and configure a certificate for your reverse HTTP proxy in Lync Server 2013)", needs)
		}
	}
}

// SimpleURLs returns the simple URLs' host names a plan with
// Input.SimpleURLs publishes: meet.<domain> for every SIP domain, then
// dialin and admin under the first.
func (p *Plan) SimpleURLs() []string {
	if !p.Input.SimpleURLs {
		return nil
	}
	var out []string
	for _, d := range p.Input.Domains {
		out = append(out, "meet."+d)
	}
	return append(out, "dialin."+p.Input.Domains[0], "admin."+p.Input.Domains[0])
}

// hostWhy gives a server entry's host record its reason and needs.
func (b *builder) hostWhy(e *hostEntry) (Kind, string, string) {
	var words []string
	for _, r := range e.roles {
		words = append(words, roleInfo[r].words)
	}
	all := strings.Join(words, " and ")
	in := b.p.Input
	switch e.roles[0] {
	case RolePool, RoleDirector:
		s := in.Pool
		if e.roles[0] == RoleDirector {
			s = in.Director
		}
		if len(s.Members) > 0 {
			return KindPoolMember, fmt.Sprintf("DNS load balancing: the pool's FQDN %s has one A record per server (%s), and each server keeps its own; round robin on (Deploying DNS load balancing on Front End pools and Director pools; DNS requirements for Front End pools in Lync Server 2013)", s.FQDN, strings.Join(s.Members, ", ")), needsPool
		}
		return KindHost, fmt.Sprintf("host record of %s (DNS requirements for Front End pools in Lync Server 2013)", all), needsHost
	case RolePoolMember:
		return KindHost, fmt.Sprintf("host record of %s, %s: its own name beside the pool's round robin (DNS requirements for Front End pools in Lync Server 2013: \"Each Front End Server will also have a distinct A record\"); the server registers it in Active Directory DNS, and the script leaves it as it is when it is there", e.fqdn, all), needsMember
	case RoleDirectorMember:
		return KindHost, fmt.Sprintf("host record of %s, %s: its own name beside the Director pool's round robin (DNS summary - Scaled Director pool, hardware load balancer in Lync Server 2013: the Director's host record); the server registers it in Active Directory DNS, and the script leaves it as it is when it is there", e.fqdn, all), needsMember
	case RoleWebConfEdge:
		return KindEdgeService, fmt.Sprintf("the Web Conferencing Edge's external name %s (DNS summary - Single consolidated edge with private IP addresses using NAT in Lync Server 2013)", e.fqdn), needsWebConf
	case RoleAVEdge:
		return KindEdgeService, fmt.Sprintf("the A/V Edge's external name %s (DNS summary - Single consolidated edge with private IP addresses using NAT in Lync Server 2013)", e.fqdn), needsAV
	case RoleWebInternal, RoleDirectorWebInternal:
		return KindWebServices, fmt.Sprintf("host record of %s: the internal web services FQDN, at the load balancer's virtual IP; with DNS load balancing it must differ from the pool's FQDN (DNS requirements for Front End pools in Lync Server 2013)", all), needsWeb
	case RoleWebExternal, RoleDirectorWebExternal:
		return KindWebServices, fmt.Sprintf("host record of %s at the reverse proxy's public address (DNS summary - Single consolidated edge with private IP addresses using NAT in Lync Server 2013)", all), needsWeb
	case RoleOfficeOnline:
		return KindHost, fmt.Sprintf("host record of %s (Office Web Apps Server / Office Online Server, for PowerPoint in meetings)", all), needsOOS
	}
	return KindHost, fmt.Sprintf("host record of %s; the servers may register it already, and it is listed so the planned zone is complete", all), needsHost
}

// hostRecords adds each server's own host records in view v.
func (b *builder) hostRecords(v View) {
	for _, e := range b.hosts[v].entries {
		kind, why, needs := b.hostWhy(e)
		for _, a := range e.addresses {
			r := addrRecord(e.fqdn, a, kind, e.roles[0], why, e.placeholder)
			r.Needs = needs
			b.put(v, r)
		}
	}
}

// under reports whether name is domain or a name below it.
func under(name, domain string) bool { return name == domain || strings.HasSuffix(name, "."+domain) }

// origins returns the zones of view v: one per SIP domain held as a
// whole zone, in input order, then the pin-point zones (each record name
// of a domain held in pin-point zones) in record order, then one for each
// server name outside every SIP domain (its parent domain, or the name
// itself when the parent is a top-level domain), sorted.
func (b *builder) origins(v View) []string {
	var out []string
	for _, d := range b.p.Input.Domains {
		if !b.p.pinPoint(v, "_."+d) {
			out = append(out, d)
		}
	}
	var extra []string
	for _, r := range b.recs[v] {
		if b.p.pinPoint(v, r.Name) {
			if !slices.Contains(out, r.Name) {
				out = append(out, r.Name)
			}
			continue
		}
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
		vp.Zones = append(vp.Zones, Zone{Origin: o, PinPoint: b.p.pinPoint(v, o) && !slices.Contains(b.p.Input.Domains, o)})
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
			if o.Kind == r.Kind && o.Role == r.Role && o.Type != engine.TypeCNAME && r.Type != engine.TypeCNAME {
				continue // the addresses of one name
			}
			host, other := r, o
			if hostKind(o.Kind) {
				host, other = o, r
			}
			if !hostKind(host.Kind) {
				return fieldErr("domains", "%s would be published twice in the %s DNS, as %s and as %s", r.Name, v, o.Kind, r.Kind)
			}
			return fieldErr(roleInfo[host.Role].field+".fqdn", "%s is needed in the %s DNS as a %s record for %s; give %s another name",
				r.Name, v, other.Kind, roleInfo[other.Role].words, roleInfo[host.Role].words)
		}
	}
	return nil
}

// hostKind reports whether records of kind k are a server's own names.
func hostKind(k Kind) bool {
	return k == KindHost || k == KindPoolMember || k == KindWebServices || k == KindEdgeService
}

package plan

import (
	"fmt"
	"slices"
)

// certSet collects the certificates of a plan in order, and those of each
// role.
type certSet struct {
	p      *Plan
	out    []*Certificate
	byRole map[Role][]*Certificate
}

// certificates lists the names each server's certificate must carry: the
// default certificate of each Front End server (or the Standard Edition
// server) and Director, from "Certificate requirements for internal
// servers in Lync Server 2013" (TechNet gg398094); the autodiscover names
// of "Certificate requirements for mobility in Lync Server 2013" (TechNet
// hh690044); the Edge Server's external and internal certificates of "Plan
// for Edge Server certificates in Lync Server 2013" (TechNet gg413010);
// the reverse proxy's.
func certificates(p *Plan) []Certificate {
	c := &certSet{p: p, byRole: map[Role][]*Certificate{}}
	in := p.Input
	c.pool(RolePool, in.Pool, "Front End pool", "Front End server", "Standard Edition server")
	if in.Director.FQDN != "" {
		c.pool(RoleDirector, in.Director, "Director pool", "Director", "single Director")
	}
	c.signInNames()
	c.autodiscoverNames()
	c.edge()
	c.reverseProxy()
	out := make([]Certificate, len(c.out))
	for i, cert := range c.out {
		out[i] = *cert
	}
	return out
}

// add puts name on cert once.
func (c *certSet) add(cert *Certificate, name, why string) {
	if !slices.ContainsFunc(cert.Names, func(n CertName) bool { return n.Name == name }) {
		cert.Names = append(cert.Names, CertName{Name: name, Reason: why})
	}
}

// addRole puts name on every certificate of role.
func (c *certSet) addRole(role Role, name, why string) {
	for _, cert := range c.byRole[role] {
		c.add(cert, name, why)
	}
}

func (c *certSet) cert(role Role, server, subject string) *Certificate {
	cert := &Certificate{Role: role, Server: server, Subject: subject}
	c.out = append(c.out, cert)
	c.byRole[role] = append(c.byRole[role], cert)
	return cert
}

// pool adds the default certificate of each server of a pool: the pool's
// FQDN as subject and SAN, and the server's own FQDN (gg398094). A pool
// given without members is one server whose FQDN is the pool's.
func (c *certSet) pool(role Role, s Server, pool, member, single string) {
	subject := fmt.Sprintf("the pool's FQDN: the subject of every %s's default certificate and its first subject alternative name, since clients that find the SAN extension do not read the subject (TechNet gg398094; RFC 2818 §3.1)", member)
	if len(s.Members) == 0 {
		cert := c.cert(role, fmt.Sprintf("%s %s (default certificate)", pool, s.FQDN), s.FQDN)
		c.add(cert, s.FQDN, subject+fmt.Sprintf("; on a %s the server's own FQDN is the pool's (TechNet gg398094)", single))
		return
	}
	for _, m := range s.Members {
		cert := c.cert(role, fmt.Sprintf("%s %s of %s %s (default certificate)", member, m, pool, s.FQDN), s.FQDN)
		c.add(cert, s.FQDN, subject)
		c.add(cert, m, fmt.Sprintf("the %s's own FQDN, which the default certificate carries beside the pool's (TechNet gg398094)", member))
	}
}

// signInNames puts sip.<domain> on the sign-in server's certificates for
// each domain whose internal SRV record names sip.<domain>: the name the
// clients connect to and check.
func (c *certSet) signInNames() {
	p := c.p
	role := RolePool
	if p.Input.Director.FQDN != "" {
		role = RoleDirector
	}
	for _, d := range p.Input.Domains {
		t := p.targets[Internal][d]
		if t != "sip."+d {
			continue
		}
		why := fmt.Sprintf("internal clients connect to sip.%s, the target of _sipinternaltls._tcp.%s, and refuse a certificate that does not name it; Microsoft: \"if this pool is the auto-logon server for clients and strict DNS matching is required in group policy, you also need entries for sip.<sipdomain>\" (TechNet gg398094)", d, d)
		if !p.Input.StrictNaming {
			why = fmt.Sprintf("internal clients connect to sip.%s, the target of _sipinternaltls._tcp.%s, and refuse a certificate that does not name the server they connected to (Office Communicator Sign-in and Discovery: the client validates the server's certificate; RFC 2818 §3.1)", d, d)
		}
		c.addRole(role, t, why)
	}
}

// autodiscoverNames puts the autodiscover names on the Front End pool's
// and the Director's certificates when lyncdiscoverinternal or
// lyncdiscover is published (hh690044), and the internal web services
// name on the pool's when the pool serves it under another name.
func (c *certSet) autodiscoverNames() {
	p := c.p
	in := p.Input
	if p.autodiscover[Internal] {
		if w := in.WebInternal.FQDN; w != in.Pool.FQDN && w != in.Director.FQDN && !slices.Contains(in.Pool.Members, w) && !slices.Contains(in.Director.Members, w) {
			c.addRole(RolePool, w, "the pool's internal web services FQDN, which lyncdiscoverinternal.<domain> points at (Web internal certificate: the internal web FQDN, TechNet gg398094)")
		}
		for _, d := range in.Domains {
			why := fmt.Sprintf("the internal autodiscover URL https://lyncdiscoverinternal.%s/: the Front End pool's and the Director pool's certificates carry it (Certificate requirements for mobility, TechNet hh690044)", d)
			c.addRole(RolePool, "lyncdiscoverinternal."+d, why)
			c.addRole(RoleDirector, "lyncdiscoverinternal."+d, why)
		}
	}
	if p.autodiscover[External] {
		for _, d := range in.Domains {
			why := fmt.Sprintf("the external autodiscover URL https://lyncdiscover.%s/, which the reverse proxy hands to the web services: the Front End pool's and the Director pool's certificates carry it (Certificate requirements for mobility, TechNet hh690044)", d)
			c.addRole(RolePool, "lyncdiscover."+d, why)
			c.addRole(RoleDirector, "lyncdiscover."+d, why)
		}
	}
}

// edge adds the Access Edge's external certificate (its FQDN, the Web
// Conferencing Edge's, a name for each SIP domain) and the Edge Server's
// internal certificate (gg413010).
func (c *certSet) edge() {
	in := c.p.Input
	if in.Edge.FQDN == "" {
		return
	}
	ext := c.cert(RoleEdge, "Access Edge external interface "+in.Edge.FQDN+" (public certificate)", in.Edge.FQDN)
	c.add(ext, in.Edge.FQDN, "the Access Edge's external FQDN: the subject and the first subject alternative name of the Edge's external certificate (TechNet gg413010; RFC 2818 §3.1)")
	if in.WebConfEdge != "" {
		c.add(ext, in.WebConfEdge, "the Web Conferencing Edge's external FQDN, on the same external certificate: Microsoft asks for distinct subject alternative names for each SIP domain name and the Web Conferencing Edge service (TechNet gg413010)")
	}
	for _, d := range in.Domains {
		c.add(ext, "sip."+d, fmt.Sprintf("a subject alternative name for the SIP domain %s (TechNet gg413010: \"You must define distinct subject alternate names (SANs) for each SIP domain name\"): sip.%s, which clients outside connect to as the target of _sip._tls.%s or as the name Lync 2010 and later try when no SRV record answers (TechNet gg398758)", d, d, d))
	}
	if e := in.EdgeInternal.FQDN; e != "" {
		cert := c.cert(RoleEdgeInternal, "Edge Server internal interface "+e+" (certificate from the internal CA)", e)
		c.add(cert, e, "the Edge Server's internal FQDN, which the Front End servers and Directors connect to; the internal interface has a certificate of its own (TechNet gg413010: \"Create a single internal certificate ... assign it to each of the Edge Server internal interfaces\")")
	}
}

// reverseProxy adds the reverse proxy's certificate when lyncdiscover is
// published: its FQDN and lyncdiscover.<domain> (hh690044).
func (c *certSet) reverseProxy() {
	p := c.p
	w := p.Input.WebExternal.FQDN
	if !p.autodiscover[External] {
		return
	}
	certs := c.byRole[RoleWebExternal]
	for _, cert := range c.out {
		if cert.Subject == w {
			certs = append(certs, cert)
		}
	}
	if len(certs) == 0 {
		cert := c.cert(RoleWebExternal, "reverse proxy publishing the external web services "+w+" (public certificate)", w)
		c.add(cert, w, "the external web services FQDN the reverse proxy listens on: the subject and the first subject alternative name (RFC 2818 §3.1)")
		certs = []*Certificate{cert}
	}
	for _, d := range p.Input.Domains {
		for _, cert := range certs {
			c.add(cert, "lyncdiscover."+d, fmt.Sprintf("the reverse proxy's listener for autodiscover on port 443 carries lyncdiscover.%s (Certificate requirements for mobility, TechNet hh690044)", d))
		}
	}
}

// warnings lists inputs the plan follows that are probably not meant.
func warnings(p *Plan) []string {
	var out []string
	if p.Input.Edge.FQDN != "" && p.Input.EdgePort == 5061 {
		out = append(out, "The Access Edge port is 5061, the federation port (_sipfederationtls._tcp, server to server). Clients sign in through the Access Edge on port 443, where _sip._tls.<domain> points (TechNet gg398758); the plan publishes port 5061 as given, which clients outside can use only if the Access Edge serves clients there.")
	}
	return out
}

// notes lists what the reader must know about the plan.
func notes(p *Plan, asks bool, hosts map[View]*hostTable) []string {
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
	if len(in.Pool.Members) == 0 {
		out = append(out, fmt.Sprintf("The pool %s is planned as one server whose FQDN is the pool's, as a Standard Edition server is; for an Enterprise Edition pool give its Front End servers, whose default certificates each carry the pool's FQDN and their own (TechNet gg398094).", in.Pool.FQDN))
	}
	if in.Director.FQDN != "" && len(in.Director.Members) == 0 {
		out = append(out, fmt.Sprintf("The Director pool %s is planned as one server whose FQDN is the pool's; for a pool of Directors give them, so that each certificate lists its own FQDN beside the pool's (TechNet gg398094).", in.Director.FQDN))
	}
	out = append(out, edgeNotes(in)...)
	out = append(out, autodiscoverNotes(in, asks)...)
	out = append(out,
		"The internal and external records are separate scripts and zones: publish each only in its own DNS. The internal DNS never holds the Access Edge's public address, and the public DNS never holds an internal-only name.",
		"The BIND zones open with a placeholder SOA and NS (ns1.<zone>, serial 1) so that they load on their own; add the records to your existing zones rather than replacing them.")
	return out
}

func edgeNotes(in Input) []string {
	if in.Edge.FQDN == "" {
		return []string{"No Access Edge is planned: clients outside the network cannot sign in, and the external zones hold no SIP records."}
	}
	var out []string
	if in.EdgeInternal.FQDN == "" {
		out = append(out, "The Edge Server's internal interface needs a host record in the internal DNS and a certificate of its own from the internal CA (TechNet gg413010); give its internal FQDN to plan both.")
	}
	if in.WebConfEdge == "" {
		out = append(out, "The Access Edge's external certificate also carries the Web Conferencing Edge's external FQDN (TechNet gg413010); give that name to list it.")
	}
	return out
}

func autodiscoverNotes(in Input, asks bool) []string {
	var out []string
	if asks && in.WebInternal.FQDN == "" {
		out = append(out, "lyncdiscoverinternal.<domain> is not planned because no internal web services name was given; Lync 2013 and Skype for Business clients then use SRV discovery.")
	}
	if asks && in.WebExternal.FQDN == "" {
		out = append(out, "lyncdiscover.<domain> is not planned because no external web services name was given; Lync 2013 mobile clients, which use only autodiscover, cannot sign in from outside.")
	}
	if !asks && (in.WebInternal.FQDN != "" || in.WebExternal.FQDN != "") {
		out = append(out, "No selected client profile uses autodiscover, so no lyncdiscover records are planned for the web services names.")
	}
	return out
}

package plan

import (
	"fmt"
	"slices"
	"strings"
)

// certSet collects the certificates of a plan in order, and those of each
// role.
type certSet struct {
	p      *Plan
	out    []*Certificate
	byRole map[Role][]*Certificate
}

// The uses of a certificate, as Microsoft's certificate tables name them.
const (
	UseDefault      = "Default"
	UseWebInternal  = "Web internal"
	UseWebExternal  = "Web external"
	UseEdgeExternal = "Edge external"
	UseEdgeInternal = "Edge internal"
	UseReverseProxy = "Reverse proxy"
)

// sanNote is why the subject is repeated: a SAN list overrides it.
const sanNote = "repeated as the first subject alternative name because a client that finds a SAN list checks only that list and ignores the subject (RFC 2818 §3.1; Plan for Edge Server certificates in Lync Server 2013: \"TLS ignores the subject name\")"

// certificates lists the certificates of the plan and the names each
// must carry, as Microsoft's tables give them: for each Front End server
// (or the Standard Edition server) and each Director, the Default, Web
// internal and Web external certificates of "Certificate requirements
// for internal servers in Lync Server 2013" (the certificate wizard may
// put all three on one certificate, which then carries every name), with
// the simple URLs and the autodiscover names of "Certificate requirements
// for mobility in Lync Server 2013"; the Edge Server's external and
// internal certificates of "Plan for Edge Server certificates in Lync
// Server 2013"; the reverse proxy's of "Request and configure a
// certificate for your reverse HTTP proxy in Lync Server 2013". Names are
// in the order a request wizard asks for them: the subject, then the
// subject alternative names, the subject first among them.
func certificates(p *Plan) []Certificate {
	c := &certSet{p: p, byRole: map[Role][]*Certificate{}}
	in := p.Input
	c.pool(RolePool, in.Pool, "Front End pool", "Front End server", "Standard Edition server")
	if in.Director.FQDN != "" {
		c.pool(RoleDirector, in.Director, "Director pool", "Director", "single Director")
	}
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
	if name == "" {
		return
	}
	if !slices.ContainsFunc(cert.Names, func(n CertName) bool { return n.Name == name }) {
		cert.Names = append(cert.Names, CertName{Name: name, Reason: why})
	}
}

func (c *certSet) cert(role Role, use, server, subject string) *Certificate {
	cert := &Certificate{Role: role, Use: use, Server: server, Subject: subject}
	c.out = append(c.out, cert)
	c.byRole[role] = append(c.byRole[role], cert)
	return cert
}

// pool adds the three certificates of each server of a pool (one server
// whose FQDN is the pool's when no servers are given).
func (c *certSet) pool(role Role, s Server, pool, member, single string) {
	p, in := c.p, c.p.Input
	servers := s.Members
	if len(servers) == 0 {
		servers = []string{s.FQDN}
	}
	director := role == RoleDirector
	signIn := director || in.Director.FQDN == ""
	webInt, webExt := in.WebInternal.FQDN, in.WebExternal.FQDN
	if director {
		webInt, webExt = in.DirectorWebInternal.FQDN, in.DirectorWebExternal
	}
	for _, m := range servers {
		name := fmt.Sprintf("%s %s of %s %s", member, m, pool, s.FQDN)
		if len(s.Members) == 0 {
			name = fmt.Sprintf("%s %s", single, m)
		}
		def := c.cert(role, UseDefault, name+": Default certificate (internal CA)", s.FQDN)
		c.add(def, s.FQDN, "the pool's FQDN, the subject of the Default certificate, "+sanNote+" (Certificate requirements for internal servers in Lync Server 2013)")
		c.add(def, m, fmt.Sprintf("the %s's own FQDN, which the Default certificate carries beside the pool's (Certificate requirements for internal servers in Lync Server 2013)", member))
		if signIn {
			for _, d := range in.Domains {
				if p.targets[Internal][d] != "sip."+d {
					continue
				}
				why := fmt.Sprintf("internal clients connect to sip.%s, the target of _sipinternaltls._tcp.%s; Microsoft: \"if this pool is the auto-logon server for clients and strict DNS matching is required in group policy, you also need entries for sip.sipdomain\" (Certificate requirements for internal servers in Lync Server 2013)", d, d)
				c.add(def, "sip."+d, why)
			}
		}
		wi := c.cert(role, UseWebInternal, name+": Web internal certificate (internal CA)", m)
		c.add(wi, m, "the server's FQDN, the subject of the Web internal certificate, "+sanNote)
		c.add(wi, webInt, "the internal web services FQDN, which clients inside reach over HTTPS (Certificate requirements for internal servers in Lync Server 2013)")
		c.simple(wi, true)
		if p.autodiscover[Internal] {
			for _, d := range in.Domains {
				c.add(wi, "lyncdiscoverinternal."+d, fmt.Sprintf("the internal autodiscover URL https://lyncdiscoverinternal.%s/ (Certificate requirements for mobility in Lync Server 2013)", d))
			}
		}
		we := c.cert(role, UseWebExternal, name+": Web external certificate (internal CA; the reverse proxy connects to it)", m)
		c.add(we, m, "the server's FQDN, the subject of the Web external certificate, "+sanNote)
		c.add(we, webExt, "the external web services FQDN the reverse proxy forwards to (Certificate requirements for internal servers in Lync Server 2013)")
		c.simple(we, false)
		if p.autodiscover[External] {
			for _, d := range in.Domains {
				c.add(we, "lyncdiscover."+d, fmt.Sprintf("the external autodiscover URL https://lyncdiscover.%s/, which the reverse proxy forwards to the web services (Certificate requirements for mobility in Lync Server 2013)", d))
			}
		}
	}
}

// simple puts the simple URLs on a web certificate: meet and dialin on
// both, admin on the internal one only ("Certificate requirements for
// internal servers in Lync Server 2013"; "Planning for simple URLs in
// Lync Server 2013": admin is internal).
func (c *certSet) simple(cert *Certificate, internal bool) {
	first := c.p.Input.Domains[0]
	for _, u := range c.p.SimpleURLs() {
		if u == "admin."+first && !internal {
			continue
		}
		why := "a simple URL (meet for each SIP domain, dialin, and admin inside) on the web services certificate (Certificate requirements for internal servers in Lync Server 2013; Planning for simple URLs in Lync Server 2013)"
		if cert.Use == UseReverseProxy {
			why = "a simple URL the reverse proxy publishes: \"The subject alternative name must also contain the meeting simple URL, the dial-in simple URL\" (Request and configure a certificate for your reverse HTTP proxy in Lync Server 2013)"
		}
		c.add(cert, u, why)
	}
}

// edge adds the Edge Server's external certificate (the Access Edge's
// FQDN, the Web Conferencing Edge's, sip.<domain> for each SIP domain)
// and its internal certificate ("Plan for Edge Server certificates in
// Lync Server 2013").
func (c *certSet) edge() {
	in := c.p.Input
	if in.Edge.FQDN == "" {
		return
	}
	ext := c.cert(RoleEdge, UseEdgeExternal, "Edge Server external interface, Access Edge "+in.Edge.FQDN+" (public CA)", in.Edge.FQDN)
	c.add(ext, in.Edge.FQDN, "the Access Edge's external FQDN, the subject of the external certificate, "+sanNote+" (Plan for Edge Server certificates in Lync Server 2013)")
	if in.WebConfEdge != "" {
		c.add(ext, in.WebConfEdge, "the Web Conferencing Edge's external FQDN, on the same external certificate (Plan for Edge Server certificates in Lync Server 2013); the A/V Edge's external name needs none")
	}
	for _, d := range in.Domains {
		c.add(ext, "sip."+d, fmt.Sprintf("a subject alternative name for the SIP domain %s (Plan for Edge Server certificates in Lync Server 2013: \"You must define distinct subject alternate names (SANs) for each SIP domain name\"): sip.%s, which clients outside connect to as the target of _sip._tls.%s or as the name Lync 2010 and later try when no SRV record answers, and federated partners through _sipfederationtls._tcp.%s", d, d, d, d))
	}
	if e := in.EdgeInternal.FQDN; e != "" {
		cert := c.cert(RoleEdgeInternal, UseEdgeInternal, "Edge Server internal interface "+e+" (internal CA)", e)
		c.add(cert, e, "the Edge Server's internal FQDN, which the Front End servers and Directors connect to; the subject, "+sanNote+" (Plan for Edge Server certificates in Lync Server 2013: \"Create a single internal certificate ... assign it to each of the Edge Server internal interfaces\")")
	}
}

// reverseProxy adds the reverse proxy's public certificate when it
// publishes anything: the pool's external web services FQDN as subject,
// the Director's, the simple URLs meet and dialin, the Office Online
// Server and lyncdiscover.<domain> ("Request and configure a certificate
// for your reverse HTTP proxy in Lync Server 2013").
func (c *certSet) reverseProxy() {
	p, in := c.p, c.p.Input
	w := in.WebExternal.FQDN
	if w == "" {
		return
	}
	cert := c.cert(RoleWebExternal, UseReverseProxy, "reverse proxy publishing the external web services "+w+" (public CA)", w)
	c.add(cert, w, "the pool's external web services FQDN, the subject, "+sanNote+" (Request and configure a certificate for your reverse HTTP proxy in Lync Server 2013)")
	c.add(cert, in.DirectorWebExternal, "the Director's external web services FQDN, published by the same reverse proxy (Request and configure a certificate for your reverse HTTP proxy in Lync Server 2013)")
	c.simple(cert, false)
	if in.OfficeOnline.FQDN != "" {
		c.add(cert, in.OfficeOnline.FQDN, "the Office Online Server (Office Web Apps Server), published by the reverse proxy for meetings (Request and configure a certificate for your reverse HTTP proxy in Lync Server 2013)")
	}
	if p.autodiscover[External] {
		for _, d := range in.Domains {
			c.add(cert, "lyncdiscover."+d, fmt.Sprintf("the external autodiscover URL https://lyncdiscover.%s/, on the reverse proxy's listener on port 443 (Certificate requirements for mobility in Lync Server 2013)", d))
		}
	}
}

// warnings lists inputs the plan follows that are probably not meant.
func warnings(p *Plan) []string {
	in := p.Input
	var out []string
	if in.Edge.FQDN != "" && in.EdgePort == 5061 {
		out = append(out, "The Access Edge port is 5061, the federation port (_sipfederationtls._tcp, server to server). Clients sign in through the Access Edge on port 443, where _sip._tls.<domain> points (Determine DNS requirements for Lync Server 2013); the plan publishes port 5061 as given, and plan --check fails the srv-port rule for it.")
	}
	for _, s := range []struct {
		words string
		pool  Server
		web   string
	}{{"Front End pool", in.Pool, in.WebInternal.FQDN}, {"Director pool", in.Director, in.DirectorWebInternal.FQDN}} {
		if len(s.pool.Members) > 1 && (s.web == "" || s.web == s.pool.FQDN) {
			out = append(out, fmt.Sprintf("The %s %s has %d servers, so its FQDN is DNS load balanced (one A record per server); its internal web services need a name of their own at the hardware load balancer's virtual IP, since HTTPS is not DNS load balanced (Deploying DNS load balancing on Front End pools and Director pools in Lync Server 2013: \"Override the internal Web Services pool FQDN\"). Give it (--web-internal, --director-web-internal).", s.words, s.pool.FQDN, len(s.pool.Members)))
		}
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
		out = append(out, "Addresses marked as placeholders come from the documentation ranges 192.0.2.0/24 (internal) and 203.0.113.0/24 (external) of RFC 5737: replace them with the servers' real addresses before publishing. The PowerShell scripts refuse to run while one is left, unless run with -AllowPlaceholders.")
	}
	if in.Director.FQDN != "" {
		out = append(out, fmt.Sprintf("The internal SRV records point at the Director %s, which authenticates users and redirects them to their home pool %s; lyncdiscoverinternal and lyncdiscover lead to the Director's web services (Determine DNS requirements for Lync Server 2013).", in.Director.FQDN, in.Pool.FQDN))
		if in.DirectorWebExternal == "" && in.WebExternal.FQDN != "" && asks {
			out = append(out, "No external web services name was given for the Director, so lyncdiscover.<domain> leads to the pool's external web services; Microsoft points it at the Director's when there is one: give --director-web-external.")
		}
	}
	if len(in.Pool.Members) == 0 {
		out = append(out, fmt.Sprintf("The pool %s is planned as one server whose FQDN is the pool's, as a Standard Edition server is; for an Enterprise Edition pool give its Front End servers, whose Default certificates each carry the pool's FQDN and their own (Certificate requirements for internal servers in Lync Server 2013).", in.Pool.FQDN))
	}
	if in.Director.FQDN != "" && len(in.Director.Members) == 0 {
		out = append(out, fmt.Sprintf("The Director pool %s is planned as one server whose FQDN is the pool's; for a pool of Directors give them, so that each certificate lists its own FQDN beside the pool's (Certificate requirements for internal servers in Lync Server 2013).", in.Director.FQDN))
	}
	if in.AllowTCP {
		out = append(out, "Clients may use TCP (--tcp), yet no _sipinternal._tcp record is published: Lync Server and Skype for Business Server pools take no client SIP over TCP (Port and protocol requirements for servers: TCP 5060 is \"optionally used\" for static routes to trusted services), so the record would send clients whose policy allows TCP to a port that does not serve them. The check runs the clients with TCP allowed.")
	}
	out = append(out, zoneNotes(p)...)
	out = append(out, edgeNotes(in)...)
	out = append(out, autodiscoverNotes(p, asks)...)
	if !in.SimpleURLs {
		out = append(out, "No simple URLs are planned; meetings need meet.<domain> for each SIP domain and dialin (Planning for simple URLs in Lync Server 2013): --simple-urls plans their records and certificate names.")
	}
	out = append(out,
		"The internal and external records are separate scripts and zones: publish each only in its own DNS. The internal DNS never holds the Access Edge's public address, and the public DNS never holds an internal-only name.",
		"The PowerShell scripts check each record first: one already there as planned is left and reported; one there with other data stops the script before it changes anything, with the difference. Run them with -WhatIf first.",
		"The BIND zones open with a placeholder SOA and NS (ns1.<zone>, serial 1) so that they load on their own; add the records to your existing zones rather than replacing them.")
	return out
}

// zoneNotes says which SIP domains the internal DNS holds as pin-point
// zones.
func zoneNotes(p *Plan) []string {
	var pin, whole []string
	for _, d := range p.Input.Domains {
		if p.pinPoint(Internal, "_."+d) {
			pin = append(pin, d)
		} else {
			whole = append(whole, d)
		}
	}
	var out []string
	if len(pin) > 0 {
		out = append(out, fmt.Sprintf("Internal DNS: %s as pin-point zones, one zone per record name (Determine DNS requirements for Lync Server 2013, split-brain DNS without a whole internal zone). A whole internal zone for a domain the internal DNS does not otherwise host would hide every other name of it (its web site, its mail) from internal users. --internal-zones whole plans whole zones instead.", strings.Join(pin, ", ")))
	}
	if len(whole) > 1 || len(whole) == 1 && len(p.Input.Domains) > 1 && p.Input.InternalZones == ZonesWhole {
		out = append(out, fmt.Sprintf("Internal DNS: %s as whole zones; if the internal DNS does not host one of them already, use pin-point zones for it (--internal-zones pinpoint, or auto: the first domain whole, the others pin-point).", strings.Join(whole, ", ")))
	}
	return out
}

func edgeNotes(in Input) []string {
	if in.Edge.FQDN == "" {
		return []string{"No Access Edge is planned: clients outside the network cannot sign in, and the external zones hold no SIP records."}
	}
	var out []string
	if in.EdgeInternal.FQDN == "" {
		out = append(out, "The Edge Server's internal interface needs a host record in the internal DNS and a certificate of its own from the internal CA (Plan for Edge Server certificates in Lync Server 2013); give its internal FQDN to plan both.")
	}
	if in.WebConfEdge == "" {
		out = append(out, "The Web Conferencing Edge's external FQDN needs a host record outside and a name on the Edge's external certificate (Plan for Edge Server certificates in Lync Server 2013); give it (--edge-webconf) to plan both.")
	}
	if in.AVEdge.FQDN == "" {
		out = append(out, "The A/V Edge's external FQDN needs a host record outside for audio and video with external users; give it (--edge-av).")
	}
	if in.XMPP {
		out = append(out, "XMPP federation: the Edge's external certificate may need the names your XMPP partners connect to; this plan lists only _xmpp-server._tcp.")
	}
	return out
}

func autodiscoverNotes(p *Plan, asks bool) []string {
	in := p.Input
	var out []string
	if asks && !p.autodiscover[Internal] {
		out = append(out, "lyncdiscoverinternal.<domain> is not planned because no internal web services name was given; Lync 2013 and Skype for Business clients then use SRV discovery.")
	}
	if asks && !p.autodiscover[External] {
		out = append(out, "lyncdiscover.<domain> is not planned because no external web services name was given; Lync 2013 mobile clients, which use only autodiscover, cannot sign in from outside.")
	}
	if !asks && (in.WebInternal.FQDN != "" || in.WebExternal.FQDN != "") {
		out = append(out, "No selected client profile uses autodiscover, so no lyncdiscover records are planned for the web services names.")
	}
	return out
}

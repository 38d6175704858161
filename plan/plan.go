package plan

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Limits on an Input, so that a form or a share link cannot ask for an
// unbounded amount of work. MaxDomains keeps every view within the 32
// zones one resolve/zone.Set holds.
const (
	MaxDomains   = 16
	MaxAddresses = 8
	// MaxMembers bounds the servers listed for one pool.
	MaxMembers = 16
	// DefaultTTL is the TTL of every generated record unless Input.TTL
	// says otherwise: one hour.
	DefaultTTL = 3600
	// DefaultEdgePort is the Access Edge port external clients use:
	// _sip._tls.<domain> points at port 443 (TechNet gg398758).
	DefaultEdgePort = 443
)

// Server is one planned server: its fully qualified domain name and, when
// known, its addresses. With no addresses, Generate uses a placeholder from
// the documentation ranges of RFC 5737: 192.0.2.0/24 inside, 203.0.113.0/24
// outside.
type Server struct {
	FQDN      string   `json:"fqdn"`
	Addresses []string `json:"addresses,omitempty"`
	// Members are the FQDNs of the servers of a pool (the Front End
	// servers of an Enterprise Edition pool, the Directors of a Director
	// pool), for their certificates: each carries the pool's FQDN and its
	// own ("Certificate requirements for internal servers in Lync Server
	// 2013", TechNet gg398094). Empty means one server whose FQDN is the
	// pool's, as on a Standard Edition server. Only the pool and the
	// Director have members.
	Members []string `json:"members,omitempty"`
}

func (s Server) set() bool { return strings.TrimSpace(s.FQDN) != "" }

// AliasStyle is how sip.<domain> is published when it names another server
// and is not an SRV target.
type AliasStyle string

// The alias styles.
const (
	// AliasA publishes sip.<domain> as host records with the server's
	// addresses. It is the default, and the only form an SRV target ever
	// takes: RFC 2782 says the target "MUST NOT be an alias", and Lync
	// Server 2013's DNS requirements (TechNet gg398758) want the SRV
	// target's A record in the SRV record's own domain, which a CNAME to
	// a server in another domain does not give.
	AliasA AliasStyle = "a"
	// AliasCNAME publishes sip.<domain> as a CNAME to the server's FQDN
	// where sip.<domain> is not an SRV target (the external sip.<domain>
	// that Lync 2010 and later try when no SRV record answers), so that
	// only one record holds the address. SRV targets stay host records.
	AliasCNAME AliasStyle = "cname"
)

// ZoneStyle is how the internal DNS holds a SIP domain's records.
type ZoneStyle string

// The zone styles.
const (
	// ZonesAuto: the first SIP domain as a whole zone (the internal DNS
	// usually hosts it), every other domain as pin-point zones.
	ZonesAuto ZoneStyle = "auto"
	// ZonesWhole: every SIP domain as a whole zone.
	ZonesWhole ZoneStyle = "whole"
	// ZonesPinPoint: every record name of a SIP domain as a zone of its
	// own (a pin-point zone), so that the internal DNS answers only those
	// names and forwards the rest of the domain as before; creating the
	// whole zone inside would hide every other name of the domain from
	// internal users ("Determine DNS requirements for Lync Server 2013",
	// split-brain DNS without a whole internal zone).
	ZonesPinPoint ZoneStyle = "pinpoint"
)

// Input is what a consultant knows before any DNS exists. JSON field names
// are the form's and the share link's.
type Input struct {
	// Domains are the SIP domains users sign in with ("contoso.com"),
	// the first being the default. At least one, at most MaxDomains.
	Domains []string `json:"domains"`
	// Pool is the Front End pool or Standard Edition server. Required.
	Pool Server `json:"pool"`
	// Director, when set, is where internal clients are sent first: the
	// SRV records point at it and it redirects users to their pool.
	Director Server `json:"director,omitzero"`
	// Edge is the Access Edge's external name; unset means no external
	// access is planned.
	Edge Server `json:"edge,omitzero"`
	// EdgePort is the Access Edge port of _sip._tls (0 means 443).
	EdgePort uint16 `json:"edgePort,omitempty"`
	// EdgeInternal is the FQDN (and addresses) of the Edge Server's
	// internal interface, which the internal servers connect to: it gets
	// a host record in the internal DNS and a certificate of its own
	// (TechNet gg413010). Only with Edge.
	EdgeInternal Server `json:"edgeInternal,omitzero"`
	// WebConfEdge is the external FQDN of the Web Conferencing Edge
	// service, which the Access Edge's external certificate carries as a
	// subject alternative name (TechNet gg413010) and the external DNS
	// publishes as host records ("DNS summary - Single consolidated edge
	// with private IP addresses using NAT in Lync Server 2013"). Only
	// with Edge. WebConfEdgeAddresses are its public addresses (default a
	// placeholder).
	WebConfEdge          string   `json:"webConfEdge,omitempty"`
	WebConfEdgeAddresses []string `json:"webConfEdgeAddresses,omitempty"`
	// AVEdge is the external FQDN of the A/V Edge service: host records
	// in the external DNS (the same DNS summary), not a certificate name
	// (the A/V Edge's external interface needs none; "Plan for Edge
	// Server certificates in Lync Server 2013"). Only with Edge.
	AVEdge Server `json:"avEdge,omitzero"`
	// NoFederation leaves out _sipfederationtls._tcp.<domain>, which
	// federated partners ask for the Access Edge on port 5061 ("Determine
	// DNS requirements for Lync Server 2013"). Only with Edge.
	NoFederation bool `json:"noFederation,omitempty"`
	// XMPP publishes _xmpp-server._tcp.<domain> on port 5269 for XMPP
	// federation through the Edge's XMPP proxy ("Port summary - SIP, XMPP
	// federation, and public instant messaging in Lync Server 2013").
	// Only with Edge.
	XMPP bool `json:"xmpp,omitempty"`
	// SimpleURLs plans the simple URLs of "Planning for simple URLs in
	// Lync Server 2013", Option 1: meet.<domain> for every SIP domain,
	// dialin.<first domain> and admin.<first domain> (internal only).
	SimpleURLs bool `json:"simpleURLs,omitempty"`
	// DirectorWebInternal and DirectorWebExternal are the Director's own
	// web services names; the internal one defaults to the Director's
	// FQDN. With a Director, lyncdiscoverinternal and lyncdiscover point
	// at them ("Determine DNS requirements for Lync Server 2013").
	DirectorWebInternal Server `json:"directorWebInternal,omitzero"`
	DirectorWebExternal string `json:"directorWebExternal,omitempty"`
	// OfficeOnline is the Office Online Server (Office Web Apps Server)
	// farm that presents PowerPoint in meetings: a host record inside and,
	// when the reverse proxy publishes it, a name on the reverse proxy's
	// certificate ("Request and configure a certificate for your reverse
	// HTTP proxy in Lync Server 2013").
	OfficeOnline Server `json:"officeOnline,omitzero"`
	// InternalZones says how the internal DNS holds each SIP domain's
	// records: ZonesAuto (default), ZonesWhole or ZonesPinPoint.
	InternalZones ZoneStyle `json:"internalZones,omitempty"`
	// WebInternal and WebExternal are the internal and external web
	// services names lyncdiscoverinternal.<domain> and lyncdiscover.<domain>
	// point at (Lync 2013 autodiscover). WebInternal may be the pool's
	// own FQDN; WebExternal is usually a reverse proxy's name.
	WebInternal Server `json:"webInternal,omitzero"`
	WebExternal Server `json:"webExternal,omitzero"`
	// Profiles are the client profiles that must work (engine.Profiles
	// names); empty means all of them.
	Profiles []string `json:"profiles,omitempty"`
	// StrictNaming is strict naming on the clients (Communicator's
	// EnableStrictDNSNaming; for Lync and Skype for Business a policy
	// requiring strict DNS matching, the DisableStrictDNSNaming policy
	// text's reading; docs/adr/0016): SRV targets
	// must then be the domain itself or sip.<domain>.
	StrictNaming bool `json:"strictNaming"`
	// AllowTCP is the clients' policy allowing TCP, which plan --check
	// runs them with. It publishes no _sipinternal._tcp: Lync Server and
	// Skype for Business Server pools take no client SIP over TCP ("Port
	// and protocol requirements for servers"), and Microsoft asks for a
	// single SRV record, _sipinternaltls._tcp, for internal clients ("DNS
	// requirements for automatic client sign-in in Lync Server 2013").
	AllowTCP bool `json:"allowTCP"`
	// Alias is how sip.<domain> is published where it is not an SRV
	// target; "" means AliasA.
	Alias AliasStyle `json:"alias,omitempty"`
	// TTL of every record in seconds; 0 means DefaultTTL.
	TTL uint32 `json:"ttl,omitempty"`
}

// FieldError is an Input that cannot be planned: the field at fault, in
// the JSON spelling ("domains[1]", "edge.fqdn"), and what is wrong.
type FieldError struct {
	Field string
	Msg   string
}

// Error returns "field: message".
func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// View is the DNS a set of records is published in.
type View string

// The two views of split-brain DNS.
const (
	// Internal is the DNS the clients inside the network ask.
	Internal View = "internal"
	// External is the public DNS clients on the Internet ask.
	External View = "external"
)

// Kind says what a generated record is for.
type Kind string

// The kinds of records a plan holds.
const (
	// KindSRVInternalTLS is _sipinternaltls._tcp.<domain>: the internal
	// sign-in server over TLS, the first record every profile tries.
	KindSRVInternalTLS Kind = "srv-internal-tls"
	// KindSRVExternalTLS is _sip._tls.<domain>: the Access Edge.
	KindSRVExternalTLS Kind = "srv-external-tls"
	// KindSIPAlias is sip.<domain> naming another server: host records,
	// or a CNAME (per Input.Alias) where it is not an SRV target.
	KindSIPAlias Kind = "sip-alias"
	// KindHost is a server's own host record (A or AAAA).
	KindHost Kind = "host"
	// KindAutodiscover is lyncdiscoverinternal.<domain> or
	// lyncdiscover.<domain>, a CNAME to the web services (host records in
	// a pin-point zone, whose apex cannot hold a CNAME).
	KindAutodiscover Kind = "autodiscover"
	// KindSRVFederation is _sipfederationtls._tcp.<domain>: the Access
	// Edge for federated partners, on port 5061.
	KindSRVFederation Kind = "srv-federation"
	// KindSRVXMPP is _xmpp-server._tcp.<domain>: the Edge's XMPP proxy,
	// on port 5269.
	KindSRVXMPP Kind = "srv-xmpp"
	// KindPoolMember is a pool's FQDN with one host record per server
	// (DNS load balancing).
	KindPoolMember Kind = "dns-load-balancing"
	// KindEdgeService is the Web Conferencing or A/V Edge's external name.
	KindEdgeService Kind = "edge-service"
	// KindSimpleURL is meet.<domain>, dialin.<domain> or admin.<domain>.
	KindSimpleURL Kind = "simple-url"
	// KindWebServices is a web services FQDN (internal or external).
	KindWebServices Kind = "web-services"
)

// Role names a planned server.
type Role string

// The roles of planned servers.
const (
	RolePool         Role = "pool"
	RoleDirector     Role = "director"
	RoleEdge         Role = "edge"
	RoleEdgeInternal Role = "edgeInternal"
	RoleWebInternal  Role = "webInternal"
	RoleWebExternal  Role = "webExternal"
	// RolePoolMember and RoleDirectorMember are the servers of a pool.
	RolePoolMember     Role = "poolServer"
	RoleDirectorMember Role = "directorServer"
	RoleWebConfEdge    Role = "webConfEdge"
	RoleAVEdge         Role = "avEdge"
	// RoleDirectorWebInternal and RoleDirectorWebExternal are the
	// Director's web services (the external one published by the reverse
	// proxy).
	RoleDirectorWebInternal Role = "directorWebInternal"
	RoleDirectorWebExternal Role = "directorWebExternal"
	RoleOfficeOnline        Role = "officeOnline"
)

// Record is one generated resource record with the reason it exists.
type Record struct {
	engine.Record
	// View and Zone say where to publish it; Zone is the origin.
	View View
	Zone string
	Kind Kind
	// Role is the server the record leads to.
	Role   Role
	Reason string
	// Needs names the clients or features that need the record
	// ("sign-in inside: every client", "federation").
	Needs string
	// Placeholder marks an address from a documentation range that must
	// be replaced with the real one.
	Placeholder bool
}

// Zone is one zone of a view: its origin and records in publishing order.
// SOA and NS records are not listed; the BIND renderer adds them.
type Zone struct {
	Origin  string   `json:"origin"`
	Records []Record `json:"records"`
	// PinPoint is set for a pin-point zone: a zone that holds one record
	// name, at its apex, in a DNS that does not hold the whole domain.
	PinPoint bool `json:"pinPoint,omitempty"`
}

// ViewPlan is everything one view publishes.
type ViewPlan struct {
	View  View   `json:"view"`
	Zones []Zone `json:"zones"`
}

// Records returns every record of v in zone order.
func (v ViewPlan) Records() []Record {
	var out []Record
	for _, z := range v.Zones {
		out = append(out, z.Records...)
	}
	return out
}

// Certificate is what one server's certificate must carry.
type Certificate struct {
	Role Role `json:"role"`
	// Use is the certificate's use in Microsoft's tables: UseDefault,
	// UseWebInternal, UseWebExternal, UseEdgeExternal, UseEdgeInternal or
	// UseReverseProxy.
	Use string `json:"use"`
	// Server describes the server and its interface in words.
	Server string `json:"server"`
	// Subject is the subject common name: for a Default certificate the
	// pool's FQDN, otherwise the server's or the service's FQDN.
	Subject string `json:"subject"`
	// Names are the subject alternative names (DNS), the subject first,
	// in the order a certificate request wizard asks for them: a client
	// that finds a SAN list checks only that list and ignores the subject
	// (RFC 2818 §3.1), so the subject is repeated there.
	Names []CertName `json:"names"`
}

// CertName is one name a certificate needs and why.
type CertName struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Plan is the generated DNS and certificate plan for an Input.
type Plan struct {
	// Input is the normalized input: lower-case A-label names,
	// defaults filled in, placeholders assigned.
	Input        Input         `json:"input"`
	Internal     ViewPlan      `json:"internal"`
	External     ViewPlan      `json:"external"`
	Certificates []Certificate `json:"certificates"`
	// Warnings are inputs the plan follows but that are probably not
	// what was meant (an Access Edge on the federation port 5061).
	Warnings []string `json:"warnings,omitempty"`
	// Notes are things the plan could not do or the reader must know.
	Notes []string `json:"notes"`
	// profiles are the selected profiles in Input.Profiles order.
	profiles []*engine.Profile
	// signIn is the server the internal SRV records lead to.
	signIn Server
	// targets are the SRV targets per view and domain.
	targets map[View]map[string]string
	// autodiscover says, per view, whether lyncdiscoverinternal.<domain>
	// (internal) or lyncdiscover.<domain> (external) is published.
	autodiscover map[View]bool
}

// View returns the plan of v.
func (p *Plan) View(v View) ViewPlan {
	if v == External {
		return p.External
	}
	return p.Internal
}

// Profiles returns the selected client profiles.
func (p *Plan) Profiles() []*engine.Profile { return slices.Clone(p.profiles) }

// SignIn returns the server internal clients sign in to first: the
// Director when one is planned, otherwise the pool.
func (p *Plan) SignIn() Server { return p.signIn }

// Target returns the SRV target of domain in view: the sign-in server (or
// Access Edge) itself when the naming policy accepts its name for the
// domain, otherwise sip.<domain>. It is "" where no SRV record is planned.
func (p *Plan) Target(v View, domain string) string { return p.targets[v][domain] }

// placeholders are the documentation-range addresses (RFC 5737) used for
// servers given without addresses.
var placeholders = map[Role]string{
	RolePool:                "192.0.2.10",
	RoleDirector:            "192.0.2.11",
	RoleWebInternal:         "192.0.2.12",
	RoleEdgeInternal:        "192.0.2.13",
	RoleDirectorWebInternal: "192.0.2.14",
	RoleOfficeOnline:        "192.0.2.15",
	RoleEdge:                "203.0.113.10",
	RoleWebExternal:         "203.0.113.11",
	RoleDirectorWebExternal: "203.0.113.11", // the same reverse proxy
	RoleWebConfEdge:         "203.0.113.12",
	RoleAVEdge:              "203.0.113.13",
}

// memberPlaceholders are the first placeholder of a pool's servers,
// given without addresses: one address each, for DNS load balancing.
var memberPlaceholders = map[Role]int{RolePool: 21, RoleDirector: 41}

// MaxZones is the number of zones one view may have: what one
// resolve/zone.Set holds, so that plan --check can load every zone.
const MaxZones = 32

// Normalize validates in and returns it with names in canonical form
// (engine.NormalizeDomain: lower-case A-labels, no trailing dot), addresses
// in netip form and defaults filled in. Every error is a *FieldError; all
// problems found are joined (errors.Join), in field order.
func Normalize(in Input) (Input, error) {
	n := &normalizer{in: in, out: Input{StrictNaming: in.StrictNaming, AllowTCP: in.AllowTCP, EdgePort: in.EdgePort, TTL: in.TTL, Alias: in.Alias,
		NoFederation: in.NoFederation, XMPP: in.XMPP, SimpleURLs: in.SimpleURLs, InternalZones: in.InternalZones}}
	for _, step := range []func(){n.domains, n.servers, n.edge, n.distinct, n.alias, n.zones, n.ttl, n.profiles} {
		step()
	}
	if len(n.errs) == 0 {
		n.ipv4()
	}
	return n.out, errors.Join(n.errs...)
}

// normalizer holds the input being normalized and the problems found, in
// field order.
type normalizer struct {
	in, out Input
	errs    []error
}

func (n *normalizer) bad(e *FieldError) { n.errs = append(n.errs, e) }

// domains reads the SIP domains: at least one, at most MaxDomains, each
// once.
func (n *normalizer) domains() {
	switch {
	case len(n.in.Domains) == 0:
		n.bad(fieldErr("domains", "at least one SIP domain is required (the part after @ in sign-in addresses)"))
	case len(n.in.Domains) > MaxDomains:
		n.bad(fieldErr("domains", "%d domains; at most %d can be planned at once", len(n.in.Domains), MaxDomains))
	}
	for i, d := range n.in.Domains[:min(len(n.in.Domains), MaxDomains)] {
		field := fmt.Sprintf("domains[%d]", i)
		d, err := engine.NormalizeDomain(strings.TrimSpace(d))
		switch {
		case err != nil:
			n.bad(fieldErr(field, "%v", err))
		case slices.Contains(n.out.Domains, d):
			n.bad(fieldErr(field, "%s is listed twice", d))
		default:
			n.out.Domains = append(n.out.Domains, d)
		}
	}
}

// servers reads every planned server.
func (n *normalizer) servers() {
	n.out.Pool = n.server("pool", n.in.Pool, true, true)
	n.out.Director = n.server("director", n.in.Director, false, true)
	n.out.Edge = n.server("edge", n.in.Edge, false, false)
	n.out.EdgeInternal = n.server("edgeInternal", n.in.EdgeInternal, false, false)
	n.out.WebInternal = n.server("webInternal", n.in.WebInternal, false, false)
	n.out.WebExternal = n.server("webExternal", n.in.WebExternal, false, false)
	if w := strings.TrimSpace(n.in.WebConfEdge); w != "" {
		d, err := engine.NormalizeDomain(w)
		if err != nil {
			n.bad(fieldErr("webConfEdge", "%v", err))
		}
		n.out.WebConfEdge = d
		n.out.WebConfEdgeAddresses = n.addresses("webConfEdge", n.in.WebConfEdgeAddresses)
		n.public("webConfEdge", n.out.WebConfEdgeAddresses)
	} else if len(n.in.WebConfEdgeAddresses) > 0 {
		n.bad(fieldErr("webConfEdge.addresses", "given without webConfEdge"))
	}
	n.out.AVEdge = n.server("avEdge", n.in.AVEdge, false, false)
	n.out.DirectorWebInternal = n.server("directorWebInternal", n.in.DirectorWebInternal, false, false)
	if w := strings.TrimSpace(n.in.DirectorWebExternal); w != "" {
		d, err := engine.NormalizeDomain(w)
		if err != nil {
			n.bad(fieldErr("directorWebExternal", "%v", err))
		}
		n.out.DirectorWebExternal = d
	}
	n.out.OfficeOnline = n.server("officeOnline", n.in.OfficeOnline, false, false)
	for _, s := range []struct {
		field string
		s     *Server
	}{{"pool", &n.out.Pool}, {"director", &n.out.Director}} {
		if len(s.s.Members) > 0 && len(s.s.Addresses) > 0 && len(s.s.Addresses) != len(s.s.Members) {
			n.bad(fieldErr(s.field+".addresses", "%d addresses for %d servers: with DNS load balancing the pool's FQDN has one address per server, so give one address per server, in the servers' order", len(s.s.Addresses), len(s.s.Members)))
		}
	}
}

// server reads one server: its name, its addresses and, for a pool, its
// members.
func (n *normalizer) server(field string, s Server, required, pool bool) Server {
	if !s.set() {
		switch {
		case required:
			n.bad(fieldErr(field+".fqdn", "required"))
		case len(s.Addresses) > 0:
			n.bad(fieldErr(field+".addresses", "given without %s.fqdn", field))
		case len(s.Members) > 0:
			n.bad(fieldErr(field+".members", "given without %s.fqdn", field))
		}
		return Server{}
	}
	var out Server
	f, err := engine.NormalizeDomain(strings.TrimSpace(s.FQDN))
	if err != nil {
		n.bad(fieldErr(field+".fqdn", "%v", err))
	}
	out.FQDN = f
	out.Addresses = n.addresses(field, s.Addresses)
	if field == "edge" || field == "webExternal" || field == "avEdge" {
		n.public(field, out.Addresses)
	}
	switch {
	case len(s.Members) > 0 && !pool:
		n.bad(fieldErr(field+".members", "only a pool (the Front End pool, the Director) has member servers"))
	case len(s.Members) > 0:
		out.Members = n.members(field, f, s.Members)
	}
	return out
}

// addresses reads a server's addresses: unicast IPv4 or IPv6, each once,
// at most MaxAddresses.
func (n *normalizer) addresses(field string, as []string) []string {
	if len(as) > MaxAddresses {
		n.bad(fieldErr(field+".addresses", "%d addresses; at most %d", len(as), MaxAddresses))
		return nil
	}
	var out []string
	for i, a := range as {
		fld := fmt.Sprintf("%s.addresses[%d]", field, i)
		ip, err := netip.ParseAddr(strings.TrimSpace(a))
		switch {
		case err != nil:
			n.bad(fieldErr(fld, "%q is not an IPv4 or IPv6 address", a))
		case ip.Zone() != "":
			n.bad(fieldErr(fld, "%s has a zone; DNS cannot hold it", a))
		case ip.IsUnspecified() || ip.IsMulticast() || ip.IsLoopback():
			n.bad(fieldErr(fld, "%s is not a unicast server address", ip))
		case slices.Contains(out, ip.Unmap().String()):
			n.bad(fieldErr(fld, "%s is listed twice", ip.Unmap()))
		default:
			out = append(out, ip.Unmap().String())
		}
	}
	return out
}

// public refuses, for a server the external DNS publishes, an address
// a client on the Internet cannot reach (engine.CheckReach in the outside
// view, the rule plan --check and sipdisco check judge the external zone
// by: docs/adr/0018-a-target-the-client-cannot-reach.md).
func (n *normalizer) public(field string, as []string) {
	for i, a := range as {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			continue
		}
		if p, bad := engine.CheckReach(ip, engine.ViewOutside); bad {
			n.bad(fieldErr(fmt.Sprintf("%s.addresses[%d]", field, i), "%s; the public DNS needs the address clients on the Internet reach the server at (behind NAT, the translated public address)", p.What))
		}
	}
}

// members reads a pool's member servers: names, each once, at most
// MaxMembers, none the pool's own name.
func (n *normalizer) members(field, pool string, ms []string) []string {
	if len(ms) > MaxMembers {
		n.bad(fieldErr(field+".members", "%d servers; at most %d", len(ms), MaxMembers))
		return nil
	}
	var out []string
	for i, m := range ms {
		fld := fmt.Sprintf("%s.members[%d]", field, i)
		d, err := engine.NormalizeDomain(strings.TrimSpace(m))
		switch {
		case err != nil:
			n.bad(fieldErr(fld, "%v", err))
		case d == pool:
			n.bad(fieldErr(fld, "%s is the pool's own FQDN; list the servers' own names (a Standard Edition server needs none)", d))
		case slices.Contains(out, d):
			n.bad(fieldErr(fld, "%s is listed twice", d))
		default:
			out = append(out, d)
		}
	}
	return out
}

// edge checks what needs an Access Edge and fills in its port.
func (n *normalizer) edge() {
	if n.out.Edge.FQDN != "" {
		if n.out.EdgePort == 0 {
			n.out.EdgePort = DefaultEdgePort
		}
		return
	}
	if n.in.EdgePort != 0 {
		n.bad(fieldErr("edgePort", "given without edge.fqdn"))
	}
	if n.out.EdgeInternal.FQDN != "" {
		n.bad(fieldErr("edgeInternal.fqdn", "given without edge.fqdn: the internal interface is the Access Edge's"))
	}
	if n.out.WebConfEdge != "" {
		n.bad(fieldErr("webConfEdge", "given without edge.fqdn: the Web Conferencing Edge name goes on the Access Edge's certificate"))
	}
	if n.out.AVEdge.FQDN != "" {
		n.bad(fieldErr("avEdge.fqdn", "given without edge.fqdn: the A/V Edge is a service of the Edge Server"))
	}
	if n.out.XMPP {
		n.bad(fieldErr("xmpp", "given without edge.fqdn: XMPP federation runs through the Edge Server's XMPP proxy"))
	}
}

// zones reads the internal zone style.
func (n *normalizer) zones() {
	switch n.out.InternalZones {
	case "":
		n.out.InternalZones = ZonesAuto
	case ZonesAuto, ZonesWhole, ZonesPinPoint:
	default:
		n.bad(fieldErr("internalZones", "%q is not auto, whole or pinpoint", n.in.InternalZones))
	}
	if n.out.DirectorWebInternal.FQDN != "" && n.out.Director.FQDN == "" {
		n.bad(fieldErr("directorWebInternal.fqdn", "given without director.fqdn"))
	}
	if n.out.DirectorWebExternal != "" && n.out.Director.FQDN == "" {
		n.bad(fieldErr("directorWebExternal", "given without director.fqdn"))
	}
}

// distinct refuses servers that share a name they must not share.
func (n *normalizer) distinct() {
	o := n.out
	if o.Director.FQDN != "" && o.Director.FQDN == o.Pool.FQDN {
		n.bad(fieldErr("director.fqdn", "%s is also the pool's name; a Director is a separate pool", o.Director.FQDN))
	}
	if e := o.Edge.FQDN; e != "" && (e == o.Pool.FQDN || e == o.Director.FQDN) {
		n.bad(fieldErr("edge.fqdn", "%s is also an internal server's name; the Access Edge's external name must be its own", e))
	}
	if e := o.EdgeInternal.FQDN; e != "" && slices.Contains([]string{o.Pool.FQDN, o.Director.FQDN, o.Edge.FQDN, o.WebInternal.FQDN}, e) {
		n.bad(fieldErr("edgeInternal.fqdn", "%s is also another server's name; the Edge's internal interface has a name of its own", e))
	}
}

// alias reads the alias style.
func (n *normalizer) alias() {
	switch n.out.Alias {
	case "":
		n.out.Alias = AliasA
	case AliasA, AliasCNAME:
	default:
		n.bad(fieldErr("alias", "%q is not a, cname or empty", n.in.Alias))
	}
}

// ttl fills in and bounds the TTL.
func (n *normalizer) ttl() {
	if n.out.TTL == 0 {
		n.out.TTL = DefaultTTL
	}
	if n.out.TTL > 1<<31-1 {
		n.bad(fieldErr("ttl", "%d is above 2147483647 (RFC 2181 §8)", n.out.TTL))
	}
}

// profiles reads the client profiles; none means all of them.
func (n *normalizer) profiles() {
	names := n.in.Profiles
	if len(names) == 0 {
		for _, p := range engine.Profiles() {
			names = append(names, p.Name)
		}
	}
	for i, name := range names {
		p, err := engine.LookupProfile(strings.TrimSpace(name))
		if err != nil {
			n.bad(fieldErr(fmt.Sprintf("profiles[%d]", i), "%v", err))
			continue
		}
		if !slices.Contains(n.out.Profiles, p.Name) {
			n.out.Profiles = append(n.out.Profiles, p.Name)
		}
	}
}

// ipv4 requires an IPv4 address of every server a client may connect to
// when a selected client looks up A records only.
func (n *normalizer) ipv4() {
	for _, name := range n.out.Profiles {
		p, _ := engine.LookupProfile(name)
		if p.IPv6 {
			continue
		}
		for _, s := range []struct {
			field string
			s     Server
		}{{"pool", n.out.Pool}, {"director", n.out.Director}, {"edge", n.out.Edge}} {
			if len(s.s.Addresses) > 0 && !slices.ContainsFunc(s.s.Addresses, isIPv4) {
				n.bad(fieldErr(s.field+".addresses", "no IPv4 address: %s looks up A records only, so it cannot reach %s", p.Title, s.s.FQDN))
			}
		}
		return
	}
}

func isIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// acceptable reports whether host may be an SRV target for domain under
// the naming policy every selected profile applies: strict naming allows
// only domain and sip.domain ("Office Communicator Sign-in and Discovery");
// loose naming allows names under domain. Lync's trust model would accept
// other names after a prompt, but a plan never relies on a prompt.
func acceptable(host, domain string, strict bool) bool {
	v := engine.CheckName(host, domain, strict, engine.NamingStrictOrLoose, nil)
	return v.Allowed && !v.Prompt
}

// Generate validates in (see Normalize) and returns the plan.
func Generate(in Input) (*Plan, error) {
	in, err := Normalize(in)
	if err != nil {
		return nil, err
	}
	p := &Plan{Input: in, targets: map[View]map[string]string{Internal: {}, External: {}}, autodiscover: map[View]bool{}}
	asks := false // a selected profile asks lyncdiscover names
	for _, name := range in.Profiles {
		prof, _ := engine.LookupProfile(name)
		p.profiles = append(p.profiles, prof)
		asks = asks || len(prof.Autodiscover) > 0
	}
	hosts, err := p.hostTables()
	if err != nil {
		return nil, err
	}
	in = p.Input
	p.autodiscover[Internal] = asks && p.webTarget(Internal) != ""
	p.autodiscover[External] = asks && p.webTarget(External) != ""
	p.signIn = in.Pool
	if in.Director.FQDN != "" {
		p.signIn = in.Director
	}
	b := &builder{p: p, ttl: in.TTL, hosts: hosts}
	for _, d := range in.Domains {
		b.internal(d)
	}
	for _, d := range in.Domains {
		b.external(d)
	}
	b.simpleURLs()
	b.hostRecords(Internal)
	b.hostRecords(External)
	if err := b.conflicts(); err != nil {
		return nil, err
	}
	p.Internal = b.view(Internal)
	p.External = b.view(External)
	for _, vp := range []ViewPlan{p.Internal, p.External} {
		if len(vp.Zones) > MaxZones {
			return nil, fieldErr("internalZones", "the %s DNS would need %d zones; at most %d can be planned and checked at once (fewer SIP domains, or whole zones instead of pin-point zones)", vp.View, len(vp.Zones), MaxZones)
		}
	}
	p.Certificates = certificates(p)
	p.Warnings = warnings(p)
	p.Notes = notes(p, asks, hosts)
	return p, nil
}

// webTarget is the web services name autodiscover points at in view v:
// with a Director, the Director's web services ("Determine DNS
// requirements for Lync Server 2013": lyncdiscoverinternal and
// lyncdiscover lead to the Director when there is one); otherwise the
// pool's. "" when none is known.
func (p *Plan) webTarget(v View) string {
	in := p.Input
	if v == Internal {
		if in.Director.FQDN != "" {
			return in.DirectorWebInternal.FQDN
		}
		return in.WebInternal.FQDN
	}
	if in.Director.FQDN != "" && in.DirectorWebExternal != "" {
		return in.DirectorWebExternal
	}
	return in.WebExternal.FQDN
}

// hostTables gives every planned server its addresses in its view: given,
// shared with a server of the same name, or a placeholder. A pool with
// servers gets one address per server (DNS load balancing), and each
// server its own host record.
func (p *Plan) hostTables() (map[View]*hostTable, error) {
	hosts := map[View]*hostTable{Internal: {}, External: {}}
	var errs []error
	add := func(v View, role Role, field string, s *Server) {
		if s.FQDN == "" {
			return
		}
		if err := hosts[v].add(role, field, s); err != nil {
			errs = append(errs, err)
		}
	}
	in := &p.Input
	add(Internal, RolePool, "pool", &in.Pool)
	add(Internal, RoleDirector, "director", &in.Director)
	for _, pool := range []struct {
		role  Role
		field string
		s     *Server
	}{{RolePoolMember, "pool", &in.Pool}, {RoleDirectorMember, "director", &in.Director}} {
		for i, m := range pool.s.Members {
			ms := Server{FQDN: m, Addresses: []string{pool.s.Addresses[i]}}
			if err := hosts[Internal].addMember(pool.role, pool.field, &ms, hosts[Internal].get(pool.s.FQDN).placeholder); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if in.Director.FQDN != "" && in.DirectorWebInternal.FQDN == "" {
		in.DirectorWebInternal = Server{FQDN: in.Director.FQDN}
	}
	add(Internal, RoleDirectorWebInternal, "directorWebInternal", &in.DirectorWebInternal)
	add(Internal, RoleWebInternal, "webInternal", &in.WebInternal)
	add(Internal, RoleEdgeInternal, "edgeInternal", &in.EdgeInternal)
	add(Internal, RoleOfficeOnline, "officeOnline", &in.OfficeOnline)
	add(External, RoleEdge, "edge", &in.Edge)
	if in.WebConfEdge != "" {
		s := Server{FQDN: in.WebConfEdge, Addresses: in.WebConfEdgeAddresses}
		add(External, RoleWebConfEdge, "webConfEdge", &s)
		in.WebConfEdgeAddresses = s.Addresses
	}
	add(External, RoleAVEdge, "avEdge", &in.AVEdge)
	add(External, RoleWebExternal, "webExternal", &in.WebExternal)
	if d := in.DirectorWebExternal; d != "" {
		if in.WebExternal.FQDN == "" {
			errs = append(errs, fieldErr("directorWebExternal", "given without webExternal.fqdn: the reverse proxy publishes the Director's external web services"))
		} else if err := hosts[External].addShared(RoleDirectorWebExternal, "directorWebExternal", d, in.WebExternal.FQDN); err != nil {
			errs = append(errs, err)
		}
	}
	if in.OfficeOnline.FQDN != "" && in.WebExternal.FQDN != "" {
		if err := hosts[External].addShared(RoleOfficeOnline, "officeOnline", in.OfficeOnline.FQDN, in.WebExternal.FQDN); err != nil {
			errs = append(errs, err)
		}
	}
	return hosts, errors.Join(errs...)
}

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
// zones one dohclient/zone.Set holds.
const (
	MaxDomains   = 16
	MaxAddresses = 8
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
}

func (s Server) set() bool { return strings.TrimSpace(s.FQDN) != "" }

// AliasStyle is how sip.<domain> is published when it names another server.
type AliasStyle string

// The alias styles.
const (
	// AliasA publishes sip.<domain> as host records with the server's
	// addresses. It is the default: Lync Server 2013's DNS requirements
	// (TechNet gg398758) say an SRV target's A record must be in the same
	// domain as the SRV record, which a CNAME to a server in another
	// domain does not satisfy.
	AliasA AliasStyle = "a"
	// AliasCNAME publishes sip.<domain> as a CNAME to the server's FQDN,
	// so that only one record holds its address.
	AliasCNAME AliasStyle = "cname"
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
	// WebInternal and WebExternal are the internal and external web
	// services names lyncdiscoverinternal.<domain> and lyncdiscover.<domain>
	// point at (Lync 2013 autodiscover). WebInternal may be the pool's
	// own FQDN; WebExternal is usually a reverse proxy's name.
	WebInternal Server `json:"webInternal,omitzero"`
	WebExternal Server `json:"webExternal,omitzero"`
	// Profiles are the client profiles that must work (engine.Profiles
	// names); empty means all of them.
	Profiles []string `json:"profiles,omitempty"`
	// StrictNaming is EnableStrictDNSNaming on the clients: SRV targets
	// must then be the domain itself or sip.<domain>.
	StrictNaming bool `json:"strictNaming"`
	// AllowTCP publishes _sipinternal._tcp for clients whose policy
	// allows TCP.
	AllowTCP bool `json:"allowTCP"`
	// Alias is how sip.<domain> is published; "" means AliasA.
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
	// KindSRVInternalTCP is _sipinternal._tcp.<domain>, published only
	// when TCP is allowed.
	KindSRVInternalTCP Kind = "srv-internal-tcp"
	// KindSRVExternalTLS is _sip._tls.<domain>: the Access Edge.
	KindSRVExternalTLS Kind = "srv-external-tls"
	// KindSIPAlias is sip.<domain> naming another server (host records
	// or a CNAME, per Input.Alias).
	KindSIPAlias Kind = "sip-alias"
	// KindHost is a server's own host record (A or AAAA).
	KindHost Kind = "host"
	// KindAutodiscover is lyncdiscoverinternal.<domain> or
	// lyncdiscover.<domain>, a CNAME to the web services.
	KindAutodiscover Kind = "autodiscover"
)

// Role names a planned server.
type Role string

// The roles of planned servers.
const (
	RolePool        Role = "pool"
	RoleDirector    Role = "director"
	RoleEdge        Role = "edge"
	RoleWebInternal Role = "webInternal"
	RoleWebExternal Role = "webExternal"
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
	// Placeholder marks an address from a documentation range that must
	// be replaced with the real one.
	Placeholder bool
}

// Zone is one zone of a view: its origin and records in publishing order.
// SOA and NS records are not listed; the BIND renderer adds them.
type Zone struct {
	Origin  string   `json:"origin"`
	Records []Record `json:"records"`
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
	// Server describes the server and its interface in words.
	Server string `json:"server"`
	// Subject is the subject common name: the server's FQDN.
	Subject string `json:"subject"`
	// Names are the subject alternative names (DNS), the subject first:
	// clients that find a SAN extension ignore the subject (RFC 2818
	// §3.1), so the FQDN is repeated there.
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
	// Notes are things the plan could not do or the reader must know.
	Notes []string `json:"notes"`
	// profiles are the selected profiles in Input.Profiles order.
	profiles []*engine.Profile
	// signIn is the server the internal SRV records lead to.
	signIn Server
	// targets are the SRV targets per view and domain.
	targets map[View]map[string]string
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
	RolePool:        "192.0.2.10",
	RoleDirector:    "192.0.2.11",
	RoleWebInternal: "192.0.2.12",
	RoleEdge:        "203.0.113.10",
	RoleWebExternal: "203.0.113.11",
}

// Normalize validates in and returns it with names in canonical form
// (engine.NormalizeDomain: lower-case A-labels, no trailing dot), addresses
// in netip form and defaults filled in. Every error is a *FieldError; all
// problems found are joined (errors.Join), in field order.
func Normalize(in Input) (Input, error) {
	var errs []error
	bad := func(e *FieldError) { errs = append(errs, e) }

	out := Input{StrictNaming: in.StrictNaming, AllowTCP: in.AllowTCP, EdgePort: in.EdgePort, TTL: in.TTL, Alias: in.Alias}
	if len(in.Domains) == 0 {
		bad(fieldErr("domains", "at least one SIP domain is required (the part after @ in sign-in addresses)"))
	}
	if len(in.Domains) > MaxDomains {
		bad(fieldErr("domains", "%d domains; at most %d can be planned at once", len(in.Domains), MaxDomains))
	}
	for i, d := range in.Domains {
		if i >= MaxDomains {
			break
		}
		n, err := engine.NormalizeDomain(strings.TrimSpace(d))
		if err != nil {
			bad(fieldErr(fmt.Sprintf("domains[%d]", i), "%v", err))
			continue
		}
		if slices.Contains(out.Domains, n) {
			bad(fieldErr(fmt.Sprintf("domains[%d]", i), "%s is listed twice", n))
			continue
		}
		out.Domains = append(out.Domains, n)
	}

	server := func(field string, s Server, required bool) Server {
		if !s.set() {
			if required {
				bad(fieldErr(field+".fqdn", "required"))
			} else if len(s.Addresses) > 0 {
				bad(fieldErr(field+".addresses", "given without %s.fqdn", field))
			}
			return Server{}
		}
		var n Server
		f, err := engine.NormalizeDomain(strings.TrimSpace(s.FQDN))
		if err != nil {
			bad(fieldErr(field+".fqdn", "%v", err))
		}
		n.FQDN = f
		if len(s.Addresses) > MaxAddresses {
			bad(fieldErr(field+".addresses", "%d addresses; at most %d", len(s.Addresses), MaxAddresses))
			return n
		}
		for i, a := range s.Addresses {
			ip, err := netip.ParseAddr(strings.TrimSpace(a))
			fld := fmt.Sprintf("%s.addresses[%d]", field, i)
			switch {
			case err != nil:
				bad(fieldErr(fld, "%q is not an IPv4 or IPv6 address", a))
				continue
			case ip.Zone() != "":
				bad(fieldErr(fld, "%s has a zone; DNS cannot hold it", a))
				continue
			case ip.IsUnspecified() || ip.IsMulticast() || ip.IsLoopback():
				bad(fieldErr(fld, "%s is not a unicast server address", ip))
				continue
			}
			ip = ip.Unmap()
			if slices.Contains(n.Addresses, ip.String()) {
				bad(fieldErr(fld, "%s is listed twice", ip))
				continue
			}
			n.Addresses = append(n.Addresses, ip.String())
		}
		return n
	}
	out.Pool = server("pool", in.Pool, true)
	out.Director = server("director", in.Director, false)
	out.Edge = server("edge", in.Edge, false)
	out.WebInternal = server("webInternal", in.WebInternal, false)
	out.WebExternal = server("webExternal", in.WebExternal, false)
	if out.Edge.FQDN == "" && in.EdgePort != 0 {
		bad(fieldErr("edgePort", "given without edge.fqdn"))
	}
	if out.Edge.FQDN != "" && out.EdgePort == 0 {
		out.EdgePort = DefaultEdgePort
	}
	if out.Director.FQDN != "" && out.Director.FQDN == out.Pool.FQDN {
		bad(fieldErr("director.fqdn", "%s is also the pool's name; a Director is a separate pool", out.Director.FQDN))
	}
	if e := out.Edge.FQDN; e != "" && (e == out.Pool.FQDN || e == out.Director.FQDN) {
		bad(fieldErr("edge.fqdn", "%s is also an internal server's name; the Access Edge's external name must be its own", e))
	}

	switch out.Alias {
	case "":
		out.Alias = AliasA
	case AliasA, AliasCNAME:
	default:
		bad(fieldErr("alias", "%q is not a, cname or empty", in.Alias))
	}
	if out.TTL == 0 {
		out.TTL = DefaultTTL
	}
	if out.TTL > 1<<31-1 {
		bad(fieldErr("ttl", "%d is above 2147483647 (RFC 2181 §8)", out.TTL))
	}

	names := in.Profiles
	if len(names) == 0 {
		for _, p := range engine.Profiles() {
			names = append(names, p.Name)
		}
	}
	for i, name := range names {
		p, err := engine.LookupProfile(strings.TrimSpace(name))
		if err != nil {
			bad(fieldErr(fmt.Sprintf("profiles[%d]", i), "%v", err))
			continue
		}
		if !slices.Contains(out.Profiles, p.Name) {
			out.Profiles = append(out.Profiles, p.Name)
		}
	}
	if len(errs) > 0 {
		return out, errors.Join(errs...)
	}

	// Clients that ask only A records need an IPv4 address for every
	// server they may connect to.
	for _, name := range out.Profiles {
		p, _ := engine.LookupProfile(name)
		if p.IPv6 {
			continue
		}
		for _, s := range []struct {
			field string
			s     Server
		}{{"pool", out.Pool}, {"director", out.Director}, {"edge", out.Edge}} {
			if len(s.s.Addresses) > 0 && !slices.ContainsFunc(s.s.Addresses, isIPv4) {
				bad(fieldErr(s.field+".addresses", "no IPv4 address: %s looks up A records only, so it cannot reach %s", p.Title, s.s.FQDN))
			}
		}
		break
	}
	return out, errors.Join(errs...)
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
	p := &Plan{Input: in, targets: map[View]map[string]string{Internal: {}, External: {}}}
	autodiscover := false
	for _, name := range in.Profiles {
		prof, _ := engine.LookupProfile(name)
		p.profiles = append(p.profiles, prof)
		if len(prof.Autodiscover) > 0 {
			autodiscover = true
		}
	}

	// Addresses: given, shared with a server of the same name, or a
	// placeholder.
	hosts := map[View]*hostTable{Internal: {}, External: {}}
	var herr []error
	add := func(v View, role Role, field string, s *Server) {
		if s.FQDN == "" {
			return
		}
		if err := hosts[v].add(role, field, s); err != nil {
			herr = append(herr, err)
		}
	}
	add(Internal, RolePool, "pool", &p.Input.Pool)
	add(Internal, RoleDirector, "director", &p.Input.Director)
	add(External, RoleEdge, "edge", &p.Input.Edge)
	if autodiscover {
		add(Internal, RoleWebInternal, "webInternal", &p.Input.WebInternal)
		add(External, RoleWebExternal, "webExternal", &p.Input.WebExternal)
	}
	if len(herr) > 0 {
		return nil, errors.Join(herr...)
	}
	in = p.Input
	p.signIn = in.Pool
	signInRole := RolePool
	if in.Director.FQDN != "" {
		p.signIn, signInRole = in.Director, RoleDirector
	}

	b := &builder{p: p, ttl: in.TTL, hosts: hosts}
	// Internal DNS.
	for _, d := range in.Domains {
		t := p.signIn.FQDN
		if !acceptable(t, d, in.StrictNaming) {
			t = "sip." + d
		}
		p.targets[Internal][d] = t
		why := fmt.Sprintf("internal clients of every profile ask _sipinternaltls._tcp.%s first and sign in to its target over TLS on port 5061 (Office Communicator Sign-in and Discovery; TechNet dd572514)", d)
		b.srv(Internal, d, "_sipinternaltls._tcp."+d, 5061, t, KindSRVInternalTLS, signInRole, why)
		if in.AllowTCP {
			b.srv(Internal, d, "_sipinternal._tcp."+d, 5060, t, KindSRVInternalTCP, signInRole,
				fmt.Sprintf("clients whose policy allows TCP try _sipinternal._tcp.%s on port 5060 after every TLS record fails (TechNet dd572514)", d))
		}
		if t != p.signIn.FQDN {
			b.alias(Internal, d, t, signInRole, p.signIn, b.aliasReason(d, p.signIn.FQDN, "_sipinternaltls._tcp."+d))
		}
		if autodiscover && in.WebInternal.FQDN != "" {
			b.cname(Internal, d, "lyncdiscoverinternal."+d, in.WebInternal.FQDN, KindAutodiscover, RoleWebInternal,
				fmt.Sprintf("Lync 2013 and Skype for Business clients ask lyncdiscoverinternal.%s before any SRV record and fetch the autodiscover service from the internal web services there (TechNet gg398758)", d))
		}
	}
	// External DNS.
	for _, d := range in.Domains {
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
		if autodiscover && in.WebExternal.FQDN != "" {
			b.cname(External, d, "lyncdiscover."+d, in.WebExternal.FQDN, KindAutodiscover, RoleWebExternal,
				fmt.Sprintf("Lync 2013, Skype for Business and mobile clients outside the network ask lyncdiscover.%s and fetch the autodiscover service through the external web services (reverse proxy) there (TechNet gg398758)", d))
		}
	}
	b.hostRecords(Internal, []Role{RolePool, RoleDirector, RoleWebInternal})
	b.hostRecords(External, []Role{RoleEdge, RoleWebExternal})
	if err := b.conflicts(); err != nil {
		return nil, err
	}
	p.Internal = b.view(Internal)
	p.External = b.view(External)
	p.Certificates = certificates(p, autodiscover)
	p.Notes = notes(p, autodiscover, hosts)
	return p, nil
}

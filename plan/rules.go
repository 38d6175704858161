package plan

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Rule names one rule Verify checks in the zones a plan's views are
// loaded from, beyond what discovery shows.
type Rule string

// The rules.
const (
	// RuleSRVTargetNotAlias: an SRV target owns its address records; it
	// is not a CNAME. RFC 2782: the target "MUST NOT be an alias"; Lync
	// Server 2013's DNS requirements (TechNet gg398758) want the SRV
	// target's A record in the SRV record's own domain.
	RuleSRVTargetNotAlias Rule = "srv-target-not-alias"
	// RuleSRVTargetInDomain: an SRV target is the SRV record's domain or
	// a name under it (TechNet gg398758; the naming policy of "Office
	// Communicator Sign-in and Discovery").
	RuleSRVTargetInDomain Rule = "srv-target-in-domain"
	// RuleSRVPort: an SRV record names the port of its service: 5061 for
	// _sipinternaltls._tcp and _sipfederationtls._tcp, 5060 for
	// _sipinternal._tcp, 5269 for _xmpp-server._tcp, the Access Edge's
	// client port for _sip._tls — never 5061, the federation port ("Port
	// summary - SIP, XMPP federation, and public instant messaging in Lync
	// Server 2013": clients use 443, federated partners 5061).
	RuleSRVPort Rule = "srv-port"
	// RuleOneSRV: each SRV name has one record. Microsoft: "Create only
	// one SRV record for the designated server or pool. Do not create
	// this SRV record for additional internal servers or pools" (DNS
	// requirements for automatic client sign-in in Lync Server 2013).
	RuleOneSRV Rule = "one-srv-record"
	// RuleOneView: a name of one view is absent from the other:
	// _sipinternaltls._tcp, _sipinternal._tcp, lyncdiscoverinternal and
	// the internal servers' names never in the public DNS, _sip._tls,
	// lyncdiscover and the external servers' names never inside
	// (TechNet gg398758).
	RuleOneView Rule = "one-view-only"
	// RuleViewAddresses: no name of one view resolves to an address of
	// the other view's servers (inside, sip.<domain> never leads to the
	// Access Edge's public address).
	RuleViewAddresses Rule = "view-addresses"
	// RuleCertificateCovers: every name a client may connect to over TLS
	// (the SRV targets, the fallback names it finds, the autodiscover
	// names) is on the certificate of the server the name leads to.
	RuleCertificateCovers Rule = "certificate-covers-name"
)

// RuleResult is one rule checked for one name in one view.
type RuleResult struct {
	Rule    Rule   `json:"rule"`
	View    View   `json:"view"`
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
}

// Verification is everything Verify checked: the discovery matrix and the
// rules.
type Verification struct {
	Results []Result     `json:"results"`
	Rules   []RuleResult `json:"rules"`
}

// Verify runs Check and then checks the rules in the views that have a
// resolver in resolvers (the one-view rules need both): the SRV records
// every client asks, each target's address records, the names of each
// view looked up in the other, and the certificate of every server a
// client reaches in the discovery runs or through autodiscover. Rules come
// view by view (internal first), in the order above. The error is non-nil
// only when DiscoverAll fails or a resolver gives no answer at all.
func Verify(ctx context.Context, p *Plan, resolvers map[View]engine.Resolver) (*Verification, error) {
	res, err := DiscoverAll(ctx, p, resolvers)
	if err != nil {
		return nil, err
	}
	v := &verifier{p: p, r: resolvers, out: &Verification{Results: res}}
	for _, view := range []View{Internal, External} {
		if resolvers[view] == nil {
			continue
		}
		for _, step := range []func(context.Context, View) error{v.srvRules, v.oneView, v.addresses, v.certificates} {
			if err := step(ctx, view); err != nil {
				return nil, err
			}
		}
	}
	return v.out, nil
}

// verifier checks the rules of one plan against its resolvers.
type verifier struct {
	p   *Plan
	r   map[View]engine.Resolver
	out *Verification
}

func (v *verifier) report(rule Rule, view View, name, problem string) {
	v.out.Rules = append(v.out.Rules, RuleResult{Rule: rule, View: view, Name: name, OK: problem == "", Problem: problem})
}

func (v *verifier) ask(ctx context.Context, view View, name string, t engine.Type) (engine.Answer, error) {
	a, err := v.r[view].Resolve(ctx, engine.Question{Name: name, Type: t})
	if err != nil {
		return a, fmt.Errorf("plan: %s %s in the %s view: %w", name, t, view, err)
	}
	return a, nil
}

// srvNames are the SRV names every client asks for domain d, with the
// port each must name.
func (v *verifier) srvNames(d string) []struct {
	name string
	port uint16
} {
	edge := v.p.Input.EdgePort
	if edge == 0 {
		edge = DefaultEdgePort
	}
	return []struct {
		name string
		port uint16
	}{{"_sipinternaltls._tcp." + d, 5061}, {"_sipinternal._tcp." + d, 5060}, {"_sip._tls." + d, edge},
		{"_sipfederationtls._tcp." + d, 5061}, {"_xmpp-server._tcp." + d, 5269}}
}

// srvRules checks every SRV record of view: its target in the domain, its
// port, and its target's own address records.
func (v *verifier) srvRules(ctx context.Context, view View) error {
	for _, d := range v.p.Input.Domains {
		for _, s := range v.srvNames(d) {
			a, err := v.ask(ctx, view, s.name, engine.TypeSRV)
			if err != nil {
				return err
			}
			n := 0
			for _, rec := range a.Records {
				if rec.Type == engine.TypeSRV && rec.Name == s.name {
					n++
				}
			}
			if n > 0 {
				problem := ""
				if n > 1 {
					problem = fmt.Sprintf("%d SRV records; Microsoft: \"Create only one SRV record for the designated server or pool\" (DNS requirements for automatic client sign-in in Lync Server 2013)", n)
				}
				v.report(RuleOneSRV, view, s.name, problem)
			}
			for _, rec := range a.Records {
				if rec.Type != engine.TypeSRV || rec.Name != s.name || rec.Target == "." {
					continue
				}
				if err := v.srvRecord(ctx, view, d, s.name, s.port, rec); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (v *verifier) srvRecord(ctx context.Context, view View, d, name string, port uint16, rec engine.Record) error {
	subject := name + " -> " + rec.Target
	problem := ""
	if !under(rec.Target, d) {
		problem = fmt.Sprintf("the target %s is not in %s, the SRV record's domain (Determine DNS requirements for Lync Server 2013: the SRV record's target is in its own domain)", rec.Target, d)
	}
	v.report(RuleSRVTargetInDomain, view, subject, problem)
	problem = ""
	switch {
	case strings.HasPrefix(name, "_sip._tls.") && rec.Port == 5061:
		problem = "port 5061 is the federation port (_sipfederationtls._tcp, server to server); clients sign in through the Access Edge on its client port, 443 by default (Port summary - SIP, XMPP federation, and public instant messaging in Lync Server 2013)"
	case rec.Port != port:
		problem = fmt.Sprintf("port %d; the service's port is %d", rec.Port, port)
	}
	v.report(RuleSRVPort, view, subject, problem)
	a, err := v.ask(ctx, view, rec.Target, engine.TypeA)
	if err != nil {
		return err
	}
	problem = ""
	for _, r := range a.Records {
		if r.Name == rec.Target && r.Type == engine.TypeCNAME {
			problem = fmt.Sprintf("the target %s is a CNAME to %s; an SRV target must own its A records (RFC 2782: it \"MUST NOT be an alias\")", rec.Target, r.Target)
		}
	}
	v.report(RuleSRVTargetNotAlias, view, subject, problem)
	return nil
}

// onlyIn returns the names that belong to view alone: the names every
// client asks only there, and the plan's names of that view that the
// other view does not publish, each with the type to look it up by.
func (v *verifier) onlyIn(view View) []engine.Question {
	var qs []engine.Question
	for _, d := range v.p.Input.Domains {
		if view == Internal {
			qs = append(qs, engine.Question{Name: "_sipinternaltls._tcp." + d, Type: engine.TypeSRV},
				engine.Question{Name: "_sipinternal._tcp." + d, Type: engine.TypeSRV},
				engine.Question{Name: "lyncdiscoverinternal." + d, Type: engine.TypeA})
		} else {
			qs = append(qs, engine.Question{Name: "_sip._tls." + d, Type: engine.TypeSRV},
				engine.Question{Name: "_sipfederationtls._tcp." + d, Type: engine.TypeSRV},
				engine.Question{Name: "lyncdiscover." + d, Type: engine.TypeA})
		}
	}
	other := v.p.View(otherView(view)).Records()
	for _, r := range v.p.View(view).Records() {
		if strings.HasPrefix(r.Name, "_") || slices.ContainsFunc(other, func(o Record) bool { return o.Name == r.Name }) ||
			slices.ContainsFunc(qs, func(q engine.Question) bool { return q.Name == r.Name }) {
			continue
		}
		qs = append(qs, engine.Question{Name: r.Name, Type: engine.TypeA})
	}
	return qs
}

func otherView(v View) View {
	if v == Internal {
		return External
	}
	return Internal
}

// oneView looks up the names that belong to view alone in the other view,
// where they must not exist.
func (v *verifier) oneView(ctx context.Context, view View) error {
	other := otherView(view)
	if v.r[other] == nil {
		return nil
	}
	for _, q := range v.onlyIn(view) {
		a, err := v.ask(ctx, other, q.Name, q.Type)
		if err != nil {
			return err
		}
		problem := ""
		if slices.ContainsFunc(a.Records, func(r engine.Record) bool { return r.Name == q.Name }) {
			problem = fmt.Sprintf("%s belongs to the %s DNS only, but the %s DNS answers it", q.Name, view, other)
		}
		v.report(RuleOneView, other, q.Name, problem)
	}
	return nil
}

// planned is one planned server of a view: its role, name and
// addresses.
type planned struct {
	role  Role
	fqdn  string
	addrs []string
}

// servers returns the planned servers of view.
func (v *verifier) servers(view View) []planned {
	in := v.p.Input
	all := []planned{
		{RolePool, in.Pool.FQDN, in.Pool.Addresses},
		{RoleDirector, in.Director.FQDN, in.Director.Addresses},
		{RoleEdgeInternal, in.EdgeInternal.FQDN, in.EdgeInternal.Addresses},
		{RoleDirectorWebInternal, in.DirectorWebInternal.FQDN, in.DirectorWebInternal.Addresses},
		{RoleWebInternal, in.WebInternal.FQDN, in.WebInternal.Addresses},
		{RoleOfficeOnline, in.OfficeOnline.FQDN, in.OfficeOnline.Addresses},
	}
	if view == External {
		all = []planned{{RoleEdge, in.Edge.FQDN, in.Edge.Addresses}, {RoleWebConfEdge, in.WebConfEdge, in.WebConfEdgeAddresses},
			{RoleAVEdge, in.AVEdge.FQDN, in.AVEdge.Addresses}, {RoleWebExternal, in.WebExternal.FQDN, in.WebExternal.Addresses}}
	}
	var out []planned
	for _, s := range all {
		if s.fqdn != "" {
			out = append(out, s)
		}
	}
	return out
}

// resolve returns the addresses name has in view, CNAMEs followed by the
// resolver, and whether it has any.
func (v *verifier) resolve(ctx context.Context, view View, name string) ([]string, error) {
	var out []string
	for _, t := range []engine.Type{engine.TypeA, engine.TypeAAAA} {
		a, err := v.ask(ctx, view, name, t)
		if err != nil {
			return nil, err
		}
		for _, r := range a.Records {
			if r.Type == t {
				out = append(out, r.Addr.String())
			}
		}
	}
	return out, nil
}

// addresses checks that no name of the plan (of either view) resolves in
// view to an address that only the other view's servers have.
func (v *verifier) addresses(ctx context.Context, view View) error {
	mine := map[string]bool{}
	for _, s := range v.servers(view) {
		for _, a := range s.addrs {
			mine[a] = true
		}
	}
	foreign := map[string]string{}
	for _, s := range v.servers(otherView(view)) {
		for _, a := range s.addrs {
			if !mine[a] {
				foreign[a] = s.fqdn
			}
		}
	}
	var names []string
	for _, r := range slices.Concat(v.p.View(view).Records(), v.p.View(otherView(view)).Records()) {
		if r.Type != engine.TypeSRV && !slices.Contains(names, r.Name) {
			names = append(names, r.Name)
		}
	}
	for _, name := range names {
		addrs, err := v.resolve(ctx, view, name)
		if err != nil {
			return err
		}
		problem := ""
		for _, a := range addrs {
			if s, ok := foreign[a]; ok {
				problem = fmt.Sprintf("%s resolves to %s, an address of %s in the %s DNS", name, a, s, otherView(view))
				break
			}
		}
		v.report(RuleViewAddresses, view, name, problem)
	}
	return nil
}

// certificatesOf returns the certificates that answer a client of view
// connecting to one of addrs over TLS — for SIP (web false) the Default
// certificates of the pool or Director and the Edge's external one, for
// HTTPS (web true) the web certificates or the reverse proxy's — and the
// server's FQDN.
func (v *verifier) certificatesOf(view View, addrs []string, web bool) ([]Certificate, string) {
	in := v.p.Input
	for _, s := range v.servers(view) {
		if !slices.ContainsFunc(addrs, func(a string) bool { return slices.Contains(s.addrs, normAddr(a)) }) {
			continue
		}
		role, uses := s.role, []string{UseDefault, UseEdgeExternal}
		switch {
		case web && view == External:
			role, uses = RoleWebExternal, []string{UseReverseProxy}
		case web:
			uses = []string{UseWebInternal}
		}
		switch s.role {
		case RoleWebInternal:
			role = RolePool
		case RoleDirectorWebInternal:
			role = RoleDirector
		}
		if web && view == Internal && s.fqdn == in.Director.FQDN {
			role = RoleDirector
		}
		var out []Certificate
		for _, c := range v.p.Certificates {
			if c.Role == role && slices.Contains(uses, c.Use) {
				out = append(out, c)
			}
		}
		return out, s.fqdn
	}
	return nil, ""
}

func normAddr(a string) string {
	if ip, err := netip.ParseAddr(a); err == nil {
		return ip.String()
	}
	return a
}

// hop is a name a client connects to over TLS and the addresses it
// leads to.
type hop struct {
	name  string
	addrs []string
	web   bool // HTTPS to the web services, not SIP
}

// hops returns the names clients connect to over TLS in view: the
// accepted TLS candidates of the discovery runs, and the autodiscover
// names when they are published.
func (v *verifier) hops(ctx context.Context, view View) ([]hop, error) {
	var out []hop
	seen := map[string]bool{}
	for _, r := range v.out.Results {
		if r.View != view || r.Report == nil {
			continue
		}
		for _, c := range r.Report.Candidates {
			if c.Accepted && c.Transport == engine.TLS && len(c.Addresses) > 0 && !seen[c.Host] {
				seen[c.Host] = true
				out = append(out, hop{c.Host, c.Addresses, false})
			}
		}
	}
	if !v.p.autodiscover[view] {
		return out, nil
	}
	prefix := "lyncdiscoverinternal."
	if view == External {
		prefix = "lyncdiscover."
	}
	for _, d := range v.p.Input.Domains {
		addrs, err := v.resolve(ctx, view, prefix+d)
		if err != nil {
			return nil, err
		}
		out = append(out, hop{prefix + d, addrs, true})
	}
	return out, nil
}

// certificates checks that each name a client connects to over TLS in
// view is on every certificate of the server it leads to.
func (v *verifier) certificates(ctx context.Context, view View) error {
	hops, err := v.hops(ctx, view)
	if err != nil {
		return err
	}
	for _, h := range hops {
		v.report(RuleCertificateCovers, view, h.name, v.covered(view, h))
	}
	return nil
}

// covered says what is wrong with the certificates h leads to, or "".
func (v *verifier) covered(view View, h hop) string {
	certs, server := v.certificatesOf(view, h.addrs, h.web)
	switch {
	case server == "":
		return fmt.Sprintf("%s leads to %s, the address of no planned server", h.name, strings.Join(h.addrs, ", "))
	case len(certs) == 0:
		return fmt.Sprintf("%s leads to %s, which has no planned certificate", h.name, server)
	}
	for _, c := range certs {
		if !slices.ContainsFunc(c.Names, func(n CertName) bool { return n.Name == h.name }) {
			return fmt.Sprintf("the certificate of %s (%s) lacks %s, a name clients connect to", server, c.Server, h.name)
		}
	}
	return ""
}

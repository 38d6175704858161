package plan

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Expectation is what discovery must find for a domain in one view of a
// plan.
type Expectation struct {
	Outcome engine.Outcome `json:"outcome"`
	// Host is the target the client signs in to: the SRV target.
	Host string `json:"host,omitempty"`
	// Server is the planned server Host stands for (Host itself, or the
	// server sip.<domain> is an alias of).
	Server    string           `json:"server,omitempty"`
	Port      uint16           `json:"port,omitempty"`
	Transport engine.Transport `json:"transport,omitempty"`
	Source    string           `json:"source,omitempty"`
	// Addresses are the server's addresses the profile looks up (IPv4
	// only for profiles that ask A records only), sorted.
	Addresses []string `json:"addresses,omitempty"`
}

// Expect returns what prof's discovery for domain must give in view v:
// inside, connect over TLS on 5061 to the internal SRV target, which is
// the sign-in server (Director or pool) or its sip.<domain> alias; outside,
// connect over TLS on the Edge port to the Access Edge or its alias, or
// fail when no Access Edge is planned.
func (p *Plan) Expect(v View, domain string, prof *engine.Profile) Expectation {
	t := p.targets[v][domain]
	if t == "" {
		// Only the autodiscover names: discovery predicts a sign-in
		// through the web service, which it does not fetch (engine's
		// autodiscover-only finding); the target is the web service.
		if len(prof.Autodiscover) > 0 && p.publishesAutodiscover(v, domain, prof) {
			return Expectation{Outcome: engine.OutcomeConnect, Source: engine.SourceAutodiscover}
		}
		return Expectation{Outcome: engine.OutcomeFail}
	}
	e := Expectation{Outcome: engine.OutcomeConnect, Host: t, Transport: engine.TLS}
	var s Server
	switch v {
	case Internal:
		s, e.Port, e.Source = p.signIn, 5061, "_sipinternaltls._tcp."+domain
	default:
		s, e.Port, e.Source = p.Input.Edge, p.Input.EdgePort, "_sip._tls."+domain
	}
	e.Server = s.FQDN
	for _, a := range s.Addresses {
		if prof.IPv6 || isIPv4(a) {
			e.Addresses = append(e.Addresses, a)
		}
	}
	slices.Sort(e.Addresses)
	return e
}

// publishesAutodiscover reports whether view v of the plan has one of
// prof's autodiscover names for domain.
func (p *Plan) publishesAutodiscover(v View, domain string, prof *engine.Profile) bool {
	vp := p.Internal
	if v == External {
		vp = p.External
	}
	for _, r := range vp.Records() {
		for _, a := range prof.Autodiscover {
			if r.Name == a+"."+domain {
				return true
			}
		}
	}
	return false
}

// Compare returns "" when rep meets want, otherwise what differs.
func Compare(rep *engine.Report, want Expectation) string {
	if rep.Outcome != want.Outcome {
		s := fmt.Sprintf("outcome %s; want %s", rep.Outcome, want.Outcome)
		if rep.Target != nil {
			s += fmt.Sprintf(" (target %s:%d)", rep.Target.Host, rep.Target.Port)
		}
		return s
	}
	if want.Outcome != engine.OutcomeConnect {
		return ""
	}
	t := rep.Target
	if want.Source == engine.SourceAutodiscover {
		// A predicted sign-in through Autodiscover: the web service
		// decides the server, so only the source is expected.
		if t.Source != want.Source {
			return fmt.Sprintf("source %s; want %s", t.Source, want.Source)
		}
		return ""
	}
	var diffs []string
	if t.Host != want.Host {
		diffs = append(diffs, fmt.Sprintf("target %s; want %s", t.Host, want.Host))
	}
	if t.Port != want.Port {
		diffs = append(diffs, fmt.Sprintf("port %d; want %d", t.Port, want.Port))
	}
	if t.Transport != want.Transport {
		diffs = append(diffs, fmt.Sprintf("transport %s; want %s", t.Transport, want.Transport))
	}
	if t.Source != want.Source {
		diffs = append(diffs, fmt.Sprintf("source %s; want %s", t.Source, want.Source))
	}
	got := normAddrs(t.Addresses)
	if !slices.Equal(got, want.Addresses) {
		diffs = append(diffs, fmt.Sprintf("addresses %v; want %v", got, want.Addresses))
	}
	return strings.Join(diffs, "; ")
}

func normAddrs(as []string) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		if ip, err := netip.ParseAddr(a); err == nil {
			a = ip.String()
		}
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Result is one cell of the check matrix: one view, domain and profile.
type Result struct {
	View    View           `json:"view"`
	Domain  string         `json:"domain"`
	Profile string         `json:"profile"`
	Outcome engine.Outcome `json:"outcome"`
	Target  *engine.Target `json:"target,omitempty"`
	Want    Expectation    `json:"want"`
	// OK is true when the result meets Want; Problem says otherwise.
	OK      bool           `json:"ok"`
	Problem string         `json:"problem,omitempty"`
	Report  *engine.Report `json:"-"`
}

// DiscoverAll runs engine.Discover for user@<domain> of every planned domain,
// with every selected profile and the plan's policy (strict naming, TCP),
// in each view that has a resolver in resolvers — normally a zone.Set
// loaded with that view's BIND zones, checked as that side of split-brain
// DNS (engine.ViewInside, ViewOutside: the external zone must hold none
// of the names for internal DNS only) — and compares each report with
// Expect. Results come view by view (internal first), then domain, then
// profile. The error is non-nil only when Discover refuses its input or
// ctx is cancelled.
func DiscoverAll(ctx context.Context, p *Plan, resolvers map[View]engine.Resolver) ([]Result, error) {
	var out []Result
	for _, v := range []View{Internal, External} {
		r := resolvers[v]
		if r == nil {
			continue
		}
		for _, d := range p.Input.Domains {
			u, err := engine.ParseURI("user@" + d)
			if err != nil {
				return nil, err
			}
			for _, prof := range p.profiles {
				rep, err := engine.Discover(ctx, u, engine.Config{
					Profile:  prof.Name,
					Resolver: r,
					Policy:   p.Policy(prof),
					View:     v.EngineView(),
				})
				if err != nil {
					return nil, err
				}
				want := p.Expect(v, d, prof)
				res := Result{View: v, Domain: d, Profile: prof.Name, Outcome: rep.Outcome, Target: rep.Target, Want: want, Report: rep}
				res.Problem = Compare(rep, want)
				res.OK = res.Problem == ""
				out = append(out, res)
			}
		}
	}
	return out, nil
}

// Policy returns the client policy DiscoverAll checks prof under: the
// profile's default (engine.Profile.DefaultPolicy, which sipdisco check
// also starts from), strict naming when the plan asks for it, and TCP as
// the plan allows it. check.PlanCheckOptions gives the same check as
// check's Options, and a test holds the two to the same verdicts.
func (p *Plan) Policy(prof *engine.Profile) engine.Policy {
	pol := prof.DefaultPolicy()
	pol.StrictNaming = pol.StrictNaming || p.Input.StrictNaming
	pol.AllowTCP = p.Input.AllowTCP
	return pol
}

// EngineView returns the side of split-brain DNS v's zones stand for:
// engine.ViewInside for Internal, engine.ViewOutside for External.
func (v View) EngineView() engine.View {
	switch v {
	case Internal:
		return engine.ViewInside
	case External:
		return engine.ViewOutside
	}
	return engine.ViewUnknown
}

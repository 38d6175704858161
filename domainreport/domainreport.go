// Package domainreport reports on a SIP domain rather than on one user's
// sign-in: every record the domain publishes for Microsoft's SIP clients
// and for federation, where each one points (Microsoft 365, an
// on-premises server, elsewhere, a wildcard, nowhere), whether Microsoft's
// Teams Only gate passes for it, and its federation path (docs/spec.md
// §15; issue 22).
//
// Sources, quoted in the findings:
//   - "Manage DNS entries when decommissioning" (Microsoft Learn): the
//     records a Teams Only domain publishes — lyncdiscover CNAME
//     webdir.online.lync.com, sip CNAME sipdir.online.lync.com, _sip._tls
//     SRV 100 1 443 sipdir.online.lync.com, _sipfederationtls._tcp SRV 100
//     1 5061 sipfed.online.lync.com — "Microsoft cannot update these DNS
//     records on your behalf", and "any DNS records for Skype for Business
//     in your internal network should be removed";
//   - "Cannot switch to Teams Only mode" (Microsoft support): "If the
//     lyncdiscover DNS record for any domain is present but does not
//     point to Microsoft 365, any attempt to switch to Teams Only mode
//     fails"; an absent lyncdiscover does not block;
//   - [MS-OCER] (Client Error Reporting Protocol): ms-diagnostics 1009,
//     "conflicting SRV and host domains" (a federation SRV target outside
//     the domain), 1008 (DNS SRV not resolved), 1014 (DNS A not
//     resolved);
//   - "Determine DNS requirements for Lync Server 2013" (gg398758) and
//     "Port summary" (JJ204756): the Access Edge server takes federation
//     on TLS 5061.
package domainreport

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/sipdisco/sipdisco/engine"
)

// Where a record points (Record.Points).
const (
	PointsMicrosoft365 = "microsoft-365"
	PointsOnPremises   = "on-premises"
	PointsElsewhere    = "elsewhere"
	PointsWildcard     = "wildcard"
	PointsAbsent       = "absent"
	// PointsUnknown: the lookup failed, so where the record points is
	// not known.
	PointsUnknown = "unknown"
)

// The federation path's outcomes (Federation.Outcome).
const (
	FederationOK   = "ok"
	FederationFail = "fail"
	FederationNone = "none"
	// FederationUnknown: a failed lookup hides the answer.
	FederationUnknown = "unknown"
)

// The Microsoft 365 names a Teams Only domain's records point to ("Manage
// DNS entries when decommissioning").
const (
	M365Autodiscover = "webdir.online.lync.com"
	M365SignIn       = "sipdir.online.lync.com"
	M365Federation   = "sipfed.online.lync.com"
)

// Report is the domain report of one SIP domain. Its JSON field names are
// a contract (README, "The domain report's JSON").
type Report struct {
	Tool      *engine.Tool `json:"tool,omitempty"`
	CheckedAt string       `json:"checkedAt,omitempty"`
	Domain    string       `json:"domain"`
	// View is the side of split-brain DNS the answers came from; absent
	// when unknown.
	View       engine.View          `json:"view,omitempty"`
	Records    []Record             `json:"records"`
	TeamsOnly  TeamsOnly            `json:"teamsOnly"`
	Federation Federation           `json:"federation"`
	Findings   []engine.Finding     `json:"findings"`
	Steps      []engine.Step        `json:"steps"`
	Resolver   *engine.ResolverInfo `json:"resolver,omitempty"`
	// Observed is what --connect saw of the servers (Observe); absent
	// without it.
	Observed *Observed `json:"observed,omitempty"`
}

// Record is one name the report asked and where it points.
type Record struct {
	// Name is the name asked, Type the type asked.
	Name string      `json:"name"`
	Type engine.Type `json:"type"`
	// Role says in words what the record is for.
	Role string `json:"role"`
	// AfterTeamsOnly says what becomes of the record once every user
	// of the domain is Teams Only (Catalog).
	AfterTeamsOnly string `json:"afterTeamsOnly"`
	// Points is one of the Points* constants.
	Points string `json:"points"`
	// Targets are where it leads: the end of its CNAME chain, its own
	// addresses, or its SRV records as "host:port"; empty when absent.
	Targets []string `json:"targets,omitempty"`
	// Answers are the records found, in zone-file form, the CNAME chain
	// first.
	Answers []string `json:"answers"`
	// Why says, for an absent or unknown record, what the answer was.
	Why string `json:"why,omitempty"`
}

// TeamsOnly is the Teams Only gate's verdict for the domain.
type TeamsOnly struct {
	// Ready: switching users to Teams Only does not fail because of
	// this domain's lyncdiscover record.
	Ready bool `json:"ready"`
	// Blocking names the records that make the switch fail; empty when
	// Ready. Where a failed lookup hides the answer, Ready is false and
	// Blocking is empty, and a finding says so.
	Blocking []string `json:"blocking"`
}

// Federation is the domain's federation path: _sipfederationtls._tcp.
type Federation struct {
	Outcome string `json:"outcome"`
	// Target is the SRV record's server as "host:port".
	Target string `json:"target,omitempty"`
	// Hosted: the target is Microsoft 365's federation service.
	Hosted bool `json:"hosted,omitempty"`
}

// name is one record the report asks, with its role.
type name struct {
	prefix string
	t      engine.Type
	role   string
	// internal: Microsoft's documents put it in internal DNS only.
	internal bool
	// after says what becomes of the record once every user is Teams
	// Only, as Microsoft's documents say.
	after string
	// sources are the documents the role and after come from.
	sources []Source
}

// Source is a Microsoft document, by title and address.
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// The documents the records' roles and fates come from.
var (
	srcDNS = Source{"DNS requirements for Skype for Business Server",
		"https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/network-requirements/dns"}
	srcDecommission = Source{"Manage DNS entries when decommissioning your on-premises environment",
		"https://learn.microsoft.com/en-us/skypeforbusiness/hybrid/decommission-manage-dns-entries"}
	srcTeamsOnly = Source{"Error when switching a tenant to Teams Only mode",
		"https://learn.microsoft.com/en-us/troubleshoot/microsoftteams/teams-administration/cannot-switch-to-teams-only-mode"}
	srcLync2013 = Source{"DNS requirements for automatic client sign-in in Lync Server 2013",
		"https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-dns-requirements-for-automatic-client-sign-in"}
	srcEdgeDNS = Source{"Advanced Edge Server DNS planning for Skype for Business Server",
		"https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/edge-server-deployments/advanced-edge-server-dns"}
	srcPorts = Source{"Port and protocol requirements for servers",
		"https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/network-requirements/ports-and-protocols"}
)

// What becomes of a record after Teams Only (name.after).
const (
	afterInternal = "Remove it: once no user signs in to an on-premises pool, \"any DNS records for Skype for Business in your internal network should be removed\"."
	afterEdge     = "Not among the records Microsoft 365 uses: it leads to the on-premises Edge server, so it goes when the Edge does, once no user, meeting or partner needs that server."
)

// names are the records the report asks, in the order it shows them:
// what the clients ask (docs/spec.md §4), then federation and the Edge's
// other services.
var names = []name{
	{"lyncdiscover", engine.TypeA, "Autodiscover for Lync 2013, Skype for Business and mobile clients outside the network; the Teams Only switch checks it", false,
		"Point it to Microsoft 365: CNAME " + M365Autodiscover + ". While it leads elsewhere, switching the tenant to Teams Only fails; if the domain is no longer used for sign-in, the record can go instead.",
		[]Source{srcDNS, srcTeamsOnly, srcDecommission}},
	{"lyncdiscoverinternal", engine.TypeA, "Autodiscover inside the network (internal DNS only)", true, afterInternal, []Source{srcDNS, srcDecommission}},
	{"_sipinternaltls._tcp", engine.TypeSRV, "automatic sign-in inside the network: the pool (internal DNS only)", true, afterInternal, []Source{srcDNS, srcLync2013, srcDecommission}},
	{"_sipinternal._tcp", engine.TypeSRV, "automatic sign-in over TCP inside the network, Office Communicator only (internal DNS only)", true, afterInternal, []Source{srcDNS, srcDecommission}},
	{"_sip._tls", engine.TypeSRV, "sign-in from outside the network: the Access Edge on 443, or Microsoft 365", false,
		"Point it to Microsoft 365: SRV 100 1 443 " + M365SignIn + ".", []Source{srcDNS, srcDecommission}},
	{"_sip._tcp", engine.TypeSRV, "Office Communicator 2007's external TCP sign-in (obsolete)", false,
		"Microsoft 365 publishes no such record and no client of today asks it; it can go once no Office Communicator 2007 client signs in from outside, unless another SIP service of yours uses it.",
		[]Source{srcDecommission}},
	{"sipinternal", engine.TypeA, "sign-in host record inside the network (internal DNS only)", true, afterInternal, []Source{srcLync2013, srcDecommission}},
	{"sip", engine.TypeA, "sign-in host record: the pool inside the network, the Access Edge or Microsoft 365 outside", false,
		"Point it to Microsoft 365 in public DNS: CNAME " + M365SignIn + "; remove it from internal DNS.", []Source{srcDNS, srcDecommission}},
	{"sipexternal", engine.TypeA, "sign-in host record outside the network: the Access Edge", false, afterEdge, []Source{srcLync2013, srcDecommission}},
	{"_sipfederationtls._tcp", engine.TypeSRV, "federation with partners and Microsoft 365: the Access Edge on 5061", false,
		"Point it to Microsoft 365: SRV 100 1 5061 " + M365Federation + ". Partners federate with the tenant through it; partners on the old direct federation model must update their allowed-domain entries.",
		[]Source{srcDNS, srcPorts, srcDecommission}},
	{"_xmpp-server._tcp", engine.TypeSRV, "XMPP federation (Lync Server 2013's XMPP gateway)", false, afterEdge, []Source{srcDNS, srcDecommission}},
	{"meet", engine.TypeA, "simple URL for meetings", false,
		"Delete it once no meeting is hosted on-premises: \"CNAME records for meet or dialin (if present) can be deleted\".", []Source{srcDNS, srcDecommission}},
	{"dialin", engine.TypeA, "simple URL for dial-in conferencing", false,
		"Delete it once no meeting is hosted on-premises: \"CNAME records for meet or dialin (if present) can be deleted\".", []Source{srcDNS, srcDecommission}},
	{"webconf", engine.TypeA, "the Edge's web conferencing service", false, afterEdge, []Source{srcDNS, srcEdgeDNS}},
	{"av", engine.TypeA, "the Edge's audio/video service", false, afterEdge, []Source{srcDNS, srcEdgeDNS}},
}

// Entry is one record of the catalog: what a SIP domain's record is for
// and what becomes of it after Teams Only, with the documents that say
// so. The docs page and the report's records take their words from it.
type Entry struct {
	// Name is the labels before the domain ("_sip._tls", "meet"); Type
	// the type asked (A stands for A, AAAA or CNAME).
	Name string
	Type engine.Type
	// Role says what the record is for; Internal, that Microsoft's
	// documents put it in internal DNS only.
	Role     string
	Internal bool
	// AfterTeamsOnly says what to do with it once every user is Teams
	// Only.
	AfterTeamsOnly string
	Sources        []Source
}

// Catalog returns every record the report asks, in the order it shows
// them.
func Catalog() []Entry {
	out := make([]Entry, len(names))
	for i, n := range names {
		out[i] = Entry{Name: n.prefix, Type: n.t, Role: n.role, Internal: n.internal, AfterTeamsOnly: n.after, Sources: slices.Clone(n.sources)}
	}
	return out
}

// Asked returns the names the report asks under every domain, each as a
// question whose Name is the labels before the domain
// ("_sipfederationtls._tcp", "meet"), in the order the report shows them.
// Besides these it asks the wildcard probe and the addresses of its SRV
// records' targets. sipdisco serve --upstream's filter passes them
// (resolve/upstream).
func Asked() []engine.Question {
	out := make([]engine.Question, len(names))
	for i, n := range names {
		out[i] = engine.Question{Name: n.prefix, Type: n.t}
	}
	return out
}

// Check reports on domain d (lower case, without the trailing dot; see
// engine.NormalizeDomain), asking cfg's resolver: every name at once with
// the wildcard probe, then the addresses of the federation and external
// sign-in servers. cfg.View says which side of split-brain DNS the answers
// are. The error is for unusable input or a cancelled context; what DNS
// says is in the report.
func Check(ctx context.Context, d string, cfg engine.Config) (*Report, error) {
	if cfg.Resolver == nil {
		return nil, errors.New("domainreport: Config.Resolver is nil")
	}
	if d == "" {
		return nil, errors.New("domainreport: empty domain")
	}
	// The whole report is bounded as a discovery is: its Limits'
	// timeout, or the engine's default.
	timeout := cfg.Limits.Timeout
	if timeout <= 0 {
		timeout = engine.DefaultLimits.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	k := engine.NewAsker(cfg)
	var qs []engine.Question
	var purposes []string
	for _, n := range names {
		qs = append(qs, engine.Question{Name: n.prefix + "." + d, Type: n.t})
		purposes = append(purposes, "")
	}
	probe := engine.WildcardProbe(d, cfg)
	if probe != "" {
		qs = append(qs, engine.Question{Name: probe, Type: engine.TypeA})
		purposes = append(purposes, engine.PurposeWildcardProbe)
	}
	res := k.Ask(ctx, qs, purposes)
	if err := context.Cause(ctx); errors.Is(err, context.Canceled) {
		return nil, err
	}
	r := &report{d: d, view: cfg.View, k: k, byName: map[string]engine.Lookup{}}
	for i, n := range names {
		r.byName[n.prefix] = res[i]
	}
	if probe != "" {
		r.probe = res[len(names)]
	}
	r.resolveTargets(ctx)
	return r.build(), nil
}

// report is one domain report in the making.
type report struct {
	d      string
	view   engine.View
	k      *engine.Asker
	byName map[string]engine.Lookup
	probe  engine.Lookup
	// addrs are round two's lookups of the servers' addresses, by host.
	addrs map[string]engine.Lookup
	rep   Report
}

// resolveTargets asks, in one round, the addresses of the servers the
// federation and external sign-in SRV records name.
func (r *report) resolveTargets(ctx context.Context) {
	var qs []engine.Question
	for _, p := range []string{"_sipfederationtls._tcp", "_sip._tls"} {
		for _, rec := range r.byName[p].Records {
			q := engine.Question{Name: rec.Target, Type: engine.TypeA}
			if rec.Target != "." && !slices.Contains(qs, q) {
				qs = append(qs, q)
			}
		}
	}
	r.addrs = map[string]engine.Lookup{}
	if len(qs) == 0 {
		return
	}
	for _, l := range r.k.Ask(ctx, qs, nil) {
		r.addrs[l.Question.Name] = l
	}
}

// build writes the report.
func (r *report) build() *Report {
	r.rep = Report{Domain: r.d, View: r.view, Records: []Record{}, Findings: []engine.Finding{}}
	for _, n := range names {
		r.rep.Records = append(r.rep.Records, r.record(n))
	}
	r.teamsOnly()
	r.federation()
	r.mobile()
	r.onPremises()
	r.internalAfterSwitch()
	for i, f := range r.rep.Findings {
		// A record at the end of a sentence ends with the root's dot
		// already.
		fix := strings.ReplaceAll(f.Fix, ".. ", ". ")
		if strings.HasSuffix(fix, "..") {
			fix = fix[:len(fix)-1]
		}
		r.rep.Findings[i].Fix = fix
	}
	r.rep.Steps = r.k.Steps()
	return &r.rep
}

// record classifies one asked name.
func (r *report) record(n name) Record {
	l := r.byName[n.prefix]
	rec := Record{Name: l.Question.Name, Type: n.t, Role: n.role, AfterTeamsOnly: n.after, Answers: []string{}}
	rec.Answers = append(rec.Answers, l.Chain...)
	for _, x := range l.Records {
		rec.Answers = append(rec.Answers, x.String())
	}
	switch {
	case l.Status == engine.LookupAbsent && len(l.Chain) > 0:
		// An alias whose target has no record of the type asked here
		// (another zone's name, asked of a server that does not hold
		// it): the name exists, and leads where its chain ends.
		rec.Why = l.Why
	case l.Status == engine.LookupAbsent:
		rec.Points, rec.Why = PointsAbsent, l.Why
		return rec
	case l.Status == engine.LookupFailed:
		rec.Points, rec.Why = PointsUnknown, l.Why
		return rec
	}
	if n.t == engine.TypeSRV {
		for _, x := range l.Records {
			if x.Target != "." {
				rec.Targets = append(rec.Targets, fmt.Sprintf("%s:%d", x.Target, x.Port))
			}
		}
	} else if len(l.Chain) > 0 {
		rec.Targets = []string{l.End()}
	} else {
		for _, x := range l.Records {
			rec.Targets = append(rec.Targets, x.Addr.String())
		}
	}
	switch {
	case n.t != engine.TypeSRV && r.probe.Status == engine.LookupPresent && engine.SameAnswer(l, r.probe):
		rec.Points = PointsWildcard
	case len(rec.Targets) == 0:
		rec.Points = PointsAbsent // only "." targets: not offered
	case r.allTargets(rec.Targets, isMicrosoft365):
		rec.Points = PointsMicrosoft365
	case n.t != engine.TypeSRV && len(l.Chain) == 0, r.allTargets(rec.Targets, r.under):
		// A name with addresses of its own is the domain's own server.
		rec.Points = PointsOnPremises
	default:
		rec.Points = PointsElsewhere
	}
	return rec
}

// allTargets reports whether every target ("host" or "host:port")
// satisfies ok.
func (r *report) allTargets(targets []string, ok func(string) bool) bool {
	for _, t := range targets {
		host, _, _ := strings.Cut(t, ":")
		if !ok(host) {
			return false
		}
	}
	return true
}

// under reports whether host is the domain or a name under it.
func (r *report) under(host string) bool {
	return host == r.d || strings.HasSuffix(host, "."+r.d)
}

// isMicrosoft365 reports whether host is one of Microsoft 365's Skype for
// Business Online names (*.online.lync.com, and the *.infra.lync.com
// names they lead to).
func isMicrosoft365(host string) bool {
	return strings.HasSuffix(host, ".online.lync.com") || strings.HasSuffix(host, ".infra.lync.com")
}

// recordOf returns the report's record for prefix.
func (r *report) recordOf(prefix string) Record {
	for i, n := range names {
		if n.prefix == prefix {
			return r.rep.Records[i]
		}
	}
	panic("domainreport: no record " + prefix)
}

// CheckAll reports on every domain, up to concurrency of them at once, so
// that their rounds of questions overlap: many domains take about as many
// round trips as one. cfg returns each domain's Config. The reports are in
// the order of domains; the error is the first Check returned.
func CheckAll(ctx context.Context, domains []string, cfg func(d string) engine.Config, concurrency int) ([]*Report, error) {
	reports := make([]*Report, len(domains))
	errs := make([]error, len(domains))
	sem := make(chan struct{}, max(concurrency, 1))
	var wg sync.WaitGroup
	for i, d := range domains {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			reports[i], errs[i] = Check(ctx, d, cfg(d))
		})
	}
	wg.Wait()
	return reports, errors.Join(errs...)
}

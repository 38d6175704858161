//go:build !firstmodule

package templates

import (
	"strings"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
)

// DomainPath is the site path of the domain report page, served as
// /domain/. Its findings link one folder up, to the docs.
const DomainPath = "domain/index.html"

// DomainView is the domain report page: SIP domains, one per line, and
// the resolver to ask.
type DomainView struct {
	Page      Page
	Script    string
	Resolvers []Option
	// Resolver is the default resolver.
	Resolver   string
	MaxDomains int
	// Demos are example reports offered as links (sipdisco serve, where
	// this server's /dns-query answers for the demo domains): Address is
	// the domain, or the domains, a link reports on.
	Demos []Demo
}

// NewDomainView returns the domain report page for site offering the
// given resolvers (as the analyzer offers them) and a custom DoH URL;
// script is domain.js's URL.
func NewDomainView(site Site, resolvers []Resolver, script string) DomainView {
	def := ""
	if len(resolvers) > 0 {
		def = resolvers[0].URL
	}
	var opts []Option
	for _, r := range resolvers {
		opts = append(opts, Option{Value: r.URL, Label: r.Label})
	}
	opts = append(opts, Option{Value: check.CustomResolver, Label: "Custom DoH URL (below)"})
	return DomainView{
		Page: Page{Site: site, Title: "Domain report", Nav: "domain",
			Description: "Every record a SIP domain publishes for Microsoft's clients and federation: is it ready for Teams Only, and can partners federate with it?"},
		Script: script, Resolvers: opts, Resolver: def, MaxDomains: check.MaxDomains,
	}
}

// The gate's verdicts on the page (DomainReportView.Gate, the tenant's).
const (
	GateReady   = "ready"
	GateBlocked = "blocked"
	GateUnknown = "unknown"
)

// DomainResultView is the domain report of one or more domains: with
// several, a summary row per domain and the tenant's verdict first.
type DomainResultView struct {
	// Resolver says in words which resolver answered.
	Resolver string
	// Tenant is the gate's verdict for the tenant as a whole: blocked
	// when any domain blocks, else unknown when any is unknown, else
	// ready. TenantText says it in words.
	Tenant, TenantText string
	Domains            []DomainReportView
}

// Several reports whether the result has a summary table.
func (v DomainResultView) Several() bool { return len(v.Domains) > 1 }

// DomainReportView is one domain's report.
type DomainReportView struct {
	Domain string
	// ID is the element id of its section, "domain-N".
	ID string
	// View is "inside" or "outside", empty when unknown.
	View string
	// Gate is GateReady, GateBlocked or GateUnknown; GateText says it in
	// words, naming the blocking records.
	Gate, GateText string
	Blocking       []string
	// Federation is the outcome (domainreport.Federation*), FederationText
	// in words with the target.
	Federation, FederationText string
	Records                    []DomainRecordView
	Findings                   []DomainFindingView
}

// DomainRecordView is one record the report asked.
type DomainRecordView struct {
	Name, Type, Role string
	// Points is domainreport's word, PointsText in words.
	Points, PointsText string
	Targets            []string
	Answers            []string
	Why                string
}

// DomainFindingView is one finding with the records of its fix in zone
// file form.
type DomainFindingView struct {
	FindingView
	Records []string
	// PowerShell applies the records with Windows DNS's cmdlets
	// (fixPowerShell); empty without records.
	PowerShell string
}

// NewDomainResultView builds the page's result of reports, answered by the
// resolver doh (check.ParseSource's words).
func NewDomainResultView(reports []*domainreport.Report, doh string) DomainResultView {
	v := DomainResultView{Resolver: check.ResolverLabel(doh)}
	for i, r := range reports {
		d := newDomainReportView(r)
		d.ID = "domain-" + itoa(i+1)
		v.Domains = append(v.Domains, d)
	}
	v.Tenant, v.TenantText = TenantGate(reports)
	return v
}

// TenantGate is the Teams Only gate's verdict for the tenant whose SIP
// domains reports are (GateBlocked, GateUnknown or GateReady), and the
// sentence that says it: Microsoft's check fails the switch if the
// lyncdiscover record of any domain blocks it.
func TenantGate(reports []*domainreport.Report) (gate, text string) {
	var blocking, unknown []string
	for _, r := range reports {
		switch g, _ := gateOf(r); g {
		case GateBlocked:
			blocking = append(blocking, r.Domain)
		case GateUnknown:
			unknown = append(unknown, r.Domain)
		}
	}
	switch {
	case len(blocking) > 0:
		return GateBlocked, "Blocked: switching the tenant's users to Teams Only fails because of " + strings.Join(blocking, ", ") + "."
	case len(unknown) > 0:
		return GateUnknown, "Unknown: a lookup failed for " + strings.Join(unknown, ", ") + "."
	}
	return GateReady, "Ready: no domain's lyncdiscover record blocks the switch to Teams Only."
}

func newDomainReportView(r *domainreport.Report) DomainReportView {
	d := DomainReportView{Domain: r.Domain, View: string(r.View), Blocking: r.TeamsOnly.Blocking}
	d.Gate, d.GateText = gateOf(r)
	d.Federation = r.Federation.Outcome
	d.FederationText = federationText(r.Federation)
	for _, rec := range r.Records {
		d.Records = append(d.Records, DomainRecordView{Name: rec.Name, Type: rec.Type.String(), Role: rec.Role,
			Points: rec.Points, PointsText: pointsText(rec.Points), Targets: rec.Targets, Answers: rec.Answers, Why: rec.Why})
	}
	fvs := FindingViews(r.Findings)
	for i, f := range r.Findings {
		fv := DomainFindingView{FindingView: fvs[i]}
		for _, fr := range f.Records {
			fv.Records = append(fv.Records, fixLine(fr))
		}
		fv.PowerShell = fixPowerShell(r.Domain, f.Records)
		d.Findings = append(d.Findings, fv)
	}
	return d
}

// fixLine is a fix record as a line of a zone file, or what to delete.
func fixLine(r engine.FixRecord) string {
	s := r.String()
	if r.Action == engine.FixDelete {
		return "delete " + s
	}
	return s
}

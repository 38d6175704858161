package templates

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
)

// PlanPath is the site path of the plan page.
const PlanPath = "plan/index.html"

// PlanView is the plan page: the form a consultant fills in before any DNS
// exists, and the places the WebAssembly renders the plan and a
// certificate check into.
type PlanView struct {
	Page Page
	// Script is the URL of the page's loader (plan.js).
	Script   string
	Profiles []PlanProfile
}

// PlanProfile is one client profile checkbox of the plan form.
type PlanProfile struct {
	Name  string
	Title string
}

// NewPlanView returns the plan page for site; script is the URL of plan.js.
func NewPlanView(site Site, script string) PlanView {
	v := PlanView{
		Page: Page{Site: site, Title: "Plan a deployment", Nav: "plan",
			Description: "The DNS records and certificate names a Lync, Skype for Business or Office Communications Server deployment needs for automatic sign-in, checked against every client before any DNS exists."},
		Script: script,
	}
	for _, p := range engine.Profiles() {
		v.Profiles = append(v.Profiles, PlanProfile{Name: p.Name, Title: p.Title})
	}
	return v
}

// PlanResultView is a generated plan as the page shows it: one section per
// SIP domain (its discovery matrix and its internal and external zones side
// by side, a printed page each), then the zones of server names outside the
// SIP domains, the certificates and the notes.
type PlanResultView struct {
	Title   string
	Summary []Fact
	// Warnings are inputs planned as given that are probably not meant.
	Warnings []string
	Notes    []string
	// OK is true when every discovery check gave what the plan expects.
	OK      bool
	Checks  int
	Failed  int
	Domains []PlanDomainView
	Servers []PlanZoneView
	Certs   []plan.Certificate
	// CertHosts are the names the certificates must carry, offered to
	// the certificate check.
	CertHosts []string
	Profiles  []PlanProfile
	// PowerShell holds each view's commands; Downloads the files the
	// page offers (CSV, Markdown), by file name.
	PowerShell []PlanScriptView
	Downloads  []PlanDownload
	// Rules are the rule checks of plan.Verify (WithRules), RulesFailed
	// the number that fail.
	Rules       []PlanRuleView
	RulesFailed int
}

// PlanRuleView is one rule checked for one name.
type PlanRuleView struct {
	Rule    string
	View    string
	Name    string
	OK      bool
	Problem string
}

// WithRules returns v with the rule checks of plan.Verify: the failing
// ones listed, the count of the others, and OK false when any fails.
func (v PlanResultView) WithRules(rules []plan.RuleResult) PlanResultView {
	v.Rules = nil
	v.RulesFailed = 0
	for _, r := range rules {
		v.Rules = append(v.Rules, PlanRuleView{Rule: string(r.Rule), View: string(r.View), Name: r.Name, OK: r.OK, Problem: r.Problem})
		if !r.OK {
			v.RulesFailed++
			v.OK = false
		}
	}
	return v
}

// WithClients returns v with a matrix row, for each domain, for every
// client generation the plan does not require (check.PlanGlance): what it
// finds in each view's generated zones, marked unplanned and not
// counted among the checks, so that the matrix shows every client as a
// check's rows do.
func (v PlanResultView) WithClients(p *plan.Plan, clients []check.PlanClients) PlanResultView {
	domains := slices.Clone(v.Domains)
	for i := range domains {
		d := &domains[i]
		d.Matrix = slices.Clone(d.Matrix)
		rows := map[string]int{}
		for _, c := range clients {
			if c.Domain != d.Domain {
				continue
			}
			for _, r := range c.Unplanned(p) {
				j, ok := rows[r.Profile]
				if !ok {
					j = len(d.Matrix)
					rows[r.Profile] = j
					d.Matrix = append(d.Matrix, MatrixRow{Profile: r.Profile, Title: r.Title, Unplanned: true})
				}
				d.Matrix[j].Cells = append(d.Matrix[j].Cells, MatrixCell{View: string(c.View), Outcome: outcomeWord(r.Outcome), OutcomeLabel: outcomeWord(r.Outcome),
					Target: r.Target, OK: true, TestID: "cell-" + string(c.View) + "-" + d.Domain + "-" + r.Profile})
			}
		}
	}
	v.Domains = domains
	return v
}

// PlanDomainView is one SIP domain of a plan.
type PlanDomainView struct {
	Domain   string
	ID       string
	Matrix   []MatrixRow
	Internal PlanZoneView
	External PlanZoneView
	// PinPoint are the internal pin-point zones of a SIP domain the
	// internal DNS holds name by name (plan.Zone.PinPoint), shown in
	// place of Internal.
	PinPoint []PlanZoneView
}

// MatrixRow is one client profile's results in both views.
type MatrixRow struct {
	Profile string
	Title   string
	Cells   []MatrixCell
	// Unplanned marks a client the plan does not require: its cells say
	// what it finds in the same zones, not judged against the plan.
	Unplanned bool
}

// MatrixCell is one discovery run: a profile against one view's zones.
type MatrixCell struct {
	View         string
	Outcome      string
	OutcomeLabel string
	// Target is "host:port transport" when the outcome is connect.
	Target string
	// Want is what the plan expects, in the same form.
	Want    string
	OK      bool
	Problem string
	// Link opens the full report (a snapshot link, relative to the page).
	Link     string
	Findings []FindingView
	TestID   string
}

// PlanZoneView is one generated zone.
type PlanZoneView struct {
	View    string
	Origin  string
	Text    string
	Records int
	// File is the download name of Text; Analyze is the index of its
	// hand-off to the analyzer, -1 when the zone is not a SIP domain's.
	File    string
	Analyze int
}

// PlanScriptView is one view's PowerShell commands.
type PlanScriptView struct {
	View  string
	Title string
	// Where says where the script runs and where it must not.
	Where string
	Text  string
	File  string
}

// PlanDownload is one file the page offers.
type PlanDownload struct {
	File  string
	Label string
}

// viewTitle says in words where a view's records go.
func viewTitle(v plan.View) string {
	if v == plan.External {
		return "External (public) DNS"
	}
	return "Internal DNS"
}

// viewWordsOf is viewTitle of a view's name.
func viewWordsOf(v string) string { return viewTitle(plan.View(v)) }

func cellTarget(host string, port uint16, tr engine.Transport) string {
	if host == "" {
		return ""
	}
	return engine.Endpoint(host, port, tr)
}

// NewPlanResultView builds the view of p and its check results (from
// plan.DiscoverAll, view by view, then domain, then profile). links[i], when
// present, opens results[i]'s full report; analyze maps a view and zone
// origin to the index of its hand-off to the analyzer.
// domainOf returns the most specific of domains that name is or is under.
func domainOf(domains []string, name string) string {
	best := ""
	for _, d := range domains {
		if (name == d || strings.HasSuffix(name, "."+d)) && len(d) > len(best) {
			best = d
		}
	}
	return best
}

func NewPlanResultView(p *plan.Plan, results []plan.Result, links []string, analyze func(v plan.View, origin string) int) PlanResultView {
	in := p.Input
	v := PlanResultView{Title: "Plan for " + strings.Join(in.Domains, ", "), Warnings: p.Warnings, Notes: p.Notes, Certs: p.Certificates, CertHosts: CertHosts(p), OK: true}
	v.Summary = append(v.Summary, Fact{"Front End pool", in.Pool.FQDN})
	if in.Director.FQDN != "" {
		v.Summary = append(v.Summary, Fact{"Director", in.Director.FQDN})
	}
	if in.Edge.FQDN != "" {
		v.Summary = append(v.Summary, Fact{"Access Edge", fmt.Sprintf("%s port %d", in.Edge.FQDN, in.EdgePort)})
	} else {
		v.Summary = append(v.Summary, Fact{"Access Edge", "none (no external access)"})
	}
	v.Summary = append(v.Summary,
		Fact{"Naming", onOff(in.StrictNaming, "strict (Communicator's EnableStrictDNSNaming; for Lync and Skype for Business, a policy requiring strict DNS matching)", "loose (every client's default)")},
		Fact{"TCP", onOff(in.AllowTCP, "allowed", "not allowed")})
	for _, prof := range p.Profiles() {
		v.Profiles = append(v.Profiles, PlanProfile{Name: prof.Name, Title: prof.Title})
	}

	zone := func(view plan.View, z plan.Zone) PlanZoneView {
		zv := PlanZoneView{View: string(view), Origin: z.Origin, Records: len(z.Records), File: check.PlanZoneFile(view, z.Origin), Analyze: -1}
		zv.Text = plan.BIND(view, z, in.TTL)
		if analyze != nil {
			zv.Analyze = analyze(view, z.Origin)
		}
		return zv
	}
	isDomain := map[string]bool{}
	for _, d := range in.Domains {
		isDomain[d] = true
	}
	byDomain := map[string]*PlanDomainView{}
	for _, d := range in.Domains {
		v.Domains = append(v.Domains, PlanDomainView{Domain: d, ID: "plan-" + d})
	}
	for i := range v.Domains {
		byDomain[v.Domains[i].Domain] = &v.Domains[i]
	}
	for _, view := range []plan.View{plan.Internal, plan.External} {
		for _, z := range p.View(view).Zones {
			zv := zone(view, z)
			dv := byDomain[z.Origin]
			if z.PinPoint {
				if d := domainOf(in.Domains, z.Origin); d != "" {
					byDomain[d].PinPoint = append(byDomain[d].PinPoint, zv)
					continue
				}
			}
			switch {
			case dv == nil:
				if zv.Records > 0 {
					v.Servers = append(v.Servers, zv)
				}
			case view == plan.Internal:
				dv.Internal = zv
			default:
				dv.External = zv
			}
		}
	}

	// The matrix: a row per profile, a cell per view, for each domain.
	type key struct{ domain, profile string }
	rows := map[key]*MatrixRow{}
	for i := range v.Domains {
		dv := &v.Domains[i]
		for _, prof := range p.Profiles() {
			dv.Matrix = append(dv.Matrix, MatrixRow{Profile: prof.Name, Title: prof.Title})
		}
		for j := range dv.Matrix {
			rows[key{dv.Domain, dv.Matrix[j].Profile}] = &dv.Matrix[j]
		}
	}
	for i, r := range results {
		row := rows[key{r.Domain, r.Profile}]
		if row == nil {
			continue
		}
		c := MatrixCell{View: string(r.View), Outcome: string(r.Outcome), OK: r.OK, Problem: r.Problem,
			Want:   cellTarget(r.Want.Host, r.Want.Port, r.Want.Transport),
			TestID: "cell-" + string(r.View) + "-" + r.Domain + "-" + r.Profile}
		c.OutcomeLabel = outcomeWord(r.Outcome)
		if r.Target != nil {
			c.Target = cellTarget(r.Target.Host, r.Target.Port, r.Target.Transport)
		}
		if r.Want.Outcome != engine.OutcomeConnect {
			c.Want = "no connection (" + string(r.Want.Outcome) + ")"
		}
		if i < len(links) {
			c.Link = links[i]
		}
		if r.Report != nil {
			c.Findings = FindingViews(r.Report.Findings)
		}
		row.Cells = append(row.Cells, c)
		v.Checks++
		if !r.OK {
			v.Failed++
			v.OK = false
		}
	}

	for _, view := range []plan.View{plan.Internal, plan.External} {
		if len(p.View(view).Records()) == 0 {
			continue
		}
		v.PowerShell = append(v.PowerShell, PlanScriptView{View: string(view), Title: viewTitle(view), Where: scriptWhere(view), Text: plan.PowerShell(p.View(view)), File: check.PlanScriptFile(view)})
	}
	v.Downloads = []PlanDownload{
		{check.PlanCSVFile, "Records (CSV)"},
		{check.PlanCertificatesFile, "Certificate names (CSV)"},
		{check.PlanMarkdownFile, "Plan (Markdown)"},
	}
	return v
}

// scriptWhere says where view's script runs and where it must not.
func scriptWhere(v plan.View) string {
	if v == plan.External {
		return "Run only on a Windows DNS server that answers the Internet for these zones (or publish the same records at your DNS host). Never on the internal DNS: internal clients would find the Access Edge's public address."
	}
	return "Run on a server of the internal (Active Directory) DNS. Never on a DNS server that answers the Internet: it would publish internal names and addresses."
}

func outcomeWord(o engine.Outcome) string {
	switch o {
	case engine.OutcomeConnect:
		return "connect"
	case engine.OutcomeFail:
		return "fail"
	}
	return "indeterminate"
}

// CertCheckView is the verdict on a pasted certificate for one host name.
type CertCheckView struct {
	Host     string
	OK       bool
	Covered  bool
	Verdict  string
	By       string
	Validity string
	Valid    bool
	// KeyUsage and ExtKeyUsage list the server certificate's usages;
	// ServerAuth says whether they allow a TLS server.
	KeyUsage    string
	ExtKeyUsage string
	ServerAuth  bool
	Chain       []CertSummaryView
	Findings    []FindingView
}

// CertSummaryView is one certificate of the chain.
type CertSummaryView struct {
	Subject   string
	Issuer    string
	Names     string
	NotBefore string
	NotAfter  string
	PublicKey string
}

// CertHosts returns the names a plan's certificates must carry, for the
// certificate check's host list: each server's names in order, once.
func CertHosts(p *plan.Plan) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range p.Certificates {
		for _, n := range c.Names {
			if !seen[n.Name] {
				seen[n.Name] = true
				out = append(out, n.Name)
			}
		}
	}
	return out
}

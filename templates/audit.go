package templates

import (
	"github.com/sipdisco/sipdisco/engine"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/check"
)

// AuditPath is the site path of the batch audit page, served as /audit/.
// Its rows link one folder up, to the analyzer ("../?uri=…").
const AuditPath = "audit/index.html"

// AuditView is the batch audit page: a pasted list of addresses checked
// with one client policy through one resolver.
type AuditView struct {
	Page      Page
	Script    string
	Profiles  []Option
	Resolvers []Option
	// Resolver is the default resolver.
	Resolver string
	MaxLines int
}

// NewAuditView returns the batch audit page for site offering the given
// resolvers (as the analyzer offers them); script is audit.js's URL.
func NewAuditView(site Site, resolvers []Resolver, script string) AuditView {
	def := ""
	if len(resolvers) > 0 {
		def = resolvers[0].URL
	}
	return AuditView{
		Page: Page{Site: site, Title: "Batch audit", Nav: "audit",
			Description: "Many sign-in addresses at once: which server each would find, as a table with CSV and JSON downloads."},
		Script: script, Profiles: profileOptions(), Resolvers: resolverOptions(resolvers), Resolver: def, MaxLines: check.AuditMaxLines,
	}
}

// AuditResultView is a finished batch audit: a row per line in input
// order and the summary line.
type AuditResultView struct {
	Rows    []AuditRowView
	Summary audit.Summary
	// Resolver says in words which resolver answered.
	Resolver string
	// ZoneLinks: the rows link to snapshots, since a planned zone is not
	// put in links.
	ZoneLinks bool
}

// AuditRowView is one line of the list.
type AuditRowView struct {
	Line    int
	Address string
	Outcome string
	// State is the address's state (audit.Row.State): the cell says
	// "with problems" beside a connect that has them.
	State string
	// Target is "host:port transport", empty without one.
	Target string
	// Error is the first error finding ("kind: message"), or why the line
	// is not an address.
	Error string
	// Link opens the address's full report in the analyzer.
	Link string
	Bad  bool
	// Clients are every client generation's outcome at a glance, from
	// the same answers (audit.Row.Clients); empty for a bad line.
	Clients []AuditClientView
}

// AuditClientView is one client generation's outcome for an address:
// the client, its outcome ("connect", "fail", "indeterminate") and,
// when it connects, where ("host:port transport"); Chosen marks the
// audit's own client, whose outcome the row's Outcome is.
type AuditClientView struct {
	Title, Outcome, Target string
	Chosen                 bool
}

// NewAuditResultView builds the result of rows; links[i] is row i's link
// to its full report ("" for none); doh is the resolver used.
func NewAuditResultView(rows []audit.Row, links []string, sum audit.Summary, doh string) AuditResultView {
	v := AuditResultView{Summary: sum, Resolver: check.ResolverLabel(doh), ZoneLinks: doh == check.ResolverZone}
	for i, r := range rows {
		rv := AuditRowView{Line: r.Line, Address: r.Address, Outcome: r.Outcome, State: r.State, Error: r.Error, Bad: r.Outcome == audit.OutcomeBadInput}
		if r.Target != "" {
			rv.Target = engine.Endpoint(r.Target, r.Port, engine.Transport(r.Transport))
		}
		if i < len(links) && !rv.Bad {
			rv.Link = links[i]
		}
		for _, c := range r.Clients {
			rv.Clients = append(rv.Clients, AuditClientView{Title: c.Title, Outcome: outcomeWord(c.Outcome), Target: c.Target, Chosen: c.Profile == r.Profile})
		}
		v.Rows = append(v.Rows, rv)
	}
	return v
}

package templates

import "github.com/sipdisco/sipdisco/engine"

// FindingDoc explains one kind of finding on the docs pages.
type FindingDoc struct {
	Kind     string
	Severity string // the usual severity
	Title    string
	Meaning  string
	Fix      string
}

// FindingsView is the docs page explaining every finding kind.
type FindingsView struct {
	Page     Page
	Findings []FindingDoc
}

// NewFindingsView returns the findings docs page: every kind the engine
// declares (engine.KindDocs), in its order.
func NewFindingsView(site Site) FindingsView {
	v := FindingsView{Page: Page{Site: site, Title: "What each finding means", Nav: "docs",
		Description: "Every finding sipdisco reports, what it means and how to fix it."}}
	for _, d := range engine.KindDocs() {
		v.Findings = append(v.Findings, FindingDoc{Kind: string(d.Kind), Severity: string(d.Severity), Title: d.Title, Meaning: d.Meaning, Fix: d.Fix})
	}
	return v
}

// FindingsPath is the site path of the findings page.
const FindingsPath = "docs/findings.html"

// RecordsPath is the site path of the page on what each DNS record is
// for (RecordsPage).
const RecordsPath = "docs/records.html"

//go:build !firstmodule

package templates

import "github.com/sipdisco/sipdisco/domainreport"

// RecordsView is the docs page on every DNS record a SIP domain
// publishes for Microsoft's SIP clients and federation: what each is for
// and what becomes of it after Teams Only, from the domain report's own
// catalog (domainreport.Catalog), so that the page and the report say the
// same.
type RecordsView struct {
	Page    Page
	Records []RecordDoc
	// Sources are every document the records cite, once each.
	Sources []Link
}

// RecordDoc is one row of the records page.
type RecordDoc struct {
	// Name is the record's name under ExampleDomain.
	Name, Type, Where, Role, After string
	// Sources are the documents this record cites.
	Sources []Link
}

// NewRecordsView returns the records page.
func NewRecordsView(site Site) RecordsView {
	v := RecordsView{Page: Page{Site: site, Title: "What each DNS record is for", Nav: "docs",
		Description: "Every DNS record a SIP domain publishes for Lync, Skype for Business and federation: what it is for, who uses it, and what to do with it after Teams Only."}}
	seen := map[string]bool{}
	for _, e := range domainreport.Catalog() {
		d := RecordDoc{Name: e.Name + "." + ExampleDomain, Type: e.Type.String(), Role: capitalize(e.Role), After: e.AfterTeamsOnly, Where: "public DNS"}
		if e.Type.String() == "A" {
			d.Type = "A or CNAME"
		}
		switch {
		case e.Internal:
			d.Where = "internal DNS"
		case e.Name == "sip":
			// The pool inside, the Access Edge outside (split-brain
			// DNS, "DNS requirements for Skype for Business Server").
			d.Where = "public and internal DNS"
		}
		for _, s := range e.Sources {
			d.Sources = append(d.Sources, Link{Title: s.Title, URL: s.URL})
			if !seen[s.URL] {
				seen[s.URL] = true
				v.Sources = append(v.Sources, Link{Title: s.Title, URL: s.URL})
			}
		}
		v.Records = append(v.Records, d)
	}
	return v
}

package templates

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
)

// LinkView is a link the page offers: its words and its address.
type LinkView struct {
	Label string
	Href  string
}

// plainWhy says in plain words why the lookup s failed, for the banner;
// the DNS questions section keeps the resolver's own error. A REFUSED
// from this site's /dns-query is sipdisco serve answering only its demo
// zones (dohclient/server).
func plainWhy(s engine.Step, r *engine.Report, local bool) string {
	local = local || r.Resolver != nil && r.Resolver.Kind == engine.ResolverLocal
	switch e := s.Error; {
	case e == "" && s.RCode == engine.RCodeRefused && local:
		return "this server's DNS answers only the demo domains (.example), not " + r.Domain
	case e == "" && s.RCode == engine.RCodeRefused:
		return "the DNS resolver refused to answer for " + r.Domain
	case e == "":
		return "the DNS resolver answered " + s.RCode.String()
	case strings.HasPrefix(e, "no response from"), strings.Contains(e, "fetch"):
		return "the page could not reach the DNS resolver: this computer may be offline, or the resolver does not accept questions from this page"
	case strings.Contains(e, "packing the query"):
		return "the name cannot be asked in DNS (a label over 63 characters, or a name over 255)"
	case strings.Contains(e, "deadline") || strings.Contains(e, "timeout") || strings.Contains(e, "timed out"):
		return "the DNS resolver did not answer in time"
	}
	return "the DNS resolver gave no usable answer"
}

// choices are the checks that would answer where the report's resolver
// could not: the same link with each public resolver it did not use.
// Only a report with a live link has them.
func choices(share string, r *engine.Report) []LinkView {
	path, raw, ok := strings.Cut(share, "?")
	if !ok {
		return nil
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil
	}
	var out []LinkView
	for _, p := range check.PublicResolvers {
		if p.URL == q.Get("doh") {
			continue
		}
		q.Set("doh", p.URL)
		out = append(out, LinkView{Label: "Check with " + p.Label, Href: path + "?" + q.Encode()})
	}
	return out
}

// setGuidance sets, for a report whose result a failed lookup hides, the
// checks that would answer: the same link with a public resolver, and
// (ServeHint) sipdisco serve --upstream system. A snapshot has none: its
// answers are recorded, not asked. resolver is the check's, as a link
// names it: the page's reports do not carry it.
func (v *ReportView) setGuidance(r *engine.Report, resolver string) {
	if r.Outcome != engine.OutcomeIndeterminate {
		return
	}
	s, ok := failedStep(r)
	if !ok {
		return
	}
	if resolver == check.ResolverLocal {
		_, _, v.Explanation = headline(r, true)
	}
	if v.TakenAt != "" || s.Error == "" && s.RCode != engine.RCodeRefused {
		return // a SERVFAIL is the domain's DNS: another resolver says the same
	}
	v.Choices = choices(v.ShareLink, r)
	v.ServeHint = true
}

// MatrixGaveUp is the one line a matrix page shows for a column it gave
// up on: its resolver failed every question of the first check of each
// of firsts' addresses alike (check.OneFailure, the same failure for
// each), so that column's other checks of those addresses were not
// asked and show unknown. column names the column ("B: Cloudflare"), of
// is how many addresses the page has, and local says the column's
// resolver is this site's /dns-query (plainWhy).
func MatrixGaveUp(column string, firsts []*engine.Report, of int, local bool) string {
	if len(firsts) == 0 {
		return ""
	}
	s, _ := failedStep(firsts[0])
	// The words name the domain a refusal was for: each of them.
	r := *firsts[0]
	var addrs, domains []string
	for _, f := range firsts {
		addrs = append(addrs, strings.TrimPrefix(f.URI, "sip:"))
		if !slices.Contains(domains, f.Domain) {
			domains = append(domains, f.Domain)
		}
	}
	r.Domain = orList(domains)
	why := plainWhy(s, &r, local)
	switch {
	case of == 1:
		return fmt.Sprintf("%s: all %d DNS questions of the first check failed: %s. Every check of this column is unknown; the others were not asked.", column, len(firsts[0].Steps), why)
	case len(firsts) == of:
		return fmt.Sprintf("%s: every DNS question of the first check of each of the %d addresses failed: %s. Every check of this column is unknown; the others were not asked.", column, of, why)
	}
	return fmt.Sprintf("%s: every DNS question of the first check of %s failed: %s. Their checks in this column are unknown; the others were not asked.", column, joinShortened(addrs), why)
}

// orList is names joined with commas and a final "or".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

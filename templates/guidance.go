package templates

import (
	"net/url"
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

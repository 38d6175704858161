package check

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// MaxDomains bounds the domains of one domain report page: each is one
// round of about sixteen questions and a second of a few.
const MaxDomains = 20

// DomainOptions are the inputs of the domain report page: the SIP domains,
// one per line as typed, and the resolver every one is asked through (a
// DoH URL or ResolverLocal). Its link is "?domains=A+B&doh=…".
type DomainOptions struct {
	// Domains are the lines of the form's box: blank lines and #
	// comments are skipped (see List).
	Domains []string `json:"domains"`
	DoH     string   `json:"doh"`
}

// List returns the domains to report on, normalized (engine.NormalizeDomain),
// in the order given and without repeats. A line that is not a domain is an
// error naming its line; so are no domains and more than MaxDomains.
func (v DomainOptions) List() ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for i, line := range v.Domains {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		d, err := engine.NormalizeDomain(line)
		if err != nil {
			return nil, fmt.Errorf("domains, line %d: %q is not a domain: %v", i+1, line, err)
		}
		if seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, d)
		if len(out) > MaxDomains {
			return nil, fmt.Errorf("domains, line %d: the page reports on at most %d domains at once; the command line takes more (sipdisco domain)", i+1, MaxDomains)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("give at least one SIP domain, one per line")
	}
	return out, nil
}

// Options returns the resolver choice of v as check Options, for building
// the resolver and saying which view its answers are.
func (v DomainOptions) Options() Options {
	o := Defaults()
	o.Resolver = ParseSource(strings.TrimSpace(v.DoH))
	return o
}

// Query returns v as the domain page's link: "?domains=A+B&doh=…", the
// domains as List returns them (the lines as typed when List fails).
func (v DomainOptions) Query() string {
	ds, err := v.List()
	if err != nil {
		ds = nil
		for _, l := range v.Domains {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				ds = append(ds, l)
			}
		}
	}
	q := "?domains=" + url.QueryEscape(strings.Join(ds, " "))
	if v.DoH != "" {
		q += "&doh=" + url.QueryEscape(v.DoH)
	}
	return q
}

// ParseDomainQuery reads the domain page's link. ok is false when it names
// no domain; a link whose domains or resolver cannot be used is an error.
// A link without doh= leaves DoH empty: the page asks its default
// resolver.
func ParseDomainQuery(raw string) (v DomainOptions, ok bool, err error) {
	q, err := url.ParseQuery(strings.TrimPrefix(raw, "?"))
	if err != nil {
		return DomainOptions{}, false, fmt.Errorf("the link's query is damaged: %v", err)
	}
	ds := strings.Fields(q.Get("domains"))
	if len(ds) == 0 {
		return DomainOptions{}, false, nil
	}
	v = DomainOptions{Domains: ds, DoH: q.Get("doh")}
	if _, err := v.List(); err != nil {
		return DomainOptions{}, false, fmt.Errorf("the link's domains: %v", err)
	}
	switch s := ParseSource(v.DoH); s.Kind {
	case SourceDefault, SourceLocal, SourceUpstream, SourceDoH:
	default:
		return DomainOptions{}, false, fmt.Errorf("the link's resolver %q is not one the domain report can ask; want a DoH URL or %q", v.DoH, ResolverLocal)
	}
	return v, true, nil
}

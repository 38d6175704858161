package templates

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// ExampleDomain is the domain the docs pages use in example records.
const ExampleDomain = "contoso.com"

// Link is a titled URL.
type Link struct {
	Title string
	URL   string
}

// ProfileDoc is the docs page of one client profile, built from the
// engine's profile data so that the page cannot drift from the code.
type ProfileDoc struct {
	Page    Page
	Name    string
	Title   string
	Summary string
	Default bool
	Sources []Link
	Notes   []string
	// Steps is the client's discovery walk as numbered sentences.
	Steps []string
	// SRV lists the SRV names asked, in asking order.
	SRV []SRVRow
	// Fallback lists the host-record fallback names in order.
	Fallback []string
	Naming   string
	// Records are example zone lines to publish for ExampleDomain.
	Records []string
	Href    string
}

// SRVRow is one SRV name a profile asks for.
type SRVRow struct {
	Name      string
	Transport string
	Port      string
	Purpose   string
	When      string
}

// DocsIndex is the docs landing page.
type DocsIndex struct {
	Page     Page
	Profiles []ProfileDoc
}

// ProfileDocPath returns the site path of profile name's docs page.
func ProfileDocPath(name string) string { return "docs/" + name + ".html" }

// NewProfileDoc returns the docs page of p.
func NewProfileDoc(site Site, p *engine.Profile) ProfileDoc {
	d := ProfileDoc{
		Page: Page{Site: site, Title: p.Title + " — how it finds its server", Nav: "docs",
			Description: p.Summary},
		Name: p.Name, Title: p.Title, Summary: p.Summary, Default: p.Name == engine.DefaultProfile,
		Notes: p.Notes, Href: site.Href(ProfileDocPath(p.Name)),
	}
	for _, s := range p.Sources {
		d.Sources = append(d.Sources, Link{Title: s.Title, URL: s.URL})
	}
	D := ExampleDomain
	for _, s := range p.SRV {
		row := SRVRow{Name: s.Service + "." + D, Transport: string(s.Transport),
			Port: port(s.Transport.DefaultPort()), Purpose: s.Purpose, When: "always"}
		if s.NeedsTCP {
			row.When = "only when TCP is allowed"
		}
		d.SRV = append(d.SRV, row)
	}
	for _, f := range p.Fallback {
		ports := make([]string, len(f.Ports))
		for i, pt := range f.Ports {
			ports[i] = port(pt)
		}
		d.Fallback = append(d.Fallback, fmt.Sprintf("%s.%s (TLS %s)", f.Prefix, D, strings.Join(ports, ", then ")))
	}
	switch p.Naming {
	case engine.NamingTrustModel:
		d.Naming = "Trust model: a server outside the sign-in domain is not refused; unless its domain is trusted (the sign-in domain, TrustModelData, domains the user chose to trust) the user is asked whether to trust it. Strict naming, when set, refuses anything but " + D + " and sip." + D + "."
	default:
		d.Naming = "Strict naming (EnableStrictDNSNaming) allows only " + D + " and sip." + D + "; loose naming, the default, allows " + D + " and any name under it on a label boundary (sip." + D + ", pool01." + D + "). Names in another namespace, such as sip." + D + ".net or sip.other.com, are never allowed."
	}

	step := 1
	say := func(format string, args ...any) {
		d.Steps = append(d.Steps, fmt.Sprintf(format, args...))
		step++
	}
	if len(p.Autodiscover) > 0 {
		names := make([]string, len(p.Autodiscover))
		for i, a := range p.Autodiscover {
			names[i] = a + "." + D
		}
		say("Looks up the autodiscover names %s, in that order, continuing past one that fails. (sipdisco checks their DNS only; it does not fetch the web service.)", strings.Join(names, " then "))
	}
	srvNames := make([]string, len(d.SRV))
	for i, s := range d.SRV {
		srvNames[i] = s.Name
	}
	say("Asks for the SRV records %s at the same time (the TCP name only when policy allows TCP).", strings.Join(srvNames, ", "))
	order := p.TryOrder()
	tries := make([]string, len(order))
	for i, s := range order {
		tries[i] = s.Service + "." + D
	}
	say("Tries the targets in this order: %s; within one name, lowest priority first, weighted at random within a priority (RFC 2782).", strings.Join(tries, ", then "))
	say("Checks every SRV target against its naming rule and skips the ones refused; a target must also resolve to an address.")
	say("Falls back to host records only when none of the SRV names has any record at all. If an SRV record exists but no target is usable, it stops: there is no fallback.")
	if len(d.Fallback) > 0 {
		say("Fallback hosts, in order: %s.", strings.Join(d.Fallback, "; "))
	}
	say("Manually configured servers replace all of this: the internal server is tried first, then the external one.")

	d.Records = []string{
		"; internal clients (split-brain DNS: publish in the internal zone)",
		"_sipinternaltls._tcp." + D + ". 3600 IN SRV 0 0 5061 pool01." + D + ".",
		"pool01." + D + ". 3600 IN A 10.0.0.10",
		"; external clients (publish in the public zone)",
		"_sip._tls." + D + ". 3600 IN SRV 0 0 443 sip." + D + ".",
		"sip." + D + ". 3600 IN A 203.0.113.10",
	}
	if len(p.Autodiscover) > 0 {
		d.Records = append(d.Records,
			"; autodiscover (Lync 2013 and later)",
			"lyncdiscoverinternal."+D+". 3600 IN A 10.0.0.20",
			"lyncdiscover."+D+". 3600 IN CNAME webext."+D+".")
	}
	return d
}

// NewDocsIndex returns the docs landing page listing every profile.
func NewDocsIndex(site Site) DocsIndex {
	v := DocsIndex{Page: Page{Site: site, Title: "How Microsoft SIP clients find their server", Nav: "docs",
		Description: "Client-by-client discovery rules of Office Communicator, Lync and Skype for Business, generated from sipdisco's profile data."}}
	for _, p := range engine.Profiles() {
		v.Profiles = append(v.Profiles, NewProfileDoc(site, p))
	}
	return v
}

// AboutView is the about and privacy page.
type AboutView struct {
	Page Page
	// Resolvers are the DNS-over-HTTPS endpoints the page may contact.
	Resolvers []Resolver
}

// NewAboutView returns the about page.
func NewAboutView(site Site, resolvers []Resolver) AboutView {
	return AboutView{Page: Page{Site: site, Title: "About and privacy", Nav: "about",
		Description: "What sipdisco does with your input: it stays in your browser."}, Resolvers: resolvers}
}

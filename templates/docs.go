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
	// Fallback lists the host-record fallback names in order, with the
	// ports and transports tried.
	Fallback []string
	// FallbackWhen says when the client reaches the host records.
	FallbackWhen string
	Naming       string
	// Records are example zone lines to publish for ExampleDomain.
	Records []string
	Href    string
	// GlossaryHref links the glossary on the docs index.
	GlossaryHref string
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
	// Compare sets the clients side by side, one row per difference.
	Compare CompareTable
	// Misunderstood names the clients that stop at the SRV records and
	// those that go on, for "the rule most often misunderstood".
	StopClients, ContinueClients string
	// Glossary explains the words the reports and pages use.
	Glossary []GlossaryEntry
}

// CompareTable is the side-by-side comparison of the clients.
type CompareTable struct {
	Clients []Link
	Rows    []CompareRow
}

// CompareRow is one property of every client, in Clients order.
type CompareRow struct {
	Property string
	Values   []string
}

// GlossaryEntry is one word a report uses, explained for a help desk.
type GlossaryEntry struct {
	// ID is the entry's fragment on the docs index: "glossary-nodata".
	ID      string
	Term    string
	Meaning string
}

// GlossaryPath is the docs index's glossary, for links from other pages.
const GlossaryPath = "docs/#glossary"

// glossary explains the jargon of findings and pages in plain words.
var glossary = []GlossaryEntry{
	{"glossary-srv", "SRV record", "A DNS record that names the server offering a service for a domain, and its port: _sipinternaltls._tcp.contoso.com says which server internal clients sign in to over TLS (RFC 2782)."},
	{"glossary-host-record", "Host record (A, AAAA)", "A DNS record giving a name's address: A for IPv4, AAAA for IPv6. A client can connect only to a name that has one."},
	{"glossary-cname", "CNAME (alias)", "A DNS record saying a name is another name's alias; the client follows it to the address. An SRV target must not be an alias (RFC 2782)."},
	{"glossary-fallback", "Host-record fallback", "The client's last resort: names it builds itself from the sign-in domain, such as sipinternal.<domain>. Which names, and whether the client tries them after SRV records that do not work or only when none exists, depends on the client: see its page."},
	{"glossary-strict", "Strict and loose naming", "Which server names the client accepts from DNS. Strict: only the sign-in domain itself and sip.<domain>. Loose: any name under the domain. Office Communicator is loose unless EnableStrictDNSNaming is set. Lync and Skype for Business accept any name under the domain, as Microsoft's deployment documents publish it (gg425884); strict naming, the DisableStrictDNSNaming policy text's reading, applies only where a policy requires strict DNS matching, and only over TLS."},
	{"glossary-label-boundary", "Label boundary", "A dot between two parts of a name. pool01.contoso.com is under contoso.com because a dot comes before \"contoso.com\"; pool01contoso.com is not, though it ends with the same letters."},
	{"glossary-namespace", "Namespace", "A domain and every name under it: contoso.com, sip.contoso.com and pool01.eu.contoso.com are in contoso.com's namespace; contoso.com.evil.net is not."},
	{"glossary-trust-prompt", "Trust prompt", "Lync's question \"cannot verify that the server is trusted for your sign-in address\", shown for a discovered server outside the trusted domains (the sign-in domain, TrustModelData and domains the user chose to trust)."},
	{"glossary-nxdomain", "NXDOMAIN", "A DNS answer meaning the name does not exist at all."},
	{"glossary-nodata", "NODATA", "A DNS answer meaning the name exists but has no record of the type asked (for example a name with an AAAA record but no A record)."},
	{"glossary-servfail", "SERVFAIL, REFUSED", "DNS answers meaning the server could not answer (SERVFAIL: often broken DNSSEC or unreachable authoritative servers) or would not (REFUSED). Neither says whether the record exists."},
	{"glossary-indeterminate", "Indeterminate", "A result that is neither connect nor fail: a DNS lookup failed, so sipdisco cannot know what the client would do. (Where only the autodiscover web service leads anywhere, the result is a predicted connect, not indeterminate.)"},
	{"glossary-state", "Signs in, with problems", "The verdict at the top of a report, one of four. Signs in: the client connects and nothing is wrong. Signs in, with problems: it connects, but an error or warning a user or administrator will meet is present (unencrypted TCP, a trust prompt, a refused server, a wildcard, a leaked internal name, a simulated sign-in that fails) — the first is named, with a link to it. Does not sign in: the client finds no server it may use. Unknown: a lookup failed (indeterminate). A few warnings are notes and do not count, such as a lookup that does not change the result; sipdisco check exits 5 for signs in, with problems."},
	{"glossary-access-edge", "Access Edge", "The Edge Server role that lets clients outside the network sign in. Clients reach it over TLS on port 443; port 5061 on it is for federation with other organizations."},
	{"glossary-pool", "Pool, Director", "The servers clients sign in to inside the network: a Front End pool (or Standard Edition server) homes users; a Director authenticates them and redirects them to their pool."},
	{"glossary-autodiscover", "Autodiscover", "Lync's web service (lyncdiscoverinternal.<domain> inside, lyncdiscover.<domain> outside) that tells a client the web services of the user's home pool. sipdisco checks its DNS names only."},
	{"glossary-split-brain", "Split-brain DNS", "The same domain answered differently inside the network (internal DNS) and on the Internet (public DNS); a check shows the view of the DNS it asked."},
}

// ProfileDocPath returns the site path of profile name's docs page.
func ProfileDocPath(name string) string { return "docs/" + name + ".html" }

// NewProfileDoc returns the docs page of p.
func NewProfileDoc(site Site, p *engine.Profile) ProfileDoc {
	d := ProfileDoc{
		Page: Page{Site: site, Title: p.Title + " — how it finds its server", Nav: "docs",
			Description: p.Summary},
		Name: p.Name, Title: p.Title, Summary: p.Summary, Default: p.Name == engine.DefaultProfile,
		Notes: p.Notes(), Href: site.Href(ProfileDocPath(p.Name)), GlossaryHref: site.Href(GlossaryPath),
	}
	for _, s := range p.Sources() {
		d.Sources = append(d.Sources, Link{Title: s.Title, URL: s.URL})
	}
	D := ExampleDomain
	for _, s := range p.SRV {
		row := SRVRow{Name: s.Service + "." + D, Transport: string(s.Transport),
			Port: port(s.Port), Purpose: s.Purpose, When: "always"}
		switch {
		case s.NeedsTCP && !p.ClientTCP:
			row.When = "only when TCP is allowed; a record there is reported, never used (the pool takes clients on TLS 5061 only)"
		case s.NeedsTCP:
			row.When = "only when TCP is allowed"
		}
		d.SRV = append(d.SRV, row)
	}
	d.Fallback = fallbackNames(p, D)
	d.FallbackWhen = "Only when none of the SRV names above has any record:"
	if p.Persistence == engine.ContinueUntilOneWorks {
		d.FallbackWhen = "After the SRV records, whenever none of their targets works (and when none exists):"
	}
	d.Naming = namingText(p, D)

	say := func(format string, args ...any) { d.Steps = append(d.Steps, fmt.Sprintf(format, args...)) }
	if len(p.Autodiscover) > 0 {
		names := make([]string, len(p.Autodiscover))
		for i, a := range p.Autodiscover {
			names[i] = a + "." + D
		}
		say("Looks up the autodiscover names %s, in that order, continuing past one that fails, and asks the web service there for the user's home pool. (Without --connect sipdisco checks their DNS and predicts the answer; sipdisco check --connect asks the web service without credentials.)", strings.Join(names, " then "))
	}
	srvNames := make([]string, len(d.SRV))
	for i, s := range d.SRV {
		srvNames[i] = s.Name
	}
	say("Asks for the SRV records %s at the same time (the TCP names only when policy allows TCP).", strings.Join(srvNames, ", "))
	order := p.TryOrder()
	tries := make([]string, len(order))
	for i, s := range order {
		tries[i] = s.Service + "." + D
	}
	say("Tries the targets in this order: %s; within one name, lowest priority first, weighted at random within a priority (RFC 2782).", strings.Join(tries, ", then "))
	say("Checks every SRV target against its naming rule and skips the ones refused; a target must also resolve to an address (%s).", families(p))
	if p.Persistence == engine.ContinueUntilOneWorks {
		say("Keeps going past a record that does not work: after the SRV targets it tries the host records, until one works or the list is exhausted.")
	} else {
		say("Falls back to host records only when none of the SRV names has any record at all. If an SRV record exists but no target is usable, it stops: there is no fallback.")
	}
	if len(d.Fallback) > 0 {
		say("Host records, in order: %s.", strings.Join(d.Fallback, "; "))
	}
	say("Manually configured servers replace all of this: the internal server is tried first, then the external one.")

	d.Records = []string{
		"; internal DNS (split-brain: the internal zone)",
		"_sipinternaltls._tcp." + D + ". 3600 IN SRV 0 0 5061 pool01." + D + ".",
		"pool01." + D + ". 3600 IN A 10.0.0.10",
	}
	if len(p.Autodiscover) > 0 {
		d.Records = append(d.Records, "lyncdiscoverinternal."+D+". 3600 IN A 10.0.0.20")
	}
	d.Records = append(d.Records,
		"; external DNS (the public zone)",
		"_sip._tls."+D+". 3600 IN SRV 0 0 443 sip."+D+".",
		"sip."+D+". 3600 IN A 203.0.113.10")
	if len(p.Autodiscover) > 0 {
		d.Records = append(d.Records, "lyncdiscover."+D+". 3600 IN CNAME webext."+D+".")
	}
	return d
}

// fallbackNames lists p's host records for domain D with their ports.
func fallbackNames(p *engine.Profile, D string) []string {
	var out []string
	for _, f := range p.Fallback {
		ports := make([]string, len(f.Ports))
		for i, pt := range f.Ports {
			ports[i] = port(pt)
		}
		tcp := ", TCP 5060 when allowed"
		if f.TLSOnly || !p.ClientTCP {
			tcp = ", TLS only"
		}
		out = append(out, fmt.Sprintf("%s.%s (TLS %s%s)", f.Prefix, D, strings.Join(ports, ", then "), tcp))
	}
	return out
}

// families names the address records p asks.
func families(p *engine.Profile) string {
	if p.IPv6 {
		return "A or AAAA: IPv4 and IPv6"
	}
	return "A only: IPv4"
}

// namingText explains p's naming rule for domain D.
func namingText(p *engine.Profile, D string) string {
	if p.Naming == engine.NamingTrustModel {
		trusted := "the sign-in domain, TrustModelData, domains the user chose to trust"
		if len(p.DefaultTrusted) > 0 {
			trusted = "the sign-in domain, TrustModelData — when not set, " + strings.Join(p.DefaultTrusted, ", ") + ", a list that setting it replaces — and domains the user chose to trust"
		}
		return "A server found automatically and named under the sign-in domain (pool01." + D + ", sip." + D + ") is accepted: Microsoft's deployment documents publish _sipinternaltls._tcp." + D + " to the pool's own name (\"DNS requirements for automatic client sign-in\", gg425884), and deployments follow them. A server outside the sign-in domain is not refused: unless its domain is trusted (" + trusted + ") the user is asked whether to trust it, and connects after consent. The other reading: the " + p.StrictPolicy + " policy text says that, with the policy not configured, the client talks TLS only to " + D + " or sip." + D + "; where a policy requires strict DNS matching (sipdisco's --strict), that rule applies to servers found automatically and reached over TLS, and the pool's certificate needs sip." + D + " (\"Certificate requirements for internal servers\", gg398094)."
	}
	return "Strict naming (" + p.StrictPolicy + ") allows only " + D + " and sip." + D + "; loose naming, the default, allows " + D + " and any name under it on a label boundary (sip." + D + ", pool01." + D + "). Names in another namespace, such as sip." + D + ".net or sip.other.com, are never allowed."
}

// NewDocsIndex returns the docs landing page listing every profile, the
// clients side by side, and the glossary.
func NewDocsIndex(site Site) DocsIndex {
	v := DocsIndex{Page: Page{Site: site, Title: "How Microsoft SIP clients find their server", Nav: "docs",
		Description: "Client-by-client discovery rules of Office Communicator, Lync and Skype for Business, generated from sipdisco's profile data."},
		Glossary: glossary}
	var stop, cont []string
	for _, p := range engine.Profiles() {
		v.Profiles = append(v.Profiles, NewProfileDoc(site, p))
		if p.Persistence == engine.ContinueUntilOneWorks {
			cont = append(cont, p.Title)
		} else {
			stop = append(stop, p.Title)
		}
	}
	v.StopClients, v.ContinueClients = andList(stop), andList(cont)
	v.Compare = newCompareTable(site, engine.Profiles())
	return v
}

// andList joins names as a sentence does: "A, B and C".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// newCompareTable sets the profiles side by side: every property in which
// Microsoft's clients differ.
func newCompareTable(site Site, ps []*engine.Profile) CompareTable {
	var t CompareTable
	for _, p := range ps {
		t.Clients = append(t.Clients, Link{Title: p.Title, URL: site.Href(ProfileDocPath(p.Name))})
	}
	row := func(property string, f func(p *engine.Profile) string) {
		r := CompareRow{Property: property}
		for _, p := range ps {
			r.Values = append(r.Values, f(p))
		}
		t.Rows = append(t.Rows, r)
	}
	row("Autodiscover names first", func(p *engine.Profile) string {
		if len(p.Autodiscover) == 0 {
			return "no"
		}
		return strings.Join(p.Autodiscover, ", then ")
	})
	row("SRV names asked", func(p *engine.Profile) string {
		var names []string
		for _, s := range p.SRV {
			n := s.Service
			if s.NeedsTCP {
				n += " (if TCP allowed)"
			}
			names = append(names, n)
		}
		return strings.Join(names, ", ")
	})
	row("After an SRV record that does not work", func(p *engine.Profile) string {
		if p.Persistence == engine.ContinueUntilOneWorks {
			return "goes on to the host records, until one works"
		}
		return "stops: host records only when no SRV record exists"
	})
	row("Host records", func(p *engine.Profile) string { return strings.Join(fallbackNames(p, "D"), "; ") })
	row("Address families", families)
	row("Strict naming policy", func(p *engine.Profile) string {
		switch {
		case p.StrictByDefault:
			return p.StrictPolicy + "; strict unless it is set"
		case p.StrictPolicy == "DisableStrictDNSNaming":
			return p.StrictPolicy + ": loose by default (a server under the sign-in domain is accepted, gg425884); its policy text's strict reading (D or sip.D) where a policy requires strict DNS matching (gg398094)"
		}
		return p.StrictPolicy + "; loose unless it is set"
	})
	row("Strict naming applies to", func(p *engine.Profile) string {
		if p.StrictTLSOnly {
			return "servers reached over TLS"
		}
		return "every discovered server, TLS and TCP"
	})
	row("Server outside the sign-in domain", func(p *engine.Profile) string {
		switch {
		case p.Naming == engine.NamingTrustModel && len(p.DefaultTrusted) > 0:
			return "the user is asked, unless TrustModelData trusts it (not set: " + strings.Join(p.DefaultTrusted, ", ") + "; setting it replaces that list)"
		case p.Naming == engine.NamingTrustModel:
			return "the user is asked (unless TrustModelData trusts it)"
		}
		return "refused"
	})
	row("Sign-in over TCP", func(p *engine.Profile) string {
		if p.ClientTCP {
			return "when the policy allows it (the pool's TCP 5060)"
		}
		return "never: Lync Server and Skype for Business Server pools take clients on TLS 5061 only"
	})
	row("Sign-in protocols", func(p *engine.Profile) string {
		if p.TLSDSK {
			return "Kerberos, NTLM, TLS-DSK"
		}
		return "Kerberos, NTLM"
	})
	return t
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

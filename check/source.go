package check

import (
	"github.com/sipdisco/sipdisco/demo/views"
	"github.com/sipdisco/sipdisco/engine"
)

// Adding a DNS source (four files):
//
//  1. source.go: its SourceKind, and its row of sourceKinds (its word
//     in links, its words in a report and on the page, the view of its
//     answers); ParseSource and String, when a link names it by more
//     than a word (a URL scheme, as tls:// would be).
//  2. source_test.go: its row of TestParseSource.
//  3. cmd/sipdisco/resolve.go: newResolver's case that builds it
//     natively (and sourceOf's and oneSource's, if it may be named
//     beside --dns or --zone), or that says why the command line
//     cannot ask it.
//  4. wasm/internal/bridge/check.go: DoH's case that builds it in the
//     browser, or says what to choose instead.
//
// A source named through --doh, a link's doh= or the form's resolver
// needs no flag of its own. One with its own flag is also an input:
// its Flag in fields.go and a row of TestFlagsSetWhatLinksSet in
// fields_test.go (six files). The links, the form, the page's "Answers
// from" line, snapshots and the view a check is judged in take the kind
// from sourceKinds.

// SourceKind is where a check's answers come from.
type SourceKind uint8

// The kinds of source. A link names each by its word (Source.String);
// a DoH endpoint by its URL.
const (
	// SourceDefault leaves the choice to the front end: on the command
	// line the demo zones for .example addresses and the machine's own
	// resolvers for the others (docs/adr/0009), on the page its first
	// resolver.
	SourceDefault SourceKind = iota
	// SourceDoH is a DNS-over-HTTPS endpoint (RFC 8484), Source.URL.
	SourceDoH
	// SourceLocal is the /dns-query endpoint of the site serving the
	// page (sipdisco serve): "local".
	SourceLocal
	// SourceUpstream is the /dns-query endpoint of a sipdisco serve
	// --upstream serving the page: this machine's own DNS, the inside
	// view, asked through the discovery filter: "upstream".
	SourceUpstream
	// SourceDemo is the embedded demo zones: "demo".
	SourceDemo
	// SourceZone is the zone texts of Options.Zones, no network: "zone".
	SourceZone
	// SourceDNS is plain DNS servers (Source.Servers), the command line's
	// only: a browser cannot send plain DNS.
	SourceDNS
	// SourceSystem is the machine's own resolvers, the command line's
	// only.
	SourceSystem
)

// Source is where a check's answers come from: a kind, and the address
// the kind needs. Options.Resolver is one, read once where the user
// named it (ParseSource: a flag, a link, the form); the front ends
// build their resolver from it with one switch on Kind.
type Source struct {
	Kind SourceKind
	// URL is a SourceDoH's endpoint.
	URL string
	// Servers are a SourceDNS's servers as given, IP[:PORT]; TCP asks
	// them (or a SourceSystem's) over TCP only.
	Servers []string
	TCP     bool
}

// The words links and forms name the sources by that are not URLs: the
// kinds of engine.ResolverInfo of the same names.
const (
	// ResolverLocal is SourceLocal's word.
	ResolverLocal = engine.ResolverLocal
	// ResolverZone is SourceZone's word.
	ResolverZone = engine.ResolverZone
	// ResolverDemo is SourceDemo's word.
	ResolverDemo = engine.ResolverDemo
	// ResolverUpstream is SourceUpstream's word.
	ResolverUpstream = "upstream"
)

// SystemDNS is the Options.DNS entry for the machine's own resolvers.
const SystemDNS = "system"

// sourceKind describes one kind of source.
type sourceKind struct {
	// word names the kind in links and forms; empty for a kind a link
	// names by its URL, or cannot name.
	word string
	// label says in words what answered (ResolverLabel); answersFrom is
	// the page's "Answers from" line when the report does not say.
	label, answersFrom string
	// inside: its answers are the inside view. outside: those of the
	// public resolvers are the outside view. demo: a demo scenario
	// says the view of its own domain.
	inside, outside, demo bool
	// report is engine.ResolverInfo.Kind for this kind.
	report string
}

// sourceKinds are the kinds of source, as data.
var sourceKinds = map[SourceKind]sourceKind{
	SourceDefault:  {label: "this server's /dns-query"},
	SourceDoH:      {outside: true, report: engine.ResolverDoH},
	SourceLocal:    {word: ResolverLocal, label: "this server's /dns-query", answersFrom: "the serving site's /dns-query", demo: true, report: engine.ResolverLocal},
	SourceUpstream: {word: ResolverUpstream, label: UpstreamLabel, answersFrom: UpstreamLabel + ", through sipdisco serve --upstream", inside: true},
	SourceDemo:     {word: ResolverDemo, label: "the embedded demo zones", answersFrom: ResolverDemo, demo: true, report: engine.ResolverDemo},
	SourceZone:     {word: ResolverZone, label: "planned zone", answersFrom: "a planned zone (no network)", report: engine.ResolverZone},
	SourceDNS:      {inside: true, report: engine.ResolverDNS},
	SourceSystem:   {inside: true, report: engine.ResolverSystem},
}

// ParseSource reads a source as a link, the form or --doh names it: a
// word (local, upstream, demo, zone), nothing (SourceDefault), or else a
// DoH URL, which is checked where the resolver is built (dohclient.New
// names what is wrong with it).
func ParseSource(s string) Source {
	if s == "" {
		return Source{}
	}
	for k, d := range sourceKinds {
		if d.word != "" && d.word == s {
			return Source{Kind: k}
		}
	}
	return Source{Kind: SourceDoH, URL: s}
}

// DoH returns the source that is the DoH endpoint url.
func DoH(url string) Source { return ParseSource(url) }

// String returns s as links and snapshots write it: its word, its URL,
// or nothing for SourceDefault. ParseSource(s.String()) is s for every
// source a link can name.
func (s Source) String() string {
	if s.Kind == SourceDoH {
		return s.URL
	}
	return sourceKinds[s.Kind].word
}

// Label says in words which source answered: its URL, or what the
// page calls it.
func (s Source) Label() string {
	if l := sourceKinds[s.Kind].label; l != "" {
		return l
	}
	return s.String()
}

// AnswersFrom is the page's "Answers from" line for a check of s when
// the report does not say: empty for SourceDefault.
func (s Source) AnswersFrom() string {
	if a := sourceKinds[s.Kind].answersFrom; a != "" {
		return a
	}
	return s.String()
}

// ResolverLabel says in words which resolver answered, given as a link
// names it.
func ResolverLabel(r string) string { return ParseSource(r).Label() }

// sourceOfReport returns the kind of source a report's resolver names.
func sourceOfReport(src engine.ResolverInfo) Source {
	for k, d := range sourceKinds {
		if d.report != "" && d.report == src.Kind {
			return Source{Kind: k, URL: src.Address}
		}
	}
	return Source{}
}

// public reports whether s is one of PublicResolvers.
func (s Source) public() bool { return sourceKinds[s.Kind].outside && IsPublic(s.URL) }

// ViewOf returns the view of a check of o whose answers come from src
// (Env.Source; the zero value when the front end gave none): o.View when
// the user said, else the inside view for the machine's own DNS, plain
// DNS servers and sipdisco serve --upstream; the outside view for the
// public DoH resolvers (PublicResolvers); the view a demo scenario
// declares for its own domain; and otherwise unknown (a zone file, a DoH
// URL sipdisco does not know).
func (o Options) ViewOf(src engine.ResolverInfo, domain string) engine.View {
	built := sourceOfReport(src)
	switch {
	case o.View != engine.ViewUnknown:
		return o.View
	case sourceKinds[built.Kind].inside || sourceKinds[o.Resolver.Kind].inside:
		return engine.ViewInside
	case o.Resolver.public() || built.public():
		return engine.ViewOutside
	case sourceKinds[o.Resolver.Kind].demo || built.Kind == SourceDemo:
		return views.Of(domain)
	}
	return engine.ViewUnknown
}

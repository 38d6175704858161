package check

import (
	"github.com/sipdisco/sipdisco/demo/views"
	"github.com/sipdisco/sipdisco/engine"
)

// Resolver is a DNS-over-HTTPS endpoint a page offers.
type Resolver struct {
	URL   string
	Label string
}

// PublicResolvers are the DoH endpoints the public site offers and its
// Content-Security-Policy allows. Each must serve RFC 8484 GET with
// application/dns-message and answer cross-origin requests:
//
//   - RFC 8484 GET and POST: documented by both (Cloudflare's "Using DNS
//     Wireformat" page of its 1.1.1.1 docs; Google Public DNS's "DNS-over-
//     HTTPS (DoH)" page, which names https://dns.google/dns-query).
//   - CORS: neither vendor page found says so; it rests on field reports
//     ("Cloudflare and Google both respond with Access-Control-Allow-Origin:
//     *", dat-ecosystem-archive/dat-dns issue 16) and on browser DoH
//     libraries (dohjs, dns-query) using them from web pages. Others were
//     left out for lack of such evidence (OpenDNS is reported not to send
//     CORS headers, logos-messaging/logos-delivery-js pull request 1131).
//
// The browser tests cannot reach them from the build machine; a resolver
// that stops allowing CORS shows as "no response … (CORS)" in the page.
var PublicResolvers = []Resolver{
	{URL: "https://cloudflare-dns.com/dns-query", Label: "Cloudflare (1.1.1.1)"},
	{URL: "https://dns.google/dns-query", Label: "Google Public DNS"},
}

// DefaultDoH is the public DoH resolver the command line's help and
// --compare name for the outside view.
const DefaultDoH = "https://cloudflare-dns.com/dns-query"

// UpstreamLabel is what the page calls ResolverUpstream.
const UpstreamLabel = "This machine's DNS (internal view)"

// IsPublic reports whether url is one of PublicResolvers: DNS as clients
// on the Internet see it.
func IsPublic(url string) bool {
	for _, r := range PublicResolvers {
		if r.URL == url {
			return true
		}
	}
	return false
}

// ViewOf returns the view of a check of o whose answers come from src
// (Env.Source; the zero value when the front end gave none): o.View when
// the user said, else the inside view for the machine's own DNS, plain
// DNS servers and sipdisco serve --upstream; the outside view for the
// public DoH resolvers (PublicResolvers); the view a demo scenario
// declares for its own domain; and otherwise unknown (a zone file, a DoH
// URL sipdisco does not know).
func (o Options) ViewOf(src engine.ResolverInfo, domain string) engine.View {
	switch {
	case o.View != engine.ViewUnknown:
		return o.View
	case src.Kind == engine.ResolverSystem || src.Kind == engine.ResolverDNS || o.Resolver == ResolverUpstream:
		return engine.ViewInside
	case IsPublic(o.Resolver) || src.Kind == engine.ResolverDoH && IsPublic(src.Address):
		return engine.ViewOutside
	case o.Resolver == ResolverDemo || o.Resolver == ResolverLocal || src.Kind == engine.ResolverDemo:
		return views.Of(domain)
	}
	return engine.ViewUnknown
}

// PlannedZone names a zone pasted into a page in error messages
// ("planned zone:7: …").
const PlannedZone = "planned zone"

// ResolverLabel says in words which resolver answered.
func ResolverLabel(r string) string {
	switch r {
	case ResolverZone:
		return "planned zone"
	case ResolverLocal, "":
		return "this server's /dns-query"
	case ResolverUpstream:
		return UpstreamLabel
	case ResolverDemo:
		return "the embedded demo zones"
	}
	return r
}

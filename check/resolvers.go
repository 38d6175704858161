package check

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

// UpstreamLabel is what the page calls SourceUpstream.
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

// PlannedZone names a zone pasted into a page in error messages
// ("planned zone:7: …").
const PlannedZone = "planned zone"

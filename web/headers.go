package web

import (
	"net/http"
	"strings"

	"github.com/sipdisco/sipdisco/check"
)

// CSP returns the Content-Security-Policy of the site: scripts only from
// the site itself plus WebAssembly compilation, no inline script or style
// attribute, and network access only to the site and the given DoH
// endpoints' origins.
func CSP(resolvers []string) string {
	connect := []string{"'self'"}
	seen := map[string]bool{}
	for _, r := range resolvers {
		o := origin(r)
		if o == "" || seen[o] {
			continue
		}
		seen[o] = true
		connect = append(connect, o)
	}
	return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src " + strings.Join(connect, " ") +
		"; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// origin returns scheme://host[:port] of an absolute http(s) URL, or "".
func origin(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok || (scheme != "https" && scheme != "http") {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	if host == "" || strings.ContainsAny(host, " ;'\"@") {
		return ""
	}
	return scheme + "://" + host
}

// PublicCSP is the policy of the public site (netlify.toml), allowing the
// built-in public resolvers.
func PublicCSP() string {
	urls := make([]string, len(check.PublicResolvers))
	for i, r := range check.PublicResolvers {
		urls[i] = r.URL
	}
	return CSP(urls)
}

// Cache-Control values: fingerprinted assets never change under their
// name; pages and unhashed files are revalidated.
const (
	CacheImmutable  = "public, max-age=31536000, immutable"
	CacheRevalidate = "public, max-age=0, must-revalidate"
)

// cacheControl returns the Cache-Control header for a site path: assets
// are named after their content.
func cacheControl(path string) string {
	if strings.HasPrefix(path, "/"+AssetDir) {
		return CacheImmutable
	}
	return CacheRevalidate
}

// SetHeaders sets the security and caching headers of the site path on h.
func SetHeaders(h http.Header, path, csp string) {
	h.Set("Content-Security-Policy", csp)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", cacheControl(path))
	if strings.HasSuffix(path, ".wasm") {
		h.Set("Content-Type", "application/wasm")
	}
}

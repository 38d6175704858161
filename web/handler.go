package web

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Handler serves the site in siteDir (written by Build) with the headers
// netlify.toml gives the public site, and serves doh, when not nil, at
// /dns-query. The Content-Security-Policy allows the resolvers listed in
// the site's manifest.
func Handler(siteDir string, doh http.Handler) http.Handler {
	var m Manifest
	if b, err := os.ReadFile(filepath.Join(siteDir, ManifestName)); err == nil {
		json.Unmarshal(b, &m) // a missing or bad manifest only narrows the CSP
	}
	csp := CSP(m.Resolvers)
	files := http.FileServer(http.Dir(siteDir))
	mux := http.NewServeMux()
	if doh != nil {
		mux.Handle("/dns-query", doh)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == "/"+ManifestName {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		SetHeaders(h, r.URL.Path, csp)
		files.ServeHTTP(w, r)
	})
	return mux
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

package web

import (
	"encoding/json"
	"net/http"
	"os"
	"path"
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
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			h.Add("Vary", "Accept-Encoding")
			if acceptsGzip(r) {
				gz := filepath.Join(siteDir, filepath.FromSlash(path.Clean(r.URL.Path))+".gz")
				if f, err := os.Open(gz); err == nil {
					defer f.Close()
					if fi, err := f.Stat(); err == nil && !fi.IsDir() {
						h.Set("Content-Encoding", "gzip")
						http.ServeContent(w, r, "", fi.ModTime(), f)
						return
					}
				}
			}
		}
		if strings.HasSuffix(r.URL.Path, ".gz") || isBareDir(siteDir, r.URL.Path) {
			// No directory listings, and the precompressed copy is
			// served only as the .wasm it stands for.
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
	return mux
}

// isBareDir reports whether urlPath names a folder of the site that has no
// index.html (http.FileServer would list its files).
func isBareDir(siteDir, urlPath string) bool {
	dir := filepath.Join(siteDir, filepath.FromSlash(path.Clean("/"+urlPath)))
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, "index.html"))
	return err != nil
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
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

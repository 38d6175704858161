package web

import (
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// Limits on what Handler accepts. A longer path, or a path component
// longer than a file name can be on common file systems (255 bytes), is
// answered 404 or 414 before any file is opened.
const (
	// MaxPath bounds the URL path.
	MaxPath = 1024
	// MaxPathComponent bounds one component of the URL path.
	MaxPathComponent = 255
	// MaxRequestBody bounds a request body: the largest DNS message a DoH
	// POST can carry (RFC 8484 §6, RFC 1035 §4.2.2). A larger declared
	// Content-Length is refused with 413 before the body is read, so a
	// client that sent "Expect: 100-continue" never gets "100 Continue".
	MaxRequestBody = 65535
)

// Handler serves a site built by BuildSite or Build — files holds its
// pages and assets, as Site.Files or os.DirFS of a folder Build wrote —
// with the headers netlify.toml gives the public site, and serves doh,
// when not nil, at /dns-query. The Content-Security-Policy allows the
// given DoH resolver URLs (Site.Resolvers).
//
// Every request's path is checked once, before any other rule: it must be
// clean (no "." or ".." components, no empty components, no backslash or
// NUL) and within MaxPath and MaxPathComponent, else the answer is 404 (or
// 414 for an overlong path). Folders are never listed, and a
// precompressed .gz copy is served only as the .wasm it stands for.
func Handler(files fs.FS, resolvers []string, doh http.Handler) http.Handler {
	csp := CSP(resolvers)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxRequestBody {
			w.Header().Set("Connection", "close")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBody)
		}
		name, code := sitePath(r.URL.Path)
		if code != 0 {
			http.Error(w, http.StatusText(code), code)
			return
		}
		if name == "dns-query" && doh != nil {
			doh.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		serveFile(w, r, files, name, csp)
	})
}

// sitePath checks a request's URL path and returns the file name it
// stands for in the site's fs.FS ("" for the root folder, a trailing "/"
// for a folder), or the status to answer instead.
func sitePath(p string) (name string, status int) {
	if len(p) > MaxPath {
		return "", http.StatusRequestURITooLong
	}
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", http.StatusNotFound
	}
	name = p[1:]
	dir := strings.HasSuffix(name, "/")
	trimmed := strings.TrimSuffix(name, "/")
	if trimmed == "" {
		if name == "" {
			return "", 0
		}
		return "", http.StatusNotFound // "//"
	}
	for _, c := range strings.Split(trimmed, "/") {
		if c == "" || c == "." || c == ".." || len(c) > MaxPathComponent {
			return "", http.StatusNotFound
		}
	}
	if !fs.ValidPath(trimmed) {
		return "", http.StatusNotFound
	}
	if dir {
		return trimmed + "/", 0
	}
	return trimmed, 0
}

// serveFile serves name (from sitePath) out of files.
func serveFile(w http.ResponseWriter, r *http.Request, files fs.FS, name, csp string) {
	if strings.HasSuffix(name, ".gz") {
		http.NotFound(w, r)
		return
	}
	open := strings.TrimSuffix(name, "/")
	if open == "" {
		open = "."
	}
	fi, err := fs.Stat(files, open)
	if err != nil {
		// Not there, or not openable (a name too long for the file
		// system, a permission): the same 404, never a 500.
		http.NotFound(w, r)
		return
	}
	if fi.IsDir() {
		if !strings.HasSuffix(name, "/") && name != "" {
			// As a static host does: /docs → /docs/.
			target := "/" + name + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		open = path.Join(open, "index.html")
	} else if strings.HasSuffix(name, "/") {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	SetHeaders(h, "/"+open, csp)
	if strings.HasSuffix(open, ".wasm") {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) && serveContent(w, r, files, open+".gz", open, "gzip") {
			return
		}
	}
	if !serveContent(w, r, files, open, open, "") {
		h.Del("Cache-Control")
		http.NotFound(w, r) // a folder without index.html: no listing
	}
}

// serveContent serves the regular file name of files as the file as,
// with Content-Encoding enc when not empty. It reports false, having
// written nothing, when name is not a regular file that can be read.
func serveContent(w http.ResponseWriter, r *http.Request, files fs.FS, name, as, enc string) bool {
	f, err := files.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return false
	}
	if enc != "" {
		w.Header().Set("Content-Encoding", enc)
	}
	http.ServeContent(w, r, as, fi.ModTime(), rs)
	return true
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

// Handler returns a handler serving the site (see the function Handler).
func (s *Site) Handler(doh http.Handler) http.Handler {
	return Handler(s.Files, s.Resolvers, doh)
}

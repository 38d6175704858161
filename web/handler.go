package web

import (
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
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
// 414 for an overlong path). Folders are never listed. A file with
// precompressed copies (NAME.br, NAME.gz; BuildOptions.Precompress) is
// sent as brotli to a client whose Accept-Encoding allows br, else as gzip
// when it allows gzip, else as it is, with "Vary: Accept-Encoding"; the
// copies are never served under their own names. A path that names
// nothing is answered with the site's 404.html.
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
	if strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
		notFound(w, r, files, csp)
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
		notFound(w, r, files, csp)
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
		notFound(w, r, files, csp)
		return
	}
	h := w.Header()
	SetHeaders(h, "/"+open, csp)
	if !serveEncoded(w, r, files, open, http.StatusOK) {
		h.Del("Cache-Control")
		notFound(w, r, files, csp) // a folder without index.html: no listing
	}
}

// serveEncoded serves the regular file name of files with status, as
// brotli or gzip when it has such a copy and r accepts it. It reports
// false, having written nothing, when name is not a regular file that can
// be read.
func serveEncoded(w http.ResponseWriter, r *http.Request, files fs.FS, name string, status int) bool {
	_, errBr := fs.Stat(files, name+".br")
	_, errGz := fs.Stat(files, name+".gz")
	if errBr == nil || errGz == nil {
		w.Header().Add("Vary", "Accept-Encoding")
	}
	br, gz := acceptedEncodings(r.Header.Get("Accept-Encoding"))
	switch {
	case br && errBr == nil && serveContent(w, r, files, name+".br", name, "br", status):
		return true
	case gz && errGz == nil && serveContent(w, r, files, name+".gz", name, "gzip", status):
		return true
	}
	return serveContent(w, r, files, name, name, "", status)
}

// notFound answers 404 with the site's 404.html when it has one.
func notFound(w http.ResponseWriter, r *http.Request, files fs.FS, csp string) {
	h := w.Header()
	SetHeaders(h, "/404.html", csp)
	h.Del("Cache-Control")
	if !serveEncoded(w, r, files, "404.html", http.StatusNotFound) {
		http.NotFound(w, r)
	}
}

// serveContent serves the regular file name of files as the file as,
// with Content-Encoding enc when not empty, and status when it is not
// 200 (a 404 page is sent whole, without ranges). It reports false,
// having written nothing, when name is not a regular file that can be
// read.
func serveContent(w http.ResponseWriter, r *http.Request, files fs.FS, name, as, enc string, status int) bool {
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
	if status != http.StatusOK {
		if ct := mime.TypeByExtension(path.Ext(as)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Header().Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			io.Copy(w, rs)
		}
		return true
	}
	http.ServeContent(w, r, as, fi.ModTime(), rs)
	return true
}

// acceptedEncodings reports whether an Accept-Encoding header value
// allows brotli and gzip (RFC 9110 §12.5.3): named, or "*", with a
// q-value above 0.
func acceptedEncodings(header string) (br, gzip bool) {
	star, starSet := false, false
	for _, part := range strings.Split(header, ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		enc = strings.ToLower(strings.TrimSpace(enc))
		ok := true
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q <= 0 {
					ok = false
				}
			}
		}
		switch enc {
		case "br":
			br = ok
		case "gzip", "x-gzip":
			gzip = ok
		case "*":
			star, starSet = ok, true
		}
	}
	if starSet && !strings.Contains(strings.ToLower(header), "br") {
		br = star
	}
	if starSet && !strings.Contains(strings.ToLower(header), "gzip") {
		gzip = star
	}
	return br, gzip
}

// Handler returns a handler serving the site (see the function Handler).
func (s *Site) Handler(doh http.Handler) http.Handler {
	return Handler(s.Files, s.Resolvers, doh)
}

package web

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// rawGet sends a request line exactly as given (no client-side cleaning,
// like curl --path-as-is) to srv and returns the status and body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %.80s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}

// TestHandlerHostilePaths sends paths that try to leave the site, hit
// names a file system cannot hold, or reach unpublished files, to the
// site served from memory and from a folder on disk beside a secret
// file. None may give a 5xx, and none may return the secret.
func TestHandlerHostilePaths(t *testing.T) {
	out := buildFake(t, BuildOptions{LocalDoH: true})
	const secret = "top secret, outside the site"
	os.WriteFile(filepath.Join(filepath.Dir(out), "secret.txt"), []byte(secret), 0o644)
	os.WriteFile(filepath.Join(out, "assets", "secret.txt.gz"), []byte(secret), 0o644)
	mem, err := BuildSite(BuildOptions{WASMPath: filepath.Join(filepath.Dir(out), "main.wasm"), WASMExecPath: filepath.Join(filepath.Dir(out), "wasm_exec.js"), LocalDoH: true})
	if err != nil {
		t.Fatal(err)
	}

	var paths []string
	for _, n := range []int{254, 255, 256, 300, 1000, 4000} {
		long := strings.Repeat("a", n)
		paths = append(paths, "/"+long, "/assets/"+long, "/docs/"+long+".html", "/"+long+"/", "/"+long+"/index.html")
	}
	for _, dots := range []string{"..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "."} {
		for _, tail := range []string{"secret.txt", "site/../secret.txt", legacyManifest} {
			paths = append(paths,
				"/"+dots+"/"+tail, "/assets/"+dots+"/"+tail, "/assets/"+dots+"/"+dots+"/"+tail,
				"/assets/"+dots+"%2f"+tail, "/docs/"+dots+"%5c"+tail)
		}
	}
	paths = append(paths, "//secret.txt", "/assets//secret.txt", "/%00", "/index.html%00.txt",
		"/..%5csecret.txt", "/assets%5c..%5c..%5csecret.txt", "/assets/secret.txt.gz", "/"+legacyManifest,
		"/assets/", "/assets/wasm/", "/docs/index.html/", "/index.html/.", "/%ff%fe")
	// One request for each length around the limits, to find the
	// boundary of the class rather than one example of it.
	for n := MaxPath - 3; n <= MaxPath+3; n++ {
		paths = append(paths, "/"+strings.Repeat("b/", n/2)[:n-1])
	}

	for name, h := range map[string]http.Handler{
		"memory": mem.Handler(nil),
		"folder": Handler(os.DirFS(out), ResolverURLs(nil), nil),
	} {
		srv := httptest.NewServer(h)
		addr := srv.Listener.Addr().String()
		for _, p := range paths {
			code, body := rawGet(t, addr, p)
			if code >= 500 || code == 200 || strings.Contains(body, secret) {
				t.Errorf("%s: GET %.60s (%d bytes) = %d; want a 4xx without the secret", name, p, len(p), code)
			}
		}
		// The site itself is still served.
		if code, _ := rawGet(t, addr, "/docs/index.html"); code != 200 {
			t.Errorf("%s: GET /docs/index.html = %d", name, code)
		}
		srv.Close()
	}
}

func TestSitePath(t *testing.T) {
	for _, tt := range []struct {
		in   string
		name string
		code int
	}{
		{"/", "", 0},
		{"/index.html", "index.html", 0},
		{"/docs/", "docs/", 0},
		{"/docs", "docs", 0},
		{"/assets/wasm/main.0123456789.wasm", "assets/wasm/main.0123456789.wasm", 0},
		{"", "", 404},
		{"//", "", 404},
		{"/a//b", "", 404},
		{"/a/./b", "", 404},
		{"/a/../b", "", 404},
		{"/..", "", 404},
		{"/a\\b", "", 404},
		{"/a\x00b", "", 404},
		{"/" + strings.Repeat("x", MaxPathComponent), strings.Repeat("x", MaxPathComponent), 0},
		{"/" + strings.Repeat("x", MaxPathComponent+1), "", 404},
		{"/" + strings.Repeat("x/", MaxPath), "", 414},
	} {
		name, code := sitePath(tt.in)
		if name != tt.name || code != tt.code {
			t.Errorf("sitePath(%.40q) = %q, %d; want %q, %d", tt.in, name, code, tt.name, tt.code)
		}
	}
}

// TestHandlerRefusesLargeBodyBeforeContinue sends a request announcing a
// body larger than MaxRequestBody with "Expect: 100-continue", to the DoH
// path and to a page: the answer is 413 at once, never "100 Continue".
func TestHandlerRefusesLargeBodyBeforeContinue(t *testing.T) {
	out := buildFake(t, BuildOptions{})
	read := make(chan int, 4)
	doh := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		read <- int(n)
	})
	srv := httptest.NewServer(Handler(os.DirFS(out), nil, doh))
	defer srv.Close()
	for _, target := range []string{"/dns-query", "/", "/nothing-here"} {
		for _, length := range []int{MaxRequestBody + 1, 100 << 20} {
			c, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			c.SetDeadline(time.Now().Add(5 * time.Second))
			fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/dns-message\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", target, length)
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			c.Close()
			if err != nil {
				t.Fatalf("POST %s with Content-Length %d: %v", target, length, err)
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("POST %s with Content-Length %d and Expect: 100-continue = %d; want 413 before any body", target, length, resp.StatusCode)
			}
		}
	}
	select {
	case n := <-read:
		t.Errorf("the DoH handler ran and read %d bytes of an oversized body", n)
	default:
	}
	// A body without a declared length is cut at the limit.
	body := strings.NewReader(strings.Repeat("x", MaxRequestBody+100))
	req, _ := http.NewRequest("POST", srv.URL+"/dns-query", io.NopCloser(body))
	req.ContentLength = -1
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	if n := <-read; n > MaxRequestBody {
		t.Errorf("the DoH handler read %d bytes of a chunked body; want at most %d", n, MaxRequestBody)
	}
}

// TestHandlerEncodings: a precompressed site sends each file as brotli,
// gzip or as it is by the request's Accept-Encoding, says so with Vary,
// and never serves the copies under their own names.
func TestHandlerEncodings(t *testing.T) {
	tmp := t.TempDir()
	writeFakeEngine(t, tmp)
	s, err := BuildSite(BuildOptions{WASMPath: filepath.Join(tmp, EngineWASM), WASMExecPath: filepath.Join(tmp, EngineWASMExec), Precompress: true, PageBrotliQuality: DevBrotliQuality})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler(nil)
	var wasm string
	for p := range s.Files {
		if strings.HasPrefix(p, WASMDir+"main.") && strings.HasSuffix(p, ".wasm") {
			wasm = "/" + p
		}
	}
	for _, tt := range []struct{ path, accept, want string }{
		{wasm, "gzip, deflate, br, zstd", "br"},
		{wasm, "gzip", "gzip"},
		{wasm, "br;q=0, gzip;q=0.5", "gzip"},
		{wasm, "BR", "br"},
		{wasm, "*", "br"},
		{wasm, "*, br;q=0", "gzip"},
		{wasm, "identity", ""},
		{wasm, "", ""},
		{"/", "br", "br"},
		{"/", "gzip;q=0", ""},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", tt.path, nil)
		req.Header.Set("Accept-Encoding", tt.accept)
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Content-Encoding"); rec.Code != 200 || got != tt.want {
			t.Errorf("GET %s with Accept-Encoding %q = %d, Content-Encoding %q; want 200, %q", tt.path, tt.accept, rec.Code, got, tt.want)
		}
		if rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("GET %s: Vary %q; want Accept-Encoding", tt.path, rec.Header().Get("Vary"))
		}
		if tt.path == wasm && rec.Header().Get("Content-Type") != "application/wasm" {
			t.Errorf("GET %s: Content-Type %q", tt.path, rec.Header().Get("Content-Type"))
		}
		body := rec.Body.Bytes()
		var raw []byte
		switch tt.want {
		case "br":
			raw, err = io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		case "gzip":
			raw, err = gunzip(body)
		default:
			raw = body
		}
		if name := strings.TrimPrefix(tt.path, "/"); err != nil || name != "" && !bytes.Equal(raw, s.Files[name].Data) {
			t.Errorf("GET %s as %q: the body does not decode to the file (%v)", tt.path, tt.want, err)
		}
	}
	for _, p := range []string{wasm + ".br", wasm + ".gz", "/index.html.br"} {
		if r := get(t, h, p); r.StatusCode != 404 {
			t.Errorf("GET %s = %d; want 404", p, r.StatusCode)
		}
	}
}

// TestHandlerPaths: the Compare, Audit and Domain pages at their folders, and the
// 404 page for what names nothing.
func TestHandlerPaths(t *testing.T) {
	h := Handler(os.DirFS(buildFake(t, BuildOptions{})), nil, nil)
	for _, tt := range []struct {
		path   string
		status int
		has    string
	}{
		{"/compare/", 200, "Compare"},
		{"/audit/", 200, "Audit"},
		{"/domain/", 200, "Domain report"},
		{"/domain", 301, ""},
		{"/compare", 301, ""},
		{"/audit", 301, ""},
		{"/compare.html", 404, "Page not found"},
		{"/no/such/page", 404, "Page not found"},
		{"/404.html", 200, "Page not found"},
	} {
		r := get(t, h, tt.path)
		b, _ := io.ReadAll(r.Body)
		if r.StatusCode != tt.status || !strings.Contains(string(b), tt.has) {
			t.Errorf("GET %s = %d (%d bytes); want %d and %q", tt.path, r.StatusCode, len(b), tt.status, tt.has)
		}
		if tt.status == 404 && r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("GET %s: the 404 page is %q", tt.path, r.Header.Get("Content-Type"))
		}
	}
}

package web

import (
	"bufio"
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

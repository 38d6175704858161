package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine/check"
)

// buildFake builds the site with a stand-in main.wasm and wasm_exec.js, so
// that the site layout and headers are tested without compiling the WASM.
func buildFake(t *testing.T, opts BuildOptions) string {
	t.Helper()
	tmp := t.TempDir()
	opts.WASMPath = filepath.Join(tmp, "main.wasm")
	opts.WASMExecPath = filepath.Join(tmp, "wasm_exec.js")
	os.WriteFile(opts.WASMPath, []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	os.WriteFile(opts.WASMExecPath, []byte("// wasm_exec\n"), 0o644)
	out := filepath.Join(tmp, "site")
	if err := Build(out, opts); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return out
}

func get(t *testing.T, h http.Handler, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Result()
}

func TestBuildWritesSite(t *testing.T) {
	out := buildFake(t, BuildOptions{LocalDoH: true})
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(index)
	for _, re := range []string{
		`<link rel="stylesheet" href="/assets/style\.[0-9a-f]{10}\.css">`,
		`<script src="/assets/wasm_exec\.[0-9a-f]{10}\.js" defer></script>`,
		`<script src="/assets/app\.[0-9a-f]{10}\.js" defer></script>`,
		`data-wasm="/assets/wasm/main\.[0-9a-f]{10}\.wasm"`,
		`<option value="local" selected>`,
		`<a href="/\?uri=bob%40healthy\.example&amp;profile=communicator-2007-r2&amp;strict=0&amp;tcp=1&amp;doh=local">`,
	} {
		if !regexp.MustCompile(re).MatchString(page) {
			t.Errorf("index.html does not match %s", re)
		}
	}
	for _, name := range []string{"about.html", "docs/index.html", "docs/communicator-2007-r2.html", "docs/lync-2013.html", "docs/findings.html", ManifestName} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("site lacks %s: %v", name, err)
		}
	}
	// Every asset the page names exists.
	for _, m := range regexp.MustCompile(`(?:href|src|data-wasm)="/(assets/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		if _, err := os.Stat(filepath.Join(out, m[1])); err != nil {
			t.Errorf("index.html names %s, which was not written", m[1])
		}
	}
}

func TestBuildRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("keep"), 0o644)
	err := Build(dir, BuildOptions{WASMPath: "x", WASMExecPath: "y"})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Build into a foreign folder: err = %v; want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "precious.txt")); err != nil {
		t.Fatalf("Build removed a file it did not write: %v", err)
	}
}

func TestHandlerHeaders(t *testing.T) {
	out := buildFake(t, BuildOptions{LocalDoH: true})
	doh := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "doh") })
	h := Handler(out, doh)

	r := get(t, h, "/")
	if r.StatusCode != 200 {
		t.Fatalf("GET / = %d", r.StatusCode)
	}
	if got := r.Header.Get("Content-Security-Policy"); got != PublicCSP() {
		t.Errorf("CSP = %q; want %q", got, PublicCSP())
	}
	if got := r.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q", got)
	}
	if got := r.Header.Get("Cache-Control"); got != CacheRevalidate {
		t.Errorf("page Cache-Control = %q; want %q", got, CacheRevalidate)
	}
	wasms, _ := filepath.Glob(filepath.Join(out, "assets", "wasm", "*.wasm"))
	if len(wasms) != 1 {
		t.Fatalf("assets/wasm holds %d .wasm files; want 1", len(wasms))
	}
	wasmPath := "/assets/wasm/" + filepath.Base(wasms[0])
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", wasmPath, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Content-Type") != "application/wasm" {
		t.Errorf("GET wasm accepting gzip = %d, Content-Encoding %q, Content-Type %q; want 200, gzip, application/wasm",
			rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Content-Type"))
	}
	if r := get(t, h, wasmPath+".gz"); r.StatusCode != 404 {
		t.Errorf("GET the .gz file itself = %d; want 404", r.StatusCode)
	}
	r = get(t, h, wasmPath)
	if got := r.Header.Get("Content-Encoding"); got != "" {
		t.Errorf("wasm without Accept-Encoding: Content-Encoding = %q", got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/wasm" {
		t.Errorf("wasm Content-Type = %q", got)
	}
	if got := r.Header.Get("Cache-Control"); got != CacheImmutable {
		t.Errorf("wasm Cache-Control = %q; want %q", got, CacheImmutable)
	}
	if r := get(t, h, "/dns-query?dns=AAAB"); r.StatusCode != 200 {
		t.Errorf("GET /dns-query = %d; want the DoH handler", r.StatusCode)
	} else if b, _ := io.ReadAll(r.Body); string(b) != "doh" {
		t.Errorf("/dns-query body = %q; want the DoH handler's", b)
	}
	if r := get(t, h, "/docs/"); r.StatusCode != 200 {
		t.Errorf("GET /docs/ = %d", r.StatusCode)
	}
	if r := get(t, h, "/assets/"); r.StatusCode != 404 {
		t.Errorf("GET /assets/ = %d; want 404, not a listing", r.StatusCode)
	}
	if r := get(t, h, "/"+ManifestName); r.StatusCode != 404 {
		t.Errorf("GET manifest = %d; want 404", r.StatusCode)
	}
}

func TestHandlerCSPAddsExtraResolvers(t *testing.T) {
	out := buildFake(t, BuildOptions{Resolvers: []check.Resolver{{URL: "https://dns.internal.contoso.com/dns-query", Label: "Internal"}}})
	got := get(t, Handler(out, nil), "/").Header.Get("Content-Security-Policy")
	if want := "connect-src 'self' https://dns.internal.contoso.com https://cloudflare-dns.com https://dns.google;"; !strings.Contains(got, want) {
		t.Errorf("CSP = %q; want it to contain %q", got, want)
	}
}

// TestNetlifyMatchesHandler keeps netlify.toml's headers equal to what
// Handler sends.
func TestNetlifyMatchesHandler(t *testing.T) {
	b, err := os.ReadFile("../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	toml := string(b)
	for _, want := range []string{
		`Content-Security-Policy = "` + PublicCSP() + `"`,
		`Referrer-Policy = "no-referrer"`,
		`for = "/` + AssetDir + `*"`,
		`Cache-Control = "` + CacheImmutable + `"`,
		`for = "/` + WASMDir + `*"`,
		`Content-Type = "application/wasm"`,
		`publish = "site"`,
	} {
		if !strings.Contains(toml, want) {
			t.Errorf("netlify.toml lacks %s", want)
		}
	}
}

func TestCSP(t *testing.T) {
	got := CSP([]string{"https://dns.internal.contoso.com:8443/dns-query", "https://dns.google/dns-query", "https://dns.google/other", "javascript:alert(1)", "https://x.com; script-src *"})
	want := "connect-src 'self' https://dns.internal.contoso.com:8443 https://dns.google;"
	if !strings.Contains(got, want) {
		t.Errorf("CSP = %q; want it to contain %q", got, want)
	}
}

func TestBuildWASMOutsideModule(t *testing.T) {
	err := Build(filepath.Join(t.TempDir(), "site"), BuildOptions{ModuleDir: t.TempDir(), WASMExecPath: "x"})
	if err == nil || !strings.Contains(err.Error(), "no ./wasm package") {
		t.Errorf("Build outside the module: %v; want a clear refusal", err)
	}
}

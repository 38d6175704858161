package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/check"
)

// buildFake builds the site with a stand-in main.wasm and wasm_exec.js, so
// that the site layout and headers are tested without compiling the WASM.
func buildFake(t *testing.T, opts BuildOptions) string {
	t.Helper()
	tmp := t.TempDir()
	writeFakeEngine(t, tmp)
	opts.WASMPath = filepath.Join(tmp, "main.wasm")
	opts.WASMExecPath = filepath.Join(tmp, "wasm_exec.js")
	out := filepath.Join(tmp, "site")
	if err := Build(out, opts); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return out
}

// writeFakeEngine writes stand-ins for the two modules and wasm_exec.js
// into dir.
func writeFakeEngine(t *testing.T, dir string) {
	t.Helper()
	for name, data := range map[string]string{
		EngineWASM:     "\x00asm\x01\x00\x00\x00 the first module " + strings.Repeat("x", 2000),
		EngineTools:    "\x00asm\x01\x00\x00\x00 the second module",
		EngineWASMExec: "// wasm_exec\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
		`data-worker="/assets/worker\.[0-9a-f]{10}\.js"`,
		`<script src="/assets/app\.[0-9a-f]{10}\.js" defer></script>`,
		`data-wasm="/assets/wasm/main\.[0-9a-f]{10}\.wasm"`,
		`<option value="local" selected>`,
		`<a href="/\?uri=bob%40healthy\.example&amp;profile=communicator-2007-r2&amp;strict=0&amp;tcp=1&amp;doh=local">`,
	} {
		if !regexp.MustCompile(re).MatchString(page) {
			t.Errorf("index.html does not match %s", re)
		}
	}
	for _, name := range []string{"about.html", "docs/index.html", "docs/communicator-2007-r2.html", "docs/lync-2013.html", "docs/findings.html", "docs/records.html", "domain/index.html", "log/index.html"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("site lacks %s: %v", name, err)
		}
	}
	// Nothing but pages and assets is published: no manifest or build
	// record that a host such as Netlify would serve too.
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		if err == nil && !d.IsDir() && !strings.HasSuffix(rel, ".html") && !strings.HasPrefix(rel, AssetDir) {
			t.Errorf("the site publishes %s, which is neither a page nor an asset", rel)
		}
		return nil
	})
	// Every asset the page names exists.
	for _, m := range regexp.MustCompile(`(?:href|src|data-wasm)="/(assets/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		if _, err := os.Stat(filepath.Join(out, m[1])); err != nil {
			t.Errorf("index.html names %s, which was not written", m[1])
		}
	}
}

// TestBuildDomainDemos: the domain page of a site for sipdisco serve links
// the domain report of each demo domain and of all of them at once, and
// names domain.js.
func TestBuildDomainDemos(t *testing.T) {
	out := buildFake(t, BuildOptions{LocalDoH: true})
	b, err := os.ReadFile(filepath.Join(out, "domain", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, re := range []string{
		`<script src="/assets/domain\.[0-9a-f]{10}\.js" defer></script>`,
		`aria-current="page">Domain</a>`,
		`<a href="/domain/\?domains=teams-ready\.example&amp;doh=local">`,
		`<a href="/domain/\?domains=teams-wildcard\.example&amp;doh=local">`,
		`<a href="/domain/\?domains=teams-ready\.example\+teams-blocked\.example\+teams-wildcard\.example\+hybrid\.example\+federation-outside\.example\+nothing\.example&amp;doh=local">`,
	} {
		if !regexp.MustCompile(re).MatchString(page) {
			t.Errorf("domain/index.html does not match %s", re)
		}
	}
}

// TestBuildUpstream: a site for sipdisco serve --upstream offers this
// machine's DNS (the inside view) instead of "this server", everywhere a
// resolver is chosen, and no demo scenario, which only the demo zones
// answer.
func TestBuildUpstream(t *testing.T) {
	out := buildFake(t, BuildOptions{LocalDoH: true, LocalUpstream: true})
	for _, name := range []string{"index.html", "compare/index.html", "domain/index.html"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		if !strings.Contains(page, `<option value="upstream"`) || !strings.Contains(page, "This machine&#39;s DNS (internal view)") || strings.Contains(page, `<option value="local"`) {
			t.Errorf("%s does not offer this machine's DNS alone as the local resolver", name)
		}
		if strings.Contains(page, "healthy.example") {
			t.Errorf("%s lists the demo scenarios, which the machine's DNS does not answer", name)
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

func TestBuildReplacesEarlierBuild(t *testing.T) {
	out := buildFake(t, BuildOptions{})
	// An earlier version also wrote a manifest; its folder is still
	// recognised, and the manifest goes.
	os.WriteFile(filepath.Join(out, legacyManifest), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(out, "assets", "stale.css"), []byte("old"), 0o644)
	opts := BuildOptions{WASMPath: filepath.Join(filepath.Dir(out), "main.wasm"), WASMExecPath: filepath.Join(filepath.Dir(out), "wasm_exec.js")}
	if err := Build(out, opts); err != nil {
		t.Fatalf("Build over an earlier build: %v", err)
	}
	for _, gone := range []string{legacyManifest, "assets/stale.css"} {
		if _, err := os.Stat(filepath.Join(out, gone)); err == nil {
			t.Errorf("%s survived the rebuild", gone)
		}
	}
	// The same folder with a file a build never writes is not ours.
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	if err := Build(out, opts); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("Build over a site folder holding notes.txt: %v; want a refusal naming the file", err)
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Errorf("Build removed notes.txt: %v", err)
	}
	// A folder holding only names a build writes, but no index.html.
	other := t.TempDir()
	os.Mkdir(filepath.Join(other, "docs"), 0o755)
	os.WriteFile(filepath.Join(other, "docs", "mine.md"), []byte("mine"), 0o644)
	if err := Build(other, opts); err == nil || !strings.Contains(err.Error(), "no index.html") {
		t.Errorf("Build over a folder holding docs/: %v; want a refusal", err)
	}
}

func TestBuildChecksWASM(t *testing.T) {
	tmp := t.TempDir()
	exec := filepath.Join(tmp, "wasm_exec.js")
	os.WriteFile(exec, []byte("//"), 0o644)
	for name, data := range map[string]string{
		"passwd":     "root:x:0:0:root:/root:/bin/bash\n",
		"empty":      "",
		"short":      "\x00as",
		"version-2":  "\x00asm\x02\x00\x00\x00",
		"html":       "<!doctype html>",
		"gzip":       "\x1f\x8b\x08\x00",
		"wasm-text":  "(module)",
		"asm-prefix": "asm\x01\x00\x00\x00",
	} {
		file := filepath.Join(tmp, name)
		os.WriteFile(file, []byte(data), 0o644)
		_, err := BuildSite(BuildOptions{WASMPath: file, WASMExecPath: exec})
		if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "WebAssembly") {
			t.Errorf("BuildSite with WASMPath %s: %v; want an error naming the file and WebAssembly", name, err)
		}
	}
}

func TestBuildFromEngine(t *testing.T) {
	wasm := []byte("\x00asm\x01\x00\x00\x00 a stand-in module " + strings.Repeat("y", 3000))
	tools := []byte("\x00asm\x01\x00\x00\x00 the second module " + strings.Repeat("z", 3000))
	br, err := Brotli(wasm, 11)
	if err != nil {
		t.Fatal(err)
	}
	toolsBr, err := Brotli(tools, 11)
	if err != nil {
		t.Fatal(err)
	}
	for name, engine := range map[string]fstest.MapFS{
		"brotli": {EngineWASM + ".br": {Data: br}, EngineTools + ".br": {Data: toolsBr}, EngineWASMExec: {Data: []byte("// exec")}},
		"raw":    {EngineWASM: {Data: wasm}, EngineTools: {Data: tools}, EngineWASMExec: {Data: []byte("// exec")}},
	} {
		s, err := BuildSite(BuildOptions{Engine: engine, ModuleDir: t.TempDir(), Precompress: true, PageBrotliQuality: DevBrotliQuality})
		if err != nil {
			t.Fatalf("%s: BuildSite: %v", name, err)
		}
		got := map[string][]byte{}
		for p, f := range s.Files {
			if strings.HasPrefix(p, WASMDir) {
				got[strings.SplitN(path.Base(p), ".", 2)[0]+path.Ext(p)] = f.Data
			}
		}
		if !bytes.Equal(got["main.wasm"], wasm) || !bytes.Equal(got["tools.wasm"], tools) {
			t.Errorf("%s: the site's modules are not the engine's", name)
		}
		if name == "brotli" && !bytes.Equal(got["main.br"], br) {
			t.Errorf("%s: the site's main.wasm.br is not the engine's", name)
		}
		if raw, err := io.ReadAll(brotli.NewReader(bytes.NewReader(got["main.br"]))); err != nil || !bytes.Equal(raw, wasm) {
			t.Errorf("%s: the site's main.wasm.br does not hold main.wasm (%v)", name, err)
		}
		if got, err := gunzip(got["main.gz"]); err != nil || !bytes.Equal(got, wasm) {
			t.Errorf("%s: the site's main.wasm.gz does not hold main.wasm (%v)", name, err)
		}
	}
	bad, _ := Brotli([]byte("not wasm"), 5)
	if _, err := BuildSite(BuildOptions{Engine: fstest.MapFS{EngineWASM + ".br": {Data: bad}, EngineTools: {Data: tools}, EngineWASMExec: {Data: nil}}}); err == nil || !strings.Contains(err.Error(), "not a WebAssembly module") {
		t.Errorf("BuildSite from an engine holding no WebAssembly: %v", err)
	}
	if _, err := BuildSite(BuildOptions{Engine: fstest.MapFS{}}); err == nil || !strings.Contains(err.Error(), EngineWASM+".br") {
		t.Errorf("BuildSite from an empty engine: %v", err)
	}
}

func gunzip(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestHandlerHeaders(t *testing.T) {
	out := buildFake(t, BuildOptions{LocalDoH: true})
	doh := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "doh") })
	h := Handler(os.DirFS(out), ResolverURLs(nil), doh)

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
	wasms, _ := filepath.Glob(filepath.Join(out, "assets", "wasm", "main.*.wasm"))
	if len(wasms) != 1 {
		t.Fatalf("assets/wasm holds %d main.*.wasm files; want 1", len(wasms))
	}
	if more, _ := filepath.Glob(filepath.Join(out, "assets", "wasm", "*.*[zr]")); len(more) != 0 {
		t.Errorf("Build wrote precompressed copies %v; a published folder has none", more)
	}
	wasmPath := "/assets/wasm/" + filepath.Base(wasms[0])
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
	if r := get(t, h, "/docs"); r.StatusCode != 301 || r.Header.Get("Location") != "/docs/" {
		t.Errorf("GET /docs = %d to %q; want a redirect to /docs/", r.StatusCode, r.Header.Get("Location"))
	}
	if r := get(t, h, "/index.html"); r.StatusCode != 200 || r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("GET /index.html = %d, %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
}

func TestHandlerCSPAddsExtraResolvers(t *testing.T) {
	out := buildFake(t, BuildOptions{Resolvers: []check.Resolver{{URL: "https://dns.internal.contoso.com/dns-query", Label: "Internal"}}})
	site, err := BuildSite(BuildOptions{WASMPath: filepath.Join(filepath.Dir(out), "main.wasm"), WASMExecPath: filepath.Join(filepath.Dir(out), "wasm_exec.js"),
		Resolvers: []check.Resolver{{URL: "https://dns.internal.contoso.com/dns-query", Label: "Internal"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := get(t, site.Handler(nil), "/").Header.Get("Content-Security-Policy")
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
	if err == nil || !strings.Contains(err.Error(), "no ./wasm, ./wasm/tools or wasm/wasm.work") {
		t.Errorf("Build outside the module: %v; want a clear refusal", err)
	}
}

func TestTopLevel(t *testing.T) {
	tmp := t.TempDir()
	writeFakeEngine(t, tmp)
	s, err := BuildSite(BuildOptions{WASMPath: filepath.Join(tmp, "main.wasm"), WASMExecPath: filepath.Join(tmp, "wasm_exec.js"), LocalDoH: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for name := range s.Files {
		first, _, _ := strings.Cut(name, "/")
		got[first] = true
	}
	if diff := cmp.Diff(got, topLevel()); diff != "" {
		t.Errorf("BuildSite's top-level names differ from topLevel() (-built +topLevel):\n%s", diff)
	}
}

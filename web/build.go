package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/check"
	"github.com/sipdisco/sipdisco/engine/demo"
	"github.com/sipdisco/sipdisco/templates"
)

//go:embed static
var static embed.FS

// BuildOptions configure Build.
type BuildOptions struct {
	// WASMPath is a prebuilt main.wasm to copy. Empty builds ./wasm with
	// BuildWASM in ModuleDir.
	WASMPath string
	// WASMExecPath is the wasm_exec.js to copy; it must come from the Go
	// release that built main.wasm. Empty takes
	// $(go env GOROOT)/lib/wasm/wasm_exec.js.
	WASMExecPath string
	// ModuleDir is the sipdisco module's root, used when building the
	// WASM; empty is the current directory.
	ModuleDir string
	// LocalDoH offers this server's /dns-query as the first and default
	// resolver, and links to the embedded demo scenarios (sipdisco
	// serve); the public site leaves it false.
	LocalDoH bool
	// Resolvers are extra DoH endpoints to offer, before the built-in
	// public ones (sipdisco serve --resolver URL).
	Resolvers []check.Resolver
	// Base is the URL path the site is served under; "" is "/".
	Base string
}

// Manifest is written to the site as sipdisco-site.json. Handler reads it
// to build the Content-Security-Policy for the resolvers the site offers.
type Manifest struct {
	Resolvers []string          `json:"resolvers"`
	Assets    map[string]string `json:"assets"`
}

// Fingerprinted assets live under AssetDir (cached for a year) and the
// WebAssembly module under WASMDir, so that netlify.toml can give each
// folder its headers by path.
const (
	AssetDir = "assets/"
	WASMDir  = "assets/wasm/"
)

// ManifestName is the manifest's file name in the site folder.
const ManifestName = "sipdisco-site.json"

// Build writes the whole static site into outDir, which must not exist,
// be empty, or hold a site written by an earlier Build (it is then
// replaced).
func Build(outDir string, opts BuildOptions) error {
	if err := prepareDir(outDir); err != nil {
		return err
	}
	wasmExec := opts.WASMExecPath
	if wasmExec == "" {
		root, err := goroot(opts.ModuleDir)
		if err != nil {
			return err
		}
		wasmExec = filepath.Join(root, "lib", "wasm", "wasm_exec.js")
	}
	wasmPath := opts.WASMPath
	if wasmPath == "" {
		wasmPath = filepath.Join(outDir, ".main.wasm.tmp")
		if err := BuildWASM(context.Background(), opts.ModuleDir, wasmPath); err != nil {
			return err
		}
		defer os.Remove(wasmPath)
	}

	base := opts.Base
	if base == "" {
		base = "/"
	}
	if !strings.HasPrefix(base, "/") || !strings.HasSuffix(base, "/") {
		return fmt.Errorf("web: Base %q must start and end with /", base)
	}
	site := templates.Site{Base: base}
	assets := map[string]string{}
	put := func(name string, data []byte) (string, error) {
		ext := filepath.Ext(name)
		sum := sha256.Sum256(data)
		hashed := AssetDir + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		if ext == ".wasm" {
			hashed = WASMDir + path.Base(hashed)
		}
		dst := filepath.Join(outDir, filepath.FromSlash(hashed))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return "", err
		}
		if ext == ".wasm" {
			// Handler serves this to browsers that accept gzip; a
			// host that compresses by itself (Netlify) ignores it.
			if err := writeGzip(dst+".gz", data); err != nil {
				return "", err
			}
		}
		assets[name] = hashed
		return base + hashed, nil
	}
	var err error
	var planScript, compareScript, auditScript string
	for _, a := range []struct {
		name string
		dst  *string
		read func() ([]byte, error)
	}{
		{"style.css", &site.CSS, func() ([]byte, error) { return static.ReadFile("static/style.css") }},
		{"app.js", &site.JS, func() ([]byte, error) { return static.ReadFile("static/app.js") }},
		{"boot.js", &site.Boot, func() ([]byte, error) { return static.ReadFile("static/boot.js") }},
		{"plan.js", &planScript, func() ([]byte, error) { return static.ReadFile("static/plan.js") }},
		{"compare.js", &compareScript, func() ([]byte, error) { return static.ReadFile("static/compare.js") }},
		{"audit.js", &auditScript, func() ([]byte, error) { return static.ReadFile("static/audit.js") }},
		{"wasm_exec.js", &site.WASMExec, func() ([]byte, error) { return os.ReadFile(wasmExec) }},
		{"main.wasm", &site.WASM, func() ([]byte, error) { return os.ReadFile(wasmPath) }},
	} {
		data, rerr := a.read()
		if rerr != nil {
			return fmt.Errorf("web: reading %s: %w", a.name, rerr)
		}
		if *a.dst, err = put(a.name, data); err != nil {
			return err
		}
	}

	var resolvers []templates.Resolver
	var urls []string
	if opts.LocalDoH {
		resolvers = append(resolvers, templates.Resolver{URL: check.ResolverLocal, Label: "This server (/dns-query)"})
	}
	for _, r := range append(append([]check.Resolver(nil), opts.Resolvers...), check.PublicResolvers...) {
		resolvers = append(resolvers, templates.Resolver{URL: r.URL, Label: r.Label})
		urls = append(urls, r.URL)
	}
	var public []templates.Resolver
	for _, r := range resolvers {
		if r.URL != check.ResolverLocal {
			public = append(public, r)
		}
	}

	analyzer := templates.NewAnalyzerView(site, resolvers)
	if opts.LocalDoH {
		for _, sc := range demo.Scenarios() {
			o := check.PageDefaults()
			o.URI, o.Resolver = sc.Try, check.ResolverLocal
			analyzer.Demos = append(analyzer.Demos, templates.Demo{Link: base + o.Query(), Address: sc.Try, Description: sc.Description})
		}
	}
	pages := map[string]templ.Component{
		"index.html":           templates.AnalyzerPage(analyzer),
		"about.html":           templates.AboutPage(templates.NewAboutView(site, public)),
		"docs/index.html":      templates.DocsIndexPage(templates.NewDocsIndex(site)),
		templates.FindingsPath: templates.FindingsPage(templates.NewFindingsView(site)),
		templates.PlanPath:     templates.PlanPage(templates.NewPlanView(site, planScript)),
		templates.ComparePath:  templates.ComparePage(templates.NewCompareView(site, resolvers, compareScript)),
		templates.AuditPath:    templates.AuditPage(templates.NewAuditView(site, resolvers, auditScript)),
	}
	for _, p := range engine.Profiles() {
		pages[templates.ProfileDocPath(p.Name)] = templates.ProfileDocPage(templates.NewProfileDoc(site, p))
	}
	for name, c := range pages {
		var b bytes.Buffer
		if err := c.Render(context.Background(), &b); err != nil {
			return fmt.Errorf("web: rendering %s: %w", name, err)
		}
		dst := filepath.Join(outDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	m, err := json.MarshalIndent(Manifest{Resolvers: urls, Assets: assets}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, ManifestName), append(m, '\n'), 0o644)
}

// writeGzip writes data gzip-compressed (best compression) to name.
func writeGzip(name string, data []byte) error {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	if err := w.Close(); err != nil {
		return err
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}

// prepareDir makes dir ready for a build: created if missing; emptied if it
// holds an earlier build (recognised by its manifest); refused otherwise,
// so that a mistyped path never loses someone's files.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("web: %w", err)
	case len(entries) == 0:
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
		return fmt.Errorf("web: %s is not empty and holds no earlier site build (%s); choose an empty or new folder", dir, ManifestName)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("web: clearing %s: %w", dir, err)
		}
	}
	return nil
}

// WASMLDFlags are the linker flags main.wasm is built with: no symbol
// table or DWARF, which roughly halves the file.
const WASMLDFlags = "-s -w"

// WASMGCFlags turn off inlining in main.wasm. Measured with Go 1.26 on
// this module: the raw file grows 5% but compresses 13% better (brotli
// 1.94 MB → 1.68 MB), and a check is I/O-bound, so the slower calls do not
// show.
const WASMGCFlags = "all=-l"

// BuildWASM builds the analyzer (./wasm of the module in moduleDir, "" for
// the current directory) into out with GOOS=js GOARCH=wasm.
func BuildWASM(ctx context.Context, moduleDir, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(moduleDir, "wasm", "main.go")); err != nil {
		where := moduleDir
		if where == "" {
			where = "the current folder"
		}
		return fmt.Errorf("web: cannot build main.wasm: no ./wasm package in %s; run from the sipdisco source tree or give a prebuilt main.wasm", where)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-gcflags="+WASMGCFlags, "-ldflags="+WASMLDFlags, "-o", abs, "./wasm")
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("web: building main.wasm: %v\n%s", err, stderr.Bytes())
	}
	return nil
}

func goroot(dir string) (string, error) {
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("web: go env GOROOT: %v (set BuildOptions.WASMExecPath)", err)
	}
	return strings.TrimSpace(string(out)), nil
}

package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/check"
	"github.com/sipdisco/sipdisco/engine/demo"
	"github.com/sipdisco/sipdisco/templates"
)

//go:embed static
var static embed.FS

// BuildOptions configure BuildSite and Build.
type BuildOptions struct {
	// Engine, when not nil, holds the analyzer's compiled files:
	// main.wasm (or main.wasm.gz, gzip-compressed) and the wasm_exec.js of
	// the Go release that built it, as Embedded returns them in a release
	// binary. It takes precedence over WASMPath, WASMExecPath and building.
	Engine fs.FS
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
	// LocalUpstream says that this server's /dns-query asks this
	// machine's DNS (sipdisco serve --upstream): the page offers it as
	// check.ResolverUpstream, "This machine's DNS (internal view)", whose
	// reports are the inside view, and lists no demo scenarios, which
	// only the demo zones answer.
	LocalUpstream bool
	// Resolvers are extra DoH endpoints to offer, before the built-in
	// public ones (sipdisco serve --resolver URL).
	Resolvers []check.Resolver
	// Base is the URL path the site is served under; "" is "/".
	Base string
}

// Site is a built site held in memory: every file Build publishes, and the
// resolvers its pages offer. Nothing else is published with it: no
// manifest or build record sits among the files (a host such as Netlify
// serves whatever the folder holds).
type Site struct {
	// Files holds the published files by slash-separated path. It is a
	// testing/fstest.MapFS only because that is the standard library's
	// complete in-memory fs.FS (Stat, ReadDir, Seek for range requests);
	// nothing of package testing is linked.
	Files fstest.MapFS
	// Resolvers are the DoH endpoint URLs the pages offer besides this
	// server's own /dns-query: what the Content-Security-Policy allows.
	Resolvers []string
}

// Fingerprinted assets live under AssetDir (cached for a year) and the
// WebAssembly module under WASMDir, so that netlify.toml can give each
// folder its headers by path.
const (
	AssetDir = "assets/"
	WASMDir  = "assets/wasm/"
)

// Names of the analyzer's compiled files in BuildOptions.Engine.
const (
	EngineWASM     = "main.wasm"
	EngineWASMGzip = "main.wasm.gz"
	EngineWASMExec = "wasm_exec.js"
)

// MaxWASM bounds the size of main.wasm read from a file or decompressed
// from main.wasm.gz; the real one is about 12 MB.
const MaxWASM = 64 << 20

// wasmMagic is the start of every WebAssembly binary module: the magic
// "\0asm" and version 1 (WebAssembly Core Specification, 5.5.16 Modules).
const wasmMagic = "\x00asm\x01\x00\x00\x00"

// ErrNotWASM is wrapped by the error for a main.wasm that is not a
// WebAssembly module.
var ErrNotWASM = errors.New("not a WebAssembly module")

// ErrFolderInUse is wrapped by the error for an output folder that holds
// files a site build did not write.
var ErrFolderInUse = errors.New("folder holds other files")

// CheckWASM returns an error wrapping ErrNotWASM unless b is a WebAssembly
// binary module; name is the file it came from, for the message.
func CheckWASM(name string, b []byte) error {
	if bytes.HasPrefix(b, []byte(wasmMagic)) {
		return nil
	}
	if len(b) >= 8 && string(b[:4]) == wasmMagic[:4] {
		return fmt.Errorf("web: %s is WebAssembly version %d, want version 1 (%w)", name, int(b[4])|int(b[5])<<8|int(b[6])<<16|int(b[7])<<24, ErrNotWASM)
	}
	head := b[:min(len(b), 8)]
	return fmt.Errorf("web: %s is %w (it starts with %q, want %q): give the main.wasm that GOOS=js GOARCH=wasm go build ./wasm writes", name, ErrNotWASM, head, wasmMagic)
}

// Build writes the whole static site into outDir, which must not exist,
// be empty, or hold a site written by an earlier Build (it is then
// replaced).
//
// The folder is checked before anything is built, so a wrong --out fails
// at once rather than after compiling the analyzer.
func Build(outDir string, opts BuildOptions) error {
	if err := prepareDir(outDir, false); err != nil {
		return err
	}
	s, err := BuildSite(opts)
	if err != nil {
		return err
	}
	return s.WriteDir(outDir)
}

// BuildSite builds the whole static site in memory.
func BuildSite(opts BuildOptions) (*Site, error) {
	base := opts.Base
	if base == "" {
		base = "/"
	}
	if !strings.HasPrefix(base, "/") || !strings.HasSuffix(base, "/") {
		return nil, fmt.Errorf("web: Base %q must start and end with /", base)
	}
	wasm, wasmGz, wasmExec, err := engineFiles(opts)
	if err != nil {
		return nil, err
	}

	files := fstest.MapFS{}
	site := templates.Site{Base: base}
	put := func(name string, data []byte) string {
		ext := filepath.Ext(name)
		sum := sha256.Sum256(data)
		hashed := AssetDir + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		if ext == ".wasm" {
			hashed = WASMDir + path.Base(hashed)
		}
		files[hashed] = &fstest.MapFile{Data: data, Mode: 0o644}
		return base + hashed
	}
	var planScript, compareScript, auditScript string
	for _, a := range []struct {
		name string
		dst  *string
	}{
		{"style.css", &site.CSS},
		{"app.js", &site.JS},
		{"boot.js", &site.Boot},
		{"plan.js", &planScript},
		{"compare.js", &compareScript},
		{"audit.js", &auditScript},
	} {
		data, err := static.ReadFile("static/" + a.name)
		if err != nil {
			return nil, fmt.Errorf("web: reading %s: %w", a.name, err)
		}
		*a.dst = put(a.name, data)
	}
	site.WASMExec = put(EngineWASMExec, wasmExec)
	site.WASM = put(EngineWASM, wasm)
	// Handler serves this to browsers that accept gzip; a host that
	// compresses by itself (Netlify) ignores it.
	files[strings.TrimPrefix(site.WASM, base)+".gz"] = &fstest.MapFile{Data: wasmGz, Mode: 0o644}

	var resolvers []templates.Resolver
	switch {
	case opts.LocalDoH && opts.LocalUpstream:
		resolvers = append(resolvers, templates.Resolver{URL: check.ResolverUpstream, Label: check.UpstreamLabel})
	case opts.LocalDoH:
		resolvers = append(resolvers, templates.Resolver{URL: check.ResolverLocal, Label: "This server (/dns-query)"})
	}
	for _, r := range append(append([]check.Resolver(nil), opts.Resolvers...), check.PublicResolvers...) {
		resolvers = append(resolvers, templates.Resolver{URL: r.URL, Label: r.Label})
	}
	var public []templates.Resolver
	for _, r := range resolvers {
		if r.URL != check.ResolverLocal && r.URL != check.ResolverUpstream {
			public = append(public, r)
		}
	}

	analyzer := templates.NewAnalyzerView(site, resolvers)
	if opts.LocalDoH && !opts.LocalUpstream {
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
			return nil, fmt.Errorf("web: rendering %s: %w", name, err)
		}
		files[name] = &fstest.MapFile{Data: b.Bytes(), Mode: 0o644}
	}
	return &Site{Files: files, Resolvers: ResolverURLs(opts.Resolvers)}, nil
}

// ResolverURLs returns the URLs of the DoH resolvers a site built with
// the extra resolvers offers besides its own /dns-query: extra, then the
// built-in public ones. Handler's Content-Security-Policy allows these;
// serving a folder that Build wrote needs the same extra resolvers it was
// built with.
func ResolverURLs(extra []check.Resolver) []string {
	var urls []string
	for _, r := range append(append([]check.Resolver(nil), extra...), check.PublicResolvers...) {
		urls = append(urls, r.URL)
	}
	return urls
}

// engineFiles returns main.wasm, its gzip-compressed form and
// wasm_exec.js from opts: the Engine FS, the given files, or a build of
// ./wasm now.
func engineFiles(opts BuildOptions) (wasm, wasmGz, wasmExec []byte, err error) {
	if opts.Engine != nil {
		return readEngine(opts.Engine)
	}
	wasmPath := opts.WASMPath
	if wasmPath == "" {
		tmp, err := os.MkdirTemp("", "sipdisco-wasm-")
		if err != nil {
			return nil, nil, nil, fmt.Errorf("web: %w", err)
		}
		defer os.RemoveAll(tmp)
		wasmPath = filepath.Join(tmp, EngineWASM)
		if err := BuildWASM(context.Background(), opts.ModuleDir, wasmPath); err != nil {
			return nil, nil, nil, err
		}
	}
	execPath := opts.WASMExecPath
	if execPath == "" {
		root, err := goroot(opts.ModuleDir)
		if err != nil {
			return nil, nil, nil, err
		}
		execPath = filepath.Join(root, "lib", "wasm", "wasm_exec.js")
	}
	if wasm, err = readFile(wasmPath, MaxWASM); err != nil {
		return nil, nil, nil, err
	}
	if err := CheckWASM(wasmPath, wasm); err != nil {
		return nil, nil, nil, err
	}
	if wasmExec, err = readFile(execPath, 1<<20); err != nil {
		return nil, nil, nil, err
	}
	if wasmGz, err = Gzip(wasm); err != nil {
		return nil, nil, nil, err
	}
	return wasm, wasmGz, wasmExec, nil
}

// readEngine reads the compiled analyzer from fsys: main.wasm.gz (kept as
// the served compressed copy) or main.wasm, and wasm_exec.js.
func readEngine(fsys fs.FS) (wasm, wasmGz, wasmExec []byte, err error) {
	wasmGz, err = fs.ReadFile(fsys, EngineWASMGzip)
	switch {
	case err == nil:
		zr, err := gzip.NewReader(bytes.NewReader(wasmGz))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("web: %s: %w", EngineWASMGzip, err)
		}
		if wasm, err = io.ReadAll(io.LimitReader(zr, MaxWASM+1)); err != nil {
			return nil, nil, nil, fmt.Errorf("web: %s: %w", EngineWASMGzip, err)
		}
		if len(wasm) > MaxWASM {
			return nil, nil, nil, fmt.Errorf("web: %s: larger than %d bytes", EngineWASMGzip, MaxWASM)
		}
	case errors.Is(err, fs.ErrNotExist):
		if wasm, err = fs.ReadFile(fsys, EngineWASM); err != nil {
			return nil, nil, nil, fmt.Errorf("web: the engine holds neither %s nor %s: %w", EngineWASMGzip, EngineWASM, err)
		}
		if wasmGz, err = Gzip(wasm); err != nil {
			return nil, nil, nil, err
		}
	default:
		return nil, nil, nil, fmt.Errorf("web: %w", err)
	}
	if err := CheckWASM(EngineWASM, wasm); err != nil {
		return nil, nil, nil, err
	}
	if wasmExec, err = fs.ReadFile(fsys, EngineWASMExec); err != nil {
		return nil, nil, nil, fmt.Errorf("web: %w", err)
	}
	return wasm, wasmGz, wasmExec, nil
}

// readFile reads at most limit bytes of name, refusing a larger file.
func readFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("web: reading %s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("web: %s is larger than %d bytes", name, limit)
	}
	return b, nil
}

// Gzip returns data gzip-compressed at the best compression.
func Gzip(data []byte) ([]byte, error) {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// legacyManifest is the build record that earlier versions wrote into the
// site folder; a folder holding it is still recognised as an earlier build.
const legacyManifest = "sipdisco-site.json"

// WriteDir writes the site into dir, which must not exist, be empty, or
// hold a site written earlier (it is then replaced).
func (s *Site) WriteDir(dir string) error {
	if err := prepareDir(dir, true); err != nil {
		return err
	}
	names := slices.Sorted(maps.Keys(s.Files))
	for _, name := range names {
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("web: %w", err)
		}
		if err := os.WriteFile(dst, s.Files[name].Data, 0o644); err != nil {
			return fmt.Errorf("web: %w", err)
		}
	}
	return nil
}

// topLevel returns the names a site build writes directly into its
// folder. TestTopLevel keeps it equal to what BuildSite makes.
func topLevel() map[string]bool {
	top := map[string]bool{"index.html": true, "about.html": true, "docs": true, strings.TrimSuffix(AssetDir, "/"): true}
	for _, p := range []string{templates.FindingsPath, templates.PlanPath, templates.ComparePath, templates.AuditPath} {
		first, _, _ := strings.Cut(p, "/")
		top[first] = true
	}
	for _, p := range engine.Profiles() {
		first, _, _ := strings.Cut(templates.ProfileDocPath(p.Name), "/")
		top[first] = true
	}
	return top
}

// prepareDir checks that dir can take a build: missing, empty, or holding
// an earlier build (an index.html and nothing but the names a build writes
// at the top); anything else is refused, so that a mistyped path never
// loses someone's files. With clear set it also makes dir ready: created
// if missing, an earlier build removed.
func prepareDir(dir string, clear bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !clear {
			return nil
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("web: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("web: %w", err)
	case len(entries) == 0:
		return nil
	}
	top := topLevel()
	top[legacyManifest] = true
	foreign := ""
	hasIndex := false
	for _, e := range entries {
		if e.Name() == "index.html" {
			hasIndex = true
		}
		if !top[e.Name()] && foreign == "" {
			foreign = e.Name()
		}
	}
	switch {
	case foreign != "":
		return fmt.Errorf("web: %s is not empty and holds %s, which a site build does not write; choose an empty or new folder (%w)", dir, foreign, ErrFolderInUse)
	case !hasIndex:
		return fmt.Errorf("web: %s is not empty and holds no earlier site build (no index.html); choose an empty or new folder (%w)", dir, ErrFolderInUse)
	case !clear:
		return nil
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
		return fmt.Errorf("web: cannot build main.wasm: %w in %s; run from the sipdisco source tree or give a prebuilt main.wasm", ErrNoSource, where)
	}
	if _, err := exec.LookPath("go"); err != nil {
		return fmt.Errorf("web: cannot build main.wasm: %w", ErrNoGo)
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

// ErrNoSource says that building the analyzer needs the sipdisco source
// tree (its ./wasm package), which is not there.
var ErrNoSource = errors.New("no ./wasm package")

// ErrNoGo says that building the analyzer needs the go command, which is
// not on PATH.
var ErrNoGo = errors.New("the go command is not on PATH (building the analyzer compiles ./wasm with Go)")

func goroot(dir string) (string, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return "", fmt.Errorf("web: finding wasm_exec.js: %w", ErrNoGo)
	}
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("web: go env GOROOT: %v (set BuildOptions.WASMExecPath)", err)
	}
	return strings.TrimSpace(string(out)), nil
}

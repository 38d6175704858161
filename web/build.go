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
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/a-h/templ"
	"github.com/andybalholm/brotli"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/templates"
)

//go:embed static
var static embed.FS

// BuildOptions configure BuildSite and Build.
type BuildOptions struct {
	// Engine, when not nil, holds the analyzer's compiled files: its two
	// modules, each raw (main.wasm, tools.wasm) or brotli-compressed
	// (main.wasm.br, tools.wasm.br), and the wasm_exec.js of the Go release
	// that built them, as Embedded returns them in a release binary. It
	// takes precedence over WASMPath, WASMExecPath and building.
	Engine fs.FS
	// WASMPath is a prebuilt main.wasm to copy, with the tools.wasm built
	// with it in the same folder. Empty builds both with BuildWASM in
	// ModuleDir.
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
	// Precompress adds a brotli (.br) and a gzip (.gz) copy of every file
	// that compresses, which Handler sends to browsers that accept them
	// (sipdisco serve). Build never writes them: Netlify compresses what it
	// serves by itself and would publish the copies as files of their own.
	Precompress bool
	// BrotliQuality is the brotli quality of the modules' precompressed
	// copies when the Engine holds none; 0 is DevBrotliQuality.
	BrotliQuality int
	// PageBrotliQuality is the brotli quality of every other file (pages,
	// scripts, styles); 0 is ReleaseBrotliQuality. They are small, but
	// there are over a hundred: tests that do not weigh the copies use
	// DevBrotliQuality, which under the race detector takes seconds
	// instead of minutes.
	PageBrotliQuality int
}

// Brotli qualities (RFC 7932 encoders take 0 to 11). At 11 the first
// module is about 12 % smaller than at 9, but the pure-Go encoder takes
// half a minute for it and over two minutes for the second module, so a
// release compresses at 11 once and carries the result, and builds from
// the source tree use a quality that takes a second.
const (
	ReleaseBrotliQuality = 11
	DevBrotliQuality     = 5
)

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

// Names of the analyzer's compiled files in BuildOptions.Engine: its first
// module, main.wasm (the analyzer page: a live check, a snapshot, the
// sign-in ladder), its second, tools.wasm (planned zones, pasted
// certificates, internationalized names, the Plan, Compare, Audit and
// Domain pages), and Go's wasm_exec.js. A module may be given as NAME.br.
const (
	EngineWASM     = "main.wasm"
	EngineTools    = "tools.wasm"
	EngineWASMExec = "wasm_exec.js"
)

// MaxWASM bounds the size of a module read from a file or decompressed;
// the real ones are about 6 and 12 MB.
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
	eng, err := engineFiles(opts)
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
	var planScript, compareScript, auditScript, domainScript, logScript string
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
		{"domain.js", &domainScript},
		{"log.js", &logScript},
	} {
		data, err := static.ReadFile("static/" + a.name)
		if err != nil {
			return nil, fmt.Errorf("web: reading %s: %w", a.name, err)
		}
		*a.dst = put(a.name, data)
	}
	// The worker script runs after Go's wasm_exec.js, in one file: one
	// request, not two in a row, before the module can start.
	worker, err := static.ReadFile("static/worker.js")
	if err != nil {
		return nil, fmt.Errorf("web: reading worker.js: %w", err)
	}
	site.Worker = put("worker.js", append(append(append([]byte(nil), eng.exec...), '\n'), worker...))
	site.WASM = put(EngineWASM, eng.main.raw)
	site.Tools = put(EngineTools, eng.tools.raw)

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
	// A static site (no --local) lists the demos too, folded away until
	// the page finds a /dns-query beside it (sipdisco serve --site), and
	// says where they work meanwhile.
	analyzer.DemosNeedServe = !opts.LocalDoH
	if !opts.LocalUpstream {
		for _, sc := range demo.Scenarios() {
			o := check.PageDefaults()
			o.URI, o.Resolver = sc.Try, check.Source{Kind: check.SourceLocal}
			analyzer.Demos = append(analyzer.Demos, templates.Demo{Link: base + o.Query(), Address: sc.Try, Description: sc.Description})
		}
	}
	domainPage := templates.NewDomainView(site, resolvers, domainScript)
	if opts.LocalDoH && !opts.LocalUpstream {
		if domainPage.Demos, err = domainDemos(base); err != nil {
			return nil, err
		}
	}
	pages := map[string]templ.Component{
		"index.html":           templates.AnalyzerPage(analyzer),
		"about.html":           templates.AboutPage(templates.NewAboutView(site, public)),
		"docs/index.html":      templates.DocsIndexPage(templates.NewDocsIndex(site)),
		templates.FindingsPath: templates.FindingsPage(templates.NewFindingsView(site)),
		templates.RecordsPath:  templates.RecordsPage(templates.NewRecordsView(site)),
		templates.PlanPath:     templates.PlanPage(templates.NewPlanView(site, planScript)),
		templates.ComparePath:  templates.ComparePage(templates.NewCompareView(site, resolvers, compareScript)),
		templates.AuditPath:    templates.AuditPage(templates.NewAuditView(site, resolvers, auditScript)),
		templates.DomainPath:   templates.DomainPage(domainPage),
		templates.LogPath:      templates.LogPage(templates.NewLogView(site, resolvers, logScript)),
		templates.NotFoundPath: templates.NotFoundPage(templates.NewNotFoundPage(site)),
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
	if opts.Precompress {
		known := map[string]*module{strings.TrimPrefix(site.WASM, base): &eng.main, strings.TrimPrefix(site.Tools, base): &eng.tools}
		if err := precompress(files, known, opts.BrotliQuality, opts.PageBrotliQuality); err != nil {
			return nil, err
		}
	}
	return &Site{Files: files, Resolvers: ResolverURLs(opts.Resolvers)}, nil
}

// domainReportDemos are the demo scenarios the domain page offers, one
// for each state of the Teams Only gate and the federation path.
var domainReportDemos = []string{"teams-ready", "teams-blocked", "teams-wildcard", "hybrid", "federation-outside", "nothing"}

// domainDemos returns the domain page's demo links under base: each of
// domainReportDemos, then all of them at once (the tenant's verdict).
func domainDemos(base string) ([]templates.Demo, error) {
	byName := map[string]demo.Scenario{}
	for _, sc := range demo.Scenarios() {
		byName[sc.Name] = sc
	}
	var out []templates.Demo
	var all check.DomainOptions
	all.DoH = check.ResolverLocal
	for _, n := range domainReportDemos {
		sc, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("web: the domain page's demo %q is not a demo scenario", n)
		}
		o := check.DomainOptions{Domains: []string{sc.Domain}, DoH: check.ResolverLocal}
		out = append(out, templates.Demo{Link: base + "domain/" + o.Query(), Address: sc.Domain, Description: sc.Description})
		all.Domains = append(all.Domains, sc.Domain)
	}
	out = append(out, templates.Demo{Link: base + "domain/" + all.Query(), Address: "all " + strconv.Itoa(len(all.Domains)) + " at once",
		Description: "one tenant with every domain above: the summary table and the tenant's verdict."})
	return out, nil
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

// module is one compiled WebAssembly module: its bytes and, from a
// release's engine, their brotli-compressed form.
type module struct {
	raw, br []byte
}

// compiled is the analyzer's compiled files.
type compiled struct {
	main, tools module
	exec        []byte
}

// engineFiles returns the two modules and wasm_exec.js from opts: the
// Engine FS, the given files, or a build of the modules now.
func engineFiles(opts BuildOptions) (compiled, error) {
	if opts.Engine != nil {
		return readEngine(opts.Engine)
	}
	var e compiled
	wasmPath := opts.WASMPath
	if wasmPath == "" {
		tmp, err := os.MkdirTemp("", "sipdisco-wasm-")
		if err != nil {
			return e, fmt.Errorf("web: %w", err)
		}
		defer os.RemoveAll(tmp)
		if err := BuildWASM(context.Background(), opts.ModuleDir, tmp, buildinfo.Read().Version); err != nil {
			return e, err
		}
		wasmPath = filepath.Join(tmp, EngineWASM)
	}
	execPath := opts.WASMExecPath
	if execPath == "" {
		root, err := goroot(opts.ModuleDir)
		if err != nil {
			return e, err
		}
		execPath = filepath.Join(root, "lib", "wasm", "wasm_exec.js")
	}
	for _, m := range []struct {
		path string
		dst  *[]byte
	}{{wasmPath, &e.main.raw}, {filepath.Join(filepath.Dir(wasmPath), EngineTools), &e.tools.raw}} {
		b, err := readFile(m.path, MaxWASM)
		if err != nil {
			return e, err
		}
		if err := CheckWASM(m.path, b); err != nil {
			return e, err
		}
		*m.dst = b
	}
	var err error
	if e.exec, err = readFile(execPath, 1<<20); err != nil {
		return e, err
	}
	return e, nil
}

// readEngine reads the compiled analyzer from fsys: each module as
// NAME.br (kept as its served compressed copy) or NAME, and wasm_exec.js.
func readEngine(fsys fs.FS) (compiled, error) {
	var e compiled
	for _, m := range []struct {
		name string
		dst  *module
	}{{EngineWASM, &e.main}, {EngineTools, &e.tools}} {
		br, err := fs.ReadFile(fsys, m.name+".br")
		switch {
		case err == nil:
			raw, err := io.ReadAll(io.LimitReader(brotli.NewReader(bytes.NewReader(br)), MaxWASM+1))
			if err != nil {
				return e, fmt.Errorf("web: %s.br: %w", m.name, err)
			}
			if len(raw) > MaxWASM {
				return e, fmt.Errorf("web: %s.br: larger than %d bytes", m.name, MaxWASM)
			}
			*m.dst = module{raw: raw, br: br}
		case errors.Is(err, fs.ErrNotExist):
			raw, err := fs.ReadFile(fsys, m.name)
			if err != nil {
				return e, fmt.Errorf("web: the engine holds neither %s.br nor %s: %w", m.name, m.name, err)
			}
			m.dst.raw = raw
		default:
			return e, fmt.Errorf("web: %w", err)
		}
		if err := CheckWASM(m.name, m.dst.raw); err != nil {
			return e, err
		}
	}
	var err error
	if e.exec, err = fs.ReadFile(fsys, EngineWASMExec); err != nil {
		return e, fmt.Errorf("web: %w", err)
	}
	return e, nil
}

// precompressedTypes are the files precompress compresses: text and
// WebAssembly. Others (none yet) are sent as they are.
var precompressedTypes = []string{".html", ".css", ".js", ".wasm", ".svg", ".json"}

// minPrecompress is the smallest file worth a compressed copy.
const minPrecompress = 1 << 10

// precompress adds NAME.br and NAME.gz beside every file of files that
// compresses: the modules' brotli copies from known when a release
// carried them, at quality (0: DevBrotliQuality) otherwise, the rest at
// pageQuality (0: ReleaseBrotliQuality). The work runs on every core.
func precompress(files fstest.MapFS, known map[string]*module, quality, pageQuality int) error {
	if quality <= 0 {
		quality = DevBrotliQuality
	}
	if pageQuality <= 0 {
		pageQuality = ReleaseBrotliQuality
	}
	type job struct {
		name, enc string
		data      []byte
		quality   int
	}
	var jobs []job
	for name, f := range files {
		if len(f.Data) < minPrecompress || !slices.Contains(precompressedTypes, path.Ext(name)) {
			continue
		}
		q := pageQuality
		if m, ok := known[name]; ok {
			q = quality
			if m.br != nil {
				files[name+".br"] = &fstest.MapFile{Data: m.br, Mode: 0o644}
				q = -1
			}
		}
		if q >= 0 {
			jobs = append(jobs, job{name: name, enc: ".br", data: f.Data, quality: q})
		}
		jobs = append(jobs, job{name: name, enc: ".gz", data: f.Data})
	}
	// The largest first, so that the two modules run in parallel.
	slices.SortFunc(jobs, func(a, b job) int { return len(b.data) - len(a.data) })
	out := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if j.enc == ".br" {
				out[i], errs[i] = Brotli(j.data, j.quality)
			} else {
				out[i], errs[i] = Gzip(j.data)
			}
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		if errs[i] != nil {
			return fmt.Errorf("web: compressing %s: %w", j.name, errs[i])
		}
		files[j.name+j.enc] = &fstest.MapFile{Data: out[i], Mode: 0o644}
	}
	return nil
}

// Brotli returns data brotli-compressed (RFC 7932) at quality.
func Brotli(data []byte, quality int) ([]byte, error) {
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, quality)
	w.Write(data)
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
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

// legacyNames are the top-level names earlier builds wrote and this one
// does not: the manifest, and the Compare and Audit pages before they
// moved to /compare/ and /audit/.
var legacyNames = []string{legacyManifest, "compare.html", "audit.html"}

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
	top := map[string]bool{"index.html": true, "about.html": true, templates.NotFoundPath: true, "docs": true, strings.TrimSuffix(AssetDir, "/"): true}
	for _, p := range []string{templates.FindingsPath, templates.RecordsPath, templates.PlanPath, templates.ComparePath, templates.AuditPath, templates.DomainPath, templates.LogPath} {
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
	for _, n := range legacyNames {
		top[n] = true
	}
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

// WASMLDFlags are the linker flags the modules are built with: no symbol
// table or DWARF, which roughly halves the files.
const WASMLDFlags = "-s -w"

// versionVar is the variable of package buildinfo that holds the
// version; a module reads only what the linker stamps there.
const versionVar = "github.com/sipdisco/sipdisco/internal/buildinfo.version"

// WASMGCFlags turn off inlining in the modules. Measured with Go 1.26 on
// this module: the raw file grows 5% but compresses 13% better (brotli
// 1.94 MB → 1.68 MB when there was one module), and a check is I/O-bound,
// so the slower calls do not show.
const WASMGCFlags = "all=-l"

// WASMWork is the workspace file the modules are built with (GOWORK),
// relative to the module root: it replaces github.com/a-h/templ with the
// stand-in in internal/templshim, which renders the same HTML without
// net/http, html/template and regexp (docs/adr/0005-wasm-size.md).
const WASMWork = "wasm/wasm.work"

// FirstModuleTags are the build tags of the first module, ./wasm: the
// tag firstmodule leaves out what it hands to the second module, the
// conversion of internationalized names (engine/idna_first.go) and the
// rendering of what real servers answered (templates/probe_first.go).
// Every other build, native or WebAssembly, has both.
const FirstModuleTags = "firstmodule"

// BuildWASM builds the analyzer's two modules (./wasm and ./wasm/tools of
// the module in moduleDir, "" for the current directory) into dir, as
// EngineWASM and EngineTools, with GOOS=js GOARCH=wasm and the workspace
// WASMWork, the first with FirstModuleTags. version, when not empty, is stamped into the modules (the
// tool version their reports name): the version of the program that
// builds them, or of the release being made.
func BuildWASM(ctx context.Context, moduleDir, dir, version string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for _, f := range []string{filepath.Join("wasm", "main.go"), filepath.Join("wasm", "tools", "main.go"), WASMWork} {
		if _, err := os.Stat(filepath.Join(moduleDir, f)); err != nil {
			where := moduleDir
			if where == "" {
				where = "the current folder"
			}
			return fmt.Errorf("web: cannot build the WebAssembly modules: %w in %s; run from the sipdisco source tree or give a prebuilt main.wasm", ErrNoSource, where)
		}
	}
	if _, err := exec.LookPath("go"); err != nil {
		return fmt.Errorf("web: cannot build the WebAssembly modules: %w", ErrNoGo)
	}
	work, err := filepath.Abs(filepath.Join(moduleDir, WASMWork))
	if err != nil {
		return err
	}
	ldflags := WASMLDFlags
	if version != "" {
		if strings.ContainsAny(version, " \t'\"") {
			return fmt.Errorf("web: the version %q cannot be stamped into the modules", version)
		}
		ldflags += " -X " + versionVar + "=" + version
	}
	for _, m := range []struct{ pkg, out, tags string }{{"./wasm", EngineWASM, FirstModuleTags}, {"./wasm/tools", EngineTools, ""}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-tags="+m.tags, "-gcflags="+WASMGCFlags, "-ldflags="+ldflags, "-o", filepath.Join(abs, m.out), m.pkg)
		cmd.Dir = moduleDir
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOWORK="+work)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("web: building %s: %v\n%s", m.out, err, stderr.Bytes())
		}
	}
	return nil
}

// ErrNoSource says that building the analyzer needs the sipdisco source
// tree (its ./wasm package), which is not there.
var ErrNoSource = errors.New("no ./wasm, ./wasm/tools or wasm/wasm.work")

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

//go:build !js

package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/web"
)

// modulePath is the sipdisco module, recognised in a go.mod by findSource.
const modulePath = "github.com/sipdisco/sipdisco"

// siteSource is a site to serve and what to call it.
type siteSource struct {
	fs        fs.FS
	resolvers []string
	what      string
}

// engineSource says where the analyzer's compiled files come from: the
// binary (a release build), or the source tree (a development build, which
// compiles ./wasm with Go). It returns the build options to use and a
// description, or an error saying how to get the site.
func engineSource(cmd string) (web.BuildOptions, string, error) {
	if e := web.Embedded(); e != nil {
		return web.BuildOptions{Engine: e}, "the site built into this binary", nil
	}
	root, ok := findSource()
	if !ok {
		return web.BuildOptions{}, "", noSite(cmd, "the current folder is not inside the sipdisco source tree")
	}
	return web.BuildOptions{ModuleDir: root}, "the site built from the source tree in " + root, nil
}

// builtSite builds the site serve serves, in memory, from engineSource.
func builtSite(stderr io.Writer, resolvers []check.Resolver, upstream bool) (*siteSource, error) {
	opts, what, err := engineSource("serve")
	if err != nil {
		return nil, err
	}
	// Precompressed: the analyzer's module goes out as brotli.
	opts.LocalDoH, opts.Resolvers, opts.LocalUpstream, opts.Precompress = true, resolvers, upstream, true
	start := time.Now()
	if opts.Engine == nil {
		fmt.Fprintln(stderr, "sipdisco: building the site (pages and the WebAssembly engine)...")
	}
	site, err := web.BuildSite(opts)
	if err != nil {
		return nil, siteError("serve", err)
	}
	if opts.Engine == nil {
		fmt.Fprintf(stderr, "sipdisco: site built in %v\n", time.Since(start).Round(100*time.Millisecond))
	}
	return &siteSource{fs: site.Files, resolvers: site.Resolvers, what: what}, nil
}

// siteFromDir is a site that sipdisco build wrote into dir.
func siteFromDir(dir string, resolvers []check.Resolver) (*siteSource, error) {
	if fi, err := os.Stat(filepath.Join(dir, "index.html")); err != nil || !fi.Mode().IsRegular() {
		return nil, usagef("--site %s: no index.html there; build it with sipdisco build --local --out %s", dir, dir)
	}
	return &siteSource{fs: os.DirFS(dir), resolvers: web.ResolverURLs(resolvers), what: "the site in " + dir}, nil
}

// siteError turns a failed site build into the error to show: one that
// says how to get the site when the engine cannot be built here.
func siteError(cmd string, err error) error {
	switch {
	case errors.Is(err, web.ErrNoGo):
		return noSite(cmd, "Go is not on PATH, and a development build compiles the analyzer with it")
	case errors.Is(err, web.ErrNoSource):
		return noSite(cmd, "the sipdisco source tree has no ./wasm package")
	}
	return err
}

// noSite says that this binary cannot make the site here, why, and every
// way to get it.
func noSite(cmd, why string) error {
	return fmt.Errorf(`no site to %s: this sipdisco is a development build, which carries no site and builds it from the source tree, and %s. Any one of these works:
  - use a release binary (sipdisco version says "site: built in"): it carries the site and needs nothing else
  - in the sipdisco source tree, with Go: make serve (or go run ./cmd/sipdisco %s)
  - build a binary that carries the site, in the source tree: make release-host, then use the binary in dist/
  - serve a site built before: sipdisco build --local --out DIR in the source tree, then sipdisco serve --site DIR`, verb(cmd), why, cmd)
}

func verb(cmd string) string {
	if cmd == "build" {
		return "build"
	}
	return "serve"
}

// findSource returns the root of the sipdisco source tree that holds the
// current folder: the nearest folder upwards whose go.mod declares the
// sipdisco module and that has the ./wasm package.
func findSource() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if isSourceRoot(dir) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// isSourceRoot reports whether dir is the root of the sipdisco module with
// its ./wasm package.
func isSourceRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 64<<10))
	for sc.Scan() {
		if mod, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			if strings.Trim(strings.TrimSpace(mod), `"`) != modulePath {
				return false
			}
			_, err := os.Stat(filepath.Join(dir, "wasm", "main.go"))
			return err == nil
		}
	}
	return false
}

//go:build !js

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/sipdisco/sipdisco/web"
)

// buildOptions are build's flags.
type buildOptions struct {
	out, wasm, wasmExec string
	local               bool
	resolvers           resolverList
}

func (o *buildOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.out, "out", "site", "publish `DIR` to write the site into (replaced if it holds an earlier build)")
	fs.StringVar(&o.wasm, "wasm", "", "a prebuilt main.wasm `FILE` (default: the one built into this binary, or build ./wasm now)")
	fs.StringVar(&o.wasmExec, "wasm-exec", "", "the wasm_exec.js `FILE` of the Go release that built --wasm (default: $(go env GOROOT)/lib/wasm/wasm_exec.js)")
	fs.BoolVar(&o.local, "local", false, "offer the serving host's /dns-query first, as sipdisco serve does")
	fs.Var(&o.resolvers, "resolver", "an extra DoH `URL` to offer and allow in the CSP (repeatable)")
	shortFlag(fs, "out")
}

// runBuild writes the static site: what Netlify publishes (netlify.toml
// runs make site, which runs this).
func runBuild(args []string, stdout, stderr io.Writer) error {
	var o buildOptions
	fs := newFlagSet("build")
	o.register(fs)
	pos, err := parseFlags(fs, args, stdout, usageOf("build"))
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (run sipdisco build -h for help)", pos[0])
	}
	var opts web.BuildOptions
	what := "--wasm " + o.wasm
	if o.wasm != "" {
		opts.WASMPath, opts.WASMExecPath = o.wasm, o.wasmExec
	} else {
		if o.wasmExec != "" {
			return usagef("--wasm-exec goes with --wasm")
		}
		if opts, what, err = engineSource("build"); err != nil {
			return err
		}
		if opts.Engine == nil {
			fmt.Fprintln(stderr, "sipdisco: building the WebAssembly engine...")
		}
	}
	opts.LocalDoH, opts.Resolvers = o.local, o.resolvers.list
	if err := web.Build(o.out, opts); err != nil {
		if errors.Is(err, web.ErrNotWASM) || errors.Is(err, web.ErrFolderInUse) {
			return usageError{err.Error()}
		}
		return siteError("build", err)
	}
	fmt.Fprintf(stdout, "sipdisco: site written to %s (from %s)\n", o.out, what)
	return nil
}

//go:build !js

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/sipdisco/sipdisco/web"
)

// runBuild writes the static site: what Netlify publishes (netlify.toml
// runs make site, which runs this).
func runBuild(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "site", "publish `DIR` to write the site into (replaced if it holds an earlier build)")
	wasm := fs.String("wasm", "", "a prebuilt main.wasm `FILE` (default: build ./wasm now)")
	local := fs.Bool("local", false, "offer the serving host's /dns-query first, as sipdisco serve does")
	var resolvers resolverList
	fs.Var(&resolvers, "resolver", "an extra DoH `URL` to offer and allow in the CSP (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := web.Build(*out, web.BuildOptions{WASMPath: *wasm, LocalDoH: *local, Resolvers: resolvers.list}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sipdisco: site written to %s\n", *out)
	return nil
}

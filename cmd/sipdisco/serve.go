//go:build !js

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/check"
	"github.com/sipdisco/sipdisco/engine/demo"
	"github.com/sipdisco/sipdisco/web"
)

// resolverList collects --resolver flags, each checked as a DoH endpoint.
type resolverList struct{ list []check.Resolver }

func (r *resolverList) String() string { return "" }

func (r *resolverList) Set(s string) error {
	if err := dohclient.CheckEndpoint(s); err != nil {
		return err
	}
	r.list = append(r.list, check.Resolver{URL: s, Label: s})
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`; loopback unless --allow-remote")
	allowRemote := fs.Bool("allow-remote", false, "allow listening on a non-loopback address")
	site := fs.String("site", "", "serve the site already built in `DIR` (sipdisco build); default: build it now")
	var resolvers resolverList
	fs.Var(&resolvers, "resolver", "an extra DoH `URL` the page offers and its CSP allows (repeatable), e.g. an internal resolver")
	// --zone, as check reads it: the zones /dns-query answers from
	// instead of the demo zones.
	zoneFlags := check.Bind(fs, check.Defaults(), flagEnv, check.GroupAnswers)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := checkListen(*addr, *allowRemote); err != nil {
		return err
	}
	var resolver engine.Resolver
	var what string
	zo, err := zoneFlags.Options()
	if err != nil {
		return usageError{err.Error()}
	}
	if len(zo.Zones) > 0 {
		set, err := loadZones(zo.Zones, false)
		if err != nil {
			return err
		}
		resolver, what = set, "zone files"
	} else {
		set, err := loadDemo()
		if err != nil {
			return err
		}
		resolver, what = set, "the embedded demo zones"
	}
	doh := dohclient.NewHandler(resolver, dohclient.HandlerOptions{Timeout: 10 * time.Second})
	var handler http.Handler
	dir := *site
	if dir == "" {
		tmp, err := os.MkdirTemp("", "sipdisco-site-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = filepath.Join(tmp, "site")
		fmt.Fprintln(stderr, "sipdisco: building the site (pages and the WebAssembly engine)...")
		start := time.Now()
		if err := web.Build(dir, web.BuildOptions{LocalDoH: true, Resolvers: resolvers.list}); err != nil {
			fmt.Fprintf(stderr, "sipdisco: cannot build the site (%v); serving a placeholder page and /dns-query only. Run from the source tree, or pass --site DIR from sipdisco build.\n", err)
			dir = ""
		} else {
			fmt.Fprintf(stderr, "sipdisco: site built in %v\n", time.Since(start).Round(100*time.Millisecond))
		}
	}
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
			return usagef("--site %s: no index.html there; build it with sipdisco build --out %s", dir, dir)
		}
		handler = web.Handler(dir, doh)
	} else {
		mux := http.NewServeMux()
		mux.Handle("/dns-query", doh)
		mux.HandleFunc("/", placeholder)
		handler = mux
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "sipdisco: serving http://%s/ (DoH at /dns-query from %s); Ctrl-C stops\n", ln.Addr(), what)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// checkListen refuses a non-loopback address unless allowed: the DoH
// endpoint answers only from the given zones, but it is still not meant
// for the network.
func checkListen(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("bad --addr %q: %v", addr, err)
	}
	if allowRemote {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return usagef("--addr %s is not a loopback address; add --allow-remote to serve other machines", addr)
	}
	return nil
}

var placeholderPage = template.Must(template.New("p").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sipdisco</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>sipdisco</h1>
<p>The browser analyzer could not be built here (see the server's log). The DNS-over-HTTPS endpoint is at <code>/dns-query</code>; try
<code>sipdisco check --doh http://{{.Host}}/dns-query bob@healthy.example</code>.</p>
<h2>Demo zones</h2><ul>{{range .Demo}}<li><code>{{.Try}}</code>: {{.Description}}</li>{{end}}</ul>
</body></html>`))

func placeholder(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	placeholderPage.Execute(w, struct {
		Host string
		Demo []demo.Scenario
	}{r.Host, demo.Scenarios()})
}

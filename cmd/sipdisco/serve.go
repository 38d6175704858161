//go:build !js

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/upstream"
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

// serveOptions are serve's flags.
type serveOptions struct {
	addr        string
	allowRemote bool
	site        string
	resolvers   resolverList
	// zones is --zone, as check reads it: the zones /dns-query answers
	// from instead of the demo zones.
	zones *check.Binding
	// upstream is --upstream: the machine's DNS or plain DNS servers that
	// /dns-query asks instead of any zones (the internal view).
	upstream []string
}

func (o *serveOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen `address`; loopback unless --allow-remote")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fs.StringVar(&o.site, "site", "", "serve the site that sipdisco build --local wrote into `DIR` (give the --resolver flags it was built with) instead of the built-in one")
	fs.Var(&o.resolvers, "resolver", "an extra DoH `URL` the page offers and its CSP allows (repeatable), e.g. an internal resolver")
	o.zones = check.BindFields(fs, check.Defaults(), flagEnv, "Zones")
	fs.Func("upstream", "answer /dns-query through `system|IP[:PORT]`: this machine's DNS or plain DNS servers (repeatable); the internal view in the page, only for the questions discovery and the domain report ask", func(v string) error {
		o.upstream = append(o.upstream, v)
		return nil
	})
	inGroup(fs, check.HelpServing, "addr", "allow-remote", "site", "resolver")
	inGroup(fs, check.HelpDNS, "upstream")
}

// serverLimits bound what one client can hold of the server (issue 15):
// every connection ends within the timeouts, request headers are bounded,
// and at most MaxConns connections are served at once (more are answered
// 503 with Retry-After at once, issue 27). web.Handler refuses a body larger than a DNS message before
// reading it.
type serverLimits struct {
	// ReadHeader bounds reading a request's header; Read bounds reading
	// the whole request, body included (a slow body is cut off).
	ReadHeader, Read time.Duration
	// Write bounds writing a response, from the end of the request's
	// header: the larger WebAssembly module (tools.wasm, about 1.9 MB
	// brotli) at 50 kB/s fits.
	Write time.Duration
	// Idle bounds how long a keep-alive connection waits for its next
	// request.
	Idle time.Duration
	// MaxHeaderBytes bounds a request's header.
	MaxHeaderBytes int
	// MaxConns bounds the connections served at once.
	MaxConns int
}

// defaultLimits are serve's limits: generous for a browser on loopback or
// a LAN, which opens about six connections and sends small requests.
var defaultLimits = serverLimits{
	ReadHeader:     5 * time.Second,
	Read:           10 * time.Second,
	Write:          60 * time.Second,
	Idle:           15 * time.Second,
	MaxHeaderBytes: 16 << 10,
	MaxConns:       64,
}

// serveHTTP serves h on ln within limits until ctx ends, then shuts down,
// giving requests in flight five seconds. It closes ln.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, limits serverLimits) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: limits.ReadHeader,
		ReadTimeout:       limits.Read,
		WriteTimeout:      limits.Write,
		IdleTimeout:       limits.Idle,
		MaxHeaderBytes:    limits.MaxHeaderBytes,
	}
	if limits.MaxConns > 0 {
		ln = newRefusingListener(ln, limits.MaxConns)
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(shut) != nil {
			srv.Close()
		}
	}()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		<-stopped
		return nil
	}
	return err
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o serveOptions
	fs := newFlagSet("serve")
	o.register(fs)
	pos, err := parseFlags(fs, args, stdout, usageOf("serve"))
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (run sipdisco serve -h for help)", pos[0])
	}
	if err := checkListen(o.addr, o.allowRemote); err != nil {
		return err
	}
	resolver, what, public, err := o.resolver()
	if err != nil {
		return err
	}
	var files *siteSource
	if o.site != "" {
		if files, err = siteFromDir(o.site, o.resolvers.list); err != nil {
			return err
		}
	}
	// Listen before building the site: a port in use is reported at
	// once, not after seconds of compiling.
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.addr, err)
	}
	defer ln.Close()
	if files == nil {
		if files, err = builtSite(stderr, o.resolvers.list, len(o.upstream) > 0); err != nil {
			return err
		}
	}
	// Zones answer as their authority; an upstream's answers are live
	// and must not be cached (a re-check right after a fix).
	doh := server.NewHandler(resolver, server.HandlerOptions{Timeout: 10 * time.Second,
		Authoritative: len(o.upstream) == 0, NoStore: len(o.upstream) > 0})
	// No other site's page may have /dns-query asked (sameOrigin); and
	// what is not public — zone files (a Windows DNS export of the
	// internal zone), the machine's DNS, named servers — is answered
	// only for this server's own names (hostOnly: DNS rebinding). The
	// embedded demo zones are public.
	var handler http.Handler = web.Handler(files.fs, files.resolvers, sameOrigin(withCheck(doh)))
	if !public {
		handler = hostOnly(ln.Addr(), handler)
	}
	fmt.Fprintf(stdout, "sipdisco: serving http://%s/ (%s; DoH at /dns-query from %s); Ctrl-C stops\n", ln.Addr(), files.what, what)
	return serveHTTP(ctx, ln, handler, defaultLimits)
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

// resolver returns what /dns-query answers from: --upstream through the
// discovery filter (resolve/upstream: it is not an open resolver), else
// --zone files, else the demo zones, whose SRV answers carry their
// targets' addresses from the same zone in the additional section, as
// nsd's do (zone.Set.SetAdditional), so that a check takes one round
// trip where the data allows; what says it for the log, public
// whether it is the demo zones, the only data anyone may read. With
// --upstream the page offers the endpoint as this machine's DNS, the
// inside view (web.BuildOptions.LocalUpstream).
func (o *serveOptions) resolver() (res engine.Resolver, what string, public bool, err error) {
	zo, err := o.zones.Options()
	if err != nil {
		return nil, "", false, usageError{err.Error()}
	}
	switch {
	case len(o.upstream) > 0 && len(zo.Zones) > 0:
		return nil, "", false, usagef("--upstream and --zone are exclusive: the machine's DNS, or zone files")
	case len(o.upstream) > 0:
		dns, src, err := dnsResolver(o.upstream, false)
		if err != nil {
			return nil, "", false, err
		}
		return upstream.New(dns, upstream.Options{}), src.Description + " (only the questions discovery and the domain report ask)", false, nil
	case len(zo.Zones) > 0:
		set, err := loadZones(zo.Zones, false)
		if err != nil {
			return nil, "", false, err
		}
		set.SetAdditional(true)
		return set, "zone files", false, nil
	}
	set, err := loadDemo()
	if err != nil {
		return nil, "", false, err
	}
	set.SetAdditional(true)
	return set, "the embedded demo zones", true, nil
}

// hostOnly serves only requests whose Host names this server: the
// address it listens on, or localhost, 127.0.0.1 or [::1] with its port,
// exactly so spelled (a Host without a port means port 80, RFC 9110
// §7.2). Anything else gets 421 Misdirected Request (RFC 9110 §15.5.20),
// so that a hostile page whose name resolves to 127.0.0.1 cannot have a
// user's browser ask through this server (DNS rebinding): another name,
// the same name with a trailing dot, an address in another spelling
// ("127.1", "2130706433", "[::ffff:127.0.0.1]") and another port alike.
func hostOnly(addr net.Addr, next http.Handler) http.Handler {
	allowed := map[string]bool{strings.ToLower(addr.String()): true}
	if _, port, err := net.SplitHostPort(addr.String()); err == nil {
		for _, h := range []string{"localhost", "127.0.0.1", "[::1]"} {
			allowed[h+":"+port] = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if _, _, err := net.SplitHostPort(host); err != nil {
			host = net.JoinHostPort(strings.Trim(host, "[]"), "80")
		}
		if !allowed[host] {
			http.Error(w, "misdirected request: this server answers only for its own address", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin carries out only requests that no other site's page made:
// a browser names the page that makes a request in Origin (RFC 6454 §7;
// Fetch sends it with every cross-origin request) and says how it relates
// to the target in Sec-Fetch-Site (W3C Fetch Metadata). An Origin other
// than this server's own ("http://" and the Host), or a Sec-Fetch-Site
// other than same-origin or none (typed in the address bar), gets 403
// Forbidden before anything is asked: a page on another site, or on
// another port of localhost (same-site), must not have DNS asked through
// this server, even though it could not read the answer. Requests with
// neither header (the command line, scripts) pass.
func sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" && !strings.EqualFold(o, "http://"+r.Host) {
			http.Error(w, "forbidden: /dns-query answers only this server's own pages, not a page of "+o, http.StatusForbidden)
			return
		}
		if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
			http.Error(w, "forbidden: /dns-query answers only this server's own pages ("+s+" request)", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// withCheck passes on the check a /dns-query request names
// (?check=ID, upstream.ValidCheckID) to the resolver: under --upstream
// the filter answers the address of an SRV target only to the check
// whose SRV answer named it (upstream.WithCheck). An ID that is not
// valid gets 400 Bad Request.
func withCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if !q.Has("check") {
			next.ServeHTTP(w, r)
			return
		}
		id := q.Get("check")
		if len(q["check"]) != 1 || !upstream.ValidCheckID(id) {
			http.Error(w, fmt.Sprintf("bad request: check must be one ID of 1 to %d letters, digits, - or _", upstream.MaxCheckID), http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, r.WithContext(upstream.WithCheck(r.Context(), id)))
	})
}

// refusingListener serves at most max connections at once and answers
// the ones beyond with 503 Service Unavailable and Retry-After at once,
// rather than leaving them to wait for a slot that a keep-alive
// connection may hold for its whole idle time (RFC 9110 §15.6.4,
// §10.2.3). The refusals themselves are bounded: at most maxRefusals
// of them (4 KiB each) are written at a time, each within a second;
// beyond that a connection is closed unanswered.
type refusingListener struct {
	net.Listener
	slots, refusals chan struct{}
}

func newRefusingListener(ln net.Listener, max int) *refusingListener {
	return &refusingListener{Listener: ln, slots: make(chan struct{}, max), refusals: make(chan struct{}, maxRefusals)}
}

// Accept returns the next connection there is a slot for; the slot is
// freed when the connection is closed.
func (l *refusingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.slots <- struct{}{}:
			return &slotConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
		default:
		}
		select {
		case l.refusals <- struct{}{}:
			go func() {
				defer func() { <-l.refusals }()
				refuse(c)
			}()
		default:
			c.Close()
		}
	}
}

// maxRefusals bounds the refusals being written at once.
const maxRefusals = 1024

// busy is the whole answer to a connection beyond the limit.
const busy = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 43\r\nConnection: close\r\n\r\nThe server is busy; try again in a second.\n"

// refuse reads what the client has sent (up to a header's worth, for at
// most a second, so that closing does not reset a connection with unread
// data) and answers it busy.
func refuse(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 4096)
	c.Read(buf)
	io.WriteString(c, busy)
}

// slotConn frees its slot when closed.
type slotConn struct {
	net.Conn
	release func()
}

func (c *slotConn) Close() error {
	c.release()
	return c.Conn.Close()
}

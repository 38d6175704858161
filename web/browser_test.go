//go:build !js

package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// The browser tests build the real main.wasm and site, serve them on
// loopback with a /dns-query endpoint answering from the embedded demo
// zones, and drive Debian's Chromium through the DevTools protocol.
//
// SIPDISCO_CHROMIUM names the browser (default: chromium on PATH or
// /usr/bin/chromium). Without one the tests skip, unless SIPDISCO_CI=1,
// when a missing browser fails them. SIPDISCO_SCREENSHOTS names a folder to
// keep screenshots of the main states in.

func chromiumPath(t testing.TB) string {
	t.Helper()
	candidates := []string{os.Getenv("SIPDISCO_CHROMIUM")}
	if p, err := exec.LookPath("chromium"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/chromium")
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			return c
		}
	}
	if os.Getenv("SIPDISCO_CI") == "1" {
		t.Fatal("no Chromium found (SIPDISCO_CI=1 requires it): install Debian's chromium package or set SIPDISCO_CHROMIUM")
	}
	t.Skip("no Chromium found; install Debian's chromium package or set SIPDISCO_CHROMIUM")
	return ""
}

// siteServer is the built site served on loopback.
type siteServer struct {
	URL     string
	site    *Site
	queries atomic.Int64 // requests to /dns-query
	delay   atomic.Int64 // added to every /dns-query answer, in ns

	// watch is a domain whose questions are counted while in flight:
	// inFlight now, maxInFlight the most at once.
	watch                 atomic.Pointer[string]
	inFlight, maxInFlight atomic.Int64
}

// watched reports whether the DoH request r asks a name under s.watch.
// It reads a POST's body and puts it back.
func (s *siteServer) watched(r *http.Request) bool {
	d := s.watch.Load()
	if d == nil {
		return false
	}
	var wire []byte
	if r.Method == http.MethodPost {
		wire, _ = io.ReadAll(io.LimitReader(r.Body, 65535))
		r.Body = io.NopCloser(bytes.NewReader(wire))
	} else {
		wire, _ = base64.RawURLEncoding.DecodeString(r.URL.Query().Get("dns"))
	}
	var m dns.Msg
	return m.Unpack(wire) == nil && len(m.Question) == 1 && dns.IsSubDomain(dns.Fqdn(*d), m.Question[0].Name)
}

var (
	testSiteOnce sync.Once
	testSite     *Site
	testSiteErr  error
)

// builtSite returns the site the browser tests serve, built once per test
// binary (BuildSite precompressing every file takes seconds of both
// cores); the tests only read it.
func builtSite(t testing.TB) *Site {
	t.Helper()
	wasm := testWASM(t)
	testSiteOnce.Do(func() {
		testSite, testSiteErr = BuildSite(BuildOptions{WASMPath: wasm, ModuleDir: "..", LocalDoH: true, Precompress: true, PageBrotliQuality: DevBrotliQuality})
	})
	if testSiteErr != nil {
		t.Fatal(testSiteErr)
	}
	return testSite
}

// startSite serves the built site on loopback, with its own counters.
func startSite(t testing.TB) *siteServer {
	t.Helper()
	return serveSite(t, builtSite(t))
}

// serveSite serves site on loopback, with /dns-query answering from the
// demo zones.
func serveSite(t testing.TB, site *Site) *siteServer {
	t.Helper()
	zones, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	s := &siteServer{site: site}
	doh := server.NewHandler(zones, server.HandlerOptions{Timeout: 5 * time.Second})
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.queries.Add(1)
		if s.watched(r) {
			n := s.inFlight.Add(1)
			defer s.inFlight.Add(-1)
			for m := s.maxInFlight.Load(); n > m && !s.maxInFlight.CompareAndSwap(m, n); m = s.maxInFlight.Load() {
			}
		}
		if d := time.Duration(s.delay.Load()); d > 0 {
			time.Sleep(d)
		}
		doh.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: site.Handler(counted), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s.URL = "http://" + ln.Addr().String()
	return s
}

// The browser tests share one Chromium process, started by the first
// test that asks for it and stopped by TestMain: starting Chromium costs
// seconds of the two cores each time. Each test gets a browser context of
// its own in it (browser), as separate as a fresh profile (cache, storage,
// cookies, downloads), and runs its pages in tabs of that context, in
// parallel with the other tests' (t.Parallel).
var (
	chromiumOnce sync.Once
	chromiumCtx  context.Context // the first tab of the shared browser
	chromiumErr  error
	stopChromium = func() {}
)

// sharedChromium starts the shared headless Chromium with the flags this
// machine needs (no sandbox as root, no background networking) on its
// first call and returns its first tab's context.
func sharedChromium(path string) (context.Context, error) {
	chromiumOnce.Do(func() {
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(path),
			chromedp.Flag("headless", true),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true),
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			// Tabs of parallel tests are in the background; they must
			// run their timers and render as the front tab does.
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.WindowSize(412, 915), // a phone-width screen
			// No UserDataDir: the allocator makes a temporary profile
			// and removes it when the browser stops.
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(actx)
		stopChromium = func() { cancel(); cancelAlloc() }
		if err := chromedp.Do(ctx); err != nil {
			chromiumErr = err
			return
		}
		chromiumCtx = ctx
	})
	return chromiumCtx, chromiumErr
}

// browser returns a new browser context in the shared Chromium, closed
// when the test ends: the parent of the test's tabs.
func browser(t testing.TB, path string) context.Context {
	t.Helper()
	root, err := sharedChromium(path)
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a browser context: %v", err)
	}
	return ctx
}

// loadFactor stretches every tab's time limit d: d is what the page needs
// on an idle machine, with margin; the browser tests run their pages in
// parallel, on two cores that other builds may be using too. A limit only
// stops a page that hangs; no test asserts how fast a page is.
const loadFactor = 4

// tab opens a new tab that fails the test if the page ever opens a dialog
// (alert from injected markup) and times out after loadFactor × d.
func tab(t testing.TB, bctx context.Context, d time.Duration, opts ...chromedp.ContextOption) context.Context {
	t.Helper()
	return tabRefusing(t, bctx, d, "", opts...)
}

// tabRefusing is tab for a page whose Content-Security-Policy refuses, by
// design, its requests to refused (a URL): the browser's errors that name
// it are expected, all others fail the test.
func tabRefusing(t testing.TB, bctx context.Context, d time.Duration, refused string, opts ...chromedp.ContextOption) context.Context {
	t.Helper()
	d *= loadFactor
	ctx, cancel := chromedp.NewContext(bctx, opts...)
	t.Cleanup(cancel)
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			// An unanswered dialog also blocks the page, so the test
			// times out as well as failing here.
			t.Errorf("the page opened a %s dialog: %q (injected script ran)", e.Type, e.Message)
		case *cdplog.EventEntryAdded:
			// CSP refusals and failed loads are logged as errors.
			if e.Entry.Level == cdplog.EntryLevelError && e.Entry.Source != cdplog.EntrySourceNetwork &&
				(refused == "" || !strings.Contains(e.Entry.Text, refused)) {
				t.Errorf("the browser logged an error (%s): %s", e.Entry.Source, e.Entry.Text)
			}
		case *cdpruntime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			t.Errorf("uncaught exception in the page (%s:%d): %s", d.URL, d.LineNumber+1, msg)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	ctx, cancel2 := context.WithTimeout(ctx, d)
	t.Cleanup(cancel2)
	return ctx
}

func screenshot(t testing.TB, ctx context.Context, name string) {
	dir := os.Getenv("SIPDISCO_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}

// reportState is what the tests read off a rendered report.
type reportState struct {
	Outcome    string `json:"outcome"`
	Target     string `json:"target"`
	Candidates int    `json:"candidates"`
	Steps      int    `json:"steps"`
	Share      string `json:"share"`
	Snapshot   string `json:"snapshot"`
	Search     string `json:"search"`
	Injected   int    `json:"injected"`
	Register   string `json:"register"`
	// State is the banner's state, Words its words, Problems the count
	// it gives and First the title of the first problem it links to.
	State    string `json:"state"`
	Words    string `json:"words"`
	Problems int    `json:"problems"`
	First    string `json:"first"`
}

const readReport = `(() => {
	const q = (s) => document.querySelector(s);
	const r = q('#result');
	return {
		outcome: q('[data-testid="outcome"]').dataset.outcome,
		target: q('[data-testid="target"] .host code') ? q('[data-testid="target"] .host code').textContent : '',
		candidates: r.querySelectorAll('[data-testid="candidates"] tbody tr').length,
		steps: r.querySelectorAll('[data-testid="steps"] ol.steps > li').length,
		share: q('[data-testid="share-link"]') ? q('[data-testid="share-link"]').getAttribute('href') : '',
		snapshot: q('[data-testid="snapshot-link"]') ? q('[data-testid="snapshot-link"]').getAttribute('href') : '',
		search: location.search,
		register: q('[data-testid="register"]') ? q('[data-testid="register"]').dataset.register : '',
		state: q('[data-testid="outcome"]').dataset.state || '',
		words: q('[data-testid="state"]') ? q('[data-testid="state"]').textContent : '',
		problems: +(q('[data-testid="outcome"]').dataset.problems || 0),
		first: q('[data-testid="first-problem"]') ? q('[data-testid="first-problem"]').textContent : '',
		injected: r.querySelectorAll('script, img, iframe, [onerror], [onmouseover], a[href^="javascript"]').length,
	};
})()`

// showReport navigates to path (when not empty), waits for a report and
// reads it.
func showReport(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) (reportState, error) {
	steps = append(steps, chromedp.WaitVisible(chromedp.CSS(`#result [data-testid="outcome"], #error:not([hidden])`)))
	if err := chromedp.Do(ctx, steps...); err != nil {
		return reportState{}, err
	}
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('error').hidden ? '' : document.getElementById('error').textContent`))
	if err != nil {
		return reportState{}, err
	}
	if msg != "" {
		return reportState{}, fmt.Errorf("the page shows an error instead of a report: %s", msg)
	}
	return chromedp.Run(ctx, chromedp.Evaluate[reportState](readReport))
}

var (
	cliOnce sync.Once
	cliDir  string // removed by TestMain
	cliPath string
	cliErr  error
)

// buildCLI builds the sipdisco command, once per test binary (linking it
// takes seconds), and returns its path. Tests only run it.
func buildCLI(t testing.TB) string {
	t.Helper()
	cliOnce.Do(func() {
		if cliDir, cliErr = os.MkdirTemp("", "sipdisco-cli-"); cliErr != nil {
			return
		}
		cliPath = filepath.Join(cliDir, "sipdisco")
		build := exec.Command("go", "build", "-o", cliPath, "./cmd/sipdisco")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			cliErr = fmt.Errorf("building the CLI: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// cliReports runs `sipdisco check --json` on the addresses, as a user
// would, and returns its reports by address. The CLI answers .example
// addresses from the same embedded demo zones the test server uses.
func cliReports(t *testing.T, addrs []string) map[string]*engine.Report {
	t.Helper()
	cmd := exec.Command(buildCLI(t), append([]string{"check", "--json"}, addrs...)...)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("sipdisco check: %v", err)
	}
	var reports []*engine.Report
	if err := json.Unmarshal(out, &reports); err != nil {
		t.Fatalf("sipdisco check --json: %v\n%.300s", err, out)
	}
	if len(reports) != len(addrs) {
		t.Fatalf("sipdisco check --json gave %d reports for %d addresses", len(reports), len(addrs))
	}
	m := map[string]*engine.Report{}
	for i, a := range addrs {
		m[a] = reports[i]
	}
	return m
}

func TestBrowser(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)

	t.Run("CSP header", func(t *testing.T) {
		resp, err := http.Get(site.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self' 'wasm-unsafe-eval'") {
			t.Errorf("Content-Security-Policy = %q", got)
		}
	})

	var healthy reportState
	t.Run("type and press Enter", func(t *testing.T) {
		ctx := tab(t, bctx, 30*time.Second)
		start := time.Now()
		err := chromedp.Do(ctx,
			chromedp.Navigate(site.URL+"/"),
			chromedp.WaitNotVisible(chromedp.ID("loading")),
		)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("navigation → analyzer ready: %v", time.Since(start).Round(time.Millisecond))
		screenshot(t, ctx, "1-empty")
		start = time.Now()
		var err2 error
		healthy, err2 = showReport(ctx, chromedp.SendKeys(chromedp.ID("uri"), "bob@healthy.example"+kb.Enter))
		if err2 != nil {
			t.Fatal(err2)
		}
		t.Logf("Enter → report: %v", time.Since(start).Round(time.Millisecond))
		screenshot(t, ctx, "2-healthy")
		if healthy.Outcome != "connect" || healthy.Target != "sip.healthy.example:5061" {
			t.Errorf("outcome, target = %q, %q; want connect, sip.healthy.example:5061", healthy.Outcome, healthy.Target)
		}
		if healthy.Candidates == 0 || healthy.Steps == 0 {
			t.Errorf("report shows %d candidates and %d steps; want some of each", healthy.Candidates, healthy.Steps)
		}
		if healthy.Register != "registered" {
			t.Errorf("register outcome = %q; want registered", healthy.Register)
		}
		if !strings.Contains(healthy.Search, "uri=bob%40healthy.example") {
			t.Errorf("address bar query = %q; want the live link", healthy.Search)
		}
	})

	t.Run("every demo scenario matches the CLI", func(t *testing.T) {
		t.Parallel() // reads none of the site's counters
		scenarios := demo.Scenarios()
		addrs := make([]string, len(scenarios))
		for i, sc := range scenarios {
			addrs[i] = sc.Try
		}
		cli := cliReports(t, addrs)
		ctx := tab(t, bctx, 90*time.Second)
		for _, sc := range scenarios {
			want := cli[sc.Try]
			link := site.URL + "/?uri=" + url.QueryEscape(sc.Try) + "&doh=local"
			got, err := showReport(ctx, chromedp.Navigate(link))
			if err != nil {
				t.Fatalf("%s: %v", sc.Name, err)
			}
			if got.Outcome != string(want.Outcome) {
				t.Errorf("%s: browser outcome %q; CLI %q", sc.Name, got.Outcome, want.Outcome)
			}
			// The banner's state is the CLI's (the page's simulated
			// sign-in registers on every demo address that connects),
			// with as many problems, the first one named.
			if st := engine.StateOf(want); got.State != string(st) || got.Words != st.Words() || got.Problems != len(engine.Problems(want)) || (got.Problems > 0) != (got.First != "") {
				t.Errorf("%s: banner %q %q with %d problems (first %q); CLI %q with %d", sc.Name, got.State, got.Words, got.Problems, got.First, st, len(engine.Problems(want)))
			}
			if sc.Name == "tcp-only" {
				// The link to the first problem moves to it, opens its
				// detail, folded under its one line, and leaves the
				// address bar alone.
				type jump struct {
					Focused bool    `json:"focused"`
					Opened  bool    `json:"opened"`
					Visible bool    `json:"visible"`
					Search  string  `json:"search"`
					Hash    string  `json:"hash"`
					Top     float64 `json:"top"`
				}
				moved, err := chromedp.Run(ctx, chromedp.Evaluate[jump](`new Promise((resolve) => {
					const a = document.querySelector('#result [data-testid="first-problem"]');
					const target = document.getElementById(a.getAttribute('href').slice(1));
					const d = target.closest('li, section').querySelector('details[data-detail]');
					const before = !!d && d.open;
					a.click();
					requestAnimationFrame(() => requestAnimationFrame(() => {
						const r = target.getBoundingClientRect();
						resolve({focused: document.activeElement === target, opened: !before && !!d && d.open, visible: r.top >= -1 && r.top < innerHeight, top: r.top, search: location.search, hash: location.hash});
					}));
				})`, chromedp.EvalAwaitPromise))
				if err != nil || !moved.Focused || !moved.Opened || !moved.Visible || moved.Hash != "" || moved.Search != got.Search {
					t.Errorf("tcp-only: after the first problem's link: %+v, %v; want it focused in view, its detail open, the address bar unchanged (%q)", moved, err, got.Search)
				}
			}
			// The page orders weighted SRV records as the CLI does
			// (docs/adr/0023-links-reproduce-the-check.md): the same
			// target, weighted.example's too.
			if want.Target != nil {
				if w := fmt.Sprintf("%s:%d", want.Target.Host, want.Target.Port); got.Target != w {
					t.Errorf("%s: browser target %q; CLI %q", sc.Name, got.Target, w)
				}
			}
			if got.Candidates != len(want.Candidates) || got.Steps != len(want.Steps) {
				t.Errorf("%s: browser shows %d candidates and %d DNS steps; CLI %d and %d", sc.Name, got.Candidates, got.Steps, len(want.Candidates), len(want.Steps))
			}
			if got.Injected != 0 {
				t.Errorf("%s: the report holds %d elements made from DNS data", sc.Name, got.Injected)
			}
			if sc.Name == "hostile" {
				screenshot(t, ctx, "3-hostile")
			}
			if sc.Name == "servfail" || sc.Name == "invalid" {
				screenshot(t, ctx, "4-"+sc.Name)
			}
		}
	})

	t.Run("snapshot link renders without DNS", func(t *testing.T) {
		if healthy.Snapshot == "" {
			t.Skip("no snapshot link from the first test")
		}
		ctx := tab(t, bctx, 30*time.Second)
		before := site.queries.Load()
		got, err := showReport(ctx, chromedp.Navigate(site.URL+"/"+healthy.Snapshot))
		if err != nil {
			t.Fatal(err)
		}
		taken, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="snapshot"]`)))
		if err != nil {
			t.Fatal(err)
		}
		if n := site.queries.Load() - before; n != 0 {
			t.Errorf("opening a snapshot made %d requests to /dns-query; want 0", n)
		}
		if got.Outcome != healthy.Outcome || got.Target != healthy.Target {
			t.Errorf("snapshot shows %q %q; the original %q %q", got.Outcome, got.Target, healthy.Outcome, healthy.Target)
		}
		if uri, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("uri"))); uri != "sip:bob@healthy.example" {
			t.Errorf("after opening a snapshot the address box holds %q; want the report's address", uri)
		}
		if !strings.Contains(taken, "Snapshot taken at") {
			t.Errorf("snapshot note = %q", taken)
		}
		screenshot(t, ctx, "5-snapshot")
	})

	t.Run("bad links show a message and the form", func(t *testing.T) {
		t.Parallel() // reads none of the site's counters
		for _, tt := range []struct{ name, path, want string }{
			{"tampered snapshot", "/#s=" + strings.Repeat("A", 40), "snapshot link"},
			{"truncated snapshot", "/" + healthy.Snapshot[:len(healthy.Snapshot)/2], "truncated or altered"},
			{"bad query", "/?uri=bob@healthy.example&strict=maybe", `"strict" is "maybe"`},
			{"bad address", "/?uri=bob@@healthy.example", "offset"},
		} {
			ctx := tab(t, bctx, 20*time.Second)
			err := chromedp.Do(ctx,
				chromedp.Navigate(site.URL+tt.path),
				chromedp.WaitVisible(chromedp.ID("error")),
			)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("error")))
			if err != nil {
				t.Fatal(err)
			}
			formVisible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('uri').offsetParent !== null`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.ToLower(msg), strings.ToLower(tt.want)) {
				t.Errorf("%s: error %q; want it to mention %q", tt.name, msg, tt.want)
			}
			if !formVisible {
				t.Errorf("%s: the form is not shown", tt.name)
			}
			if tt.name == "tampered snapshot" {
				screenshot(t, ctx, "6-tampered")
			}
		}
	})

	t.Run("planned zone, no network", func(t *testing.T) {
		ctx := tab(t, bctx, 30*time.Second)
		before := site.queries.Load()
		const planned = "$ORIGIN contoso.com.\n_sipinternaltls._tcp 3600 IN SRV 0 0 5061 pool01\npool01 3600 IN A 10.0.0.10\n"
		got, err := showReport(ctx,
			chromedp.Navigate(site.URL+"/"),
			chromedp.WaitNotVisible(chromedp.ID("loading")),
			chromedp.Click(chromedp.CSS("#more summary")),
			chromedp.SetValue(chromedp.ID("zone"), planned),
			chromedp.SetValue(chromedp.ID("doh"), "zone"),
			chromedp.SendKeys(chromedp.ID("uri"), "jeremy@contoso.com"+kb.Enter),
		)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != "connect" || got.Target != "pool01.contoso.com:5061" {
			t.Errorf("planned zone: outcome, target = %q, %q; want connect, pool01.contoso.com:5061", got.Outcome, got.Target)
		}
		if n := site.queries.Load() - before; n != 0 {
			t.Errorf("a planned-zone check made %d requests to /dns-query; want 0", n)
		}
		screenshot(t, ctx, "7-planned")

		// A bad line is reported with its number, and the input stays.
		_, err = showReport(ctx,
			chromedp.SetValue(chromedp.ID("zone"), planned+"pool02 IN A not-an-address\n"),
			chromedp.Click(chromedp.ID("run")),
		)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "planned zone:4") {
			t.Errorf("bad zone line: %v; want an error naming planned zone:4", err)
		}
		uri, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("uri")))
		if err != nil || uri != "jeremy@contoso.com" {
			t.Errorf("after the error the address box holds %q (%v); want the input kept", uri, err)
		}
	})

	t.Run("report time with a slow resolver", func(t *testing.T) {
		const delay = 250 * time.Millisecond
		site.delay.Store(int64(delay))
		defer site.delay.Store(0)
		// A new browser context has an empty HTTP cache, so every DoH
		// answer (cacheable GETs) really comes from the server.
		ctx := tab(t, bctx, 30*time.Second, chromedp.WithNewBrowserContext())
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
			t.Fatal(err)
		}
		ready := time.Since(start)
		// Timed inside the page, so that only the check itself counts:
		// its DNS rounds, the engine and the rendering.
		check := func(domain string) time.Duration {
			ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(async () => {
				const t0 = performance.now();
				const r = await sipdiscoPage.call('analyzer', 'check', '?uri=bob%40`+domain+`&doh=local');
				if (r.report.outcome !== 'connect') { throw new Error('outcome ' + r.report.outcome); }
				return performance.now() - t0;
			})()`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			return time.Duration(ms * float64(time.Millisecond))
		}
		// While the slow answers are in flight the page shows progress,
		// each question as it is asked and answered.
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("uri"), "bob@edge-only.example"+kb.Enter),
			chromedp.WaitVisible(chromedp.CSS(`#progress-steps li[data-state]`)),
		); err != nil {
			t.Fatalf("no progress shown while DNS answers are pending: %v", err)
		}
		screenshot(t, ctx, "9-progress")
		if _, err := showReport(ctx); err != nil {
			t.Fatal(err)
		}
		if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('progress').hidden`)); !hidden {
			t.Error("the progress area stays visible after the report")
		}
		site.delay.Store(0)
		t.Logf("full report without added delay: %v", check("cname.example").Round(time.Millisecond))
		site.delay.Store(int64(delay))
		// Questions of a round go out together: a report costs a few
		// round trips, not one per question. That is measured by how many
		// of the domain's questions the server holds at once, not by the
		// time taken, which a loaded machine stretches; the time is
		// logged (make bench prints it).
		const domain = "weighted.example" // asked by no other test
		watch := domain
		site.maxInFlight.Store(0)
		site.watch.Store(&watch)
		before := site.queries.Load()
		took := check(domain)
		site.watch.Store(nil)
		ratio := float64(took) / float64(delay)
		t.Logf("navigation → interactive %v; full report with %v per DoH answer: %v (%.2f× the delay, %d questions, at most %d at once)",
			ready.Round(time.Millisecond), delay, took.Round(time.Millisecond), ratio, site.queries.Load()-before, site.maxInFlight.Load())
		// Round one asks the default profile's three SRV names.
		if n := site.maxInFlight.Load(); n < 3 {
			t.Errorf("at most %d of %s's questions were in flight at once; want round one's three SRV questions asked together", n, domain)
		}
	})

	t.Run("docs pages", func(t *testing.T) {
		t.Parallel() // reads none of the site's counters
		ctx := tab(t, bctx, 20*time.Second)
		for _, p := range []string{"docs/", "docs/communicator-2007-r2.html", "docs/lync-2013.html", "docs/findings.html", "about.html"} {
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"+p), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			screenshot(t, ctx, "8-"+strings.NewReplacer("/", "-", ".html", "").Replace(p))
		}
	})

	t.Run("unlisted resolver asks first", func(t *testing.T) {
		ctx := tab(t, bctx, 20*time.Second)
		before := site.queries.Load()
		err := chromedp.Do(ctx,
			chromedp.Navigate(site.URL+"/?uri=bob@healthy.example&doh="+url.QueryEscape("https://dns.evil.test/dns-query")),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm"]`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("confirm-text")))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "https://dns.evil.test/dns-query") {
			t.Errorf("confirmation = %q; want it to name the resolver", text)
		}
		if n := site.queries.Load() - before; n != 0 {
			t.Errorf("%d DNS queries before the user agreed", n)
		}
	})
}

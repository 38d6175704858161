//go:build !js

package web

import (
	"bytes"
	"context"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
)

// The first-load benchmark: how long a shared /?uri= link takes to show
// its verdict on a cold cache over an emulated network, and how much of
// that the page's main thread is blocked, for this build and for an
// earlier one served the way it served itself, in one run, alternating.
//
// SIPDISCO_BASELINE names the source tree of the earlier build (make bench
// unpacks the commit BASELINE into a temporary folder); without it the
// benchmark skips. It runs that tree's own "sipdisco serve".
//
// The network is emulated by a TCP proxy in front of each server (slowLink)
// rather than by DevTools' Network.emulateNetworkConditions: that throttles
// the page's own requests only, and this build fetches its module from a
// worker, whose requests it leaves at full speed.

// networkProfile is one emulated network.
type networkProfile struct {
	name       string
	latency    time.Duration // round trip
	downloadBs float64       // bytes per second
	uploadBs   float64
}

var firstLoadProfiles = []networkProfile{
	{"10 Mbit/s, 40 ms", 40 * time.Millisecond, 10e6 / 8, 5e6 / 8},
	{"1.6 Mbit/s, 150 ms", 150 * time.Millisecond, 1.6e6 / 8, 750e3 / 8},
}

// firstLoad is one measured load.
type firstLoad struct {
	outcome  time.Duration // navigation start to the verdict on screen
	blocking time.Duration // total blocking time: long tasks beyond 50 ms each
	mainWork time.Duration // long tasks in all
}

// waitOutcome resolves, in the page, with the time (ms since navigation
// start) the verdict appears, and the long tasks seen until then plus a
// second (the report's rendering).
const waitOutcome = `new Promise((resolve) => {
	const tasks = [];
	try {
		new PerformanceObserver((l) => { for (const e of l.getEntries()) tasks.push(e.duration); }).observe({type: 'longtask', buffered: true});
	} catch (e) {}
	const done = (t) => setTimeout(() => resolve({outcome: t, tasks: tasks}), 1000);
	const sel = '#result [data-testid="outcome"], #error:not([hidden])';
	if (document.querySelector(sel)) { done(performance.now()); return; }
	new MutationObserver((_, o) => {
		if (document.querySelector(sel)) { o.disconnect(); done(performance.now()); }
	}).observe(document.documentElement, {subtree: true, childList: true, attributes: true});
})`

func measureLoad(t testing.TB, bctx context.Context, url string) firstLoad {
	t.Helper()
	// A new browser context: an empty HTTP cache.
	ctx := tab(t, bctx, 90*time.Second, chromedp.WithNewBrowserContext())
	err := chromedp.Do(ctx, chromedp.Navigate(url))
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		Outcome float64   `json:"outcome"`
		Tasks   []float64 `json:"tasks"`
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[result](waitOutcome, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var l firstLoad
	l.outcome = time.Duration(r.Outcome * float64(time.Millisecond))
	for _, d := range r.Tasks {
		l.mainWork += time.Duration(d * float64(time.Millisecond))
		if d > 50 {
			l.blocking += time.Duration((d - 50) * float64(time.Millisecond))
		}
	}
	return l
}

// slowLink is a TCP proxy to a server that delivers every chunk each way
// a half round trip late, and no faster than the link's rate in that
// direction, shared by all connections (as one access link is). It
// counts the bytes it carries down.
type slowLink struct {
	p       networkProfile
	backend string
	mu      sync.Mutex
	free    [2]time.Time // when each direction's link is next free
	down    int64
}

// start listens on a free loopback port and returns the proxy's URL.
func (l *slowLink) start(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go l.serve(c)
		}
	}()
	return "http://" + ln.Addr().String()
}

func (l *slowLink) serve(c net.Conn) {
	defer c.Close()
	b, err := net.Dial("tcp", l.backend)
	if err != nil {
		return
	}
	defer b.Close()
	done := make(chan struct{}, 2)
	go func() { l.pipe(b, c, 0, l.p.uploadBs); done <- struct{}{} }()
	go func() { l.pipe(c, b, 1, l.p.downloadBs); done <- struct{}{} }()
	<-done
}

// pipe copies from src to dst over direction dir of the link.
func (l *slowLink) pipe(dst, src net.Conn, dir int, rate float64) {
	type chunk struct {
		at   time.Time
		data []byte
	}
	q := make(chan chunk, 1024)
	go func() {
		defer close(q)
		buf := make([]byte, 16<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				l.mu.Lock()
				start := time.Now()
				if l.free[dir].After(start) {
					start = l.free[dir]
				}
				sent := start.Add(time.Duration(float64(n) / rate * float64(time.Second)))
				l.free[dir] = sent
				if dir == 1 {
					l.down += int64(n)
				}
				l.mu.Unlock()
				q <- chunk{at: sent.Add(l.p.latency / 2), data: append([]byte(nil), buf[:n]...)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range q {
		time.Sleep(time.Until(c.at))
		if _, err := dst.Write(c.data); err != nil {
			return
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// startBaseline builds and starts the earlier build's "sipdisco serve"
// from its source tree, and returns its URL.
func startBaseline(t testing.TB, tree string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sipdisco-baseline")
	build := exec.Command("go", "build", "-o", bin, "./cmd/sipdisco")
	build.Dir = tree
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the baseline: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := exec.Command(bin, "serve", "--addr", addr)
	srv.Dir = tree
	var log bytes.Buffer
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	url := "http://" + addr
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(time.Second) {
		if r, err := http.Get(url + "/"); err == nil {
			r.Body.Close()
			return url
		}
	}
	t.Fatalf("the baseline's sipdisco serve did not start:\n%s", log.String())
	return ""
}

// BenchmarkFirstLoad compares the first load of a shared live link, this
// build against the baseline, on each emulated network (a sub-benchmark
// each): every iteration loads it cold once from each, alternating, and
// the benchmark reports the medians and their ratios, measured in one run
// (make bench: -benchtime 5x). This build is served as sipdisco serve
// serves a release (the first module precompressed at brotli quality 11).
//
// Metrics: verdict-ms and tbt-ms (total blocking time) for this build,
// base-verdict-ms and base-tbt-ms for the baseline, verdict-ratio and
// tbt-ratio (this build / baseline), bytes/load and base-bytes/load.
func BenchmarkFirstLoad(b *testing.B) {
	tree := os.Getenv("SIPDISCO_BASELINE")
	if tree == "" {
		b.Skip("SIPDISCO_BASELINE names the earlier build's source tree (make bench)")
	}
	path := chromiumPath(b)
	// Release quality for the first module, as a release binary serves
	// it, in a copy of the site the tests share.
	site := builtSite(b)
	files := maps.Clone(site.Files)
	for name, f := range site.Files {
		if strings.HasPrefix(name, WASMDir+"main.") && strings.HasSuffix(name, ".wasm") {
			br, err := Brotli(f.Data, ReleaseBrotliQuality)
			if err != nil {
				b.Fatal(err)
			}
			files[name+".br"] = &fstest.MapFile{Data: br, Mode: f.Mode}
		}
	}
	cur := serveSite(b, &Site{Files: files, Resolvers: site.Resolvers})
	base := startBaseline(b, tree)
	const link = "/?uri=bob%40healthy.example&doh=local"
	bctx := browser(b, path)
	for _, p := range firstLoadProfiles {
		b.Run(p.name, func(b *testing.B) {
			loads := map[string][]firstLoad{}
			links := map[string]*slowLink{}
			urls := map[string]string{}
			for name, u := range map[string]string{"baseline": base, "this build": cur.URL} {
				links[name] = &slowLink{p: p, backend: strings.TrimPrefix(u, "http://")}
				urls[name] = links[name].start(b)
			}
			for b.Loop() {
				for _, name := range []string{"baseline", "this build"} {
					loads[name] = append(loads[name], measureLoad(b, bctx, urls[name]+link))
				}
			}
			stat := func(name string, f func(firstLoad) time.Duration) time.Duration {
				var ds []time.Duration
				for _, l := range loads[name] {
					ds = append(ds, f(l))
				}
				return median(ds)
			}
			verdict := func(l firstLoad) time.Duration { return l.outcome }
			blocking := func(l firstLoad) time.Duration { return l.blocking }
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			n := int64(len(loads["this build"]))
			b.ReportMetric(0, "ns/op") // one op is two loads on an emulated link: not a useful number
			b.ReportMetric(ms(stat("this build", verdict)), "verdict-ms")
			b.ReportMetric(ms(stat("baseline", verdict)), "base-verdict-ms")
			b.ReportMetric(ms(stat("this build", blocking)), "tbt-ms")
			b.ReportMetric(ms(stat("baseline", blocking)), "base-tbt-ms")
			b.ReportMetric(float64(links["this build"].down/n), "bytes/load")
			b.ReportMetric(float64(links["baseline"].down/n), "base-bytes/load")
			if v := stat("baseline", verdict); v > 0 {
				b.ReportMetric(float64(stat("this build", verdict))/float64(v), "verdict-ratio")
			}
			if v := stat("baseline", blocking); v > 0 {
				b.ReportMetric(float64(stat("this build", blocking))/float64(v), "tbt-ratio")
			}
		})
	}
}

// freshChecks starts a fresh worker with the analyzer's module, in the
// page, and times two checks one after the other; it resolves with their
// milliseconds.
const freshChecks = `new Promise((resolve, reject) => {
	const data = document.body.dataset;
	const w = new Worker(data.worker);
	let id = 0;
	const calls = {};
	const call = (fn, ...args) => new Promise((res, rej) => {
		calls[++id] = {res, rej};
		w.postMessage({type: 'call', id: id, fn: fn, args: args, callback: -1});
	});
	w.onmessage = async (e) => {
		const m = e.data;
		if (m.type === 'result') { calls[m.id].res(m.value); return; }
		if (m.type === 'error') { calls[m.id].rej(new Error(m.message)); return; }
		if (m.type !== 'ready') { return; }
		try {
			const out = [];
			for (let i = 0; i < 2; i++) {
				const t = performance.now();
				await call('check', '?uri=bob%40healthy.example&doh=local');
				out.push(performance.now() - t);
			}
			w.terminate();
			resolve(out);
		} catch (err) { reject(err); }
	};
	w.postMessage({type: 'start', url: data.wasm, global: 'sipdisco'});
})`

// BenchmarkFirstCheck compares the first check of a freshly started
// analyzer module, with no warm-up, with the check after it: every
// iteration starts a fresh worker in the page and times both, and the
// benchmark reports their medians and ratio (first-ms, next-ms,
// first/next). It is what the first check of a link meets, since the page
// warms a module (wasm's warm, one check of an in-memory domain) only when
// no link is waiting. A longer warm-up of three checks run before a link's
// check was measured here and dropped: the first check was 42 ms without
// it and 36 ms after it, the second 47 ms, so it saved less than its own
// 74 ms.
func BenchmarkFirstCheck(b *testing.B) {
	site := startSite(b)
	bctx := browser(b, chromiumPath(b))
	ctx := tab(b, bctx, 2*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
		b.Fatal(err)
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	var first, second []time.Duration
	for b.Loop() {
		r, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](freshChecks, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		first, second = append(first, ms(r[0])), append(second, ms(r[1]))
	}
	f, s := median(first), median(second)
	b.ReportMetric(0, "ns/op") // one op starts a worker and compiles a module: not a useful number
	b.ReportMetric(float64(f)/float64(time.Millisecond), "first-ms")
	b.ReportMetric(float64(s)/float64(time.Millisecond), "next-ms")
	b.ReportMetric(float64(f)/float64(s), "first/next")
}

// BenchmarkSlowResolver times a full report in the page when every DoH
// answer takes 250 ms (the server holds it): the questions of a round go
// out together, so a report costs a few round trips, not one per
// question. Each iteration checks in a new browser context (an empty HTTP
// cache, so every answer comes from the server), timed inside the page:
// its DNS rounds, the engine and the rendering. Metrics: report-ms and
// delays/report (report-ms over the delay), medians; ready-ms, the navigation
// to an interactive analyzer; nodelay-ms, the same check without the
// delay. TestBrowser's "report time with a slow resolver" asserts the
// questions' concurrency itself.
func BenchmarkSlowResolver(b *testing.B) {
	const delay = 250 * time.Millisecond
	site := startSite(b)
	bctx := browser(b, chromiumPath(b))
	open := func() (context.Context, time.Duration) {
		ctx := tab(b, bctx, 30*time.Second, chromedp.WithNewBrowserContext())
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
			b.Fatal(err)
		}
		return ctx, time.Since(start)
	}
	check := func(ctx context.Context, domain string) time.Duration {
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(async () => {
			const t0 = performance.now();
			const r = await sipdiscoPage.call('analyzer', 'check', '?uri=bob%40`+domain+`&doh=local');
			if (r.report.outcome !== 'connect') { throw new Error('outcome ' + r.report.outcome); }
			return performance.now() - t0;
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		return time.Duration(ms * float64(time.Millisecond))
	}
	var ready, nodelay, slow []time.Duration
	for b.Loop() {
		ctx, r := open()
		ready = append(ready, r)
		site.delay.Store(0)
		nodelay = append(nodelay, check(ctx, "cname.example"))
		site.delay.Store(int64(delay))
		slow = append(slow, check(ctx, "weighted.example"))
		site.delay.Store(0)
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(0, "ns/op") // one op opens a page and runs two checks: not a useful number
	b.ReportMetric(ms(median(ready)), "ready-ms")
	b.ReportMetric(ms(median(nodelay)), "nodelay-ms")
	b.ReportMetric(ms(median(slow)), "report-ms")
	b.ReportMetric(float64(median(slow))/float64(delay), "delays/report")
}

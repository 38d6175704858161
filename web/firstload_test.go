//go:build !js

package web

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
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
// test skips. It runs that tree's own "sipdisco serve".
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

func measureLoad(t *testing.T, bctx context.Context, url string) firstLoad {
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
func (l *slowLink) start(t *testing.T) string {
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
func startBaseline(t *testing.T, tree string) string {
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

// TestFirstLoad compares the first load of a shared live link, this build
// against the baseline, on each emulated network: the median of five cold
// loads each, as a ratio in one run. This build is served as sipdisco
// serve serves a release (the first module precompressed at brotli
// quality 11).
func TestFirstLoad(t *testing.T) {
	tree := os.Getenv("SIPDISCO_BASELINE")
	if tree == "" {
		t.Skip("SIPDISCO_BASELINE names the earlier build's source tree (make bench)")
	}
	path := chromiumPath(t)
	cur := startSite(t)
	// Release quality for the first module, as a release binary serves it.
	for name, f := range cur.site.Files {
		if strings.HasPrefix(name, WASMDir+"main.") && strings.HasSuffix(name, ".wasm") {
			br, err := Brotli(f.Data, ReleaseBrotliQuality)
			if err != nil {
				t.Fatal(err)
			}
			cur.site.Files[name+".br"].Data = br
		}
	}
	base := startBaseline(t, tree)
	const link = "/?uri=bob%40healthy.example&doh=local"
	bctx := browser(t, path)
	for _, p := range firstLoadProfiles {
		loads := map[string][]firstLoad{}
		links := map[string]*slowLink{}
		urls := map[string]string{}
		for name, u := range map[string]string{"baseline": base, "this build": cur.URL} {
			links[name] = &slowLink{p: p, backend: strings.TrimPrefix(u, "http://")}
			urls[name] = links[name].start(t)
		}
		for i := 0; i < 5; i++ {
			for _, name := range []string{"baseline", "this build"} {
				loads[name] = append(loads[name], measureLoad(t, bctx, urls[name]+link))
			}
		}
		stat := func(name string, f func(firstLoad) time.Duration) time.Duration {
			var ds []time.Duration
			for _, l := range loads[name] {
				ds = append(ds, f(l))
			}
			return median(ds)
		}
		for _, name := range []string{"baseline", "this build"} {
			t.Logf("first load, %s, %s: verdict after %v, total blocking time %v, long tasks %v (medians of 5); %d bytes per load",
				p.name, name, stat(name, func(l firstLoad) time.Duration { return l.outcome }).Round(time.Millisecond),
				stat(name, func(l firstLoad) time.Duration { return l.blocking }).Round(time.Millisecond),
				stat(name, func(l firstLoad) time.Duration { return l.mainWork }).Round(time.Millisecond), links[name].down/5)
		}
		ratio := func(f func(firstLoad) time.Duration) string {
			b := stat("baseline", f)
			if b == 0 {
				return "n/a"
			}
			return fmt.Sprintf("%.2f×", float64(stat("this build", f))/float64(b))
		}
		t.Logf("first load, %s: this build / baseline: verdict %s, total blocking time %s", p.name,
			ratio(func(l firstLoad) time.Duration { return l.outcome }), ratio(func(l firstLoad) time.Duration { return l.blocking }))
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

// TestFirstCheck compares the first check of a freshly started analyzer
// module, with no warm-up, with the check after it (medians of five; make
// bench): what the first check of a link meets, since the page warms a
// module (wasm's warm, one check of an in-memory domain) only when no
// link is waiting. A longer warm-up of three checks run before a link's
// check was measured here and dropped: the first check was 42 ms without
// it and 36 ms after it, the second 47 ms, so it saved less than its own
// 74 ms.
func TestFirstCheck(t *testing.T) {
	if testing.Short() || os.Getenv("SIPDISCO_BENCH") == "" {
		t.Skip("a measurement (make bench sets SIPDISCO_BENCH)")
	}
	site := startSite(t)
	bctx := browser(t, chromiumPath(t))
	ctx := tab(t, bctx, 2*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
		t.Fatal(err)
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	var first, second []time.Duration
	for i := 0; i < 5; i++ {
		r, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](freshChecks, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		first, second = append(first, ms(r[0])), append(second, ms(r[1]))
	}
	f, s := median(first), median(second)
	t.Logf("first check of a fresh module %v, the next %v: %.2f× (medians of 5)", f.Round(time.Millisecond), s.Round(time.Millisecond), float64(f)/float64(s))
}

//go:build !js

package web

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The time-to-verdict benchmark (issue 27): how long a shared link takes
// to show its verdict, against what any page needs for the same answer,
// in one run:
//
//   - this build: shareLink, the analyzer's
//     first module fetched and started in its worker, the check, the
//     report;
//   - plain JS (testdata/verdict/plain.js): the same DoH questions asked
//     of the same /dns-query from a 90-line script, the answer printed;
//   - the Go floor (testdata/verdict/floor): an empty Go program's
//     module (Go's runtime alone), fetched and started by the site's own
//     worker script as the analyzer's module is, "ran" printed;
//   - deferred: the share link's page as it was before the module
//     started from the head (boot.js deferred), for verdict/deferred.
//
// Every load goes through slowLink, the loopback proxy that delays and
// rate-limits all traffic, the worker's downloads included (DevTools'
// Network.emulateNetworkConditions throttles the page's requests only).
// The slowest profile also slows the page's CPU 4× (DevTools'
// Emulation.setCPUThrottlingRate, as Lighthouse's mobile runs do).
// "first" is a cold load in a new browser context; "repeat" loads the
// same link again in that context (the HTTP cache and the code cache
// warm).

// shareLink is the query of the link the benchmark opens: as the
// report's "Copy link" gives it (check.Options.Query, every parameter a
// link always carries), so that the address bar already holds the link
// the check reports and the page leaves it as it is. A shorter link
// (?uri=…&doh=…) is rewritten to this one when its check is done.
const shareLink = "?uri=bob%40healthy.example&profile=communicator-2007-r2&strict=0&tcp=1&doh=local"

// verdictProfile is one emulated network and CPU.
type verdictProfile struct {
	networkProfile
	cpu float64 // CPU slowdown; 0 or 1: none
}

var verdictProfiles = []verdictProfile{
	{networkProfile{name: "unthrottled"}, 0},
	{firstLoadProfiles[0], 0},
	{networkProfile{"1.6 Mbit/s, 150 ms, 4x CPU", 150 * time.Millisecond, 1.6e6 / 8, 750e3 / 8}, 4},
}

// waitVerdict resolves, in the page, with the time (ms since navigation
// start) a verdict element appears, and the cumulative layout shift
// (layout-shift entries without recent input, summed) from the start of
// the page to half a second after the verdict: what moves when it arrives.
const waitVerdict = `new Promise((resolve) => {
	let cls = 0;
	try {
		new PerformanceObserver((l) => {
			for (const e of l.getEntries()) { if (!e.hadRecentInput) { cls += e.value; } }
		}).observe({type: 'layout-shift', buffered: true});
	} catch (e) {}
	const sel = '#result [data-testid="outcome"], #error:not([hidden])';
	const done = (t) => setTimeout(() => resolve({ms: t, cls: cls}), 500);
	if (document.querySelector(sel)) { done(performance.now()); return; }
	new MutationObserver((_, o) => {
		if (document.querySelector(sel)) { o.disconnect(); done(performance.now()); }
	}).observe(document.documentElement, {subtree: true, childList: true, attributes: true});
})`

// readPhases resolves, in the page, with the moments (ms since navigation
// start) the page reached on the way to its verdict: the HTML's last
// byte (html), and the sipdisco:NAME marks of boot.js, worker.js and the
// Go side (wasm/internal/bridge.Mark) without their prefix, the worker's
// copied to the page's timeline (sipdiscoPage.marks), and the module's
// download as the worker saw it (wasm-end, its last byte; wasm-bytes,
// what crossed the network: 0 from the HTTP cache).
const readPhases = `(async () => {
	let res = null;
	if (window.sipdiscoPage && sipdiscoPage.marks) { res = await sipdiscoPage.marks(); }
	else if (window.floorResources) { res = window.floorResources; }
	const nav = performance.getEntriesByType('navigation')[0];
	const out = {html: nav.responseEnd};
	for (const m of performance.getEntriesByType('mark')) {
		if (m.name.startsWith('sipdisco:')) { out[m.name.slice(9)] = m.startTime; }
	}
	const r = (res || []).find((x) => /\/(main|floor)\.[^/]*wasm$/.test(x.name));
	if (r) {
		out['wasm-end'] = r.responseEnd - performance.timeOrigin;
		out['wasm-bytes'] = r.transferSize;
	}
	return out;
})()`

// verdictPhases are the phases the benchmark's breakdown shows, in the
// order a share link reaches them (readPhases names them): the HTML,
// the worker created (worker) and running (start), the module's request
// (fetch), first byte (response) and last (wasm-end), compiled,
// instantiated, Go's main running (main) and its API installed (ready),
// the link's query read (done:parseQuery), the first check's answers
// (checked), its report rendered (rendered), sent (done:check) and
// received by the page (reply:check), the verdict in the DOM (verdict). The plain-JS page marks its first
// question (dns) and last answer (dns-done).
var verdictPhases = []string{"html", "dns", "dns-done", "worker", "start", "fetch", "response", "wasm-end", "compiled", "instantiated",
	"main", "ready", "done:parseQuery", "checked", "rendered", "done:check", "reply:check", "verdict"}

// verdictTime is what waitVerdict resolves with.
type verdictTime struct {
	MS  float64 `json:"ms"`
	CLS float64 `json:"cls"`
}

// verdictSite returns files with the plain-JS page (bench/plain.html)
// and the Go floor's page (bench/floor.html) and module added, the
// floor's module built now with this Go and served brotli-compressed as
// the first module is.
func verdictSite(b *testing.B, site *Site) fstest.MapFS {
	files := maps.Clone(site.Files)
	worker := regexp.MustCompile(`data-worker="([^"]+)"`).FindSubmatch(site.Files["index.html"].Data)
	if worker == nil {
		b.Fatal("index.html names no worker script")
	}
	wasm := filepath.Join(b.TempDir(), "floor.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./testdata/verdict/floor")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building the Go floor: %v\n%s", err, out)
	}
	mod, err := os.ReadFile(wasm)
	if err != nil {
		b.Fatal(err)
	}
	br, err := Brotli(mod, ReleaseBrotliQuality)
	if err != nil {
		b.Fatal(err)
	}
	plain, err := os.ReadFile("testdata/verdict/plain.js")
	if err != nil {
		b.Fatal(err)
	}
	floor, err := os.ReadFile("testdata/verdict/floor.js")
	if err != nil {
		b.Fatal(err)
	}
	page := func(title, script, body string) []byte {
		return fmt.Appendf(nil, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s</title><script src="/%s" defer></script></head><body%s><main id="result"></main></body></html>`, title, script, body)
	}
	files[WASMDir+"floor.bench.wasm"] = &fstest.MapFile{Data: mod}
	files[WASMDir+"floor.bench.wasm.br"] = &fstest.MapFile{Data: br}
	files[AssetDir+"plain.bench.js"] = &fstest.MapFile{Data: plain}
	files[AssetDir+"floor.bench.js"] = &fstest.MapFile{Data: floor}
	// The share link's page as it was before the module started from the
	// head (ADR 0025): boot.js deferred, the URLs read from the body.
	early := regexp.MustCompile(` data-start="analyzer" data-worker="[^"]*" data-wasm="[^"]*"></script>`)
	index := site.Files["index.html"].Data
	if !early.Match(index) {
		b.Fatal("index.html's boot.js does not start the module from the head")
	}
	deferred := early.ReplaceAll(index, []byte(` defer></script>`))
	files["bench/deferred/index.html"] = &fstest.MapFile{Data: deferred}
	if _, ok := site.Files["index.html.br"]; ok {
		dbr, err := Brotli(deferred, ReleaseBrotliQuality)
		if err != nil {
			b.Fatal(err)
		}
		files["bench/deferred/index.html.br"] = &fstest.MapFile{Data: dbr}
	}
	files["bench/plain.html"] = &fstest.MapFile{Data: page("plain JS", AssetDir+"plain.bench.js", "")}
	files["bench/floor.html"] = &fstest.MapFile{Data: page("Go floor", AssetDir+"floor.bench.js",
		fmt.Sprintf(` data-worker="%s" data-wasm="/%sfloor.bench.wasm"`, worker[1], WASMDir))}
	b.Logf("Go floor module: %d bytes, %d brotli", len(mod), len(br))
	return files
}

// BenchmarkTimeToVerdict reports, for each profile (a sub-benchmark),
// the medians of the time to the verdict (ms from navigation start) of
// this build, the plain-JS page and the Go floor, first and repeat visit,
// and the ratios: verdict/plain, verdict/floor and verdict/deferred for
// each visit; and it logs where the time goes, phase by phase
// (logPhases: the HTML, the worker, the module's download, compile,
// Go's start, the first check, its rendering, the verdict). One
// iteration loads each page cold and again, one page after the other,
// starting with the next page each time.
// make bench runs it with -benchtime 3x.
func BenchmarkTimeToVerdict(b *testing.B) {
	path := chromiumPath(b)
	site := builtSite(b)
	files := verdictSite(b, site)
	// The first module at release quality, as a release binary serves it.
	for name, f := range site.Files {
		if strings.HasPrefix(name, WASMDir+"main.") && strings.HasSuffix(name, ".wasm") {
			br, err := Brotli(f.Data, ReleaseBrotliQuality)
			if err != nil {
				b.Fatal(err)
			}
			files[name+".br"] = &fstest.MapFile{Data: br, Mode: f.Mode}
		}
	}
	srv := serveSite(b, &Site{Files: files, Resolvers: site.Resolvers})
	pages := []struct{ name, path string }{
		{"verdict", "/" + shareLink},
		{"plain", "/bench/plain.html"},
		{"floor", "/bench/floor.html"},
		{"deferred", "/bench/deferred/" + shareLink},
	}
	bctx := browser(b, path)
	for _, p := range verdictProfiles {
		b.Run(p.name, func(b *testing.B) {
			base := srv.URL
			var link *slowLink
			if p.latency > 0 {
				link = &slowLink{p: p.networkProfile, backend: strings.TrimPrefix(srv.URL, "http://")}
				base = link.start(b)
			}
			down := func() float64 {
				if link == nil {
					return 0
				}
				link.mu.Lock()
				defer link.mu.Unlock()
				return float64(link.down)
			}
			times := map[string][]time.Duration{}
			cls := map[string][]float64{}
			phases := map[string][]float64{} // "page-visit phase": ms, one per load
			round := 0
			for b.Loop() {
				// Each iteration starts with the next page, so that no
				// page is always the first load after the last.
				order := append(slices.Clone(pages[round%len(pages):]), pages[:round%len(pages)]...)
				round++
				for _, pg := range order {
					ctx := tab(b, bctx, 2*time.Minute, chromedp.WithNewBrowserContext())
					if p.cpu > 1 {
						err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
							_, err := cdp.Call(ctx, tg, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: p.cpu})
							return err
						}))
						if err != nil {
							b.Fatal(err)
						}
					}
					for _, visit := range []string{"first", "repeat"} {
						before := down()
						if err := chromedp.Do(ctx, chromedp.Navigate(base+pg.path)); err != nil {
							b.Fatal(err)
						}
						vt, err := chromedp.Run(ctx, chromedp.Evaluate[verdictTime](waitVerdict, chromedp.EvalAwaitPromise))
						if err != nil {
							b.Fatal(err)
						}
						if pg.name == "verdict" || pg.name == "deferred" {
							cls[visit] = append(cls[visit], vt.CLS)
						}
						text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#result [data-testid="outcome"], #error:not([hidden])').textContent`))
						if err != nil {
							b.Fatal(err)
						}
						if strings.Contains(text, "failed") || text == "" {
							b.Fatalf("%s (%s visit): %q", pg.name, visit, text)
						}
						if pg.name == "verdict" {
							search, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
							if err != nil {
								b.Fatal(err)
							}
							if search != shareLink {
								b.Fatalf("the check rewrote the share link to %s: shareLink is no longer the link the report gives", search)
							}
						}
						times[pg.name+"-"+visit] = append(times[pg.name+"-"+visit], time.Duration(vt.MS*float64(time.Millisecond)))
						ph, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](readPhases, chromedp.EvalAwaitPromise))
						if err != nil {
							b.Fatal(err)
						}
						ph["verdict"] = vt.MS
						ph["bytes-down"] = down() - before
						for k, v := range ph {
							k = pg.name + "-" + visit + " " + k
							phases[k] = append(phases[k], v)
						}
					}
				}
			}
			logPhases(b, pages, phases)
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			b.ReportMetric(0, "ns/op") // one op is eight page loads: not a useful number
			for _, visit := range []string{"first", "repeat"} {
				v, pl, fl := median(times["verdict-"+visit]), median(times["plain-"+visit]), median(times["floor-"+visit])
				b.ReportMetric(ms(v), visit+"-verdict-ms")
				b.ReportMetric(ms(pl), visit+"-plain-ms")
				b.ReportMetric(ms(fl), visit+"-floor-ms")
				b.ReportMetric(float64(v)/float64(pl), visit+"-verdict/plain")
				b.ReportMetric(float64(v)/float64(fl), visit+"-verdict/floor")
				b.ReportMetric(slices.Max(cls[visit]), visit+"-max-CLS")
				b.ReportMetric(float64(v)/float64(median(times["deferred-"+visit])), visit+"-verdict/deferred")
			}
		})
	}
}

// logPhases logs, for each page and visit, the median moment of each
// phase it reached (ms since navigation start) and the time since the
// phase before: where the time to a verdict goes.
func logPhases(b *testing.B, pages []struct{ name, path string }, phases map[string][]float64) {
	med := func(v []float64) float64 {
		s := slices.Clone(v)
		slices.Sort(s)
		return s[len(s)/2]
	}
	var out strings.Builder
	fmt.Fprintf(&out, "where the time goes (medians, ms since navigation start, +ms since the phase before):")
	for _, pg := range pages {
		for _, visit := range []string{"first", "repeat"} {
			key := pg.name + "-" + visit
			fmt.Fprintf(&out, "\n  %-16s", key)
			last := 0.0
			var seen []string
			for _, name := range verdictPhases {
				if _, ok := phases[key+" "+name]; ok {
					seen = append(seen, name)
				}
			}
			// In the order they came (a repeat visit's module may be
			// read before its request's response is marked).
			slices.SortStableFunc(seen, func(a, b string) int {
				return cmp.Compare(med(phases[key+" "+a]), med(phases[key+" "+b]))
			})
			for _, name := range seen {
				m := med(phases[key+" "+name])
				fmt.Fprintf(&out, " %s %.0f (+%.0f)", name, m, m-last)
				last = m
			}
			if v, ok := phases[key+" wasm-bytes"]; ok {
				fmt.Fprintf(&out, "; module over the network: %.0f bytes", med(v))
			}
			if v := med(phases[key+" bytes-down"]); v > 0 {
				fmt.Fprintf(&out, "; the load's bytes down the link: %.0f", v)
			}
		}
	}
	b.Log(out.String())
}

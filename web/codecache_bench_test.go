//go:build !js

package web

import (
	"context"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// BenchmarkWASMCodeCache reports what Chromium does with the first
// module's compiled code between visits (issue 27: "a repeat visit
// compiles from the browser's code cache"), from a trace of the
// browser's own events: each iteration opens the share link in a new
// tab of the browser's own profile (on disk, where a code cache is
// kept), leaves it 10 s for V8 to optimise and cache what it will, and
// closes it, so that the next visit runs in a new renderer process (a
// repeat visit in the same tab, as BenchmarkTimeToVerdict's, reuses the
// module V8 compiled in that process, which says nothing of the code
// cache). It reports, per visit, the streaming compiles begun
// (v8.wasm.streamFromResponseCallback), the compiled modules written to
// the code cache (v8.wasm.cachedModule) and read from it
// (v8.wasm.moduleCacheHit, v8.wasm.moduleCacheInvalid); and the
// functions V8 compiled when first called (wasm.CompileLazy: its
// baseline compiler compiles a function on its first call) and the time
// that took, on the worker's thread, while Go started, checked and
// rendered. make bench runs it with -benchtime 3x.
func BenchmarkWASMCodeCache(b *testing.B) {
	path := chromiumPath(b)
	srv := startSite(b)
	root, err := sharedChromium(path)
	if err != nil {
		b.Fatal(err)
	}
	events := []string{"v8.wasm.streamFromResponseCallback", "v8.wasm.cachedModule", "v8.wasm.moduleCacheHit",
		"v8.wasm.moduleCacheInvalid"}
	re := regexp.MustCompile(`"name":"((?:v8\.)?wasm\.[A-Za-z]+)"`)
	dur := regexp.MustCompile(`"dur":([0-9.]+)`)
	var mu sync.Mutex
	count := map[string]int{}
	lazy := 0.0 // µs in wasm.CompileLazy
	done := make(chan struct{})
	chromedp.Listen(root, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			defer mu.Unlock()
			for _, v := range e.Value {
				j, _ := v.MarshalJSON()
				for _, m := range re.FindAllSubmatch(j, -1) {
					count[string(m[1])]++
					if string(m[1]) == "wasm.CompileLazy" {
						if d := dur.FindSubmatch(j); d != nil {
							us, _ := strconv.ParseFloat(string(d[1]), 64)
							lazy += us
						}
					}
				}
			}
		case *tracing.EventTracingComplete:
			close(done)
		}
	})
	err = chromedp.Do(root, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{
			IncludedCategories: []string{"v8.wasm", "disabled-by-default-devtools.timeline"},
		}})
		return err
	}))
	if err != nil {
		b.Fatal(err)
	}
	visits := 0
	for b.Loop() {
		visits++
		ctx, cancel := chromedp.NewContext(root)
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?uri=bob%40healthy.example&doh=local")); err != nil {
			b.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[verdictTime](waitVerdict, chromedp.EvalAwaitPromise)); err != nil {
			b.Fatal(err)
		}
		time.Sleep(10 * time.Second)
		cancel()
	}
	err = chromedp.Do(root, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, tracing.End, cdp.Empty{})
		return err
	}))
	if err != nil {
		b.Fatal(err)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	b.ReportMetric(0, "ns/op")
	for _, e := range events {
		b.ReportMetric(float64(count[e])/float64(visits), e+"/visit")
	}
	b.ReportMetric(float64(count["wasm.CompileLazy"])/float64(visits), "lazy-compiles/visit")
	b.ReportMetric(lazy/1e3/float64(visits), "lazy-compile-ms/visit")
}

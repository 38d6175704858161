//go:build !js

package web

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// largestSnapshot returns base with DNS steps added, each like a real
// SRV step with two answers, until the snapshot decoder's limits would
// refuse one more (the steps list's entries, the values in all, the
// JSON's size): the largest snapshot of steps a link can carry.
func largestSnapshot(tb testing.TB, base *engine.Report) *engine.Report {
	r := *base
	r.Steps = append([]engine.Step(nil), base.Steps...)
	fits := func(r *engine.Report) bool {
		js, err := check.SnapshotJSON(check.Snapshot{TakenAt: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), Report: r})
		return err == nil && len(js) <= check.MaxSnapshotJSON && len(r.Steps) <= check.MaxSnapshotEntries
	}
	add := func(r *engine.Report, n int) {
		for i := range n {
			k := len(r.Steps) + i
			name := fmt.Sprintf("_sipinternaltls._tcp.d%d.contoso.example", k)
			r.Steps = append(r.Steps, engine.Step{Question: name, Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Round: 1 + k%8, MS: 12,
				Answers: []string{name + ". SRV 0 0 5061 pool01.contoso.example.", name + ". SRV 1 0 5061 pool02.contoso.example."}})
		}
	}
	// Grow by halving steps: the largest count that fits.
	for step := 1024; step > 0; {
		try := r
		try.Steps = append([]engine.Step(nil), r.Steps...)
		add(&try, step)
		if fits(&try) {
			r = try
			continue
		}
		step /= 2
	}
	if !fits(&r) {
		tb.Fatal("the base report does not fit a snapshot")
	}
	return &r
}

// BenchmarkSnapshotRender opens two snapshot links in Chromium, each
// iteration in a fresh tab, and times navigation to the report shown: a
// real report (bob@healthy.example on the demo zones) and the largest
// snapshot of DNS steps the decoder accepts (largestSnapshot). Metrics
// are medians: real-ms, largest-ms and their ratio, largest/real; the
// largest snapshot's steps and the page's elements once it is shown
// (largest-nodes, real-nodes).
func BenchmarkSnapshotRender(b *testing.B) {
	set, err := zone.Demo()
	if err != nil {
		b.Fatal(err)
	}
	u, _ := engine.ParseURI("bob@healthy.example")
	real, err := engine.Discover(context.Background(), u, engine.Config{Resolver: set, Policy: engine.DefaultPolicy()})
	if err != nil {
		b.Fatal(err)
	}
	largest := largestSnapshot(b, real)
	links := map[string]string{}
	for name, r := range map[string]*engine.Report{"real": real, "largest": largest} {
		frag, err := snapshot.Encode(context.Background(), check.Snapshot{TakenAt: time.Now(), Report: r})
		if err != nil {
			b.Fatal(err)
		}
		links[name] = frag
	}
	js, _ := json.Marshal(largest)
	b.Logf("largest snapshot: %d steps, %d bytes of JSON, a link of %d bytes", len(largest.Steps), len(js), len(links["largest"]))

	site := startSite(b)
	bctx := browser(b, chromiumPath(b))
	times := map[string][]time.Duration{}
	nodes := map[string]int{}
	for b.Loop() {
		for _, name := range []string{"real", "largest"} {
			ctx := tab(b, bctx, 3*time.Minute)
			start := time.Now()
			if _, err := showReport(ctx, chromedp.Navigate(site.URL+"/"+links[name])); err != nil {
				b.Fatalf("%s: %v", name, err)
			}
			times[name] = append(times[name], time.Since(start))
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementsByTagName('*').length`))
			if err != nil {
				b.Fatal(err)
			}
			nodes[name] = n
		}
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	r, l := median(times["real"]), median(times["largest"])
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(ms(r), "real-ms")
	b.ReportMetric(ms(l), "largest-ms")
	b.ReportMetric(float64(l)/float64(r), "largest/real")
	b.ReportMetric(float64(len(largest.Steps)), "largest-steps")
	b.ReportMetric(float64(nodes["largest"]), "largest-nodes")
	b.ReportMetric(float64(nodes["real"]), "real-nodes")
}

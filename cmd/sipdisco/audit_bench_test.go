//go:build !js

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// auditDelay is the simulated round trip of the delayed DoH server in the
// audit benchmarks.
const auditDelay = 20 * time.Millisecond

// auditInput returns n address lines spread over every demo domain, as an
// audit file would hold them.
func auditInput(n int) string {
	scs := demo.Scenarios()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "user%d@%s\n", i, scs[i%len(scs)].Domain)
	}
	return b.String()
}

// variant is one way of running an audit.
type variant struct {
	name        string
	addresses   int
	concurrency int
	perAddress  bool
}

// measure runs the whole audit pipeline — read the lines, discover, write
// CSV — for v over r and returns the elapsed time and the bytes
// allocated.
func measure(b *testing.B, v variant, r engine.Resolver) (time.Duration, uint64) {
	b.Helper()
	text := auditInput(v.addresses)
	cfg := engine.Config{Resolver: r, Policy: engine.DefaultPolicy()}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	lines, err := audit.ReadLines(strings.NewReader(text), v.addresses)
	if err != nil {
		b.Fatal(err)
	}
	out := newRowWriter(io.Discard, "csv")
	sum, err := audit.Run(context.Background(), lines, cfg, audit.Options{Concurrency: v.concurrency, PerAddress: v.perAddress}, out.write)
	if err != nil {
		b.Fatal(err)
	}
	out.close()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if sum[string(engine.OutcomeConnect)] == 0 || sum[audit.OutcomeBadInput] != 0 {
		b.Fatalf("%s: unexpected outcomes %v", v.name, sum)
	}
	return elapsed, after.TotalAlloc - before.TotalAlloc
}

// runVariants runs every variant once per iteration and reports each
// one's addresses per second and bytes allocated per address, and the
// ratio of each to the first variant, the baseline.
func runVariants(b *testing.B, r engine.Resolver, vs []variant) {
	b.ReportAllocs()
	elapsed := make([]time.Duration, len(vs))
	bytes := make([]uint64, len(vs))
	for b.Loop() {
		for i, v := range vs {
			e, m := measure(b, v, r)
			elapsed[i] += e
			bytes[i] += m
		}
	}
	rate := func(i int) float64 { return float64(vs[i].addresses*b.N) / elapsed[i].Seconds() }
	for i, v := range vs {
		b.ReportMetric(rate(i), v.name+"-addr/s")
		b.ReportMetric(float64(bytes[i])/float64(vs[i].addresses*b.N), v.name+"-B/addr")
		if i > 0 {
			b.ReportMetric(rate(i)/rate(0), v.name+"/"+vs[0].name)
		}
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkAuditZone audits 10,000 addresses over the in-memory demo
// zones: discovery once per domain (the default) and once per address,
// at the default concurrency of 8, against once per address one at a
// time as the baseline.
func BenchmarkAuditZone(b *testing.B) {
	set, err := zone.Demo()
	if err != nil {
		b.Fatal(err)
	}
	runVariants(b, set, []variant{
		{"per-address-c1", 10000, 1, true},
		{"per-address-c8", 10000, 8, true},
		{"per-domain-c8", 10000, 8, false},
	})
}

// delayedAuditDoH serves the demo zones over RFC 8484 on loopback
// (dohclient's handler), holding every answer for auditDelay like a
// resolver 20 ms away, and returns a client for it.
func delayedAuditDoH(b *testing.B) *dohclient.Client {
	set, err := zone.Demo()
	if err != nil {
		b.Fatal(err)
	}
	h := server.NewHandler(set, server.HandlerOptions{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(auditDelay)
		h.ServeHTTP(w, r)
	}))
	b.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024}
	b.Cleanup(tr.CloseIdleConnections)
	c, err := dohclient.New(srv.URL+"/dns-query", dohclient.HTTPRoundTrip(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkAuditDoH audits 10,000 addresses over the delayed loopback DoH
// server as sipdisco audit does by default (discovery once per domain,
// concurrency 8) against the same addresses one domain at a time as the
// baseline, and 1,000 addresses with discovery for every address at
// concurrency 64. It is sized for make bench's 20 iterations.
func BenchmarkAuditDoH(b *testing.B) {
	runVariants(b, delayedAuditDoH(b), []variant{
		{"per-domain-c1", 10000, 1, false},
		{"per-domain-c8", 10000, 8, false},
		{"per-address-c64", 1000, 64, true},
	})
}

// BenchmarkAuditDoHPerAddress runs discovery for each of 10,000 addresses
// over the delayed DoH server at concurrency 64, with 1,000 at the default
// 8 and 100 one at a time as the baseline. One iteration takes about 20
// seconds, so it runs only when SIPDISCO_BENCH_LONG is set:
//
//	SIPDISCO_BENCH_LONG=1 go test -run '^$' -bench AuditDoHPerAddress -benchtime 1x ./cmd/sipdisco
func BenchmarkAuditDoHPerAddress(b *testing.B) {
	if os.Getenv("SIPDISCO_BENCH_LONG") == "" {
		b.Skip("about 20 s per iteration; set SIPDISCO_BENCH_LONG=1 to run it")
	}
	runVariants(b, delayedAuditDoH(b), []variant{
		{"per-address-c1", 100, 1, true},
		{"per-address-c8", 1000, 8, true},
		{"per-address-c64", 10000, 64, true},
	})
}

//go:build !js

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/demo"
)

// auditMemLines are the list lengths BenchmarkAuditMemory compares. The
// default pair keeps make bench short; the issue 26 run is
//
//	go test -run '^$' -bench AuditMemory -benchtime 1x ./cmd/sipdisco -args -audit-lines 1000000,3000000
var auditMemLines = flag.String("audit-lines", "100000,300000", "comma-separated list lengths for BenchmarkAuditMemory")

// BenchmarkAuditMemory runs sipdisco audit, the whole command, over lists
// of the demo domains' addresses of each length in -audit-lines (written
// to a file, not held by the benchmark) and reports each run's peak heap,
// sampled every millisecond above the heap before the run: the most bytes
// of heap objects, live or not yet swept (peak), and the largest live
// heap a garbage collection marked (live); and the ratio of each to the
// first length's. Streamed, the peaks do not grow with the list (issue
// 26: 84 MB at 200,000 lines, 386 MB at 1M and 498 MB at 3M before).
// Each length runs once, whatever b.N: it is a measurement of memory,
// not of time.
func BenchmarkAuditMemory(b *testing.B) {
	var sizes []int
	for _, f := range strings.Split(*auditMemLines, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("-audit-lines %q: want positive counts", *auditMemLines)
		}
		sizes = append(sizes, n)
	}
	dir := b.TempDir()
	peaks, lives := make([]float64, len(sizes)), make([]float64, len(sizes))
	for i, n := range sizes {
		path := filepath.Join(dir, fmt.Sprintf("list-%d.txt", n))
		writeAuditList(b, path, n)
		peaks[i], lives[i] = auditPeak(b, path)
		os.Remove(path)
	}
	for b.Loop() {
	}
	for i, n := range sizes {
		b.ReportMetric(peaks[i]/(1<<20), fmt.Sprintf("peak-MiB-%d", n))
		b.ReportMetric(lives[i]/(1<<20), fmt.Sprintf("live-MiB-%d", n))
		if i > 0 {
			b.ReportMetric(peaks[i]/peaks[0], fmt.Sprintf("peak-%d/%d", n, sizes[0]))
			b.ReportMetric(lives[i]/lives[0], fmt.Sprintf("live-%d/%d", n, sizes[0]))
		}
	}
	b.ReportMetric(0, "ns/op")
}

// writeAuditList writes n addresses spread over the demo domains.
func writeAuditList(b *testing.B, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	scs := demo.Scenarios()
	for i := range n {
		fmt.Fprintf(w, "user%d@%s\n", i, scs[i%len(scs)].Domain)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}

// auditPeak runs sipdisco audit over path and returns the peak of heap
// objects' bytes (live or not yet swept) and the peak of the live heap
// that each garbage collection marked, both above what they were before
// it.
func auditPeak(b *testing.B, path string) (peak, live float64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	var maxObjects, maxLive uint64
	read := func() {
		metrics.Read(sample)
		maxObjects = max(maxObjects, sample[0].Value.Uint64())
		maxLive = max(maxLive, sample[1].Value.Uint64())
	}
	read()
	baseObjects, baseLive := maxObjects, maxLive
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	var stderr strings.Builder
	code := run(context.Background(), []string{"audit", "--progress", "off", path}, nil, io.Discard, &stderr)
	close(stop)
	wg.Wait()
	if code != exitConnect && code != exitFail && code != exitIndeterminate && code != exitProblems {
		b.Fatalf("audit %s: exit %d: %s", path, code, stderr.String())
	}
	return float64(maxObjects - baseObjects), float64(maxLive - baseLive)
}

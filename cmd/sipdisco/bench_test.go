//go:build !js

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// benchDelay is the simulated network round trip of the delayed DoH server.
const benchDelay = 50 * time.Millisecond

// delayedDoH serves the demo zones over RFC 8484 on loopback, sleeping
// benchDelay before every answer, like a resolver one round trip away.
func delayedDoH(b *testing.B) (*dohclient.Client, *zone.Set) {
	b.Helper()
	set, err := zone.Demo()
	if err != nil {
		b.Fatal(err)
	}
	h := server.NewHandler(set, server.HandlerOptions{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(benchDelay)
		h.ServeHTTP(w, r)
	}))
	b.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	b.Cleanup(tr.CloseIdleConnections)
	c, err := dohclient.New(srv.URL+"/dns-query", dohclient.HTTPRoundTrip(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	return c, set
}

// BenchmarkDiscoveryParallelVsSequential compares the full default-profile
// report for bob@healthy.example with the same questions asked one after
// another, over the same delayed DoH server. It reports both in round
// trips (elapsed / benchDelay) and their ratio; the goal is a parallel
// report of at most 2.5 round trips. The outside view's extra questions
// (the internal-only names) and the wildcard probe go in the first round,
// so they must not add one.
func BenchmarkDiscoveryParallelVsSequential(b *testing.B) {
	for _, tc := range []struct {
		name, profile, addr string
		view                engine.View
	}{
		{engine.DefaultProfile, engine.DefaultProfile, "bob@healthy.example", engine.ViewUnknown},
		{"lync-2013", "lync-2013", "bob@lync.example", engine.ViewUnknown},
		{"outside-view", engine.DefaultProfile, "bob@leaked-internal.example", engine.ViewOutside},
	} {
		b.Run(tc.name, func(b *testing.B) { benchParallel(b, tc.profile, tc.addr, tc.view) })
	}
}

func benchParallel(b *testing.B, profile, addr string, view engine.View) {
	c, _ := delayedDoH(b)
	u, _ := engine.ParseURI(addr)
	ctx := context.Background()
	cfg := engine.Config{Resolver: c, Policy: engine.DefaultPolicy(), Profile: profile, View: view}

	// Warm the connection pool so both measurements see warm connections.
	if _, err := engine.Discover(ctx, u, cfg); err != nil {
		b.Fatal(err)
	}
	var parallel, sequential time.Duration
	var questions int
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		rep, err := engine.Discover(ctx, u, cfg)
		if err != nil {
			b.Fatal(err)
		}
		parallel += time.Since(start)
		questions = len(rep.Steps)

		start = time.Now()
		for _, s := range rep.Steps {
			t := s.Type
			if _, err := c.Resolve(ctx, engine.Question{Name: s.Question, Type: t}); err != nil {
				b.Fatal(err)
			}
		}
		sequential += time.Since(start)
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64(parallel/n)/float64(benchDelay), "parallel-RTTs")
	b.ReportMetric(float64(sequential/n)/float64(benchDelay), "sequential-RTTs")
	b.ReportMetric(float64(sequential)/float64(parallel), "speedup")
	b.ReportMetric(float64(questions), "questions")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkCheckThroughput runs the check for 1000 addresses over the
// in-memory demo zones (no network) and reports addresses per second,
// against the cost of parsing the same addresses as a baseline in the same
// run.
func BenchmarkCheckThroughput(b *testing.B) {
	set, err := zone.Demo()
	if err != nil {
		b.Fatal(err)
	}
	var addrs []string
	for i := range 1000 {
		addrs = append(addrs, fmt.Sprintf("user%d@%s", i, []string{"healthy.example", "fallback.example", "invalid.example", "strict.example"}[i%4]))
	}
	cfg := engine.Config{Resolver: set, Policy: engine.DefaultPolicy()}
	ctx := context.Background()
	var parse, check time.Duration
	for b.Loop() {
		start := time.Now()
		var us []engine.URI
		for _, a := range addrs {
			u, err := engine.ParseURI(a)
			if err != nil {
				b.Fatal(err)
			}
			us = append(us, u)
		}
		parse += time.Since(start)
		start = time.Now()
		for _, u := range us {
			if _, err := engine.Discover(ctx, u, cfg); err != nil {
				b.Fatal(err)
			}
		}
		check += time.Since(start)
	}
	b.ReportMetric(float64(len(addrs)*b.N)/check.Seconds(), "addresses/s")
	b.ReportMetric(float64(check)/float64(parse), "check/parse-ratio")
	b.ReportMetric(0, "ns/op")
}

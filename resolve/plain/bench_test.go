//go:build !js

package plain_test

import (
	"context"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
	"github.com/sipdisco/sipdisco/resolve/plain"
)

// benchDelay is the simulated network round trip to the DNS server.
const benchDelay = 50 * time.Millisecond

// BenchmarkDiscoveryPlainDNS runs a full discovery through the plain-DNS
// client against nsd holding the demo zones, behind a forwarder that
// delays every answer by benchDelay: a DNS server one round trip away.
// Beside it, the same questions asked one after another, as someone
// checking by hand with nslookup would. It reports both in round trips
// (elapsed / benchDelay); the goal for the default profile is a report
// in at most 2.2 round trips.
func BenchmarkDiscoveryPlainDNS(b *testing.B) {
	var zones []dnstest.Zone
	for _, sc := range demo.Scenarios() {
		zones = append(zones, dnstest.Zone{Origin: sc.Domain, Text: sc.Zone})
	}
	srv := dnstest.StartNSD(b, zones...)
	c, err := plain.New(dnstest.Delay(b, srv.Addr, benchDelay))
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ profile, addr string }{
		{engine.DefaultProfile, "bob@healthy.example"},
		{"lync-2013", "bob@lync.example"},
	} {
		b.Run(tc.profile, func(b *testing.B) {
			u, err := engine.ParseURI(tc.addr)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			cfg := engine.Config{Resolver: c, Policy: engine.DefaultPolicy(), Profile: tc.profile}
			var parallel, sequential time.Duration
			var questions int
			for b.Loop() {
				start := time.Now()
				rep, err := engine.Discover(ctx, u, cfg)
				if err != nil {
					b.Fatal(err)
				}
				parallel += time.Since(start)
				if rep.Outcome != engine.OutcomeConnect {
					b.Fatalf("%s: outcome %s; want connect\n%s", tc.addr, rep.Outcome, srv.Log())
				}
				questions = len(rep.Steps)

				start = time.Now()
				for _, s := range rep.Steps {
					if _, err := c.Resolve(ctx, engine.Question{Name: s.Question, Type: s.Type}); err != nil {
						b.Fatal(err)
					}
				}
				sequential += time.Since(start)
			}
			n := time.Duration(b.N)
			b.ReportMetric(float64(parallel/n)/float64(benchDelay), "parallel-RTTs")
			b.ReportMetric(float64(sequential/n)/float64(benchDelay), "sequential-RTTs")
			b.ReportMetric(float64(questions), "questions")
			b.ReportMetric(0, "ns/op")
		})
	}
}

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
// (elapsed / benchDelay), and the rounds the report shows, for each
// profile twice: with the additional section nsd sends (an SRV answer
// carries its targets' addresses) and with it dropped, as from a
// recursive resolver with minimal responses (unbound's default). The goal
// (docs/adr/0002-discovery-rounds.md): one round trip where the SRV
// answer carries every address the client needs, or under strict naming
// for a deployment that follows it; two otherwise.
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
	minimal := engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		a, err := c.Resolve(ctx, q)
		a.Additional = nil
		return a, err
	})
	for _, tc := range []struct {
		name, profile, addr string
		strict              bool
	}{
		{engine.DefaultProfile, engine.DefaultProfile, "bob@healthy.example", false},
		{engine.DefaultProfile + "-strict", engine.DefaultProfile, "bob@healthy.example", true},
		{"lync-2013", "lync-2013", "bob@lync.example", false},
		{"lync-2013-healthy", "lync-2013", "bob@healthy.example", false},
	} {
		for _, r := range []struct {
			name string
			res  engine.Resolver
		}{{"nsd-additional", c}, {"no-additional", minimal}} {
			b.Run(tc.name+"/"+r.name, func(b *testing.B) {
				u, err := engine.ParseURI(tc.addr)
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				pol := engine.DefaultPolicy()
				pol.StrictNaming = tc.strict
				cfg := engine.Config{Resolver: r.res, Policy: pol, Profile: tc.profile}
				var parallel, sequential time.Duration
				var questions, rounds int
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
					questions, rounds = 0, 0
					start = time.Now()
					for _, s := range rep.Steps {
						rounds = max(rounds, s.Round)
						if s.From != "" {
							continue // not asked
						}
						questions++
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
				b.ReportMetric(float64(rounds), "rounds")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

package domainreport_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// BenchmarkCheckAll reports the round trips a run takes, as its time over
// a round trip's delay: one domain, 100 domains at once (CheckAll), and
// 100 one after another, every answer delayed by rtt as a distant DNS
// server's would be. The 100 at once should take about the round trips of
// one (2: the names, then the servers' addresses); one after another,
// 100 times that.
func BenchmarkCheckAll(b *testing.B) {
	const rtt = 20 * time.Millisecond
	var domains []string
	// One zone holds them all: a zone set loads at most 32 zones.
	text := "$TTL 3600\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.53\n"
	for i := range 100 {
		d := fmt.Sprintf("d%03d", i)
		domains = append(domains, d+".test")
		text += fmt.Sprintf("lyncdiscover.%[1]s A 203.0.113.12\n_sip._tls.%[1]s SRV 0 0 443 sip.%[1]s\nsip.%[1]s A 203.0.113.10\n_sipfederationtls._tcp.%[1]s SRV 0 0 5061 sip.%[1]s\n", d)
	}
	zones := new(zone.Set)
	if err := zones.Add("test", text, "test.zone"); err != nil {
		b.Fatal(err)
	}
	slow := engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		select {
		case <-time.After(rtt):
		case <-ctx.Done():
			return engine.Answer{}, ctx.Err()
		}
		return zones.Resolve(ctx, q)
	})
	cfg := func(string) engine.Config { return engine.Config{Resolver: slow} }
	for _, bc := range []struct {
		name        string
		domains     []string
		concurrency int
	}{{"one", domains[:1], 1}, {"100-at-once", domains, 100}, {"100-one-after-another", domains, 1}} {
		b.Run(bc.name, func(b *testing.B) {
			var elapsed time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := domainreport.CheckAll(context.Background(), bc.domains, cfg, bc.concurrency); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(elapsed)/float64(b.N)/float64(rtt), "round-trips")
		})
	}
}

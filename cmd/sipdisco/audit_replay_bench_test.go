//go:build !js

package main

import (
	"context"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
	"github.com/sipdisco/sipdisco/resolve/plain"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// recorder passes questions to next and keeps them, in the order asked.
type recorder struct {
	next engine.Resolver
	mu   sync.Mutex
	qs   []engine.Question
}

func (r *recorder) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	r.mu.Lock()
	r.qs = append(r.qs, q)
	r.mu.Unlock()
	return r.next.Resolve(ctx, q)
}

// replay asks qs of server over one UDP socket with at most inFlight
// questions outstanding, as dnsperf replays a query file (dnsperf is not
// installed here): the floor of asking those questions of that server from
// Go, with no discovery, no checks, no report. It returns the elapsed time.
func replay(b *testing.B, server string, qs []engine.Question, inFlight int) time.Duration {
	b.Helper()
	conn, err := net.Dial("udp", server)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	packed := make([][]byte, len(qs))
	for i, q := range qs {
		m := wire.QuestionMsg(q)
		m.Id = uint16(i)
		if packed[i], err = m.Pack(); err != nil {
			b.Fatal(err)
		}
	}
	slots := make(chan struct{}, inFlight)
	done := make(chan int)
	start := time.Now()
	go func() {
		buf := make([]byte, dns.MaxMsgSize)
		conn.SetReadDeadline(time.Now().Add(time.Minute))
		for got := 0; got < len(qs); got++ {
			n, err := conn.Read(buf)
			if err != nil || n < 12 {
				done <- got
				return
			}
			<-slots
		}
		done <- len(qs)
	}()
	for _, p := range packed {
		slots <- struct{}{}
		if _, err := conn.Write(p); err != nil {
			b.Fatal(err)
		}
	}
	if got := <-done; got != len(qs) {
		b.Fatalf("replay: %d of %d replies", got, len(qs))
	}
	return time.Since(start)
}

// BenchmarkAuditPlainReplay runs sipdisco audit --per-address over 2,000
// addresses asking a local unbound (the demo zones as its auth-zones) by
// plain DNS, over UDP and over TCP (connections kept open), at
// concurrency 1 and 64, and replays the very questions each run asked
// with replay (64 outstanding, one UDP socket) in the same iteration.
// Metrics: each variant's questions per second, the replay's, and
// audit/replay, the time ratio (the goal: at most 2); and the same ratio
// of the process's CPU time, with the audit's CPU time per question.
func BenchmarkAuditPlainReplay(b *testing.B) {
	var zones []dnstest.Zone
	for _, sc := range demo.Scenarios() {
		zones = append(zones, dnstest.Zone{Origin: sc.Domain, Text: sc.Zone})
	}
	srv := dnstest.StartUnbound(b, zones...)
	const addresses = 2000
	text := auditInput(addresses)
	for _, v := range []struct {
		name        string
		tcp         bool
		concurrency int
	}{{"udp-c1", false, 1}, {"udp-c64", false, 64}, {"tcp-c64", true, 64}} {
		b.Run(v.name, func(b *testing.B) {
			c := &plain.Client{Servers: []netip.AddrPort{srv.Addr}, TCP: v.tcp}
			var auditT, replayT, auditCPU, replayCPU time.Duration
			var questions int
			for b.Loop() {
				rec := &recorder{next: c}
				cfg := engine.Config{Resolver: rec, Policy: engine.DefaultPolicy()}
				lines, err := audit.ReadLines(strings.NewReader(text), 1_000_000)
				if err != nil {
					b.Fatal(err)
				}
				out := newRowWriter(io.Discard, "csv")
				start, cpu := time.Now(), cpuTime()
				sum, err := audit.Run(context.Background(), lines, cfg, audit.Options{Concurrency: v.concurrency, PerAddress: true}, out.write)
				if err != nil {
					b.Fatal(err)
				}
				out.close()
				auditT += time.Since(start)
				auditCPU += cpuTime() - cpu
				if sum[string(engine.OutcomeConnect)] == 0 || sum[audit.OutcomeBadInput] != 0 {
					b.Fatalf("%s: outcomes %v", v.name, sum)
				}
				questions = len(rec.qs)
				cpu = cpuTime()
				replayT += replay(b, srv.Addr.String(), rec.qs, 64)
				replayCPU += cpuTime() - cpu
			}
			plain.CloseIdle()
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(questions*b.N)/auditT.Seconds(), "audit-q/s")
			b.ReportMetric(float64(questions*b.N)/replayT.Seconds(), "replay-q/s")
			b.ReportMetric(float64(questions), "questions")
			b.ReportMetric(float64(auditT)/float64(replayT), "audit/replay")
			// On a machine other work shares, the wall-clock ratio moves
			// with that work; the CPU time the process spent (user and
			// system, unbound's not included) moves much less.
			if replayCPU > 0 {
				b.ReportMetric(float64(auditCPU)/float64(replayCPU), "cpu-audit/replay")
				b.ReportMetric(float64(auditCPU.Microseconds())/float64(questions*b.N), "audit-cpu-µs/q")
			}
		})
	}
}

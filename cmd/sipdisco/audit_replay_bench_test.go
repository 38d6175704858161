//go:build !js

package main

import (
	"bufio"
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

// recorder passes questions to next and keeps them, in the order asked,
// and counts the lookups that failed.
type recorder struct {
	next   engine.Resolver
	mu     sync.Mutex
	qs     []engine.Question
	failed int
}

func (r *recorder) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	r.mu.Lock()
	r.qs = append(r.qs, q)
	r.mu.Unlock()
	a, err := r.next.Resolve(ctx, q)
	if err != nil {
		r.mu.Lock()
		r.failed++
		r.mu.Unlock()
	}
	return a, err
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
	done := make(chan int, 1)
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
		select {
		case slots <- struct{}{}:
		case got := <-done:
			b.Fatalf("replay: no reply within a minute after %d of %d", got, len(qs))
		}
		if _, err := conn.Write(p); err != nil {
			b.Fatal(err)
		}
	}
	if got := <-done; got != len(qs) {
		b.Fatalf("replay: %d of %d replies", got, len(qs))
	}
	return time.Since(start)
}

// replayTCP is replay over TCP, the queries pipelined (RFC 7766
// §6.2.1.1) with at most inFlight outstanding on one connection: the
// floor of the same questions over TCP, where the server's own cost per
// question is higher than over UDP. unbound sometimes closes a busy
// connection; the questions not yet answered then go on a new one.
func replayTCP(b *testing.B, server string, qs []engine.Question, inFlight int) time.Duration {
	b.Helper()
	packed := make([][]byte, len(qs))
	for i, q := range qs {
		m := wire.QuestionMsg(q)
		m.Id = uint16(i)
		p, err := m.Pack()
		if err != nil {
			b.Fatal(err)
		}
		packed[i] = append([]byte{byte(len(p) >> 8), byte(len(p))}, p...)
	}
	start := time.Now()
	for conns := 0; len(packed) > 0; conns++ {
		if conns == 20 {
			b.Fatalf("replayTCP: %d questions unanswered on %d connections", len(packed), conns)
		}
		packed = packed[replayConn(b, server, packed, inFlight):]
	}
	return time.Since(start)
}

// replayConn sends packed (length-prefixed queries) on one new TCP
// connection to server, at most inFlight outstanding, and returns how
// many replies came before the connection ended or all had come.
func replayConn(b *testing.B, server string, packed [][]byte, inFlight int) int {
	conn, err := net.Dial("tcp", server)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	slots := make(chan struct{}, inFlight)
	done := make(chan int, 1)
	go func() {
		r := bufio.NewReader(conn)
		buf := make([]byte, dns.MaxMsgSize)
		conn.SetReadDeadline(time.Now().Add(time.Minute))
		for got := 0; got < len(packed); got++ {
			var l [2]byte
			if _, err := io.ReadFull(r, l[:]); err != nil {
				done <- got
				return
			}
			if _, err := io.ReadFull(r, buf[:int(l[0])<<8|int(l[1])]); err != nil {
				done <- got
				return
			}
			<-slots
		}
		done <- len(packed)
	}()
	for _, p := range packed {
		select {
		case slots <- struct{}{}:
		case got := <-done:
			return got
		}
		if _, err := conn.Write(p); err != nil {
			break
		}
	}
	return <-done
}

// BenchmarkAuditPlainReplay runs sipdisco audit --per-address over 2,000
// addresses asking a local unbound (the demo zones as its auth-zones) by
// plain DNS, over UDP and over TCP (connections kept open), at
// concurrency 1, audit's default (8, UDP) and 64, and replays the very
// questions each run asked with replay (64 outstanding, one UDP socket)
// in the same iteration.
// Metrics: each variant's questions per second, the replay's, and
// audit/replay, the time ratio (the goal: at most 2); over TCP also
// audit/replay-tcp, against the same questions replayed over one TCP
// connection (replayTCP); and the same ratio
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
	}{{"udp-c1", false, 1}, {"udp-c8", false, defaultAuditConcurrency}, {"udp-c64", false, 64}, {"tcp-c64", true, 64}} {
		b.Run(v.name, func(b *testing.B) {
			c := &plain.Client{Servers: []netip.AddrPort{srv.Addr}, TCP: v.tcp}
			var auditT, replayT, auditCPU, replayCPU, tcpT time.Duration
			var questions, failed int
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
				failed += rec.failed
				cpu = cpuTime()
				replayT += replay(b, srv.Addr.String(), rec.qs, 64)
				replayCPU += cpuTime() - cpu
				if v.tcp {
					tcpT += replayTCP(b, srv.Addr.String(), rec.qs, 64)
				}
			}
			plain.CloseIdle()
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(questions*b.N)/auditT.Seconds(), "audit-q/s")
			b.ReportMetric(float64(questions*b.N)/replayT.Seconds(), "replay-q/s")
			b.ReportMetric(float64(questions), "questions")
			b.ReportMetric(float64(failed)/float64(b.N), "failed-lookups")
			b.ReportMetric(float64(auditT)/float64(replayT), "audit/replay")
			if tcpT > 0 {
				b.ReportMetric(float64(auditT)/float64(tcpT), "audit/replay-tcp")
			}
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

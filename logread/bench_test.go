package logread

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/internal/textenc"
)

// writeUccApilog writes an invented UccApilog of about size bytes: sign-in
// ladders (a new Call-ID every few blocks, as a client that signs in again
// and again), presence SUBSCRIBE/NOTIFY traffic, instant messages and
// plain log lines, in the proportions of a day's client log.
func writeUccApilog(w io.Writer, size int64) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := &countWriter{w: bw}
	pre := func(i int, ms int) string {
		return fmt.Sprintf("12/07/2026|%02d:%02d:%02d.%03d 1A2C:2B3C INFO  :: ", (i/3600)%24, (i/60)%60, i%60, ms)
	}
	pkt := func(i, ms int, out bool, lines ...string) {
		head, end := "Data Received - 192.0.2.10:5061 (To Local Address: 10.1.2.3:50123) 900 bytes:", "End of Data Received - 192.0.2.10:5061 (To Local Address: 10.1.2.3:50123) 900 bytes"
		if out {
			head, end = "Sending Packet - 192.0.2.10:5061 (From Local Address: 10.1.2.3:50123) 900 bytes:", "End of Sending Packet - 192.0.2.10:5061 (From Local Address: 10.1.2.3:50123) 900 bytes"
		}
		fmt.Fprintf(cw, "%s%s\r\n%s%s\r\n", pre(i, ms), head, pre(i, ms), lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(cw, "%s\r\n", l)
		}
		fmt.Fprintf(cw, "%s%s\r\n", pre(i, ms), end)
	}
	for i := 0; cw.n < size; i++ {
		cid := fmt.Sprintf("Call-ID: %032x", i/4)
		from := "From: <sip:bob@healthy.example>;tag=4f1a2b3c4d;epid=7d2e1f0a9b"
		to := "To: <sip:bob@healthy.example>"
		via := "Via: SIP/2.0/TLS 10.1.2.3:50123"
		fmt.Fprintf(cw, "%sCUccSipEndpoint::OnTimer - refreshing registration %d\r\n", pre(i, 1), i)
		pkt(i, 2, true, "REGISTER sip:healthy.example SIP/2.0", via, "Max-Forwards: 70", from, to, cid, fmt.Sprintf("CSeq: %d REGISTER", 2*i+1),
			`Contact: <sip:10.1.2.3:50123;transport=tls;ms-opaque=9a8b7c6d5e>;methods="INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, BENOTIFY";proxy=replace`,
			"User-Agent: UCCAPI/16.0.5000.1000 OC/16.0.5000.1000 (Skype for Business)",
			`Authorization: TLS-DSK qop="auth", realm="SIP Communications Service", opaque="0A1B2C3D", targetname="pool01.healthy.example", crand="12345678", cnum="7", response="0123456789abcdef0123456789abcdef"`,
			"Supported: gruu-10, adhoclist, msrtc-event-categories", "Event: registration", "Content-Length: 0", "")
		pkt(i, 80, false, "SIP/2.0 200 OK", via+";received=10.1.2.3", from, to+";tag=8c7d6e5f4a", cid, fmt.Sprintf("CSeq: %d REGISTER", 2*i+1),
			`Authentication-Info: TLS-DSK qop="auth", opaque="0A1B2C3D", srand="87654321", snum="7", rspauth="fedcba9876543210", targetname="pool01.healthy.example", realm="SIP Communications Service", version=4`,
			"Expires: 7200", "Content-Length: 0", "")
		for j := 0; j < 3; j++ {
			sc := fmt.Sprintf("Call-ID: %016x%016x", i, j)
			pkt(i, 100+j, true, "SUBSCRIBE sip:alice@healthy.example SIP/2.0", via, from, "To: <sip:alice@healthy.example>", sc, "CSeq: 1 SUBSCRIBE", "Event: presence", "Accept: application/msrtc-event-categories+xml", "Content-Length: 0", "")
			pkt(i, 200+j, false, "NOTIFY sip:10.1.2.3:50123;transport=tls SIP/2.0", via, "From: <sip:alice@healthy.example>;tag=1", to, sc, "CSeq: 2 NOTIFY", "Event: presence", "Content-Type: application/msrtc-event-categories+xml", "Content-Length: 210", "",
				`<categories xmlns="http://schemas.microsoft.com/2006/09/sip/categories" uri="sip:alice@healthy.example"><category name="state" instance="1"><state><availability>3500</availability></state></category></categories>`)
		}
		pkt(i, 500, true, "MESSAGE sip:alice@healthy.example SIP/2.0", via, from, "To: <sip:alice@healthy.example>;tag=99", fmt.Sprintf("Call-ID: im%030x", i), "CSeq: 2 MESSAGE", "Content-Type: text/plain; charset=UTF-8", "Content-Length: 30", "", "see you at the meeting at ten")
	}
	return bw.Flush()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// heapBytes reads the heap's object bytes (live and not yet swept)
// without stopping the world, as runtime.ReadMemStats would.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakHeap samples the heap every millisecond while f runs and returns
// the highest value seen above the heap before f.
func peakHeap(f func()) uint64 {
	runtime.GC()
	base := heapBytes()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if h := heapBytes(); h > base && h-base > peak.Load() {
				peak.Store(h - base)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return peak.Load()
}

// BenchmarkRead reads a generated UccApilog of 10 MB and of 50 MB from a
// file, and in the same run reads the file alone (io.Copy to io.Discard
// through the same 16 KiB buffer size): it reports both times, their
// ratio (the goal: within 3) and the peak heap of each, which should not
// grow with the file. It also times the floor: the file through Read's
// decoding reader and line loop with nothing done to the lines
// (lines/read, and parse/lines how far above it Read is), and the same
// ratios in the process's CPU time (cpu-…), steadier than the wall clock
// on a shared machine (not measured in WebAssembly).
//
//	go test -run '^$' -bench BenchmarkRead -benchtime 3x ./logread
func BenchmarkRead(b *testing.B) {
	for _, mb := range []int64{10, 50} {
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			name := filepath.Join(b.TempDir(), "Lync-UccApi-0.UccApilog")
			f, err := os.Create(name)
			if err != nil {
				b.Fatal(err)
			}
			if err := writeUccApilog(f, mb<<20); err != nil {
				b.Fatal(err)
			}
			f.Close()
			st, _ := os.Stat(name)
			b.SetBytes(st.Size())
			var readNs, floorNs, parseNs time.Duration
			var readCPU, floorCPU, parseCPU time.Duration
			var readPeak, parsePeak uint64
			var l *Log
			b.ResetTimer()
			for range b.N {
				readPeak = max(readPeak, peakHeap(func() {
					f, _ := os.Open(name)
					t, c := time.Now(), cpuTime()
					if _, err := io.CopyBuffer(io.Discard, f, make([]byte, 16<<10)); err != nil {
						b.Fatal(err)
					}
					readNs += time.Since(t)
					readCPU += cpuTime() - c
					f.Close()
				}))
				// The floor: the same decoding reader and line loop as
				// Read, doing nothing with the lines.
				func() {
					f, _ := os.Open(name)
					t, c := time.Now(), cpuTime()
					text, _, err := textenc.NewReader(f)
					if err != nil {
						b.Fatal(err)
					}
					br := bufio.NewReaderSize(text, DefaultLimits().Line)
					var keep []byte
					lines := 0
					for {
						_, _, err := readLine(br, &keep)
						lines++
						if err != nil {
							break
						}
					}
					floorNs += time.Since(t)
					floorCPU += cpuTime() - c
					f.Close()
				}()
				parsePeak = max(parsePeak, peakHeap(func() {
					f, _ := os.Open(name)
					t, c := time.Now(), cpuTime()
					l, err = Read(context.Background(), f, DefaultLimits(), nil)
					if err != nil {
						b.Fatal(err)
					}
					parseNs += time.Since(t)
					parseCPU += cpuTime() - c
					f.Close()
				}))
			}
			b.StopTimer()
			if l.SignIn == nil || l.SignIn.Outcome != SignedIn || l.Folded["NOTIFY"] == 0 {
				b.Fatalf("the generated log did not read as a sign-in: %+v", l.SignIn)
			}
			n := float64(b.N)
			b.ReportMetric(float64(readNs.Milliseconds())/n, "read-ms")
			b.ReportMetric(float64(parseNs.Milliseconds())/n, "parse-ms")
			b.ReportMetric(float64(parseNs)/float64(readNs), "parse/read")
			b.ReportMetric(float64(floorNs)/float64(readNs), "lines/read")
			b.ReportMetric(float64(parseNs)/float64(floorNs), "parse/lines")
			if readCPU > 0 {
				// The same ratios in CPU time, which the machine's other
				// work moves less.
				b.ReportMetric(float64(parseCPU)/float64(readCPU), "cpu-parse/read")
				b.ReportMetric(float64(floorCPU)/float64(readCPU), "cpu-lines/read")
				b.ReportMetric(float64(parseCPU.Milliseconds())/n, "cpu-parse-ms")
			}
			b.ReportMetric(float64(readPeak)/(1<<20), "read-peak-MB")
			b.ReportMetric(float64(parsePeak)/(1<<20), "parse-peak-MB")
			b.ReportMetric(float64(l.Dropped.Calls+l.Dropped.Messages), "dropped")
		})
	}
}

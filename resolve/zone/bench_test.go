package zone

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// bigZone returns a zone of about size bytes in the style of a Windows
// DNS export of a large Active Directory zone: relative names, "@",
// [AGE:n] stamps on dynamically registered host records, SRV records for
// the domain controllers, aliases and a few TXT records. It returns the
// text and how many records it holds.
func bigZone(size int) (string, int) {
	var b strings.Builder
	b.Grow(size + 4096)
	b.WriteString(`;
;  Database file contoso.com.dns for contoso.com zone.
;      Zone version:  1048
;

@                       IN  SOA dc01.contoso.com. hostmaster.contoso.com. (
                        		1048         ; serial number
                        		900          ; refresh
                        		600          ; retry
                        		86400        ; expire
                        		3600       ) ; default TTL

;
;  Zone NS records
;

@                       NS	dc01.contoso.com.
@                       NS	dc02.contoso.com.

;
;  Zone records
;

_sipinternaltls._tcp    SRV	0 0 5061	pool01.contoso.com.
_sip._tls               SRV	0 0 443	sip.contoso.com.
pool01                  A	10.0.0.10
sip                     A	10.0.0.11
`)
	n := 6
	for i := 0; b.Len() < size; i++ {
		switch i % 10 {
		case 7:
			fmt.Fprintf(&b, "_ldap._tcp.site%d._sites 600	SRV	0 100 389	dc%02d.contoso.com.\n", i, i%50)
		case 8:
			fmt.Fprintf(&b, "alias%06d      3600	CNAME	ws%06d.contoso.com.\n", i, i-1)
		case 9:
			fmt.Fprintf(&b, "ws%06d         TXT	\"asset=%d\"\n", i, i)
		default:
			fmt.Fprintf(&b, "ws%06d          [AGE:3748%03d]	1200	A	10.%d.%d.%d\n", i, i%1000, i>>16&255, i>>8&255, i&255)
		}
		n++
	}
	return b.String(), n
}

// BenchmarkLargeZone loads a 5 MiB zone of 100,000 records exported from
// Windows DNS and answers questions from it. It reports, measured in the
// same run:
//
//   - load-ms and load/parse: the time to load, and its ratio to the time
//     miekg/dns alone takes to parse the same text (the floor);
//   - heap-bytes/MiB: the memory the loaded zone keeps per MiB of zone
//     text, the text itself not kept;
//   - answer-ns and answer/small: the time to answer a question, and its
//     ratio to the same question against a 20-record zone.
func BenchmarkLargeZone(b *testing.B) {
	text, n := bigZone(5 << 20)
	b.Logf("zone: %d bytes, %d records", len(text), n)

	prep, err := prepare(text, "contoso.com.dns")
	if err != nil {
		b.Fatal(err)
	}
	var load, parse time.Duration
	var retained float64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		s, err := Parse("contoso.com", text, "contoso.com.dns")
		if err != nil {
			b.Fatal(err)
		}
		load += time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		retained += float64(after.HeapAlloc) - float64(before.HeapAlloc)
		runtime.KeepAlive(s)

		start = time.Now()
		zp := newParser(prep.text, "contoso.com.")
		for _, ok := zp.Next(); ok; _, ok = zp.Next() {
		}
		if zp.Err() != nil {
			b.Fatal(zp.Err())
		}
		parse += time.Since(start)
	}
	runs := float64(b.N)
	b.ReportMetric(float64(load.Milliseconds())/runs, "load-ms")
	b.ReportMetric(float64(load)/float64(parse), "load/parse")
	b.ReportMetric(retained/runs/(float64(len(text))/(1<<20)), "heap-bytes/MiB")

	big, err := Parse("contoso.com", text, "contoso.com.dns")
	if err != nil {
		b.Fatal(err)
	}
	small, err := Parse("contoso.com", text[:strings.Index(text, "ws000000")], "small.dns")
	if err != nil {
		b.Fatal(err)
	}
	qs := []engine.Question{
		{Name: "_sipinternaltls._tcp.contoso.com", Type: engine.TypeSRV},
		{Name: "sipinternal.contoso.com", Type: engine.TypeA},
		{Name: "pool01.contoso.com", Type: engine.TypeA},
		{Name: "sip.contoso.com", Type: engine.TypeAAAA},
	}
	ctx := context.Background()
	timeAnswers := func(s *Set) time.Duration {
		const rounds = 20000
		start := time.Now()
		for range rounds {
			for _, q := range qs {
				if _, err := s.Resolve(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		}
		return time.Since(start) / (rounds * time.Duration(len(qs)))
	}
	tb, ts := timeAnswers(big), timeAnswers(small)
	b.ReportMetric(float64(tb.Nanoseconds()), "answer-ns")
	b.ReportMetric(float64(tb)/float64(ts), "answer/small")
	b.ReportMetric(0, "ns/op")
}

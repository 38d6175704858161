package audit

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
)

func TestReadLines(t *testing.T) {
	long := strings.Repeat("a", MaxLine+10) + "@contoso.com"
	lines, err := ReadLines(strings.NewReader("# c\n\nbob@contoso.com\r\n"+long+"\n  carol@contoso.com #x\nsip:dave@contoso.com"), 10)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		N    int
		Text string
		Bad  bool
	}
	var g []got
	for _, l := range lines {
		g = append(g, got{l.N, l.Text, l.Err != nil})
	}
	want := []got{{3, "bob@contoso.com", false}, {4, strings.Repeat("a", 64) + "...", true}, {5, "carol@contoso.com", false}, {6, "sip:dave@contoso.com", false}}
	if diff := cmp.Diff(g, want); diff != "" {
		t.Errorf("ReadLines (-got +want):\n%s", diff)
	}
}

func TestReadLinesLimit(t *testing.T) {
	in := strings.Repeat("bob@contoso.com\n# comment\n\n", 3)
	if _, err := ReadLines(strings.NewReader(in), 3); err != nil {
		t.Errorf("ReadLines(3 addresses, 3) = %v; want no error (comments and blanks do not count)", err)
	}
	if _, err := ReadLines(strings.NewReader(in), 2); err == nil || !strings.Contains(err.Error(), "more than 2 addresses") {
		t.Errorf("ReadLines(3 addresses, 2) = %v; want more than 2 addresses", err)
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-x": "'-x", "@x": "'@x", "bob@x": "bob@x", "": ""} {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q; want %q", in, got, want)
		}
	}
}

// fakeDNS answers A questions for the fallback host sipinternal of every domain except
// those starting with "none", and nothing else.
func fakeDNS(calls *atomic.Int64) engine.Resolver {
	return engine.ResolverFunc(func(_ context.Context, q engine.Question) (engine.Answer, error) {
		if q.Type == engine.TypeSRV {
			calls.Add(1)
		}
		if q.Type == engine.TypeA && strings.HasPrefix(q.Name, "sipinternal.") && !strings.HasPrefix(q.Name, "sipinternal.none") {
			return engine.Answer{Records: []engine.Record{{Name: q.Name, Type: engine.TypeA, TTL: 60, Addr: netip.MustParseAddr("192.0.2.1")}}}, nil
		}
		return engine.Answer{RCode: engine.RCodeNameError}, nil
	})
}

func TestRun(t *testing.T) {
	var in strings.Builder
	for i := range 40 {
		fmt.Fprintf(&in, "user%d@d%d.example\n", i, i%4)
	}
	in.WriteString("not an address\nbob@none.example\n")
	lines, err := ReadLines(strings.NewReader(in.String()), 100)
	if err != nil {
		t.Fatal(err)
	}
	srvCalls := map[bool]int{}
	for _, perAddress := range []bool{false, true} {
		var calls atomic.Int64
		var progress int
		var rows []Row
		sum, err := Run(context.Background(), lines, engine.Config{Resolver: fakeDNS(&calls), Policy: engine.DefaultPolicy()},
			Options{Concurrency: 8, PerAddress: perAddress, Progress: func(done int) { progress = max(progress, done) }},
			func(r Row) error { rows = append(rows, r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(lines) || progress != len(lines) {
			t.Fatalf("perAddress %v: %d rows, progress %d; want %d", perAddress, len(rows), progress, len(lines))
		}
		for i, r := range rows {
			if r.Line != lines[i].N {
				t.Errorf("perAddress %v: row %d is line %d; want %d (input order)", perAddress, i, r.Line, lines[i].N)
			}
		}
		if r := rows[40]; r.Outcome != OutcomeBadInput || r.Line != 41 || r.Error == "" {
			t.Errorf("bad line row = %+v; want bad-input at line 41 with the reason", r)
		}
		if r := rows[0]; r.Outcome != "connect" || r.Target != "sipinternal.d0.example" {
			t.Errorf("first row = %+v; want connect to sipinternal.d0.example", r)
		}
		if r := rows[41]; r.Outcome == "connect" || r.Error == "" {
			t.Errorf("none.example row = %+v; want a failure with its first error finding", r)
		}
		got := Summarize(len(rows), sum)
		if got.BadInput != 1 || got.Connect != 40 || got.Total != 42 {
			t.Errorf("Summarize = %+v; want 40 connect, 1 bad input of 42", got)
		}
		srvCalls[perAddress] = int(calls.Load())
	}
	// Once per domain: five domains, 41 addresses.
	if perDomain, perAddress := srvCalls[false], srvCalls[true]; perDomain*41 != perAddress*5 {
		t.Errorf("SRV questions: %d once per domain, %d per address; want them in the ratio 5:41", perDomain, perAddress)
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	rows := []Row{{Line: 1, Address: "=cmd@x.example", Outcome: "connect", Target: "sip.x.example", Port: 5061}}
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{Header, {"'=cmd@x.example", "", "", "connect", "sip.x.example", "5061", "", "", ""}}
	if diff := cmp.Diff(recs, want); diff != "" {
		t.Errorf("WriteCSV (-got +want):\n%s", diff)
	}
}

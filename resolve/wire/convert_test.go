package wire

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
)

var addrComparer = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// TestTXTRaw checks that TXT strings cross the wire as their raw bytes:
// engine holds them raw, miekg/dns in presentation form.
func TestTXTRaw(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	tests := []struct {
		name string
		text []string
	}{
		{"plain", []string{"v=spf1 -all"}},
		{"quote and backslash", []string{`say "hi" \ bye`, `\\`, `\065`}},
		{"every byte", []string{string(all[:128]), string(all[128:])}},
		{"empty", []string{""}},
		{"markup", []string{"<script>alert(1)</script>"}},
	}
	for _, tt := range tests {
		rec := engine.Record{Name: "t.example", Type: engine.TypeTXT, TTL: 5, Text: tt.text}
		rr, ok := FromRecord(rec)
		if !ok {
			t.Fatalf("FromRecord(%v) not ok", rec)
		}
		m := new(dns.Msg)
		m.SetQuestion("t.example.", dns.TypeTXT)
		m.Answer = []dns.RR{rr}
		b, err := m.Pack()
		if err != nil {
			t.Fatalf("%s: Pack: %v", tt.name, err)
		}
		// The wire holds the raw bytes: one length octet, then the string.
		var wire []byte
		for _, s := range tt.text {
			wire = append(wire, byte(len(s)))
			wire = append(wire, s...)
		}
		if got := b[len(b)-len(wire):]; string(got) != string(wire) {
			t.Errorf("%s: wire RDATA %q; want %q", tt.name, got, wire)
		}
		if err := m.Unpack(b); err != nil {
			t.Fatal(err)
		}
		got, ok := ToRecord(m.Answer[0])
		if !ok {
			t.Fatalf("ToRecord(%v) not ok", m.Answer[0])
		}
		if diff := cmp.Diff(got, rec, addrComparer); diff != "" {
			t.Errorf("%s: TXT after the wire (-got +want):\n%s", tt.name, diff)
		}
	}
}

// TestTXTFromZoneFile checks that zone-file escapes become raw bytes.
func TestTXTFromZoneFile(t *testing.T) {
	rr, err := dns.NewRR(`t.example. 60 IN TXT "a\"b\\c\000d\255" "x y"`)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := ToRecord(rr)
	want := engine.Record{Name: "t.example", Type: engine.TypeTXT, TTL: 60, Text: []string{"a\"b\\c\x00d\xff", "x y"}}
	if diff := cmp.Diff(got, want, addrComparer); !ok || diff != "" {
		t.Errorf("ToRecord(%v) ok=%v (-got +want):\n%s", rr, ok, diff)
	}
}

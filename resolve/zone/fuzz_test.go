package zone

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// FuzzParse checks that arbitrary zone text never panics, and that when it
// loads every record is inside the zone and Resolve answers every owner
// name, type and alias target without panicking.
func FuzzParse(f *testing.F) {
	f.Add(contoso)
	f.Add(eu)
	f.Add("$TTL 1\n@ SOA a b 1 2 3 4 5\n*.x CNAME x\nx CNAME *.x\n;! servfail *.x\n")
	f.Add("$ORIGIN fuzz.example.\n$GENERATE 1-10 h$ CNAME h${1}\n")
	f.Add("a\\.b A 192.0.2.1\n\\000 TXT \"\\255\"\n@ SRV 0 0 0 .\n")
	f.Add("x ( A\n 192.0.2.1 )\n;! refused x TYPE65535\n")
	for _, sc := range demo.Scenarios() {
		f.Add(sc.Zone)
	}
	types := []engine.Type{engine.TypeA, engine.TypeAAAA, engine.TypeCNAME, engine.TypeSRV, engine.TypeTXT, 0, 255}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse("fuzz.example", text, "fuzz.zone")
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("Parse error %T is not a *ParseError: %v", err, err)
			}
			return
		}
		checkRecordLines(t, text)
		z := s.zones[0]
		ctx := context.Background()
		resolved := 0
		for name, sp := range z.names {
			rrs := z.at(sp)
			if !isSub(name, z.origin) {
				t.Errorf("record name %q is outside %q", name, z.origin)
			}
			qs := []string{name, "x." + name}
			for i, rr := range rrs {
				if rr.Header().Name != name {
					t.Errorf("record %v filed under %q", rr, name)
				}
				if i > 0 && rr.Header().Rrtype != rrs[i-1].Header().Rrtype && len(rrs.get(rr.Header().Rrtype)) == 0 {
					t.Errorf("records at %q are not grouped by type", name)
				}
				switch v := rr.(type) {
				case *dns.CNAME:
					qs = append(qs, v.Target)
				case *dns.SRV:
					qs = append(qs, v.Target)
				}
			}
			if resolved++; resolved > 100 {
				continue // enough to find a panic; keep each input fast
			}
			for _, q := range qs {
				for _, ty := range types {
					a, err := s.Resolve(ctx, engine.Question{Name: wire.EngineName(q), Type: ty})
					if err == nil && len(a.Records) > MaxCNAMEChain+MaxRecords {
						t.Errorf("Resolve(%s %v) gave %d records", q, ty, len(a.Records))
					}
				}
			}
		}
	})
}

// checkRecordLines compares the line prepare finds for each record of a
// zone that loaded with the line locate finds by asking miekg/dns.
func checkRecordLines(t *testing.T, text string) {
	if len(text) > 4096 || strings.Contains(strings.ToUpper(text), "$GENERATE") {
		return // locate is slow, and reads a multi-line $GENERATE differently
	}
	p, err := prepare(text, "fuzz.zone")
	if err != nil {
		t.Fatalf("prepare failed on text that loaded: %v", err)
	}
	rrs, err := parseRecords(p.text, "fuzz.example.", "fuzz.zone", nil)
	if err != nil {
		t.Fatalf("parseRecords failed on text that loaded: %v", err)
	}
	if len(p.recordLines) != len(rrs) {
		return // load falls back to locate
	}
	if multiLineParens(p.text) {
		// locate cannot tell where a record that spans lines in
		// parentheses ends: a prefix cut inside the parentheses may
		// already hold the whole record, then fail on the open
		// parenthesis, and locate takes that for the next record.
		return
	}
	for i := range min(len(rrs), 20) {
		if got, want := int(p.recordLines[i]), locate(p.text, "fuzz.example.", i); got != want {
			t.Errorf("record %d (%v) starts on line %d; locate says %d", i, rrs[i], got, want)
		}
	}
}

// multiLineParens reports whether text has a parenthesis open at the end
// of a line, outside comments and quoted strings.
func multiLineParens(text string) bool {
	depth, inQuote, inComment := 0, false, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\n':
			if depth > 0 {
				return true
			}
			inComment = false
		case inComment:
		case inQuote:
			if c == '\\' {
				i++
			} else if c == '"' {
				inQuote = false
			}
		case c == '"':
			inQuote = true
		case c == ';':
			inComment = true
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		}
	}
	return false
}

package zone

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sipdisco/sipdisco/engine"
)

const contoso = `$ORIGIN contoso.com.
$TTL 300
@                     SOA   ns1 hostmaster 1 7200 3600 1209600 300
@                     NS    ns1
ns1                   A     192.0.2.1
_sipinternaltls._tcp  SRV   0 0 5061 sip
_sip._tls             SRV   10 60 443 sip
_sip._tls             SRV   20 0 443 Edge.Contoso.Com.
sip                   A     192.0.2.10
sip                   AAAA  2001:db8::10
Alias                 CNAME sip
c1 CNAME c2
c2 CNAME c3
c3 CNAME c4
c4 CNAME c5
c5 CNAME c6
c6 CNAME c7
c7 CNAME c8
c8 CNAME c9
c9 A 192.0.2.9
c0 CNAME c1
loop1                 CNAME loop2
loop2                 CNAME loop1
self                  CNAME self
out                   CNAME www.fabrikam.com.
dangling              CNAME nothere
deep.ent.under        A     192.0.2.20
*.wild                A     192.0.2.30
*.wild                TXT   "wild"
txt                   TXT   "a b" "c"
dup                   A     192.0.2.40
dup                   A     192.0.2.40
\060b\062             A     192.0.2.50
x.eu                  A     192.0.2.60
mx                    MX    10 mail
`

const eu = `$ORIGIN eu.contoso.com.
$TTL 600
@    SOA  ns1.contoso.com. hostmaster.contoso.com. 1 7200 3600 1209600 300
sip  A    198.51.100.1
`

func testSet(t *testing.T) *Set {
	t.Helper()
	s, err := Parse("contoso.com", contoso, "contoso.zone")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add("EU.contoso.com.", eu, "eu.zone"); err != nil {
		t.Fatal(err)
	}
	return s
}

func qn(name string, t engine.Type) engine.Question { return engine.Question{Name: name, Type: t} }

func a(name string, ttl uint32, addr string) engine.Record {
	ip := netip.MustParseAddr(addr)
	t := engine.TypeA
	if ip.Is6() {
		t = engine.TypeAAAA
	}
	return engine.Record{Name: name, Type: t, TTL: ttl, Addr: ip}
}

func cname(name, target string) engine.Record {
	return engine.Record{Name: name, Type: engine.TypeCNAME, TTL: 300, Target: target}
}

func chain(from, to int) []engine.Record {
	var out []engine.Record
	for i := from; i < to; i++ {
		out = append(out, cname(fmt.Sprintf("c%d.contoso.com", i), fmt.Sprintf("c%d.contoso.com", i+1)))
	}
	return out
}

func TestResolve(t *testing.T) {
	s := testSet(t)
	tests := []struct {
		name string
		q    engine.Question
		want engine.Answer
	}{
		{"A", qn("sip.contoso.com", engine.TypeA),
			engine.Answer{Records: []engine.Record{a("sip.contoso.com", 300, "192.0.2.10")}}},
		{"AAAA", qn("sip.contoso.com", engine.TypeAAAA),
			engine.Answer{Records: []engine.Record{a("sip.contoso.com", 300, "2001:db8::10")}}},
		{"case-insensitive question", qn("SIP.Contoso.COM.", engine.TypeA),
			engine.Answer{Records: []engine.Record{a("sip.contoso.com", 300, "192.0.2.10")}}},
		{"SRV in file order, targets lower case", qn("_sip._tls.contoso.com", engine.TypeSRV),
			engine.Answer{Records: []engine.Record{
				{Name: "_sip._tls.contoso.com", Type: engine.TypeSRV, TTL: 300, Priority: 10, Weight: 60, Port: 443, Target: "sip.contoso.com"},
				{Name: "_sip._tls.contoso.com", Type: engine.TypeSRV, TTL: 300, Priority: 20, Weight: 0, Port: 443, Target: "edge.contoso.com"},
			}}},
		{"NODATA: name exists without the type", qn("sip.contoso.com", engine.TypeSRV),
			engine.Answer{}},
		{"NXDOMAIN", qn("nope.contoso.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeNameError}},
		{"NXDOMAIN below an existing name", qn("a.sip.contoso.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeNameError}},
		{"empty non-terminal is NODATA (RFC 8020)", qn("_tcp.contoso.com", engine.TypeSRV),
			engine.Answer{}},
		{"deeper empty non-terminal", qn("ent.under.contoso.com", engine.TypeA),
			engine.Answer{}},
		{"apex without the type", qn("contoso.com", engine.TypeA),
			engine.Answer{}},
		{"apex NS is not modelled: NOERROR, no records", qn("contoso.com", engine.Type(2)),
			engine.Answer{}},
		{"MX is not modelled", qn("mx.contoso.com", engine.Type(15)),
			engine.Answer{}},
		{"TXT", qn("txt.contoso.com", engine.TypeTXT),
			engine.Answer{Records: []engine.Record{{Name: "txt.contoso.com", Type: engine.TypeTXT, TTL: 300, Text: []string{"a b", "c"}}}}},
		{"duplicates dropped (RFC 2181 §5)", qn("dup.contoso.com", engine.TypeA),
			engine.Answer{Records: []engine.Record{a("dup.contoso.com", 300, "192.0.2.40")}}},
		{"escaped label matches its plain spelling", qn("<B>.contoso.com", engine.TypeA),
			engine.Answer{Records: []engine.Record{a("<b>.contoso.com", 300, "192.0.2.50")}}},
		{"escaped question", qn(`\060b\062.contoso.com`, engine.TypeA),
			engine.Answer{Records: []engine.Record{a("<b>.contoso.com", 300, "192.0.2.50")}}},
		{"CNAME followed", qn("alias.contoso.com", engine.TypeA),
			engine.Answer{Records: []engine.Record{cname("alias.contoso.com", "sip.contoso.com"), a("sip.contoso.com", 300, "192.0.2.10")}}},
		{"CNAME asked for", qn("alias.contoso.com", engine.TypeCNAME),
			engine.Answer{Records: []engine.Record{cname("alias.contoso.com", "sip.contoso.com")}}},
		{"CNAME to NODATA", qn("alias.contoso.com", engine.TypeSRV),
			engine.Answer{Records: []engine.Record{cname("alias.contoso.com", "sip.contoso.com")}}},
		{"CNAME to NXDOMAIN keeps the alias (RFC 6604)", qn("dangling.contoso.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeNameError, Records: []engine.Record{cname("dangling.contoso.com", "nothere.contoso.com")}}},
		{"CNAME out of every zone", qn("out.contoso.com", engine.TypeA),
			engine.Answer{Records: []engine.Record{cname("out.contoso.com", "www.fabrikam.com")}}},
		{"chain of 8 aliases", qn("c1.contoso.com", engine.TypeA),
			engine.Answer{Records: append(chain(1, 9), a("c9.contoso.com", 300, "192.0.2.9"))}},
		{"chain of 9 aliases is too long", qn("c0.contoso.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeServerFailure, Records: chain(0, 8)}},
		{"CNAME loop", qn("loop1.contoso.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeServerFailure, Records: []engine.Record{
				cname("loop1.contoso.com", "loop2.contoso.com"), cname("loop2.contoso.com", "loop1.contoso.com")}}},
		{"CNAME to itself", qn("self.contoso.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeServerFailure, Records: []engine.Record{cname("self.contoso.com", "self.contoso.com")}}},
		{"wildcard (RFC 4592)", qn("x.wild.contoso.com", engine.TypeA),
			engine.Answer{Records: []engine.Record{a("x.wild.contoso.com", 300, "192.0.2.30")}}},
		{"wildcard spans labels", qn("y.x.wild.contoso.com", engine.TypeTXT),
			engine.Answer{Records: []engine.Record{{Name: "y.x.wild.contoso.com", Type: engine.TypeTXT, TTL: 300, Text: []string{"wild"}}}}},
		{"wildcard NODATA", qn("x.wild.contoso.com", engine.TypeSRV),
			engine.Answer{}},
		{"wildcard's parent is an empty non-terminal", qn("wild.contoso.com", engine.TypeA),
			engine.Answer{}},
		{"the wildcard itself", qn("*.wild.contoso.com", engine.TypeA),
			engine.Answer{Records: []engine.Record{a("*.wild.contoso.com", 300, "192.0.2.30")}}},
		{"most specific zone wins", qn("sip.eu.contoso.com", engine.TypeA),
			engine.Answer{Records: []engine.Record{a("sip.eu.contoso.com", 600, "198.51.100.1")}}},
		{"parent's records below a child zone are hidden", qn("x.eu.contoso.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeNameError}},
		{"outside every zone", qn("www.fabrikam.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeRefused}},
		{"look-alike outside the zone", qn("sip.contoso.com.net", engine.TypeA),
			engine.Answer{RCode: engine.RCodeRefused}},
		{"escaped dot is not a label boundary", qn(`sip\.contoso.com`, engine.TypeA),
			engine.Answer{RCode: engine.RCodeRefused}},
		{"root", qn(".", engine.TypeA),
			engine.Answer{RCode: engine.RCodeRefused}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Resolve(context.Background(), tt.q)
			if err != nil {
				t.Fatalf("Resolve(%v) error: %v", tt.q, err)
			}
			if diff := cmp.Diff(got, tt.want, cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Resolve(%v) mismatch (-got +want):\n%s", tt.q, diff)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	s := testSet(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Resolve(ctx, qn("sip.contoso.com", engine.TypeA)); !errors.Is(err, context.Canceled) {
		t.Errorf("Resolve(cancelled) error = %v; want context.Canceled", err)
	}
	for _, name := range []string{strings.Repeat("a", 64) + ".contoso.com", "a..contoso.com", strings.Repeat("abcdefg.", 40) + "com"} {
		if got, err := s.Resolve(context.Background(), qn(name, engine.TypeA)); err == nil {
			t.Errorf("Resolve(%q) = %v, nil; want an error", name, got)
		}
	}
}

func TestFail(t *testing.T) {
	s := testSet(t)
	s.Fail("SIP.contoso.com.", engine.TypeA, engine.RCodeServerFailure)
	s.Fail("www.fabrikam.com", 0, engine.RCodeServerFailure)
	s.Fail("_sip._tls.contoso.com", 0, engine.RCodeRefused)
	tests := []struct {
		q    engine.Question
		want engine.Answer
	}{
		{qn("sip.contoso.com", engine.TypeA), engine.Answer{RCode: engine.RCodeServerFailure}},
		{qn("sip.contoso.com", engine.TypeAAAA),
			engine.Answer{Records: []engine.Record{a("sip.contoso.com", 300, "2001:db8::10")}}},
		{qn("alias.contoso.com", engine.TypeA),
			engine.Answer{RCode: engine.RCodeServerFailure, Records: []engine.Record{cname("alias.contoso.com", "sip.contoso.com")}}},
		{qn("www.fabrikam.com", engine.TypeTXT), engine.Answer{RCode: engine.RCodeServerFailure}},
		{qn("_sip._tls.contoso.com", engine.TypeSRV), engine.Answer{RCode: engine.RCodeRefused}},
		{qn("_sip._tls.contoso.com", engine.TypeTXT), engine.Answer{RCode: engine.RCodeRefused}},
	}
	for _, tt := range tests {
		got, err := s.Resolve(context.Background(), tt.q)
		if err != nil {
			t.Fatalf("Resolve(%v) error: %v", tt.q, err)
		}
		if diff := cmp.Diff(got, tt.want, cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Resolve(%v) after Fail mismatch (-got +want):\n%s", tt.q, diff)
		}
	}
}

func TestDirectives(t *testing.T) {
	const text = `$ORIGIN contoso.com.
$TTL 300
@ SOA ns1 hostmaster 1 2 3 4 5
;! servfail _sipinternaltls._tcp.contoso.com SRV
  ;! REFUSED sip A
;! servfail @ type16
;! servfail edge.contoso.com.
sip A 192.0.2.1 ;! this is an ordinary comment
txt TXT "a quoted string spanning lines
;! not a directive" ; nor this
; ! nor this, the bang must follow the semicolon
`
	s, err := Parse("contoso.com", text, "d.zone")
	if err != nil {
		t.Fatal(err)
	}
	want := map[engine.Question]engine.RCode{
		qn("_sipinternaltls._tcp.contoso.com", engine.TypeSRV): engine.RCodeServerFailure,
		qn("_sipinternaltls._tcp.contoso.com", engine.TypeA):   engine.RCodeNameError,
		qn("sip.contoso.com", engine.TypeA):                    engine.RCodeRefused,
		qn("sip.contoso.com", engine.TypeAAAA):                 engine.RCodeSuccess,
		qn("contoso.com", engine.TypeTXT):                      engine.RCodeServerFailure,
		qn("contoso.com", engine.TypeA):                        engine.RCodeSuccess,
		qn("edge.contoso.com", engine.TypeA):                   engine.RCodeServerFailure,
		qn("edge.contoso.com", engine.TypeSRV):                 engine.RCodeServerFailure,
	}
	for q, rc := range want {
		got, err := s.Resolve(context.Background(), q)
		if err != nil || got.RCode != rc {
			t.Errorf("Resolve(%v) = %v, %v; want %v", q, got.RCode, err, rc)
		}
	}
}

func TestParseOriginFromSOA(t *testing.T) {
	s, err := Parse("", contoso, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.Zones(), []string{"contoso.com"}); diff != "" {
		t.Errorf("Zones() mismatch (-got +want):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	const head = "$ORIGIN contoso.com.\n$TTL 300\n"
	var many strings.Builder
	many.WriteString(head)
	for i := range MaxRecords + 1 {
		fmt.Fprintf(&many, "h%d A 192.0.2.1\n", i)
	}
	tests := []struct {
		name, origin, text, want string
	}{
		{"bad SRV", "contoso.com", head + "sip A 192.0.2.1\n_sip._tls SRV 0 0 x sip\n",
			`t.zone:4: bad SRV Port: "x"`},
		{"$INCLUDE refused", "contoso.com", head + "$INCLUDE /etc/passwd\n",
			"t.zone:3: $INCLUDE is not supported; put the included records in the zone text itself"},
		{"record outside the zone", "contoso.com", head + "sip A 192.0.2.1\nwww.fabrikam.com. A 192.0.2.2\n",
			"t.zone:4: www.fabrikam.com. is outside the zone contoso.com."},
		{"multi-line record outside the zone starts on its first line", "contoso.com",
			head + "sip A 192.0.2.1\n\n; comment\nfabrikam.com. SOA ns1 hm (\n 1 2\n 3 4 5 )\nx A 192.0.2.3\n",
			"t.zone:6: fabrikam.com. is outside the zone contoso.com."},
		{"$ORIGIN elsewhere", "contoso.com", head + "$ORIGIN fabrikam.com.\nsip A 192.0.2.1\n",
			"t.zone:4: sip.fabrikam.com. is outside the zone contoso.com."},
		{"look-alike origin", "contoso.com", head + "sip.contoso.com.net. A 192.0.2.1\n",
			"t.zone:3: sip.contoso.com.net. is outside the zone contoso.com."},
		{"CNAME beside data", "contoso.com", head + "sip A 192.0.2.1\nsip CNAME pool\n",
			"t.zone:4: sip.contoso.com. has a CNAME record and other records; an alias can have no other data (RFC 1034 §3.6.2)"},
		{"data beside CNAME", "contoso.com", head + "sip CNAME pool\nsip TXT x\n",
			"t.zone:4: sip.contoso.com. has a CNAME record and other records; an alias can have no other data (RFC 1034 §3.6.2)"},
		{"two CNAMEs", "contoso.com", head + "sip CNAME pool\nsip CNAME pool2\n",
			"t.zone:4: sip.contoso.com. has a second CNAME record; a name is an alias of one name only (RFC 2181 §10.1)"},
		{"class CH", "contoso.com", head + "sip CH A 192.0.2.1\n",
			"t.zone:3: class CH is not supported; records must be class IN"},
		{"unknown directive", "contoso.com", head + "\n;! nxdomain sip\n",
			`t.zone:4: unknown directive ";! nxdomain"; want ";! servfail NAME [TYPE]" or ";! refused NAME [TYPE]"`},
		{"empty directive", "contoso.com", head + ";!\n",
			`t.zone:3: empty ;! directive; want ";! servfail NAME [TYPE]" or ";! refused NAME [TYPE]"`},
		{"directive without name", "contoso.com", head + ";! servfail\n",
			`t.zone:3: want ";! servfail NAME [TYPE]" or ";! refused NAME [TYPE]"`},
		{"directive bad type", "contoso.com", head + ";! servfail sip BOGUS\n",
			`t.zone:3: unknown record type "BOGUS" in ;! servfail`},
		{"directive outside the zone", "contoso.com", head + ";! servfail www.fabrikam.com.\n",
			"t.zone:3: www.fabrikam.com. in ;! servfail is outside the zone contoso.com."},
		{"too large", "contoso.com", head + strings.Repeat(";\n", MaxZoneBytes/2),
			"t.zone: the zone text is 16777246 bytes; the limit is 16777216 (16 MiB)"},
		{"too many records", "contoso.com", many.String(),
			"t.zone:500003: too many records; the limit is 500000 per zone"},
		{"$GENERATE past the limit", "contoso.com", head + strings.Repeat("$GENERATE 1-65535 h$ A 192.0.2.1\n", 3) +
			"$GENERATE 1-65535 g$ A 192.0.2.1\n$GENERATE 1-65535 f$ A 192.0.2.1\n$GENERATE 1-65535 e$ A 192.0.2.1\n" +
			"$GENERATE 1-65535 d$ A 192.0.2.1\n$GENERATE 1-65535 c$ A 192.0.2.1\n$GENERATE 1-65535 b$ A 192.0.2.1\n",
			"t.zone:10: too many records; the limit is 500000 per zone"},
		{"no origin, no SOA", "", head + "sip A 192.0.2.1\n",
			"t.zone: no zone origin was given and there is no SOA record to take it from"},
		{"bad origin", "a..b", "",
			`t.zone: bad zone origin "a..b": dns: bad rdata`},
		{"unclosed parenthesis", "contoso.com", head + "@ SOA ns1 hm ( 1 2 3 4 5\nsip A 192.0.2.1\n",
			"t.zone:3: the '(' opened on this line is never closed"},
		{"extra closing parenthesis", "contoso.com", head + "@ SOA ns1 hm ( 1 2 3 4 5 )\nsip A 192.0.2.1 )\n",
			"t.zone:4: ')' without a '(' before it"},
		{"nested parentheses", "contoso.com", head + "@ SOA ns1 hm ( 1 2\n( 3 4 5 ) )\n",
			"t.zone:4: '(' inside the '(' opened on line 3; parentheses do not nest in a zone file"},
		{"parenthesis in a comment or quotes is text", "contoso.com", head + "; (\nt TXT \"(\" ; )\nsip A ( 192.0.2.1\n",
			"t.zone:5: the '(' opened on this line is never closed"},
		{"unclosed quote", "contoso.com", head + "t TXT \"abc\nsip A 192.0.2.1\n",
			"t.zone:3: the quoted string opened on this line is never closed"},
		{"unknown $ directive", "contoso.com", head + "$FOO bar\n",
			`t.zone:3: unknown directive "$FOO"; a zone file has $ORIGIN, $TTL and $GENERATE ($INCLUDE is not supported)`},
		{"binary junk", "contoso.com", head + "\x7fELF\x02\x01\x01\x00}}}",
			"t.zone:3: control byte 0x7F at column 1: this is binary data, not text; a zone file is text"},
		{"Windows-1252", "contoso.com", head + "; caf\xe9\nsip A 192.0.2.1\n",
			"t.zone:3: byte 0xE9 is not UTF-8; the text may be in a legacy code page such as Windows-1252 — save it as UTF-8 (in Notepad: Save As, Encoding UTF-8; in PowerShell: Out-File -Encoding utf8); a zone file is text"},
		{"UTF-16 without BOM", "contoso.com", "$\x00T\x00T\x00L\x00 \x003\x000\x000\x00\n\x00",
			"t.zone: the text is UTF-16 little-endian without a byte-order mark, not UTF-8 or UTF-16; save it as UTF-8 (in Notepad: Save As, Encoding UTF-8; in PowerShell: Out-File -Encoding utf8); a zone file is text"},
		{"bracketed token other than AGE", "contoso.com", head + "sip [WINS:1] 600 A 192.0.2.1\n",
			`t.zone:3: "[WINS:1]" is not supported; the only bracketed token a zone file may have is the [AGE:n] aging stamp Windows DNS writes`},
		{"AGE in rdata is rdata", "contoso.com", head + "sip A [AGE:1]\n",
			`t.zone:3: bad A A: "[AGE:1]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (len(tt.text) > 1<<20 || strings.Contains(tt.text, "$GENERATE 1-65535")) && runtime.GOOS == "js" {
				t.Skip("large; checked natively")
			}
			t.Parallel()
			s, err := Parse(tt.origin, tt.text, "t.zone")
			if err == nil {
				t.Fatalf("Parse(%.200q) = %v, nil; want error %q", tt.text, s.Zones(), tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("Parse error %T is not a *ParseError", err)
			}
			if diff := cmp.Diff(err.Error(), tt.want); diff != "" {
				t.Errorf("Parse error mismatch (-got +want):\n%s", diff)
			}
		})
	}
}

func TestSetLimits(t *testing.T) {
	s := new(Set)
	for i := range MaxZones {
		if err := s.Add(fmt.Sprintf("z%d.example", i), "", ""); err != nil {
			t.Fatalf("Add zone %d: %v", i, err)
		}
	}
	err := s.Add("one-too-many.example", "", "")
	if diff := cmp.Diff(fmt.Sprint(err), "one-too-many.example.zone: cannot load more than 32 zones"); diff != "" {
		t.Errorf("Add beyond the limit mismatch (-got +want):\n%s", diff)
	}
	err = new(Set).Add("z.example", "", "a.zone")
	if err != nil {
		t.Fatal(err)
	}
	s2 := new(Set)
	_ = s2.Add("z.example", "", "a.zone")
	err = s2.Add("Z.example.", "", "b.zone")
	if diff := cmp.Diff(fmt.Sprint(err), "b.zone: zone z.example. is already loaded from a.zone"); diff != "" {
		t.Errorf("Add twice mismatch (-got +want):\n%s", diff)
	}
	// An empty zone answers for its apex only.
	got, _ := s2.Resolve(context.Background(), qn("z.example", engine.TypeA))
	if diff := cmp.Diff(got, engine.Answer{}, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("empty zone apex mismatch (-got +want):\n%s", diff)
	}
}

// TestErrorsNameInvisibleCharacters: a zone error names every invisible
// or control character of the line it is about, by code point (issue 26,
// class 7): with two byte-order marks the file's first line reads
// "\ufeff$ORIGIN contoso.test.", so "$ORIGIN" is an owner name and
// "contoso.test." a TTL, and nothing on the screen says why.
func TestErrorsNameInvisibleCharacters(t *testing.T) {
	const rest = "@ 300 IN SOA ns1 h 1 2 3 4 5\nsip 300 IN A 192.0.2.1\n"
	tests := []struct {
		name, text string
		want       []string
	}{
		{"two byte-order marks", "\xef\xbb\xbf\xef\xbb\xbf$ORIGIN contoso.test.\n" + rest,
			[]string{`contoso.zone:1: not a TTL: "contoso.test."`, "U+FEFF (byte-order mark, a second one after the file's own) at column 1"}},
		{"byte-order mark in UTF-16", "\ufeff$ORIGIN contoso.test.\n" + rest, // written as UTF-16 with its own below
			[]string{`not a TTL: "contoso.test."`, "U+FEFF (byte-order mark, a second one after the file's own) at column 1"}},
		{"byte-order mark inside", "$ORIGIN contoso.test.\n" + rest + "\ufeffsip2 300 IN A 192.0.2.2 \ufeff\n",
			[]string{"contoso.zone:4:", "U+FEFF (byte-order mark) at column 1, U+FEFF (byte-order mark) at column 26"}},
		{"no-break space", "$ORIGIN contoso.test.\n" + rest + "sip3 300\u00a0IN A 192.0.2.3\n",
			[]string{"contoso.zone:4:", "U+00A0 (no-break space) at column 9"}},
		{"zero-width space", "$ORIGIN contoso.test.\n" + rest + "sip4 300 IN A 192.0.2.4\u200b\n",
			[]string{"contoso.zone:4:", "U+200B (zero-width space) at column 24"}},
		{"C1 control and right-to-left override", "$ORIGIN contoso.test.\n" + rest + "sip5 300 IN A\u0085 192.0.2.5\u202e\n",
			[]string{"contoso.zone:4:", "U+0085 (control character) at column 14", "U+202E (right-to-left override) at column 25"}},
	}
	for _, tt := range tests {
		text := tt.text
		if tt.name == "byte-order mark in UTF-16" {
			text = string(utf16LE(tt.text))
		}
		_, err := Parse("", text, "contoso.zone")
		if err == nil {
			t.Errorf("%s: Parse succeeded; want an error", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: Parse error = %q; want it to contain %q", tt.name, err, w)
			}
		}
	}
	// An error about a line without such characters is as it was.
	_, err := Parse("", "$ORIGIN contoso.test.\n"+rest+"sip6 300 IN A 192.0.2\n", "contoso.zone")
	if err == nil || strings.Contains(err.Error(), "cannot be seen") {
		t.Errorf("Parse error = %v; want one that names no invisible character", err)
	}
}

// TestNoOriginNamesInvisibleCharacters: the one error about the whole
// text an invisible character can cause (no origin given, no SOA) names
// it by line and column; an error about the origin given names none.
func TestNoOriginNamesInvisibleCharacters(t *testing.T) {
	_, err := Parse("", "\xef\xbb\xbf\xef\xbb\xbfcontoso.test. 300 IN A 192.0.2.1\n", "contoso.zone")
	if err == nil || !strings.Contains(err.Error(), "no zone origin was given") || !strings.Contains(err.Error(), "U+FEFF (byte-order mark, a second one after the file's own) at line 1, column 1") {
		t.Errorf("Parse error = %v; want it to name U+FEFF at line 1, column 1", err)
	}
	_, err = Parse("a..b", "@ 300 IN A 192.0.2.1\u200b\n", "contoso.zone")
	if err == nil || !strings.Contains(err.Error(), "bad zone origin") || strings.Contains(err.Error(), "cannot be seen") {
		t.Errorf("Parse error = %v; want the bad origin, naming none of the text's characters", err)
	}
}

// TestSetAdditional: with SetAdditional, an SRV answer carries the A and
// AAAA records the zone holds at its targets (sip has both; Edge has
// none); other answers carry none, and without it no answer does.
func TestSetAdditional(t *testing.T) {
	s := testSet(t)
	q := qn("_sip._tls.contoso.com", engine.TypeSRV)
	if a, err := s.Resolve(context.Background(), q); err != nil || len(a.Additional) != 0 {
		t.Fatalf("without SetAdditional: %v, additional %v; want none", err, a.Additional)
	}
	s.SetAdditional(true)
	a, err := s.Resolve(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.Record{a4("sip.contoso.com", "192.0.2.10"), a4("sip.contoso.com", "2001:db8::10")}
	if diff := cmp.Diff(want, a.Additional, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("additional (-want +got):\n%s", diff)
	}
	if a, _ := s.Resolve(context.Background(), qn("sip.contoso.com", engine.TypeA)); len(a.Additional) != 0 {
		t.Errorf("an A answer carries additional records: %v", a.Additional)
	}
}

func a4(name, addr string) engine.Record { return a(name, 300, addr) }

package zone

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
)

func TestOriginFromFileName(t *testing.T) {
	tests := []struct{ file, want string }{
		{"contoso.com.dns", "contoso.com"},
		{`C:\Windows\System32\dns\contoso.com.dns`, "contoso.com"},
		{"/var/named/db.contoso.com", "contoso.com"},
		{"planned/contoso.com.zone", "contoso.com"},
		{"Contoso.COM.db", "contoso.com"},
		{"contoso.com.dns.txt", "contoso.com"},
		{"contoso.com", "contoso.com"},
		{"_msdcs.contoso.com.dns", "_msdcs.contoso.com"},
		{"0.168.192.in-addr.arpa.dns", "0.168.192.in-addr.arpa"},
		{"planned.zone", ""},
		{"zone.txt", ""},
		{"db.local", ""},
		{"contoso..com.dns", ""},
		{".dns", ""},
		{"", ""},
		{"a b.com.zone", ""},
	}
	for _, tt := range tests {
		if got := OriginFromFileName(tt.file); got != tt.want {
			t.Errorf("OriginFromFileName(%q) = %q; want %q", tt.file, got, tt.want)
		}
	}
}

func TestGuessOrigin(t *testing.T) {
	tests := []struct{ file, text, want string }{
		{"planned.zone", "; plan\n$TTL 300\n$ORIGIN fabrikam.com.\n@ SOA a b 1 2 3 4 5\n", "fabrikam.com"},
		{"contoso.com.dns", "$ORIGIN fabrikam.com.\n", "fabrikam.com"},
		{"contoso.com.dns", "@ SOA a b 1 2 3 4 5\n$ORIGIN sub.contoso.com.\nx A 192.0.2.1\n", "contoso.com"},
		{"contoso.com.dns", "$ORIGIN relative\n", "contoso.com"},
		{"planned.zone", "@ SOA a b 1 2 3 4 5\n", ""},
		{"planned.zone", "\xef\xbb\xbf$ORIGIN fabrikam.com.\n", "fabrikam.com"},
		{"planned.zone", string(utf16LE("$ORIGIN fabrikam.com.\r\n")), "fabrikam.com"},
	}
	for _, tt := range tests {
		if got := GuessOrigin(tt.file, tt.text); got != tt.want {
			t.Errorf("GuessOrigin(%q, %q) = %q; want %q", tt.file, tt.text, got, tt.want)
		}
	}
}

// utf16LE encodes s as Windows PowerShell 5's Out-File does: UTF-16
// little-endian with a byte-order mark.
func utf16LE(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16BE(s string) []byte {
	b := []byte{0xfe, 0xff}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// encodings returns text as the editors and tools people use write it.
func encodings(text string) map[string]string {
	crlf := strings.ReplaceAll(text, "\n", "\r\n")
	return map[string]string{
		"UTF-8":                 text,
		"UTF-8 BOM (Notepad)":   "\xef\xbb\xbf" + crlf,
		"UTF-16LE (PowerShell)": string(utf16LE(crlf)),
		"UTF-16BE":              string(utf16BE(text)),
		"CR only":               strings.ReplaceAll(text, "\n", "\r"),
	}
}

var windowsQuestions = []engine.Question{
	{Name: "_sipinternaltls._tcp.contoso.com", Type: engine.TypeSRV},
	{Name: "_sip._tls.contoso.com", Type: engine.TypeSRV},
	{Name: "pool01.contoso.com", Type: engine.TypeA},
	{Name: "contoso.com", Type: engine.TypeA},
	{Name: "ws0042.contoso.com", Type: engine.TypeA},
	{Name: "dc02.contoso.com", Type: engine.TypeA},
	{Name: "sipexternal.contoso.com", Type: engine.TypeA},
	{Name: "_ntp.contoso.com", Type: engine.TypeTXT},
	{Name: "_ldap._tcp.dc._msdcs.contoso.com", Type: engine.TypeSRV},
	{Name: "sipinternal.contoso.com", Type: engine.TypeA},
	{Name: "contoso.com", Type: engine.TypeAAAA},
}

func answers(t *testing.T, s *Set) []string {
	t.Helper()
	var out []string
	for _, q := range windowsQuestions {
		a, err := s.Resolve(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		recs := make([]string, len(a.Records))
		for i, r := range a.Records {
			recs[i] = fmt.Sprintf("%s %d", r, r.TTL)
		}
		out = append(out, fmt.Sprintf("%v: %v %v", q, a.RCode, recs))
	}
	return out
}

// TestWindowsExport reads a zone file as Windows DNS writes it
// (contoso.com.dns: "@" and relative names, [AGE:n] aging stamps, a WINS
// record, tabs, owner-less continuation lines), in every encoding people
// save it in, with the origin taken from its file name.
func TestWindowsExport(t *testing.T) {
	b, err := os.ReadFile("testdata/contoso.com.dns")
	if err != nil {
		t.Fatal(err)
	}
	const path = `C:\Windows\System32\dns\contoso.com.dns`
	origin := OriginFromFileName(path)
	s, err := Parse(origin, string(b), "contoso.com.dns")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"_sipinternaltls._tcp.contoso.com SRV: NOERROR [_sipinternaltls._tcp.contoso.com. SRV 0 0 5061 pool01.contoso.com. 600]",
		"_sip._tls.contoso.com SRV: NOERROR [_sip._tls.contoso.com. SRV 0 0 443 sip.contoso.com. 600]",
		"pool01.contoso.com A: NOERROR [pool01.contoso.com. A 10.0.0.20 1200 pool01.contoso.com. A 10.0.0.21 1200]",
		"contoso.com A: NOERROR [contoso.com. A 10.0.0.4 600 contoso.com. A 10.0.0.5 600]",
		"ws0042.contoso.com A: NOERROR [ws0042.contoso.com. A 10.0.3.42 1200]",
		"dc02.contoso.com A: NOERROR [dc02.contoso.com. A 10.0.0.6 1200]",
		"sipexternal.contoso.com A: NOERROR [sipexternal.contoso.com. CNAME sip.contoso.com. 1200 sip.contoso.com. A 10.0.0.30 1200]",
		`_ntp.contoso.com TXT: NOERROR [_ntp.contoso.com. TXT "time=dc01" 1200]`,
		"_ldap._tcp.dc._msdcs.contoso.com SRV: NOERROR [_ldap._tcp.dc._msdcs.contoso.com. SRV 0 100 389 dc01.contoso.com. 600]",
		"sipinternal.contoso.com A: NXDOMAIN []",
		"contoso.com AAAA: NOERROR []",
	}
	if diff := cmp.Diff(answers(t, s), want); diff != "" {
		t.Errorf("answers (-got +want):\n%s", diff)
	}
	if notes := s.Notes(); !slices.Equal(notes, []string{"contoso.com.dns:24: WINS record skipped: Windows DNS's own type, which sign-in discovery never asks for"}) {
		t.Errorf("Notes() = %q", notes)
	}
	u, _ := engine.ParseURI("bob@contoso.com")
	rep, err := engine.Discover(context.Background(), u, engine.Config{Resolver: s, Policy: engine.DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != engine.OutcomeConnect || rep.Target.Host != "pool01.contoso.com" || rep.Target.Port != 5061 {
		t.Errorf("discovery: %s, target %+v; want connect to pool01.contoso.com:5061", rep.Outcome, rep.Target)
	}

	for name, text := range encodings(string(b)) {
		if got := GuessOrigin("contoso.com.dns", text); got != "contoso.com" {
			t.Errorf("%s: GuessOrigin = %q", name, got)
		}
		s, err := Parse(origin, text, "contoso.com.dns")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if diff := cmp.Diff(answers(t, s), want); diff != "" {
			t.Errorf("%s: answers (-got +want):\n%s", name, diff)
		}
		// A mistake is reported on its line whatever the encoding.
		bad := strings.Replace(text, "10.0.3.42", "10.0.3.420", 1)
		if strings.Contains(name, "UTF-16") {
			bad = strings.Replace(text, string(utf16LE("10.0.3.42")[2:]), string(utf16LE("10.0.3.420")[2:]), 1)
			if strings.Contains(name, "BE") {
				bad = strings.Replace(text, string(utf16BE("10.0.3.42")[2:]), string(utf16BE("10.0.3.420")[2:]), 1)
			}
		}
		if _, err := Parse(origin, bad, "contoso.com.dns"); err == nil || !strings.HasPrefix(err.Error(), `contoso.com.dns:45: bad A A: "10.0.3.420"`) {
			t.Errorf("%s: a bad address gives %v; want it named on line 45", name, err)
		}
	}
}

// TestRecordLines checks the lines prepare finds for each record against
// locate, which asks miekg/dns itself, on every zone text the tests have.
func TestRecordLines(t *testing.T) {
	win, err := os.ReadFile("testdata/contoso.com.dns")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"contoso": contoso, "eu": eu, "windows": string(win),
		"generate": "$ORIGIN contoso.com.\n$GENERATE 1-10 h$ A 192.0.2.1\nx A 192.0.2.2\n$GENERATE 0-9/3 g$ CNAME x\ny A 192.0.2.3\n",
		"parens":   "x ( A\n 192.0.2.1 )\ny TXT \"a\nb\" ( \"c\"\n)\n  ; c\n\tA 192.0.2.2\n$TTL 5\nz A 192.0.2.3\n"}
	for _, sc := range demo.Scenarios() {
		texts[sc.Name] = sc.Zone
	}
	for name, text := range texts {
		p, err := prepare(text, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rrs, err := parseRecords(p.text, "contoso.com.", name, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(p.recordLines) != len(rrs) {
			t.Fatalf("%s: %d record lines for %d records", name, len(p.recordLines), len(rrs))
		}
		for i := range rrs {
			if got, want := int(p.recordLines[i]), locate(p.text, "contoso.com.", i); got != want {
				t.Errorf("%s: record %d (%v) starts on line %d; locate says %d", name, i, rrs[i], got, want)
			}
		}
	}
}

func TestSetRecordLimit(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("loads a million records; checked natively")
	}
	text, n := bigZone(5 << 20)
	s := new(Set)
	for i := 0; ; i++ {
		err := s.Add(fmt.Sprintf("z%d.example", i), strings.ReplaceAll(text, "contoso.com.", fmt.Sprintf("z%d.example.", i)), "")
		if (i+1)*n <= MaxSetRecords {
			if err != nil {
				t.Fatalf("zone %d: %v", i, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "cannot load more than 1000000 records in all zones together") {
			t.Fatalf("zone %d, %d records in all: %v; want the Set's limit", i, (i+1)*n, err)
		}
		break
	}
}

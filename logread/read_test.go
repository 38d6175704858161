package logread

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

func readFile(t testing.TB, name string, lim Limits) *Log {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	l, err := Read(context.Background(), bytes.NewReader(b), lim, nil)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return l
}

// summary is what TestSamples checks of a log.
type summary struct {
	Format      Format
	Client      string
	Outcome     Outcome
	Address     string
	Server      string
	Peer        string
	Offered     []string
	Chosen      string
	FinalStatus int
	Redirects   []string
	Diagnostics []string // "code meaning"
	Folded      map[string]int
	Servers     []string
	Evidence    []string // kinds
	Attempts    []string // "outcome status" per attempt
}

func summarize(l *Log) summary {
	s := summary{Format: l.Format, Client: l.Client, Folded: l.Folded, Servers: l.Discovery.Servers}
	if si := l.SignIn; si != nil {
		s.Outcome, s.Address, s.Server, s.Peer, s.Offered, s.Chosen, s.FinalStatus, s.Redirects = si.Outcome, si.Address, si.Server, si.Peer, si.Offered, si.Chosen, si.FinalStatus, si.Redirects
		for _, a := range si.Attempts {
			s.Attempts = append(s.Attempts, string(a.Outcome)+" "+a.FinalReason)
		}
	}
	for _, d := range l.Diagnostics {
		s.Diagnostics = append(s.Diagnostics, d.Header+" "+itoa(d.Code)+" "+d.Meaning)
	}
	for _, e := range l.Discovery.Evidence {
		s.Evidence = append(s.Evidence, e.Kind)
	}
	return s
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestSamples reads each invented sample (every name, address and token
// in testdata is made up) and checks what the reader makes of it.
func TestSamples(t *testing.T) {
	none := map[string]int{}
	tests := []struct {
		file string
		want summary
	}{
		{"uccapi-tlsdsk-signin.uccapilog", summary{
			Format: FormatUccApi, Client: "UCCAPI/16.0.5000.1000 OC/16.0.5000.1000 (Skype for Business)",
			Outcome: SignedIn, Address: "sip:bob@healthy.example", Server: "192.0.2.10:5061",
			Offered: []string{"NTLM", "Kerberos", "TLS-DSK"}, Chosen: "TLS-DSK", FinalStatus: 200, Redirects: []string{},
			Folded: map[string]int{"SUBSCRIBE": 2}, Servers: []string{"192.0.2.10:5061"},
			Evidence: []string{"autodiscover", "dns"}, Attempts: []string{"signed-in OK"},
		}},
		{"uccapi-ntlm-403.uccapilog", summary{
			Format: FormatUccApi, Client: "UCCAPI/4.0.7577.0 OC/4.0.7577.0 (Microsoft Lync 2010)",
			Outcome: Failed, Address: "sip:carol@healthy.example", Server: "192.0.2.10:5061",
			Offered: []string{"NTLM", "Kerberos"}, Chosen: "NTLM", FinalStatus: 403, Redirects: []string{},
			Diagnostics: []string{"ms-diagnostics-public 4004 Credentials provided are not authorized to act as specified from URI."},
			Folded:      none, Servers: []string{"192.0.2.10:5061"}, Attempts: []string{"failed Forbidden"},
		}},
		{"uccapi-redirect-404.uccapilog", summary{
			Format: FormatUccApi, Client: "UCCAPI/3.5.6907.0 OC/3.5.6907.0 (Microsoft Office Communicator 2007 R2)",
			Outcome: Failed, Address: "sip:dave@healthy.example", Server: "192.0.2.20:5061",
			Offered: []string{"NTLM", "Kerberos"}, Chosen: "Kerberos", FinalStatus: 404,
			Redirects:   []string{"sip:pool02.healthy.example:5061;transport=tls"},
			Diagnostics: []string{"ms-diagnostics 1003 User does not exist."},
			Folded:      none, Servers: []string{"192.0.2.10:5061", "192.0.2.20:5061"},
			Evidence: []string{"dns"}, Attempts: []string{"redirected Redirect request to Home Server", "failed Not Found"},
		}},
		{"server-1010.log", summary{
			Format: FormatServer, Client: "UCCAPI/15.0.4569.1503 OC/15.0.4569.1508 (Microsoft Lync)",
			Outcome: Failed, Address: "sip:erin@healthy.example", Peer: "203.0.113.45:51234",
			Offered: []string{}, Chosen: "NTLM", FinalStatus: 504, Redirects: []string{},
			Diagnostics: []string{"ms-diagnostics 1010 Certificate trust with next-hop server could not be established."},
			Folded:      none, Servers: []string{}, Evidence: []string{"server-diagnostic"}, Attempts: []string{"failed Server time-out"},
		}},
		{"server-edge-diag.log", summary{
			Format: FormatServer, Client: "UCCAPI/16.0.4266.1001 OC/16.0.4266.1001 (Skype for Business)",
			Outcome: Failed, Address: "sip:grace@healthy.example", Peer: "198.51.100.77:50444",
			Offered: []string{"NTLM", "TLS-DSK"}, Chosen: "NTLM", FinalStatus: 504, Redirects: []string{},
			Diagnostics: []string{"ms-diagnostics 1008 Unable to resolve DNS SRV record."},
			Folded:      none, Servers: []string{}, Evidence: []string{"server-diagnostic", "server-diagnostic"}, Attempts: []string{"failed Server time-out"},
		}},
		{"plain-kerberos.txt", summary{
			Format: FormatPlainSIP, Client: "UCCAPI/16.0.10730.20102 OC/16.0.10730.20102 (Skype for Business)",
			Outcome: SignedIn, Address: "sip:frank@healthy.example",
			Offered: []string{"Kerberos", "NTLM"}, Chosen: "Kerberos", FinalStatus: 200, Redirects: []string{},
			Folded: none, Servers: []string{}, Attempts: []string{"signed-in OK"},
		}},
		{"lookalike-syslog.txt", summary{Format: FormatNotMicrosoft, Folded: none, Servers: []string{}}},
		{"eventlog.txt", summary{Format: FormatEventLog, Folded: none, Servers: []string{}, Evidence: []string{"event", "event", "event", "event"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			l := readFile(t, tt.file, DefaultLimits())
			if diff := cmp.Diff(summarize(l), tt.want); diff != "" {
				t.Errorf("Read(%s) (-got +want):\n%s", tt.file, diff)
			}
			if len(l.Problems) != 0 {
				t.Errorf("Read(%s) problems: %v", tt.file, l.Problems)
			}
		})
	}
}

// TestDiagnosticDecoded checks the fields of a decoded ms-diagnostics
// header and what the client shows for a code [MS-OCER] §9.3.2 lists.
func TestDiagnosticDecoded(t *testing.T) {
	l := readFile(t, "server-1010.log", DefaultLimits())
	if len(l.Diagnostics) != 1 {
		t.Fatalf("diagnostics %v; want one", l.Diagnostics)
	}
	d := l.Diagnostics[0]
	if d.Code != 1010 || d.Reason != "Certificate trust with next-hop server could not be established" || d.Source != "edge01.healthy.example" || d.Status != 504 || d.Count != 1 || d.ClientShows == "" {
		t.Errorf("diagnostic = %+v", d)
	}
	unknown := parseDiagnostic("ms-diagnostics", `52001;reason="Something invented"`)
	if unknown.Code != 52001 || unknown.Meaning != "" || unknown.Reason != "Something invented" {
		t.Errorf("parseDiagnostic(unknown code) = %+v; want the code and reason with no meaning", unknown)
	}
}

// TestUTF16 reads the TLS-DSK sample as Windows tools write it, UTF-16LE
// with a byte-order mark, and wants what the UTF-8 file gives.
func TestUTF16(t *testing.T) {
	b, err := os.ReadFile("testdata/uccapi-tlsdsk-signin.uccapilog")
	if err != nil {
		t.Fatal(err)
	}
	for _, big := range []bool{false, true} {
		var order binary.AppendByteOrder = binary.LittleEndian
		bom := []byte{0xff, 0xfe}
		if big {
			order, bom = binary.BigEndian, []byte{0xfe, 0xff}
		}
		u := bom
		for _, c := range utf16.Encode([]rune(string(b))) {
			u = order.AppendUint16(u, c)
		}
		l, err := Read(context.Background(), bytes.NewReader(u), DefaultLimits(), nil)
		if err != nil {
			t.Fatalf("Read(UTF-16, big %v): %v", big, err)
		}
		want := readFile(t, "uccapi-tlsdsk-signin.uccapilog", DefaultLimits())
		if diff := cmp.Diff(summarize(l), summarize(want)); diff != "" {
			t.Errorf("UTF-16 (big %v) differs from UTF-8 (-got +want):\n%s", big, diff)
		}
		if !strings.HasPrefix(l.Encoding, "UTF-16") {
			t.Errorf("Encoding = %q; want UTF-16", l.Encoding)
		}
	}
}

// TestBinary wants binary input refused with its offset, at the start and
// further on.
func TestBinary(t *testing.T) {
	good, _ := os.ReadFile("testdata/uccapi-ntlm-403.uccapilog")
	tests := map[string][]byte{
		"zip":    append([]byte("PK\x03\x04\x14\x00\x00\x00"), good...),
		"nul":    append(append(bytes.Clone(good[:200]), 0, 1, 2, 3), good[200:]...),
		"gzip":   {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00},
		"middle": append(append(bytes.Clone(good), bytes.Repeat([]byte{0, 0xff}, 40)...), '\n'),
	}
	for name, in := range tests {
		_, err := Read(context.Background(), bytes.NewReader(in), DefaultLimits(), nil)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: Read = %v; want an *Error", name, err)
			continue
		}
		if !strings.Contains(e.Msg, "not a text log") {
			t.Errorf("%s: message %q does not say what is wrong", name, e.Msg)
		}
	}
}

// TestTruncated cuts the NTLM sample inside its last packet: the reader
// keeps what came before and marks the message cut.
func TestTruncated(t *testing.T) {
	b, _ := os.ReadFile("testdata/uccapi-ntlm-403.uccapilog")
	cut := bytes.LastIndex(b, []byte("ms-diagnostics-public"))
	l, err := Read(context.Background(), bytes.NewReader(b[:cut]), DefaultLimits(), nil)
	if err != nil {
		t.Fatal(err)
	}
	si := l.SignIn
	if si == nil || len(si.Attempts) != 1 {
		t.Fatalf("SignIn = %+v; want one attempt", si)
	}
	steps := si.Attempts[0].Steps
	last := steps[len(steps)-1]
	if !last.Truncated || last.Status != 403 || si.Outcome != Failed {
		t.Errorf("last step %+v, outcome %s; want a truncated 403 and failed", last, si.Outcome)
	}
	if len(l.Diagnostics) != 0 {
		t.Errorf("diagnostics %v from a cut header", l.Diagnostics)
	}
}

// TestLimits checks that each limit cuts and counts.
func TestLimits(t *testing.T) {
	lim := DefaultLimits()
	lim.PerCall = 2
	l := readFile(t, "uccapi-ntlm-403.uccapilog", lim)
	if got := len(l.SignIn.Attempts[0].Steps); got != 2 || l.Dropped.CallMessages != 4 || l.SignIn.FinalStatus != 403 {
		t.Errorf("PerCall 2: %d steps, %d dropped, final %d; want 2, 4 and still 403", got, l.Dropped.CallMessages, l.SignIn.FinalStatus)
	}
	lim = DefaultLimits()
	lim.Messages = 3
	l = readFile(t, "uccapi-tlsdsk-signin.uccapilog", lim)
	if len(l.Messages) != 3 || l.Dropped.Messages != 5 {
		t.Errorf("Messages 3: kept %d, dropped %d; want 3 and 5", len(l.Messages), l.Dropped.Messages)
	}

	// A 1 MB line and a message whose headers exceed Limits.Message.
	b, _ := os.ReadFile("testdata/uccapi-ntlm-403.uccapilog")
	long := strings.Repeat("x", 1<<20)
	in := strings.Replace(string(b), "Event: registration\r\n", "Event: registration\r\nX-Long: "+long+"\r\n", 1)
	lim = DefaultLimits()
	lim.Message = 2048
	l, err := Read(context.Background(), strings.NewReader(in), lim, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Dropped.LongLines != 1 || l.Dropped.LongMessages != 1 || l.SignIn.Outcome != Failed {
		t.Errorf("long line: dropped %+v, outcome %s; want one long line, one long message, failed", l.Dropped, l.SignIn.Outcome)
	}
}

// TestProgress wants progress reported up to the input's size.
func TestProgress(t *testing.T) {
	b, _ := os.ReadFile("testdata/uccapi-tlsdsk-signin.uccapilog")
	var last int64
	_, err := Read(context.Background(), bytes.NewReader(bytes.Repeat(b, 200)), DefaultLimits(), func(n int64) {
		if n < last {
			t.Errorf("progress went back from %d to %d", last, n)
		}
		last = n
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != int64(len(b)*200) {
		t.Errorf("last progress %d; want %d", last, len(b)*200)
	}
}

// TestUccApiVariants reads the samples in the shapes public excerpts of
// UccApilogs show besides the one they are written in (docs/adr/0029):
// one space before "::", a thread id of three hex digits, and "Data
// Received -" with no space before the address. Each reads as the
// sample does.
func TestUccApiVariants(t *testing.T) {
	for _, name := range []string{"uccapi-tlsdsk-signin.uccapilog", "uccapi-ntlm-403.uccapilog", "uccapi-redirect-404.uccapilog"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		v := bytes.ReplaceAll(b, []byte("INFO  ::"), []byte("INFO ::"))
		v = bytes.ReplaceAll(v, []byte(" 1A2C:2B3C "), []byte(" 1F68:C14 "))
		v = bytes.ReplaceAll(v, []byte("Data Received - "), []byte("Data Received -"))
		if bytes.Equal(v, b) {
			t.Fatalf("%s: the variant changes nothing", name)
		}
		want := summarize(readFile(t, name, DefaultLimits()))
		got, err := Read(context.Background(), bytes.NewReader(v), DefaultLimits(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(summarize(got), want); diff != "" {
			t.Errorf("%s in the variant shape (-got +want):\n%s", name, diff)
		}
	}
}

// TestSecretsNotKept reads every sample, each holding values marked
// S3CR3T in every place a secret hides (gssapi-data, response, opaque,
// rspauth, Authorization, X-MS-WebTicket, cookies, a URL's query, an
// instant message), and wants none of them in the Log's JSON, nor in
// its link's data (inflated) or the log the link opens as.
func TestSecretsNotKept(t *testing.T) {
	files, _ := filepath.Glob("testdata/*")
	seen := 0
	for _, f := range files {
		b, _ := os.ReadFile(f)
		seen += bytes.Count(b, []byte("S3CR3T"))
		l, err := Read(context.Background(), bytes.NewReader(b), DefaultLimits(), nil)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(l)
		if bytes.Contains(out, []byte("S3CR3T")) || bytes.Contains(out, []byte("hunter2")) {
			t.Errorf("%s: a secret is in the JSON:\n%s", f, out)
		}
		if l.SignIn == nil {
			continue
		}
		frag, err := EncodeLink(l)
		if err != nil {
			t.Fatalf("%s: EncodeLink: %v", f, err)
		}
		for _, js := range [][]byte{inflateLink(t, frag), func() []byte {
			opened, _, err := DecodeLink(frag)
			if err != nil {
				t.Fatalf("%s: DecodeLink: %v", f, err)
			}
			b, _ := json.Marshal(opened)
			return b
		}()} {
			if bytes.Contains(js, []byte("S3CR3T")) || bytes.Contains(js, []byte("hunter2")) {
				t.Errorf("%s: a secret is in the link:\n%s", f, js)
			}
		}
	}
	if seen < 20 {
		t.Fatalf("the samples hold %d marked secrets; the test needs them", seen)
	}
}

// TestRedactShortcut: Redact's check that a text holds nothing to
// replace (maySecret, which reads it without lower-casing) never skips
// a text the full replacement would change: every line of every sample,
// and texts made to sit on its edges.
func TestRedactShortcut(t *testing.T) {
	texts := []string{"tag=1;RESPONSE=2", "xnonce=3", "=nonce", "nonce", "Cookie: a", "COOKIE:", "webTicket", "a=b=c=response=", "gssapi-data=\"x\"", "opaque=", "http://h/?q=1", "no secret here: sip:bob@contoso.com;tag=4f"}
	files, _ := filepath.Glob("testdata/*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		texts = append(texts, strings.Split(string(b), "\n")...)
	}
	for _, s := range texts {
		if got, want := Redact(s), redactParams(redactQuery(s)); got != want {
			t.Errorf("Redact(%q) = %q; the full replacement gives %q", s, got, want)
		}
	}
}

func TestRedactHeader(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"Authorization", `NTLM qop="auth", realm="SIP Communications Service", opaque="ab12", targetname="p.contoso.com", response="0102"`, `NTLM qop="auth", realm="SIP Communications Service", opaque="[redacted]", targetname="p.contoso.com", response="[redacted]"`},
		{"Proxy-Authorization", `Bearer abc.def.ghi`, `Bearer [redacted]`},
		{"WWW-Authenticate", `Kerberos realm="SIP Communications Service", gssapi-data="YII", targetname="sip/p"`, `Kerberos realm="SIP Communications Service", gssapi-data="[redacted]", targetname="sip/p"`},
		{"authentication-info", `TLS-DSK rspauth="99", srand="1", version=4`, `TLS-DSK rspauth="[redacted]", srand="[redacted]", version=4`},
		{"X-MS-WebTicket", `opaque=abc`, Redacted},
		{"Set-Cookie", `a=b`, Redacted},
		{"X-Auth-Token", `x`, Redacted},
		{"User-Agent", `UCCAPI/16.0 OC/16.0 (Skype for Business)`, `UCCAPI/16.0 OC/16.0 (Skype for Business)`},
		{"Authorization", `"quoted junk`, Redacted},
	}
	for _, tt := range tests {
		if got := RedactHeader(tt.name, tt.value); got != tt.want {
			t.Errorf("RedactHeader(%q, %q) = %q; want %q", tt.name, tt.value, got, tt.want)
		}
	}
	if got, want := Redact(`GET https://lyncdiscover.contoso.com/Autodiscover?sipuri=a&token=S3CR3T gssapi-data="Zm9v", Authorization: NTLM abc`), `GET https://lyncdiscover.contoso.com/Autodiscover?[redacted] gssapi-data="[redacted]", Authorization: [redacted]`; got != want {
		t.Errorf("Redact = %q; want %q", got, want)
	}
}

func TestProfileFor(t *testing.T) {
	tests := map[string]string{
		"UCCAPI/3.5.6907.0 OC/3.5.6907.0 (Microsoft Office Communicator 2007 R2)": "communicator-2007-r2",
		"UCCAPI/4.0.7577.0 OC/4.0.7577.0 (Microsoft Lync 2010)":                   "lync-2010",
		"UCCAPI/15.0.4569.1503 OC/15.0.4569.1508 (Microsoft Lync)":                "lync-2013",
		"UCCAPI/16.0.5000.1000 OC/16.0.5000.1000 (Skype for Business)":            "skype-2016",
		"Polycom/5.9":       "",
		"":                  "",
		"UCCAPI/OC/99.0.1 ": "",
	}
	for ua, want := range tests {
		if got := ProfileFor(ua); got != want {
			t.Errorf("ProfileFor(%q) = %q; want %q", ua, got, want)
		}
	}
}

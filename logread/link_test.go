package logread

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// inflateLink returns the JSON a link's fragment carries.
func inflateLink(t *testing.T, frag string) []byte {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(frag, LinkPrefix))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	js, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// TestLinkRoundTrip: each sample with a sign-in makes a link that opens
// as the same sign-in and diagnostics (their meanings read again), with
// no header, local address, message list or evidence of the log in it.
func TestLinkRoundTrip(t *testing.T) {
	for _, name := range []string{"uccapi-tlsdsk-signin.uccapilog", "uccapi-ntlm-403.uccapilog", "uccapi-redirect-404.uccapilog", "server-1010.log", "plain-kerberos.txt"} {
		l := readFile(t, name, DefaultLimits())
		frag, err := EncodeLink(l)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasPrefix(frag, LinkPrefix) || len(frag) > MaxLink {
			t.Fatalf("%s: link %q…", name, frag[:min(len(frag), 20)])
		}
		got, lad, err := DecodeLink(frag)
		if err != nil {
			t.Fatalf("%s: DecodeLink: %v", name, err)
		}
		if lad.Omitted != 0 {
			t.Errorf("%s: %d attempts omitted", name, lad.Omitted)
		}
		want := LadderOf(l)
		if diff := cmp.Diff(LadderOf(got), want, cmpopts.IgnoreUnexported(Message{})); diff != "" {
			t.Errorf("%s: the link's ladder (-got +want):\n%s", name, diff)
		}
		if diff := cmp.Diff(got.Diagnostics, l.Diagnostics); diff != "" {
			t.Errorf("%s: diagnostics (-got +want):\n%s", name, diff)
		}
		js := inflateLink(t, frag)
		for _, field := range []string{`"headers"`, `"local"`, `"messages"`, `"evidence"`, `"problems"`} {
			if bytes.Contains(js, []byte(field)) {
				t.Errorf("%s: the link carries %s:\n%s", name, field, js)
			}
		}
		if len(got.Messages) != 0 || len(got.Discovery.Evidence) != 0 {
			t.Errorf("%s: the opened link has messages or evidence", name)
		}
	}
	if _, err := EncodeLink(readFile(t, "eventlog.txt", DefaultLimits())); err == nil {
		t.Error("a log without a sign-in made a link")
	}
}

// TestLinkBound: a log with more attempts than a link holds makes a
// link within MaxLink that keeps the last attempts (the sign-in's) and
// counts the others.
func TestLinkBound(t *testing.T) {
	var gen bytes.Buffer
	if err := writeUccApilog(&gen, 6<<20); err != nil {
		t.Fatal(err)
	}
	l, err := Read(t.Context(), &gen, DefaultLimits(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Random Call-IDs, times and ports compress as a real log's do,
	// not as the generator's repeated ones.
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range l.SignIn.Attempts {
		a := &l.SignIn.Attempts[i]
		a.CallID = fmt.Sprintf("%016x%016x", rnd.Uint64(), rnd.Uint64())
		for len(a.Steps) < DefaultLimits().PerCall {
			a.Steps = append(a.Steps, a.Steps[len(a.Steps)%8])
		}
		for j := range a.Steps {
			s := &a.Steps[j]
			s.CallID = a.CallID
			s.Time = fmt.Sprintf("2026-12-07T%02d:%02d:%02d.%03d", rnd.IntN(24), rnd.IntN(60), rnd.IntN(60), rnd.IntN(1000))
			s.Remote = fmt.Sprintf("192.0.2.%d:%d", rnd.IntN(256), 1024+rnd.IntN(60000))
			s.CSeq = fmt.Sprintf("%d REGISTER", rnd.IntN(100000))
		}
	}
	n := len(l.SignIn.Attempts)
	frag, err := EncodeLink(l)
	if err != nil {
		t.Fatal(err)
	}
	got, lad, err := DecodeLink(frag)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d attempts, %d in a link of %d bytes", n, len(got.SignIn.Attempts), len(frag))
	if len(frag) > MaxLink || lad.Omitted == 0 || lad.Omitted+len(got.SignIn.Attempts) != n {
		t.Fatalf("link of %d bytes, %d omitted, %d kept, of %d attempts", len(frag), lad.Omitted, len(got.SignIn.Attempts), n)
	}
	last := l.SignIn.Attempts[n-1]
	if g := got.SignIn.Attempts[len(got.SignIn.Attempts)-1]; g.CallID != last.CallID || got.SignIn.Outcome != l.SignIn.Outcome {
		t.Errorf("the link's last attempt is %s, outcome %s; want %s, %s", g.CallID, got.SignIn.Outcome, last.CallID, l.SignIn.Outcome)
	}
}

// TestLinkHostile: a link cut short, with a flipped bit, with data after
// its end, too long, or carrying what sipdisco never writes is refused
// with a plain reason; markup in a link made by hand comes out as text
// for the renderer to escape, and a credential in it is redacted.
func TestLinkHostile(t *testing.T) {
	l := readFile(t, "uccapi-ntlm-403.uccapilog", DefaultLimits())
	frag, err := EncodeLink(l)
	if err != nil {
		t.Fatal(err)
	}
	data := strings.TrimPrefix(frag, LinkPrefix)
	raw, _ := base64.RawURLEncoding.DecodeString(data)
	enc := func(b []byte) string { return LinkPrefix + base64.RawURLEncoding.EncodeToString(b) }
	gz := func(js string) string {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(js))
		w.Close()
		return enc(b.Bytes())
	}
	good := string(inflateLink(t, frag))
	tests := []struct{ name, frag, want string }{
		{"no prefix", "#s=" + data, "not a log link"},
		{"cut", frag[:len(frag)/2], "damaged"},
		{"cut at the end", frag[:len(frag)-3], "damaged"},
		{"not base64", frag + "!", "damaged"},
		{"trailing data", enc(append(bytes.Clone(raw), 0x1f, 0x8b)), "damaged"},
		{"too long", LinkPrefix + strings.Repeat("A", MaxLink), "more than the"},
		{"unknown field", gz(strings.Replace(good, `"v":1`, `"v":1,"script":"x"`, 1)), "unknown field"},
		{"version", gz(strings.Replace(good, `"v":1`, `"v":9`, 1)), "version 9"},
		{"format", gz(strings.Replace(good, `"format":"uccapilog"`, `"format":"event-log"`, 1)), "no log format"},
		{"outcome", gz(strings.Replace(good, `"outcome":"failed"`, `"outcome":"<b>pwned</b>"`, 1)), "outcome"},
		{"two ladders", gz(good + good), "more than one"},
		{"bomb", gz(`{"v":1,"client":"` + strings.Repeat("x", MaxLinkJSON) + `"}`), "expands to more than"},
		{"long text", gz(strings.Replace(good, `"client":"`, `"client":"`+strings.Repeat("x", 3000), 1)), "bytes long"},
	}
	for _, tt := range tests {
		_, _, err := DecodeLink(tt.frag)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: DecodeLink error %v; want one saying %q", tt.name, err, tt.want)
		}
	}
	// Every single flipped bit is refused or opens as a valid ladder.
	for i := range len(raw) * 8 {
		b := bytes.Clone(raw)
		b[i/8] ^= 1 << (i % 8)
		if got, _, err := DecodeLink(enc(b)); err == nil && got.SignIn == nil {
			t.Fatalf("bit %d: opened without a sign-in", i)
		}
	}
	hand := strings.Replace(good, `"client":"`, `"client":"<img src=x onerror=alert(1)> response=\"S3CR3T\" `, 1)
	got, _, err := DecodeLink(gz(hand))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got.Client, "S3CR3T") || !strings.Contains(got.Client, "<img") {
		t.Errorf("client %q; want the markup as text and the credential redacted", got.Client)
	}
	js, _ := json.Marshal(got)
	if bytes.Contains(js, []byte("S3CR3T")) {
		t.Errorf("a credential in a hand-made link survives: %s", js)
	}
}

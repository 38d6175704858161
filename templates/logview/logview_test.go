package logview

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/logread"
)

func read(t *testing.T, name string, lim logread.Limits) *logread.Log {
	t.Helper()
	f, err := os.Open("../../logread/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := logread.Read(context.Background(), f, lim, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestText checks the text of the redirect sample beside a prediction:
// the sign-in line, both ladders with their arrows, the decoded 1003,
// the comparison's verdicts, and the limits' counts when they cut.
func TestText(t *testing.T) {
	lim := logread.DefaultLimits()
	lim.PerCall = 3
	l := read(t, "uccapi-redirect-404.uccapilog", lim)
	rep := &engine.Report{URI: "sip:dave@healthy.example", Profile: "communicator-2007-r2", Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "sip.healthy.example", Port: 5061, Transport: "TLS", Addresses: []string{"192.0.2.10"}}}
	var b bytes.Buffer
	if err := WriteText(&b, l, logread.Compare(l, rep), Options{Name: "Communicator-uccapi-0.uccapilog"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Communicator-uccapi-0.uccapilog: a client's UccApilog (115 lines, 7482 bytes, UTF-8)",
		"sip:dave@healthy.example: failed 192.0.2.20:5061 (404 Not Found)",
		"schemes offered: NTLM, Kerberos; chosen: Kerberos",
		"redirected to: sip:pool02.healthy.example:5061;transport=tls",
		"2026-12-07T07:40:10.100 -> 192.0.2.10:5061       REGISTER sip:healthy.example SIP/2.0 (CSeq 1 REGISTER)",
		"2026-12-07T07:40:10.170 <- 192.0.2.10:5061       SIP/2.0 401 Unauthorized (CSeq 1 REGISTER)",
		"… 1 more messages left out",
		"ms-diagnostics 1003 in a 404 (line 104, 1×): User does not exist.",
		"sipdisco predicts: connect, sip.healthy.example:5061 TLS",
		"agrees server: 192.0.2.10; predicted sip.healthy.example (192.0.2.10)",
		"note redirect: redirected (3xx) to sip:pool02.healthy.example:5061;transport=tls",
		"Left out (limits)",
		"2 ladder steps",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the text lacks %q:\n%s", want, out)
		}
	}
}

// TestMarkdownFull writes the TLS-DSK sample with every header: the
// redacted credentials show as [redacted], escaped as Markdown.
func TestMarkdownFull(t *testing.T) {
	l := read(t, "uccapi-tlsdsk-signin.uccapilog", logread.DefaultLimits())
	var b bytes.Buffer
	if err := WriteMarkdown(&b, l, nil, Options{Full: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"### Sign-in", `gssapi-data="\[redacted\]"`, `response="\[redacted\]"`, "Authorization: TLS-DSK"} {
		if !strings.Contains(out, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "S3CR3T") {
		t.Errorf("a secret in the Markdown:\n%s", out)
	}
}

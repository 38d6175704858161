//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/logread"
)

func runLogCLI(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"log"}, args...), bytes.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// TestLogJSON reads each sample through the command and checks the JSON
// contract's fields: format, the sign-in, the diagnostics and, for a
// client's log, the comparison with the prediction for its address
// (healthy.example answers from the embedded demo zone, with no network).
func TestLogJSON(t *testing.T) {
	tests := []struct {
		file, format, outcome, server string
		status                        int
		codes                         []int
		verdicts                      []string // kind=verdict of the comparison
	}{
		{"uccapi-tlsdsk-signin.uccapilog", "uccapilog", "signed-in", "192.0.2.10:5061", 200, nil, []string{"outcome=agrees", "server=agrees", "port=agrees", "scheme=note"}},
		{"uccapi-ntlm-403.uccapilog", "uccapilog", "failed", "192.0.2.10:5061", 403, []int{4004}, []string{"outcome=agrees", "server=agrees", "port=agrees", "scheme=note"}},
		{"uccapi-redirect-404.uccapilog", "uccapilog", "failed", "192.0.2.20:5061", 404, []int{1003}, []string{"outcome=agrees", "server=agrees", "port=agrees", "redirect=note", "scheme=note"}},
		{"server-1010.log", "server-trace", "failed", "", 504, []int{1010}, []string{"outcome=note"}},
		{"plain-kerberos.txt", "plain-sip", "signed-in", "", 200, nil, []string{"outcome=agrees", "scheme=note"}},
		{"lookalike-syslog.txt", "not-microsoft", "", "", 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, out, stderr := runLogCLI(t, nil, "--json", filepath.Join("..", "..", "logread", "testdata", tt.file))
			if code != 0 {
				t.Fatalf("exit %d; stderr %s", code, stderr)
			}
			var got struct {
				Format   string `json:"format"`
				Messages []struct {
					Direction, Remote, StartLine, CallID, CSeq, Time string
				} `json:"messages"`
				SignIn *struct {
					Outcome     string `json:"outcome"`
					Server      string `json:"server"`
					FinalStatus int    `json:"finalStatus"`
				} `json:"signIn"`
				Diagnostics []struct {
					Code    int    `json:"code"`
					Meaning string `json:"meaning"`
				} `json:"diagnostics"`
				Comparison *struct {
					Points []struct{ Kind, Verdict string } `json:"points"`
				} `json:"comparison"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("JSON: %v\n%s", err, out)
			}
			if got.Format != tt.format {
				t.Errorf("format = %q; want %q", got.Format, tt.format)
			}
			if tt.outcome == "" {
				if got.SignIn != nil || got.Comparison != nil {
					t.Errorf("signIn %+v, comparison %+v; want none", got.SignIn, got.Comparison)
				}
				return
			}
			if got.SignIn == nil || got.SignIn.Outcome != tt.outcome || got.SignIn.Server != tt.server || got.SignIn.FinalStatus != tt.status {
				t.Errorf("signIn = %+v; want %s at %q, %d", got.SignIn, tt.outcome, tt.server, tt.status)
			}
			var codes []int
			for _, d := range got.Diagnostics {
				codes = append(codes, d.Code)
				if d.Meaning == "" {
					t.Errorf("diagnostic %d has no meaning", d.Code)
				}
			}
			if !equalInts(codes, tt.codes) {
				t.Errorf("diagnostic codes %v; want %v", codes, tt.codes)
			}
			var verdicts []string
			if got.Comparison != nil {
				for _, p := range got.Comparison.Points {
					verdicts = append(verdicts, p.Kind+"="+p.Verdict)
				}
			}
			if strings.Join(verdicts, " ") != strings.Join(tt.verdicts, " ") {
				t.Errorf("comparison %v; want %v", verdicts, tt.verdicts)
			}
			if len(got.Messages) == 0 || got.Messages[0].CallID == "" || got.Messages[0].CSeq == "" || got.Messages[0].StartLine == "" {
				t.Errorf("messages %+v lack their fields", got.Messages)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLogSecrets runs every sample through every output (text, full
// text, Markdown, JSON) and wants none of the secrets the samples hold
// (each marked S3CR3T, and an instant message's password) in any of
// them.
func TestLogSecrets(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "logread", "testdata", "*"))
	marked := 0
	for _, f := range files {
		b, _ := os.ReadFile(f)
		marked += bytes.Count(b, []byte("S3CR3T"))
		for _, flags := range [][]string{nil, {"--full"}, {"--md", "--full"}, {"--json"}, {"--link"}} {
			code, out, stderr := runLogCLI(t, nil, append(flags, f)...)
			if code != 0 {
				t.Fatalf("%s %v: exit %d, %s", f, flags, code, stderr)
			}
			if i := strings.Index(out, "#l="); i >= 0 {
				// The link's data is compressed: what it opens as,
				// and its JSON, must hold no secret either.
				frag := strings.Fields(out[i:])[0]
				l, lad, err := logread.DecodeLink(frag)
				if err != nil {
					t.Fatalf("%s: the printed link does not open: %v", f, err)
				}
				a, _ := json.Marshal(l)
				b, _ := json.Marshal(lad)
				out += string(a) + string(b)
			} else if flags != nil && flags[0] == "--link" && !strings.Contains(stderr, "no sign-in") {
				t.Errorf("%s --link: no link and no reason:\n%s", f, stderr)
			}
			for _, s := range []string{"S3CR3T", "hunter2"} {
				if strings.Contains(out, s) || strings.Contains(stderr, s) {
					t.Errorf("%s %v: %q in the output:\n%s", filepath.Base(f), flags, s, out)
				}
			}
		}
	}
	if marked < 20 {
		t.Fatalf("the samples hold only %d marked secrets", marked)
	}
}

// TestLogHostile feeds a log whose header values carry terminal escapes
// and markup, from standard input: the text shows the escapes, the
// Markdown escapes the markup.
func TestLogHostile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "logread", "testdata", "uccapi-ntlm-403.uccapilog"))
	if err != nil {
		t.Fatal(err)
	}
	hostile := bytes.Replace(b, []byte(`reason="Credentials provided`), []byte("reason=\"\x1b[31m<img src=x onerror=alert(1)>[link](http://evil.example/)"), 1)
	code, out, _ := runLogCLI(t, hostile, "--no-predict", "-")
	if code != 0 || strings.Contains(out, "\x1b") || !strings.Contains(out, `\x1b[31m`) {
		t.Errorf("text: exit %d, escape not shown as text:\n%s", code, out)
	}
	code, out, _ = runLogCLI(t, hostile, "--no-predict", "--md", "-")
	if code != 0 || strings.Count(out, "<") != strings.Count(out, `\<`) || strings.Contains(out, "](") || !strings.Contains(out, `\<img`) {
		t.Errorf("Markdown: exit %d, markup not escaped:\n%s", code, out)
	}
}

// TestLogBadInput wants binary input, no file and a missing file refused
// with exit status 2 and a message that says why.
func TestLogBadInput(t *testing.T) {
	tests := []struct {
		name  string
		stdin []byte
		args  []string
		want  string
	}{
		{"binary", []byte("\x00\x01\x02PK\x03\x04"), []string{"-"}, "not a text log"},
		{"nul later", append(bytes.Repeat([]byte("line of text\n"), 100), 0, 0, '\n'), []string{"-"}, "line 101 holds binary data"},
		{"no file", nil, nil, "give one log file"},
		{"json and link", nil, []string{"--json", "--link", "-"}, "exclusive"},
		{"bad link base", nil, []string{"--link", "--link-base", "ftp://x/", "-"}, "not a site's address"},
		{"missing", nil, []string{"no-such-file.uccapilog"}, "no-such-file.uccapilog"},
	}
	for _, tt := range tests {
		code, _, stderr := runLogCLI(t, tt.stdin, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tt.name, code, stderr, exitUsage, tt.want)
		}
	}
}

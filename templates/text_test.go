package templates

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
)

func hostileTextReport() *engine.Report {
	evil := "\x1b[31m<script>alert(1)</script>|*x*](http://evil)"
	return &engine.Report{
		URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile, Policy: engine.DefaultPolicy(),
		Outcome:    engine.OutcomeFail,
		Candidates: []engine.Candidate{{Host: evil, Port: 5061, Transport: engine.TLS, Source: "_sip._tls.contoso.com", Reason: evil}},
		Steps:      []engine.Step{{Question: "_sip._tls.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{evil}, Round: 1}},
		Findings:   []engine.Finding{{Kind: engine.KindNamingRefused, Severity: engine.SeverityError, Subject: evil, Message: evil, Fix: evil}},
	}
}

func TestWriteTextEscapesControlCharacters(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, hostileTextReport()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsRune(out, '\x1b') {
		t.Errorf("WriteText passed an escape character through:\n%q", out)
	}
	if !strings.Contains(out, `\x1b[31m`) {
		t.Errorf("WriteText does not show the escaped control character:\n%s", out)
	}
}

func TestWriteMarkdownIsInert(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, hostileTextReport()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>", "](http", "\x1b", "|*x*"} {
		if strings.Contains(out, bad) {
			t.Errorf("WriteMarkdown output contains live %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `\<script\>`) {
		t.Errorf("WriteMarkdown does not show the escaped markup:\n%s", out)
	}
	// Table rows keep their column count: escaped pipes are not separators.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| 1 |") {
			if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 7 {
				t.Errorf("candidate row has %d separators; want 7: %s", n, line)
			}
		}
	}
}

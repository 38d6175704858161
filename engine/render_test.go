package engine

import (
	"bytes"
	"strings"
	"testing"
)

func hostileReport() *Report {
	evil := "\x1b[31m<script>alert(1)</script>|*x*](http://evil)"
	return &Report{
		URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: DefaultProfile, Policy: DefaultPolicy(),
		Outcome:    OutcomeFail,
		Candidates: []Candidate{{Host: evil, Port: 5061, Transport: TLS, Source: "_sip._tls.contoso.com", Reason: evil}},
		Steps:      []Step{{Question: "_sip._tls.contoso.com", Type: TypeSRV, RCode: RCodeSuccess, Answers: []string{evil}, Round: 1}},
		Findings:   []Finding{{Kind: KindNamingRefused, Severity: SeverityError, Subject: evil, Message: evil, Fix: evil}},
	}
}

func TestWriteTextEscapesControlCharacters(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, hostileReport()); err != nil {
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
	if err := WriteMarkdown(&b, hostileReport()); err != nil {
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

func TestRecordData(t *testing.T) {
	tests := []struct {
		r    Record
		want string
	}{
		{Record{Type: TypeSRV, Priority: 0, Weight: 5, Port: 5061, Target: "sip.contoso.com"}, "0 5 5061 sip.contoso.com."},
		{Record{Type: TypeSRV, Target: "."}, "0 0 0 ."},
		{Record{Type: TypeCNAME, Target: "pool.contoso.com"}, "pool.contoso.com."},
		{Record{Type: TypeTXT, Text: []string{`say "hi"\`, "caf\xc3\xa9\n"}}, `"say \"hi\"\\" "caf\195\169\010"`},
	}
	for _, tt := range tests {
		if got := tt.r.Data(); got != tt.want {
			t.Errorf("%+v.Data() = %s; want %s", tt.r, got, tt.want)
		}
	}
}

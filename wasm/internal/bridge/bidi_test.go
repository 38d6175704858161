//go:build js && wasm

package bridge

import (
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/textenc"
	"github.com/sipdisco/sipdisco/templates"
)

// TestRenderShowsBidiControls: a right-to-left override and an isolate in
// DNS answers reach the page's HTML written as \u202e and \u2066, visible
// and inert, not as characters the browser obeys (issue 26, class 2).
func TestRenderShowsBidiControls(t *testing.T) {
	r := &engine.Report{URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile,
		Policy: engine.DefaultPolicy(), Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "pool01.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.contoso.com"},
		Steps: []engine.Step{{Question: "_sipinternaltls._tcp.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess,
			Answers: []string{"0 0 5061 pool01.\u202emoc.osotnoc.", "0 0 5061 \u2066x\u2069.contoso.com."}, Round: 1}},
	}
	html, err := RenderReport(r, templates.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsFunc(html, textenc.IsBidiControl) {
		t.Errorf("the report's HTML holds a bidi control character:\n%s", html)
	}
	if !strings.Contains(html, `\u202emoc.`) || !strings.Contains(html, `\u2066x\u2069`) {
		t.Errorf("the report's HTML does not show the bidi controls as escapes:\n%s", html)
	}
}

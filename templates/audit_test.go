package templates

import (
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/audit"
)

func TestAuditResult(t *testing.T) {
	rows := []audit.Row{
		{Line: 2, Address: "bob@contoso.com", Outcome: "connect", Target: "sip.contoso.com", Port: 5061, Transport: "TLS"},
		{Line: 3, Address: `<script>alert(1)</script>`, Outcome: audit.OutcomeBadInput, Error: `bad address "<img src=x onerror=alert(1)>"`},
		{Line: 5, Address: "eve@evil.example", Outcome: "fail", Error: `no-records: <b>none</b>`},
	}
	links := []string{"./?uri=bob%40contoso.com&doh=local", "./?uri=x", "javascript:alert(1)"}
	sum := audit.Summary{Total: 3, Connect: 1, Fail: 1, BadInput: 1}
	v := NewAuditResultView(rows, links, sum, "local")
	if v.Rows[1].Link != "" || !v.Rows[1].Bad {
		t.Errorf("bad line row = %+v; want Bad and no link", v.Rows[1])
	}
	if v.Rows[0].Target != "sip.contoso.com:5061 TLS" {
		t.Errorf("target = %q; want sip.contoso.com:5061 TLS", v.Rows[0].Target)
	}
	html := render(t, AuditResult(v))
	for _, bad := range []string{"<script>", "<img", "<b>", `href="javascript:`} {
		if strings.Contains(html, bad) {
			t.Errorf("the audit table holds %q unescaped", bad)
		}
	}
	for _, want := range []string{"3 addresses: 1 connect, 1 fail, 0 indeterminate, 1 bad input", "Line 3: ", `data-line="5"`, `href="./?uri=bob%40contoso.com&amp;doh=local"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the audit table lacks %q", want)
		}
	}
}

func TestAuditPage(t *testing.T) {
	site := Site{Base: "/", CSS: "/style.css", WASM: "/main.wasm"}
	html := render(t, AuditPage(NewAuditView(site, []Resolver{{URL: "local", Label: "This server"}}, "/audit.js")))
	for _, want := range []string{`<script src="/audit.js" defer>`, `id="audit-list"`, `aria-current="page">Audit`, "At most 2000 addresses"} {
		if !strings.Contains(html, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Error("audit page has an inline script")
	}
}

package templates

import (
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/engine"
)

func TestAuditResult(t *testing.T) {
	rows := []audit.Row{
		{Line: 2, Address: "bob@contoso.com", Outcome: "connect", State: "signs-in-with-problems", Target: "sip.contoso.com", Port: 5061, Transport: "TLS"},
		{Line: 3, Address: `<script>alert(1)</script>`, Outcome: audit.OutcomeBadInput, Error: `bad address "<img src=x onerror=alert(1)>"`},
		{Line: 5, Address: "eve@evil.example", Outcome: "fail", Error: `no-records: <b>none</b>`},
	}
	links := []string{"./?uri=bob%40contoso.com&doh=local", "./?uri=x", "javascript:alert(1)"}
	sum := audit.Summary{Total: 3, Connect: 1, Fail: 1, BadInput: 1, WithProblems: 1}
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
	for _, want := range []string{"3 addresses: 1 connect (0 sign in, 1 with problems), 1 fail, 0 indeterminate, 1 bad input", `data-state="signs-in-with-problems"`, `data-testid="audit-state"`, "Line 3: ", `data-line="5"`, `href="./?uri=bob%40contoso.com&amp;doh=local"`} {
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

// TestAuditClients: each address's row lists every client generation's
// outcome, the audit's own client marked, a server named only where it
// differs from the address's, every value escaped; a bad line has none.
func TestAuditClients(t *testing.T) {
	rows := []audit.Row{
		{Line: 1, Address: "bob@contoso.com", Profile: "lync-2013", Outcome: "connect", Target: "pool01.contoso.com", Port: 5061, Transport: "TLS",
			Clients: []engine.ClientRow{
				{Profile: "communicator-2007-r2", Title: "Office Communicator 2007 R2", Outcome: engine.OutcomeFail},
				{Profile: "lync-2013", Title: "Lync 2013 / Skype for Business 2015", Outcome: engine.OutcomeConnect, Target: "pool01.contoso.com:5061 TLS"},
				{Profile: "skype-2016", Title: "Skype for Business 2016–2024", Outcome: engine.OutcomeConnect, Target: "<b>edge</b>.contoso.com:443 TLS"},
			}},
		{Line: 2, Address: "nope", Outcome: audit.OutcomeBadInput, Error: "bad"},
	}
	v := NewAuditResultView(rows, nil, audit.Summary{Total: 2, Connect: 1, BadInput: 1}, "local")
	if got := len(v.Rows[0].Clients); got != 3 {
		t.Fatalf("%d clients; want 3", got)
	}
	if c := v.Rows[0].Clients[1]; !c.Chosen || v.Rows[0].Clients[0].Chosen {
		t.Errorf("chosen marks: %+v; want only the audit's client (lync-2013)", v.Rows[0].Clients)
	}
	html := render(t, AuditResult(v))
	if strings.Contains(html, "<b>edge") {
		t.Error("a client's server is not escaped")
	}
	for _, want := range []string{`data-label="Every client"`, `<li class="chosen" data-outcome="connect">`, `data-outcome="fail"><span class="verdict fail">fail</span> Office Communicator 2007 R2`, "Office Communicator 2007 R2", "&lt;b&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("the audit table lacks %q", want)
		}
	}
	// The chosen client's server is the row's: not repeated.
	if n := strings.Count(html, "pool01.<wbr>contoso.<wbr>com:5061 TLS"); n != 1 {
		t.Errorf("pool01.contoso.com:5061 TLS appears %d times; want once, in the Server column", n)
	}
	if n := strings.Count(html, `class="audit-clients"`); n != 1 {
		t.Errorf("%d client lists; want 1 (none for the bad line)", n)
	}
}

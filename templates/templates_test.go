package templates

import (
	"context"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b.String()
}

func healthyReport() *engine.Report {
	return &engine.Report{
		URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile,
		Policy:  engine.DefaultPolicy(),
		Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "pool01.contoso.com", Port: 5061, Transport: engine.TLS,
			Addresses: []string{"192.0.2.10"}, Source: "_sipinternaltls._tcp.contoso.com"},
		Candidates: []engine.Candidate{
			{Host: "pool01.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.contoso.com", Accepted: true, Reason: "pool01.contoso.com is under contoso.com (loose naming)"},
			{Host: "sip.other.net", Port: 443, Transport: engine.TLS, Source: "_sip._tls.contoso.com", Reason: "sip.other.net is outside contoso.com"},
		},
		Steps: []engine.Step{
			{Question: "_sipinternaltls._tcp.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 5061 pool01.contoso.com."}, MS: 12, Round: 1},
			{Question: "_sipinternal._tcp.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeNameError, MS: 11, Round: 1},
			{Question: "_sip._tls.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 443 sip.other.net."}, MS: 13, Round: 1},
			{Question: "pool01.contoso.com", Type: engine.TypeA, RCode: engine.RCodeSuccess, Answers: []string{"192.0.2.10"}, MS: 9, Round: 2},
		},
		Register: &engine.Exchange{Client: engine.DefaultProfile, Outcome: engine.SignInRegistered, Protocol: signin.Kerberos,
			Explanation: "The server accepts the Kerberos ticket.",
			Messages: []engine.Message{
				{Direction: engine.ClientToServer, Label: "REGISTER (CSeq 1)", StartLine: "REGISTER sip:contoso.com SIP/2.0",
					Headers: []engine.Header{{Name: "From", Value: "<sip:bob@contoso.com>;tag=1"}}},
				{Direction: engine.ServerToClient, Label: "401 Unauthorized", StartLine: "SIP/2.0 401 Unauthorized",
					Headers: []engine.Header{{Name: "WWW-Authenticate", Value: `Kerberos realm="SIP Communications Service", targetname="sip/pool01.contoso.com", version=3`}}},
			}},
		Findings: []engine.Finding{{Kind: "srv-target-refused", Severity: engine.SeverityWarning, Subject: "_sip._tls.contoso.com",
			Message: "The Access Edge SRV target sip.other.net is outside contoso.com.", Fix: "Point _sip._tls.contoso.com at sip.contoso.com."}},
	}
}

// hostileReport carries markup in every field DNS or the user controls.
func hostileReport() *engine.Report {
	const s = `<script>alert(1)</script>`
	const img = `<img src=x onerror=alert(2)>`
	r := healthyReport()
	r.URI = "sip:" + s + "@contoso.com"
	r.Target.Host = s + ".contoso.com"
	r.Target.Addresses = []string{img}
	r.Target.Source = img
	r.Candidates[0].Host = s
	r.Candidates[0].Reason = img
	r.Steps[0].Answers = []string{`0 0 5061 ` + s + `.`, `"` + img + `"`}
	r.Steps[1].Error = s
	r.Findings[0].Message = s
	r.Findings[0].Fix = img
	r.Findings[0].Subject = `"><svg onload=alert(3)>`
	r.Policy.ManualInternal = s
	r.Register.Messages[0].Headers[0].Value = "<sip:" + s + ">"
	r.Register.Explanation = img
	return r
}

func TestReportEscapesHostileData(t *testing.T) {
	r := hostileReport()
	out := render(t, Report(NewReportView(r, ReportOptions{
		ShareLink:    `javascript:alert(4)`,
		SnapshotLink: "#s=<script>",
		TakenAt:      "<b>now</b>",
	})))
	for _, bad := range []string{"<script", "<img", "<svg onload", "javascript:alert", "<b>"} {
		if strings.Contains(out, bad) {
			i := strings.Index(out, bad)
			t.Errorf("rendered report contains %q unescaped: …%s…", bad, out[max(0, i-80):min(len(out), i+80)])
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered report lacks escaped text %q", want)
		}
	}
}

func TestReportHooks(t *testing.T) {
	out := render(t, Report(NewReportView(healthyReport(), ReportOptions{ShareLink: "?uri=bob%40contoso.com", SnapshotLink: "#s=abc"})))
	for _, id := range []string{"outcome", "target", "candidates", "steps", "findings", "register", "share-link"} {
		if !strings.Contains(out, `data-testid="`+id+`"`) {
			t.Errorf("report lacks data-testid=%q", id)
		}
	}
	for _, want := range []string{`data-outcome="connect"`, "pool01.contoso.com:5061", "refused", "Point _sip._tls.contoso.com at sip.contoso.com.", `href="?uri=bob%40contoso.com"`, `data-register="registered"`, "401 Unauthorized", `class="ladder-svg"`, "targetname=&#34;sip/pool01.contoso.com&#34;"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestHeadline(t *testing.T) {
	noFallback := healthyReport()
	noFallback.Outcome, noFallback.Target = engine.OutcomeFail, nil
	for i := range noFallback.Candidates {
		noFallback.Candidates[i].Accepted = false
	}
	servfail := healthyReport()
	servfail.Outcome, servfail.Target = engine.OutcomeIndeterminate, nil
	servfail.Steps[2].RCode = engine.RCodeServerFailure
	servfail.Steps[2].Answers = nil

	signInFails := healthyReport()
	signInFails.Register.Outcome = engine.SignInFailed

	tests := []struct {
		name  string
		r     *engine.Report
		label string
		text  string
		head  string
	}{
		{"connect", healthyReport(), "Connects", "Found through _sipinternaltls._tcp.contoso.com.", "The client signs in to pool01.contoso.com:5061 over TLS"},
		{"connect, sign-in fails", signInFails, "Connects", "Found through _sipinternaltls._tcp.contoso.com.", "The client reaches pool01.contoso.com:5061 over TLS, but its sign-in fails"},
		{"srv exists, no fallback", noFallback, "Fails", "does not fall back", ""},
		{"servfail", servfail, "Indeterminate", "_sip._tls.contoso.com SRV failed: the DNS resolver answered SERVFAIL", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := NewReportView(tt.r, ReportOptions{})
			if v.OutcomeLabel != tt.label {
				t.Errorf("OutcomeLabel = %q; want %q", v.OutcomeLabel, tt.label)
			}
			if !strings.Contains(v.Explanation, tt.text) {
				t.Errorf("Explanation = %q; want it to contain %q", v.Explanation, tt.text)
			}
			if tt.head != "" && v.Headline != tt.head {
				t.Errorf("Headline = %q; want %q", v.Headline, tt.head)
			}
			if v.Target != nil && tt.r.Outcome != engine.OutcomeConnect {
				t.Errorf("Target set for outcome %s", tt.r.Outcome)
			}
			for _, n := range v.Flow.Nodes {
				if n.Label == "No SRV record at all" && tt.r.Outcome != engine.OutcomeConnect {
					t.Errorf("flow claims no SRV record exists: %+v", v.Flow.Nodes)
				}
			}
			last := v.Flow.Nodes[len(v.Flow.Nodes)-1]
			if want := map[string]string{"Connects": "ok", "Fails": "bad", "Indeterminate": "unknown"}[tt.label]; last.State != want {
				t.Errorf("last flow node state = %q; want %q", last.State, want)
			}
		})
	}
}

func TestPagesRender(t *testing.T) {
	site := Site{Base: "/", CSS: "/style.css", JS: "/app.js", WASM: "/main.wasm"}
	resolvers := []Resolver{{URL: "local", Label: "This server"}}
	pages := map[string]templ.Component{
		"analyzer": AnalyzerPage(NewAnalyzerView(site, resolvers)),
		"docs":     DocsIndexPage(NewDocsIndex(site)),
		"about":    AboutPage(NewAboutView(site, resolvers)),
	}
	for _, p := range engine.Profiles() {
		pages[p.Name] = ProfileDocPage(NewProfileDoc(site, p))
	}
	for name, c := range pages {
		out := render(t, c)
		if !strings.HasPrefix(out, "<!doctype html>") && !strings.HasPrefix(out, "<!DOCTYPE html>") {
			t.Errorf("%s: does not start with a doctype: %.40q", name, out)
		}
		if strings.Contains(out, "<script>") {
			t.Errorf("%s: has an inline script", name)
		}
	}
	a := render(t, pages["analyzer"])
	for _, want := range []string{`<script src="/app.js" defer>`, `data-wasm="/main.wasm"`, `value="communicator-2007-r2" selected`, `id="uri"`} {
		if !strings.Contains(a, want) {
			t.Errorf("analyzer page lacks %q", want)
		}
	}
}

func TestManualReportShowsDiscovery(t *testing.T) {
	r := healthyReport()
	r.Policy.ManualInternal = "pool01.contoso.com:5061"
	d := healthyReport()
	d.Register = nil
	r.Discovery = d
	out := render(t, Report(NewReportView(r, ReportOptions{ShareLink: "?uri=x"})))
	if !strings.Contains(out, "What DNS discovery would have done") {
		t.Error("manual report lacks the discovery comparison")
	}
	if n := strings.Count(out, `data-testid="share-link"`); n != 1 {
		t.Errorf("manual report has %d share links; want 1", n)
	}
	if strings.Count(out, `id="r-headline"`) != 1 || strings.Count(out, `id="d-headline"`) != 1 {
		t.Error("the main report and the comparison must use distinct element ids")
	}
}

// TestViewChecksShown: the questions sipdisco asks to check the DNS say
// why in every rendering, never stand for the client's lookups (a failed
// probe does not explain an indeterminate result, an internal-only SRV
// answer does not rule out the fallback), and a known view is named.
func TestViewChecksShown(t *testing.T) {
	r := healthyReport()
	r.View = engine.ViewOutside
	r.Resolver = &engine.ResolverInfo{Kind: engine.ResolverDoH, Description: "https://cloudflare-dns.com/dns-query"}
	r.Outcome, r.Target = engine.OutcomeIndeterminate, nil
	r.Steps[2].RCode = engine.RCodeServerFailure
	r.Steps = append([]engine.Step{
		{Question: "sipdisco-probe-k3x9q2m7ab.contoso.com", Type: engine.TypeA, RCode: engine.RCodeServerFailure, Round: 1, Purpose: engine.PurposeWildcardProbe},
	}, r.Steps...)
	v := NewReportView(r, ReportOptions{})
	if !strings.Contains(v.Explanation, "_sip._tls.contoso.com SRV failed") {
		t.Errorf("Explanation = %q; want the client's failed lookup, not the probe", v.Explanation)
	}
	html := render(t, Report(v))
	var text, md strings.Builder
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	why := engine.PurposeText(engine.PurposeWildcardProbe)
	for name, out := range map[string]string{"HTML": html, "text": text.String(), "Markdown": md.String()} {
		if !strings.Contains(out, why) {
			t.Errorf("%s lacks the probe's purpose %q", name, why)
		}
		if !strings.Contains(out, "outside") {
			t.Errorf("%s does not name the outside view", name)
		}
	}
	if !strings.Contains(text.String(), "Answers from: https://cloudflare-dns.com/dns-query; the outside view") {
		t.Errorf("text lacks the view on its Answers from line:\n%s", text.String())
	}

	// An SRV record only the outside view's check asked says nothing of
	// the client's fallback.
	fb := healthyReport()
	fb.Outcome, fb.Target, fb.Candidates = engine.OutcomeFail, nil, nil
	fb.Steps = []engine.Step{
		{Question: "_sipinternaltls._tcp.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeNameError, Round: 1},
		{Question: "_sip._tls.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeNameError, Round: 1},
		{Question: "_sipinternal._tcp.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 5060 pool01.contoso.com."}, Round: 1, Purpose: engine.PurposeInternalOnly},
	}
	if v := NewReportView(fb, ReportOptions{}); strings.Contains(v.Explanation, "SRV records exist") {
		t.Errorf("Explanation = %q; an internal-only check is not the client's SRV lookup", v.Explanation)
	}
}

// TestStepFromShown: an answer read from another answer's additional
// section, not asked, says so in every rendering; a question asked says
// nothing of it.
func TestStepFromShown(t *testing.T) {
	r := healthyReport()
	r.Steps[3].Round, r.Steps[3].MS, r.Steps[3].From = 1, 12, "_sipinternaltls._tcp.contoso.com SRV"
	html := render(t, Report(NewReportView(r, ReportOptions{})))
	var text, md strings.Builder
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	const want = "read from the additional section of the answer to _sipinternaltls._tcp.contoso.com SRV"
	// Markdown escapes the underscores and parentheses.
	unescaped := strings.ReplaceAll(md.String(), `\`, "")
	for name, out := range map[string]string{"HTML": html, "text": text.String(), "Markdown": unescaped} {
		if n := strings.Count(out, "additional section"); n != 1 || !strings.Contains(out, want) {
			t.Errorf("%s says %q %d times; want once, for pool01.contoso.com A:\n%s", name, want, n, out)
		}
	}
	for _, l := range strings.Split(text.String(), "\n") {
		if strings.Contains(l, "additional section") && !strings.Contains(l, "pool01.contoso.com A") {
			t.Errorf("text: the additional section is named on another step's line: %q", l)
		}
	}
}

// TestPlainWhy: the banner says why a lookup failed in words, never with
// the resolver's raw error, and a failure another resolver could answer
// offers the same check with the public resolvers.
func TestPlainWhy(t *testing.T) {
	local := &engine.ResolverInfo{Kind: engine.ResolverLocal}
	for _, c := range []struct {
		step engine.Step
		res  *engine.ResolverInfo
		want string
	}{
		{engine.Step{RCode: engine.RCodeRefused}, local, "answers only the demo domains"},
		{engine.Step{RCode: engine.RCodeRefused}, nil, "refused to answer for contoso.com"},
		{engine.Step{Error: "no response from dns.google (TypeError: Failed to fetch): the resolver is unreachable, refused the request, does not allow this page (CORS), or is not allowed by this page's Content-Security-Policy"}, nil, "could not reach the DNS resolver"},
		{engine.Step{Error: "dohclient: packing the query: segment length too long"}, nil, "cannot be asked in DNS"},
	} {
		r := &engine.Report{Domain: "contoso.com", Resolver: c.res}
		got := plainWhy(c.step, r, false)
		if !strings.Contains(got, c.want) {
			t.Errorf("plainWhy(%+v) = %q; want it to say %q", c.step, got, c.want)
		}
		for _, raw := range []string{"Failed to fetch", "CORS", "packing", "dohclient", "REFUSED"} {
			if strings.Contains(got, raw) {
				t.Errorf("plainWhy(%+v) = %q: the raw %q", c.step, got, raw)
			}
		}
	}
	ch := choices("?uri=bob%40contoso.com&profile=lync-2013&doh=local", &engine.Report{})
	if len(ch) != len(check.PublicResolvers) {
		t.Fatalf("choices = %+v; want one per public resolver", ch)
	}
	for i, c := range ch {
		q, err := url.ParseQuery(strings.TrimPrefix(c.Href, "?"))
		if err != nil || q.Get("doh") != check.PublicResolvers[i].URL || q.Get("uri") != "bob@contoso.com" || q.Get("profile") != "lync-2013" {
			t.Errorf("choice %+v: want the same check with %s", c, check.PublicResolvers[i].URL)
		}
	}
	if ch := choices("?uri=bob%40contoso.com&doh="+url.QueryEscape(check.PublicResolvers[0].URL), &engine.Report{}); len(ch) != len(check.PublicResolvers)-1 {
		t.Errorf("choices from a public resolver = %+v; want the others only", ch)
	}
}

// TestUncountedWarnings: a warning the banner does not count as a
// problem (engine.IsProblem) says on its line that it does not change
// the result, so that "1 problem" above two warnings reads true; a
// counted warning and an error do not.
func TestUncountedWarnings(t *testing.T) {
	r := healthyReport()
	r.Findings = []engine.Finding{
		{Kind: engine.KindPoolNoClientTCP, Severity: engine.SeverityWarning, Subject: "_sipinternal._tcp.contoso.com", Message: "m1"},
		{Kind: engine.KindInternalNameOutside, Severity: engine.SeverityWarning, Subject: "sipinternal.contoso.com", Message: "m2"},
		{Kind: engine.KindAddressNotGlobal, Severity: engine.SeverityError, Subject: "pool01.contoso.com", Message: "m3"},
	}
	r.State = engine.StateOf(r)
	out := render(t, Report(NewReportView(r, ReportOptions{})))
	if n := strings.Count(out, `data-testid="uncounted"`); n != 1 {
		t.Fatalf("%d findings marked as not changing the result; want 1 (%s)", n, engine.KindPoolNoClientTCP)
	}
	i := strings.Index(out, `data-testid="uncounted"`)
	j, k := strings.LastIndex(out[:i], `<li class="finding`), strings.Index(out[i:], "</li>")
	if j < 0 || k < 0 || !strings.Contains(out[j:i+k], "#"+string(engine.KindPoolNoClientTCP)+`"`) {
		t.Errorf("the mark is not on the %s warning's line", engine.KindPoolNoClientTCP)
	}
	if got := len(engine.Problems(r)); got != 2 {
		t.Errorf("%d problems; want 2 (the error and the counted warning)", got)
	}
	for name, write := range map[string]func(io.Writer, *engine.Report) error{"text": WriteText, "Markdown": WriteMarkdown} {
		var b strings.Builder
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		var marked []string
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.Contains(l, uncountedWords) {
				marked = append(marked, l)
			}
		}
		if len(marked) != 1 || !strings.Contains(marked[0], string(engine.KindPoolNoClientTCP)) {
			t.Errorf("%s: lines saying %q: %q; want the %s warning's alone", name, uncountedWords, marked, engine.KindPoolNoClientTCP)
		}
	}
}

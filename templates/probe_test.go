package templates

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/textenc"
)

// probedReport is healthyReport observed: the first candidate answered a
// 401 over TLS, and a second, over TCP, refused the connection. evil goes
// into every string a server controls.
func probedReport(evil string) *engine.Report {
	r := healthyReport()
	at := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	r.Probe = &engine.Probe{Address: "sip:bob@contoso.com", Client: engine.DefaultProfile, Started: "2026-11-25T14:00:00Z",
		Attempts: []engine.ProbeAttempt{{
			Host: "pool01.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.contoso.com",
			Reason: engine.ConnectionDiscovered, Remote: "192.0.2.10:5061", ConnectMS: 3, Outcome: engine.ProbeAnswered, ResponseMS: 4,
			TLS: &engine.ProbeTLS{ServerName: "pool01.contoso.com", Version: "TLS 1.2", CipherSuite: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" + evil,
				HandshakeMS: 9, Covered: true, By: "DNS:pool01.contoso.com", InValidity: true, ServerAuth: true, ChainOK: true,
				Chain: []engine.CertSummary{{Subject: "CN=pool01.contoso.com" + evil, Issuer: "CN=Contoso Root CA", DNSNames: []string{"pool01.contoso.com", evil},
					NotBefore: at, NotAfter: at.AddDate(1, 0, 0)}},
				Trust: []engine.CertTrust{{Roots: "system", Problem: "unknown-authority", Error: evil}}},
			Request: &engine.Message{Direction: engine.ClientToServer, StartLine: "REGISTER sip:contoso.com SIP/2.0",
				Headers: []engine.Header{{Name: "From", Value: "<sip:bob@contoso.com>;tag=1"}}},
			Response: &engine.SIPResponse{StartLine: "SIP/2.0 401 Unauthorized" + evil, Status: 401, Reason: "Unauthorized",
				Headers: []engine.Header{{Name: "WWW-Authenticate", Value: `NTLM realm="` + evil + `"`}, {Name: "Server", Value: evil}},
				Server:  evil,
				Challenges: []engine.SIPChallenge{{Header: "WWW-Authenticate", Scheme: "NTLM", Protocol: "NTLM", Realm: evil,
					TargetName: "pool01.contoso.com", Version: 3}},
				Diagnostics: []engine.SIPDiagnostic{{Header: "ms-diagnostics", Code: 1003, Reason: evil, Source: "pool01.contoso.com",
					Documented: "User does not exist.", Meaning: "No user has this SIP URI."}}},
			Findings: []engine.Finding{{Kind: engine.KindProbeChallenge, Severity: engine.SeverityInfo, Subject: "pool01.contoso.com:5061",
				Message: "The server (Server: " + evil + ") challenges.", Fix: "Nothing to fix."}},
		}, {
			Host: "pool01.contoso.com", Port: 5060, Transport: engine.TCP, Source: "_sipinternal._tcp.contoso.com",
			Reason: engine.ConnectionDiscovered, Outcome: engine.ProbeFailed,
			Failure:  &engine.ProbeFailure{Stage: "connect", Kind: "refused", Message: "192.0.2.10:5060: connection refused" + evil},
			Findings: []engine.Finding{},
		}},
		Findings: []engine.Finding{{Kind: engine.KindProbeDiffersVersion, Severity: engine.SeverityInfo, Subject: "pool01.contoso.com:5061",
			Message: "The server's challenges carry version=4" + evil, Fix: "Nothing to fix."}},
	}
	return r
}

// TestProbeText: the text and Markdown reports show what the servers
// answered, every server string made safe for a terminal and inert in
// Markdown.
func TestProbeText(t *testing.T) {
	const evil = "\x1b[2J<script>alert(1)</script>|*x*](http://evil)"
	r := probedReport(evil)
	var text, md bytes.Buffer
	if err := WriteTextFull(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"WHAT THE REAL SERVERS ANSWERED",
		"No password, NTLM message or Kerberos ticket was sent.",
		"[answered] pool01.contoso.com:5061 TLS  from _sipinternaltls._tcp.contoso.com, 192.0.2.10:5061, connected in 3 ms",
		"TLS: TLS 1.2, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
		"Certificate 1: CN=pool01.contoso.com",
		"Trust: not trusted by the system roots",
		"WWW-Authenticate: NTLM (realm ",
		"ms-diagnostics: 1003 ",
		"[failed] pool01.contoso.com:5060 TCP",
		"Failed: 192.0.2.10:5060: connection refused",
		"> REGISTER sip:contoso.com SIP/2.0",
		"< SIP/2.0 401 Unauthorized",
		"INFO probe-differs-version (pool01.contoso.com:5061)",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text report lacks %q:\n%s", want, text.String())
		}
	}
	if strings.ContainsRune(text.String(), '\x1b') || !strings.Contains(text.String(), `\x1b[2J`) {
		t.Errorf("the text report passes a server's escape character through:\n%q", text.String())
	}
	for _, bad := range []string{"<script>", "](http", "\x1b", "|*x*"} {
		if strings.Contains(md.String(), bad) {
			t.Errorf("the Markdown report holds a live %q:\n%s", bad, md.String())
		}
	}
	if !strings.Contains(md.String(), "### What the real servers answered") || !strings.Contains(md.String(), `\<script\>`) {
		t.Errorf("the Markdown report lacks the observation, escaped:\n%s", md.String())
	}
}

// TestProbeSection: the page renders a report's probe, every server
// string escaped, and renders nothing of the kind without one.
func TestProbeSection(t *testing.T) {
	const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	out := render(t, Report(NewReportView(probedReport(evil), ReportOptions{})))
	for _, bad := range []string{"<script", "<img"} {
		if strings.Contains(out, bad) {
			t.Errorf("the page holds a live %q", bad)
		}
	}
	for _, want := range []string{`data-testid="probe"`, `data-answered="true"`, `data-outcome="answered"`, `data-outcome="failed"`,
		`data-testid="probe-request"`, `data-testid="probe-response"`, `data-kind="probe-differs-version"`,
		"&lt;script&gt;alert(1)&lt;/script&gt;", "What the real servers answered"} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if out := render(t, Report(NewReportView(healthyReport(), ReportOptions{}))); strings.Contains(out, `data-testid="probe"`) {
		t.Error("a report without a probe shows a probe section")
	}
}

// TestLinks: the links after a text or Markdown report.
func TestLinks(t *testing.T) {
	l := Links{Live: "http://127.0.0.1:8080/?uri=bob%40contoso.com", Snapshot: "http://127.0.0.1:8080/#s=abc_-", Probe: true}
	var text, md bytes.Buffer
	if err := WriteTextLinks(&text, l); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdownLinks(&md, l); err != nil {
		t.Fatal(err)
	}
	if want := "  Snapshot (these DNS answers and what the servers answered): http://127.0.0.1:8080/#s=abc_-\n"; !strings.Contains(text.String(), want) {
		t.Errorf("text links = %q; want %q", text.String(), want)
	}
	if want := "- Rerun the check \\(DNS and the simulation; a page cannot observe servers\\): <http://127.0.0.1:8080/?uri=bob%40contoso.com>\n"; !strings.Contains(md.String(), want) {
		t.Errorf("Markdown links = %q; want %q", md.String(), want)
	}
	md.Reset()
	WriteMarkdownLinks(&md, Links{Snapshot: "http://x/#s=<b>"})
	if strings.Contains(md.String(), "<b>") {
		t.Errorf("a link that could end an autolink is written as it is: %q", md.String())
	}
}

// autodiscoverReport is probedReport with an Autodiscover observation
// whose every server-controlled string holds evil.
func autodiscoverReport(evil string) *engine.Report {
	r := probedReport("")
	r.Probe.Autodiscover = &engine.AutodiscoverProbe{
		Requests: []engine.WebRequest{{
			Purpose: engine.WebRoot, URL: "https://lyncdiscoverinternal.contoso.com/?sipuri=bob@contoso.com", Host: "lyncdiscoverinternal.contoso.com", Port: 443,
			Remote: "192.0.2.20:443", RequestLine: "GET /?sipuri=bob@contoso.com HTTP/1.1",
			RequestHeaders: []engine.Header{{Name: "Accept", Value: "application/vnd.microsoft.rtc.autodiscover+xml;v=1"}},
			StatusLine:     "HTTP/1.1 200 OK", Status: 200, Headers: []engine.Header{{Name: "Server", Value: evil}},
			Document: &engine.AutodiscoverDocument{Format: "xml", AccessLocation: "Internal" + evil,
				Links: []engine.AutodiscoverLink{{Token: "Redirect", Href: "https://webpool02.contoso.com/" + evil}, {Token: evil, Href: evil}}},
			Outcome: engine.ProbeAnswered, Findings: []engine.Finding{},
		}, {
			Purpose: engine.WebUser, URL: "https://webpool02.contoso.com/user", Host: "webpool02.contoso.com", Port: 443,
			RequestLine: "GET /user HTTP/1.1", StatusLine: "HTTP/1.1 401 Unauthorized", Status: 401,
			WebTicket: &engine.WebTicket{URL: "https://webpool02.contoso.com/WebTicket/" + evil, OAuthHref: evil, GrantTypes: []string{evil}},
			Outcome:   engine.ProbeAnswered,
			Findings: []engine.Finding{{Kind: engine.KindAutodiscoverWebTicket, Severity: engine.SeverityInfo, Subject: "https://webpool02.contoso.com/user",
				Message: "401 with " + evil, Fix: "Nothing to fix."}},
		}},
		Findings: []engine.Finding{{Kind: engine.KindAutodiscoverAnswered, Severity: engine.SeverityInfo, Subject: "lyncdiscoverinternal.contoso.com",
			Message: "answered " + evil, Fix: "Nothing to fix."}},
	}
	return r
}

// TestAutodiscoverRendered: text, Markdown and the page show the
// Autodiscover observation's requests, links and web ticket location,
// every value from the web service escaped.
func TestAutodiscoverRendered(t *testing.T) {
	const evil = "\x1b[2J<script>alert(1)</script>|*x*](http://evil)"
	r := autodiscoverReport(evil)
	var text, md bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"The Autodiscover web service (asked first, without credentials):",
		" 1. [answered] root https://lyncdiscoverinternal.contoso.com/?sipuri=bob@contoso.com  192.0.2.20:443, connected in 0 ms",
		"GET /?sipuri=bob@contoso.com HTTP/1.1 → HTTP/1.1 200 OK",
		"Link Redirect: https://webpool02.contoso.com/",
		"Web ticket: X-MS-WebTicketURL https://webpool02.contoso.com/WebTicket/",
		"INFO autodiscover-answered (lyncdiscoverinternal.contoso.com)",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text report lacks %q:\n%s", want, text.String())
		}
	}
	if strings.ContainsRune(text.String(), '\x1b') {
		t.Errorf("the text report passes the web service's escape character through")
	}
	for _, bad := range []string{"<script>", "](http", "\x1b", "|*x*"} {
		if strings.Contains(md.String(), bad) {
			t.Errorf("the Markdown report holds a live %q:\n%s", bad, md.String())
		}
	}
	if !strings.Contains(md.String(), "#### The Autodiscover web service") || !strings.Contains(md.String(), `Link Redirect: https://webpool02.contoso.com/\\x1b\[2J\<script\>`) {
		t.Errorf("the Markdown report lacks the Autodiscover links, escaped:\n%s", md.String())
	}
	out := render(t, Report(NewReportView(autodiscoverReport(`<script>alert(1)</script><img src=x onerror=alert(2)>`), ReportOptions{})))
	for _, bad := range []string{"<script", "<img"} {
		if strings.Contains(out, bad) {
			t.Errorf("the page holds a live %q", bad)
		}
	}
	for _, want := range []string{`data-testid="probe-autodiscover"`, `data-testid="web-attempt"`, `data-testid="web-request"`,
		`data-kind="autodiscover-web-ticket"`, "Link Redirect: https://webpool02.contoso.com/&lt;script&gt;", `data-testid="probe-attempt"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestAutodiscoverPrediction: a sign-in predicted through the
// Autodiscover web service says in its headline, in every rendering,
// that it is a prediction and how to observe it.
func TestAutodiscoverPrediction(t *testing.T) {
	r := healthyReport()
	r.Profile = "lync-2013"
	r.Target = &engine.Target{Host: "lyncdiscover.contoso.com", Port: 443, Transport: engine.TLS, Addresses: []string{"203.0.113.30"}, Source: engine.SourceAutodiscover}
	var text, md bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"CONNECT (PREDICTED): The client likely signs in through the Autodiscover web service at lyncdiscover.contoso.com. Predicted, not observed",
		"Run sipdisco check --connect to observe it.",
		"Target: lyncdiscover.contoso.com:443 TLS  addresses 203.0.113.30  (the Autodiscover web service the client asks",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text report lacks %q:\n%s", want, text.String())
		}
	}
	if !strings.Contains(md.String(), `**CONNECT \(PREDICTED\)** — The client likely signs in through the Autodiscover web service`) {
		t.Errorf("the Markdown report lacks the prediction:\n%s", md.String())
	}
	out := render(t, Report(NewReportView(r, ReportOptions{})))
	for _, want := range []string{"Likely connects", "The client likely signs in through the Autodiscover web service at lyncdiscover.contoso.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestProbeTextC1AndBidi: a raw 8-bit CSI (0x9B, not UTF-8) and a
// right-to-left override from a server reach neither the text nor the
// Markdown report as they are (issue 26, class 2).
func TestProbeTextC1AndBidi(t *testing.T) {
	for _, evil := range []string{"\x9b2J\u202eexe.txt", "\x9b2J\u202eexe.txt\u0085"} {
		probeTextC1AndBidi(t, evil)
	}
}

func probeTextC1AndBidi(t *testing.T, evil string) {
	t.Helper()
	r := probedReport(evil)
	for name, write := range map[string]func(*bytes.Buffer, *engine.Report) error{
		"text":     func(b *bytes.Buffer, r *engine.Report) error { return WriteTextFull(b, r) },
		"Markdown": func(b *bytes.Buffer, r *engine.Report) error { return WriteMarkdown(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !utf8.ValidString(out) {
			t.Errorf("the %s report holds a byte that is not UTF-8 (a raw C1 control):\n%q", name, out)
		}
		if strings.ContainsFunc(out, func(c rune) bool { return c >= 0x80 && c < 0xa0 || textenc.IsBidiControl(c) }) {
			t.Errorf("the %s report holds a C1 or bidi control:\n%q", name, out)
		}
		if !strings.Contains(out, `x9b2J`) || !strings.Contains(out, `u202eexe.txt`) {
			t.Errorf("the %s report does not show the escaped bytes:\n%s", name, out)
		}
	}
}

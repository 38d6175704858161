package templates

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// This file holds the words every rendering of an observation (the
// report's probe) shares: the text and Markdown reports (text.go) and the
// page's section (probe.templ). Every string from a server goes out
// through the renderer's escaping: these functions build sentences, they
// do not escape.

// probeHeading is the title of the observation's section.
const probeHeading = "What the real servers answered"

// probeNote says what was sent, under the heading.
func probeNote(p *engine.Probe) string {
	client := p.Client
	if prof, err := engine.LookupProfile(p.Client); err == nil {
		client = prof.Title
	}
	s := fmt.Sprintf("Observed by sipdisco check --connect: a REGISTER for %s without credentials, as %s sends it", p.Address, client)
	if p.Started != "" {
		s += ", at " + p.Started
	}
	return s + ". No password, NTLM message or Kerberos ticket was sent."
}

// attemptWhere is an attempt's server: "sip.contoso.com:5061 TLS".
func attemptWhere(a engine.ProbeAttempt) string {
	return engine.Endpoint(a.Host, a.Port, a.Transport)
}

// attemptFrom says where the attempt's server came from and what was
// connected to: "from _sip._tls.contoso.com, 192.0.2.10:5061, connected
// in 3 ms".
func attemptFrom(a engine.ProbeAttempt) string {
	parts := []string{"from " + a.Source}
	if a.Reason == engine.ConnectionRedirected {
		parts[0] = "the server a redirect named"
	}
	if a.Remote != "" {
		parts = append(parts, fmt.Sprintf("%s, connected in %d ms", a.Remote, a.ConnectMS))
	}
	return strings.Join(parts, ", ")
}

// failureText says how an attempt failed: "connect, refused: ...".
func failureText(f *engine.ProbeFailure) string {
	if f == nil {
		return ""
	}
	return fmt.Sprintf("%s (%s, %s)", f.Message, f.Stage, f.Kind)
}

// tlsText says what a handshake negotiated.
func tlsText(t *engine.ProbeTLS) string {
	s := fmt.Sprintf("%s, %s, handshake in %d ms", t.Version, t.CipherSuite, t.HandshakeMS)
	if t.ServerName != "" {
		s += ", SNI " + t.ServerName
	}
	return s
}

// certText describes one certificate of a chain.
func certText(c engine.CertSummary) string {
	var parts []string
	parts = append(parts, c.Subject)
	if len(c.DNSNames) > 0 {
		parts = append(parts, "names "+strings.Join(c.DNSNames, ", "))
	}
	parts = append(parts, "valid "+c.NotBefore.UTC().Format("2006-01-02")+" to "+c.NotAfter.UTC().Format("2006-01-02"))
	if c.SelfSigned {
		parts = append(parts, "self-signed")
	} else {
		parts = append(parts, "issued by "+c.Issuer)
	}
	return strings.Join(parts, "; ")
}

// coverText says whether the server's certificate names the host.
func coverText(a engine.ProbeAttempt) string {
	t := a.TLS
	var parts []string
	if t.Covered {
		parts = append(parts, "names "+a.Host+" ("+t.By+")")
	} else {
		parts = append(parts, "does not name "+a.Host)
	}
	if t.SIPDomain != "" && t.SIPDomain != a.Host {
		if t.SIPDomainCovered {
			parts = append(parts, "names "+t.SIPDomain)
		} else {
			parts = append(parts, "does not name "+t.SIPDomain)
		}
	}
	if !t.InValidity {
		parts = append(parts, "outside its validity dates")
	}
	if !t.ServerAuth {
		parts = append(parts, "not for TLS servers")
	}
	if !t.ChainOK {
		parts = append(parts, "chain out of order")
	}
	return "The certificate " + strings.Join(parts, ", ") + "."
}

// trustText says how the chain fared against each set of roots.
func trustText(t engine.CertTrust) string { return t.String() }

// exchangeText is the request and the answer on one line:
// "REGISTER sip:contoso.com SIP/2.0 → SIP/2.0 401 Unauthorized in 4 ms".
func exchangeText(a engine.ProbeAttempt) string {
	req := ""
	if a.Request != nil {
		req = a.Request.StartLine
	}
	if a.Response == nil {
		return req
	}
	s := fmt.Sprintf("%s → %s in %d ms", req, a.Response.StartLine, a.ResponseMS)
	if a.Response.Server != "" {
		s += " (Server: " + a.Response.Server + ")"
	} else if a.Response.UserAgent != "" {
		s += " (User-Agent: " + a.Response.UserAgent + ")"
	}
	return s
}

// challengeText describes one challenge: its protocol and the parameters
// that matter, `NTLM (realm "SIP Communications Service", targetname
// pool01.contoso.com, version 3)`.
func challengeText(c engine.SIPChallenge) string {
	name := c.Protocol
	if name == "" {
		name = c.Scheme
	}
	var parts []string
	if c.Realm != "" {
		parts = append(parts, "realm "+strconv.Quote(c.Realm))
	}
	if c.TargetName != "" {
		parts = append(parts, "targetname "+c.TargetName)
	}
	if c.Version != 0 {
		parts = append(parts, "version "+strconv.Itoa(c.Version))
	}
	if c.StsURI != "" {
		parts = append(parts, "sts-uri "+c.StsURI)
	}
	if c.Algorithm != "" {
		parts = append(parts, "algorithm "+c.Algorithm)
	}
	if c.QOP != "" {
		parts = append(parts, "qop "+c.QOP)
	}
	s := c.Header + ": " + name
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if c.Error != "" {
		s += "; unreadable: " + c.Error
	}
	return s
}

// diagnosticText describes one ms-diagnostics header: the code and the
// server's words, then what [MS-OCER] documents for it.
func diagnosticText(d engine.SIPDiagnostic) string {
	if d.Error != "" {
		return d.Header + ": unreadable: " + d.Error
	}
	s := d.Header + ": " + strconv.Itoa(d.Code)
	if d.SubCode != 0 {
		s += "." + strconv.Itoa(d.SubCode)
	}
	if d.Reason != "" {
		s += " " + strconv.Quote(d.Reason)
	}
	if d.Source != "" {
		s += " from " + d.Source
	}
	if d.Component != "" {
		s += " (" + d.Component + ")"
	}
	switch {
	case d.Meaning != "":
		s += ". [MS-OCER]: " + strconv.Quote(d.Documented) + ": " + d.Meaning
	case d.Documented != "":
		s += ". [MS-OCER]: " + strconv.Quote(d.Documented)
	default:
		s += ". Not among the codes sipdisco carries from [MS-OCER]"
	}
	return s
}

// redirectText says where a 301 or 302 sends the client.
func redirectText(r *engine.SIPRedirect) string {
	if r.Error != "" {
		return "Redirects, but " + r.Error + " (Contact " + r.Contact + ")"
	}
	s := "Redirects to " + r.Host
	if r.Port != 0 {
		s += ":" + strconv.Itoa(int(r.Port))
	}
	if r.Transport != "" {
		s += " " + string(r.Transport)
	}
	return s + " (Contact " + r.Contact + ")"
}

// responseHead is a response's head as it arrived: the start line and
// every header field, one per line.
func responseHead(r *engine.SIPResponse) string {
	var b strings.Builder
	b.WriteString(r.StartLine)
	for _, h := range r.Headers {
		b.WriteString("\n" + h.Name + ": " + h.Value)
	}
	return b.String()
}

// requestText is the REGISTER sent, as it went on the wire, one line per
// header field.
func requestText(m *engine.Message) string {
	return strings.ReplaceAll(strings.TrimRight(m.String(), "\r\n"), "\r\n", "\n")
}

// outcomeLabel is an attempt's outcome in a word.
func attemptOutcome(a engine.ProbeAttempt) string { return string(a.Outcome) }

// probeSummary says in one sentence what the observation found.
func probeSummary(p *engine.Probe) string {
	ans, ok := p.Answered()
	switch {
	case ok && ans.Response != nil:
		return fmt.Sprintf("%s answered %s.", attemptWhere(ans), ans.Response.StartLine)
	case len(p.Attempts) == 0:
		return "No server was contacted."
	}
	return fmt.Sprintf("None of the %d servers tried answered in SIP.", len(p.Attempts))
}

// ProbeView is what the real servers answered, ready to render.
type ProbeView struct {
	// Note says what was sent; Summary what came back, in a sentence.
	Note, Summary string
	// Answered: a server answered the REGISTER in SIP.
	Answered bool
	Attempts []AttemptView
	// Findings are the observation's own (no server answered, and where
	// the real servers differ from the simulation).
	Findings []FindingView
	// Autodiscover is what the Autodiscover web service answered; nil
	// when it was not asked.
	Autodiscover *WebView
}

// AttemptView is one connection to one server.
type AttemptView struct {
	N int
	// Where is the server, From where it came from and what was
	// connected to.
	Where, From string
	// Outcome is "answered", "failed" or "skipped"; Verdict the class
	// that colours it.
	Outcome, Verdict string
	// Lines describe the attempt: the TLS handshake and the chain, the
	// exchange, the challenges, the diagnostics, the failure.
	Lines []string
	// Request is the REGISTER sent and Response the head of the answer,
	// as text; empty when there is none.
	Request, Response string
	Findings          []FindingView
}

// NewProbeView builds the view of p; nil gives nil. Like NewReportView it
// only restates p: every string stays text for templ to escape.
func NewProbeView(p *engine.Probe) *ProbeView {
	if p == nil {
		return nil
	}
	_, answered := p.Answered()
	v := &ProbeView{Note: probeNote(p), Summary: probeSummary(p), Answered: answered, Findings: FindingViews(p.Findings),
		Autodiscover: newWebView(p.Autodiscover)}
	for i, a := range p.Attempts {
		av := AttemptView{N: i + 1, Where: attemptWhere(a), From: attemptFrom(a), Outcome: attemptOutcome(a),
			Lines: attemptLines(a), Findings: FindingViews(a.Findings), Verdict: attemptVerdict(a.Outcome)}
		if a.Request != nil {
			av.Request = requestText(a.Request)
		}
		if a.Response != nil {
			av.Response = responseHead(a.Response)
		}
		v.Attempts = append(v.Attempts, av)
	}
	return v
}

// webHeading is the title of the Autodiscover observation's part.
const webHeading = "The Autodiscover web service (asked first, without credentials)"

// webNote says what was asked, under the Autodiscover heading.
func webNote(a *engine.AutodiscoverProbe) string {
	return fmt.Sprintf("The client asks the Autodiscover web service before the SRV records (\"Understanding Autodiscover in Lync Server 2013\"): lyncdiscoverinternal, then lyncdiscover, https then http, then the Redirect and User links of the root document. %d requests, none with credentials, cookies or tokens.", len(a.Requests))
}

// webWhere is a request's title: "root https://lyncdiscover.contoso.com/?sipuri=bob@contoso.com".
func webWhere(r engine.WebRequest) string { return string(r.Purpose) + " " + r.URL }

// webFrom says what was connected to: "127.0.0.1:443, connected in 1 ms".
func webFrom(r engine.WebRequest) string {
	if r.Remote == "" {
		return "no connection"
	}
	return fmt.Sprintf("%s, connected in %d ms", r.Remote, r.ConnectMS)
}

// webRequestLines describe a request below its title, in every
// rendering: the TLS handshake and the certificate, the request and the
// status, the document's links, the web ticket location, an HTTP
// redirect, the failure.
func webRequestLines(r engine.WebRequest) []string {
	var out []string
	if t := r.TLS; t != nil {
		out = append(out, "TLS: "+tlsText(t))
		for i, c := range t.Chain {
			out = append(out, fmt.Sprintf("Certificate %d: %s", i+1, certText(c)))
		}
		if len(t.Chain) > 0 {
			out = append(out, coverText(engine.ProbeAttempt{Host: r.Host, TLS: t}))
		}
		for _, tr := range t.Trust {
			out = append(out, "Trust: "+trustText(tr))
		}
	}
	if r.StatusLine != "" {
		out = append(out, fmt.Sprintf("%s → %s in %d ms", r.RequestLine, r.StatusLine, r.ResponseMS))
	} else if r.RequestLine != "" {
		out = append(out, r.RequestLine)
	}
	if d := r.Document; d != nil {
		if d.Error != "" {
			out = append(out, "Not a usable document: "+d.Error)
		} else {
			s := "Document (" + d.Format + ")"
			if d.AccessLocation != "" {
				s += ", access location " + d.AccessLocation
			}
			out = append(out, s)
			for _, l := range d.Links {
				out = append(out, "Link "+l.Token+": "+l.Href)
			}
			if d.SipClientInternalAccess != "" {
				out = append(out, "SipClientInternalAccess: "+d.SipClientInternalAccess)
			}
			if d.SipClientExternalAccess != "" {
				out = append(out, "SipClientExternalAccess: "+d.SipClientExternalAccess)
			}
		}
	}
	if w := r.WebTicket; w != nil {
		if w.URL != "" {
			out = append(out, "Web ticket: X-MS-WebTicketURL "+w.URL)
		}
		if w.OAuthHref != "" {
			s := "Web ticket: MsRtcOAuth href " + w.OAuthHref
			if len(w.GrantTypes) > 0 {
				s += ", grant_type " + strings.Join(w.GrantTypes, ", ")
			}
			out = append(out, s)
		}
		if len(w.Schemes) > 0 {
			out = append(out, "WWW-Authenticate schemes: "+strings.Join(w.Schemes, ", "))
		}
	}
	if r.Location != "" {
		out = append(out, "HTTP redirect to "+r.Location+" (not followed)")
	}
	if r.Failure != nil {
		out = append(out, capitalize(string(r.Outcome))+": "+failureText(r.Failure))
	}
	return out
}

// webRequestHead is the request as sent, one line per header field.
func webRequestHead(r engine.WebRequest) string {
	var b strings.Builder
	b.WriteString(r.RequestLine)
	for _, h := range r.RequestHeaders {
		b.WriteString("\n" + h.Name + ": " + h.Value)
	}
	return b.String()
}

// webResponseHead is the response's head as read.
func webResponseHead(r engine.WebRequest) string {
	if r.StatusLine == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(r.StatusLine)
	for _, h := range r.Headers {
		b.WriteString("\n" + h.Name + ": " + h.Value)
	}
	return b.String()
}

// WebView is the Autodiscover observation, ready to render: its
// requests are shown as the SIP attempts are.
type WebView struct {
	Heading, Note string
	Requests      []AttemptView
	Findings      []FindingView
}

// newWebView builds the view of a; nil gives nil.
func newWebView(a *engine.AutodiscoverProbe) *WebView {
	if a == nil {
		return nil
	}
	v := &WebView{Heading: webHeading, Note: webNote(a), Findings: FindingViews(a.Findings)}
	for i, r := range a.Requests {
		av := AttemptView{N: i + 1, Where: webWhere(r), From: webFrom(r), Outcome: string(r.Outcome),
			Lines: webRequestLines(r), Findings: FindingViews(r.Findings),
			Request: webRequestHead(r), Response: webResponseHead(r), Verdict: attemptVerdict(r.Outcome)}
		v.Requests = append(v.Requests, av)
	}
	return v
}

// attemptVerdict is the style of an attempt's card: accepted when the
// server answered, refused when the attempt failed, muted otherwise (not
// tried).
func attemptVerdict(o engine.ProbeOutcome) string {
	switch o {
	case engine.ProbeAnswered:
		return "accepted"
	case engine.ProbeFailed:
		return "refused"
	}
	return "muted"
}

// probeProblems are the errors and warnings of p, the Autodiscover
// observation's, each connection's and the observation's own, errors
// first (the order engine.Problems gives them), each once.
func probeProblems(p ProbeView) []FindingView {
	var all []FindingView
	if w := p.Autodiscover; w != nil {
		for _, a := range w.Requests {
			all = append(all, a.Findings...)
		}
		all = append(all, w.Findings...)
	}
	for _, a := range p.Attempts {
		all = append(all, a.Findings...)
	}
	all = append(all, p.Findings...)
	var out []FindingView
	for _, sev := range []engine.Severity{engine.SeverityError, engine.SeverityWarning} {
		for _, f := range all {
			if f.Severity == string(sev) {
				out = append(out, f)
			}
		}
	}
	return out
}

// probeDetailTitle counts what the folded observation holds: "1
// connection, 6 findings".
func probeDetailTitle(p ProbeView) string {
	n, fs := len(p.Attempts), len(p.Findings)
	if w := p.Autodiscover; w != nil {
		n += len(w.Requests)
		fs += len(w.Findings)
		for _, a := range w.Requests {
			fs += len(a.Findings)
		}
	}
	for _, a := range p.Attempts {
		fs += len(a.Findings)
	}
	return plural(n, "connection") + ", " + plural(fs, "finding")
}

// plural is n and the noun one, in the plural unless n is 1.
func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + one + "s"
}

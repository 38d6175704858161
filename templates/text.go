package templates

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/textenc"
)

// describePolicy returns a one-line summary of the policy in words.
func describePolicy(p engine.Policy) string {
	var parts []string
	if p.StrictNaming {
		parts = append(parts, "strict naming")
	} else {
		parts = append(parts, "loose naming")
	}
	if p.AllowTCP {
		parts = append(parts, "TCP allowed")
	} else {
		parts = append(parts, "TLS only")
	}
	if p.Manual() {
		m := "manual servers"
		if p.ManualInternal != "" {
			m += " internal " + p.ManualInternal
		}
		if p.ManualExternal != "" {
			m += " external " + p.ManualExternal
		}
		parts = append(parts, m)
	} else {
		parts = append(parts, "automatic configuration")
	}
	if len(p.TrustedDomains) > 0 {
		parts = append(parts, "trusted domains "+strings.Join(p.TrustedDomains, ", "))
	}
	return strings.Join(parts, ", ")
}

// verdict is the report's headline and its explanation as one line of
// text: the same words as the page's banner (headline).
func verdict(r *engine.Report) string {
	_, head, text := headline(r, false)
	if text == "" {
		return head + "."
	}
	return head + ". " + text
}

// WriteText writes r as the plain-text report of `sipdisco check`. Every
// value from DNS or the user is made safe for a terminal: control
// characters are shown as escapes, so hostile DNS data cannot move the
// cursor or change colours.
func WriteText(w io.Writer, r *engine.Report) error {
	return WriteTextWith(w, r, TextOptions{})
}

// WriteTextFull is WriteText with every simulated SIP message in full.
func WriteTextFull(w io.Writer, r *engine.Report) error {
	return WriteTextWith(w, r, TextOptions{Full: true})
}

// TextOptions say how WriteTextWith writes a report.
type TextOptions struct {
	// Full writes every simulated SIP message in full.
	Full bool
	// Color adds ANSI colours for a terminal: the state's colour on the
	// outcome and State lines, bold headings, severities and marks in
	// colour. Colour only adds to the words, which say the same without
	// it; the escapes are sipdisco's own, never from the data, which is
	// escaped as always.
	Color bool
}

// WriteTextWith writes r as the plain-text report of `sipdisco check`,
// as opt says.
func WriteTextWith(w io.Writer, r *engine.Report, opt TextOptions) error {
	p := &printer{w: w, esc: terminalSafe}
	writeReport(p, textFormat{p: p, full: opt.Full, color: opt.Color}, r)
	return p.err
}

// WriteMarkdown writes r as Markdown for pasting into a ticket. Values are
// escaped so that DNS data cannot add links, images or HTML.
func WriteMarkdown(w io.Writer, r *engine.Report) error {
	p := &printer{w: w, esc: markdownSafe}
	writeReport(p, mdFormat{p: p}, r)
	return p.err
}

type printer struct {
	w   io.Writer
	esc func(string) string
	err error
}

// line writes format with every argument escaped.
func (p *printer) line(format string, args ...any) {
	if p.err != nil {
		return
	}
	for i, a := range args {
		switch v := a.(type) {
		case string:
			args[i] = p.esc(v)
		case fmt.Stringer:
			args[i] = p.esc(v.String())
		}
	}
	_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
}

// raw writes format with arguments the caller has made safe.
func (p *printer) raw(format string, args ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
}

// format is how one rendering (text or Markdown) writes each part of a
// report; writeReport says which parts there are, in which order.
type format interface {
	header(r *engine.Report, client string)
	clients(rows []engine.ClientRow, chosen string)
	heading(title string)
	candidates(cs []engine.Candidate)
	steps(ss []engine.Step)
	finding(f engine.Finding)
	message(n int, m engine.Message)
	signInOutcome(x *engine.Exchange)
	probeIntro(p *engine.Probe)
	attempt(n int, a engine.ProbeAttempt)
	probeFindings()
	webIntro(a *engine.AutodiscoverProbe)
	webRequest(n int, r engine.WebRequest)
	webFindings()
}

// writeProbe writes what the servers answered, pr, through f (through
// probeText, in every build but the first module's).
func writeProbe(_ *printer, f format, pr *engine.Probe) {
	f.heading(probeHeading)
	f.probeIntro(pr)
	if ad := pr.Autodiscover; ad != nil {
		f.webIntro(ad)
		for i, r := range ad.Requests {
			f.webRequest(i+1, r)
		}
		if fs := ad.AllFindings(); len(fs) > 0 {
			f.webFindings()
			for _, fd := range engine.BySeverity(fs) {
				f.finding(fd)
			}
		}
	}
	for i, a := range pr.Attempts {
		f.attempt(i+1, a)
	}
	if fs := pr.AllFindings(); len(fs) > 0 {
		f.probeFindings()
		for _, fd := range engine.BySeverity(fs) {
			f.finding(fd)
		}
	}
}

// writeReport writes the parts of r in order through f.
func writeReport(p *printer, f format, r *engine.Report) {
	client := r.Profile
	if prof, err := engine.LookupProfile(r.Profile); err == nil {
		client = prof.Title
	}
	f.header(r, client)
	if len(r.Clients) > 0 {
		f.heading(clientsHeading)
		f.clients(r.Clients, r.Profile)
	}
	f.heading("Candidates, in the order the client tries them")
	if len(r.Candidates) == 0 {
		p.line("(none)")
	}
	f.candidates(r.Candidates)
	f.heading("DNS questions")
	f.steps(r.Steps)
	f.heading("Findings")
	for _, fd := range engine.BySeverity(r.Findings) {
		f.finding(fd)
	}
	if x := r.Register; x != nil {
		f.heading("Sign-in (simulated REGISTER, nothing sent)")
		for i, m := range x.Messages {
			f.message(i+1, m)
		}
		f.signInOutcome(x)
	}
	if pr := r.Probe; pr != nil {
		probeText(p, f, pr)
	}
	if r.Discovery != nil {
		f.heading("What automatic discovery would do instead")
		p.line("%s: %s", strings.ToUpper(string(r.Discovery.Outcome)), verdict(r.Discovery))
	}
}

func candidateMark(c engine.Candidate) string {
	if c.Accepted {
		return "ok"
	}
	return "refused"
}

func arrowText(m engine.Message) string {
	if m.IsRequest() {
		return "client -> server"
	}
	return "server -> client"
}

// clientsHeading heads the at-a-glance rows in text and Markdown.
const clientsHeading = "Every client, from the same answers"

// outcomeWidth is the width of the longest outcome, "indeterminate".
const outcomeWidth = len(engine.OutcomeIndeterminate)

// textFormat writes the plain-text report.
type textFormat struct {
	p     *printer
	full  bool
	color bool
}

// SGR parameters of the text report's colours.
const (
	sgrBold   = "1"
	sgrRed    = "1;31"
	sgrGreen  = "32"
	sgrYellow = "33"
	sgrCyan   = "36"
)

// paint wraps s, a piece of a format string (never data), in the colour
// sgr when the report is coloured.
func (t textFormat) paint(sgr, s string) string { return paint(t.color, sgr, s) }

// paint wraps s, a piece of a format string (never data), in the colour
// sgr when color is set.
func paint(color bool, sgr, s string) string {
	if !color || sgr == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

// stateColor is the colour of a report's state: green signs in, yellow
// with problems, red does not sign in, none for unknown.
func stateColor(r *engine.Report) string {
	switch engine.StateOf(r) {
	case engine.StateSignsIn:
		return sgrGreen
	case engine.StateSignsInWithProblems:
		return sgrYellow
	case engine.StateDoesNotSignIn:
		return sgrRed
	}
	return ""
}

// severityColor is the colour of a finding's severity word.
func severityColor(s engine.Severity) string {
	switch s {
	case engine.SeverityError:
		return sgrRed
	case engine.SeverityWarning:
		return sgrYellow
	}
	return sgrCyan
}

func (t textFormat) header(r *engine.Report, client string) {
	t.p.line("%s  (%s; %s)", r.URI, client, describePolicy(r.Policy))
	c := stateColor(r)
	t.p.line(t.paint(c, "%s")+": %s", reportOutcomeWord(r), verdict(r))
	t.p.line("State: "+t.paint(c, "%s"), stateLine(r))
	if tg := r.Target; tg != nil {
		t.p.line("Target: %s  addresses %s%s", tg.Endpoint(), strings.Join(tg.Addresses, ", "), targetNote(tg))
	}
	if r.Resolver != nil {
		t.p.line("Answers from: %s%s", r.Resolver.Description, viewSuffix(r.View))
		for _, n := range r.Resolver.Notes {
			t.p.line("  note: %s", n)
		}
	}
}

// reportOutcomeWord is the outcome as the text and Markdown headers print it:
// "CONNECT", or "CONNECT (PREDICTED)" for a sign-in predicted through the
// Autodiscover web service (engine.SourceAutodiscover).
func reportOutcomeWord(r *engine.Report) string {
	w := strings.ToUpper(string(r.Outcome))
	if r.Target != nil && r.Target.Source == engine.SourceAutodiscover {
		w += " (PREDICTED)"
	}
	return w
}

// stateLine is the report's state in words and, when it has problems,
// their count and the first (engine.Problems), listed under Findings:
// "Signs in, with problems — 2 problems; the first: Signing in over TCP".
func stateLine(r *engine.Report) string {
	w := engine.StateOf(r).Words()
	if p := ProblemsLine(r); p != "" {
		return w + " — " + p
	}
	return w
}

// targetNote says, after a predicted target, what it is.
func targetNote(t *engine.Target) string {
	if t.Source != engine.SourceAutodiscover {
		return ""
	}
	return "  (the Autodiscover web service the client asks; it signs in to the pool the service names)"
}

// clients writes one line per client, its outcome, server and naming
// in columns, the report's own client marked with "*".
func (t textFormat) clients(rows []engine.ClientRow, chosen string) {
	w := 0
	for _, c := range rows {
		w = max(w, utf8.RuneCountInString(c.Title))
	}
	for _, c := range rows {
		mark := " "
		if c.Profile == chosen {
			mark = "*"
		}
		target := c.Target
		if target == "" {
			target = "-"
		}
		pad := strings.Repeat(" ", w-utf8.RuneCountInString(c.Title))
		t.p.line("%s %s%s  %-*s  %s  naming %s", mark, c.Title, pad, outcomeWidth, string(c.Outcome), target, c.Naming)
	}
	t.p.line("(* this report's client, in detail below)")
}

// viewSuffix names a known view after the "Answers from" line's source:
// "; the outside view".
func viewSuffix(v engine.View) string {
	if v == engine.ViewUnknown {
		return ""
	}
	return "; the " + string(v) + " view"
}

func (t textFormat) heading(title string) {
	t.p.line("\n"+t.paint(sgrBold, "%s"), strings.ToUpper(title))
}

func (t textFormat) candidates(cs []engine.Candidate) {
	for i, c := range cs {
		mark := ""
		if c.Accepted {
			mark = sgrGreen
		}
		t.p.line("  %2d. ["+t.paint(mark, "%s")+"] %s  from %s", i+1, candidateMark(c), c.Endpoint(), c.Source)
		t.p.line("      %s", c.Reason)
	}
}

// stepFrom says where an answer not asked came from ("read from the
// additional section of the answer to _sip._tls.contoso.com SRV"), or ""
// for a question that was asked.
func stepFrom(s engine.Step) string {
	if s.From == "" {
		return ""
	}
	return "read from the additional section of the answer to " + s.From
}

func (t textFormat) steps(ss []engine.Step) {
	for _, s := range ss {
		why := ""
		if p := engine.PurposeText(s.Purpose); p != "" {
			why = "  (" + p + ")"
		}
		if f := stepFrom(s); f != "" {
			why += "  (" + f + ")"
		}
		if s.Server != "" {
			t.p.line("  [%d] %s %s  %s  %d ms  from %s%s", s.Round, s.Question, s.Type, s.Result(), s.MS, s.Server, why)
		} else {
			t.p.line("  [%d] %s %s  %s  %d ms%s", s.Round, s.Question, s.Type, s.Result(), s.MS, why)
		}
		for _, a := range s.Answers {
			t.p.line("        %s", a)
		}
	}
}

// uncountedNote is what a finding's line in text and Markdown adds when
// the state line does not count it as a problem.
func uncountedNote(f engine.Finding) string {
	if uncounted(f) {
		return " — " + uncountedWords
	}
	return ""
}

func (t textFormat) finding(f engine.Finding) {
	t.p.line("  "+t.paint(severityColor(f.Severity), "%s")+" %s (%s)%s", strings.ToUpper(string(f.Severity)), f.Kind, f.Subject, uncountedNote(f))
	t.p.line("      %s", f.Message)
	t.p.line("      Fix: %s", f.Fix)
}

func (t textFormat) message(n int, m engine.Message) {
	t.p.line("  %2d. %s  %s", n, arrowText(m), m.StartLine)
	t.p.line("      %s", m.Note)
	if len(m.Unverified) > 0 {
		t.p.line("      Unverified: %s.", strings.Join(m.Unverified, "; "))
	}
	if t.full {
		for _, l := range strings.Split(strings.TrimRight(m.String(), "\r\n"), "\r\n") {
			t.p.line("        | %s", l)
		}
	}
}

func (t textFormat) signInOutcome(x *engine.Exchange) {
	sgr := ""
	switch x.Outcome {
	case engine.SignInFailed:
		sgr = sgrRed
	case engine.SignInRegistered:
		sgr = sgrGreen
	}
	t.p.line("  "+t.paint(sgr, "%s")+": %s", strings.ToUpper(string(x.Outcome)), x.Explanation)
	if x.Fix != "" {
		t.p.line("  Fix: %s", x.Fix)
	}
}

func (t textFormat) probeIntro(p *engine.Probe) {
	t.p.line("  %s", probeNote(p))
	t.p.line("  %s", probeSummary(p))
}

func (t textFormat) attempt(n int, a engine.ProbeAttempt) {
	t.p.line("  %2d. [%s] %s  %s", n, attemptOutcome(a), attemptWhere(a), attemptFrom(a))
	for _, l := range attemptLines(a) {
		t.p.line("      %s", l)
	}
	if t.full {
		if a.Request != nil {
			for _, l := range strings.Split(requestText(a.Request), "\n") {
				t.p.line("        > %s", l)
			}
		}
		if a.Response != nil {
			for _, l := range strings.Split(responseHead(a.Response), "\n") {
				t.p.line("        < %s", l)
			}
		}
	}
}

func (t textFormat) probeFindings() { t.p.line("  Findings of the observation:") }

func (t textFormat) webIntro(a *engine.AutodiscoverProbe) {
	t.p.line("  %s:", webHeading)
	t.p.line("  %s", webNote(a))
}

func (t textFormat) webRequest(n int, r engine.WebRequest) {
	t.p.line("  %2d. [%s] %s  %s", n, string(r.Outcome), webWhere(r), webFrom(r))
	for _, l := range webRequestLines(r) {
		t.p.line("      %s", l)
	}
	if t.full {
		for _, l := range strings.Split(webRequestHead(r), "\n") {
			t.p.line("        > %s", l)
		}
		if h := webResponseHead(r); h != "" {
			for _, l := range strings.Split(h, "\n") {
				t.p.line("        < %s", l)
			}
		}
	}
}

func (t textFormat) webFindings() { t.p.line("  Findings of the Autodiscover observation:") }

// attemptLines are the lines that describe an attempt below its title,
// in both renderings: the TLS handshake and the chain, the exchange, the
// challenges, diagnostics and redirect, and the failure.
func attemptLines(a engine.ProbeAttempt) []string {
	var out []string
	if t := a.TLS; t != nil {
		out = append(out, "TLS: "+tlsText(t))
		for i, c := range t.Chain {
			out = append(out, fmt.Sprintf("Certificate %d: %s", i+1, certText(c)))
		}
		if len(t.Chain) > 0 {
			out = append(out, coverText(a))
		}
		for _, tr := range t.Trust {
			out = append(out, "Trust: "+trustText(tr))
		}
	}
	for _, p := range a.Provisional {
		out = append(out, "Provisional: "+p)
	}
	if a.Request != nil || a.Response != nil {
		out = append(out, exchangeText(a))
	}
	if r := a.Response; r != nil {
		for _, c := range r.Challenges {
			out = append(out, challengeText(c))
		}
		for _, d := range r.Diagnostics {
			out = append(out, diagnosticText(d))
		}
		if r.Redirect != nil {
			out = append(out, redirectText(r.Redirect))
		}
	}
	if a.Failure != nil {
		out = append(out, capitalize(string(a.Outcome))+": "+failureText(a.Failure))
	}
	return out
}

// capitalize returns s with its first letter in upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Links are a report's share links as the command line prints them
// (sipdisco check --link).
type Links struct {
	// Live is the link that reruns the check; empty when none can
	// reproduce it (zone files, a certificate file).
	Live string
	// Snapshot is the link that carries the whole report.
	Snapshot string
	// Probe says the report carries what the real servers answered.
	Probe bool
}

func (l Links) liveLabel() string {
	if l.Probe {
		return "Rerun the check (DNS and the simulation; a page cannot observe servers)"
	}
	return "Rerun the check"
}

func (l Links) snapshotLabel() string {
	if l.Probe {
		return "Snapshot (these DNS answers and what the servers answered)"
	}
	return "Snapshot (these DNS answers)"
}

// WriteTextLinks writes l after a text report.
func WriteTextLinks(w io.Writer, l Links) error {
	p := &printer{w: w, esc: terminalSafe}
	p.line("\nLINKS")
	if l.Live != "" {
		p.line("  %s: %s", l.liveLabel(), l.Live)
	}
	p.line("  %s: %s", l.snapshotLabel(), l.Snapshot)
	return p.err
}

// WriteMarkdownLinks writes l after a Markdown report, as autolinks.
// Links are sipdisco's own (a site address, an escaped query, a
// base64url fragment); one holding a character that could end an
// autolink is written escaped instead.
func WriteMarkdownLinks(w io.Writer, l Links) error {
	p := &printer{w: w, esc: markdownSafe}
	link := func(u string) string {
		if strings.ContainsFunc(u, func(c rune) bool { return c <= ' ' || c == '<' || c == '>' || c >= 0x7f }) {
			return markdownSafe(u)
		}
		return "<" + u + ">"
	}
	raw := &printer{w: w, esc: func(s string) string { return s }}
	p.line("\n### Links\n")
	if p.err != nil {
		return p.err
	}
	if l.Live != "" {
		raw.line("- %s: %s", markdownSafe(l.liveLabel()), link(l.Live))
	}
	raw.line("- %s: %s", l.snapshotLabel(), link(l.Snapshot))
	return raw.err
}

// mdFormat writes the Markdown report.
type mdFormat struct{ p *printer }

func (m mdFormat) header(r *engine.Report, client string) {
	m.p.line("## sipdisco: %s", r.URI)
	m.p.line("")
	m.p.line("- **Client:** %s", client)
	m.p.line("- **Policy:** %s", describePolicy(r.Policy))
	m.p.line("- **Outcome:** **%s** — %s", reportOutcomeWord(r), verdict(r))
	m.p.line("- **State:** %s", stateLine(r))
	if tg := r.Target; tg != nil {
		m.p.line("- **Target:** %s, addresses %s%s", tg.Endpoint(), strings.Join(tg.Addresses, ", "), targetNote(tg))
	}
	if r.Resolver != nil {
		m.p.line("- **Answers from:** %s%s", r.Resolver.Description, viewSuffix(r.View))
		for _, n := range r.Resolver.Notes {
			m.p.line("  - %s", n)
		}
	}
}

func (m mdFormat) clients(rows []engine.ClientRow, chosen string) {
	m.p.line("| Client | Outcome | Server | Naming |")
	m.p.line("|---|---|---|---|")
	for _, c := range rows {
		title, target := markdownSafe(c.Title), "none"
		if c.Profile == chosen {
			title = "**" + title + "** (this report, in detail below)"
		}
		if c.Target != "" {
			target = markdownSafe(c.Target)
		}
		m.p.raw("| %s | %s | %s | %s |", title, markdownSafe(string(c.Outcome)), target, markdownSafe(c.Naming))
	}
}

func (m mdFormat) heading(title string) { m.p.line("\n### %s\n", title) }

func (m mdFormat) candidates(cs []engine.Candidate) {
	if len(cs) == 0 {
		return
	}
	m.p.line("| # | Server | Transport | From | Used | Why |")
	m.p.line("|---|---|---|---|---|---|")
	for i, c := range cs {
		m.p.line("| %d | %s:%d | %s | %s | %s | %s |", i+1, c.Host, c.Port, c.Transport, c.Source, candidateMark(c), c.Reason)
	}
}

func (m mdFormat) steps(ss []engine.Step) {
	if len(ss) == 0 {
		return
	}
	m.p.line("| Round | Question | Type | Result | Answers | ms |")
	m.p.line("|---|---|---|---|---|---|")
	for _, s := range ss {
		res := s.Result()
		if s.Server != "" {
			res += " (from " + s.Server + ")"
		}
		if f := stepFrom(s); f != "" {
			res += " (" + f + ")"
		}
		q := s.Question
		if p := engine.PurposeText(s.Purpose); p != "" {
			q += " (" + p + ")"
		}
		m.p.line("| %d | %s | %s | %s | %s | %d |", s.Round, q, s.Type, res, strings.Join(s.Answers, "; "), s.MS)
	}
}

func (m mdFormat) finding(f engine.Finding) {
	m.p.line("- **%s** %s (%s)%s: %s  \n  *Fix:* %s", f.Severity, f.Kind, f.Subject, uncountedNote(f), f.Message, f.Fix)
}

func (m mdFormat) message(n int, msg engine.Message) {
	m.p.line("%d. %s: %s — %s", n, arrowText(msg), msg.StartLine, msg.Note)
	if len(msg.Unverified) > 0 {
		m.p.line("   *Unverified:* %s.", strings.Join(msg.Unverified, "; "))
	}
}

func (m mdFormat) signInOutcome(x *engine.Exchange) {
	m.p.line("")
	m.p.line("**%s**: %s", strings.ToUpper(string(x.Outcome)), x.Explanation)
	if x.Fix != "" {
		m.p.line("")
		m.p.line("*Fix:* %s", x.Fix)
	}
}

func (m mdFormat) probeIntro(p *engine.Probe) {
	m.p.line("%s", probeNote(p))
	m.p.line("")
	m.p.line("%s", probeSummary(p))
}

func (m mdFormat) attempt(n int, a engine.ProbeAttempt) {
	m.p.line("")
	m.p.line("%d. **%s** %s — %s", n, attemptWhere(a), attemptOutcome(a), attemptFrom(a))
	for _, l := range attemptLines(a) {
		m.p.line("   - %s", l)
	}
}

func (m mdFormat) probeFindings() { m.p.line("\n#### Findings of the observation\n") }

func (m mdFormat) webIntro(a *engine.AutodiscoverProbe) {
	m.p.line("\n#### %s\n", webHeading)
	m.p.line("%s", webNote(a))
}

func (m mdFormat) webRequest(n int, r engine.WebRequest) {
	m.p.line("")
	m.p.line("%d. **%s** %s — %s", n, webWhere(r), string(r.Outcome), webFrom(r))
	for _, l := range webRequestLines(r) {
		m.p.line("   - %s", l)
	}
}

func (m mdFormat) webFindings() { m.p.line("\n#### Findings of the Autodiscover observation\n") }

// terminalSafe makes s safe for a terminal (textenc.Escape): bytes that
// are not UTF-8 and control characters (C0, DEL, C1) become \xNN,
// bidirectional formatting characters \uNNNN.
func terminalSafe(s string) string { return textenc.Escape(s) }

// markdownSafe makes s inert Markdown: control characters escaped,
// Markdown punctuation and HTML characters backslash-escaped.
func markdownSafe(s string) string {
	s = terminalSafe(s)
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune("\\`*_{}[]()<>#+!|~", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

package templates

import (
	"fmt"
	"io"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
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
	_, head, text := headline(r)
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
	p := &printer{w: w, esc: terminalSafe}
	writeBody(p, r, false)
	return p.err
}

// WriteTextFull is WriteText with every simulated SIP message in full.
func WriteTextFull(w io.Writer, r *engine.Report) error {
	p := &printer{w: w, esc: terminalSafe, full: true}
	writeBody(p, r, false)
	return p.err
}

// WriteMarkdown writes r as Markdown for pasting into a ticket. Values are
// escaped so that DNS data cannot add links, images or HTML.
func WriteMarkdown(w io.Writer, r *engine.Report) error {
	p := &printer{w: w, esc: markdownSafe}
	writeBody(p, r, true)
	return p.err
}

type printer struct {
	w    io.Writer
	esc  func(string) string
	full bool
	err  error
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

func writeBody(p *printer, r *engine.Report, md bool) {
	title := r.Profile
	if prof, err := engine.LookupProfile(r.Profile); err == nil {
		title = prof.Title
	}
	h := func(s string) {
		if md {
			p.line("\n### %s\n", s)
		} else {
			p.line("\n%s", strings.ToUpper(s))
		}
	}
	if md {
		p.line("## sipdisco: %s", r.URI)
		p.line("")
		p.line("- **Client:** %s", title)
		p.line("- **Policy:** %s", describePolicy(r.Policy))
		p.line("- **Outcome:** **%s** — %s", strings.ToUpper(string(r.Outcome)), verdict(r))
	} else {
		p.line("%s  (%s; %s)", r.URI, title, describePolicy(r.Policy))
		p.line("%s: %s", strings.ToUpper(string(r.Outcome)), verdict(r))
	}
	if t := r.Target; t != nil {
		if md {
			p.line("- **Target:** %s, addresses %s", t.Endpoint(), strings.Join(t.Addresses, ", "))
		} else {
			p.line("Target: %s  addresses %s", t.Endpoint(), strings.Join(t.Addresses, ", "))
		}
	}

	h("Candidates, in the order the client tries them")
	if len(r.Candidates) == 0 {
		p.line("(none)")
	}
	if md && len(r.Candidates) > 0 {
		p.line("| # | Server | Transport | From | Used | Why |")
		p.line("|---|---|---|---|---|---|")
	}
	for i, c := range r.Candidates {
		mark := "refused"
		if c.Accepted {
			mark = "ok"
		}
		if md {
			p.line("| %d | %s:%d | %s | %s | %s | %s |", i+1, c.Host, c.Port, c.Transport, c.Source, mark, c.Reason)
		} else {
			p.line("  %2d. [%s] %s  from %s", i+1, mark, c.Endpoint(), c.Source)
			p.line("      %s", c.Reason)
		}
	}

	h("DNS questions")
	if md && len(r.Steps) > 0 {
		p.line("| Round | Question | Type | Result | Answers | ms |")
		p.line("|---|---|---|---|---|---|")
	}
	for _, s := range r.Steps {
		res := s.Result()
		if md {
			p.line("| %d | %s | %s | %s | %s | %d |", s.Round, s.Question, s.Type, res, strings.Join(s.Answers, "; "), s.MS)
			continue
		}
		p.line("  [%d] %s %s  %s  %d ms", s.Round, s.Question, s.Type, res, s.MS)
		for _, a := range s.Answers {
			p.line("        %s", a)
		}
	}

	h("Findings")
	for _, f := range r.Findings {
		if md {
			p.line("- **%s** %s (%s): %s  \n  *Fix:* %s", f.Severity, f.Kind, f.Subject, f.Message, f.Fix)
			continue
		}
		p.line("  %s %s (%s)", strings.ToUpper(string(f.Severity)), f.Kind, f.Subject)
		p.line("      %s", f.Message)
		p.line("      Fix: %s", f.Fix)
	}
	if x := r.Register; x != nil {
		h("Sign-in (simulated REGISTER, nothing sent)")
		for i, m := range x.Messages {
			arrow := "client -> server"
			if !m.IsRequest() {
				arrow = "server -> client"
			}
			if md {
				p.line("%d. %s: %s — %s", i+1, arrow, m.StartLine, m.Note)
				continue
			}
			p.line("  %2d. %s  %s", i+1, arrow, m.StartLine)
			p.line("      %s", m.Note)
			if p.full {
				for _, l := range strings.Split(strings.TrimRight(m.String(), "\r\n"), "\r\n") {
					p.line("        | %s", l)
				}
			}
		}
		if md {
			p.line("")
			p.line("**%s**: %s", strings.ToUpper(string(x.Outcome)), x.Explanation)
			if x.Fix != "" {
				p.line("")
				p.line("*Fix:* %s", x.Fix)
			}
		} else {
			p.line("  %s: %s", strings.ToUpper(string(x.Outcome)), x.Explanation)
			if x.Fix != "" {
				p.line("  Fix: %s", x.Fix)
			}
		}
	}
	if r.Discovery != nil {
		h("What automatic discovery would do instead")
		p.line("%s: %s", strings.ToUpper(string(r.Discovery.Outcome)), verdict(r.Discovery))
	}
}

// terminalSafe replaces control characters (C0, DEL, C1) with \xNN.
func terminalSafe(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if isControl(c) {
			fmt.Fprintf(&b, "\\x%02x", c)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isControl(c rune) bool { return c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 }

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

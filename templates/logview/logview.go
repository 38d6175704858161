// Package logview renders what package logread found in a client's or a
// server's log, and its comparison with the prediction, as text for a
// terminal and as Markdown for a ticket. Every value from the log is
// escaped: control characters (terminal escapes in a header) are shown,
// not obeyed, and in Markdown punctuation cannot add links or HTML.
//
// It is its own package, not part of templates, so that the first
// WebAssembly module, which links templates, does not link the log
// reader and its SIP parser (docs/adr/0020-reading-client-logs.md).
package logview

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sipdisco/sipdisco/internal/textenc"
	"github.com/sipdisco/sipdisco/logread"
)

// Options say what to write besides the summary.
type Options struct {
	// Full writes every header of each sign-in step (redacted).
	Full bool
	// Name is the log's file name, shown in the heading.
	Name string
}

// WriteText writes l, and c when not nil, as text for a terminal.
func WriteText(w io.Writer, l *logread.Log, c *logread.Comparison, o Options) error {
	p := &printer{w: w, esc: textenc.Escape}
	write(p, l, c, o)
	return p.err
}

// WriteMarkdown writes l, and c when not nil, as Markdown.
func WriteMarkdown(w io.Writer, l *logread.Log, c *logread.Comparison, o Options) error {
	p := &printer{w: w, esc: markdownSafe, md: true}
	write(p, l, c, o)
	return p.err
}

type printer struct {
	w   io.Writer
	esc func(string) string
	md  bool
	err error
}

// line writes format with every string argument escaped.
func (p *printer) line(format string, args ...any) {
	if p.err != nil {
		return
	}
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = p.esc(s)
		}
	}
	_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
}

func (p *printer) heading(s string) {
	if p.md {
		p.line("\n### %s\n", s)
		return
	}
	p.line("\n%s", s)
}

// item writes a list item: "- " in Markdown, an indent in text.
func (p *printer) item(format string, args ...any) {
	if p.md {
		p.line("- "+format, args...)
		return
	}
	p.line("  "+format, args...)
}

// markdownSafe makes s inert Markdown: control characters escaped,
// Markdown punctuation and HTML characters backslash-escaped.
func markdownSafe(s string) string {
	s = textenc.Escape(s)
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune("\\`*_{}[]()<>#+!|~", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

var formatNames = map[logread.Format]string{
	logread.FormatUccApi:       "a client's UccApilog",
	logread.FormatServer:       "a server's SIPStack trace",
	logread.FormatPlainSIP:     "plain SIP text",
	logread.FormatEventLog:     "Communicator's or Lync's event log text",
	logread.FormatNotMicrosoft: "not a Microsoft client or server log",
	logread.FormatUnknown:      "no format sipdisco reads",
}

func write(p *printer, l *logread.Log, c *logread.Comparison, o Options) {
	name := o.Name
	if name == "" {
		name = "the log"
	}
	if p.md {
		p.line("## %s", name)
	}
	p.line("%s: %s (%d lines, %d bytes, %s)", name, formatNames[l.Format], l.Lines, l.Bytes, l.Encoding)
	p.item("%s", l.Why)
	if l.Client != "" {
		p.item("client: %s", l.Client)
	}
	if si := l.SignIn; si != nil {
		writeSignIn(p, l, si, o)
	} else if l.Format != logread.FormatNotMicrosoft {
		p.line("No sign-in (REGISTER) in the log.")
	}
	if len(l.Diagnostics) > 0 {
		p.heading("Diagnostics ([MS-OCER])")
		for _, d := range l.Diagnostics {
			meaning := d.Meaning
			if meaning == "" {
				meaning = "not in sipdisco's table of [MS-OCER]; shown as the server sent it"
			}
			in := ""
			if d.Status != 0 {
				in = fmt.Sprintf(" in a %d", d.Status)
			}
			p.item("%s %d%s (line %d, %d×): %s", d.Header, d.Code, in, d.Line, d.Count, meaning)
			if d.Reason != "" {
				p.item("  reason: %s", d.Reason)
			}
			if d.Source != "" {
				p.item("  source %s", d.Source)
			}
			if d.ClientShows != "" {
				p.item("  the client shows %s", d.ClientShows)
			}
			if d.Code == 0 {
				p.item("  %s", d.Raw)
			}
		}
	}
	if len(l.Folded) > 0 {
		var parts []string
		for _, m := range sortedKeys(l.Folded) {
			parts = append(parts, fmt.Sprintf("%d %s", l.Folded[m], m))
		}
		p.heading("Folded away")
		p.item("%s", strings.Join(parts, ", "))
	}
	if len(l.Discovery.Servers) > 0 || len(l.Discovery.Evidence) > 0 {
		p.heading("Discovery evidence")
		if len(l.Discovery.Servers) > 0 {
			p.item("servers contacted, in order: %s", strings.Join(l.Discovery.Servers, ", "))
		}
		for _, e := range l.Discovery.Evidence {
			p.item("line %d (%s): %s", e.Line, e.Kind, e.Text)
		}
	}
	if c != nil {
		writeComparison(p, c)
	}
	d := l.Dropped
	if d != (logread.Dropped{}) {
		p.heading("Left out (limits)")
		p.item("%d long lines, %d long messages, %d messages, %d ladder steps, %d sign-in Call-IDs, %d evidence lines, %d problems, %d unparsed messages",
			d.LongLines, d.LongMessages, d.Messages, d.CallMessages, d.Calls, d.Evidence, d.Problems, d.Unparsed)
	}
	if len(l.Problems) > 0 {
		p.heading("Problems")
		for _, pr := range l.Problems {
			p.item("line %d: %s", pr.Line, pr.Message)
		}
	}
}

var outcomeWords = map[logread.Outcome]string{
	logread.SignedIn:   "signed in",
	logread.Failed:     "failed",
	logread.Challenged: "asked for credentials, and the log ends",
	logread.Redirected: "redirected",
	logread.Unknown:    "no final answer in the log",
}

func writeSignIn(p *printer, l *logread.Log, si *logread.SignIn, o Options) {
	where := si.Server
	if where == "" && si.Peer != "" {
		where = "from " + si.Peer
	}
	status := ""
	if si.FinalStatus != 0 {
		status = fmt.Sprintf(" (%d %s)", si.FinalStatus, si.FinalReason)
	}
	p.heading("Sign-in")
	p.item("%s: %s %s%s", si.Address, outcomeWords[si.Outcome], where, status)
	if len(si.Offered) > 0 || si.Chosen != "" {
		p.item("schemes offered: %s; chosen: %s", orNone(strings.Join(si.Offered, ", ")), orNone(si.Chosen))
	}
	if len(si.Redirects) > 0 {
		p.item("redirected to: %s", strings.Join(si.Redirects, ", "))
	}
	for i, a := range si.Attempts {
		end := a.Server
		if end == "" {
			end = a.Peer
		}
		extra := ""
		if a.SignOut {
			extra = ", a sign-out"
		}
		p.heading(fmt.Sprintf("Attempt %d: Call-ID %s, %s: %s%s", i+1, a.CallID, orNone(end), a.Outcome, extra))
		for _, s := range a.Steps {
			arrow := "  "
			switch s.Direction {
			case logread.Sent:
				arrow = "->"
			case logread.Received:
				arrow = "<-"
			}
			t := s.Time
			if t == "" {
				t = fmt.Sprintf("line %d", s.Line)
			}
			cut := ""
			if s.Truncated {
				cut = " (cut short in the log)"
			}
			if p.md {
				p.item("%s %s %s: %s (CSeq %s)%s", t, arrowWord(s.Direction), orNone(s.Remote), s.StartLine, s.CSeq, cut)
			} else {
				p.line("  %s %s %-21s %s (CSeq %s)%s", t, arrow, s.Remote, s.StartLine, s.CSeq, cut)
			}
			if o.Full {
				for _, h := range s.Headers {
					p.item("    %s: %s", h.Name, h.Value)
				}
			}
		}
		if a.Dropped > 0 {
			p.item("… %d more messages left out", a.Dropped)
		}
	}
}

func arrowWord(d logread.Direction) string {
	switch d {
	case logread.Sent:
		return "sent to"
	case logread.Received:
		return "received from"
	}
	return "seen with"
}

var verdictWords = map[logread.Verdict]string{logread.Agrees: "agrees", logread.Differs: "DIFFERS", logread.Note: "note"}

func writeComparison(p *printer, c *logread.Comparison) {
	target := c.Target
	if target == "" {
		target = "no server"
	}
	p.heading(fmt.Sprintf("Beside the prediction for %s (%s)", c.Address, c.Profile))
	p.item("sipdisco predicts: %s, %s", string(c.Outcome), target)
	for _, pt := range c.Points {
		pred := ""
		if pt.Predicted != "" {
			pred = "; predicted " + pt.Predicted
		}
		p.item("%s %s: %s%s", verdictWords[pt.Verdict], pt.Kind, pt.Log, pred)
		p.item("  %s", pt.Means)
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

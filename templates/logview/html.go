package logview

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/internal/textenc"
	"github.com/sipdisco/sipdisco/logread"
)

// esc makes a value from the log safe to show: control characters (a
// terminal escape in a header) and bidirectional controls are written as
// escapes; templ escapes the HTML.
func esc(s string) string { return textenc.Escape(s) }

// outcomeOf is the sign-in's outcome, "" without one.
func outcomeOf(l *logread.Log) string {
	if l.SignIn == nil {
		return ""
	}
	return string(l.SignIn.Outcome)
}

// headline says in one line what the log shows.
func headline(l *logread.Log) string {
	si := l.SignIn
	switch {
	case l.Format == logread.FormatNotMicrosoft:
		return "Not a Microsoft client or server log"
	case si == nil:
		return "No sign-in in this log"
	}
	where := si.Server
	if where == "" && si.Peer != "" {
		where = "from " + si.Peer
	}
	status := ""
	if si.FinalStatus != 0 {
		status = fmt.Sprintf(" (%d %s)", si.FinalStatus, si.FinalReason)
	}
	return esc(strings.TrimSpace(fmt.Sprintf("%s: %s %s%s", si.Address, outcomeWords[si.Outcome], where, status)))
}

func meaningOf(d logread.Diagnostic) string {
	if d.Meaning != "" {
		return d.Meaning
	}
	return "not in sipdisco's table of [MS-OCER]; shown as the server sent it: " + esc(d.Raw)
}

func folded(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], esc(k)))
	}
	return strings.Join(parts, ", ")
}

package templates

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/engine"
)

// current returns the aria-current value of a navigation entry.
func current(nav, entry string) string {
	if nav == entry {
		return "page"
	}
	return "false"
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func direction(fromClient bool) string {
	if fromClient {
		return "client → server"
	}
	return "server → client"
}

// hArrow returns the points of a horizontal arrowhead whose tip is at
// (x, y), pointing right when right is true.
func hArrow(x, y int, right bool) string {
	back := x + 8
	if right {
		back = x - 8
	}
	return itoa(back) + "," + itoa(y-5) + " " + itoa(back) + "," + itoa(y+5) + " " + itoa(x) + "," + itoa(y)
}

// dotted splits s after each dot: "sip.contoso.com" is "sip.",
// "contoso.", "com".
func dotted(s string) []string { return strings.SplitAfter(s, ".") }

// breakable renders s, escaped, with a line-break opportunity (<wbr>)
// after each dot, so that a host name or a record in a narrow cell wraps
// between its labels and never inside one (the style sheet breaks no
// word, and a label with a hyphen, where a browser would break, is kept
// whole in a span of class "nb"). It is written in Go because templ would put a space between the
// parts; copying the text copies s as it is.
func breakable(s string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		for i, part := range dotted(s) {
			if part == "" {
				break // after a final dot
			}
			if i > 0 {
				if _, err := io.WriteString(w, "<wbr>"); err != nil {
					return err
				}
			}
			// A browser breaks after a hyphen; a label (a word of a
			// sentence) with one is kept whole.
			for _, word := range strings.SplitAfter(part, " ") {
				text := templ.EscapeString(word)
				if w := strings.TrimSuffix(word, " "); strings.Contains(w, "-") {
					text = `<span class="nb">` + templ.EscapeString(w) + `</span>` + word[len(w):]
				}
				if _, err := io.WriteString(w, text); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// profileStrict is the Client select's data-strict of the profile named
// name: "1" when that client uses strict DNS naming unless told
// (engine.Profile.StrictByDefault), "0" when not: every profile today
// (Office Communicator; Lync and Skype for Business, which accept a pool
// named under the sign-in domain, docs/adr/0016-lync-and-skype-naming.md). The page's script sets the "Strict DNS naming"
// box to it when the client changes, unless the user has set the box.
func profileStrict(name string) string {
	if p, err := engine.LookupProfile(name); err == nil && p.StrictByDefault {
		return "1"
	}
	return "0"
}

// thousands writes n with a comma every three digits: 10,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// joinShortened joins what a bounded report leaves out: "a, b and c".
func joinShortened(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

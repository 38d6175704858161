package templates

import (
	"context"
	"html"
	"strings"
	"testing"
)

// TestBreakable checks that a breakable value renders as the escaped text
// itself, with nothing but <wbr> added, only after dots, and each label
// (a word of a sentence) with a hyphen in a span that keeps it whole: a browser's
// text (and a copy) of it is the value as it is.
func TestBreakable(t *testing.T) {
	for _, s := range []string{"", "sip.contoso.com:5061", "_sip._tls.contoso.com.", "a<b>.c&d", "no-dots", "..", "bob@healthy.example", "lyncdiscover.teams-wildcard.example:443", "a-</span>.b", "no-records: Sign-in fails. Over and-out"} {
		var b strings.Builder
		if err := breakable(s).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		bare := strings.NewReplacer("<wbr>", "", `<span class="nb">`, "", "</span>", "").Replace(got)
		if strings.Contains(bare, " ") && !strings.Contains(s, " ") {
			t.Errorf("%q renders %q: a space the value does not have", s, got)
		}
		if text := html.UnescapeString(bare); text != s {
			t.Errorf("%q renders %q, whose text is %q", s, got, text)
		}
		if n, dots := strings.Count(got, "<wbr>"), strings.Count(strings.TrimSuffix(s, "."), "."); n != dots {
			t.Errorf("%q renders %d <wbr>; want one after each of its %d inner dots", s, n, dots)
		}
		for _, label := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ' ' }) {
			if strings.Contains(label, "-") && !strings.Contains(got, `<span class="nb">`+html.EscapeString(label)) {
				t.Errorf("%q renders %q: its label %q, which has a hyphen, is not kept whole", s, got, label)
			}
		}
		if strings.Contains(got, `nb">fails`) || strings.Contains(got, ` </span>`) {
			t.Errorf("%q renders %q: a span around a word with no hyphen, or around a space", s, got)
		}
		if strings.Contains(got, "<b>") {
			t.Errorf("%q renders %q unescaped", s, got)
		}
	}
}

package templates

import (
	"context"
	"html"
	"strings"
	"testing"
)

// TestBreakable checks that a breakable value renders as the escaped text
// itself, with nothing but <wbr> added, and only after dots: a browser's
// text (and a copy) of it is the value as it is.
func TestBreakable(t *testing.T) {
	for _, s := range []string{"", "sip.contoso.com:5061", "_sip._tls.contoso.com.", "a<b>.c&d", "no-dots", "..", "bob@healthy.example"} {
		var b strings.Builder
		if err := breakable(s).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		if strings.Contains(got, " ") && !strings.Contains(s, " ") {
			t.Errorf("%q renders %q: a space the value does not have", s, got)
		}
		if text := html.UnescapeString(strings.ReplaceAll(got, "<wbr>", "")); text != s {
			t.Errorf("%q renders %q, whose text is %q", s, got, text)
		}
		if n, dots := strings.Count(got, "<wbr>"), strings.Count(strings.TrimSuffix(s, "."), "."); n != dots {
			t.Errorf("%q renders %d <wbr>; want one after each of its %d inner dots", s, n, dots)
		}
		if strings.Contains(got, "<b>") {
			t.Errorf("%q renders %q unescaped", s, got)
		}
	}
}

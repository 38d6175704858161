//go:build !js

package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipdisco/sipdisco/engine"
)

// TestBrowserResolverGuidance: when the chosen resolver cannot answer for
// a domain (this server's /dns-query, which answers only the demo zones,
// refuses a real one; a public resolver this machine cannot reach), the
// banner says why in plain words, with none of the resolver's raw error,
// and offers the checks that would answer as links.
func TestBrowserResolverGuidance(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	type banner struct {
		State, Text string
		Choices     []string
	}
	const read = `(() => {
		const b = document.querySelector('#result [data-testid="outcome"]');
		return {State: b.dataset.state, Text: b.textContent.replace(/\s+/g, ' '),
			Choices: [...b.querySelectorAll('a[data-testid="choice"]')].map((a) => a.getAttribute('href'))};
	})()`
	for _, c := range []struct {
		what, query, words string
	}{
		{"a real domain on this server's DNS", "uri=bob%40contoso.com&doh=local", "answers only the demo domains"},
		{"a public resolver out of reach", "uri=bob%40contoso.com&doh=" + url.QueryEscape("https://cloudflare-dns.com/dns-query"), "could not reach the DNS resolver"},
	} {
		t.Run(c.what, func(t *testing.T) {
			ctx := tab(t, bctx, time.Minute)
			if _, err := showReport(ctx, chromedp.Navigate(site.URL+"/?"+c.query)); err != nil {
				t.Fatal(err)
			}
			b, err := chromedp.Run(ctx, chromedp.Evaluate[banner](read))
			if err != nil {
				t.Fatal(err)
			}
			if b.State != "unknown" || !strings.Contains(b.Text, c.words) {
				t.Errorf("the banner is %s: %q; want unknown, saying %q", b.State, b.Text, c.words)
			}
			for _, raw := range []string{"at offset", "packing the query", "Failed to fetch", "CORS", "dohclient", "(REFUSED)"} {
				if strings.Contains(b.Text, raw) {
					t.Errorf("the banner shows %q: %q", raw, b.Text)
				}
			}
			if !strings.Contains(b.Text, "sipdisco serve --upstream system") {
				t.Errorf("the banner does not offer sipdisco serve --upstream system: %q", b.Text)
			}
			if len(b.Choices) == 0 {
				t.Fatalf("the banner links to no resolver that would answer")
			}
			for _, h := range b.Choices {
				q, err := url.ParseQuery(strings.TrimPrefix(h, "?"))
				if err != nil || q.Get("uri") != "bob@contoso.com" || !strings.HasPrefix(q.Get("doh"), "https://") || strings.Contains(c.query, url.QueryEscape(q.Get("doh"))) {
					t.Errorf("choice %q: want this check with another, public resolver", h)
				}
			}
			screenshot(t, ctx, "g-"+strings.ReplaceAll(c.what, " ", "-"))
		})
	}

	// The Compare page, with view B's resolver out of reach: one row
	// says that every lookup failed, not one "difference" per question.
	t.Run("compare, a view out of reach", func(t *testing.T) {
		ctx := tab(t, bctx, time.Minute)
		start := time.Now()
		err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/compare/?uri=bob%40healthy.example&a=local&b="+url.QueryEscape("https://cloudflare-dns.com/dns-query")),
			chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="compare"], #cmp-error:not([hidden])`)))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("compare with an unreachable view: %v", time.Since(start).Round(time.Millisecond))
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#cmp-result [data-testid="diff"] tr.differs')].map((tr) => tr.textContent.replace(/\s+/g, ' '))`))
		if err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, r := range rows {
			if strings.Contains(r, "lookups failed") {
				failed++
			}
		}
		if failed != 1 || len(rows) > 7 {
			t.Errorf("the comparison lists %d differences, %d saying every lookup failed; want one such row and no row per question: %q", len(rows), failed, rows)
		}
	})

	// The matrix gives up on a column whose resolver fails every
	// question of its first check, and says so in one line.
	t.Run("matrix, a view out of reach", func(t *testing.T) {
		ctx := tab(t, bctx, time.Minute)
		start := time.Now()
		err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/compare/?uri=bob%40healthy.example&a=local&b="+url.QueryEscape("https://cloudflare-dns.com/dns-query")+"&matrix=1"),
			chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="matrix"], #cmp-error:not([hidden])`)))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("matrix with an unreachable view: %v", time.Since(start).Round(time.Millisecond))
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#cmp-result [data-testid="matrix-failed"]')].map((p) => p.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], "B: ") {
			t.Errorf("the matrix says %q; want one line for view B", got)
		}
		cells, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int](`[document.querySelectorAll('#cmp-result td[data-testid^="mcell-1-"][data-outcome="indeterminate"]').length, document.querySelectorAll('#cmp-result td[data-testid^="mcell-0-"][data-outcome="connect"]').length]`))
		if err != nil || cells[0] == 0 || cells[1] == 0 {
			t.Errorf("the matrix shows %d unknown cells for B and %d connecting for A (%v); want B all unknown, A checked", cells[0], cells[1], err)
		}
	})

	// With several addresses the matrix gives up the same way, for each
	// address whose first check in a column failed every question
	// alike, and says so in one line per column and failure, not one per
	// address or cell: a resolver out of reach fails every address; this
	// server's, which answers only the demo domains, refuses the real
	// ones and answers the demo address beside them.
	for _, c := range []struct {
		what, query string
		// want is the one line's view and the addresses it names; gone
		// and kept the matrices (by address) whose cells of that view are
		// all unknown, and those checked.
		view       string
		names      []string
		gone, kept []string
	}{
		{"matrices, a view out of reach", "uri=bob%40healthy.example&a=local&b=" + url.QueryEscape("https://cloudflare-dns.com/dns-query") + "&matrix=1&more=" + url.QueryEscape("bob@strict.example bob@tcp-only.example"),
			"B", nil, []string{"sip:bob@healthy.example", "sip:bob@strict.example", "sip:bob@tcp-only.example"}, nil},
		{"matrices, real domains on this server's DNS", "uri=bob%40contoso.com&a=local&matrix=1&more=" + url.QueryEscape("alice@fabrikam.com bob@healthy.example"),
			"A", []string{"bob@contoso.com", "alice@fabrikam.com"}, []string{"sip:bob@contoso.com", "sip:alice@fabrikam.com"}, []string{"sip:bob@healthy.example"}},
	} {
		t.Run(c.what, func(t *testing.T) {
			ctx := tab(t, bctx, 2*time.Minute)
			start := time.Now()
			err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/compare/?"+c.query),
				chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="matrix"], #cmp-error:not([hidden])`)))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %v", c.what, time.Since(start).Round(time.Millisecond))
			type matrix struct {
				URI     string
				Unknown int // cells of the view that are unknown
				Cells   int // cells of the view
			}
			type page struct {
				Error    string
				Lines    []string
				Matrices []matrix
			}
			col := map[string]int{"A": 0, "B": 1}[c.view]
			got, err := chromedp.Run(ctx, chromedp.Evaluate[page](fmt.Sprintf(`(() => {
				const r = document.getElementById('cmp-result'), e = document.getElementById('cmp-error');
				return {
					Error: e.hidden ? '' : e.textContent,
					Lines: [...r.querySelectorAll('[data-testid="matrix-failed"]')].map((p) => p.textContent.replace(/\s+/g, ' ')),
					Matrices: [...r.querySelectorAll('[data-testid="matrix"]')].map((m) => ({
						URI: m.dataset.address,
						Unknown: m.querySelectorAll('td[data-testid^="mcell-%[1]d-"][data-outcome="indeterminate"]').length,
						Cells: m.querySelectorAll('td[data-testid^="mcell-%[1]d-"]').length,
					})),
				};
			})()`, col)))
			if err != nil {
				t.Fatal(err)
			}
			if got.Error != "" {
				t.Fatalf("the page shows an error: %s", got.Error)
			}
			if len(got.Lines) != 1 || !strings.HasPrefix(got.Lines[0], c.view+": ") {
				t.Errorf("the matrices say %q; want one line, for view %s", got.Lines, c.view)
			} else {
				for _, n := range c.names {
					if !strings.Contains(got.Lines[0], n) {
						t.Errorf("the line %q does not name %s", got.Lines[0], n)
					}
				}
				for _, raw := range []string{"(REFUSED)", "Failed to fetch", "dohclient"} {
					if strings.Contains(got.Lines[0], raw) {
						t.Errorf("the line shows the resolver's raw error %q: %q", raw, got.Lines[0])
					}
				}
			}
			byURI := map[string]matrix{}
			for _, m := range got.Matrices {
				byURI[m.URI] = m
			}
			want := 2 * len(engine.Profiles())
			for _, u := range c.gone {
				if m := byURI[u]; m.Cells != want || m.Unknown != want {
					t.Errorf("%s: %d of %d cells of view %s unknown; want all %d", u, m.Unknown, m.Cells, c.view, want)
				}
			}
			for _, u := range c.kept {
				if m := byURI[u]; m.Cells != want || m.Unknown != 0 {
					t.Errorf("%s: %d of %d cells of view %s unknown; want all %d checked", u, m.Unknown, m.Cells, c.view, want)
				}
			}
			if c.view == "B" {
				// View A was asked: its cells are checked.
				for _, m := range got.Matrices {
					if a, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-address="`+m.URI+`"] td[data-testid^="mcell-0-"]:not([data-outcome="indeterminate"])').length`)); a != want {
						t.Errorf("%s: %d cells of view A checked; want %d", m.URI, a, want)
					}
				}
			}
			// The new state has no serious or critical violation (last:
			// without axe-core the subtest stops here, skipped).
			checkAxe(t, ctx, axeSource(t), c.what)
		})
	}
}

//go:build !js

package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sipdisco/sipdisco/engine"
)

// auditState is what the tests read off a rendered batch audit.
type auditState struct {
	Error    string     `json:"error"`
	Summary  string     `json:"summary"`
	Progress string     `json:"progress"`
	Rows     []auditRow `json:"rows"`
	Injected int        `json:"injected"`
}

type auditRow struct {
	Line    string `json:"line"`
	Address string `json:"address"`
	Outcome string `json:"outcome"`
	// State is the row's state; Marked whether it says "with problems".
	State  string `json:"state"`
	Marked bool   `json:"marked"`
	Target string `json:"target"`
	Error  string `json:"error"`
	Link   string `json:"link"`
	// Clients counts the row's client generations (Every client).
	Clients int `json:"clients"`
}

const readAudit = `(() => {
	const r = document.getElementById('audit-result');
	const e = document.getElementById('audit-error');
	const t = (el, s) => el.querySelector(s) ? el.querySelector(s).textContent.trim() : '';
	return {
		error: e.hidden ? '' : e.textContent,
		summary: t(r, '[data-testid="audit-summary"]'),
		progress: document.getElementById('audit-progress').textContent,
		rows: [...r.querySelectorAll('[data-testid="audit-row"]')].map((tr) => ({
			line: tr.dataset.line, address: t(tr, 'th code'), outcome: tr.dataset.outcome,
			state: tr.dataset.state || '', marked: !!tr.querySelector('[data-testid="audit-state"]'),
			target: t(tr, 'td[data-label="Server"] code'), error: t(tr, '[data-testid="audit-error"]'),
			link: tr.querySelector('a[data-testid="audit-link"]') ? tr.querySelector('a[data-testid="audit-link"]').getAttribute('href') : '',
			clients: tr.querySelectorAll('ul.audit-clients li[data-outcome]').length,
		})),
		injected: r.querySelectorAll('script, img, iframe, [onerror], [onload], a[href^="javascript"]').length,
	};
})()`

// waitFile waits up to d for a complete download of name in dir
// (downloaded), failing the test if none comes.
func waitFile(t *testing.T, dir, name string, d time.Duration) []byte {
	t.Helper()
	b, err := downloaded(dir, name, d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBrowserAudit(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)

	t.Run("pasted list with a bad line", func(t *testing.T) {
		t.Parallel()
		addrs := []string{"bob@healthy.example", "bob@strict.example", "bob@nothing.example", "bob@servfail.example", "alice@healthy.example", "bob@hostile.example", "bob@tcp-only.example"}
		want := cliReports(t, addrs)
		list := "# users to check\n" + strings.Join(addrs[:3], "\n") + "\n\nnot an address\n" + strings.Join(addrs[3:], "\n") + "\n"
		// Line numbers: the comment is line 1, the blank line 5, the bad line 6.
		lineOf := map[string]string{addrs[0]: "2", addrs[1]: "3", addrs[2]: "4", addrs[3]: "7", addrs[4]: "8", addrs[5]: "9", addrs[6]: "10"}

		ctx := tab(t, bctx, 30*time.Second)
		dl := t.TempDir()
		start := time.Now()
		err := chromedp.Do(ctx,
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
					Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl,
					// The test's own browser context (see browser).
					BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
				})
				return err
			}),
			chromedp.Navigate(site.URL+"/audit/"),
			chromedp.WaitNotVisible(chromedp.ID("audit-loading")),
			chromedp.SetValue(chromedp.ID("audit-list"), list),
			chromedp.SetValue(chromedp.ID("audit-doh"), "local"),
			chromedp.Click(chromedp.ID("audit-run")),
			chromedp.WaitVisible(chromedp.CSS(`#audit-result [data-testid="audit"], #audit-error:not([hidden])`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[auditState](readAudit))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("audit of %d lines: %v", len(got.Rows), time.Since(start).Round(time.Millisecond))
		screenshot(t, ctx, "a1-audit")
		if got.Error != "" {
			t.Fatalf("the page shows an error: %s", got.Error)
		}
		if len(got.Rows) != len(addrs)+1 {
			t.Fatalf("%d rows; want %d (every address and the bad line)", len(got.Rows), len(addrs)+1)
		}
		var order []string
		for _, r := range got.Rows {
			order = append(order, r.Line)
			if r.Address == "not an address" {
				if r.Line != "6" || r.Outcome != "bad-input" || !strings.HasPrefix(r.Error, "Line 6: ") || r.Link != "" {
					t.Errorf("bad line row = %+v; want line 6, bad-input, its reason after \"Line 6: \", no link", r)
				}
				continue
			}
			w := want[r.Address]
			if r.Line != lineOf[r.Address] {
				t.Errorf("%s: line %s; want %s", r.Address, r.Line, lineOf[r.Address])
			}
			if r.Outcome != string(w.Outcome) {
				t.Errorf("%s: outcome %q; sipdisco check --json says %q", r.Address, r.Outcome, w.Outcome)
			}
			if st := engine.StateOf(w); r.State != string(st) || r.Marked != (st == engine.StateSignsInWithProblems) {
				t.Errorf("%s: state %q, marked with problems %v; sipdisco check --json says %q", r.Address, r.State, r.Marked, st)
			}
			if w.Target != nil && !strings.HasPrefix(r.Target, w.Target.Host+":") {
				t.Errorf("%s: server %q; sipdisco check --json says %s", r.Address, r.Target, w.Target.Host)
			}
			if r.Clients != len(w.Clients) {
				t.Errorf("%s: %d clients listed; sipdisco check --json has %d rows", r.Address, r.Clients, len(w.Clients))
			}
			if !strings.HasPrefix(r.Link, "../?uri=") || !strings.Contains(r.Link, "doh=local") {
				t.Errorf("%s: link %q; want a live analyzer link through this server's resolver", r.Address, r.Link)
			}
		}
		if strings.Join(order, " ") != "2 3 4 6 7 8 9 10" {
			t.Errorf("rows in line order %v; want input order 2 3 4 6 7 8 9 10", order)
		}
		amber := 0
		for _, a := range addrs {
			if engine.StateOf(want[a]) == engine.StateSignsInWithProblems {
				amber++
			}
		}
		if !strings.HasPrefix(got.Summary, "8 addresses: ") || !strings.Contains(got.Summary, "1 bad input") || !strings.Contains(got.Summary, fmt.Sprintf(" %d with problems", amber)) || amber == 0 {
			t.Errorf("summary %q; want 8 addresses with 1 bad input, %d signing in with problems (tcp-only among them)", got.Summary, amber)
		}
		if got.Progress != "8 of 8 lines done" {
			t.Errorf("progress %q; want 8 of 8 lines done", got.Progress)
		}
		if got.Injected != 0 {
			t.Errorf("the audit table holds %d elements made from DNS data or input", got.Injected)
		}

		// The CSV download holds the same rows.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="audit-csv"]`))); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(string(waitFile(t, dl, "sipdisco-audit.csv", 30*time.Second)))).ReadAll()
		if err != nil {
			t.Fatalf("the download is not CSV: %v", err)
		}
		if len(recs) != len(got.Rows)+1 || recs[0][0] != "address" {
			t.Fatalf("CSV has %d records; want a header and %d rows", len(recs), len(got.Rows))
		}
		for i, r := range got.Rows {
			if rec := recs[i+1]; rec[0] != r.Address || rec[3] != r.Outcome || rec[len(rec)-1] != r.State {
				t.Errorf("CSV row %d = %v; want %s %s … %s as in the table", i+1, rec, r.Address, r.Outcome, r.State)
			}
		}

		// A live link opens the full report in the analyzer.
		rep, err := showReport(ctx, chromedp.Click(chromedp.CSS(`[data-testid="audit-row"][data-line="3"] a`)))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Outcome != string(want["bob@strict.example"].Outcome) {
			t.Errorf("the row's link opens a report with outcome %q; want %q", rep.Outcome, want["bob@strict.example"].Outcome)
		}
	})

	t.Run("certificate on the analyzer feeds the TLS step", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 30*time.Second)
		kinds := func() []string {
			k, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#result [data-testid="findings"] a.kind')].map((a) => a.textContent)`))
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		wrong := testCertPEM(t, "sip.fabrikam.com")
		start := time.Now()
		got, err := showLadder(ctx,
			chromedp.Navigate(site.URL+"/"),
			chromedp.WaitNotVisible(chromedp.ID("loading")),
			chromedp.Click(chromedp.CSS("#more summary")),
			chromedp.SetValue(chromedp.ID("certpem"), wrong),
			chromedp.SendKeys(chromedp.ID("uri"), "bob@healthy.example"+kb.Enter))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("check with a certificate: %v", time.Since(start).Round(time.Millisecond))
		screenshotOf(t, ctx, "a2-cert-mismatch", `#result [data-testid="register"]`)
		if got.Failure != "certificate-name-mismatch" || len(got.Connections) == 0 || got.Connections[0].TLS != "name-mismatch" {
			t.Errorf("wrong certificate: ladder %q %q, connections %+v; want certificate-name-mismatch", got.Outcome, got.Failure, got.Connections)
		}
		if k := kinds(); !slices.Contains(k, "name-not-covered") {
			t.Errorf("wrong certificate: findings %v; want the certificate check's name-not-covered", k)
		}
		if got.Share != "" {
			t.Errorf("wrong certificate: live share link %q; want none (the certificate is not in links)", got.Share)
		}
		search, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
		if strings.Contains(search, "BEGIN") || strings.Contains(search, "cert") {
			t.Errorf("address bar %q carries the certificate", search)
		}

		// The next report must replace this one, not be read off it.
		clear := func() {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById('result').textContent = '', true)`)); err != nil {
				t.Fatal(err)
			}
		}
		clear()
		good := testCertPEM(t, "sip.healthy.example")
		got, err = showLadder(ctx, chromedp.SetValue(chromedp.ID("certpem"), good), chromedp.Click(chromedp.ID("run")))
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != "registered" || len(got.Connections) == 0 || got.Connections[0].TLS != "valid" {
			t.Errorf("good certificate: ladder %q %q, connections %+v; want registered with TLS valid", got.Outcome, got.Failure, got.Connections)
		}
		if k := kinds(); !slices.Contains(k, "name-covered") {
			t.Errorf("good certificate: findings %v; want the certificate check's name-covered", k)
		}

		clear()
		broken := "from openssl\n" + strings.Replace(good, "-----END CERTIFICATE-----", "", 1)
		_, err = showReport(ctx, chromedp.SetValue(chromedp.ID("certpem"), broken), chromedp.Click(chromedp.ID("run")))
		if err == nil || !strings.Contains(err.Error(), "Server certificate (PEM): line 2") {
			t.Errorf("broken certificate: %v; want an error naming the box and line 2", err)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("certpem"))); v != broken {
			t.Error("after the error the certificate box lost its text")
		}
	})

	t.Run("matrix of two addresses", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 30*time.Second)
		start := time.Now()
		err := chromedp.Do(ctx,
			chromedp.Navigate(site.URL+"/compare/?uri=bob%40healthy.example&a=local&matrix=1&more=bob%40strict.example"),
			chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="matrix"], #cmp-error:not([hidden])`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		type matrix struct {
			URI    string            `json:"uri"`
			Cells  int               `json:"cells"`
			Links  int               `json:"links"`
			ByCell map[string]string `json:"byCell"`
		}
		type state struct {
			Error    string   `json:"error"`
			More     string   `json:"more"`
			Search   string   `json:"search"`
			Matrices []matrix `json:"matrices"`
			IDs      []string `json:"ids"`
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
			const r = document.getElementById('cmp-result');
			const e = document.getElementById('cmp-error');
			return {
				error: e.hidden ? '' : e.textContent,
				more: document.getElementById('cmp-more').value,
				search: location.search,
				matrices: [...r.querySelectorAll('[data-testid="matrix"]')].map((m) => {
					const by = {};
					m.querySelectorAll('td.cell').forEach((c) => { by[c.dataset.testid] = c.dataset.outcome; });
					return {uri: m.dataset.address, cells: m.querySelectorAll('td.cell[data-outcome]').length,
						links: m.querySelectorAll('td.cell a[href^="../?uri="]').length, byCell: by};
				}),
				ids: [...r.querySelectorAll('[data-testid="matrix"] h2')].map((h) => h.id),
			};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("matrix of two addresses → 16 checks: %v", time.Since(start).Round(time.Millisecond))
		screenshot(t, ctx, "a3-matrices")
		if got.Error != "" {
			t.Fatalf("the page shows an error: %s", got.Error)
		}
		if len(got.Matrices) != 2 {
			t.Fatalf("%d matrices; want 2, one per address", len(got.Matrices))
		}
		for i, uri := range []string{"sip:bob@healthy.example", "sip:bob@strict.example"} {
			m := got.Matrices[i]
			if want := 2 * len(engine.Profiles()); m.URI != uri || m.Cells != want || m.Links != want {
				t.Errorf("matrix %d: %s with %d cells, %d live links; want %s with %d of each", i+1, m.URI, m.Cells, m.Links, uri, want)
			}
		}
		// Communicator's strict naming refuses strict.example's pool on TLS
		// and TCP alike (Lync's applies to TLS only, so Lync signs in over
		// TCP there).
		if got.Matrices[0].ByCell["mcell-0-communicator-2007-strict"] != "connect" || got.Matrices[1].ByCell["mcell-0-communicator-2007-strict"] == "connect" {
			t.Errorf("communicator-2007 strict: %q for healthy, %q for strict; want connect, then not (strict naming refuses strict.example's pool)",
				got.Matrices[0].ByCell["mcell-0-communicator-2007-strict"], got.Matrices[1].ByCell["mcell-0-communicator-2007-strict"])
		}
		if len(got.IDs) != 2 || got.IDs[0] == got.IDs[1] {
			t.Errorf("headline ids %v; want two distinct", got.IDs)
		}
		if got.More != "bob@strict.example" || !strings.Contains(got.Search, "more=bob%40strict.example") {
			t.Errorf("more addresses box %q, address bar %q; want the second address in both", got.More, got.Search)
		}

		// A bad line of the box is named by its number.
		err = chromedp.Do(ctx,
			chromedp.SetValue(chromedp.ID("cmp-more"), "bob@strict.example\n\nnot an address"),
			chromedp.Click(chromedp.ID("cmp-matrix")),
			chromedp.WaitVisible(chromedp.CSS(`#cmp-error:not([hidden])`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('cmp-error').textContent`))
		if !strings.Contains(msg, "line 3") {
			t.Errorf("bad address in the box: error %q; want it to name line 3", msg)
		}
	})
}

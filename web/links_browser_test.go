//go:build !js

package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sipdisco/sipdisco/demo"
)

// sameReport is what must agree between two showings of one check: the
// state, the outcome, the server, how many candidates and DNS questions,
// and the findings' kinds in their order.
type sameReport struct {
	State, Outcome, Target string
	Candidates, Steps      int
	Kinds                  string
}

const readSame = `(() => {
	const q = (s) => document.querySelector('#result ' + s);
	const b = q('[data-testid="outcome"]');
	return {
		State: b ? b.dataset.state : '',
		Outcome: b ? b.dataset.outcome : '',
		Target: q('[data-testid="target"] .host code') ? q('[data-testid="target"] .host code').textContent : '',
		Candidates: document.querySelectorAll('#result [data-testid="candidates"] tbody tr').length,
		Steps: document.querySelectorAll('#result [data-testid="steps"] ol.steps > li').length,
		Kinds: [...document.querySelectorAll('#result [data-testid="findings"] a.kind')].map((a) => a.textContent).join(' '),
	};
})()`

func readSameReport(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) sameReport {
	t.Helper()
	if _, err := showReport(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[sameReport](readSame))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return r
}

// clearURI empties the address box, as a user selecting its text and
// typing over it would.
var clearURI = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
	_, err := chromedp.Evaluate[bool](`document.getElementById('uri').value = ''; true`)(ctx, tg)
	return err
})

// cliLinks runs `sipdisco check --link` on the addresses and returns each
// one's rerun link, as a path and query on the test site.
func cliLinks(t *testing.T, addrs []string) []string {
	t.Helper()
	out, err := exec.Command(buildCLI(t), append([]string{"check", "--link"}, addrs...)...).Output()
	if len(out) == 0 {
		t.Fatalf("sipdisco check --link: %v", err)
	}
	var links []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if _, l, ok := strings.Cut(sc.Text(), "Rerun the check: "); ok {
			u, err := url.Parse(strings.TrimSpace(l))
			if err != nil {
				t.Fatal(err)
			}
			links = append(links, "/?"+u.RawQuery)
		}
	}
	if len(links) != len(addrs) {
		t.Fatalf("sipdisco check --link printed %d rerun links for %d addresses", len(links), len(addrs))
	}
	return links
}

// TestBrowserLinks: for every demo address, the page's own link and its
// snapshot link show the report the check from the form showed, and the
// CLI's --link shows the CLI's report; a link without doh= says what it
// assumed and puts the resolver in the address bar. Back and Forward
// move between checks, and a bad input leaves the address bar and the
// form as typed.
func TestBrowserLinks(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	scenarios := demo.Scenarios()
	addrs := make([]string, len(scenarios))
	for i, sc := range scenarios {
		addrs[i] = sc.Try
	}
	cli := cliReports(t, addrs)
	links := cliLinks(t, addrs)

	// The demos in three tabs at once: each demo loads the page four
	// times, and a tab mostly waits on its module and the DNS.
	const tabs = 3
	for part := range tabs {
		t.Run(fmt.Sprintf("every demo, part %d of %d", part+1, tabs), func(t *testing.T) {
			t.Parallel()
			ctx := tab(t, bctx, 5*time.Minute)
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
				t.Fatal(err)
			}
			for i, sc := range scenarios {
				if i%tabs != part {
					continue
				}
				form := readSameReport(t, ctx, sc.Name+" from the form",
					clearURI, chromedp.SendKeys(chromedp.ID("uri"), sc.Try+kb.Enter),
					chromedp.WaitVisible(chromedp.CSS(`#result [data-testid="outcome"][data-state]`)))
				share, err := chromedp.Run(ctx, chromedp.Evaluate[[2]string](`[document.querySelector('[data-testid="share-link"]').getAttribute('href'), document.querySelector('[data-testid="snapshot-link"]').getAttribute('href')]`))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(share[0], "doh=") {
					t.Errorf("%s: the page's own link %q does not name its resolver", sc.Name, share[0])
				}
				own := readSameReport(t, ctx, sc.Name+"'s own link", chromedp.Navigate(site.URL+"/"+share[0]))
				if own != form {
					t.Errorf("%s: its own link shows %+v; the form showed %+v", sc.Name, own, form)
				}
				snap := readSameReport(t, ctx, sc.Name+"'s snapshot", chromedp.Navigate(site.URL+"/"+share[1]))
				if snap != form {
					t.Errorf("%s: its snapshot shows %+v; the form showed %+v", sc.Name, snap, form)
				}
				fromCLI := readSameReport(t, ctx, sc.Name+"'s CLI link", chromedp.Navigate(site.URL+links[i]))
				want := cli[sc.Try]
				target := ""
				if want.Target != nil {
					target = want.Target.Host + ":" + strconv.Itoa(int(want.Target.Port))
				}
				var kinds []string
				for _, f := range want.Findings {
					kinds = append(kinds, string(f.Kind))
				}
				if fromCLI.State != string(want.State) || fromCLI.Target != target || fromCLI.Candidates != len(want.Candidates) || fromCLI.Steps != len(want.Steps) {
					t.Errorf("%s: the CLI's link shows %+v; the CLI said %s to %q, %d candidates, %d questions", sc.Name, fromCLI, want.State, target, len(want.Candidates), len(want.Steps))
				}
				if got, w := sortedWords(fromCLI.Kinds), sortedWords(strings.Join(kinds, " ")); got != w {
					t.Errorf("%s: the CLI's link shows findings %q; the CLI found %q", sc.Name, got, w)
				}
				if !strings.Contains(links[i], "doh=") {
					note, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#result [data-testid="assumed"]') || {textContent: ''}).textContent + ' | ' + location.search`))
					if err != nil || !strings.Contains(note, "names no DNS resolver") || !strings.Contains(note, "doh=local") {
						t.Errorf("%s: a link without doh= shows %q (%v); want the resolver it assumed, in the banner and the address bar", sc.Name, note, err)
					}
				}
				if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
					t.Fatal(err)
				}
			}
		})
	}

	t.Run("back and forward, a bad input", func(t *testing.T) {
		ctx := tab(t, bctx, time.Minute)
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
			t.Fatal(err)
		}
		check := func(addr string) string {
			err := chromedp.Do(ctx, clearURI, chromedp.SendKeys(chromedp.ID("uri"), addr+kb.Enter),
				chromedp.WaitVisible(chromedp.CSS(`#result [data-testid="outcome"] h2`)))
			if err != nil {
				t.Fatal(err)
			}
			return waitHeadline(t, ctx, addr)
		}
		first := check("bob@healthy.example")
		check("bob@nothing.example")
		if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
			t.Fatal(err)
		}
		if got := waitHeadline(t, ctx, "bob@healthy.example"); got != first {
			t.Errorf("Back after two checks shows %q; want the first, %q", got, first)
		}
		if err := chromedp.Do(ctx, chromedp.NavigateForward()); err != nil {
			t.Fatal(err)
		}
		waitHeadline(t, ctx, "bob@nothing.example")

		err := chromedp.Do(ctx, clearURI, chromedp.SendKeys(chromedp.ID("uri"), "bob@@x"+kb.Enter),
			chromedp.WaitVisible(chromedp.CSS(`#error:not([hidden])`)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[2]string](`[location.search, document.getElementById('uri').value]`))
		if err != nil {
			t.Fatal(err)
		}
		if q, _ := url.ParseQuery(strings.TrimPrefix(got[0], "?")); q.Get("uri") != "bob@@x" || got[1] != "bob@@x" {
			t.Errorf("after a bad input the address bar holds %q and the form %q; want both as typed, bob@@x", got[0], got[1])
		}
		if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
			t.Fatal(err)
		}
		waitHeadline(t, ctx, "bob@nothing.example")
	})
}

// waitHeadline waits until the shown report is addr's and returns its
// headline.
func waitHeadline(t *testing.T, ctx context.Context, addr string) string {
	t.Helper()
	h, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((resolve) => {
		const look = () => {
			const h = document.querySelector('#result [data-testid="outcome"] h2');
			const a = document.querySelector('#result [data-testid="inputs"] dd code');
			if (h && a && a.textContent === `+"`sip:`"+` + `+"`"+addr+"`"+`) { resolve(h.textContent); return; }
			setTimeout(look, 50);
		};
		look();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("waiting for %s's report: %v", addr, err)
	}
	return h
}

// sortedWords is s's words in order: the page lists findings by
// severity, the JSON by discovery.
func sortedWords(s string) string {
	w := strings.Fields(s)
	sort.Strings(w)
	return strings.Join(w, " ")
}

//go:build !js

package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// TestBrowserStrictFollowsClient: choosing a client sets the "Strict DNS
// naming" box to that client's default (loose for every client today:
// docs/adr/0016-lync-and-skype-naming.md) until the user sets the box, and
// the check then runs with what the box says.
func TestBrowserStrictFollowsClient(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	// The audit and compare forms have a Client select and a strict box
	// of their own, which follow it the same way.
	for _, f := range []struct{ path, sel, box string }{{"/audit/", "audit-profile", "audit-strict"}, {"/compare/", "cmp-profile", "cmp-strict"}} {
		ctx := tab(t, bctx, 60*time.Second)
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+f.path), chromedp.WaitVisible(chromedp.ID(f.sel))); err != nil {
			t.Fatal(err)
		}
		followsClient(t, ctx, f.path, f.sel, f.box)
	}
	ctx := tab(t, bctx, 60*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
		t.Fatal(err)
	}
	choose := followsClient(t, ctx, "/", "profile", "strict")
	// The check runs strict, as the box the user ticked says, for a Lync
	// client.
	choose("lync-2013")
	err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("uri"), "bob@healthy.example"),
		chromedp.Click(chromedp.ID("run")),
		chromedp.WaitVisible(chromedp.CSS(`#result [data-testid="outcome"]`)))
	if err != nil {
		t.Fatal(err)
	}
	q, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	if err != nil {
		t.Fatal(err)
	}
	if !containsAll(q, "profile=lync-2013", "strict=1") {
		t.Errorf("the check's link is %q; want the Lync client with strict naming on, as the box said", q)
	}
}

// followsClient checks, on the page at path, that the strict box (id box)
// follows the Client select (id sel) to each client's documented default
// until the user sets the box, and then stays as set (ticked, for
// lync-2013). It returns the function that chooses a client, as a user
// does, and says whether the box is ticked.
func followsClient(t *testing.T, ctx context.Context, path, sel, box string) func(profile string) bool {
	t.Helper()
	choose := func(profile string) bool {
		t.Helper()
		on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const s = document.getElementById(`+jsString(sel)+`);
			s.value = `+jsString(profile)+`;
			s.dispatchEvent(new Event('change', {bubbles: true}));
			return document.getElementById(`+jsString(box)+`).checked;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return on
	}
	for _, p := range engine.Profiles() {
		if got := choose(p.Name); got != p.StrictByDefault {
			t.Errorf("%s: after choosing %s the box says strict %v; want its default, %v", path, p.Name, got, p.StrictByDefault)
		}
	}
	// The user sets the box: it stays as set whatever client follows.
	choose("lync-2013")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(box))); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"communicator-2007-r2", "lync-2010", "skype-2016", "communicator-2007"} {
		if !choose(p) {
			t.Errorf("%s: after the user ticked the box, choosing %s cleared it", path, p)
		}
	}
	return choose
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// TestBrowserSnapshotAsksFirst: a snapshot made through a resolver the page
// does not list shows its report without asking anything, but does not put
// that resolver in the form: the page asks first, as it does for a link's
// query string, and only a yes puts it there (issue 15, item 4).
func TestBrowserSnapshotAsksFirst(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	const unlisted = "https://dns.example/dns-query"
	zones, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	o := check.PageDefaults()
	o.URI, o.Resolver = "bob@healthy.example", check.DoH(unlisted)
	res, err := check.Run(context.Background(), o, check.Env{Resolver: zones, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	frag, err := snapshot.Encode(context.Background(), res.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	type state struct {
		Confirm, Report       bool
		Text, Doh, Custom, Me string
	}
	const read = `(() => {
		const sel = document.getElementById('doh');
		const other = sel.dataset.other ? document.getElementById(sel.dataset.other) : null;
		return {Confirm: !document.getElementById('confirm').hidden,
			Report: !!document.querySelector('#result [data-testid="outcome"]'),
			Text: document.getElementById('confirm-text').textContent,
			Doh: sel.value, Custom: other ? other.value : '', Me: document.activeElement ? document.activeElement.id : ''};
	})()`
	for _, answer := range []string{"confirm-cancel", "confirm-run"} {
		t.Run(answer, func(t *testing.T) {
			// After yes the page checks through the unlisted resolver,
			// which this site's CSP refuses, as the published site's
			// would; how soon it asks depends on the machine's load.
			refused := ""
			if answer == "confirm-run" {
				refused = unlisted
			}
			ctx := tabRefusing(t, bctx, 60*time.Second, refused)
			before := site.queries.Load()
			err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"+frag), chromedp.WaitVisible(chromedp.ID("confirm")),
				chromedp.WaitVisible(chromedp.CSS(`#result [data-testid="outcome"]`)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[state](read))
			if err != nil {
				t.Fatal(err)
			}
			if !got.Confirm || !got.Report || !strings.Contains(got.Text, unlisted) {
				t.Errorf("on opening: confirm shown %v, report shown %v, text %q; want both, naming %s", got.Confirm, got.Report, got.Text, unlisted)
			}
			if got.Doh == "custom" || got.Custom == unlisted {
				t.Errorf("on opening the form already uses the snapshot's resolver: %q, %q", got.Doh, got.Custom)
			}
			if n := site.queries.Load() - before; n != 0 {
				t.Errorf("opening the snapshot sent %d DNS questions", n)
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(answer))); err != nil {
				t.Fatal(err)
			}
			got, err = chromedp.Run(ctx, chromedp.Evaluate[state](read))
			if err != nil {
				t.Fatal(err)
			}
			if answer == "confirm-cancel" {
				if got.Confirm || got.Doh == "custom" || got.Custom == unlisted || !got.Report {
					t.Errorf("after no: %+v; want the question gone, the report kept and the resolver not in the form", got)
				}
				return
			}
			if got.Doh != "custom" || got.Custom != unlisted {
				t.Errorf("after yes the form's resolver is %q, %q; want custom, %s", got.Doh, got.Custom, unlisted)
			}
		})
	}
}

// TestBrowserHostileSnapshots opens hostile snapshot links one after the
// other in one page, as a user following them would (the hash changes):
// nesting far deeper than a report has, a nested report that breaks the
// report's invariants, a megabyte string, a fragment of 300 KiB, cut-short
// and misspelt fragments. Each is refused with a message about the
// snapshot link, and the analyzer still checks an address after them.
func TestBrowserHostileSnapshots(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	gz := func(js string) string {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write([]byte(js))
		w.Close()
		return "#s=" + base64.RawURLEncoding.EncodeToString(b.Bytes())
	}
	deep := func(n int) string {
		return `{"v":2,"report":` + strings.Repeat(`{"uri":"sip:a@b.c","domain":"b.c","outcome":"fail","discovery":`, n) + `{}` + strings.Repeat("}", n) + "}"
	}
	hostile := []string{
		gz(deep(2500)), gz(deep(20)),
		gz(`{"v":2,"report":{"uri":"sip:a@b.c","domain":"b.c","profile":"lync-2013","outcome":"fail","discovery":{"uri":"sip:a@b.c","domain":"b.c","profile":"lync-2013","outcome":"connect"}}}`),
		gz(`{"v":2,"report":{"uri":"` + strings.Repeat("a", 1<<20) + `"}}`),
		"#s=" + strings.Repeat("A", 300<<10),
		"#s", "#S=x",
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	ctx := tab(t, browser(t, chromium), 2*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((resolve) => {
			const e = document.getElementById('error');
			e.hidden = true; e.textContent = '';
			location.hash = `+jsString(h)+`;
			const t0 = performance.now();
			const poll = () => {
				if (!e.hidden && e.textContent) { resolve(e.textContent); return; }
				if (performance.now() - t0 > 20000) { resolve(''); return; }
				setTimeout(poll, 50);
			};
			poll();
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ToLower(msg), "snapshot") {
			t.Errorf("hostile snapshot %d (%.30q…): the page says %q; want a message about the snapshot link", i, h, msg)
		}
	}
	err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`history.replaceState(null, '', '/')`),
		chromedp.SetValue(chromedp.ID("uri"), "bob@healthy.example"),
		chromedp.Click(chromedp.ID("run")),
		chromedp.WaitVisible(chromedp.CSS(`#result [data-testid="outcome"]`)))
	if err != nil {
		t.Fatalf("a check after the hostile snapshots: %v", err)
	}
	outcome, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#result [data-testid="outcome"]').textContent`))
	if err != nil || !strings.Contains(strings.ToLower(outcome), "connect") {
		t.Errorf("the check after the hostile snapshots says %q (%v); want its verdict", outcome, err)
	}
}

//go:build !js

package web

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
	"github.com/sipdisco/sipdisco/signin"
)

// ladderState is what the tests read off a rendered sign-in ladder.
type ladderState struct {
	Outcome     string          `json:"outcome"`
	Failure     string          `json:"failure"`
	Explanation string          `json:"explanation"`
	Fix         string          `json:"fix"`
	Connections []ladderConn    `json:"connections"`
	Messages    []ladderMessage `json:"messages"`
	Arrows      int             `json:"arrows"`
	Share       string          `json:"share"`
	Injected    int             `json:"injected"`
}

type ladderConn struct {
	Reason      string `json:"reason"`
	Transport   string `json:"transport"`
	TLS         string `json:"tls"`
	Compression string `json:"compression"`
	Host        string `json:"host"`
	Steps       int    `json:"steps"`
	Messages    int    `json:"messages"`
}

type ladderMessage struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

const readLadder = `(() => {
	const r = document.querySelector('#result [data-testid="register"]');
	if (!r) { return {outcome: ''}; }
	const t = (el, s) => el.querySelector(s) ? el.querySelector(s).textContent : '';
	const share = document.querySelector('#result [data-testid="share-link"]');
	return {
		outcome: r.dataset.register,
		failure: r.dataset.failure || '',
		explanation: t(r, '[data-testid="register-explanation"]'),
		fix: t(r, '[data-testid="register-fix"]'),
		connections: [...r.querySelectorAll('[data-testid="ladder-connection"]')].map(c => ({
			reason: c.dataset.reason, transport: c.dataset.transport, tls: c.dataset.tls || '',
			compression: c.dataset.compression, host: t(c, 'h4 code'),
			steps: c.querySelectorAll('[data-testid="connection-step"]').length,
			messages: c.querySelectorAll('[data-testid="ladder-message"]').length,
		})),
		messages: [...r.querySelectorAll('[data-testid="ladder-message"]')].map(li => ({
			id: li.id, label: t(li, '[data-testid="message-label"]'), text: t(li, '[data-testid="message-text"]'),
		})),
		arrows: r.querySelectorAll('svg [data-testid="ladder-arrow"]').length,
		share: share ? share.getAttribute('href') : '',
		injected: r.querySelectorAll('script, img, iframe, [onerror], [onload], [onmouseover], a[href^="javascript"]').length,
	};
})()`

// showLadder waits for a report (see showReport) and reads its ladder.
func showLadder(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) (ladderState, error) {
	if _, err := showReport(ctx, steps...); err != nil {
		return ladderState{}, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[ladderState](readLadder))
}

// wantExchange runs the check o describes in this process, as the page
// runs it (check.Run), over the same demo zones the test server answers
// from.
func wantExchange(t *testing.T, o check.Options) *engine.Exchange {
	t.Helper()
	zones, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), o, check.Env{Resolver: zones, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Register == nil {
		t.Fatalf("%s: the report has no sign-in exchange", o.URI)
	}
	return res.Report.Register
}

// pageOptions are the analyzer's inputs with o's changes applied.
func pageOptions(f func(*check.Options)) check.Options {
	o := check.PageDefaults()
	f(&o)
	return o
}

// checkLadder compares a ladder in the page with the exchange the engine
// produces for the same inputs: outcome, failure and every message's
// label and full text.
func checkLadder(t *testing.T, got ladderState, want *engine.Exchange) {
	t.Helper()
	if got.Outcome != string(want.Outcome) || got.Failure != string(want.Failure) {
		t.Errorf("ladder outcome %q failure %q; want %q %q", got.Outcome, got.Failure, want.Outcome, want.Failure)
	}
	if len(got.Messages) != len(want.Messages) || got.Arrows != len(want.Messages) {
		t.Errorf("ladder shows %d messages and %d arrows; want %d of each", len(got.Messages), got.Arrows, len(want.Messages))
	}
	for i := range min(len(got.Messages), len(want.Messages)) {
		g, w := got.Messages[i], want.Messages[i]
		if g.Label != w.Label {
			t.Errorf("message %d label %q; want %q", i+1, g.Label, w.Label)
		}
		// The HTML parser reads CRLF in text as LF.
		if text := strings.ReplaceAll(w.String(), "\r\n", "\n"); g.Text != text {
			t.Errorf("message %d (%s) text differs from Message.String() (-got +want):\n%s", i+1, w.Label, cmp.Diff(g.Text, text))
		}
	}
	if len(got.Connections) != len(want.Connections) {
		t.Errorf("ladder shows %d connections; want %d", len(got.Connections), len(want.Connections))
	}
	if got.Injected != 0 {
		t.Errorf("the sign-in section holds %d elements made from input", got.Injected)
	}
}

// messageOpen reports whether message id's details are open and its full
// text is shown, and returns that text.
func messageOpen(ctx context.Context, id string) (bool, string, error) {
	type state struct {
		Open    bool   `json:"open"`
		Visible bool   `json:"visible"`
		Text    string `json:"text"`
	}
	s, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
		const d = document.querySelector('#`+id+` details');
		const pre = d.querySelector('pre');
		return {open: d.open, visible: pre.offsetHeight > 0, text: pre.innerText};
	})()`))
	return s.Open && s.Visible, s.Text, err
}

// screenshotOf keeps a screenshot of the element sel in
// SIPDISCO_SCREENSHOTS, like screenshot does of the whole page.
func screenshotOf(t *testing.T, ctx context.Context, name, sel string) {
	dir := os.Getenv("SIPDISCO_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}

func TestBrowserRegister(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)

	t.Run("ladder for a demo address, opened by click and keyboard", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 30*time.Second)
		got, err := showLadder(ctx,
			chromedp.Navigate(site.URL+"/"),
			chromedp.WaitNotVisible(chromedp.ID("loading")),
			chromedp.SendKeys(chromedp.ID("uri"), "bob@healthy.example"+kb.Enter))
		if err != nil {
			t.Fatal(err)
		}
		want := wantExchange(t, pageOptions(func(o *check.Options) { o.URI = "bob@healthy.example" }))
		checkLadder(t, got, want)
		if got.Outcome != string(engine.SignInRegistered) || len(got.Messages) < 4 {
			t.Fatalf("bob@healthy.example: ladder %q with %d messages; want registered after a challenge", got.Outcome, len(got.Messages))
		}
		if c := got.Connections[0]; c.Host != "sip.healthy.example:5061" || c.Transport != "TLS" || c.Steps == 0 || c.Messages != len(got.Messages) {
			t.Errorf("connection = %+v; want TLS to sip.healthy.example:5061 with its steps and every message", c)
		}
		screenshot(t, ctx, "10-ladder")

		// The ladder is folded under the sign-in's result; a click on
		// its summary opens it.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#result [data-testid="ladder"] > summary`))); err != nil {
			t.Fatal(err)
		}
		// Closed at first; the 401's summary opens it with a click.
		id := got.Messages[1].ID
		if open, _, _ := messageOpen(ctx, id); open {
			t.Fatalf("message %s is open before any click", id)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#"+id+" summary"))); err != nil {
			t.Fatal(err)
		}
		open, text, err := messageOpen(ctx, id)
		if err != nil || !open {
			t.Fatalf("after a click, message %s open = %v (%v)", id, open, err)
		}
		if !strings.HasPrefix(text, "SIP/2.0 401 Unauthorized") || !strings.Contains(text, "WWW-Authenticate: NTLM") || !strings.Contains(text, `realm="SIP Communications Service"`) {
			t.Errorf("the opened 401 shows %q; want its full text with the WWW-Authenticate headers", text)
		}

		// The keyboard: Tab-reachable summary, Enter opens and closes.
		id = got.Messages[0].ID
		if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#"+id+" summary")), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if open, text, _ := messageOpen(ctx, id); !open || !strings.HasPrefix(text, "REGISTER sip:healthy.example SIP/2.0") {
			t.Errorf("after Enter on its summary, message %s open = %v, text %.60q", id, open, text)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(" ")); err != nil {
			t.Fatal(err)
		}
		if open, _, _ := messageOpen(ctx, id); open {
			t.Errorf("Space on an open summary leaves message %s open", id)
		}

		// An arrow of the SVG ladder opens its message too, by click
		// and by Enter.
		last := got.Messages[len(got.Messages)-1].ID
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`svg a[href="#`+last+`"]`))); err != nil {
			t.Fatal(err)
		}
		if open, text, _ := messageOpen(ctx, last); !open || !strings.HasPrefix(text, "SIP/2.0 200 OK") {
			t.Errorf("after a click on its arrow, message %s open = %v, text %.40q", last, open, text)
		}
		id = got.Messages[2].ID
		if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`svg a[href="#`+id+`"]`)), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if open, _, _ := messageOpen(ctx, id); !open {
			ae, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0,200) + ' ' + location.hash`))
			t.Errorf("after Enter on its arrow, message %s is closed (active %s)", id, ae)
		}
		focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.closest('[data-testid="ladder-message"]') ? document.activeElement.closest('[data-testid="ladder-message"]').id : ''`))
		if focused != id {
			t.Errorf("after Enter on an arrow the focus is in %q; want the message %s", focused, id)
		}
		if search, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`)); search != "" {
			t.Errorf("opening a message from its arrow changed the fragment to %q", search)
		}
		screenshot(t, ctx, "11-ladder-open")
		screenshotOf(t, ctx, "11-ladder-open-section", `#result [data-testid="register"]`)
	})

	var mismatch ladderState
	mismatchOpts := pageOptions(func(o *check.Options) {
		o.URI, o.Account, o.Owner, o.Credentials = "jeremy@healthy.example", `CONTOSO\vadim`, `CONTOSO\jeremy`, signin.SavedCredentials
	})
	// Not parallel: it runs before the parallel subtests start, and the
	// share link test opens its link.
	t.Run("address and account mismatch explained", func(t *testing.T) {
		ctx := tab(t, bctx, 30*time.Second)
		var err error
		mismatch, err = showLadder(ctx,
			chromedp.Navigate(site.URL+"/"),
			chromedp.WaitNotVisible(chromedp.ID("loading")),
			chromedp.Click(chromedp.CSS("#more summary")),
			chromedp.SendKeys(chromedp.ID("account"), `CONTOSO\vadim`),
			chromedp.SendKeys(chromedp.ID("owner"), `CONTOSO\jeremy`),
			chromedp.SetValue(chromedp.ID("cred"), "saved"),
			chromedp.SendKeys(chromedp.ID("uri"), "jeremy@healthy.example"+kb.Enter))
		if err != nil {
			t.Fatal(err)
		}
		checkLadder(t, mismatch, wantExchange(t, mismatchOpts))
		if mismatch.Failure != string(engine.KindAddressAndAccountMismatch) {
			t.Fatalf("failure = %q; want %s", mismatch.Failure, engine.KindAddressAndAccountMismatch)
		}
		for _, want := range []string{`CONTOSO\vadim`, `CONTOSO\jeremy`, "403 Forbidden", "4004"} {
			if !strings.Contains(mismatch.Explanation, want) {
				t.Errorf("explanation %q lacks %q", mismatch.Explanation, want)
			}
		}
		if !strings.Contains(mismatch.Fix, `CONTOSO\jeremy`) {
			t.Errorf("fix %q does not name the owner's account", mismatch.Fix)
		}
		last := mismatch.Messages[len(mismatch.Messages)-1]
		if last.Label != "403 Forbidden" || !strings.Contains(last.Text, "4004") {
			t.Errorf("last message %q %.200q; want the 403 with ms-diagnostics 4004", last.Label, last.Text)
		}
		for _, p := range []string{"account=CONTOSO%5Cvadim", "owner=CONTOSO%5Cjeremy", "cred=saved"} {
			if !strings.Contains(mismatch.Share, p) {
				t.Errorf("share link %q lacks %s", mismatch.Share, p)
			}
		}
		screenshot(t, ctx, "12-mismatch")
	})

	t.Run("live share link restores the same ladder", func(t *testing.T) {
		t.Parallel()
		if mismatch.Share == "" {
			t.Skip("no share link from the mismatch test")
		}
		// A fresh browser context: nothing carried over but the link.
		ctx := tab(t, bctx, 30*time.Second, chromedp.WithNewBrowserContext())
		got, err := showLadder(ctx, chromedp.Navigate(site.URL+"/"+mismatch.Share))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got.Messages, mismatch.Messages); diff != "" || got.Failure != mismatch.Failure {
			t.Errorf("the link shows failure %q and other messages (-link +original):\n%s", got.Failure, diff)
		}
		owner, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("owner")))
		cred, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("cred")))
		if owner != `CONTOSO\jeremy` || cred != "saved" {
			t.Errorf("after the link the form holds owner %q, credentials %q; want CONTOSO\\jeremy, saved", owner, cred)
		}

		// Every other REGISTER input: protocols, compression, a home pool
		// (a redirect and a second connection) and certificate names.
		o := pageOptions(func(o *check.Options) {
			o.URI, o.Resolver, o.Offers, o.Compression = "bob@healthy.example", check.Source{Kind: check.SourceLocal}, []string{signin.NTLM}, true
			o.HomePool, o.CertificateNames = "pool02.healthy.example", []string{"sip.healthy.example"}
		})
		link := o.Query()
		first, err := showLadder(ctx, chromedp.Navigate(site.URL+"/"+link))
		if err != nil {
			t.Fatal(err)
		}
		checkLadder(t, first, wantExchange(t, o))
		if len(first.Connections) != 2 || first.Connections[1].Reason != engine.ConnectionRedirected || first.Connections[1].Host != "pool02.healthy.example:5061" ||
			first.Connections[0].Compression != "true" || first.Connections[0].TLS != engine.CertValid {
			t.Errorf("connections = %+v; want a compressed, checked connection, then the home pool", first.Connections)
		}
		boxes, _ := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[...document.querySelectorAll('input[name="offers"]')].map(b => b.checked)`))
		if !cmp.Equal(boxes, []bool{true, false, false}) {
			t.Errorf("offer boxes after the link = %v; want only NTLM ticked", boxes)
		}
		if first.Share != link {
			t.Errorf("the report's share link = %q; want %q", first.Share, link)
		}
		ctx2 := tab(t, bctx, 30*time.Second, chromedp.WithNewBrowserContext())
		again, err := showLadder(ctx2, chromedp.Navigate(site.URL+"/"+first.Share))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(again, first); diff != "" {
			t.Errorf("reopening the share link gives another ladder (-again +first):\n%s", diff)
		}
		screenshot(t, ctx, "13-redirect")
		screenshotOf(t, ctx, "13-redirect-section", `#result [data-testid="register"]`)
		screenshotOf(t, ctx, "13-redirect-form", `fieldset.signin`)
	})

	t.Run("bad sign-in links and inputs", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 30*time.Second)
		// A malformed parameter is named; the form stays.
		err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/?uri=bob@healthy.example&doh=local&offers=digest"), chromedp.WaitVisible(chromedp.ID("error")))
		if err != nil {
			t.Fatal(err)
		}
		if msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("error"))); !strings.Contains(msg, `"offers" is "digest"`) {
			t.Errorf("offers=digest: error %q; want it to name the parameter", msg)
		}
		// No protocol ticked is an error, not "all protocols".
		_, err = showReport(ctx,
			chromedp.Navigate(site.URL+"/"),
			chromedp.WaitNotVisible(chromedp.ID("loading")),
			chromedp.Click(chromedp.CSS("#more summary")),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name="offers"]').forEach(b => { b.checked = false; })`),
			chromedp.SendKeys(chromedp.ID("uri"), "bob@healthy.example"+kb.Enter))
		if err == nil || !strings.Contains(err.Error(), "no authentication protocol") {
			t.Errorf("no protocol offered: %v; want an error saying so", err)
		}
	})

	t.Run("hostile account values render as text", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 30*time.Second)
		const hostile = `<img src=x onerror=alert(1)>`
		_, err := showReport(ctx,
			chromedp.Navigate(site.URL+"/"),
			chromedp.WaitNotVisible(chromedp.ID("loading")),
			chromedp.Click(chromedp.CSS("#more summary")),
			chromedp.SendKeys(chromedp.ID("account"), hostile),
			chromedp.SendKeys(chromedp.ID("uri"), "bob@healthy.example"+kb.Enter))
		if err == nil || !strings.Contains(err.Error(), hostile) {
			t.Errorf("a hostile account: %v; want an error quoting it as text", err)
		}
		if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#error *, img').length`)); n != 0 {
			t.Errorf("the error holds %d elements; want text only", n)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("account"))); v != hostile {
			t.Errorf("after the error the account box holds %q; want the input kept", v)
		}

		// Values the account grammar allows but HTML does not like reach
		// the report, as text, and the link.
		// The same from a link, in another account field.
		const svg = `"><svg onload=alert(2)>`
		link := pageOptions(func(o *check.Options) {
			o.URI, o.Resolver, o.DesktopAccount = "jeremy@healthy.example", check.Source{Kind: check.SourceLocal}, svg
		}).Query()
		if _, err := showReport(ctx, chromedp.Navigate(site.URL+"/"+link)); err == nil || !strings.Contains(err.Error(), svg) {
			t.Errorf("a hostile Windows account in a link: %v; want an error quoting it as text", err)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("desktop"))); v != svg {
			t.Errorf("the Windows account box holds %q after the link; want %q", v, svg)
		}

		// Values the account grammar allows but HTML does not like reach
		// the report as text (&lt without ; is still a character
		// reference to an HTML parser).
		odd := `CONTOSO\o'brien&amp`
		owner := `CONTOSO\x&ltb&gt`
		link = pageOptions(func(o *check.Options) {
			o.URI, o.Resolver, o.Account, o.Owner, o.Credentials = "jeremy@healthy.example", check.Source{Kind: check.SourceLocal}, odd, owner, signin.SavedCredentials
		}).Query()
		got, err := showLadder(ctx, chromedp.Navigate(site.URL+"/"+link))
		if err != nil {
			t.Fatal(err)
		}
		if got.Injected != 0 || !strings.Contains(got.Explanation, odd) || !strings.Contains(got.Explanation, owner) {
			t.Errorf("explanation %q (%d injected elements); want %q and %q as text", got.Explanation, got.Injected, odd, owner)
		}
		if q, _ := url.ParseQuery(strings.TrimPrefix(got.Share, "?")); q.Get("account") != odd {
			t.Errorf("share link account = %q; want %q", q.Get("account"), odd)
		}
	})
}

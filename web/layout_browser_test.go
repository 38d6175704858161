//go:build !js

package web

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
)

// screen is a viewport the layout tests use.
type screen struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	phone   = screen{"phone 390×844", 390, 844, true}
	small   = screen{"phone 360×740", 360, 740, true}
	desktop = screen{"desktop 1366×900", 1366, 900, false}
)

// sized opens a tab showing pages at s.
func sized(t *testing.T, bctx context.Context, s screen) context.Context {
	t.Helper()
	return sizedFor(t, bctx, s, 60*time.Second)
}

// sizedFor is sized for a tab that may take d.
func sizedFor(t *testing.T, bctx context.Context, s screen, d time.Duration) context.Context {
	t.Helper()
	ctx := tab(t, bctx, d)
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: s.width, Height: s.height, DeviceScaleFactor: 1, Mobile: s.mobile})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// landing is where the view is once a report has arrived.
type landing struct {
	Top      float64 `json:"top"`      // the verdict's top, relative to the viewport
	Bottom   float64 `json:"bottom"`   // its bottom
	Focused  bool    `json:"focused"`  // the verdict has the focus
	Viewport float64 `json:"viewport"` // the viewport's height
}

// readLanding waits for the verdict and reads where it is. It waits for
// the view to stop moving (scrollIntoView is instant, but the report may
// still be laid out).
const readLanding = `new Promise((resolve) => {
	const read = () => {
		const b = document.querySelector('#result [data-testid="outcome"]');
		if (!b) { requestAnimationFrame(read); return; }
		requestAnimationFrame(() => requestAnimationFrame(() => {
			const r = b.getBoundingClientRect();
			resolve({top: r.top, bottom: r.bottom, focused: document.activeElement === b, viewport: innerHeight});
		}));
	};
	read();
})`

// overflow lists what is wider than its box in the page: table cells
// whose text does not fit their column, select boxes whose chosen text
// does not fit, and the page itself wider than the screen.
const overflow = `(() => {
	const out = [];
	const name = (el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
	for (const el of document.querySelectorAll('td, th')) {
		if (el.offsetParent === null || el.clientWidth === 0) { continue; } // hidden, or a card's visually hidden heading
		if (el.scrollWidth > el.clientWidth + 1) { out.push('cell ' + name(el) + ': ' + el.scrollWidth + ' px of text in ' + el.clientWidth); }
	}
	const c = document.createElement('canvas').getContext('2d');
	for (const el of document.querySelectorAll('select')) {
		if (el.offsetParent === null || el.selectedIndex < 0) { continue; }
		const s = getComputedStyle(el);
		c.font = s.fontWeight + ' ' + s.fontSize + ' ' + s.fontFamily;
		const text = c.measureText(el.options[el.selectedIndex].text).width;
		const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 20; // the arrow
		if (text > room) { out.push('select #' + el.id + ': "' + el.options[el.selectedIndex].text + '" needs ' + Math.ceil(text) + ' px, has ' + Math.floor(room)); }
	}
	if (document.documentElement.scrollWidth > innerWidth + 1) {
		out.push('the page is ' + document.documentElement.scrollWidth + ' px wide on a ' + innerWidth + ' px screen');
	}
	return out;
})()`

func checkOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](overflow))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("%s: %s", what, b)
	}
}

// checkLanding fails unless the verdict is at the top of the view (below
// nothing but a few pixels) and has the focus.
func checkLanding(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	l, err := chromedp.Run(ctx, chromedp.Evaluate[landing](readLanding, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if l.Top < -1 || l.Top > 24 || l.Bottom > l.Viewport {
		t.Errorf("%s: the verdict is at %.0f–%.0f px of a %.0f px view; want it at the top", what, l.Top, l.Bottom, l.Viewport)
	}
	if !l.Focused {
		t.Errorf("%s: the verdict does not have the focus", what)
	}
}

// clientRows reads the report's at-a-glance rows: each row's client,
// outcome and right edge, and the widest the table's section gets.
const clientRows = `(() => {
	const sec = document.querySelector('#result [data-testid="clients"]');
	if (!sec) { return {rows: [], right: 0}; }
	const rows = [...sec.querySelectorAll('tbody tr')].map((tr) => ({
		client: tr.querySelector('th').textContent.trim(),
		outcome: tr.dataset.outcome,
		right: Math.max(...[...tr.children].map((c) => c.getBoundingClientRect().right)),
	}));
	return {rows: rows, right: sec.getBoundingClientRect().right, scroll: sec.scrollWidth - sec.clientWidth};
})()`

// checkClients fails unless the report starts with one row per client
// generation, all inside the screen s and the table's own box.
func checkClients(t *testing.T, ctx context.Context, s screen) {
	t.Helper()
	type table struct {
		Rows []struct {
			Client, Outcome string
			Right           float64
		}
		Right, Scroll float64
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[table](clientRows))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 5 {
		t.Fatalf("the report has %d client rows; want 5: %+v", len(got.Rows), got.Rows)
	}
	for _, r := range got.Rows {
		if r.Outcome != "connect" || r.Right > float64(s.width) || r.Right > got.Right+1 {
			t.Errorf("client row %q: outcome %q, ends at %.0f px (table %.0f, screen %d); want connect, inside both", r.Client, r.Outcome, r.Right, got.Right, s.width)
		}
	}
	if got.Scroll > 1 || got.Right > float64(s.width) {
		t.Errorf("the client table ends at %.0f px on a %d px screen and scrolls %.0f px", got.Right, s.width, got.Scroll)
	}
}

// TestBrowserLanding: however a report arrives — a check from the form, a
// live link, a link with sign-in inputs, a snapshot link — the view lands
// on its verdict, with the focus there, on a phone and a desktop; and no
// table cell, select box or page is wider than its room.
func TestBrowserLanding(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	const (
		live   = "/?uri=bob%40healthy.example&doh=local"
		signIn = "/?uri=jeremy%40healthy.example&doh=local&account=CONTOSO%5Cvadim&owner=CONTOSO%5Cjeremy&cred=saved"
	)
	for _, s := range []screen{phone, desktop, small} {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			ctx := sized(t, bctx, s)
			// Scrolled down first, as a user may be when pressing Enter.
			err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/"), chromedp.WaitNotVisible(chromedp.ID("loading")))
			if err != nil {
				t.Fatal(err)
			}
			checkOverflow(t, ctx, "the empty form")
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("uri"), "bob@healthy.example"+kb.Enter)); err != nil {
				t.Fatal(err)
			}
			checkLanding(t, ctx, "a check from the form")
			checkOverflow(t, ctx, "a report")
			checkClients(t, ctx, s)
			snap, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="snapshot-link"]').getAttribute('href')`))
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range []struct{ what, path string }{
				{"a live link", live},
				{"a link with sign-in inputs", signIn},
				{"a snapshot link", "/" + snap},
				{"a hostile report", "/?uri=bob%40hostile.example&doh=local"},
			} {
				ctx := sized(t, bctx, s)
				if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+l.path)); err != nil {
					t.Fatal(err)
				}
				checkLanding(t, ctx, l.what)
				checkOverflow(t, ctx, l.what)
				screenshot(t, ctx, "l-"+strings.ReplaceAll(s.name, " ", "-")+"-"+strings.ReplaceAll(l.what, " ", "-"))
			}
			if s == small {
				return
			}
			// The Compare and Audit pages' results.
			ctx = sized(t, bctx, s)
			err = chromedp.Do(ctx,
				chromedp.Navigate(site.URL+"/compare/?uri=bob%40healthy.example&a=local&b=local"),
				chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="compare"]`)))
			if err != nil {
				t.Fatal(err)
			}
			checkOverflow(t, ctx, "the comparison")
			right, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('[data-testid="view-b"]').getBoundingClientRect().right`))
			if err != nil || right > float64(s.width) {
				t.Errorf("view B ends at %.0f px on a %d px screen (%v)", right, s.width, err)
			}
			screenshot(t, ctx, "l-"+strings.ReplaceAll(s.name, " ", "-")+"-compare")
			ctx = sized(t, bctx, s)
			err = chromedp.Do(ctx,
				chromedp.Navigate(site.URL+"/audit/"),
				chromedp.WaitNotVisible(chromedp.ID("audit-loading")),
				chromedp.SetValue(chromedp.ID("audit-list"), "bob@healthy.example\nbob@nothing.example\nnot an address\nbob@servfail.example\nbob@hostile.example\n"),
				chromedp.SetValue(chromedp.ID("audit-doh"), "local"),
				chromedp.Click(chromedp.ID("audit-run")),
				chromedp.WaitVisible(chromedp.CSS(`#audit-result [data-testid="audit"]`)))
			if err != nil {
				t.Fatal(err)
			}
			checkOverflow(t, ctx, "the audit")
			screenshot(t, ctx, "l-"+strings.ReplaceAll(s.name, " ", "-")+"-audit")
		})
	}
}

// axeSource returns axe-core's script (axePath), to run in a page
// (checkAxe).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axePath(t))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axePath is axe-core's script: SIPDISCO_AXE, or where .ci/run installs
// it.
func axePath(t *testing.T) string {
	for _, p := range []string{os.Getenv("SIPDISCO_AXE"), "/opt/sipdisco-npm/node_modules/axe-core/axe.min.js"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("SIPDISCO_CI") == "1" {
		t.Fatal("axe-core not found (SIPDISCO_CI=1 requires it): npm install --prefix /opt/sipdisco-npm axe-core, or set SIPDISCO_AXE")
	}
	t.Skip("axe-core not found: npm install --prefix /opt/sipdisco-npm axe-core, or set SIPDISCO_AXE")
	return ""
}

// axeViolation is one rule axe-core finds broken.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// checkAxe runs axe-core in the page and fails on every serious or
// critical violation.
func checkAxe(t *testing.T, ctx context.Context, axe, state string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+"\n;true")); err != nil {
		t.Fatalf("%s: loading axe-core: %v", state, err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", state, err)
	}
	n := 0
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		n++
		for _, node := range v.Nodes {
			t.Errorf("%s: %s (%s): %s at %v: %.160s", state, v.ID, v.Impact, v.Help, node.Target, node.HTML)
		}
	}
	t.Logf("%s: %d rules broken, %d of them serious or critical", state, len(vs), n)
}

// TestBrowserAccessibility runs axe-core (from npm, injected into the page
// under test) on every state of every page: none may have a serious or
// critical violation.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	axe := axeSource(t)
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	type state struct {
		name  string
		steps []chromedp.Action[chromedp.Void]
	}
	report := chromedp.WaitVisible(chromedp.CSS(`#result [data-testid="outcome"]`))
	// A genuine snapshot link, as the page makes it.
	sctx := tab(t, bctx, 60*time.Second)
	if err := chromedp.Do(sctx, chromedp.Navigate(site.URL+"/?uri=bob%40healthy.example&doh=local"), report); err != nil {
		t.Fatal(err)
	}
	snap, err := chromedp.Run(sctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="snapshot-link"]').getAttribute('href')`))
	if err != nil || !strings.HasPrefix(snap, "#s=") {
		t.Fatalf("snapshot link %q, %v", snap, err)
	}
	states := []state{
		{"analyzer, snapshot", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/" + snap), report}},
		{"analyzer, empty", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/"), chromedp.WaitNotVisible(chromedp.ID("loading"))}},
		{"analyzer, report with the ladder open", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40healthy.example&doh=local"), report,
			chromedp.Click(chromedp.CSS(`#result [data-testid="ladder"] > summary`)), chromedp.Click(chromedp.CSS(`a[data-testid="ladder-arrow"]`))}},
		{"analyzer, report with every section open", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40leaked-internal.example&doh=local"), report,
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`document.querySelectorAll('#result details').forEach((d) => { d.open = true; }); true`)(ctx, tg)
				return err
			})}},
		{"analyzer, manual servers", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40healthy.example&doh=local&internal=sip.healthy.example"), report}},
		{"analyzer, hostile report", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40hostile.example&doh=local"), report}},
		// The four states' banners (docs/adr/0019-four-states.md): signs
		// in is healthy's above, does not sign in hostile's.
		{"analyzer, signs in with problems", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40tcp-only.example&doh=local"), report}},
		// A problem's detail, opened by the banner's link to it; a failed
		// sign-in's, the same; a --connect snapshot's problems, one line
		// each.
		{"analyzer, the first problem followed", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40leaked-internal.example&doh=local"), report,
			chromedp.Click(chromedp.CSS(`[data-testid="first-problem"]`))}},
		{"analyzer, a failed sign-in followed", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=jeremy%40healthy.example&account=CONTOSO%5Cvadim&owner=CONTOSO%5Cjeremy&cred=saved&doh=local"), report,
			chromedp.Click(chromedp.CSS(`[data-testid="first-problem"]`))}},
		{"analyzer, a --connect snapshot", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/" + probeSnapshot(t)), report}},
		{"analyzer, a resolver that cannot answer", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40contoso.com&doh=local"), report}},
		{"analyzer, a link without its resolver", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40healthy.example"), chromedp.WaitVisible(chromedp.CSS(`#result [data-testid="assumed"]`))}},
		{"analyzer, unknown", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40servfail.example&doh=local"), report}},
		{"analyzer, error", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40%40x&doh=local"), chromedp.WaitVisible(chromedp.CSS(`#error:not([hidden])`))}},
		{"analyzer, damaged snapshot", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/#s=AAAA"), chromedp.WaitVisible(chromedp.CSS(`#error:not([hidden])`))}},
		{"analyzer, unlisted resolver", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/?uri=bob%40healthy.example&doh=https%3A%2F%2Fdns.example%2Fdns-query"), chromedp.WaitVisible(chromedp.ID("confirm"))}},
		{"plan, with a plan", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/plan/?domains=contoso.com&pool=pool01.contoso.com&edge=sip.contoso.com"), chromedp.WaitVisible(chromedp.CSS(`#plan-result [data-testid="plan-outcome"]`))}},
		{"compare, two views", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/compare/?uri=bob%40healthy.example&a=local&b=local"), chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="compare"]`))}},
		{"compare, matrix", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/compare/?uri=bob%40healthy.example&a=local&matrix=1"), chromedp.WaitVisible(chromedp.CSS(`#cmp-result table.matrix`))}},
		{"audit, results", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/audit/"), chromedp.WaitNotVisible(chromedp.ID("audit-loading")),
			chromedp.SetValue(chromedp.ID("audit-list"), "bob@healthy.example\nnot an address\n"), chromedp.SetValue(chromedp.ID("audit-doh"), "local"),
			chromedp.Click(chromedp.ID("audit-run")), chromedp.WaitVisible(chromedp.CSS(`#audit-result [data-testid="audit"]`))}},
		{"domain, empty", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/domain/"), chromedp.WaitNotVisible(chromedp.ID("dom-loading"))}},
		{"domain, hostile report", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/domain/?domains=hostile.example&doh=local"), chromedp.WaitVisible(chromedp.CSS(`#dom-result [data-testid="domains"]`))}},
		{"domain, unlisted resolver", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/domain/?domains=contoso.com&doh=https%3A%2F%2Fdns.example%2Fdns-query"), chromedp.WaitVisible(chromedp.ID("dom-confirm"))}},
		{"log, empty", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/log/"), chromedp.WaitNotVisible(chromedp.ID("log-loading"))}},
		{"docs", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/docs/")}},
		{"docs, findings", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/docs/findings.html")}},
		{"docs, records", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/docs/records.html")}},
		{"docs, a profile", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/docs/lync-2013.html")}},
		{"about", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/about.html")}},
		{"page not found", []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/no/such/page")}},
	}
	for _, s := range []screen{phone, desktop} {
		for _, st := range states {
			t.Run(s.name+"/"+st.name, func(t *testing.T) {
				t.Parallel()
				ctx := sized(t, bctx, s)
				if err := chromedp.Do(ctx, st.steps...); err != nil {
					t.Fatal(err)
				}
				checkAxe(t, ctx, axe, st.name)
			})
		}
	}
}

// probeSnapshot is the fragment of a snapshot link of a report with an
// observation (check --connect): a server that answered with a challenge
// no client answers (an error), and a note.
func probeSnapshot(t *testing.T) string {
	t.Helper()
	target := engine.Target{Host: "sip.kam.test", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.kam.test"}
	r := &engine.Report{URI: "sip:bob@kam.test", Domain: "kam.test", Profile: engine.DefaultProfile, Policy: engine.DefaultPolicy(),
		Outcome: engine.OutcomeConnect, Target: &target,
		Probe: &engine.Probe{Address: "sip:bob@kam.test", Client: engine.DefaultProfile, Started: "2026-11-25T14:00:00Z",
			Attempts: []engine.ProbeAttempt{{Host: target.Host, Port: target.Port, Transport: target.Transport, Source: target.Source,
				Reason: engine.ConnectionDiscovered, Outcome: engine.ProbeAnswered,
				Response: &engine.SIPResponse{StartLine: "SIP/2.0 401 Unauthorized", Status: 401, Reason: "Unauthorized",
					Challenges: []engine.SIPChallenge{{Header: "WWW-Authenticate", Scheme: "Digest", Realm: "kam.test"}}},
				Findings: []engine.Finding{
					{Kind: engine.KindProbeNoCommonProtocol, Severity: engine.SeverityError, Subject: "sip.kam.test:5061", Message: "The client cannot answer this challenge.", Fix: "Check the record."},
					{Kind: engine.KindProbeChallenge, Severity: engine.SeverityInfo, Subject: "sip.kam.test:5061", Message: "The server challenges the REGISTER."}}}},
			Findings: []engine.Finding{}}}
	frag, err := snapshot.Encode(context.Background(), check.Snapshot{TakenAt: time.Now(), Report: r})
	if err != nil {
		t.Fatal(err)
	}
	return frag
}

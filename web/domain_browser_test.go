//go:build !js

package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// domainState is what the test reads off a rendered domain report.
type domainState struct {
	Error    string          `json:"error"`
	Search   string          `json:"search"`
	List     string          `json:"list"`
	Tenant   string          `json:"tenant"`
	Summary  []domainSection `json:"summary"`
	Sections []domainSection `json:"sections"`
	Injected int             `json:"injected"`
}

type domainSection struct {
	Domain     string `json:"domain"`
	Gate       string `json:"gate"`
	Federation string `json:"federation"`
	// GateText and FederationText are the verdicts' words as shown.
	GateText       string   `json:"gateText"`
	FederationText string   `json:"federationText"`
	Points         []string `json:"points"`
	Kinds          []string `json:"kinds"`
}

const readDomain = `(() => {
	const r = document.getElementById('dom-result');
	const e = document.getElementById('dom-error');
	const a = r.querySelector('[data-testid="domains"]');
	const t = (el, s) => el.querySelector(s) ? el.querySelector(s).textContent.replace(/\s+/g, ' ').trim() : '';
	return {
		error: e.hidden ? '' : e.textContent,
		search: location.search,
		list: document.getElementById('dom-list').value,
		tenant: a ? a.dataset.tenant : '',
		summary: [...r.querySelectorAll('[data-testid="dom-summary-row"]')].map((tr) => ({
			domain: tr.dataset.domain, gate: tr.dataset.gate, federation: tr.dataset.federation,
			gateText: t(tr, 'td[data-label="Teams Only"]'), federationText: t(tr, 'td[data-label="Federation"]'),
		})),
		sections: [...r.querySelectorAll('[data-testid="dom-report"]')].map((s) => ({
			domain: s.dataset.domain, gate: s.dataset.gate, federation: s.dataset.federation,
			gateText: t(s, '[data-testid="dom-gate"]'), federationText: t(s, '[data-testid="dom-federation"]'),
			points: [...s.querySelectorAll('[data-testid="dom-record"]')].map((tr) => tr.dataset.points),
			kinds: [...s.querySelectorAll('[data-testid="dom-findings"] li[data-kind]')].map((li) => li.dataset.kind),
		})),
		injected: r.querySelectorAll('script, img, iframe, svg, [onerror], [onload], a[href^="javascript"]').length,
	};
})()`

// gateWord and the federation outcome are the page's words for a
// report's verdicts (templates.Gate*).
func gateWord(r *domainreport.Report) string {
	switch {
	case len(r.TeamsOnly.Blocking) > 0:
		return "blocked"
	case !r.TeamsOnly.Ready:
		return "unknown"
	}
	return "ready"
}

// TestBrowserDomain opens the domain page's share link for two demo
// domains on a phone and on a desktop: the page reruns the report from
// the link, and the verdicts, records and findings it shows are
// domainreport.Check's on the same zones; the tenant is blocked because
// one domain blocks; nothing overflows; axe-core finds no serious or
// critical violation.
func TestBrowserDomain(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	axe := axeSource(t)
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)

	domains := []string{"teams-wildcard.example", "federation-outside.example"}
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	o := check.DomainOptions{Domains: domains, DoH: check.ResolverLocal}
	want := map[string]*domainreport.Report{}
	for _, d := range domains {
		cfg := engine.Config{Resolver: set, View: o.Options().ViewOf(engine.ResolverInfo{}, d)}
		if want[d], err = domainreport.Check(context.Background(), d, cfg); err != nil {
			t.Fatal(err)
		}
	}
	// The link names the domains and this server's resolver.
	link := "/domain/" + o.Query()
	if gateWord(want[domains[0]]) != "blocked" || gateWord(want[domains[1]]) != "ready" || want[domains[1]].Federation.Outcome != domainreport.FederationFail {
		t.Fatalf("the demo zones changed: %s is %s, %s is %s with federation %s; the test wants one blocked, one ready with broken federation",
			domains[0], gateWord(want[domains[0]]), domains[1], gateWord(want[domains[1]]), want[domains[1]].Federation.Outcome)
	}

	for _, s := range []screen{phone, desktop} {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			ctx := sized(t, bctx, s)
			start := time.Now()
			err := chromedp.Do(ctx,
				chromedp.Navigate(site.URL+link),
				chromedp.WaitVisible(chromedp.CSS(`#dom-result [data-testid="domains"], #dom-error:not([hidden])`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[domainState](readDomain))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("report of %d domains from the link: %v", len(got.Sections), time.Since(start).Round(time.Millisecond))
			screenshot(t, ctx, "d-"+strings.Fields(s.name)[0]+"-domain")
			if got.Error != "" {
				t.Fatalf("the page shows an error: %s", got.Error)
			}
			if got.List != strings.Join(domains, "\n") {
				t.Errorf("the form's domains are %q; want the link's, one per line", got.List)
			}
			if q, _ := url.ParseQuery(strings.TrimPrefix(got.Search, "?")); q.Get("domains") != strings.Join(domains, " ") || q.Get("doh") != check.ResolverLocal {
				t.Errorf("the page's link is %q after the report; want the domains and resolver kept", got.Search)
			}
			if got.Tenant != "blocked" {
				t.Errorf("the tenant's verdict is %q; want blocked, since %s blocks", got.Tenant, domains[0])
			}
			if got.Injected != 0 {
				t.Errorf("%d script, image or handler elements in the result", got.Injected)
			}
			if len(got.Summary) != len(domains) || len(got.Sections) != len(domains) {
				t.Fatalf("%d summary rows and %d sections; want %d of each", len(got.Summary), len(got.Sections), len(domains))
			}
			for i, d := range domains {
				w := want[d]
				for _, g := range []domainSection{got.Summary[i], got.Sections[i]} {
					if g.Domain != d || g.Gate != gateWord(w) || g.Federation != w.Federation.Outcome {
						t.Errorf("%s shown as %s: Teams Only %s, federation %s; domainreport.Check says %s, %s", d, g.Domain, g.Gate, g.Federation, gateWord(w), w.Federation.Outcome)
					}
					for _, b := range w.TeamsOnly.Blocking {
						if !strings.Contains(g.GateText, b) {
							t.Errorf("%s: Teams Only shown as %q; want it to name %s", d, g.GateText, b)
						}
					}
					if w.Federation.Target != "" && !strings.Contains(g.FederationText, w.Federation.Target) {
						t.Errorf("%s: federation shown as %q; want it to name %s", d, g.FederationText, w.Federation.Target)
					}
				}
				sec := got.Sections[i]
				var points, kinds []string
				for _, r := range w.Records {
					points = append(points, r.Points)
				}
				for _, f := range w.Findings {
					kinds = append(kinds, string(f.Kind))
				}
				if strings.Join(sec.Points, " ") != strings.Join(points, " ") {
					t.Errorf("%s: records point to %v; domainreport.Check says %v", d, sec.Points, points)
				}
				if strings.Join(sec.Kinds, " ") != strings.Join(kinds, " ") {
					t.Errorf("%s: findings %v; domainreport.Check says %v", d, sec.Kinds, kinds)
				}
			}
			checkOverflow(t, ctx, "the domain report")
			checkAxe(t, ctx, axe, "domain report, "+s.name)
		})
	}

	// A link without a resolver asks the page's default one (this
	// server's, here) and then names it.
	t.Run("a link without a resolver", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 60*time.Second)
		err := chromedp.Do(ctx,
			chromedp.Navigate(site.URL+"/domain/?domains=teams-ready.example"),
			chromedp.WaitVisible(chromedp.CSS(`#dom-result [data-testid="domains"], #dom-error:not([hidden])`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[domainState](readDomain))
		if err != nil {
			t.Fatal(err)
		}
		if got.Error != "" || len(got.Sections) != 1 || got.Sections[0].Gate != "ready" || got.Search != "?domains=teams-ready.example&doh=local" {
			t.Errorf("error %q, sections %+v, link %q; want teams-ready.example ready, the link naming this server's resolver", got.Error, got.Sections, got.Search)
		}
	})

	// From the form: the hostile demo zone's markup stays text, the
	// page's link becomes the report's share link, and the JSON download is
	// domainreport.Check's reports.
	t.Run("from the form", func(t *testing.T) {
		t.Parallel()
		ctx := sized(t, bctx, desktop)
		dl := t.TempDir()
		err := chromedp.Do(ctx,
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
					Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl,
					BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
				})
				return err
			}),
			chromedp.Navigate(site.URL+"/domain/"),
			chromedp.WaitNotVisible(chromedp.ID("dom-loading")),
			chromedp.SetValue(chromedp.ID("dom-list"), "# the tenant\nHostile.Example\n\nteams-ready.example\n"),
			chromedp.SetValue(chromedp.ID("dom-doh"), check.ResolverLocal),
			chromedp.Click(chromedp.ID("dom-run")),
			chromedp.WaitVisible(chromedp.CSS(`#dom-result [data-testid="domains"], #dom-error:not([hidden])`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[domainState](readDomain))
		if err != nil {
			t.Fatal(err)
		}
		if got.Error != "" {
			t.Fatalf("the page shows an error: %s", got.Error)
		}
		if want := "?domains=hostile.example+teams-ready.example&doh=local"; got.Search != want {
			t.Errorf("the page's link is %q; want %q", got.Search, want)
		}
		if got.Injected != 0 {
			t.Errorf("%d script, image or handler elements in the hostile domain's report", got.Injected)
		}
		if len(got.Sections) != 2 || got.Sections[0].Domain != "hostile.example" || got.Sections[1].Domain != "teams-ready.example" || got.Sections[1].Gate != "ready" {
			t.Errorf("sections %+v; want hostile.example, then teams-ready.example ready", got.Sections)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="dom-json"]`))); err != nil {
			t.Fatal(err)
		}
		var reports []*domainreport.Report
		if err := json.Unmarshal(waitFile(t, dl, "sipdisco-domain.json", 10*time.Second), &reports); err != nil {
			t.Fatal(err)
		}
		if len(reports) != 2 {
			t.Fatalf("the JSON holds %d reports; want 2", len(reports))
		}
		for _, r := range reports {
			w, err := domainreport.Check(context.Background(), r.Domain, engine.Config{Resolver: set})
			if err != nil {
				t.Fatal(err)
			}
			// What differs by nature: when and by what the report was
			// made, how long each question took, the probe's random name.
			if r.Tool == nil || r.CheckedAt == "" {
				t.Errorf("%s: the JSON says no tool or time", r.Domain)
			}
			r.Tool, r.CheckedAt, r.Steps, w.Steps = nil, "", nil, nil
			if diff := cmp.Diff(r, w); diff != "" {
				t.Errorf("%s: the downloaded JSON differs from domainreport.Check (-page +check):\n%s", r.Domain, diff)
			}
		}
	})
}

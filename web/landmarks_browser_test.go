//go:build !js

package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCompareLandmarks: the Compare page shows two reports side by
// side; every landmark of it still has a name of its own (axe-core's
// landmark-unique and duplicate-id-aria rules, whatever their impact).
func TestBrowserCompareLandmarks(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	axe := axeSource(t)
	site := startSite(t)
	bctx := browser(t, chromiumPath(t))
	for _, u := range []string{"/compare/?uri=bob%40healthy.example&a=local&b=local", "/compare/?uri=bob%40healthy.example&a=local&matrix=1"} {
		ctx := tab(t, bctx, time.Minute)
		err := chromedp.Do(ctx, chromedp.Navigate(site.URL+u), chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="compare"], #cmp-result table.matrix`)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+"\n;true")); err != nil {
			t.Fatal(err)
		}
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {runOnly: ['landmark-unique', 'duplicate-id-aria', 'duplicate-id'], resultTypes: ['violations']}).then((r) => r.violations)`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			for _, n := range v.Nodes {
				t.Errorf("%s: %s: %s at %v: %.120s", u, v.ID, v.Help, n.Target, n.HTML)
			}
		}
	}
}

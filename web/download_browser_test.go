//go:build !js

package web

import (
	"context"
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/sipdisco/sipdisco/engine"
)

// TestDownloadJSONIsCheckJSON: the analyzer's Download JSON is what
// sipdisco check --json prints for the same address (issue 25, item 5):
// the documented array, here of one report, with the same fields — the
// simulated sign-in among them, since page and command line simulate it
// by default — and the same outcome, state and sign-in result.
func TestDownloadJSONIsCheckJSON(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	addrs := []string{"bob@healthy.example", "bob@tcp-only.example", "bob@nothing.example"}
	cli := cliJSON(t, addrs)
	ctx := tab(t, bctx, 90*time.Second)
	for _, addr := range addrs {
		dl := t.TempDir()
		_, err := showReport(ctx,
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
					Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl,
					BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
				})
				return err
			}),
			chromedp.Navigate(site.URL+"/?uri="+url.QueryEscape(addr)+"&doh=local"))
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#result [data-export="json"]`))); err != nil {
			t.Fatal(err)
		}
		var page []map[string]json.RawMessage
		if err := json.Unmarshal(waitFile(t, dl, "sipdisco-report.json", 10*time.Second), &page); err != nil {
			t.Fatalf("%s: the download is not check --json's array: %v", addr, err)
		}
		if len(page) != 1 {
			t.Fatalf("%s: the download holds %d reports; want 1", addr, len(page))
		}
		want := cli[addr]
		if got, w := slices.Sorted(maps.Keys(page[0])), slices.Sorted(maps.Keys(want)); !slices.Equal(got, w) {
			t.Errorf("%s: the download's fields %v; check --json's %v", addr, got, w)
		}
		var g, c engine.Report
		json.Unmarshal(mustJSON(t, page[0]), &g)
		json.Unmarshal(mustJSON(t, want), &c)
		if g.Outcome != c.Outcome || g.State != c.State || g.Profile != c.Profile || (g.Register == nil) != (c.Register == nil) ||
			g.Register != nil && (g.Register.Outcome != c.Register.Outcome || g.Register.Failure != c.Register.Failure) {
			t.Errorf("%s: the download says %s %s %s register %v; check --json %s %s %s register %v", addr, g.Outcome, g.State, g.Profile, g.Register != nil, c.Outcome, c.State, c.Profile, c.Register != nil)
		}
		if g.Register == nil {
			t.Errorf("%s: no simulated sign-in in either: the page's default simulates it", addr)
		}
	}
}

// cliJSON runs sipdisco check --json on addrs and returns each report's
// fields by address.
func cliJSON(t *testing.T, addrs []string) map[string]map[string]json.RawMessage {
	t.Helper()
	reps := cliReports(t, addrs)
	out := map[string]map[string]json.RawMessage{}
	for a, r := range reps {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(mustJSON(t, r), &m); err != nil {
			t.Fatal(err)
		}
		out[a] = m
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

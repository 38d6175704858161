//go:build !js

package web

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserStaticDemos: a static site (sipdisco build without --local)
// shows the demo list when sipdisco serve answers /dns-query beside it
// (serve --site), and a demo link from it checks; where nothing answers
// /dns-query (a static host), the list stays hidden and a note says
// where the demo addresses work.
func TestBrowserStaticDemos(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	chromium := chromiumPath(t)
	site, err := BuildSite(BuildOptions{WASMPath: testWASM(t), ModuleDir: ".."})
	if err != nil {
		t.Fatal(err)
	}
	served := serveSite(t, site) // with the demo zones' /dns-query
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := &http.Server{Handler: site.Handler(nil), ReadHeaderTimeout: 5 * time.Second} // no /dns-query
	go host.Serve(ln)
	t.Cleanup(func() { host.Close() })
	bctx := browser(t, chromium)
	type demos struct{ List, Note bool }
	const read = `new Promise((resolve) => setTimeout(() => resolve({
		List: !document.querySelector('[data-testid="demos"]').hidden,
		Note: !document.querySelector('[data-testid="demos-elsewhere"]').hidden,
	}), 500))`
	for _, c := range []struct {
		what, url string
		want      demos
	}{
		{"served by sipdisco serve", served.URL, demos{List: true}},
		{"on a static host", "http://" + ln.Addr().String(), demos{Note: true}},
	} {
		ctx := tab(t, bctx, time.Minute)
		err := chromedp.Do(ctx, chromedp.Navigate(c.url+"/"), chromedp.WaitNotVisible(chromedp.ID("loading")))
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[demos](read, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: demo list shown %v, note shown %v; want %v, %v", c.what, got.List, got.Note, c.want.List, c.want.Note)
		}
		if !c.want.List {
			continue
		}
		rep, err := showReport(ctx, chromedp.Click(chromedp.CSS(`[data-testid="demos"] a`)))
		if err != nil || rep.State != "signs-in" {
			t.Errorf("%s: the first demo's link shows %q (%v); want healthy.example signing in", c.what, rep.State, err)
		}
	}
}

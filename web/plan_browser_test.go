//go:build !js

package web

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// testCertPEM returns a self-signed server certificate for names, valid
// from yesterday for a year, in PEM form.
func testCertPEM(t *testing.T, names ...string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// planState is what the tests read off a rendered plan.
type planState struct {
	OK        string   `json:"ok"`
	Domains   []string `json:"domains"`
	Cells     int      `json:"cells"`
	Connect   int      `json:"connect"`
	Links     int      `json:"links"`
	Internal  string   `json:"internal"`
	External  string   `json:"external"`
	Analyze   int      `json:"analyze"`
	Certs     int      `json:"certs"`
	Injected  int      `json:"injected"`
	PowerShel int      `json:"powershell"`
}

const readPlan = `(() => {
	const r = document.getElementById('plan-result');
	const q = (s) => r.querySelector(s);
	const zone = (v) => q('[data-testid="zone-' + v + '"] [data-testid="zone-text"]');
	return {
		ok: q('[data-testid="plan-outcome"]').dataset.ok,
		domains: Array.from(r.querySelectorAll('[data-testid="plan-domain"]')).map((e) => e.dataset.domain),
		cells: r.querySelectorAll('td.cell').length,
		connect: r.querySelectorAll('td.cell[data-outcome="connect"]').length,
		links: r.querySelectorAll('td.cell a[data-testid="cell-link"]').length,
		internal: zone('internal') ? zone('internal').textContent : '',
		external: zone('external') ? zone('external').textContent : '',
		analyze: r.querySelectorAll('[data-testid="analyze"]').length,
		certs: r.querySelectorAll('[data-testid="plan-certs"] tbody tr').length,
		powershell: r.querySelectorAll('[data-testid^="ps-"]').length,
		injected: r.querySelectorAll('script, img, iframe, [onerror]').length,
	};
})()`

func TestBrowserPlan(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)

	// This one counts the site's DoH requests, so it runs first, alone;
	// the rest run in parallel after it.
	t.Run("plan, matrix and round trip into the analyzer", func(t *testing.T) {
		ctx := tab(t, bctx, 40*time.Second)
		start := time.Now()
		err := chromedp.Do(ctx,
			chromedp.Navigate(site.URL+"/plan/"),
			chromedp.WaitNotVisible(chromedp.ID("plan-loading")),
			chromedp.SendKeys(chromedp.ID("plan-domains"), "contoso.com, fabrikam.com"),
			chromedp.SendKeys(chromedp.ID("plan-pool"), "pool01.contoso.com"),
			chromedp.SendKeys(chromedp.ID("plan-pool-ip"), "10.0.0.10"),
			chromedp.SendKeys(chromedp.ID("plan-edge"), "sip.contoso.com:443"),
			chromedp.Click(chromedp.ID("plan-run")),
			chromedp.WaitVisible(chromedp.CSS(`#plan-result [data-testid="plan-outcome"], #plan-error:not([hidden])`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('plan-error').textContent`)); msg != "" {
			t.Fatalf("the plan page shows an error: %s", msg)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[planState](readPlan))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("page → plan with %d discovery runs: %v", got.Cells, time.Since(start).Round(time.Millisecond))
		screenshot(t, ctx, "p1-plan")
		// 2 domains × every profile × 2 views, each a cell with a link to
		// its full report, and every one connects.
		if want := 4 * len(engine.Profiles()); got.OK != "true" || got.Cells != want || got.Connect != want || got.Links != want {
			t.Errorf("plan: ok %s, %d cells, %d connect, %d links; want true and %d of each", got.OK, got.Cells, got.Connect, got.Links, want)
		}
		if strings.Join(got.Domains, " ") != "contoso.com fabrikam.com" {
			t.Errorf("plan sections = %v; want one per domain", got.Domains)
		}
		if !strings.Contains(got.Internal, "_sipinternaltls._tcp") || !strings.Contains(got.External, "_sip._tls") {
			t.Errorf("zone texts:\n%s\n%s\nwant the internal and external SRV records", got.Internal, got.External)
		}
		// contoso.com inside and out, fabrikam.com outside; inside,
		// fabrikam.com is two pin-point zones (_sipinternaltls._tcp and
		// sip), shown in its section and not analyzed alone.
		pin, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="plan-domain"][data-domain="fabrikam.com"] [data-testid="pinpoint"] [data-testid="zone-internal"]').length`))
		if pin != 2 {
			t.Errorf("fabrikam.com's section shows %d internal pin-point zones; want 2", pin)
		}
		if got.Analyze != 3 || got.Certs == 0 || got.PowerShel != 2 || got.Injected != 0 {
			t.Errorf("plan: %d analyze buttons (want 3), %d certificate names, %d PowerShell views (want 2), %d injected elements", got.Analyze, got.Certs, got.PowerShel, got.Injected)
		}

		// The address bar holds the plan's link; it reproduces the plan.
		search, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
		if err != nil || !strings.Contains(search, "domains=contoso.com") || !strings.Contains(search, "edge=sip.contoso.com") {
			t.Errorf("plan link = %q (%v); want the form in it", search, err)
		}
		lctx := tab(t, bctx, 20*time.Second)
		if err := chromedp.Do(lctx, chromedp.Navigate(site.URL+"/plan/"+search), chromedp.WaitVisible(chromedp.CSS(`#plan-result [data-testid="plan-outcome"]`))); err != nil {
			t.Fatalf("plan link: %v", err)
		}
		if again, err := chromedp.Run(lctx, chromedp.Evaluate[planState](readPlan)); err != nil || again.Cells != got.Cells || again.Internal != got.Internal {
			t.Errorf("the plan link shows %d cells (%v); want the same plan (%d)", again.Cells, err, got.Cells)
		}

		// Printed, the plan is one page per domain without the controls.
		type printState struct {
			Form, Buttons string
			Breaks        []string
		}
		if err := chromedp.Do(lctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		})); err != nil {
			t.Fatal(err)
		}
		ps, err := chromedp.Run(lctx, chromedp.Evaluate[printState](`(() => ({
			Form: getComputedStyle(document.getElementById('plan-form')).display,
			Buttons: getComputedStyle(document.querySelector('#plan-result button')).display,
			Breaks: Array.from(document.querySelectorAll('.plan-domain')).map((s) => getComputedStyle(s).breakBefore),
		}))()`))
		if err != nil {
			t.Fatal(err)
		}
		screenshot(t, lctx, "p6-print")
		if ps.Form != "none" || ps.Buttons != "none" || strings.Join(ps.Breaks, " ") != "page page" {
			t.Errorf("print: form %s, buttons %s, page breaks %v; want none, none, a page per domain", ps.Form, ps.Buttons, ps.Breaks)
		}

		// A cell's link opens its full report in the analyzer.
		link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="cell-internal-fabrikam.com-lync-2013"] a').href`))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := showReport(tab(t, bctx, 20*time.Second), chromedp.Navigate(link))
		if err != nil {
			t.Fatalf("cell link: %v", err)
		}
		if rep.Outcome != "connect" || rep.Target != "sip.fabrikam.com:5061" {
			t.Errorf("cell link report: %q %q; want connect sip.fabrikam.com:5061", rep.Outcome, rep.Target)
		}

		// "Analyze this zone" carries the internal zone of contoso.com
		// into the analyzer, which checks it with no network.
		before := site.queries.Load()
		start = time.Now()
		rep, err = showReport(ctx, chromedp.Click(chromedp.CSS(`[data-testid="zone-internal"][data-origin="contoso.com"] [data-testid="analyze"]`)))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("analyze this zone → report: %v", time.Since(start).Round(time.Millisecond))
		if rep.Outcome != "connect" || rep.Target != "pool01.contoso.com:5061" {
			t.Errorf("round trip: %q %q; want connect pool01.contoso.com:5061", rep.Outcome, rep.Target)
		}
		zoneText, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("zone")))
		if err != nil || zoneText != got.Internal {
			t.Errorf("the analyzer's zone box holds %q (%v); want the plan's internal zone", zoneText, err)
		}
		if n := site.queries.Load() - before; n != 0 {
			t.Errorf("the round trip made %d requests to /dns-query; want 0", n)
		}
		screenshot(t, ctx, "p2-roundtrip")
	})

	t.Run("every input of sipdisco plan, and plan.Verify's rules", func(t *testing.T) {
		t.Parallel()
		in := check.PlanOptions{Domains: "contoso.com", Pool: "pool01.contoso.com", PoolServers: "fe01.contoso.com, fe02.contoso.com",
			Director: "dir01.contoso.com", DirectorServers: "dir01a.contoso.com", Edge: "sip.contoso.com:443",
			EdgeInternal: "edgeint.contoso.com", EdgeInternalIP: "10.0.0.30", WebConfEdge: "webconf.contoso.com",
			AVEdge: "av.contoso.com", WebExternal: "webext.contoso.com", DirectorWebExt: "webdirext.contoso.com",
			OfficeOnline: "oos.contoso.com", SimpleURLs: true, XMPP: true,
			Profiles: []string{"lync-2013"}}
		// What sipdisco plan --check finds for the same inputs.
		p, err := in.Generate()
		if err != nil {
			t.Fatal(err)
		}
		resolvers := map[plan.View]engine.Resolver{}
		for _, v := range []plan.View{plan.Internal, plan.External} {
			set := new(zone.Set)
			for _, z := range check.PlanZones(p, v) {
				if err := set.Add(z.Origin, z.Text, z.Name); err != nil {
					t.Fatal(err)
				}
			}
			resolvers[v] = set
		}
		ver, err := plan.Verify(context.Background(), p, resolvers)
		if err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, r := range ver.Rules {
			if !r.OK {
				failed++
			}
		}

		ctx := tab(t, bctx, 40*time.Second)
		steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(site.URL + "/plan/"), chromedp.WaitNotVisible(chromedp.ID("plan-loading"))}
		for id, v := range map[string]string{"plan-domains": in.Domains, "plan-pool": in.Pool, "plan-pool-servers": in.PoolServers,
			"plan-director": in.Director, "plan-director-servers": in.DirectorServers, "plan-edge": in.Edge,
			"plan-edge-internal": in.EdgeInternal, "plan-edge-internal-ip": in.EdgeInternalIP, "plan-webconf": in.WebConfEdge,
			"plan-av": in.AVEdge, "plan-web-external": in.WebExternal, "plan-dir-web-external": in.DirectorWebExt, "plan-oos": in.OfficeOnline} {
			steps = append(steps, chromedp.SendKeys(chromedp.ID(id), v))
		}
		steps = append(steps,
			chromedp.Click(chromedp.ID("plan-simple")),
			chromedp.Click(chromedp.ID("plan-xmpp")),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name="profile"]').forEach((b) => { b.checked = b.value === 'lync-2013'; })`),
			chromedp.Click(chromedp.ID("plan-run")),
			chromedp.WaitVisible(chromedp.CSS(`#plan-result [data-testid="plan-outcome"], #plan-error:not([hidden])`)))
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
		type page struct {
			Error, OK, Failed, Internal, External, Certs, Search string
			Rules                                                bool
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[page](`(() => {
			const r = document.getElementById('plan-result');
			const rules = r.querySelector('[data-testid="plan-rules"]');
			const zone = r.querySelector('[data-testid="zone-internal"] [data-testid="zone-text"]');
			return {Error: document.getElementById('plan-error').hidden ? '' : document.getElementById('plan-error').textContent,
				OK: r.querySelector('[data-testid="plan-outcome"]') ? r.querySelector('[data-testid="plan-outcome"]').dataset.ok : '',
				Rules: !!rules, Failed: rules ? rules.dataset.failed : '', Internal: zone ? zone.textContent : '',
				External: r.querySelector('[data-testid="zone-external"] [data-testid="zone-text"]') ? r.querySelector('[data-testid="zone-external"] [data-testid="zone-text"]').textContent : '',
				Certs: r.querySelector('[data-testid="plan-certs"]') ? r.querySelector('[data-testid="plan-certs"]').textContent : '',
				Search: location.search};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, "p-all-inputs")
		if got.Error != "" {
			t.Fatalf("the plan page shows an error: %s", got.Error)
		}
		if !got.Rules || got.Failed != strconv.Itoa(failed) {
			t.Errorf("the page's rules: shown %v, %s failing; plan.Verify checks %d rules, %d failing", got.Rules, got.Failed, len(ver.Rules), failed)
		}
		if (got.OK == "true") != (failed == 0) {
			t.Errorf("the plan says ok %s with %d failing rules", got.OK, failed)
		}
		for _, name := range []string{"fe01.contoso.com", "fe02.contoso.com", "dir01a.contoso.com", "edgeint.contoso.com", "webconf.contoso.com",
			"webdirext.contoso.com", "meet.contoso.com", "dialin.contoso.com", "oos.contoso.com"} {
			if !strings.Contains(got.Certs, name) {
				t.Errorf("the certificate names lack %s:\n%s", name, got.Certs)
			}
		}
		if !strings.Contains(got.Internal, "edgeint") || !strings.Contains(got.Internal, "10.0.0.30") {
			t.Errorf("internal zone lacks the Edge's internal interface:\n%s", got.Internal)
		}
		for _, want := range []string{"_sipfederationtls._tcp", "_xmpp-server._tcp", "av\t", "meet\t", "webdirext\t"} {
			if !strings.Contains(got.External, want) {
				t.Errorf("external zone lacks %q:\n%s", want, got.External)
			}
		}
		for _, param := range []string{"poolservers=", "directorservers=", "edgeint=", "edgeintip=", "webconf=", "av=", "dirwebext=", "oos=", "simple=1", "xmpp=1"} {
			if !strings.Contains(got.Search, param) {
				t.Errorf("the plan's link %q lacks %s", got.Search, param)
			}
		}
		// The link fills every input again.
		lctx := tab(t, bctx, 40*time.Second)
		if err := chromedp.Do(lctx, chromedp.Navigate(site.URL+"/plan/"+got.Search), chromedp.WaitVisible(chromedp.CSS(`#plan-result [data-testid="plan-outcome"]`))); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]string{"plan-pool-servers": in.PoolServers, "plan-director-servers": in.DirectorServers,
			"plan-edge-internal": in.EdgeInternal, "plan-edge-internal-ip": in.EdgeInternalIP, "plan-webconf": in.WebConfEdge,
			"plan-av": in.AVEdge, "plan-dir-web-external": in.DirectorWebExt, "plan-oos": in.OfficeOnline} {
			v, err := chromedp.Run(lctx, chromedp.Value(chromedp.ID(id)))
			if err != nil || strings.ReplaceAll(v, " ", "") != strings.ReplaceAll(want, " ", "") {
				t.Errorf("from the link, #%s holds %q (%v); want %q", id, v, err, want)
			}
		}
		for _, id := range []string{"plan-simple", "plan-xmpp"} {
			on, err := chromedp.Run(lctx, chromedp.Evaluate[bool](`document.getElementById('`+id+`').checked`))
			if err != nil || !on {
				t.Errorf("from the link, #%s is not checked (%v)", id, err)
			}
		}
	})

	t.Run("plan errors name the field", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 20*time.Second)
		err := chromedp.Do(ctx,
			chromedp.Navigate(site.URL+"/plan/"),
			chromedp.WaitNotVisible(chromedp.ID("plan-loading")),
			chromedp.SendKeys(chromedp.ID("plan-domains"), "contoso..com"),
			chromedp.Click(chromedp.ID("plan-run")),
			chromedp.WaitVisible(chromedp.ID("plan-error")),
		)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("plan-error")))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg, "SIP domains") || !strings.Contains(msg, "Front End pool: required") {
			t.Errorf("error = %q; want it to name SIP domains and the pool", msg)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("plan-domains"))); v != "contoso..com" {
			t.Errorf("after the error the domains box holds %q; want the input kept", v)
		}
	})

	t.Run("certificate check", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 20*time.Second)
		cert := testCertPEM(t, "pool01.contoso.com", "sip.contoso.com")
		check := func(host, pemText string) (covered, errMsg string) {
			t.Helper()
			err := chromedp.Do(ctx,
				chromedp.SetValue(chromedp.ID("cert-host"), host),
				chromedp.SetValue(chromedp.ID("cert-pem"), pemText),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('cert-result').textContent = ''`),
				chromedp.Click(chromedp.ID("cert-run")),
				chromedp.WaitVisible(chromedp.CSS(`#cert-result [data-testid="cert-result"], #cert-error:not([hidden])`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			type state struct{ Covered, Error string }
			s, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
				const r = document.querySelector('#cert-result [data-testid="cert-result"]');
				const e = document.getElementById('cert-error');
				return {Covered: r ? r.dataset.covered : '', Error: e.hidden ? '' : e.textContent};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			return s.Covered, s.Error
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/plan/"), chromedp.WaitNotVisible(chromedp.ID("plan-loading"))); err != nil {
			t.Fatal(err)
		}
		if c, e := check("sip.contoso.com", cert); c != "true" || e != "" {
			t.Errorf("sip.contoso.com: covered %q, error %q; want covered", c, e)
		}
		screenshot(t, ctx, "p3-cert")
		if c, e := check("sip.fabrikam.com", cert); c != "false" || e != "" {
			t.Errorf("sip.fabrikam.com: covered %q, error %q; want not covered", c, e)
		}
		broken := "some text\n" + strings.Replace(cert, "-----END CERTIFICATE-----", "", 1)
		if _, e := check("sip.contoso.com", broken); !strings.Contains(e, "line 2") {
			t.Errorf("broken PEM: error %q; want it to name line 2", e)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("cert-pem"))); v != broken {
			t.Error("after the error the certificate box lost its text")
		}
	})

	t.Run("inside and outside side by side", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 30*time.Second)
		const inside = "$ORIGIN healthy.example.\n_sipinternaltls._tcp 3600 IN SRV 0 0 5061 pool01\npool01 3600 IN A 10.0.0.10\n"
		start := time.Now()
		err := chromedp.Do(ctx,
			chromedp.Navigate(site.URL+"/compare/"),
			chromedp.WaitNotVisible(chromedp.ID("cmp-loading")),
			chromedp.SetValue(chromedp.ID("cmp-a"), "zone"),
			chromedp.SetValue(chromedp.ID("cmp-a-zone"), inside),
			chromedp.SetValue(chromedp.ID("cmp-b"), "local"),
			chromedp.SendKeys(chromedp.ID("cmp-uri"), "bob@healthy.example"),
			chromedp.Click(chromedp.ID("cmp-run")),
			chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="compare"], #cmp-error:not([hidden])`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		type state struct {
			Error    string   `json:"error"`
			Outcomes []string `json:"outcomes"`
			Targets  []string `json:"targets"`
			Differs  []string `json:"differs"`
			Search   string   `json:"search"`
			LinkB    string   `json:"linkB"`
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
			const r = document.getElementById('cmp-result');
			const e = document.getElementById('cmp-error');
			const all = (s) => Array.from(r.querySelectorAll(s));
			return {
				error: e.hidden ? '' : e.textContent,
				outcomes: all('[data-testid="outcome"]').map((x) => x.dataset.outcome),
				targets: all('[data-testid="target"] .host code').map((x) => x.textContent),
				differs: all('table.diff tr[data-differs="true"] th').map((x) => x.textContent),
				search: location.search,
				linkB: r.querySelector('[data-testid="link-b"]') ? r.querySelector('[data-testid="link-b"]').getAttribute('href') : '',
			};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("compare → both reports: %v", time.Since(start).Round(time.Millisecond))
		screenshot(t, ctx, "p4-compare")
		if got.Error != "" {
			t.Fatalf("the page shows an error: %s", got.Error)
		}
		if strings.Join(got.Outcomes, " ") != "connect connect" || strings.Join(got.Targets, " ") != "pool01.healthy.example:5061 sip.healthy.example:5061" {
			t.Errorf("side by side: outcomes %v, targets %v; want both connect, to pool01 (A) and sip (B)", got.Outcomes, got.Targets)
		}
		if len(got.Differs) == 0 || got.Differs[0] != "Server" {
			t.Errorf("highlighted differences = %v; want the server first", got.Differs)
		}
		if !strings.Contains(got.Search, "a=zone") || !strings.Contains(got.Search, "b=local") {
			t.Errorf("address bar = %q; want both views in the link", got.Search)
		}
		if !strings.HasPrefix(got.LinkB, "../?uri=") {
			t.Errorf("view B's link = %q; want a live analyzer link", got.LinkB)
		}
	})

	t.Run("matrix from a link", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 30*time.Second)
		start := time.Now()
		err := chromedp.Do(ctx,
			chromedp.Navigate(site.URL+"/compare/?uri=bob%40strict.example&a=local&matrix=1"),
			chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="matrix"], #cmp-error:not([hidden])`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		type state struct {
			Error  string            `json:"error"`
			Cells  int               `json:"cells"`
			Links  int               `json:"links"`
			ByCell map[string]string `json:"byCell"`
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
			const r = document.getElementById('cmp-result');
			const e = document.getElementById('cmp-error');
			const by = {};
			r.querySelectorAll('td.cell').forEach((c) => { by[c.dataset.testid] = c.dataset.outcome; });
			return {error: e.hidden ? '' : e.textContent, cells: r.querySelectorAll('td.cell[data-outcome]').length,
				links: r.querySelectorAll('td.cell a[href^="../?uri="]').length, byCell: by};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("matrix link → 8 checks: %v", time.Since(start).Round(time.Millisecond))
		screenshot(t, ctx, "p5-matrix")
		if got.Error != "" {
			t.Fatalf("the page shows an error: %s", got.Error)
		}
		if want := 2 * len(engine.Profiles()); got.Cells != want || got.Links != want {
			t.Errorf("matrix: %d cells, %d live links; want %d of each (every client × strict off/on)", got.Cells, got.Links, want)
		}
		// Lync's strict naming applies to TLS only, so Lync signs in over
		// TCP to strict.example's pool either way; Communicator's does not.
		for _, p := range []string{"communicator-2007-r2", "communicator-2007"} {
			if o := got.ByCell["mcell-0-"+p+"-strict"]; o == "" || o == got.ByCell["mcell-0-"+p+"-loose"] {
				t.Errorf("%s: strict %q, loose %q; want strict naming to change the outcome for strict.example", p, o, got.ByCell["mcell-0-"+p+"-loose"])
			}
		}
	})

	t.Run("bad planned zone, then fixed", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 20*time.Second)
		const good = "$ORIGIN contoso.com.\n_sipinternaltls._tcp 3600 IN SRV 0 0 5061 pool01\npool01 3600 IN A 10.0.0.10\n"
		bad := strings.Replace(good, "10.0.0.10", "10.0.0.300", 1)
		_, err := showReport(ctx,
			chromedp.Navigate(site.URL+"/"),
			chromedp.WaitNotVisible(chromedp.ID("loading")),
			chromedp.Click(chromedp.CSS("#more summary")),
			chromedp.SetValue(chromedp.ID("zone"), bad),
			chromedp.SetValue(chromedp.ID("doh"), "zone"),
			chromedp.SendKeys(chromedp.ID("uri"), "jeremy@contoso.com"+kb.Enter),
		)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "planned zone:3") {
			t.Errorf("bad zone: %v; want an error naming planned zone:3", err)
		}
		if z, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("zone"))); z != bad {
			t.Errorf("after the error the zone box holds %q; want the text kept", z)
		}
		got, err := showReport(ctx, chromedp.SetValue(chromedp.ID("zone"), good), chromedp.Click(chromedp.ID("run")))
		if err != nil {
			t.Fatalf("fixed zone: %v", err)
		}
		if got.Outcome != "connect" || got.Target != "pool01.contoso.com:5061" {
			t.Errorf("fixed zone: %q %q; want connect pool01.contoso.com:5061", got.Outcome, got.Target)
		}
	})
}

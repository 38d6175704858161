//go:build !js

package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
	"github.com/sipdisco/sipdisco/resolve/plain"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// TestBrowserUpstream is the internal view in the browser, end to end:
// the real sipdisco serve --upstream in front of a real DNS server that
// is not ours (unbound holding the internal view of contoso.example),
// driven in Chromium. The page shows the internal verdict with this
// machine's DNS as its source; the Compare page sets it beside a second
// DoH endpoint standing in for a public resolver (nsd holding the external
// view behind dohclient's handler, with the CORS header public resolvers
// send: serve --upstream itself answers its own page only), and its link
// carries both; a request for another host gets 421; a question
// discovery never asks is refused, asked from the page itself.
func TestBrowserUpstream(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm and the CLI, starts DNS servers and drives Chromium")
	}
	chromium := chromiumPath(t)
	inside, outside := dnstest.StartViews(t, dnstest.ExternalView)
	public := publicStandIn(t, outside)

	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	extra := []check.Resolver{{URL: public, Label: "Stand-in public resolver (external view)"}}
	if err := Build(site, BuildOptions{WASMPath: testWASM(t), ModuleDir: "..", LocalDoH: true, LocalUpstream: true, Resolvers: extra}); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, dir, os.Environ(), buildCLI(t), "serve", "--addr", "127.0.0.1:0", "--site", site,
		"--resolver", public, "--upstream", inside.Addr.String())
	bctx := browser(t, chromium)
	addr := "bob@" + dnstest.Domain

	t.Run("the internal verdict, from this machine's DNS", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 60*time.Second)
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
			t.Fatal(err)
		}
		got, err := showReport(ctx, chromedp.SendKeys(chromedp.ID("uri"), addr+kb.Enter))
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != "connect" || got.Target != "pool01."+dnstest.Domain+":5061" {
			t.Errorf("outcome, target = %q, %q; want connect to the internal pool, pool01.%s:5061", got.Outcome, got.Target, dnstest.Domain)
		}
		if !strings.Contains(got.Search, "doh=upstream") {
			t.Errorf("address bar = %q; want the live link naming this machine's DNS (doh=upstream)", got.Search)
		}
		facts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll('#result dl.facts > div')).map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent]))`))
		if err != nil {
			t.Fatal(err)
		}
		if from := facts["Answers from"]; !strings.HasPrefix(from, check.UpstreamLabel) {
			t.Errorf("Answers from = %q; want %q", from, check.UpstreamLabel)
		}
		if v := facts["View"]; !strings.HasPrefix(v, "inside") {
			t.Errorf("View = %q; want the inside view", v)
		}
		// The wildcard probe went through serve's filter to unbound,
		// which says it does not exist, and the step says why it was
		// asked.
		probe, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const li = Array.from(document.querySelectorAll('#result [data-testid="steps"] ol.steps > li')).find((l) => l.textContent.includes('wildcard probe'));
			return li ? li.querySelector('.rcode').textContent : 'no probe step';
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if probe != "NXDOMAIN" {
			t.Errorf("the wildcard probe's step says %q; want NXDOMAIN from unbound through serve --upstream", probe)
		}
		// The SRV target's address: the filter answers it only to the
		// check whose SRV answer named it, so the page sends its check's
		// ID with each question (issue 26, class 6).
		pool, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const li = Array.from(document.querySelectorAll('#result [data-testid="steps"] ol.steps > li')).find((l) => /^pool01\.\S+ A /.test(l.textContent.trim()));
			return li ? li.querySelector('.rcode').textContent + ' ' + li.querySelector('.answers')?.textContent : 'no step';
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(pool, "NOERROR") || !strings.Contains(pool, "10.0.0.10") {
			t.Errorf("the pool's A step says %q; want NOERROR with 10.0.0.10, answered through serve --upstream to the page's check", pool)
		}
		for _, size := range [][2]int64{{390, 844}, {1366, 900}} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, "upstream-report-"+strconv.FormatInt(size[0], 10))
		}
		// The form's "DNS view" choice, under More.
		var view string
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#more > summary")), chromedp.WaitVisible(chromedp.ID("view"))); err != nil {
			t.Fatal(err)
		}
		if view, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('view').value`)); err != nil || view != "" {
			t.Errorf("the form's DNS view is %q (%v); want the resolver's own (empty)", view, err)
		}
		for _, size := range [][2]int64{{390, 844}, {1366, 900}} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, "upstream-form-more-"+strconv.FormatInt(size[0], 10))
		}
	})

	t.Run("inside and outside on the Compare page, both in its link", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 60*time.Second)
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/compare/"),
			chromedp.WaitNotVisible(chromedp.ID("cmp-loading")),
			chromedp.SetValue(chromedp.ID("cmp-a"), check.ResolverUpstream),
			chromedp.SetValue(chromedp.ID("cmp-b"), public),
			chromedp.SendKeys(chromedp.ID("cmp-uri"), addr),
			chromedp.Click(chromedp.ID("cmp-run")),
		)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readComparison(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkComparison(t, got)
		q, err := url.ParseQuery(strings.TrimPrefix(got.Search, "?"))
		if err != nil || q.Get("a") != check.ResolverUpstream || q.Get("b") != public || q.Get("uri") != addr {
			t.Fatalf("the Compare page's link %q does not carry the address and both resolvers (a=upstream, b=%s)", got.Search, public)
		}
		for _, size := range [][2]int64{{390, 844}, {1366, 900}} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, "upstream-compare-"+strconv.FormatInt(size[0], 10))
		}

		// The link alone reproduces the comparison in a fresh tab.
		again := tab(t, bctx, 60*time.Second)
		if err := chromedp.Do(again, chromedp.Navigate(base+"/compare/"+got.Search)); err != nil {
			t.Fatal(err)
		}
		shared, err := readComparison(again)
		if err != nil {
			t.Fatal(err)
		}
		checkComparison(t, shared)
	})

	// The domain report asks more than discovery (_sipfederationtls._tcp,
	// the simple URLs' hosts): serve's filter passes its questions, so the
	// page shows what the same report says asking unbound directly.
	t.Run("the domain report, through this machine's DNS", func(t *testing.T) {
		t.Parallel()
		c, err := plain.New(inside.Addr)
		if err != nil {
			t.Fatal(err)
		}
		want, err := domainreport.Check(context.Background(), dnstest.Domain, engine.Config{Resolver: c, View: engine.ViewInside})
		if err != nil {
			t.Fatal(err)
		}
		ctx := tab(t, bctx, 60*time.Second)
		err = chromedp.Do(ctx,
			chromedp.Navigate(base+"/domain/?domains="+dnstest.Domain+"&doh="+check.ResolverUpstream),
			chromedp.WaitVisible(chromedp.CSS(`#dom-result [data-testid="domains"], #dom-error:not([hidden])`)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[domainState](readDomain))
		if err != nil {
			t.Fatal(err)
		}
		if got.Error != "" || len(got.Sections) != 1 {
			t.Fatalf("error %q, %d sections; want one domain's report", got.Error, len(got.Sections))
		}
		var points []string
		for _, r := range want.Records {
			points = append(points, r.Points)
		}
		sec := got.Sections[0]
		if sec.Gate != gateWord(want) || sec.Federation != want.Federation.Outcome || strings.Join(sec.Points, " ") != strings.Join(points, " ") {
			t.Errorf("through serve --upstream: Teams Only %s, federation %s, records %v; asking unbound directly: %s, %s, %v",
				sec.Gate, sec.Federation, sec.Points, gateWord(want), want.Federation.Outcome, points)
		}
		if strings.Contains(strings.Join(sec.Points, " "), domainreport.PointsUnknown) {
			t.Errorf("records %v: a lookup failed (refused by the filter?)", sec.Points)
		}
	})

	// Two domains whose Access Edge (the _sip._tls target) is a host no
	// client builds from the domain: its address is answered only to the
	// check of its own domain, so the page asks each domain as a check
	// of its own (issue 26, class 6).
	t.Run("two domains on the domain page, each its own check", func(t *testing.T) {
		t.Parallel()
		zone := func(n int) string {
			return fmt.Sprintf("$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n"+
				"_sip._tls IN SRV 0 0 443 edge0%d\n_sipfederationtls._tcp IN SRV 0 0 5061 edge0%d\nedge0%d IN A 203.0.113.%d\n", n, n, n, n)
		}
		two := dnstest.StartUnbound(t, dnstest.Zone{Origin: "one.example", Text: zone(1)}, dnstest.Zone{Origin: "two.example", Text: zone(2)})
		base2 := startServe(t, dir, os.Environ(), buildCLI(t), "serve", "--addr", "127.0.0.1:0", "--site", site,
			"--resolver", public, "--upstream", two.Addr.String())
		ctx := tab(t, bctx, 60*time.Second)
		err := chromedp.Do(ctx,
			chromedp.Navigate(base2+"/domain/?domains=one.example+two.example&doh="+check.ResolverUpstream),
			chromedp.WaitVisible(chromedp.CSS(`#dom-result [data-testid="domains"], #dom-error:not([hidden])`)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[domainState](readDomain))
		if err != nil {
			t.Fatal(err)
		}
		if got.Error != "" || len(got.Sections) != 2 {
			t.Fatalf("error %q, %d sections; want two domains' reports", got.Error, len(got.Sections))
		}
		for _, sec := range got.Sections {
			if p := strings.Join(sec.Points, " "); strings.Contains(p, domainreport.PointsUnknown) {
				t.Errorf("%s: records %v; a lookup failed (the Access Edge's address refused by the filter?)", sec.Domain, sec.Points)
			}
		}
		// The same reports as asking unbound directly: the Access
		// Edge's address decides where federation and sign-in lead.
		c, err := plain.New(two.Addr)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range []string{"one.example", "two.example"} {
			want, err := domainreport.Check(context.Background(), d, engine.Config{Resolver: c, View: engine.ViewInside})
			if err != nil {
				t.Fatal(err)
			}
			var points []string
			for _, r := range want.Records {
				points = append(points, r.Points)
			}
			sec := got.Sections[i]
			if sec.Domain != d || sec.Gate != gateWord(want) || sec.Federation != want.Federation.Outcome || strings.Join(sec.Points, " ") != strings.Join(points, " ") {
				t.Errorf("%s through serve --upstream: Teams Only %s, federation %s, records %v; asking unbound directly: %s, %s, %v",
					sec.Domain, sec.Gate, sec.Federation, sec.Points, gateWord(want), want.Federation.Outcome, points)
			}
		}

		// The Audit page, one check per domain likewise: each address
		// gets the verdict discovery gives asking unbound directly.
		err = chromedp.Do(ctx,
			chromedp.Navigate(base2+"/audit/"),
			chromedp.WaitNotVisible(chromedp.ID("audit-loading")),
			chromedp.SetValue(chromedp.ID("audit-list"), "bob@one.example\nbob@two.example"),
			chromedp.SetValue(chromedp.ID("audit-doh"), check.ResolverUpstream),
			chromedp.Click(chromedp.ID("audit-run")),
			chromedp.WaitVisible(chromedp.CSS(`#audit-result [data-testid="audit"], #audit-error:not([hidden])`)))
		if err != nil {
			t.Fatal(err)
		}
		audited, err := chromedp.Run(ctx, chromedp.Evaluate[auditState](readAudit))
		if err != nil {
			t.Fatal(err)
		}
		if audited.Error != "" || len(audited.Rows) != 2 {
			t.Fatalf("audit: error %q, %d rows; want 2", audited.Error, len(audited.Rows))
		}
		for i, d := range []string{"one.example", "two.example"} {
			u, _ := engine.ParseURI("bob@" + d)
			want, err := engine.Discover(context.Background(), u, engine.Config{Resolver: c, Policy: engine.DefaultPolicy(), View: engine.ViewInside})
			if err != nil {
				t.Fatal(err)
			}
			if r := audited.Rows[i]; r.Outcome != string(want.Outcome) {
				t.Errorf("audit of bob@%s through serve --upstream: %s %q %q; asking unbound directly: %s", d, r.Outcome, r.Target, r.Error, want.Outcome)
			}
		}
	})

	t.Run("another host gets 421", func(t *testing.T) {
		t.Parallel()
		for host, want := range map[string]int{"attacker.example": http.StatusMisdirectedRequest, strings.TrimPrefix(base, "http://"): http.StatusOK} {
			req, _ := http.NewRequest("GET", base+"/dns-query?dns="+query(t, "_sipinternaltls._tcp."+dnstest.Domain, dns.TypeSRV), nil)
			req.Header.Set("Accept", dohclient.MediaType)
			req.Host = host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("Host: %s: status %d; want %d", host, resp.StatusCode, want)
			}
		}
	})

	t.Run("a question discovery never asks is refused, from the page", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 30*time.Second)
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/about.html")); err != nil {
			t.Fatal(err)
		}
		ask := func(name string, qtype uint16) *dns.Msg {
			t.Helper()
			b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/dns-query?dns=`+query(t, name, qtype)+`', {headers: {Accept: 'application/dns-message'}})
				.then((r) => r.arrayBuffer()).then((b) => btoa(String.fromCharCode(...new Uint8Array(b))))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				t.Fatal(err)
			}
			m := new(dns.Msg)
			if err := m.Unpack(raw); err != nil {
				t.Fatalf("%s: the page got no DNS message: %v", name, err)
			}
			return m
		}
		m := ask("www."+dnstest.Domain, dns.TypeA)
		if m.Rcode != dns.RcodeRefused || !hasEDE(m, wire.EDEProhibited) {
			t.Errorf("www.%s A from the page: %s, %v; want REFUSED with Extended DNS Error 18 (Prohibited)", dnstest.Domain, dns.RcodeToString[m.Rcode], m.Extra)
		}
		if m := ask("_ldap._tcp."+dnstest.Domain, dns.TypeSRV); m.Rcode != dns.RcodeRefused {
			t.Errorf("_ldap._tcp.%s SRV from the page: %s; want REFUSED", dnstest.Domain, dns.RcodeToString[m.Rcode])
		}
		// The questions discovery asks are answered, from the internal
		// view.
		if m := ask("_sipinternaltls._tcp."+dnstest.Domain, dns.TypeSRV); m.Rcode != dns.RcodeSuccess || len(m.Answer) != 1 {
			t.Errorf("_sipinternaltls._tcp.%s SRV from the page: %s, %v; want the internal record", dnstest.Domain, dns.RcodeToString[m.Rcode], m.Answer)
		}
	})
}

// comparisonState is what the tests read off the Compare page.
type comparisonState struct {
	Error    string   `json:"error"`
	Outcomes []string `json:"outcomes"`
	Targets  []string `json:"targets"`
	Differs  []string `json:"differs"`
	Labels   []string `json:"labels"`
	Search   string   `json:"search"`
}

// readComparison waits for the Compare page's result and reads it.
func readComparison(ctx context.Context) (comparisonState, error) {
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#cmp-result [data-testid="compare"], #cmp-error:not([hidden]), #cmp-confirm:not([hidden])`))); err != nil {
		return comparisonState{}, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[comparisonState](`(() => {
		const r = document.getElementById('cmp-result');
		const e = document.getElementById('cmp-error');
		const c = document.getElementById('cmp-confirm');
		const all = (s) => Array.from(r.querySelectorAll(s));
		return {
			error: !e.hidden ? e.textContent : !c.hidden ? 'asked to confirm: ' + c.textContent : '',
			outcomes: all('[data-testid="outcome"]').map((x) => x.dataset.outcome),
			targets: all('[data-testid="target"] .host code').map((x) => x.textContent),
			differs: all('table.diff tr[data-differs="true"] th').map((x) => x.textContent),
			labels: all('section.view > h3').map((x) => x.textContent),
			search: location.search,
		};
	})()`))
}

// checkComparison wants the internal view (A) and the external view (B)
// of contoso.example, with their differences highlighted.
func checkComparison(t *testing.T, got comparisonState) {
	t.Helper()
	if got.Error != "" {
		t.Fatalf("the Compare page shows: %s", got.Error)
	}
	d := dnstest.Domain
	if strings.Join(got.Outcomes, " ") != "connect connect" || strings.Join(got.Targets, " ") != "pool01."+d+":5061 sip."+d+":443" {
		t.Errorf("outcomes %v, targets %v; want the pool inside (A) and the Access Edge outside (B)", got.Outcomes, got.Targets)
	}
	// Each heading names its resolver and the view its report says
	// (docs/adr/0024): the machine's DNS is inside, whatever side of
	// the form it was chosen on.
	if want := "A: " + check.UpstreamLabel + " (inside view)"; len(got.Labels) != 2 || got.Labels[0] != want {
		t.Errorf("view headings %v; want A to be %q", got.Labels, want)
	}
	differs := strings.Join(got.Differs, "|")
	for _, want := range []string{"Server", "_sipinternaltls._tcp." + d + " SRV", "_sipinternal._tcp." + d + " SRV"} {
		if !strings.Contains(differs, want) {
			t.Errorf("highlighted differences %v lack %q", got.Differs, want)
		}
	}
	if strings.Contains(differs, "_sip._tls."+d+" SRV") || strings.Contains(differs, "wildcard probe") {
		t.Errorf("highlighted differences %v include what both views answer alike (_sip._tls, the probe)", got.Differs)
	}
}

// publicStandIn serves the DNS server srv over DoH on loopback, as a
// public resolver does for a page on another origin: RFC 8484 GET with the
// CORS header Access-Control-Allow-Origin: * (which sipdisco serve
// --upstream, answering its own page only, never sends). It returns the
// endpoint's URL.
func publicStandIn(t *testing.T, srv *dnstest.Server) string {
	t.Helper()
	c, err := plain.New(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	doh := server.NewHandler(c, server.HandlerOptions{Timeout: 5 * time.Second, NoStore: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		doh.ServeHTTP(w, r)
	})}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String() + "/dns-query"
}

// query returns the RFC 8484 "dns" parameter asking name and qtype, with
// EDNS(0) so that an Extended DNS Error can come back (RFC 6891 §7).
func query(t *testing.T, name string, qtype uint16) string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.Id = 0
	m.SetEdns0(1232, false)
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hasEDE reports whether m carries the Extended DNS Error code.
func hasEDE(m *dns.Msg, code uint16) bool {
	if o := m.IsEdns0(); o != nil {
		for _, opt := range o.Option {
			if e, ok := opt.(*dns.EDNS0_EDE); ok && e.InfoCode == code {
				return true
			}
		}
	}
	return false
}

//go:build !js

package web

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipdisco/sipdisco/check"
)

// logState is what the test reads off the log page.
type logState struct {
	Error      string   `json:"error"`
	Format     string   `json:"format"`
	Outcome    string   `json:"outcome"`
	Headline   string   `json:"headline"`
	Rows       int      `json:"rows"`
	Diagnostic string   `json:"diagnostic"`
	Verdicts   []string `json:"verdicts"`
	Bar        float64  `json:"bar"`
	BarMax     float64  `json:"barMax"`
	Text       string   `json:"text"`
	HTML       string   `json:"html"`
	Injected   int      `json:"injected"`
}

const readLogPage = `(() => {
	const r = document.getElementById('log-result');
	const e = document.getElementById('log-error');
	const a = r.querySelector('[data-testid="log"]');
	const t = (s) => r.querySelector(s) ? r.querySelector(s).textContent.replace(/\s+/g, ' ').trim() : '';
	const bar = document.getElementById('log-bar');
	return {
		error: e.hidden ? '' : (e.textContent || 'an empty error: ' + document.getElementById('log-progress').textContent + ' / ' + r.innerHTML.slice(0, 300)),
		format: a ? a.dataset.format : '',
		outcome: a ? a.dataset.outcome : '',
		headline: t('[data-testid="log-headline"]'),
		rows: r.querySelectorAll('[data-testid="log-ladder"] tbody tr').length,
		diagnostic: t('[data-testid="log-diagnostics"]'),
		verdicts: [...r.querySelectorAll('[data-testid="log-comparison"] li')].map((li) => li.dataset.verdict),
		bar: bar.value, barMax: bar.max,
		text: document.body.innerText,
		html: document.documentElement.outerHTML,
		injected: r.querySelectorAll('script, img, iframe, svg, [onerror], [onload], a[href^="javascript"]').length,
	};
})()`

func logSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "logread", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkNoSecrets fails when the page shows or holds a secret of the
// samples (each marked S3CR3T) or an instant message's text.
func checkNoSecrets(t *testing.T, got logState) {
	t.Helper()
	for _, s := range []string{"S3CR3T", "hunter2"} {
		if strings.Contains(got.Text, s) || strings.Contains(got.HTML, s) {
			t.Errorf("the page holds %q", s)
		}
	}
}

// TestBrowserLog pastes the NTLM sample (a 403 with ms-diagnostics-public
// 4004) into the log page on a phone and on a desktop, with this server's
// resolver for the prediction: the page shows the ladder, the decoded
// diagnostic and the comparison with the prediction for healthy.example
// (the demo zone), the progress bar full, no secret, nothing
// overflowing, and axe-core finds no serious or critical violation.
func TestBrowserLog(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	axe := axeSource(t)
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	ntlm := string(logSample(t, "uccapi-ntlm-403.uccapilog"))

	for _, s := range []screen{phone, desktop} {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			ctx := sized(t, bctx, s)
			start := time.Now()
			err := chromedp.Do(ctx,
				chromedp.Navigate(site.URL+"/log/"),
				chromedp.WaitNotVisible(chromedp.ID("log-loading")),
			)
			if err != nil {
				t.Fatal(err)
			}
			text, _ := json.Marshal(ntlm)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById('log-text').value = `+string(text)+`; document.getElementById('log-doh').value = '`+check.ResolverLocal+`'; return true; })()`)); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("log-run")), chromedp.WaitVisible(chromedp.CSS(`#log-result [data-testid="log"], #log-error:not([hidden])`))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[logState](readLogPage))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("read and predicted in %v", time.Since(start).Round(time.Millisecond))
			screenshot(t, ctx, "l-"+strings.Fields(s.name)[0]+"-log")
			if got.Error != "" {
				t.Fatalf("the page shows an error: %s", got.Error)
			}
			if got.Format != "uccapilog" || got.Outcome != "failed" || got.Rows != 6 || !strings.Contains(got.Headline, "403 Forbidden") {
				t.Errorf("format %q, outcome %q, %d ladder rows, headline %q; want uccapilog, failed, 6, a 403", got.Format, got.Outcome, got.Rows, got.Headline)
			}
			if !strings.Contains(got.Diagnostic, "4004") || !strings.Contains(got.Diagnostic, "Credentials provided are not authorized to act as specified from URI.") {
				t.Errorf("diagnostics %q; want 4004 with [MS-OCER]'s meaning", got.Diagnostic)
			}
			if strings.Join(got.Verdicts, " ") != "agrees agrees agrees note" {
				t.Errorf("comparison verdicts %v; want outcome, server and port agreeing and a note on the scheme", got.Verdicts)
			}
			// A textarea holds LF line ends (HTML's newline normalization).
			if n := len(strings.ReplaceAll(ntlm, "\r\n", "\n")); got.BarMax != float64(n) || got.Bar != got.BarMax {
				t.Errorf("progress %v of %v; want full, of the pasted log's %d bytes", got.Bar, got.BarMax, n)
			}
			checkNoSecrets(t, got)
			checkOverflow(t, ctx, "the log page")
			checkAxe(t, ctx, axe, "log page, "+s.name)
		})
	}

	// A file dropped on the form: the TLS-DSK sign-in as Windows tools
	// write it (UTF-16 with a byte-order mark), its User-Agent turned
	// hostile (markup and a terminal escape), read with no prediction.
	t.Run("a dropped UTF-16 file", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 90*time.Second)
		text := string(logSample(t, "uccapi-tlsdsk-signin.uccapilog"))
		text = strings.Replace(text, "(Skype for Business)", "(Skype for Business) <img src=x onerror=alert(1)>\x1b[31m", -1)
		var u16 bytes.Buffer
		u16.Write([]byte{0xff, 0xfe})
		for _, r := range text {
			u16.Write([]byte{byte(r), byte(r >> 8)})
		}
		ints := make([]int, u16.Len())
		for i, c := range u16.Bytes() {
			ints[i] = int(c)
		}
		data, _ := json.Marshal(ints)
		drop := `(() => {
			const bytes = new Uint8Array(` + string(data) + `);
			const dt = new DataTransfer();
			dt.items.add(new File([bytes], 'Lync-UccApi-0.UccApilog'));
			document.getElementById('log-doh').value = '';
			document.getElementById('log-form').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
			return true;
		})()`
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/log/"), chromedp.WaitNotVisible(chromedp.ID("log-loading"))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](drop)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#log-result [data-testid="log"], #log-error:not([hidden])`))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[logState](readLogPage))
		if err != nil {
			t.Fatal(err)
		}
		if got.Error != "" || got.Outcome != "signed-in" || got.Rows != 6 || len(got.Verdicts) != 0 {
			dbg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('log-progress').textContent + ' | ' + document.getElementById('log-error').outerHTML + ' | ' + document.getElementById('log-result').innerHTML.slice(0, 500) + ' | bar ' + document.getElementById('log-bar').value + '/' + document.getElementById('log-bar').max`))
			t.Logf("page: %s", dbg)
			t.Errorf("error %q, outcome %q, %d rows, verdicts %v; want a signed-in ladder of 6 and no prediction", got.Error, got.Outcome, got.Rows, got.Verdicts)
		}
		if got.Injected != 0 || !strings.Contains(got.Text, `\x1b[31m`) {
			t.Errorf("%d injected elements; the escape shown: %v", got.Injected, strings.Contains(got.Text, `\x1b[31m`))
		}
		checkNoSecrets(t, got)
	})

	// Binary input is refused with a message that says so.
	t.Run("binary", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 60*time.Second)
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/log/"), chromedp.WaitNotVisible(chromedp.ID("log-loading"))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
				const dt = new DataTransfer();
				dt.items.add(new File([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0])], 'logs.zip'));
				document.getElementById('log-form').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
				return true;
			})()`)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#log-error:not([hidden])`))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[logState](readLogPage))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ToLower(got.Error), "not a text log") {
			t.Errorf("error %q; want it to say the input is not a text log", got.Error)
		}
	})
}

// TestBrowserLogLink reads the NTLM sample on the log page with no
// prediction, takes the page's link to its ladder and opens it in a new
// tab on a phone and a desktop: the ladder (six rows, the 403, the
// decoded 4004) under the notice that it is a redacted copy and no log
// was uploaded, no secret in the page, axe-core clean. A link cut short
// and a link whose text was altered to markup are refused with a
// message, and nothing of them is rendered.
func TestBrowserLogLink(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	axe := axeSource(t)
	chromium := chromiumPath(t)
	site := startSite(t)
	bctx := browser(t, chromium)
	ntlm, _ := json.Marshal(string(logSample(t, "uccapi-ntlm-403.uccapilog")))

	ctx := tab(t, bctx, 90*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/log/"), chromedp.WaitNotVisible(chromedp.ID("log-loading"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById('log-text').value = `+string(ntlm)+`; document.getElementById('log-doh').value = ''; return true; })()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("log-run")), chromedp.WaitVisible(chromedp.CSS(`#log-result [data-testid="log-link"], #log-error:not([hidden])`))); err != nil {
		t.Fatal(err)
	}
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector('#log-result [data-testid="log-link"]'); return a ? a.href : document.getElementById('log-error').textContent; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link, site.URL+"/log/#l=") {
		t.Fatalf("the page's link is %q; want %s/log/#l=…", link, site.URL)
	}

	for _, s := range []screen{phone, desktop} {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			ctx := sized(t, bctx, s)
			if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#log-result [data-testid="log"], #log-error:not([hidden])`))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[logState](readLogPage))
			if err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, "l-"+strings.Fields(s.name)[0]+"-log-link")
			if got.Error != "" {
				t.Fatalf("the page shows an error: %s", got.Error)
			}
			if got.Format != "uccapilog" || got.Outcome != "failed" || got.Rows != 6 || !strings.Contains(got.Headline, "403 Forbidden") || !strings.Contains(got.Diagnostic, "4004") {
				t.Errorf("format %q, outcome %q, %d rows, headline %q, diagnostics %q; want the NTLM sample's 403 ladder", got.Format, got.Outcome, got.Rows, got.Headline, got.Diagnostic)
			}
			if !strings.Contains(got.Text, "redacted copy") || !strings.Contains(got.Text, "no log was uploaded") {
				t.Errorf("no notice that the ladder is a redacted copy and nothing was uploaded:\n%s", got.Text)
			}
			checkNoSecrets(t, got)
			checkOverflow(t, ctx, "the log link")
			checkAxe(t, ctx, axe, "log link, "+s.name)
		})
	}

	// Reading a log of one's own on a link's page: the address no
	// longer names the link's ladder.
	t.Run("read after a link", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, bctx, 90*time.Second)
		if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#log-result [data-testid="log-shared"]`))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById('log-text').value = `+string(ntlm)+`; document.getElementById('log-doh').value = ''; return true; })()`)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("log-run")), chromedp.WaitVisible(chromedp.CSS(`#log-result [data-testid="log-link"]`))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash + '|' + (document.querySelector('[data-testid="log-shared"]') ? 'notice' : '')`))
		if err != nil {
			t.Fatal(err)
		}
		if got != "|" {
			t.Errorf("after reading a log: hash and notice %q; want neither", got)
		}
	})

	frag := link[strings.Index(link, "#"):]
	for _, bad := range []struct{ name, frag string }{
		{"cut", frag[:len(frag)/2]},
		{"altered", frag[:40] + "PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPg" + frag[78:]},
	} {
		t.Run(bad.name, func(t *testing.T) {
			t.Parallel()
			ctx := tab(t, bctx, 60*time.Second)
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/log/"+bad.frag), chromedp.WaitVisible(chromedp.CSS(`#log-error:not([hidden]), #log-result [data-testid="log"]`))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[logState](readLogPage))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got.Error, "cannot be opened") || got.Format != "" || got.Injected != 0 {
				t.Errorf("error %q, format %q, %d injected elements; want the link refused and nothing shown", got.Error, got.Format, got.Injected)
			}
		})
	}
}

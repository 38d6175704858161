//go:build !js

package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/statetest"
)

// shownReport is what the walk reads off a rendered report: the banner,
// and what it must agree with, the report's own findings (not the
// discovery report's inside it) and its simulated sign-in.
type shownReport struct {
	State    string `json:"state"`
	Outcome  string `json:"outcome"`
	Words    string `json:"words"`
	Problems int    `json:"problems"`
	First    string `json:"first"`
	Findings []struct {
		Severity string `json:"severity"`
		Kind     string `json:"kind"`
	} `json:"findings"`
	Register string `json:"register"`
	Search   string `json:"search"`
	// Screens is the result's height before anything in it is opened,
	// in screens (heightGoal).
	Screens float64 `json:"screens"`
}

const readShown = `(() => {
	const art = document.querySelector('#result article.report');
	const b = art.querySelector(':scope > [data-testid="outcome"]');
	const reg = art.querySelector(':scope > [data-testid="register"]');
	const first = b.querySelector('[data-testid="first-problem"]');
	return {
		state: b.dataset.state || '', outcome: b.dataset.outcome || '',
		words: b.querySelector('[data-testid="state"]').textContent,
		problems: +(b.dataset.problems || 0), first: first ? first.textContent : '',
		findings: [...art.querySelectorAll(':scope > [data-testid="findings"] li.finding')].map((li) => ({
			severity: ['error', 'warning', 'info'].find((s) => li.classList.contains(s)) || '',
			kind: li.querySelector('a.kind').textContent,
		})),
		register: reg ? reg.dataset.register : '',
		search: location.search,
		screens: document.querySelector('#result').getBoundingClientRect().height / innerHeight,
	};
})()`

// report rebuilds, from what the page shows, the part of a report the
// state is judged on.
func (s shownReport) report() *engine.Report {
	r := &engine.Report{Outcome: engine.Outcome(s.Outcome)}
	for _, f := range s.Findings {
		r.Findings = append(r.Findings, engine.Finding{Severity: engine.Severity(f.Severity), Kind: engine.Kind(f.Kind)})
	}
	if s.Register != "" {
		r.Register = &engine.Exchange{Outcome: engine.SignInOutcome(s.Register)}
	}
	return r
}

// TestBrowserStateWalk walks every demo address × every client profile
// on the analyzer page (issue 25's "done when"), typed into the form and
// sent with its Check button, as the page simulates the sign-in by
// default and, for the addresses that connect, with one that fails (the
// address owned by another account). The banner's state is the one the
// report's own findings and sign-in, read off the page, call for
// (statetest.Want, the rule the command line's walk holds too), with as
// many problems as those findings and sign-in make, the first named.
// Then the Audit page audits every demo address with each tab's first
// profile (three of the six; TestStateWalkCLI holds audit to check for
// every profile): each row's state, in the table and in the CSV and JSON
// it downloads, is the state the analyzer's banner showed. The tabs are a phone's (390×844),
// where a result is tallest, and every result is held to its height goal
// before anything in it is opened (heightGoal; TestBrowserReportHeight
// measures the named states on a desktop too). The profiles are shared
// among a few tabs that run at once.
func TestBrowserStateWalk(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the modules and drives Chromium")
	}
	chromium := chromiumPath(t)
	site := startSite(t)
	var addrs []string
	for _, sc := range demo.Scenarios() {
		addrs = append(addrs, sc.Try)
	}
	profiles := engine.Profiles()
	// Three tabs at once, each a browser context of its own (its own
	// downloads folder), in goroutines of this test: go test runs at most
	// GOMAXPROCS parallel subtests, two on this machine, and a tab mostly
	// waits on its module and the DNS.
	const tabs = 3
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		count   = map[engine.State]int{}
		tallest = &tallestResults{by: map[engine.State]tallestResult{}}
	)
	start := time.Now()
	for i := range tabs {
		var mine []string
		for j := i; j < len(profiles); j += tabs {
			mine = append(mine, profiles[j].Name)
		}
		bctx := browser(t, chromium)
		ctx := sizedFor(t, bctx, phone, 3*time.Minute)
		wg.Go(func() {
			got, err := walkProfiles(t, ctx, site, mine, addrs, tallest)
			if err != nil {
				t.Errorf("the tab of %s: %v", strings.Join(mine, ", "), err)
			}
			mu.Lock()
			defer mu.Unlock()
			for s, n := range got {
				count[s] += n
			}
		})
	}
	wg.Wait()
	t.Logf("%d demo addresses × %d profiles (and another owner where they connect), then audited, in %d tabs: %v; by state %v",
		len(addrs), len(profiles), tabs, time.Since(start).Round(time.Millisecond), count)
	for _, s := range []engine.State{engine.StateSignsIn, engine.StateSignsInWithProblems, engine.StateDoesNotSignIn, engine.StateUnknown} {
		if r, ok := tallest.by[s]; ok {
			t.Logf("tallest on a phone in state %s: %s, %.2f screens (goal under %.0f)", s, r.name, r.screens, heightGoal(string(s)))
		}
		if count[s] == 0 && !t.Failed() {
			t.Errorf("no check ends in state %s: the walk covers too little", s)
		}
	}
}

// walkProfiles is one tab's share of TestBrowserStateWalk: the
// analyzer's walk, then the Audit page's, for each of profiles. It
// returns how many checks ended in each state, or why it could not go
// on. It runs in a goroutine of its own: it reports what it finds with
// t.Errorf and returns, never calls t.Fatal.
func walkProfiles(t *testing.T, ctx context.Context, site *siteServer, profiles, addrs []string, tallest *tallestResults) (map[engine.State]int, error) {
	count := map[engine.State]int{}
	// checkOne fills the form's boxes as a user leaves them, presses its
	// Check button and waits for the report, all in one call into the
	// page (three tabs polling for the report would take the CPU the
	// checks need). The page empties the result as a check starts, so
	// the next report is this check's; the address bar's link, which
	// carries every input, says so too.
	checkOne := func(addr, profile, owner string) (shownReport, error) {
		fill, _ := json.Marshal(map[string]string{"profile": profile, "uri": addr, "owner": owner})
		got, err := chromedp.Run(ctx, chromedp.Evaluate[shownReport](`((fill) => new Promise((resolve, reject) => {
			for (const [id, v] of Object.entries(fill)) {
				const el = document.getElementById(id);
				el.value = v;
				if (el.value !== v) { reject(new Error('#' + id + ' does not take ' + v)); return; }
			}
			const result = document.getElementById('result'), error = document.getElementById('error');
			const done = () => {
				if (!error.hidden) { resolve({state: 'error: ' + error.textContent}); return true; }
				if (!result.querySelector('[data-testid="outcome"]')) { return false; }
				resolve(`+readShown+`);
				return true;
			};
			document.getElementById('run').click();
			if (done()) { return; }
			const seen = new MutationObserver(() => { if (done()) { seen.disconnect(); } });
			seen.observe(document.querySelector('main'), {childList: true, subtree: true, attributes: true, attributeFilter: ['hidden']});
		}))(`+string(fill)+`)`, chromedp.EvalAwaitPromise))
		if err != nil {
			return got, fmt.Errorf("%s -p %s: %v", addr, profile, err)
		}
		q, _ := url.ParseQuery(strings.TrimPrefix(got.Search, "?"))
		if strings.HasPrefix(got.State, "error: ") || q.Get("uri") != addr || q.Get("owner") != owner || q.Get("profile") != profile && !(q.Get("profile") == "" && profile == engine.DefaultProfile) {
			return got, fmt.Errorf("%s -p %s owner %q: the page shows %q with link %q; want this check's report", addr, profile, owner, got.State, got.Search)
		}
		return got, nil
	}
	judge := func(name string, got shownReport) engine.State {
		t.Helper()
		rep := got.report()
		want := statetest.Want(rep)
		count[want]++
		problems := len(engine.Problems(rep))
		if got.State != string(want) || got.Words != want.Words() || got.Problems != problems || (problems > 0) != (got.First != "") {
			t.Errorf("%s: banner %q %q with %d problems (first %q); its findings %v and sign-in %q call for %q with %d",
				name, got.State, got.Words, got.Problems, got.First, got.Findings, got.Register, want, problems)
		}
		if got.Outcome == string(engine.OutcomeConnect) && got.Register == "" {
			t.Errorf("%s: connects with no simulated sign-in; the page simulates it by default", name)
		}
		if goal := heightGoal(string(want)); got.Screens >= goal {
			t.Errorf("%s (%s): %.2f phone screens before anything is opened; the goal is under %.0f", name, want, got.Screens, goal)
		}
		tallest.note(want, name, got.Screens)
		return want
	}

	began := time.Now()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(site.URL+"/"),
		chromedp.WaitNotVisible(chromedp.ID("loading")),
		chromedp.Click(chromedp.CSS("#more summary")),
		chromedp.SetValue(chromedp.ID("doh"), "local"),
	); err != nil {
		return nil, err
	}
	states := map[string]map[string]engine.State{} // by profile, then address
	t.Logf("analyzer ready: %v", time.Since(began).Round(time.Millisecond))
	checks := 0
	began = time.Now()
	for _, p := range profiles {
		states[p] = map[string]engine.State{}
		nth := slices.IndexFunc(engine.Profiles(), func(q *engine.Profile) bool { return q.Name == p })
		for i, addr := range addrs {
			got, err := checkOne(addr, p, "")
			if err != nil {
				return nil, err
			}
			checks++
			states[p][addr] = judge(fmt.Sprintf("%s -p %s", addr, p), got)
			// Each address that connects is checked once more, with
			// one of the profiles (in turn), with a sign-in that fails
			// after the server was found.
			if got.Outcome != string(engine.OutcomeConnect) || i%len(engine.Profiles()) != nth {
				continue
			}
			const other = `CONTOSO\someone-else`
			if got, err = checkOne(addr, p, other); err != nil {
				return nil, err
			}
			checks++
			if judge(fmt.Sprintf("%s -p %s --owner %s", addr, p, other), got); got.Register != string(engine.SignInFailed) {
				t.Errorf("%s -p %s --owner %s: sign-in %q; want failed (the address belongs to another account)", addr, p, other, got.Register)
			}
		}
	}

	t.Logf("analyzer: %d checks in %v", checks, time.Since(began).Round(time.Millisecond))
	began = time.Now()
	defer func() {
		t.Logf("audit page: 1 audit in %v", time.Since(began).Round(time.Millisecond))
	}()

	// The Audit page, each profile's audit of every address, in the same
	// tab; its downloads go to a folder of this browser context's own.
	dl := t.TempDir()
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl,
				BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			})
			return err
		}),
		chromedp.Navigate(site.URL+"/audit/"),
		chromedp.WaitNotVisible(chromedp.ID("audit-loading")),
		chromedp.SetValue(chromedp.ID("audit-list"), strings.Join(addrs, "\n")),
		chromedp.SetValue(chromedp.ID("audit-doh"), "local"),
	); err != nil {
		return nil, err
	}
	t.Logf("audit page ready: %v", time.Since(began).Round(time.Millisecond))
	// An audit of 25 addresses costs as much as the analyzer's 25 checks;
	// one profile a tab keeps the page's audit held to the analyzer
	// without doubling the walk.
	for _, p := range profiles[:1] {
		// The table shown next is this audit's.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById('audit-result').textContent = '', true)`)); err != nil {
			return nil, err
		}
		err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.ID("audit-profile"), p),
			chromedp.Click(chromedp.ID("audit-run")),
			chromedp.WaitVisible(chromedp.CSS(`#audit-result [data-testid="audit"], #audit-error:not([hidden])`)),
		)
		if err != nil {
			return nil, fmt.Errorf("audit -p %s: %v", p, err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[auditState](readAudit))
		if err != nil {
			return nil, err
		}
		if got.Error != "" || len(got.Rows) != len(addrs) {
			return nil, fmt.Errorf("audit -p %s: %d rows, error %q; want one row per address", p, len(got.Rows), got.Error)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="audit-csv"]`)), chromedp.Click(chromedp.CSS(`[data-testid="audit-json"]`))); err != nil {
			return nil, err
		}
		b, err := downloaded(dl, "sipdisco-audit.csv", time.Minute)
		if err != nil {
			return nil, err
		}
		recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err != nil || len(recs) != len(addrs)+1 {
			return nil, fmt.Errorf("audit -p %s: the CSV download: %v, %d records; want a header and %d rows", p, err, len(recs), len(addrs))
		}
		if b, err = downloaded(dl, "sipdisco-audit.json", time.Minute); err != nil {
			return nil, err
		}
		var rows []audit.Row
		if err := json.Unmarshal(b, &rows); err != nil || len(rows) != len(addrs) {
			return nil, fmt.Errorf("audit -p %s: the JSON download: %v, %d rows; want %d", p, err, len(rows), len(addrs))
		}
		// The next audit's downloads take the same names.
		for _, f := range []string{"sipdisco-audit.csv", "sipdisco-audit.json"} {
			if err := os.Remove(filepath.Join(dl, f)); err != nil {
				return nil, err
			}
		}
		for i, addr := range addrs {
			want := states[p][addr]
			r := got.Rows[i]
			if r.Address != addr && r.Address != "sip:"+addr || r.State != string(want) || r.Marked != (want == engine.StateSignsInWithProblems) {
				t.Errorf("audit -p %s, row %d: %s in state %q (marked with problems %v); the analyzer's banner says %s is %q", p, i+1, r.Address, r.State, r.Marked, addr, want)
			}
			if rec := recs[i+1]; rec[len(rec)-1] != string(want) || rows[i].State != string(want) {
				t.Errorf("audit -p %s: %s: state %q in the CSV, %q in the JSON; the analyzer's banner says %q", p, addr, rec[len(rec)-1], rows[i].State, want)
			}
		}
	}
	return count, nil
}

// tallestResults keeps, for each state, the walk's tallest result on a
// phone; the walk's tabs share it.
type tallestResults struct {
	mu sync.Mutex
	by map[engine.State]tallestResult
}

type tallestResult struct {
	name    string
	screens float64
}

func (h *tallestResults) note(s engine.State, name string, screens float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if screens > h.by[s].screens {
		h.by[s] = tallestResult{name, screens}
	}
}

// downloaded waits up to d for a complete download of name in dir and
// returns it; it calls no t method, so a goroutine that is not the
// test's may use it (waitFile wraps it for the test's own goroutine).
func downloaded(dir, name string, d time.Duration) ([]byte, error) {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil && len(b) > 0 {
			return b, nil
		}
	}
	return nil, fmt.Errorf("no download %s in %v", name, d)
}

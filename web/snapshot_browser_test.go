//go:build !js

package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/templates"
)

// TestBrowserLongSnapshot: a snapshot link with more DNS questions than
// a report shows at first opens with the first templates.SnapshotRows of
// them, says so, and its "Show all" shows every one, answers included
// (issue 26: a link of 2,000 steps took 7-21 s to render).
func TestBrowserLongSnapshot(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm and drives Chromium")
	}
	const steps, answers = templates.SnapshotRows + 50, templates.SnapshotAnswers + 4
	r := &engine.Report{URI: "sip:bob@contoso.example", Domain: "contoso.example", Profile: engine.DefaultProfile,
		Policy: engine.DefaultPolicy(), Outcome: engine.OutcomeFail, Candidates: []engine.Candidate{}, Findings: []engine.Finding{}}
	for i := range steps {
		name := fmt.Sprintf("_sipinternaltls._tcp.d%d.contoso.example", i)
		s := engine.Step{Question: name, Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Round: 1, Answers: []string{}}
		for j := range answers {
			s.Answers = append(s.Answers, fmt.Sprintf("%s. SRV 0 0 5061 pool%d.contoso.example.", name, j))
		}
		r.Steps = append(r.Steps, s)
	}
	frag, err := snapshot.Encode(context.Background(), check.Snapshot{TakenAt: time.Now(), Report: r})
	if err != nil {
		t.Fatal(err)
	}
	site := startSite(t)
	bctx := browser(t, chromiumPath(t))
	ctx := tab(t, bctx, 90*time.Second)
	if _, err := showReport(ctx, chromedp.Navigate(site.URL+"/"+frag)); err != nil {
		t.Fatal(err)
	}
	type shown struct {
		Steps, Answers int
		Notice, More   string
	}
	const read = `({
		steps: document.querySelectorAll('#result [data-testid="steps"] ol.steps > li').length,
		answers: document.querySelectorAll('#result [data-testid="steps"] ul.answers > li > code').length,
		notice: (document.querySelector('#result [data-testid="shortened"]') || {}).textContent || '',
		more: (document.querySelector('#result [data-testid="more-steps"]') || {}).textContent || '',
	})`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[shown](read))
	if err != nil {
		t.Fatal(err)
	}
	if got.Steps != templates.SnapshotRows || got.Answers != templates.SnapshotRows*templates.SnapshotAnswers ||
		got.More != "50 more questions not shown" || got.Notice == "" {
		t.Errorf("at first: %+v; want %d questions of %d answers, the notice and 50 more not shown", got, templates.SnapshotRows, templates.SnapshotAnswers)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#result [data-action="show-all"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#result [data-testid="shortened"]`))); err != nil {
		t.Fatal(err)
	}
	got, err = chromedp.Run(ctx, chromedp.Evaluate[shown](read))
	if err != nil {
		t.Fatal(err)
	}
	if got.Steps != steps || got.Answers != steps*answers || got.More != "" {
		t.Errorf("after Show all: %+v; want all %d questions with all %d answers each", got, steps, answers)
	}
}

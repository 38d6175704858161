package templates

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
)

// longReport is a report as a hand-written snapshot link may hold it:
// steps DNS questions of answers answers each, and candidates and
// findings of the same count as the steps.
func longReport(steps, answers int) *engine.Report {
	r := &engine.Report{URI: "sip:bob@contoso.example", Domain: "contoso.example", Profile: engine.DefaultProfile,
		Policy: engine.DefaultPolicy(), Outcome: engine.OutcomeFail}
	for i := range steps {
		name := fmt.Sprintf("_sipinternaltls._tcp.d%d.contoso.example", i)
		s := engine.Step{Question: name, Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Round: 1 + i%3, Answers: []string{}}
		for j := range answers {
			s.Answers = append(s.Answers, fmt.Sprintf("%s. SRV 0 0 5061 pool%d.contoso.example.", name, j))
		}
		r.Steps = append(r.Steps, s)
		r.Candidates = append(r.Candidates, engine.Candidate{Host: fmt.Sprintf("pool%d.contoso.example", i), Port: 5061, Transport: engine.TLS, Source: name})
		sev := engine.SeverityInfo
		if i == steps-1 {
			sev = engine.SeverityError // the last, and the most severe
		}
		r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindNoRecords, Severity: sev, Subject: name, Message: fmt.Sprintf("finding %d", i)})
	}
	return r
}

// TestBoundedReport: a bounded report (a snapshot link's) shows the
// first SnapshotRows questions, candidates and findings (the most severe
// first) and SnapshotAnswers answers of each question, says how many it
// leaves out and offers "Show all"; unbounded, or short, it shows all.
func TestBoundedReport(t *testing.T) {
	r := longReport(2000, 40)
	render := func(o ReportOptions) (ReportView, string) {
		v := NewReportView(r, o)
		var b strings.Builder
		if err := Report(v).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return v, b.String()
	}
	v, html := render(ReportOptions{Bounded: true, TakenAt: "at 2026-12-01 12:00 UTC"})
	shown := 0
	for _, rd := range v.Rounds {
		shown += len(rd.Steps)
		for _, s := range rd.Steps {
			if len(s.Answers) != SnapshotAnswers || s.MoreAnswers != 40-SnapshotAnswers {
				t.Fatalf("a step shows %d answers, %d more; want %d and %d", len(s.Answers), s.MoreAnswers, SnapshotAnswers, 40-SnapshotAnswers)
			}
		}
	}
	if shown != SnapshotRows || v.MoreSteps != 2000-SnapshotRows || v.StepCount != 2000 {
		t.Errorf("bounded: %d steps shown, %d more, %d counted; want %d, %d, 2000", shown, v.MoreSteps, v.StepCount, SnapshotRows, 2000-SnapshotRows)
	}
	if len(v.Candidates) != SnapshotRows || v.MoreCandidates != 1900 || len(v.Findings) != SnapshotRows || v.MoreFindings != 1900 {
		t.Errorf("bounded: %d candidates (%d more), %d findings (%d more); want %d and 1900 of each", len(v.Candidates), v.MoreCandidates, len(v.Findings), v.MoreFindings, SnapshotRows)
	}
	if v.Findings[0].Severity != string(engine.SeverityError) {
		t.Errorf("bounded: the first finding shown is %s; want the error, the most severe", v.Findings[0].Severity)
	}
	for _, want := range []string{
		`data-action="show-all"`,
		"the first 100 of 2,000 candidates, the first 100 of 2,000 findings, the first 100 of 2,000 DNS questions and the first 16 answers of each question",
		"1,900 more questions not shown", "1,900 more candidates not shown", "1,900 more findings not shown", "24 more answers not shown",
		"2000 asked",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("bounded report lacks %q", want)
		}
	}
	if n := strings.Count(html, `<ul class="answers">`); n != SnapshotRows {
		t.Errorf("bounded report has %d answer lists; want %d", n, SnapshotRows)
	}

	v, html = render(ReportOptions{TakenAt: "at 2026-12-01 12:00 UTC"})
	if v.StepCount != 2000 || len(v.Candidates) != 2000 || len(v.Findings) != 2000 || len(v.Shortened) != 0 || strings.Contains(html, "show-all") {
		t.Errorf("unbounded: %d steps, %d candidates, %d findings, shortened %q", v.StepCount, len(v.Candidates), len(v.Findings), v.Shortened)
	}
	r = longReport(SnapshotRows, SnapshotAnswers)
	if v, html = render(ReportOptions{Bounded: true}); len(v.Shortened) != 0 || strings.Contains(html, "not shown") {
		t.Errorf("a report within the bounds is shortened: %q", v.Shortened)
	}
}

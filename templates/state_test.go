package templates

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// TestBannerState renders every demo address with every profile, as the
// page checks it, and holds the banner to engine.StateOf: its state and
// words, the count of problems, a link to the first that leads to an
// element of the page, and findings listed errors first. An old report
// without the state field renders the same banner.
func TestBannerState(t *testing.T) {
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	sevRe := regexp.MustCompile(`<li class="finding (error|warning|info)" id="r-finding-`)
	for _, sc := range demo.Scenarios() {
		for _, p := range engine.Profiles() {
			o := check.PageDefaults()
			o.URI, o.Profile, o.Resolver = sc.Try, p.Name, check.Source{Kind: check.SourceDemo}
			res, err := check.Run(context.Background(), o, check.Env{Resolver: set})
			if err != nil {
				t.Fatal(err)
			}
			r := res.Report
			name := sc.Try + " " + p.Name
			v := NewReportView(r, ReportOptions{})
			st, ps := engine.StateOf(r), engine.Problems(r)
			if v.State != string(st) || v.StateWords != st.Words() || v.Problems != len(ps) {
				t.Errorf("%s: banner %s %q with %d problems; want %s with %d", name, v.State, v.StateWords, v.Problems, st, len(ps))
			}
			html := render(t, Report(v))
			if !strings.Contains(html, `data-state="`+string(st)+`"`) || !strings.Contains(html, "state-"+string(st)) {
				t.Errorf("%s: the banner does not carry state %s", name, st)
			}
			if len(ps) > 0 {
				id := v.ID + "-" + v.FirstProblemAt
				want := `<a href="#` + id + `" data-jump data-testid="first-problem">`
				if !strings.Contains(html, want) || !strings.Contains(html, `id="`+id+`"`) {
					t.Errorf("%s: no link to the first problem, or nothing with id %s", name, id)
				}
			} else if strings.Contains(html, `data-testid="problems"`) {
				t.Errorf("%s: a problems line without problems", name)
			}
			rank := map[string]int{"error": 0, "warning": 1, "info": 2}
			last := 0
			for _, m := range sevRe.FindAllStringSubmatch(html, -1) {
				if rank[m[1]] < last {
					t.Errorf("%s: a %s finding after a less severe one", name, m[1])
					break
				}
				last = rank[m[1]]
			}
			old := *r
			old.State = ""
			if ov := NewReportView(&old, ReportOptions{}); ov.State != v.State || ov.Problems != v.Problems || ov.FirstProblemAt != v.FirstProblemAt {
				t.Errorf("%s: without the state field the banner says %s with %d problems; want %s with %d", name, ov.State, ov.Problems, v.State, v.Problems)
			}
		}
	}
}

// TestBannerFirstProblem: a failed sign-in after the server was found
// turns the banner amber and, an error, comes before any warning, linked
// to the sign-in section.
func TestBannerFirstProblem(t *testing.T) {
	r := healthyReport()
	before := len(engine.Problems(r))
	r.Register = &engine.Exchange{Outcome: engine.SignInFailed, Failure: engine.KindWrongAccountOrPassword, Messages: []engine.Message{}}
	// A state field edited in a link does not paint the banner green.
	r.State = engine.StateSignsIn
	v := NewReportView(r, ReportOptions{})
	if v.State != string(engine.StateSignsInWithProblems) || v.FirstProblemAt != "reg" || v.FirstProblem != "Sign-in: wrong account name or password" || v.Problems != before+1 {
		t.Errorf("banner = %s, first problem %q at #r-%s, %d problems; want signs-in-with-problems, the sign-in's failure at #r-reg", v.State, v.FirstProblem, v.FirstProblemAt, v.Problems)
	}
}

// TestBannerLinkOnCompare: on the Compare page, where each report's ids
// take the view's prefix after the view is built, each banner links to
// its own report's first problem.
func TestBannerLinkOnCompare(t *testing.T) {
	a := healthyReport()
	a.Findings = append(a.Findings, engine.Finding{Kind: engine.KindTCPTarget, Severity: engine.SeverityWarning, Subject: "x"})
	v := NewCompareResultView(a, a, "local", "local", "", "")
	html := render(t, CompareResult(v))
	for _, id := range []string{"va-" + v.A.FirstProblemAt, "vb-" + v.B.FirstProblemAt} {
		if v.A.Problems == 0 || !strings.Contains(html, `href="#`+id+`"`) || !strings.Contains(html, `id="`+id+`"`) {
			t.Errorf("the Compare page has no link to, or no element with, id %s (%d problems)", id, v.A.Problems)
		}
	}
}

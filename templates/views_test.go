package templates

import (
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
)

func TestCompareResultEscapes(t *testing.T) {
	a := healthyReport()
	a.Steps[0].Answers = []string{`0 0 5061 <script>alert(1)</script>.`}
	v := NewCompareResultView(a, healthyReport(), "zone", "https://dns.example/dns-query", "./#s=x", "./?uri=y")
	html := render(t, CompareResult(v))
	if strings.Contains(html, "<script>") {
		t.Error("DNS data reaches the comparison unescaped")
	}
	if v.Difference != 1 || !strings.Contains(html, `data-differs="true"`) {
		t.Errorf("%d differences; want 1, highlighted", v.Difference)
	}
	if strings.Count(html, `data-testid="outcome"`) != 2 || !strings.Contains(html, `id="va-headline"`) || !strings.Contains(html, `id="vb-headline"`) {
		t.Error("the comparison does not hold both reports with their own ids")
	}
}

func TestMatrixView(t *testing.T) {
	var runs []MatrixRun
	for _, p := range engine.Profiles() {
		for _, strict := range []bool{false, true} {
			r := healthyReport()
			r.Profile = p.Name
			runs = append(runs, MatrixRun{Profile: p.Name, Strict: strict, Column: 0, Report: r, Link: "./?uri=x"})
		}
	}
	v := NewMatrixView("sip:bob@contoso.com", []string{"A: planned zone"}, runs)
	if v.Cells != len(runs) || len(v.Rows) != 2*len(engine.Profiles()) {
		t.Fatalf("NewMatrixView: %d cells in %d rows; want %d in %d", v.Cells, len(v.Rows), len(runs), 2*len(engine.Profiles()))
	}
	html := render(t, AnalyzerMatrix(v))
	if n := strings.Count(html, `data-outcome="connect"`); n != len(runs) {
		t.Errorf("%d cells connect; want %d", n, len(runs))
	}
}

func TestAnalyzerMatrices(t *testing.T) {
	var runs []MatrixRun
	for _, p := range engine.Profiles() {
		runs = append(runs, MatrixRun{Profile: p.Name, Column: 0, Report: healthyReport(), Link: "./?uri=x"})
	}
	a := NewMatrixView("sip:bob@contoso.com", []string{"A"}, runs)
	b := NewMatrixView("sip:<b>eve</b>@contoso.com", []string{"A"}, runs)
	b.Index = 1
	html := render(t, AnalyzerMatrices([]MatrixView{a, b}))
	if strings.Count(html, `data-testid="matrix"`) != 2 || !strings.Contains(html, `id="mx-headline"`) || !strings.Contains(html, `id="mx2-headline"`) {
		t.Error("two matrices do not render with their own headline ids")
	}
	if strings.Contains(html, "<b>eve") {
		t.Error("an address reaches the matrix unescaped")
	}
}

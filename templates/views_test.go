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

// TestMatrixGaveUp: the line for a column the matrix gave up on says,
// in plain words, why, and for how many of the page's addresses: the
// one address, all of them, or those it names.
func TestMatrixGaveUp(t *testing.T) {
	refused := func(addr, domain string) *engine.Report {
		return &engine.Report{URI: "sip:" + addr, Domain: domain, Steps: []engine.Step{
			{Question: "_sipinternaltls._tcp." + domain, RCode: engine.RCodeRefused},
			{Question: "_sip._tls." + domain, RCode: engine.RCodeRefused},
		}}
	}
	unreached := &engine.Report{URI: "sip:bob@healthy.example", Domain: "healthy.example", Steps: []engine.Step{
		{Error: "dohclient: Failed to fetch"}, {Error: "dohclient: Failed to fetch"}, {Error: "dohclient: Failed to fetch"},
	}}
	for _, c := range []struct {
		name   string
		firsts []*engine.Report
		of     int
		local  bool
		want   []string
	}{
		{"one address", []*engine.Report{unreached}, 1, false, []string{"B: x: all 3 DNS questions of the first check failed: the page could not reach the DNS resolver", "Every check of this column is unknown"}},
		{"every address", []*engine.Report{unreached, unreached}, 2, false, []string{"of each of the 2 addresses failed: the page could not reach", "Every check of this column is unknown"}},
		{"some addresses", []*engine.Report{refused("bob@contoso.com", "contoso.com"), refused("alice@fabrikam.com", "fabrikam.com")}, 3, true,
			[]string{"of bob@contoso.com and alice@fabrikam.com failed: this server's DNS answers only the demo domains (.example), not contoso.com or fabrikam.com.", "Their checks in this column are unknown"}},
	} {
		got := MatrixGaveUp("B: x", c.firsts, c.of, c.local)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q; want it to say %q", c.name, got, w)
			}
		}
		for _, raw := range []string{"Failed to fetch", "dohclient", "REFUSED"} {
			if strings.Contains(got, raw) {
				t.Errorf("%s: %q shows the resolver's raw %q", c.name, got, raw)
			}
		}
	}
}

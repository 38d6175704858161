package templates

import (
	"fmt"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
)

// ComparePath is the site path of the comparison page, served as
// /compare/. Its reports link one folder up (ReportOptions.Root).
const ComparePath = "compare/index.html"

// CompareView is the comparison page: one address checked through two
// resolvers side by side, or as a matrix of every client profile.
type CompareView struct {
	Page      Page
	Script    string
	Profiles  []Option
	Resolvers []Option
	// A and B are the default resolvers of the two views.
	A, B string
	// MaxMatrix is the most addresses one matrix page takes.
	MaxMatrix int
}

// NewCompareView returns the comparison page for site offering the given
// resolvers (as the analyzer offers them); script is compare.js's URL.
func NewCompareView(site Site, resolvers []Resolver, script string) CompareView {
	v := CompareView{
		Page: Page{Site: site, Title: "Compare views", Nav: "compare",
			Description: "One sign-in address through two DNS resolvers side by side — inside and outside the network — or as a matrix of every client and naming policy."},
		Script: script, Profiles: profileOptions(), Resolvers: resolverOptions(resolvers), A: check.ResolverZone, MaxMatrix: check.MaxMatrixAddresses,
	}
	// Two resolvers that answer by default: the first the page offers
	// (this server's, the inside view, where there is one) beside the
	// next; a planned zone only when the page offers a single resolver.
	switch {
	case len(resolvers) > 1:
		v.A, v.B = resolvers[0].URL, resolvers[1].URL
	case len(resolvers) == 1:
		v.B = resolvers[0].URL
	}
	return v
}

// CompareResultView is two reports side by side and what differs.
type CompareResultView struct {
	URI        string
	LabelA     string
	LabelB     string
	A, B       ReportView
	LinkA      string
	LinkB      string
	Diff       []check.DiffRow
	Difference int
}

// NewCompareResultView builds the side-by-side view of a (through the
// resolver dohA) and b (dohB); linkA and linkB open each in the analyzer.
func NewCompareResultView(a, b *engine.Report, dohA, dohB, linkA, linkB string) CompareResultView {
	v := CompareResultView{URI: a.URI, LabelA: sideLabel(dohA, a), LabelB: sideLabel(dohB, b), LinkA: linkA, LinkB: linkB}
	v.A = NewReportView(a, ReportOptions{Resolver: dohA, Root: "../"})
	v.A.ID, v.A.Name = "va", "view A"
	v.B = NewReportView(b, ReportOptions{Resolver: dohB, Root: "../"})
	v.B.ID, v.B.Name = "vb", "view B"
	v.Diff = check.DiffReports(a, b)
	for _, d := range v.Diff {
		if d.Differs {
			v.Difference++
		}
	}
	return v
}

// sideLabel names one side of a comparison: its resolver, and the view
// its report says it is ("Cloudflare (outside view)"), in the words the
// report's own View line uses, so the heading and the report agree.
func sideLabel(doh string, r *engine.Report) string {
	l := check.ResolverLabel(doh)
	if r != nil && r.View != engine.ViewUnknown {
		l += " (" + string(r.View) + " view)"
	}
	return l
}

// MatrixView is one address × every profile × strict naming off and on,
// through one or two resolvers.
type MatrixView struct {
	// Index is the matrix's place on a page of several (one per
	// address); it keeps their element ids apart.
	Index   int
	URI     string
	Columns []string
	Rows    []AnalyzerMatrixRow
	Cells   int
	// Failed are the columns whose resolver failed every question of
	// an address's first check alike, one line per column and failure
	// (MatrixGaveUp), on the first matrix of a page: the matrix gave up
	// on those addresses' cells of the column and shows them unknown.
	Failed []string
}

// HeadlineID is the id of the matrix's headline: "mx-headline" for the
// first of a page, "mx2-headline" for the second and so on.
func (v MatrixView) HeadlineID() string {
	if v.Index == 0 {
		return "mx-headline"
	}
	return fmt.Sprintf("mx%d-headline", v.Index+1)
}

// AnalyzerMatrixRow is one profile and naming policy.
type AnalyzerMatrixRow struct {
	Profile string
	Title   string
	Strict  bool
	Cells   []AnalyzerMatrixCell
}

// AnalyzerMatrixCell is one check: its outcome and target and a link to
// its full report (live where the resolver can be named in a link,
// otherwise a snapshot).
type AnalyzerMatrixCell struct {
	Outcome string
	Target  string
	Link    string
	TestID  string
}

// MatrixRun is one check of a matrix.
type MatrixRun struct {
	Profile string
	Strict  bool
	// Column is the index of the resolver.
	Column int
	Report *engine.Report
	Link   string
}

// NewMatrixView builds the matrix of runs, rows in engine.Profiles order
// with strict naming off then on, a column per resolver.
func NewMatrixView(uri string, columns []string, runs []MatrixRun) MatrixView {
	v := MatrixView{URI: uri, Columns: columns}
	for _, p := range engine.Profiles() {
		for _, strict := range []bool{false, true} {
			row := AnalyzerMatrixRow{Profile: p.Name, Title: p.Title, Strict: strict, Cells: make([]AnalyzerMatrixCell, len(columns))}
			for _, r := range runs {
				if r.Profile != p.Name || r.Strict != strict || r.Column < 0 || r.Column >= len(columns) || r.Report == nil {
					continue
				}
				c := AnalyzerMatrixCell{Outcome: string(r.Report.Outcome), Link: r.Link,
					TestID: fmt.Sprintf("mcell-%d-%s-%s", r.Column, p.Name, onOff(strict, "strict", "loose"))}
				if r.Report.Target != nil {
					c.Target = r.Report.Target.Endpoint()
				}
				row.Cells[r.Column] = c
				v.Cells++
			}
			v.Rows = append(v.Rows, row)
		}
	}
	return v
}

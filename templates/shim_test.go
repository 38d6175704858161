//go:build !js

package templates

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// renderAll renders every component the site and the WebAssembly modules
// use: every demo scenario's report for every client profile, with the
// sign-in and as a snapshot, the hostile test report, every page, and the
// plan, comparison, matrix, audit and domain results. It returns the HTML by a
// name saying what was rendered.
func renderAll(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	add := func(name string, c templ.Component) {
		var b strings.Builder
		if err := c.Render(context.Background(), &b); err != nil {
			t.Fatalf("rendering %s: %v", name, err)
		}
		out[name] = b.String()
	}
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	env := check.Env{Resolver: set, Now: func() time.Time { return time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC) }}
	var reports []*engine.Report
	for _, sc := range demo.Scenarios() {
		for _, p := range engine.Profiles() {
			o := check.PageDefaults()
			o.URI, o.Profile, o.Resolver = sc.Try, p.Name, check.Source{Kind: check.SourceLocal}
			r, err := check.Run(context.Background(), o, env)
			if err != nil {
				t.Fatalf("%s %s: %v", sc.Try, p.Name, err)
			}
			reports = append(reports, r.Report)
			add("report "+sc.Try+" "+p.Name, Report(NewReportView(r.Report, ReportOptions{ShareLink: r.Query(), SnapshotLink: "#s=x", Resolver: o.Resolver.String()})))
		}
		o := check.PageDefaults()
		o.URI, o.ManualInternal = sc.Try, "pool01.contoso.com:5061"
		if r, err := check.Run(context.Background(), o, env); err == nil {
			add("report "+sc.Try+" manual", Report(NewReportView(r.Report, ReportOptions{})))
		}
	}
	add("snapshot", Report(NewReportView(reports[0], ReportOptions{TakenAt: "at 2026-11-25 14:00 UTC", Unchecked: true, SnapshotLink: "#s=x", Resolver: "https://dns.example/dns-query"})))
	add("hostile", Report(NewReportView(hostileReport(), ReportOptions{ShareLink: "javascript:alert(1)", SnapshotLink: "#s=<b>"})))

	site := Site{Base: "/", CSS: "/style.css", JS: "/app.js", WASM: "/main.wasm", Tools: "/tools.wasm", Boot: "/boot.js"}
	resolvers := []Resolver{{URL: check.ResolverLocal, Label: "This server"}, {URL: "https://dns.example/dns-query", Label: "Example"}}
	analyzer := NewAnalyzerView(site, resolvers)
	analyzer.Demos = []Demo{{Link: "/?uri=bob%40healthy.example", Address: "bob@healthy.example", Description: "A <healthy> deployment"}}
	add("page analyzer", AnalyzerPage(analyzer))
	add("page about", AboutPage(NewAboutView(site, resolvers)))
	add("page docs", DocsIndexPage(NewDocsIndex(site)))
	add("page findings", FindingsPage(NewFindingsView(site)))
	add("page plan", PlanPage(NewPlanView(site, "/plan.js")))
	add("page compare", ComparePage(NewCompareView(site, resolvers, "/compare.js")))
	add("page audit", AuditPage(NewAuditView(site, resolvers, "/audit.js")))
	add("page 404", NotFoundPage(NewNotFoundPage(site)))
	for _, p := range engine.Profiles() {
		add("page profile "+p.Name, ProfileDocPage(NewProfileDoc(site, p)))
	}

	p, results := checkedPlan(t, plan.Input{Domains: []string{"contoso.com", "fabrikam.com"},
		Pool: plan.Server{FQDN: "pool01.corp.litware.net"}, Edge: plan.Server{FQDN: "edge.litware.net"}, AllowTCP: true})
	links := make([]string, len(results))
	for i := range links {
		links[i] = "../#s=x"
	}
	add("plan result", PlanResult(NewPlanResultView(p, results, links, func(plan.View, string) int { return 0 })))
	add("compare result", CompareResult(NewCompareResultView(reports[0], reports[len(reports)-1], "local", "https://dns.example/dns-query", "../?uri=a", "../#s=b")))
	var runs []MatrixRun
	for _, pr := range engine.Profiles() {
		for _, strict := range []bool{false, true} {
			runs = append(runs, MatrixRun{Profile: pr.Name, Strict: strict, Report: reports[0], Link: "../?uri=x"})
		}
	}
	mv := NewMatrixView(reports[0].URI, []string{"A: this server"}, runs)
	add("matrix", AnalyzerMatrices([]MatrixView{mv}))
	rows := []audit.Row{
		{Line: 2, Address: "bob@contoso.com", Outcome: "connect", Target: "sip.contoso.com", Port: 5061, Transport: "TLS"},
		{Line: 3, Address: `<script>`, Outcome: audit.OutcomeBadInput, Error: `bad "<img>"`},
	}
	add("audit result", AuditResult(NewAuditResultView(rows, []string{"../?uri=a", ""}, audit.Summary{Total: 2, Connect: 1, BadInput: 1}, "local")))
	domainPage := NewDomainView(site, resolvers, "/domain.js")
	domainPage.Demos = []Demo{{Link: "/domain/?domains=teams-ready.example&doh=local", Address: "teams-ready.example", Description: "A <ready> domain"}}
	add("page domain", DomainPage(domainPage))
	var domains []*domainreport.Report
	for _, sc := range demo.Scenarios() {
		for _, view := range []engine.View{engine.ViewUnknown, engine.ViewInside} {
			r, err := domainreport.Check(context.Background(), sc.Domain, engine.Config{Resolver: set, View: view})
			if err != nil {
				t.Fatal(err)
			}
			add("domain "+sc.Domain+" "+string(view), DomainResult(NewDomainResultView([]*domainreport.Report{r}, check.ResolverLocal)))
			if view == engine.ViewUnknown {
				domains = append(domains, r)
			}
		}
	}
	add("domain all", DomainResult(NewDomainResultView(domains, check.ResolverLocal)))
	add("domain hostile", DomainResult(NewDomainResultView([]*domainreport.Report{hostileDomainReport(), domains[0]}, "https://dns.example/dns-query")))
	return out
}

// TestRenderDump writes renderAll's HTML as JSON to the file
// SIPDISCO_RENDER_DUMP names, for TestShimRendersAlike, which runs it
// built with the WebAssembly modules' stand-in for templ's runtime.
func TestRenderDump(t *testing.T) {
	file := os.Getenv("SIPDISCO_RENDER_DUMP")
	if file == "" {
		t.Skip("run by TestShimRendersAlike")
	}
	b, err := json.Marshal(renderAll(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestShimRendersAlike renders every component with templ's runtime (this
// test binary) and with internal/templshim, the stand-in the WebAssembly
// modules are built with (a second test binary built in the workspace
// wasm/wasm.work): the HTML must be the same, byte for byte.
func TestShimRendersAlike(t *testing.T) {
	if testing.Short() || os.Getenv("SIPDISCO_RENDER_DUMP") != "" {
		t.Skip("builds a second test binary")
	}
	work, err := filepath.Abs("../wasm/wasm.work")
	if err != nil {
		t.Fatal(err)
	}
	dump := filepath.Join(t.TempDir(), "shim.json")
	cmd := exec.Command("go", "test", "-count=1", "-run", "^TestRenderDump$", ".")
	cmd.Env = append(os.Environ(), "GOWORK="+work, "SIPDISCO_RENDER_DUMP="+dump)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the render with the stand-in: %v\n%s", err, out)
	}
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	var shim map[string]string
	if err := json.Unmarshal(b, &shim); err != nil {
		t.Fatal(err)
	}
	real := renderAll(t)
	var names []string
	for name := range real {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if shim[name] != real[name] {
			t.Errorf("%s: the stand-in renders other HTML:\n%s", name, firstDifference(real[name], shim[name]))
		}
	}
	if len(shim) != len(real) {
		t.Errorf("the stand-in rendered %d components; templ %d", len(shim), len(real))
	}
	t.Logf("%d components render alike", len(real))
}

// firstDifference shows where a and b first differ.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	return "templ: …" + a[from:min(len(a), i+60)] + "\nshim:  …" + b[from:min(len(b), i+60)]
}

package templates

import (
	"context"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// glanceReport is the check of bob@lync.example by Lync 2013 through the
// demo zones, with its at-a-glance rows.
func glanceReport(t *testing.T) *engine.Report {
	t.Helper()
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	o := check.Defaults()
	o.URI, o.Profile, o.Resolver = "bob@lync.example", "lync-2013", check.Source{Kind: check.SourceDemo}
	res, err := check.Run(context.Background(), o, check.Env{Resolver: set})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Clients) != 5 {
		t.Fatalf("%d client rows; want 5", len(res.Report.Clients))
	}
	return res.Report
}

// TestClientRowsText: the text and Markdown reports start with one row
// per client, the report's own marked, before the candidates.
func TestClientRowsText(t *testing.T) {
	r := glanceReport(t)
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	want := []string{
		"EVERY CLIENT, FROM THE SAME ANSWERS\n",
		"  Office Communicator 2007 R2          connect        pool01.lync.example:5061 TLS  naming loose\n",
		"* Lync 2013 / Skype for Business 2015  connect        pool01.lync.example:5061 TLS  naming trust model: others prompt\n",
		"  Skype for Business 2016–2024         connect        pool01.lync.example:5061 TLS  naming trust model: others prompt\n",
		"(* this report's client, in detail below)\n",
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("WriteText lacks %q:\n%s", w, text)
		}
	}
	if i, j := strings.Index(text, "EVERY CLIENT"), strings.Index(text, "CANDIDATES"); i < 0 || j < i {
		t.Errorf("WriteText: the client rows are not before the candidates:\n%s", text)
	}
	b.Reset()
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, w := range []string{
		"### Every client, from the same answers\n\n| Client | Outcome | Server | Naming |\n|---|---|---|---|\n",
		"| **Lync 2013 / Skype for Business 2015** (this report, in detail below) | connect | pool01.lync.example:5061 TLS | trust model: others prompt |\n",
		"| Office Communicator 2007 | connect | pool01.lync.example:5061 TLS | loose |\n",
	} {
		if !strings.Contains(md, w) {
			t.Errorf("WriteMarkdown lacks %q:\n%s", w, md)
		}
	}
}

// TestClientRowsEscaped: a row's texts cannot add Markdown or HTML.
func TestClientRowsEscaped(t *testing.T) {
	r := glanceReport(t)
	r.Clients[0].Target = "<b>|x](y)*:5061 TLS"
	var b strings.Builder
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `| \<b\>\|x\]\(y\)\*:5061 TLS |`) {
		t.Errorf("WriteMarkdown does not escape a row's target:\n%s", b.String())
	}
	html := render(t, Report(NewReportView(r, ReportOptions{})))
	if strings.Contains(html, "<b>|x") {
		t.Errorf("Report renders a row's target as HTML")
	}
}

// TestClientRowsPage: the page's report starts with a table of the rows,
// with column and row headers, the report's own client marked.
func TestClientRowsPage(t *testing.T) {
	r := glanceReport(t)
	html := render(t, Report(NewReportView(r, ReportOptions{})))
	sec := html[strings.Index(html, `data-testid="clients"`):]
	sec = sec[:strings.Index(sec, "</section>")]
	if n := strings.Count(sec, `<th scope="row">`); n != 5 {
		t.Errorf("client table has %d row headers; want 5", n)
	}
	if n := strings.Count(sec, `<th scope="col">`); n != 4 {
		t.Errorf("client table has %d column headers; want 4", n)
	}
	if !strings.Contains(sec, `<tr class="chosen" data-outcome="connect"><th scope="row">Lync 2013 / Skype for Business 2015 <span class="tag">this report</span>`) {
		t.Errorf("the chosen client is not marked:\n%s", sec)
	}
	if i, j := strings.Index(html, `data-testid="clients"`), strings.Index(html, `data-testid="candidates"`); j < i {
		t.Errorf("the client rows come after the candidates")
	}
	// A report without rows (an earlier snapshot) has no table.
	r.Clients = nil
	if html := render(t, Report(NewReportView(r, ReportOptions{}))); strings.Contains(html, `data-testid="clients"`) {
		t.Errorf("a report without rows shows the client table")
	}
}

// TestHeadlineRandomDraw: where the target is one weighted random draw
// among SRV records of equal priority (the weighted demo zone), the
// headline says so instead of stating the target as the only one; a
// target found through a single record is stated plainly.
func TestHeadlineRandomDraw(t *testing.T) {
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	for try, random := range map[string]bool{"bob@weighted.example": true, "bob@healthy.example": false} {
		o := check.Defaults()
		o.URI, o.Resolver = try, check.Source{Kind: check.SourceDemo}
		res, err := check.Run(context.Background(), o, check.Env{Resolver: set})
		if err != nil {
			t.Fatal(err)
		}
		v := verdict(res.Report)
		if got := strings.Contains(v, "at random by weight") && strings.Contains(v, "RFC 2782"); got != random {
			t.Errorf("%s: headline %q; says the target is a random draw: %v, want %v", try, v, got, random)
		}
	}
}

// TestHeadlineFailAgreesWithCandidates: where SRV records exist but
// none leads to a server (unresolvable.example), the headline says host
// records will not help only for a client that stops at the SRV records;
// for the others it names the host records they tried, each of which is
// among the report's candidates.
func TestHeadlineFailAgreesWithCandidates(t *testing.T) {
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range engine.Profiles() {
		o := check.Defaults()
		o.URI, o.Profile, o.Resolver = "bob@unresolvable.example", p.Name, check.Source{Kind: check.SourceDemo}
		res, err := check.Run(context.Background(), o, check.Env{Resolver: set})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Report
		if r.Outcome != engine.OutcomeFail {
			t.Fatalf("%s: outcome %s; want fail", p.Name, r.Outcome)
		}
		v := verdict(r)
		stops := p.Persistence == engine.StopAtSRV
		if got := strings.Contains(v, "will not help"); got != stops {
			t.Errorf("%s (%s): headline %q says host records will not help: %v", p.Name, p.Persistence, v, got)
		}
		for _, c := range r.Candidates {
			if c.Source == engine.SourceFallback && stops {
				t.Errorf("%s: stops at SRV, yet tries %s", p.Name, c.Host)
			}
			if c.Source == engine.SourceFallback && !strings.Contains(v, c.Host) {
				t.Errorf("%s: tries %s, which the headline %q does not name", p.Name, c.Host, v)
			}
		}
	}
}

package templates

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
)

// Site holds what every page needs to link its assets. The asset fields are
// URLs (fingerprinted file names when built by package web).
type Site struct {
	// Base is the URL path the site is served under, ending in "/".
	Base string
	// CSS, JS, WASM and Tools are the URLs of the style sheet, the
	// analyzer's script and the two WebAssembly modules (main.wasm, the
	// analyzer's; tools.wasm, the other pages' and what the analyzer loads
	// only when a check needs it); Boot is the script every page script
	// shares, loaded before the page's own, and Worker the script that
	// runs a module off the main thread (Go's wasm_exec.js and
	// web/static/worker.js in one file).
	CSS, JS, WASM, Tools, Boot, Worker string
}

// Href returns the URL of the site page at path (no leading slash).
func (s Site) Href(path string) string {
	b := s.Base
	if b == "" {
		b = "/"
	}
	return b + path
}

// Page is one HTML page: its title, description and which navigation entry
// is current.
type Page struct {
	Site        Site
	Title       string
	Description string
	// Nav is the current navigation entry: "analyzer", "docs" or "about".
	Nav string
	// Scripts loads the analyzer's JavaScript (only the analyzer page).
	Scripts bool
}

// Option is one entry of a select box.
type Option struct {
	Value string
	Label string
}

// Resolver is a DNS-over-HTTPS endpoint a page offers.
type Resolver struct {
	// URL is the RFC 8484 endpoint, or check.ResolverLocal for this
	// server's /dns-query.
	URL   string
	Label string
}

// AnalyzerView is the analyzer page.
type AnalyzerView struct {
	Page Page
	// DemosNeedServe: the site is static (sipdisco build without
	// --local), so the demos work only where sipdisco serve answers
	// /dns-query beside it. The list is hidden, and a note says where
	// they work, until the page's script finds that endpoint.
	DemosNeedServe bool
	// Form is the check form's controls in their groups (check.Form).
	Form []check.FormGroup
	// Demos are example checks offered as links (sipdisco serve, where
	// this server's DoH endpoint answers from the embedded demo zones).
	Demos []Demo
}

// Demo is one example check: a live link and what it shows.
type Demo struct {
	Link        string
	Address     string
	Description string
}

// NewAnalyzerView returns the analyzer page for site, its form empty,
// offering the given resolvers; the first resolver is the default.
func NewAnalyzerView(site Site, resolvers []Resolver) AnalyzerView {
	return AnalyzerView{
		Page: Page{Site: site, Title: "Sign-in discovery analyzer", Nav: "analyzer", Scripts: true,
			Description: "Which server would Office Communicator, Lync or Skype for Business find for this sign-in address, and why? DNS discovery checked from your browser."},
		Form: check.Form(check.PageDefaults(), formOptions(resolvers)),
	}
}

// inMore reports whether a group of the check form sits in its "More"
// section.
func inMore(g check.Group) bool {
	return g == check.GroupManual || g == check.GroupSignIn || g == check.GroupAnswers
}

// helpID is the element id of a control's help text; "" when it has none.
func helpID(f check.FormField) string {
	if f.Help == "" {
		return ""
	}
	return f.ID + "-help"
}

// describedBy links a control to its help text, when it has one.
func describedBy(f check.FormField) templ.Attributes {
	if f.Help == "" {
		return nil
	}
	return templ.Attributes{"aria-describedby": helpID(f)}
}

// otherAttr names, on a select box, the control its "custom" choice reads.
func otherAttr(f check.FormField) templ.Attributes {
	if f.Other == "" {
		return nil
	}
	return templ.Attributes{"data-other": f.Other}
}

// ticked reports whether the box of value is ticked in a KindMulti field.
func ticked(f check.FormField, value string) bool { return slices.Contains(f.Ticked, value) }

func formOptions(resolvers []Resolver) check.FormOptions {
	var fo check.FormOptions
	for _, r := range resolvers {
		fo.Resolvers = append(fo.Resolvers, check.Resolver{URL: r.URL, Label: r.Label})
	}
	return fo
}

// profileOptions are the client profiles of a select box
// (check.ProfileChoices).
func profileOptions() []Option {
	var out []Option
	for _, c := range check.ProfileChoices() {
		out = append(out, Option{Value: c.Value, Label: c.Label})
	}
	return out
}

// resolverOptions are the resolvers of a select box: the given ones, then
// a planned zone.
func resolverOptions(resolvers []Resolver) []Option {
	var out []Option
	for _, r := range resolvers {
		out = append(out, Option{Value: r.URL, Label: r.Label})
	}
	return append(out, Option{Value: check.CustomResolver, Label: "Custom DoH URL (below)"},
		Option{Value: check.ResolverZone, Label: "Planned zone (below, no network)"})
}

// Fact is one labelled value.
type Fact struct {
	Label string
	Value string
}

// TargetView is the server the client signs in to.
type TargetView struct {
	Host      string
	Port      string
	Transport string
	Addresses string
	Source    string
}

// CandidateView is one row of the candidate table.
type CandidateView struct {
	N         int
	Host      string
	Port      string
	Transport string
	Source    string
	Accepted  bool
	Status    string
	Reason    string
	Addresses string
}

// StepView is one DNS question and its answer.
type StepView struct {
	Question string
	Type     string
	Result   string // the RCode, or "error"
	Failed   bool   // no usable answer: transport error, SERVFAIL, REFUSED...
	Answers  []string
	Error    string
	MS       string
	// Server is who answered, when the resolver asked several.
	Server string
	// Purpose says why sipdisco asked a question the client would not
	// ask then (engine.PurposeText); empty for the client's own.
	Purpose string
	// From says which answer's additional section an answer not asked
	// was read from (stepFrom); empty for a question asked.
	From string
	// MoreAnswers counts the answers not shown (ReportOptions.Bounded).
	MoreAnswers int
}

// RoundView is one parallel round of questions.
type RoundView struct {
	N     int
	Steps []StepView
}

// FindingView is one finding.
type FindingView struct {
	// N is the finding's index in the list it came from (the report's
	// JSON order), for its element id; the views are in severity order.
	N        int
	Severity string
	Kind     string
	Subject  string
	Message  string
	Fix      string
	// Title is the kind's title (engine.KindTitle): "An address clients
	// outside cannot reach"; the kind itself when this version does not
	// know it.
	Title string
	// Uncounted marks a warning the banner does not count as a problem
	// (engine.IsProblem: the result and what the user sees are the same
	// without it, docs/adr/0019-four-states.md); its line says so, so that
	// "1 problem" above two warnings reads true.
	Uncounted bool
}

// ReportView is a report ready to render.
type ReportView struct {
	// Shortened says what a bounded report leaves out
	// (ReportOptions.Bounded): "the first 100 of 2,000 DNS questions";
	// MoreCandidates, MoreFindings and MoreSteps count the rows not
	// shown.
	Shortened                               []string
	MoreCandidates, MoreFindings, MoreSteps int

	URI          string
	Domain       string
	Profile      string
	ProfileTitle string
	Outcome      string // "connect", "fail", "indeterminate"
	OutcomeLabel string // "Connects", "Fails", "Indeterminate"
	// State is the report's state (engine.StateOf) and StateWords it in
	// words ("Signs in, with problems"); the style sheet puts a shape
	// before the words that says it without colour (✓, ▲, ✕ or ?).
	// BannerClass is the banner's classes: the outcome's and the
	// state's.
	State       string
	StateWords  string
	BannerClass string
	// Problems counts the report's problems (engine.Problems);
	// FirstProblem is the title of the worst, first one and
	// FirstProblemAt the element that shows it below: its id after the
	// report's ID and a hyphen ("finding-3", "reg", "probe"), so that it
	// follows an ID set after the view is built.
	Problems       int
	ProblemsLead   string // "2 problems; the first:"
	FirstProblem   string
	FirstProblemAt string
	Headline       string
	Explanation    string
	// Name tells this report from another shown beside it ("view A" on
	// the Compare page): it joins each section's name (labelledBy), so
	// that every landmark of the page has a name of its own.
	Name string
	// Choices are the checks that would answer where a failed lookup
	// hides the result (setGuidance); ServeHint adds sipdisco serve
	// --upstream system.
	Choices   []LinkView
	ServeHint bool
	Policy    []Fact
	// Clients are the at-a-glance rows, one per client generation, from
	// the same answers; empty for a report that has none (an older
	// snapshot, the discovery comparison).
	Clients    []ClientRowView
	Target     *TargetView
	Candidates []CandidateView
	Accepted   int
	Refused    int
	Rounds     []RoundView
	StepCount  int
	Findings   []FindingView
	Flow       Flow
	// Register is the simulated REGISTER exchange; nil when the report
	// has none.
	Register *RegisterView
	// Probe is what the real servers answered (check --connect, carried
	// by a snapshot link); nil when the report has none.
	Probe *ProbeView
	// Discovery is what DNS discovery would have done when servers are
	// configured manually.
	Discovery *ReportView
	// Links: the live share link (query string) and the snapshot link
	// (fragment); empty ones are not shown.
	ShareLink    string
	SnapshotLink string
	// TakenAt is set when the report is a snapshot: when it was taken.
	// Unchecked is set for a snapshot link of an earlier format, which
	// carries no checksum.
	TakenAt   string
	Unchecked bool
	// Root is the path from the page to the site's root ("" on the
	// analyzer, "../" one folder down), for the links to the docs.
	Root string
	// ID prefixes element ids so that two reports can share a page.
	ID string
}

// ClientRowView is one at-a-glance row: a client, its outcome
// ("connect", "fail", "indeterminate"), where it signs in (empty unless
// it connects) and the naming it used; Chosen marks the report's own
// client, shown in detail below the rows.
type ClientRowView struct {
	Title, Outcome, Target, Naming string
	Chosen                         bool
}

// ReportOptions are the parts of a report view that do not come from the
// report itself.
type ReportOptions struct {
	ShareLink    string
	SnapshotLink string
	TakenAt      string
	// Unchecked: the snapshot's format has no checksum (version 1).
	Unchecked bool
	// Root is the path from the page to the site's root: "" on the
	// analyzer, "../" on a page one folder down.
	Root string
	// Resolver says where the answers came from, as a link names it
	// (check.Source.String): a DoH URL, check.ResolverLocal or
	// check.ResolverZone; empty leaves it out.
	Resolver string
	// Bounded shows at most SnapshotRows DNS questions, candidates and
	// findings and SnapshotAnswers answers of each question, saying how
	// many are left out, with a "Show all" button (data-action
	// "show-all"): a snapshot link, which anyone can write, may hold
	// thousands, and every row costs the page time and memory to lay
	// out. A report of this page's own check is never that long (the
	// engine asks at most 64 questions).
	Bounded bool
}

// The rows a bounded report shows (ReportOptions.Bounded).
const (
	SnapshotRows    = 100
	SnapshotAnswers = 16
)

// NewReportView builds the view of r. It only restates what r says; every
// string stays plain text for templ to escape.
func NewReportView(r *engine.Report, o ReportOptions) ReportView {
	v := ReportView{
		URI: r.URI, Domain: r.Domain, Profile: r.Profile, ProfileTitle: r.Profile,
		Outcome:   string(r.Outcome),
		ShareLink: o.ShareLink, SnapshotLink: o.SnapshotLink, TakenAt: o.TakenAt, Unchecked: o.Unchecked, Root: o.Root,
		ID: "r",
	}
	for _, c := range r.Clients {
		v.Clients = append(v.Clients, ClientRowView{Title: c.Title, Outcome: outcomeWord(c.Outcome),
			Target: c.Target, Naming: c.Naming, Chosen: c.Profile == r.Profile})
	}
	naming := onOff(r.Policy.StrictNaming, "strict", "loose")
	if p, err := engine.LookupProfile(r.Profile); err == nil {
		v.ProfileTitle = p.Title
		naming = p.NamingPolicy(r.Policy.StrictNaming)
	}
	v.Policy = []Fact{
		{"Client", v.ProfileTitle},
		{"Naming", naming},
		{"TCP", onOff(r.Policy.AllowTCP, "allowed", "not allowed")},
	}
	if r.Policy.ManualInternal != "" {
		v.Policy = append(v.Policy, Fact{"Manual internal server", r.Policy.ManualInternal})
	}
	if r.Policy.ManualExternal != "" {
		v.Policy = append(v.Policy, Fact{"Manual external server", r.Policy.ManualExternal})
	}
	switch {
	case r.Resolver != nil:
		v.Policy = append(v.Policy, Fact{"Answers from", r.Resolver.Description})
		for _, n := range r.Resolver.Notes {
			v.Policy = append(v.Policy, Fact{"Passed over", n})
		}
	default:
		if from := check.ParseSource(o.Resolver).AnswersFrom(); from != "" {
			v.Policy = append(v.Policy, Fact{"Answers from", from})
		}
	}
	switch r.View {
	case engine.ViewInside:
		v.Policy = append(v.Policy, Fact{"View", "inside: the internal DNS, as clients inside the network see it"})
	case engine.ViewOutside:
		v.Policy = append(v.Policy, Fact{"View", "outside: the public DNS, as clients on the Internet see it (the names for internal DNS only are asked too)"})
	}
	if len(r.Policy.TrustedDomains) > 0 {
		v.Policy = append(v.Policy, Fact{"Trusted domains", strings.Join(r.Policy.TrustedDomains, ", ")})
	}
	v.Register = NewRegisterView(r.Register, targetHost(r), v.ID)
	v.Probe = probeView(r.Probe)
	if t := r.Target; t != nil && r.Outcome == engine.OutcomeConnect {
		v.Target = &TargetView{Host: t.Host, Port: port(t.Port), Transport: string(t.Transport),
			Addresses: strings.Join(t.Addresses, ", "), Source: t.Source}
	}
	cands, steps, findings := r.Candidates, r.Steps, r.Findings
	if o.Bounded {
		cut := func(n int, what string) {
			v.Shortened = append(v.Shortened, fmt.Sprintf("the first %d of %s %s", SnapshotRows, thousands(n), what))
		}
		if n := len(cands); n > SnapshotRows {
			cut(n, "candidates")
			v.MoreCandidates, cands = n-SnapshotRows, cands[:SnapshotRows]
		}
		if n := len(findings); n > SnapshotRows {
			cut(n, "findings")
		}
		if n := len(steps); n > SnapshotRows {
			cut(n, "DNS questions")
			v.MoreSteps, steps = n-SnapshotRows, steps[:SnapshotRows]
		}
	}
	for i, c := range cands {
		cv := CandidateView{N: i + 1, Host: c.Host, Port: port(c.Port), Transport: string(c.Transport),
			Source: c.Source, Accepted: c.Accepted, Reason: c.Reason, Addresses: strings.Join(c.Addresses, ", ")}
		if c.Accepted {
			cv.Status = "accepted"
			v.Accepted++
		} else {
			cv.Status = "refused"
			v.Refused++
		}
		v.Candidates = append(v.Candidates, cv)
	}
	answersCut := false
	for _, s := range steps {
		sv := StepView{Question: s.Question, Type: s.Type.String(), Result: s.RCode.String(), Answers: s.Answers,
			Error: s.Error, MS: strconv.FormatInt(s.MS, 10) + " ms", Failed: s.Failed(), Server: s.Server,
			Purpose: engine.PurposeText(s.Purpose), From: stepFrom(s)}
		if n := len(s.Answers); o.Bounded && n > SnapshotAnswers {
			sv.Answers, sv.MoreAnswers, answersCut = s.Answers[:SnapshotAnswers], n-SnapshotAnswers, true
		}
		if !s.Answered() {
			sv.Result = "no answer"
		}
		round := s.Round
		if n := len(v.Rounds); n == 0 || v.Rounds[n-1].N != round {
			v.Rounds = append(v.Rounds, RoundView{N: round})
		}
		rv := &v.Rounds[len(v.Rounds)-1]
		rv.Steps = append(rv.Steps, sv)
		v.StepCount++
	}
	v.StepCount += v.MoreSteps
	if answersCut {
		v.Shortened = append(v.Shortened, fmt.Sprintf("the first %d answers of each question", SnapshotAnswers))
	}
	v.Findings = FindingViews(findings)
	if o.Bounded && len(v.Findings) > SnapshotRows {
		// The most severe first (FindingViews), so the first problem
		// stays in view.
		v.MoreFindings, v.Findings = len(v.Findings)-SnapshotRows, v.Findings[:SnapshotRows]
	}
	v.OutcomeLabel, v.Headline, v.Explanation = headline(r, false)
	v.setState(r)
	v.setGuidance(r, o.Resolver)
	v.Flow = NewFlow(r)
	if r.Discovery != nil {
		d := NewReportView(r.Discovery, ReportOptions{Bounded: o.Bounded})
		d.ID = "d"
		if d.Register != nil {
			// Element ids must differ from the main report's.
			d.Register = NewRegisterView(r.Discovery.Register, targetHost(r.Discovery), d.ID)
		}
		d.ShareLink, d.SnapshotLink = "", ""
		v.Discovery = &d
	}
	return v
}

// targetHost names the report's server for the ladder: the target, or
// "server".
func targetHost(r *engine.Report) string {
	if r.Target != nil {
		return r.Target.Host
	}
	return "server"
}

func onOff(b bool, on, off string) string {
	if b {
		return on
	}
	return off
}

func port(p uint16) string { return strconv.Itoa(int(p)) }

// uncounted reports whether f is a warning the banner and the state line
// do not count as a problem (engine.IsProblem).
func uncounted(f engine.Finding) bool {
	return f.Severity == engine.SeverityWarning && !engine.IsProblem(f)
}

// uncountedWords is what a finding's line adds when it is uncounted.
const uncountedWords = "does not change the result"

// FindingViews restates findings for a page, errors first, then
// warnings, then information, each in fs's order (engine.BySeverity);
// each view keeps its index in fs.
func FindingViews(fs []engine.Finding) []FindingView {
	var out []FindingView
	for rank := range 4 {
		for i, f := range fs {
			if engine.SeverityRank(f.Severity) == rank {
				out = append(out, FindingView{N: i, Severity: string(f.Severity), Kind: string(f.Kind),
					Subject: f.Subject, Message: f.Message, Fix: f.Fix, Title: kindTitle(f.Kind),
					Uncounted: uncounted(f)})
			}
		}
	}
	return out
}

// setState fills v's state and problems from r (engine.StateOf, which
// does not read r.State: an old snapshot gets its state too).
func (v *ReportView) setState(r *engine.Report) {
	st := engine.StateOf(r)
	v.State, v.StateWords = string(st), st.Words()
	v.BannerClass = "banner " + v.Outcome + " state-" + v.State
	ps := engine.Problems(r)
	v.Problems = len(ps)
	if len(ps) == 0 {
		return
	}
	v.ProblemsLead = problemsLead(len(ps))
	v.FirstProblem, v.FirstProblemAt = problemTitle(ps[0]), "find"
	switch ps[0].Where {
	case engine.InFindings:
		v.FirstProblemAt = "finding-" + strconv.Itoa(ps[0].Index)
	case engine.InRegister:
		v.FirstProblemAt = "reg"
	case engine.InProbe, engine.InAutodiscover:
		v.FirstProblemAt = "probe"
	}
}

// problemTitle is a problem's title (kindTitle).
func problemTitle(p engine.Problem) string { return kindTitle(p.Kind) }

// kindTitle is k's title (engine.KindTitle), or k itself when this
// version does not know it.
func kindTitle(k engine.Kind) string {
	if t, _, ok := engine.KindTitle(k); ok {
		return t
	}
	return string(k)
}

// ProblemsLine says how many problems r has and names the first: "2
// problems; the first: Signing in over TCP"; "" when there are none.
func ProblemsLine(r *engine.Report) string {
	ps := engine.Problems(r)
	if len(ps) == 0 {
		return ""
	}
	return problemsLead(len(ps)) + " " + problemTitle(ps[0])
}

// problemsLead is the count of n problems before the first's title.
func problemsLead(n int) string {
	if n == 1 {
		return "1 problem:"
	}
	return strconv.Itoa(n) + " problems; the first:"
}

// srvExists reports whether any SRV question got SRV data, the condition
// that rules out the A-record fallback.
func srvExists(r *engine.Report) bool {
	for _, s := range r.Steps {
		if s.Type == engine.TypeSRV && s.Purpose == "" && s.HasRecords() {
			return true
		}
	}
	return false
}

// onlyLoopback reports whether every address is a loopback address, as
// engine.CheckAddr classes it.
func onlyLoopback(addresses []string) bool {
	for _, s := range addresses {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return false
		}
		if p, bad := engine.CheckAddr(a); !bad || p.Kind != engine.ProblemLoopback {
			return false
		}
	}
	return len(addresses) > 0
}

// hostRecordsTried returns the host records the client went on to, each
// once and in its order: the engine adds a fallback candidate for each
// exactly when the client reaches the host records (the profile's
// Persistence: always for a client that continues until one works, only
// when no SRV record exists for one that stops at the SRV records), so
// the headline follows the engine's decision instead of a rule of its
// own.
func hostRecordsTried(r *engine.Report) []string {
	var hosts []string
	for _, c := range r.Candidates {
		if c.Source == engine.SourceFallback && !slices.Contains(hosts, c.Host) {
			hosts = append(hosts, c.Host)
		}
	}
	return hosts
}

// failedStep returns the first lookup that made the result
// indeterminate: one of the client's, not one sipdisco asked to check the
// DNS (Step.Purpose), which never decides the result.
func failedStep(r *engine.Report) (engine.Step, bool) {
	for _, s := range r.Steps {
		if s.Failed() && s.Purpose == "" {
			return s, true
		}
	}
	return engine.Step{}, false
}

// headline is the banner's words for r; local says its answers came from
// this site's /dns-query (plainWhy).
func headline(r *engine.Report, local bool) (label, head, text string) {
	switch r.Outcome {
	case engine.OutcomeConnect:
		label = "Connects"
		if t := r.Target; t != nil && onlyLoopback(t.Addresses) {
			// The engine's warning (engine.CheckAddr): the client makes
			// a connection, but to the computer it runs on
			// (docs/adr/0018-a-target-the-client-cannot-reach.md).
			label = "Connects to its own computer"
			head = fmt.Sprintf("The client connects to its own computer, not to a server: %s resolves only to a loopback address (%s)", t.Host, strings.Join(t.Addresses, ", "))
			text = "Found through " + t.Source + ". Every client that uses this record connects to the computer it runs on (RFC 1122 §3.2.1.3), so it reaches the domain's server only if that server runs there."
		} else if t != nil && t.Source == engine.SourceAutodiscover {
			// A prediction (engine's autodiscover-only finding): only
			// the Autodiscover web service leads anywhere.
			label = "Likely connects"
			head = fmt.Sprintf("The client likely signs in through the Autodiscover web service at %s", t.Host)
			text = "Predicted, not observed: the web service gives the client its home pool, which DNS does not show here. Run sipdisco check --connect to observe it."
		} else if x := r.Register; t != nil && x != nil && x.Outcome == engine.SignInFailed {
			// The server is found, but the simulated sign-in fails: the
			// banner must not say it signs in (the state is "with
			// problems", the first problem the sign-in's failure).
			head = fmt.Sprintf("The client reaches %s:%d over %s, but its sign-in fails", t.Host, t.Port, t.Transport)
			text = "Found through " + t.Source + "."
		} else if t != nil {
			head = fmt.Sprintf("The client signs in to %s:%d over %s", t.Host, t.Port, t.Transport)
			text = "Found through " + t.Source + "."
			if hasKind(r, engine.KindSRVRandomOrder) {
				// The target is one draw of RFC 2782's weighted order,
				// not the only server sign-ins go to.
				text = "Found through " + t.Source + ", whose records of equal priority the client orders at random by weight at each sign-in (RFC 2782): this is one such draw, and other sign-ins may go to another of them."
			}
		} else {
			head = "The client finds a server"
		}
	case engine.OutcomeFail:
		label = "Fails"
		head = "The client finds no server it may use"
		if r.Policy.Manual() {
			text = "The manually configured servers cannot be used."
		} else if hosts := hostRecordsTried(r); len(hosts) > 0 && srvExists(r) {
			text = fmt.Sprintf("No SRV target for %s is usable, and the client went on to the host records %s: none of them leads to a server it may use either. Fix the SRV records, or publish one of these host records for the server.", r.Domain, andList(hosts))
		} else if len(hosts) > 0 {
			text = fmt.Sprintf("No SRV record exists for %s, and none of the host records the client then tries (%s) leads to a server it may use.", r.Domain, andList(hosts))
		} else if srvExists(r) {
			text = fmt.Sprintf("SRV records exist for %s, so the client does not fall back to host (A) records, even though no SRV target is usable. Fix the SRV records; adding sipinternal or sipexternal host records will not help.", r.Domain)
		} else {
			text = fmt.Sprintf("No SRV record exists for %s, and the client tries no host records.", r.Domain)
		}
	case engine.OutcomeIndeterminate:
		label = "Indeterminate"
		head = "The result is unknown: a DNS lookup failed"
		if s, ok := failedStep(r); ok {
			text = fmt.Sprintf("The lookup of %s %s failed: %s. A failed lookup is not the same as a missing record, so the analyzer cannot tell what the client would do.", s.Question, s.Type, plainWhy(s, r, local))
		}
	default:
		label = "Unknown outcome"
		head = "The report has an outcome this page does not know"
	}
	return label, head, text
}

// truncate shortens s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// NotFoundPath is the site path of the page a host shows for an address
// that names nothing (Netlify and web.Handler both use 404.html).
const NotFoundPath = "404.html"

// NewNotFoundPage returns the page of NotFoundPage.
func NewNotFoundPage(site Site) Page {
	return Page{Site: site, Title: "Page not found", Description: "This site has no page at this address."}
}

// hasKind reports whether r has a finding of kind k.
func hasKind(r *engine.Report, k engine.Kind) bool {
	for _, f := range r.Findings {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// seriousFindings are the findings of severity error or warning, in
// order; infoFindings the others, shown folded under notesTitle.
func seriousFindings(fs []FindingView) []FindingView {
	var out []FindingView
	for _, f := range fs {
		if f.Severity != string(engine.SeverityInfo) {
			out = append(out, f)
		}
	}
	return out
}

func infoFindings(fs []FindingView) []FindingView {
	var out []FindingView
	for _, f := range fs {
		if f.Severity == string(engine.SeverityInfo) {
			out = append(out, f)
		}
	}
	return out
}

// notesTitle is the folded information findings' title: "1 note",
// "3 notes".
func notesTitle(n int) string {
	if n == 1 {
		return "1 note"
	}
	return strconv.Itoa(n) + " notes"
}

// labelledBy is the aria-labelledby of the report's section whose heading
// is v.ID+suffix: that heading, and the report's Name when it has one.
func labelledBy(v ReportView, suffix string) string {
	if v.Name == "" {
		return v.ID + suffix
	}
	return v.ID + suffix + " " + v.ID + "-name"
}

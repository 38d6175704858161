package templates

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/register"
)

// Site holds what every page needs to link its assets. The asset fields are
// URLs (fingerprinted file names when built by package web).
type Site struct {
	// Base is the URL path the site is served under, ending in "/".
	Base string
	// CSS, JS, WASMExec and WASM are the URLs of the style sheet, the
	// analyzer's script, Go's wasm_exec.js and main.wasm; Boot is the
	// script every page script shares (it loads main.wasm), loaded after
	// wasm_exec.js and before the page's own script.
	CSS, JS, WASMExec, WASM, Boot string
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

// Resolver is a DNS-over-HTTPS endpoint the analyzer page offers.
type Resolver struct {
	// URL is the RFC 8484 endpoint, or "local" for this server's
	// /dns-query, or "zone" for the planned zone typed into the page.
	URL   string
	Label string
}

// Form is the analyzer's input: the same fields as a share link.
type Form struct {
	URI            string
	Profile        string
	Strict         bool
	AllowTCP       bool
	ManualInternal string
	ManualExternal string
	// Resolver is a Resolver URL, "local", "zone" or "custom" (CustomDoH).
	Resolver  string
	CustomDoH string
	// The simulated sign-in: account, credential source, the Windows
	// account logged on, and whether the password is wrong.
	Account        string
	Credentials    string
	DesktopAccount string
	WrongPassword  bool
	// The server and directory of the simulated sign-in: who owns the
	// address and whether that account is enabled for SIP, the protocols
	// the server offers (empty: all), compression, the home pool and the
	// certificate's names (comma-separated, as typed).
	Owner            string
	NotEnabled       bool
	Offers           []string
	Compression      bool
	HomePool         string
	CertificateNames string
}

// AnalyzerView is the analyzer page.
type AnalyzerView struct {
	Page        Page
	Form        Form
	Profiles    []Option
	Resolvers   []Option
	Credentials []Option
	// Offers are the authentication protocols the server may offer.
	Offers []Option
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

// NewAnalyzerView returns the analyzer page for site, offering every
// engine profile and the given resolvers; the first resolver is the
// default.
func NewAnalyzerView(site Site, resolvers []Resolver) AnalyzerView {
	v := AnalyzerView{
		Page: Page{Site: site, Title: "Sign-in discovery analyzer", Nav: "analyzer", Scripts: true,
			Description: "Which server would Office Communicator, Lync or Skype for Business find for this sign-in address, and why? DNS discovery checked from your browser."},
		Form: Form{Profile: engine.DefaultProfile, AllowTCP: true, Credentials: register.CurrentCredentials},
		Credentials: []Option{
			{register.CurrentCredentials, "Current Windows credentials"},
			{register.SavedCredentials, "Saved credentials"},
			{register.PromptCredentials, "Typed at the prompt"},
			{register.NoCredentials, "None saved, prompt not answered"},
		},
		Offers: []Option{
			{register.NTLM, "NTLM"},
			{register.Kerberos, "Kerberos"},
			{register.TLSDSK, "TLS-DSK (clients that support it)"},
		},
	}
	for _, p := range engine.Profiles() {
		label := p.Title
		if p.Name == engine.DefaultProfile {
			label += " (default)"
		}
		v.Profiles = append(v.Profiles, Option{Value: p.Name, Label: label})
	}
	for _, r := range resolvers {
		v.Resolvers = append(v.Resolvers, Option{Value: r.URL, Label: r.Label})
	}
	if len(resolvers) > 0 {
		v.Form.Resolver = resolvers[0].URL
	}
	v.Resolvers = append(v.Resolvers,
		Option{Value: "custom", Label: "Custom DoH URL (below)"},
		Option{Value: "zone", Label: "Planned zone (below, no network)"})
	return v
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
}

// RoundView is one parallel round of questions.
type RoundView struct {
	N     int
	Steps []StepView
}

// FindingView is one finding.
type FindingView struct {
	Severity string
	Kind     string
	Subject  string
	Message  string
	Fix      string
}

// ReportView is a report ready to render.
type ReportView struct {
	URI          string
	Domain       string
	Profile      string
	ProfileTitle string
	Outcome      string // "connect", "fail", "indeterminate"
	OutcomeLabel string // "Connects", "Fails", "Indeterminate"
	Headline     string
	Explanation  string
	Policy       []Fact
	Target       *TargetView
	Candidates   []CandidateView
	Accepted     int
	Refused      int
	Rounds       []RoundView
	StepCount    int
	Findings     []FindingView
	Flow         Flow
	// Register is the simulated REGISTER exchange; nil when the report
	// has none.
	Register *RegisterView
	// Discovery is what DNS discovery would have done when servers are
	// configured manually.
	Discovery *ReportView
	// Links: the live share link (query string) and the snapshot link
	// (fragment); empty ones are not shown.
	ShareLink    string
	SnapshotLink string
	// TakenAt is set when the report is a snapshot: when it was taken.
	TakenAt string
	// ID prefixes element ids so that two reports can share a page.
	ID string
}

// ReportOptions are the parts of a report view that do not come from the
// report itself.
type ReportOptions struct {
	ShareLink    string
	SnapshotLink string
	TakenAt      string
	// Resolver says where the answers came from: a DoH URL, "local" or
	// "zone"; empty leaves it out.
	Resolver string
}

// NewReportView builds the view of r. It only restates what r says; every
// string stays plain text for templ to escape.
func NewReportView(r *engine.Report, o ReportOptions) ReportView {
	v := ReportView{
		URI: r.URI, Domain: r.Domain, Profile: r.Profile, ProfileTitle: r.Profile,
		Outcome:   string(r.Outcome),
		ShareLink: o.ShareLink, SnapshotLink: o.SnapshotLink, TakenAt: o.TakenAt,
		ID: "r",
	}
	if p, err := engine.LookupProfile(r.Profile); err == nil {
		v.ProfileTitle = p.Title
	}
	v.Policy = []Fact{
		{"Client", v.ProfileTitle},
		{"Naming", onOff(r.Policy.StrictNaming, "strict (EnableStrictDNSNaming)", "loose")},
		{"TCP", onOff(r.Policy.AllowTCP, "allowed", "not allowed")},
	}
	if r.Policy.ManualInternal != "" {
		v.Policy = append(v.Policy, Fact{"Manual internal server", r.Policy.ManualInternal})
	}
	if r.Policy.ManualExternal != "" {
		v.Policy = append(v.Policy, Fact{"Manual external server", r.Policy.ManualExternal})
	}
	switch o.Resolver {
	case "":
	case "local":
		v.Policy = append(v.Policy, Fact{"Answers from", "the serving site's /dns-query"})
	case "zone":
		v.Policy = append(v.Policy, Fact{"Answers from", "a planned zone (no network)"})
	default:
		v.Policy = append(v.Policy, Fact{"Answers from", o.Resolver})
	}
	if len(r.Policy.TrustedDomains) > 0 {
		v.Policy = append(v.Policy, Fact{"Trusted domains", strings.Join(r.Policy.TrustedDomains, ", ")})
	}
	v.Register = NewRegisterView(r.Register, targetHost(r), v.ID)
	if t := r.Target; t != nil && r.Outcome == engine.OutcomeConnect {
		v.Target = &TargetView{Host: t.Host, Port: port(t.Port), Transport: string(t.Transport),
			Addresses: strings.Join(t.Addresses, ", "), Source: t.Source}
	}
	for i, c := range r.Candidates {
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
	for _, s := range r.Steps {
		sv := StepView{Question: s.Question, Type: s.Type.String(), Result: s.RCode.String(), Answers: s.Answers,
			Error: s.Error, MS: strconv.FormatInt(s.MS, 10) + " ms", Failed: s.Failed()}
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
	v.Findings = findingViews(r.Findings)
	v.OutcomeLabel, v.Headline, v.Explanation = headline(r)
	v.Flow = NewFlow(r)
	if r.Discovery != nil {
		d := NewReportView(r.Discovery, ReportOptions{})
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

// findingViews restates findings for a page.
func findingViews(fs []engine.Finding) []FindingView {
	var out []FindingView
	for _, f := range fs {
		out = append(out, FindingView{Severity: string(f.Severity), Kind: string(f.Kind),
			Subject: f.Subject, Message: f.Message, Fix: f.Fix})
	}
	return out
}

// srvExists reports whether any SRV question got SRV data, the condition
// that rules out the A-record fallback.
func srvExists(r *engine.Report) bool {
	for _, s := range r.Steps {
		if s.Type == engine.TypeSRV && s.HasRecords() {
			return true
		}
	}
	return false
}

// failedStep returns the first lookup that made the result indeterminate.
func failedStep(r *engine.Report) (engine.Step, bool) {
	for _, s := range r.Steps {
		if s.Failed() {
			return s, true
		}
	}
	return engine.Step{}, false
}

func headline(r *engine.Report) (label, head, text string) {
	switch r.Outcome {
	case engine.OutcomeConnect:
		label = "Connects"
		if t := r.Target; t != nil {
			head = fmt.Sprintf("The client signs in to %s:%d over %s", t.Host, t.Port, t.Transport)
			text = "Found through " + t.Source + "."
		} else {
			head = "The client finds a server"
		}
	case engine.OutcomeFail:
		label = "Fails"
		head = "The client finds no server it may use"
		if r.Policy.Manual() {
			text = "The manually configured servers cannot be used."
		} else if srvExists(r) {
			text = fmt.Sprintf("SRV records exist for %s, so the client does not fall back to host (A) records, even though no SRV target is usable. Fix the SRV records; adding sipinternal or sipexternal host records will not help.", r.Domain)
		} else {
			text = fmt.Sprintf("No SRV record exists for %s and none of the fallback host names resolves.", r.Domain)
		}
	case engine.OutcomeIndeterminate:
		label = "Indeterminate"
		head = "The result is unknown: a DNS lookup failed"
		if s, ok := failedStep(r); ok {
			why := failedWhy(s)
			text = fmt.Sprintf("The lookup of %s %s failed (%s). A failed lookup is not the same as a missing record, so the analyzer cannot tell what the client would do.", s.Question, s.Type, why)
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

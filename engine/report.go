package engine

import (
	"strconv"
)

// Outcome is the verdict of a report.
type Outcome string

// The three outcomes of a report (docs/spec.md §7.1).
const (
	// OutcomeConnect: the client would find a server and connect to it.
	OutcomeConnect Outcome = "connect"
	// OutcomeFail: every answer was definite and none gives a usable server.
	OutcomeFail Outcome = "fail"
	// OutcomeIndeterminate: a lookup that could change the result failed
	// (SERVFAIL, REFUSED, timeout, bad response), so the result is unknown.
	OutcomeIndeterminate Outcome = "indeterminate"
)

// Transport is how the client connects to a candidate.
type Transport string

// The transports Microsoft SIP clients use for sign-in.
const (
	TLS Transport = "TLS"
	TCP Transport = "TCP"
)

// DefaultPort returns the SIP port of t: 5061 for TLS, 5060 for TCP
// (RFC 3261 §19.1.2).
func (t Transport) DefaultPort() uint16 {
	if t == TCP {
		return 5060
	}
	return 5061
}

// Report is the result of one discovery: the same plain data is rendered as
// the web page, the CLI's text, Markdown and JSON, and share-link snapshots.
// Its JSON field names are a public contract (docs/spec.md §7.3).
type Report struct {
	// Tool and CheckedAt say which program made the report and when (RFC
	// 3339, UTC, from the check's clock); the application layer sets
	// them, and they are absent where unknown (Discover leaves them
	// empty, so that a report is reproducible).
	Tool      *Tool   `json:"tool,omitempty"`
	CheckedAt string  `json:"checkedAt,omitempty"`
	URI       string  `json:"uri"`
	Domain    string  `json:"domain"`
	Profile   string  `json:"profile"`
	Policy    Policy  `json:"policy"`
	Outcome   Outcome `json:"outcome"`
	// State is the outcome split four ways (StateOf), set by the
	// application layer once everything is attached (check.Run); absent
	// from reports made before it existed, which renderings then
	// compute. Renderings always use StateOf.
	State  State   `json:"state,omitempty"`
	Target *Target `json:"target,omitempty"`
	// Clients are every client generation's row at a glance
	// (GlanceProfiles), from the same answers, the report's own client
	// among them; the application layer attaches them (check.Run), and
	// Discover leaves them nil.
	Clients    []ClientRow `json:"clients,omitempty"`
	Candidates []Candidate `json:"candidates"`
	Steps      []Step      `json:"steps"`
	Findings   []Finding   `json:"findings"`
	// Register is the sign-in exchange against the target (docs/spec.md
	// §8), attached by the application layer when a sign-in is asked
	// for; Discover leaves it nil.
	Register *Exchange `json:"register,omitempty"`
	// Resolver says where the answers came from; absent from reports
	// made before it was recorded.
	Resolver *ResolverInfo `json:"resolver,omitempty"`
	// View is the side of split-brain DNS the answers came from
	// (Config.View): "inside", "outside", or absent when unknown.
	View View `json:"view,omitempty"`
	// Probe is what the real servers answered when they were observed
	// (sipdisco check --connect; see Probe), attached by the application
	// layer; nil otherwise, and always nil on the page, which cannot
	// open connections and only shows a probe a snapshot carries.
	Probe *Probe `json:"probe,omitempty"`
	// Discovery is, when manual servers are configured, what automatic
	// DNS discovery would have found instead, shown for comparison
	// (docs/spec.md §4.7). It is nil otherwise.
	Discovery *Report `json:"discovery,omitempty"`
}

// ResolverInfo says where a report's answers came from.
type ResolverInfo struct {
	// Kind is ResolverDoH, ResolverDNS, ResolverSystem, ResolverZone,
	// ResolverDemo or ResolverLocal.
	Kind string `json:"kind"`
	// Address is the DoH URL, the DNS servers ("10.0.0.1:53,
	// 10.0.0.2:53"), or the zone files; empty where there is none.
	Address string `json:"address,omitempty"`
	// Description says it in words for the report's "Answers from" line:
	// "the DNS servers 10.0.0.1, 10.0.0.2 from /etc/resolv.conf",
	// "the Windows DNS client".
	Description string `json:"description"`
	// Notes are what the resolver passed over in its data, one line each
	// with file and line: "contoso.com.dns:24: WINS record skipped: ...".
	Notes []string `json:"notes,omitempty"`
}

// The kinds of resolver a report's answers come from.
const (
	// ResolverDoH: a DNS-over-HTTPS endpoint (RFC 8484).
	ResolverDoH = "doh"
	// ResolverDNS: plain DNS servers named by the user (RFC 1035).
	ResolverDNS = "dns"
	// ResolverSystem: the machine's own resolvers, as its clients ask
	// them.
	ResolverSystem = "system"
	// ResolverZone: zone files or a planned zone, no network.
	ResolverZone = "zone"
	// ResolverDemo: the embedded demo zones.
	ResolverDemo = "demo"
	// ResolverLocal: the /dns-query endpoint of the site serving the page.
	ResolverLocal = "local"
)

// Tool is the program that made a report: its name ("sipdisco") and
// version ("1.2.0", "devel").
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Target is the server the client would sign in to.
type Target struct {
	Host      string    `json:"host"`
	Port      uint16    `json:"port"`
	Transport Transport `json:"transport"`
	Addresses []string  `json:"addresses"`
	// Source is the DNS name the candidate came from
	// ("_sipinternaltls._tcp.contoso.com"), SourceFallback for the A-record
	// fallback or SourceManualInternal/SourceManualExternal.
	Source string `json:"source"`
}

// Endpoint returns where the client connects: "sip.contoso.com:5061 TLS".
func (t *Target) Endpoint() string { return Endpoint(t.Host, t.Port, t.Transport) }

// The sources of candidates that do not come from an SRV name.
const (
	// SourceFallback marks the host-record fallback (docs/spec.md §4.5).
	SourceFallback = "fallback"
	// SourceManualInternal and SourceManualExternal mark the manually
	// configured servers (docs/spec.md §4.7).
	SourceManualInternal = "manual-internal"
	SourceManualExternal = "manual-external"
	// SourceAutodiscover marks a predicted target: only the Autodiscover
	// web service leads anywhere, and the target is the web service the
	// client asks for its home pool (docs/spec.md §4.9; docs/adr/
	// 0013-autodiscover-is-predicted-not-indeterminate.md).
	SourceAutodiscover = "autodiscover"
)

// Endpoint formats a host, port and transport the one way every rendering
// shows them: "sip.contoso.com:5061 TLS".
func Endpoint(host string, port uint16, t Transport) string {
	return host + ":" + strconv.Itoa(int(port)) + " " + string(t)
}

// Candidate is one server the client considers, in the order it would try
// them. Refused candidates are kept, with the reason.
type Candidate struct {
	Host      string    `json:"host"`
	Port      uint16    `json:"port"`
	Transport Transport `json:"transport"`
	Source    string    `json:"source"`
	Accepted  bool      `json:"accepted"`
	Reason    string    `json:"reason"`
	Addresses []string  `json:"addresses,omitempty"`
}

// Endpoint returns where the client would connect: "pool01.contoso.com:5061 TLS".
func (c Candidate) Endpoint() string { return Endpoint(c.Host, c.Port, c.Transport) }

// Step is one DNS question the analyzer asked and what came back.
type Step struct {
	Question string `json:"question"`
	Type     Type   `json:"type"`
	// RCode is the answer's response code, NoRCode (written "") when no
	// answer was obtained.
	RCode   RCode    `json:"rcode"`
	Answers []string `json:"answers"`
	MS      int64    `json:"ms"`
	// Error says why no answer was obtained (timeout, bad DoH response);
	// RCode is then NoRCode.
	Error string `json:"error,omitempty"`
	// Server names the server that answered, when the resolver asks
	// several (plain DNS); see Answer.Server.
	Server string `json:"server,omitempty"`
	// Round numbers the parallel rounds: every question of a round was
	// sent at the same time.
	Round int `json:"round"`
	// Purpose is, for a question sipdisco asks to check the DNS rather
	// than because the client would ask it then, why it was asked:
	// PurposeWildcardProbe, PurposeInternalOnly or PurposeFixAddress. Empty for the client's
	// own questions.
	Purpose string `json:"purpose,omitempty"`
	// From is, for an answer not asked but read from the additional
	// section of another answer (Answer.Additional), that answer's
	// question ("_sip._tls.contoso.com SRV"); the step then has that
	// answer's round and time.
	From string `json:"from,omitempty"`
}

// The purposes of the questions discovery asks besides the client's.
const (
	// PurposeWildcardProbe: a random name under the sign-in domain, which
	// should not exist; an answer shows a wildcard record (RFC 4592).
	PurposeWildcardProbe = "wildcard-probe"
	// PurposeInternalOnly: in the outside view, a name that belongs in
	// internal DNS only, asked whether or not the client would reach it.
	PurposeInternalOnly = "internal-only"
	// PurposeFixAddress: the address of a server the client refuses (the
	// naming policy), asked so that the fix can publish that address
	// under a name the policy allows.
	PurposeFixAddress = "fix-address"
)

// PurposeText says in words why a question with purpose p was asked, for
// the steps of a rendered report; "" for the client's own questions.
func PurposeText(p string) string {
	switch p {
	case PurposeWildcardProbe:
		return "wildcard probe: a random name that should not exist"
	case PurposeInternalOnly:
		return "asked for the outside view: a name for internal DNS only"
	case PurposeFixAddress:
		return "asked for the fix: the address of a server the client refuses"
	}
	return ""
}

// Answered reports whether the question got an answer, whatever its RCode.
func (s Step) Answered() bool { return s.Error == "" && s.RCode != NoRCode }

// Failed reports a lookup that says nothing about the name: no answer at
// all, or a server that failed or refused (docs/spec.md §4.8). NOERROR and
// NXDOMAIN are definite.
func (s Step) Failed() bool {
	return !s.Answered() || s.RCode != RCodeSuccess && s.RCode != RCodeNameError
}

// HasRecords reports a NOERROR answer with records in it.
func (s Step) HasRecords() bool { return s.Answered() && s.RCode == RCodeSuccess && len(s.Answers) > 0 }

// Result is the step's outcome in words: the RCode, or "no answer: "
// and the error.
func (s Step) Result() string {
	if !s.Answered() {
		return "no answer: " + s.Error
	}
	return s.RCode.String()
}

// Severity ranks findings.
type Severity string

// Finding severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Finding is one observation, in plain language with a concrete fix. All
// fields are plain text (never HTML); renderers must escape them.
type Finding struct {
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	Subject  string   `json:"subject"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
	// Records are the records Fix says to publish or delete, in the
	// order it gives them, as data (FixRecord); absent when the fix is
	// advice in words only.
	Records []FixRecord `json:"records,omitempty"`
}

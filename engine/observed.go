package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds what sipdisco check --connect observed of the real
// servers: the report's "probe" field, as plain data. Package
// probe parses and judges it (its package comment describes the
// JSON shape field by field) and the command line's prober brings the
// bytes; the types live here, like the simulated Exchange, so that a
// Report is one type everywhere — in the command line's JSON, in a
// snapshot link and on the page (docs/adr/0010-the-probe-is-part-of-the-report.md).
// Every string in these types that came from a server is the server's
// text: renderers escape it.

// Probe is what the real servers answered: one ProbeAttempt per
// connection, in the order they were made, and the findings that concern
// the whole (no server answered, the first candidate failed, and where
// the real server differs from the simulated exchange).
type Probe struct {
	// Address is the sign-in address the REGISTER carried, Client the
	// client generation it was built as (a profile name) and UserAgent
	// the User-Agent it sent.
	Address   string `json:"address"`
	Client    string `json:"client"`
	UserAgent string `json:"userAgent"`
	// Started is when the first connection was opened, in the form
	// 2026-11-25T14:41:59Z.
	Started  string         `json:"started"`
	Attempts []ProbeAttempt `json:"attempts"`
	Findings []Finding      `json:"findings"`
	// Autodiscover is what the Autodiscover web service answered, for
	// a client that asks it first (Lync 2013, Skype for Business); nil
	// for other clients.
	Autodiscover *AutodiscoverProbe `json:"autodiscover,omitempty"`
}

// Answered returns the first attempt whose server answered in SIP — the
// server the client would sign in on — and whether there is one.
func (p Probe) Answered() (ProbeAttempt, bool) {
	for _, a := range p.Attempts {
		if a.Outcome == ProbeAnswered {
			return a, true
		}
	}
	return ProbeAttempt{}, false
}

// AllFindings returns every finding: each attempt's, in order, then the
// probe's own. The Autodiscover web service's are its own
// (AutodiscoverProbe.AllFindings).
func (p Probe) AllFindings() []Finding {
	var out []Finding
	for _, a := range p.Attempts {
		out = append(out, a.Findings...)
	}
	return append(out, p.Findings...)
}

// ProbeOutcome is how an attempt ended.
type ProbeOutcome string

// Attempt outcomes.
const (
	// ProbeAnswered: a SIP response to the REGISTER was read.
	ProbeAnswered ProbeOutcome = "answered"
	// ProbeFailed: the connection, the TLS handshake, the sending or the
	// response failed; Failure says how.
	ProbeFailed ProbeOutcome = "failed"
	// ProbeSkipped: the candidate was not contacted; Failure says why
	// (its transport is not allowed, it has no address).
	ProbeSkipped ProbeOutcome = "skipped"
)

// ProbeAttempt is one connection to one server and what happened on it.
type ProbeAttempt struct {
	// Host, Port and Transport are the candidate's, as discovery gave
	// them (or the redirect's target).
	Host      string    `json:"host"`
	Port      uint16    `json:"port"`
	Transport Transport `json:"transport"`
	// Source is the candidate's source (the SRV name, SourceFallback,
	// SourceManualInternal, ...) or "redirect".
	Source string `json:"source"`
	// Reason is ConnectionDiscovered or ConnectionRedirected, as in the
	// simulated exchange's connections.
	Reason string `json:"reason"`
	// Remote is the IP address and port connected to, empty when no
	// connection was made.
	Remote string `json:"remote,omitempty"`
	// ConnectMS is how long the TCP connection took to open (or to fail).
	ConnectMS int64 `json:"connectMs"`
	// TLS is what the TLS handshake gave; nil over TCP or when it never
	// started.
	TLS *ProbeTLS `json:"tls,omitempty"`
	// Request is the REGISTER sent, exactly: its String is the bytes on
	// the wire. It carries no credentials.
	Request *Message `json:"request,omitempty"`
	// Provisional are the start lines of any 1xx responses before the
	// final one.
	Provisional []string `json:"provisional,omitempty"`
	// Response is the final response, when one was read (its head, even
	// when the body was refused).
	Response *SIPResponse `json:"response,omitempty"`
	// ResponseMS is the time from sending the REGISTER to the end of the
	// response.
	ResponseMS int64 `json:"responseMs,omitempty"`
	// Outcome is ProbeAnswered, ProbeFailed or ProbeSkipped.
	Outcome ProbeOutcome `json:"outcome"`
	// Failure says what went wrong; nil when answered.
	Failure  *ProbeFailure `json:"failure,omitempty"`
	Findings []Finding     `json:"findings"`
}

// ProbeFailure is how an attempt failed: at which stage, what kind of
// failure (package probe's Stage and Fail constants, and its ParseError
// kinds), and a sentence with the specifics (the address, the time
// waited, the bytes received, escaped).
type ProbeFailure struct {
	Stage   ProbeStage       `json:"stage"`
	Kind    ProbeFailureKind `json:"kind"`
	Message string           `json:"message"`
}

// ProbeStage is the part of an attempt a failure happened in.
type ProbeStage string

// Stages of an attempt.
const (
	ProbeStageResolve  ProbeStage = "resolve"
	ProbeStageConnect  ProbeStage = "connect"
	ProbeStageTLS      ProbeStage = "tls"
	ProbeStageSend     ProbeStage = "send"
	ProbeStageResponse ProbeStage = "response"
)

// ProbeFailureKind says what kind of failure ended an attempt
// ("refused", "timeout", "tls-alert", "http", ...).
type ProbeFailureKind string

// ProbeTLS is what a TLS handshake gave: the parameters negotiated, the
// chain the server presented, and how it fares against the client's
// rules and against trusted roots.
type ProbeTLS struct {
	// ServerName is the name sent as SNI (RFC 6066 §3): the host
	// discovery found.
	ServerName string `json:"serverName"`
	// Version is the TLS version ("TLS 1.2"), CipherSuite the cipher
	// suite's IANA name.
	Version     string `json:"version"`
	CipherSuite string `json:"cipherSuite"`
	// HandshakeMS is how long the handshake took.
	HandshakeMS int64 `json:"handshakeMs"`
	// Chain describes each certificate the server sent, its own first.
	Chain []CertSummary `json:"chain"`
	// Covered says the server's certificate names the host, By by which
	// of its names ("DNS:sip.contoso.com"); SIPDomain is sip.<domain>
	// and SIPDomainCovered whether the certificate names it too.
	Covered          bool   `json:"covered"`
	By               string `json:"by,omitempty"`
	SIPDomain        string `json:"sipDomain,omitempty"`
	SIPDomainCovered bool   `json:"sipDomainCovered,omitempty"`
	// InValidity: now is within the certificate's validity dates;
	// ServerAuth: its key usages allow a TLS server; ChainOK: each
	// certificate is signed by the next.
	InValidity bool `json:"inValidity"`
	ServerAuth bool `json:"serverAuth"`
	ChainOK    bool `json:"chainOk"`
	// Trust is the verification against each set of roots given (the
	// system's, a --ca file).
	Trust []CertTrust `json:"trust"`
}

// CertSummary is one certificate as a person reads it (package
// certcheck's Summary).
type CertSummary struct {
	Subject      string    `json:"subject"`
	CommonName   string    `json:"commonName,omitempty"`
	Issuer       string    `json:"issuer"`
	SerialNumber string    `json:"serialNumber"`
	DNSNames     []string  `json:"dnsNames"`
	NotBefore    time.Time `json:"notBefore"`
	NotAfter     time.Time `json:"notAfter"`
	KeyUsage     []string  `json:"keyUsage"`
	ExtKeyUsage  []string  `json:"extKeyUsage"`
	PublicKey    string    `json:"publicKey"`
	IsCA         bool      `json:"isCA"`
	SelfSigned   bool      `json:"selfSigned"`
}

// Why a chain is not trusted: the values of CertTrust.Problem.
const (
	// TrustUnknownAuthority: no path leads to any of the roots: the
	// issuing CA is not trusted, or the server does not send the
	// intermediate certificates between its own and the root.
	TrustUnknownAuthority = "unknown-authority"
	// TrustExpired: a certificate on the path is outside its validity
	// dates.
	TrustExpired = "expired"
	// TrustUsage: a certificate on the path may not be used for TLS
	// server authentication.
	TrustUsage = "usage"
	// TrustInvalid: any other reason (a CA certificate that may not sign,
	// a name constraint, too many intermediates).
	TrustInvalid = "invalid"
)

// CertTrust is the result of building a certification path from a chain
// a server presented to one set of trusted root certificates (RFC 5280
// §6; package certcheck's Trust): whether it leads to one of them, by
// which certificates, and if not, why.
type CertTrust struct {
	// Roots names the set of roots, as the caller labelled it
	// ("system", "--ca ca.pem").
	Roots string `json:"roots"`
	// Trusted: a path from the server's certificate to one of the roots
	// exists, every certificate on it valid now and allowed to
	// authenticate a TLS server.
	Trusted bool `json:"trusted"`
	// Path is the subject of each certificate on the path found, the
	// server's first and the root last.
	Path []string `json:"path,omitempty"`
	// Problem is why no path was found: TrustUnknownAuthority,
	// TrustExpired, TrustUsage or TrustInvalid; Error is the verifier's
	// own words.
	Problem string `json:"problem,omitempty"`
	Error   string `json:"error,omitempty"`
}

// String says in a sentence what t found.
func (t CertTrust) String() string {
	if t.Trusted {
		return fmt.Sprintf("trusted by the %s roots, through %d certificates", t.Roots, len(t.Path))
	}
	switch t.Problem {
	case TrustUnknownAuthority:
		return fmt.Sprintf("not trusted by the %s roots: the chain does not lead to any of them", t.Roots)
	case TrustExpired:
		return fmt.Sprintf("not trusted by the %s roots: a certificate on the path is outside its validity dates", t.Roots)
	case TrustUsage:
		return fmt.Sprintf("not trusted by the %s roots: a certificate on the path may not authenticate a TLS server", t.Roots)
	}
	return fmt.Sprintf("not trusted by the %s roots: %s", t.Roots, t.Error)
}

// SIPResponse is a SIP response as it arrived: its start line, its header
// fields in order (names as the server spelt them, compact forms
// included) and its body, with what sipdisco reads from them.
type SIPResponse struct {
	StartLine string `json:"startLine"`
	Status    int    `json:"status"`
	Reason    string `json:"reason"`
	// Headers are every header field in order, folded lines joined with
	// one space (RFC 3261 §7.3.1).
	Headers []Header `json:"headers"`
	// ContentLength is the Content-Length the server gave, -1 if none.
	ContentLength int `json:"contentLength"`
	// Body is the body as read, bounded by the prober.
	Body string `json:"body,omitempty"`
	// Challenges are the WWW-Authenticate and Proxy-Authenticate headers,
	// parsed, in order.
	Challenges []SIPChallenge `json:"challenges,omitempty"`
	// Diagnostics are the ms-diagnostics and ms-diagnostics-public
	// headers, decoded.
	Diagnostics []SIPDiagnostic `json:"diagnostics,omitempty"`
	// Server and UserAgent are the Server and User-Agent headers: the
	// software that answered (RFC 3261 §20.35, §20.41).
	Server    string `json:"server,omitempty"`
	UserAgent string `json:"userAgent,omitempty"`
	// Redirect is the target of a 301 or 302 (its first Contact).
	Redirect *SIPRedirect `json:"redirect,omitempty"`
}

// Get returns the values of every header field named name, matching
// case-insensitively and treating a compact form (RFC 3261 §7.3.3: "i"
// for Call-ID, "m" for Contact, "l" for Content-Length, ...) as its full
// name.
func (r SIPResponse) Get(name string) []string {
	want := CanonicalHeaderName(name)
	var out []string
	for _, h := range r.Headers {
		if CanonicalHeaderName(h.Name) == want {
			out = append(out, h.Value)
		}
	}
	return out
}

// compactForms are the single-letter header names of RFC 3261 §7.3.3
// and §20, and of the extensions that define one (RFC 3265 o and u,
// RFC 3515 r, RFC 3892 b, RFC 4028 x, RFC 3841 a, j and d, RFC 4474 y
// and n).
var compactForms = map[string]string{
	"i": "call-id", "m": "contact", "e": "content-encoding", "l": "content-length",
	"c": "content-type", "f": "from", "s": "subject", "k": "supported", "t": "to", "v": "via",
	"o": "event", "u": "allow-events", "r": "refer-to", "b": "referred-by", "x": "session-expires",
	"a": "accept-contact", "j": "reject-contact", "d": "request-disposition", "y": "identity", "n": "identity-info",
}

// CanonicalHeaderName returns a SIP header field name in lower case with
// a compact form replaced by its full name: "l" and "Content-Length"
// both give "content-length".
func CanonicalHeaderName(name string) string {
	n := strings.ToLower(name)
	if full, ok := compactForms[n]; ok {
		return full
	}
	return n
}

// SIPParam is one parameter of a challenge or a diagnostic, its value
// unquoted.
type SIPParam struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SIPChallenge is one WWW-Authenticate or Proxy-Authenticate header field
// read as RFC 3261 §25.1's challenge (scheme, then comma-separated
// name=value parameters), with the parameters [MS-SIPAE] §2.2.2 gives the
// Microsoft protocols picked out.
type SIPChallenge struct {
	// Header is "WWW-Authenticate" or "Proxy-Authenticate", as spelt.
	Header string `json:"header"`
	// Scheme is the scheme as the server wrote it; Protocol is its
	// canonical name: "NTLM", "Kerberos", "TLS-DSK", "Digest", "Basic",
	// or the scheme itself when sipdisco does not know it.
	Scheme   string `json:"scheme"`
	Protocol string `json:"protocol"`
	Realm    string `json:"realm,omitempty"`
	// TargetName is the server's FQDN for NTLM and TLS-DSK and its
	// service principal "sip/<fqdn>" for Kerberos ([MS-SIPAE] §3.2.5.2).
	TargetName string `json:"targetName,omitempty"`
	// Version is the version parameter (3 for OCS 2007, 4 for OCS 2007
	// R2 and Lync, [MS-SIPAE] §3.3.5.1), 0 when absent.
	Version int `json:"version,omitempty"`
	// StsURI is the Certificate Provisioning service of a TLS-DSK
	// challenge.
	StsURI string `json:"stsUri,omitempty"`
	Opaque string `json:"opaque,omitempty"`
	// Nonce, Algorithm and QOP are Digest's (RFC 3261 §25.1).
	Nonce     string `json:"nonce,omitempty"`
	Algorithm string `json:"algorithm,omitempty"`
	QOP       string `json:"qop,omitempty"`
	// Params are every parameter in order, the ones above included.
	Params []SIPParam `json:"params,omitempty"`
	// Error says why the value could not be read; the fields above are
	// then what was read before the problem.
	Error string `json:"error,omitempty"`
}

// SIPDiagnostic is one ms-diagnostics or ms-diagnostics-public header
// field, decoded ("Ms-Diagnostics Header", Office Communications Server
// 2007 documentation; the error IDs of [MS-OCER]).
type SIPDiagnostic struct {
	// Header is the field name as the server spelt it.
	Header string `json:"header"`
	// Code is the error ID; SubCode the sub error code after a dot, 0
	// when absent.
	Code    int `json:"code"`
	SubCode int `json:"subCode,omitempty"`
	// Reason and Source are the server's own words and the server that
	// raised the error.
	Reason string `json:"reason,omitempty"`
	Source string `json:"source,omitempty"`
	// Params are every parameter after the code, in order.
	Params []SIPParam `json:"params,omitempty"`
	// Component is the part of the server the code's range belongs to
	// ("SIP stack", "User Services (other)", ...).
	Component string `json:"component,omitempty"`
	// Documented is [MS-OCER]'s reason string for Code, empty when the
	// code is not among those sipdisco carries. Meaning and Fix say in
	// plain words what it means for sign-in and what to do, where that
	// is known.
	Documented string `json:"documented,omitempty"`
	Meaning    string `json:"meaning,omitempty"`
	Fix        string `json:"fix,omitempty"`
	// Error says why the value could not be read.
	Error string `json:"error,omitempty"`
}

// SIPRedirect is where a 301 or 302 sends the client: the first Contact
// of the response ([MS-SIPREGE]: a Director, or a pool that does not
// home the user, names the home pool).
type SIPRedirect struct {
	// Contact is the header value as sent.
	Contact string `json:"contact"`
	// URI is the SIP URI inside it.
	URI string `json:"uri,omitempty"`
	// Host, Port and Transport are where the client connects next;
	// Transport is empty when the URI names none, and Port 0 when it
	// gives none (the transport's default applies).
	Host      string    `json:"host,omitempty"`
	Port      uint16    `json:"port,omitempty"`
	Transport Transport `json:"transport,omitempty"`
	// Error says why the Contact gives no usable target.
	Error string `json:"error,omitempty"`
}

// Limits on what a server may send, which the prober applies as it
// reads. A challenge from Office Communications Server or Lync is about
// 1 KiB (the 401 of [MS-SIPAE] §4.1 with three WWW-Authenticate
// headers), so these leave room for a verbose server while stopping a
// hostile one early.
const (
	// SIPMaxHeaderFields is the most header fields one response may
	// have.
	SIPMaxHeaderFields = 128
	// SIPMaxBodyBytes is the largest body read; a response announcing a
	// larger one is not read further.
	SIPMaxBodyBytes = 16 << 10
)

// Limits on a Probe read from outside (a pasted JSON, a snapshot link),
// which may have been made by hand: a little more than a prober ever
// produces.
const (
	// MaxProbeAttempts is the most attempts a probe may hold.
	MaxProbeAttempts = 32
	// MaxProbeFindings is the most findings of one attempt, or of the
	// whole.
	MaxProbeFindings = 128
	// maxProbeField is the longest single string accepted.
	maxProbeField = 4 << 10
)

// Validate checks a Probe decoded from JSON someone else produced before
// a page renders it: its sizes are within what a prober produces, its
// enumerations (outcome, stage, transport, severity) are known values and
// every attempt that answered has a response. The error names the first
// offending field, as "attempts[2].outcome: ...". It does not re-judge
// anything: the findings are shown as they came, escaped by the renderer.
func (r Probe) Validate() error {
	if len(r.Attempts) > MaxProbeAttempts {
		return badField("attempts", "%d attempts; a probe makes at most %d", len(r.Attempts), MaxProbeAttempts)
	}
	if err := checkProbeFindings("findings", r.Findings); err != nil {
		return err
	}
	for _, s := range []struct{ name, v string }{{"address", r.Address}, {"client", r.Client}, {"userAgent", r.UserAgent}, {"started", r.Started}} {
		if len(s.v) > maxProbeField {
			return badField(s.name, "longer than %d bytes", maxProbeField)
		}
	}
	for i, a := range r.Attempts {
		if err := a.validate(fmt.Sprintf("attempts[%d]", i)); err != nil {
			return err
		}
	}
	if r.Autodiscover != nil {
		return r.Autodiscover.validate("autodiscover")
	}
	return nil
}

// badField is a validation error of the named field.
func badField(field, format string, args ...any) error {
	return fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
}

// validate is Probe.Validate for one attempt, named f in errors.
func (a ProbeAttempt) validate(f string) error {
	if a.Transport != TLS && a.Transport != TCP {
		return badField(f+".transport", "%s is not TLS or TCP", quoteField(string(a.Transport)))
	}
	if !slices.Contains([]ProbeOutcome{ProbeAnswered, ProbeFailed, ProbeSkipped}, a.Outcome) {
		return badField(f+".outcome", "%s is not answered, failed or skipped", quoteField(string(a.Outcome)))
	}
	if a.Outcome == ProbeAnswered && a.Response == nil {
		return badField(f+".response", "an answered attempt has no response")
	}
	if a.Outcome != ProbeAnswered && a.Failure == nil {
		return badField(f+".failure", "a %s attempt says nothing about why", a.Outcome)
	}
	if a.Failure != nil && !slices.Contains([]ProbeStage{ProbeStageResolve, ProbeStageConnect, ProbeStageTLS, ProbeStageSend, ProbeStageResponse}, a.Failure.Stage) {
		return badField(f+".failure.stage", "%s is not a stage", quoteField(string(a.Failure.Stage)))
	}
	for _, s := range []struct{ name, v string }{{"host", a.Host}, {"source", a.Source}, {"remote", a.Remote}} {
		if len(s.v) > maxProbeField {
			return badField(f+"."+s.name, "longer than %d bytes", maxProbeField)
		}
	}
	if err := checkProbeFindings(f+".findings", a.Findings); err != nil {
		return err
	}
	if a.Request != nil && len(a.Request.Headers) > SIPMaxHeaderFields {
		return badField(f+".request.headers", "more than %d header fields", SIPMaxHeaderFields)
	}
	if t := a.TLS; t != nil && (len(t.Chain) > 16 || len(t.Trust) > 4) {
		return badField(f+".tls", "%d certificates and %d trust results; a server sends a handful", len(t.Chain), len(t.Trust))
	}
	if a.Response != nil {
		return a.Response.validate(f + ".response")
	}
	return nil
}

// validate checks the sizes and status of a response read from JSON,
// named f in errors.
func (resp *SIPResponse) validate(f string) error {
	switch {
	case len(resp.Headers) > SIPMaxHeaderFields:
		return badField(f+".headers", "more than %d header fields", SIPMaxHeaderFields)
	case len(resp.Body) > SIPMaxBodyBytes:
		return badField(f+".body", "longer than %d bytes", SIPMaxBodyBytes)
	case resp.Status < 100 || resp.Status > 699:
		return badField(f+".status", "%d is not a SIP status code", resp.Status)
	case len(resp.Challenges) > SIPMaxHeaderFields || len(resp.Diagnostics) > SIPMaxHeaderFields:
		return badField(f, "more challenges or diagnostics than header fields")
	}
	return nil
}

func checkProbeFindings(field string, fs []Finding) error {
	if len(fs) > MaxProbeFindings {
		return fmt.Errorf("%s: %d findings; at most %d", field, len(fs), MaxProbeFindings)
	}
	for i, f := range fs {
		if !slices.Contains([]Severity{SeverityError, SeverityWarning, SeverityInfo}, f.Severity) {
			return fmt.Errorf("%s[%d].severity: %s is not error, warning or info", field, i, quoteField(string(f.Severity)))
		}
		if len(f.Message) > maxProbeField || len(f.Fix) > maxProbeField || len(f.Subject) > maxProbeField || len(f.Kind) > 64 {
			return fmt.Errorf("%s[%d]: a field longer than %d bytes", field, i, maxProbeField)
		}
	}
	return nil
}

// quoteField returns s in Go quoted form, cut to 80 bytes, so that an
// error shows hostile bytes escaped.
func quoteField(s string) string {
	if len(s) > 80 {
		return strconv.Quote(s[:80]) + "…"
	}
	return strconv.Quote(s)
}

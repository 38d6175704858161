package probe

import (
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/certcheck"
)

// Result is what the real servers answered: one Attempt per connection,
// in the order they were made, and the findings that concern the whole.
// Its JSON form is the "probe" field of the report (see the package
// comment).
type Result struct {
	// Address is the sign-in address the REGISTER carried, Client the
	// client generation it was built as (an engine profile name) and
	// UserAgent the User-Agent it sent.
	Address   string `json:"address"`
	Client    string `json:"client"`
	UserAgent string `json:"userAgent"`
	// Started is when the first connection was opened, in the form
	// 2026-11-25T14:41:59Z.
	Started  string           `json:"started"`
	Attempts []Attempt        `json:"attempts"`
	Findings []engine.Finding `json:"findings"`
}

// Answered returns the first attempt whose server answered in SIP — the
// server the client would sign in on — and whether there is one.
func (r Result) Answered() (Attempt, bool) {
	for _, a := range r.Attempts {
		if a.Outcome == Answered {
			return a, true
		}
	}
	return Attempt{}, false
}

// AllFindings returns every finding: each attempt's, in order, then the
// result's own.
func (r Result) AllFindings() []engine.Finding {
	var out []engine.Finding
	for _, a := range r.Attempts {
		out = append(out, a.Findings...)
	}
	return append(out, r.Findings...)
}

// Outcome is how an attempt ended.
type Outcome string

// Attempt outcomes.
const (
	// Answered: a SIP response to the REGISTER was read.
	Answered Outcome = "answered"
	// Failed: the connection, the TLS handshake, the sending or the
	// response failed; Failure says how.
	Failed Outcome = "failed"
	// Skipped: the candidate was not contacted; Failure says why (its
	// transport is not allowed, it has no address).
	Skipped Outcome = "skipped"
)

// SourceRedirect is the source of an attempt made to follow a redirect.
const SourceRedirect = "redirect"

// Attempt is one connection to one server and what happened on it.
type Attempt struct {
	// Host, Port and Transport are the candidate's, as discovery gave
	// them (or the redirect's target).
	Host      string           `json:"host"`
	Port      uint16           `json:"port"`
	Transport engine.Transport `json:"transport"`
	// Source is the candidate's source (the SRV name,
	// engine.SourceFallback, engine.SourceManualInternal, ...) or
	// SourceRedirect.
	Source string `json:"source"`
	// Reason is engine.ConnectionDiscovered or
	// engine.ConnectionRedirected, as in the simulated exchange's
	// connections.
	Reason string `json:"reason"`
	// Remote is the IP address and port connected to, empty when no
	// connection was made.
	Remote string `json:"remote,omitempty"`
	// ConnectMS is how long the TCP connection took to open (or to fail).
	ConnectMS int64 `json:"connectMs"`
	// TLS is what the TLS handshake gave; nil over TCP or when it never
	// started.
	TLS *TLSInfo `json:"tls,omitempty"`
	// Request is the REGISTER sent, exactly: its String is the bytes on
	// the wire. It carries no credentials.
	Request *engine.Message `json:"request,omitempty"`
	// Provisional are the start lines of any 1xx responses before the
	// final one.
	Provisional []string `json:"provisional,omitempty"`
	// Response is the final response, when one was read (its head, even
	// when the body was refused).
	Response *Response `json:"response,omitempty"`
	// ResponseMS is the time from sending the REGISTER to the end of the
	// response.
	ResponseMS int64 `json:"responseMs,omitempty"`
	// Outcome is Answered, Failed or Skipped.
	Outcome Outcome `json:"outcome"`
	// Failure says what went wrong; nil when answered.
	Failure  *Failure         `json:"failure,omitempty"`
	Findings []engine.Finding `json:"findings"`
}

// Failure is how an attempt failed: at which stage, what kind of failure,
// and a sentence with the specifics (the address, the time waited, the
// bytes received, escaped).
type Failure struct {
	Stage   Stage       `json:"stage"`
	Kind    FailureKind `json:"kind"`
	Message string      `json:"message"`
}

// Stage is the part of an attempt a failure happened in.
type Stage string

// Stages of an attempt.
const (
	StageResolve  Stage = "resolve"
	StageConnect  Stage = "connect"
	StageTLS      Stage = "tls"
	StageSend     Stage = "send"
	StageResponse Stage = "response"
)

// FailureKind says what kind of failure ended an attempt.
type FailureKind string

// Failure kinds, beside the ParseError kinds (ErrHTTP, ErrTLSRecord,
// ErrRequest, ErrNotSIP, ErrMalformed, ErrTooLarge), which a response
// failure carries as they are.
const (
	// FailRefused: the connection was refused (nothing listens).
	FailRefused FailureKind = "refused"
	// FailReset: the server reset the connection.
	FailReset FailureKind = "reset"
	// FailTimeout: no answer within the time limit of the stage.
	FailTimeout FailureKind = "timeout"
	// FailUnreachable: no route to the address.
	FailUnreachable FailureKind = "unreachable"
	// FailNoAddress: the host has no address to connect to.
	FailNoAddress FailureKind = "no-address"
	// FailTLSAlert: the server ended the TLS handshake with an alert.
	FailTLSAlert FailureKind = "tls-alert"
	// FailNotTLS: the server answered the TLS handshake with something
	// else (clear-text SIP, HTTP).
	FailNotTLS FailureKind = "not-tls"
	// FailTLS: the TLS handshake failed otherwise.
	FailTLS FailureKind = "tls"
	// FailClosed: the server closed the connection before a complete
	// response.
	FailClosed FailureKind = "closed"
	// FailBodyTooLarge: the response announced a body over MaxBodyBytes.
	FailBodyTooLarge FailureKind = "body-too-large"
	// FailMismatch: the response is not for the REGISTER sent (another
	// Call-ID or CSeq).
	FailMismatch FailureKind = "mismatch"
	// FailNotAllowed: the candidate's transport is not allowed by the
	// policy, or the redirect's target is not usable.
	FailNotAllowed FailureKind = "not-allowed"
	// FailOther: anything else; Message says what.
	FailOther FailureKind = "other"
)

// TLSInfo is what the TLS handshake gave: the parameters negotiated, the
// chain the server presented, and how it fares against the client's
// rules and against trusted roots.
type TLSInfo struct {
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
	Chain []certcheck.Summary `json:"chain"`
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
	Trust []certcheck.Trust `json:"trust"`
}

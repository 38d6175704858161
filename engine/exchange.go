package engine

import (
	"strconv"
	"strings"
)

// Exchange is a sign-in exchange after discovery and what it means: the
// report's "register" field. Package signin simulates it (the
// unauthenticated REGISTER, the server's challenge, the client's answer);
// its doc comment describes the JSON shape. Discover does not produce it:
// the application layer attaches it to the report.
type Exchange struct {
	// Client is the client profile's name.
	Client string `json:"client"`
	// Connections are the transport connections the client opens, in
	// order, with what happens on each before SIP: one, or two when the
	// server redirects the client to its home pool. Messages are sent on
	// them (Connection.FirstMessage); a refused certificate ends the
	// exchange on its connection with no message.
	Connections []Connection `json:"connections,omitempty"`
	Messages    []Message    `json:"messages"`
	// Protocol is the authentication protocol the client chose, empty if
	// it could not choose one.
	Protocol string `json:"protocol,omitempty"`
	// Outcome is SignInRegistered, SignInFailed or SignInNotSent.
	Outcome SignInOutcome `json:"outcome"`
	// Failure is the failure kind (KindNoCredentials, ...), empty unless
	// the outcome is SignInFailed.
	Failure Kind `json:"failure,omitempty"`
	// Explanation says in plain language what happened and why.
	Explanation string `json:"explanation"`
	// Fix says what to change, empty when registered.
	Fix string `json:"fix,omitempty"`
}

// SignInOutcome is how a sign-in exchange ends.
type SignInOutcome string

// The outcomes of a sign-in exchange.
const (
	SignInRegistered SignInOutcome = "registered"
	SignInFailed     SignInOutcome = "failed"
	// SignInNotSent: discovery found no server (or a failed lookup makes
	// it unknown), so no REGISTER is sent at all.
	SignInNotSent SignInOutcome = "not-sent"
)

// Connection is one transport connection of an exchange and what happens
// on it before the first REGISTER: Office Communicator Sign-in and
// Discovery says "it tries to connect by using TCP or TLS over TCP. If TLS
// is used, the server provides a certificate to authenticate itself to the
// client. The client must validate the certificate before it continues.
// The client might negotiate compression (if using TLS over TCP), and then
// it initiates a SIP registration."
//
// The messages sent on a connection are Exchange.Messages from
// FirstMessage up to the next connection's FirstMessage (or the end); a
// connection that fails before any message has FirstMessage equal to the
// number of messages.
type Connection struct {
	// Host and Port are where the client connects: the server discovery
	// found, or the home pool a 301 named.
	Host string `json:"host"`
	Port int    `json:"port"`
	// Transport is "tls" or "tcp".
	Transport string `json:"transport"`
	// Reason is ConnectionDiscovered or ConnectionRedirected.
	Reason string `json:"reason"`
	// TLS is the certificate check; nil for TCP.
	TLS *TLSCheck `json:"tls,omitempty"`
	// Compression is set when the client negotiated compression on this
	// connection (the NEGOTIATE request and its 200 OK are the first two
	// messages on it).
	Compression bool `json:"compression,omitempty"`
	// FirstMessage is the index in Exchange.Messages of the first message
	// sent on this connection.
	FirstMessage int `json:"firstMessage"`
	// Steps say what happened on the connection before SIP, in order, for
	// a list beside the ladder: the TCP connection, the certificate check,
	// the compression negotiation.
	Steps []ConnectionStep `json:"steps"`
}

// Why a connection is opened.
const (
	// ConnectionDiscovered: to the server discovery found.
	ConnectionDiscovered = "discovered"
	// ConnectionRedirected: to the home pool a 301 Redirect named.
	ConnectionRedirected = "redirected"
)

// TLSCheck is the client's check of the server's certificate.
type TLSCheck struct {
	// Status is CertAssumed, CertValid, CertNameMismatch or CertExpired.
	Status string `json:"status"`
	// Names are the certificate's names as given; empty when none were
	// given and the name check was not simulated.
	Names []string `json:"names,omitempty"`
	// MatchedBy is the name that covers the host, a wildcard perhaps.
	MatchedBy string `json:"matchedBy,omitempty"`
	// NotAfter is the end of the certificate's validity as given, in the
	// form 2026-11-25T14:41:59Z; empty when the expiry was not checked.
	NotAfter string `json:"notAfter,omitempty"`
}

// Certificate statuses.
const (
	// CertAssumed: no certificate names were given; the certificate is
	// assumed to name the host and to be valid, and nothing is checked.
	CertAssumed = "assumed-valid"
	// CertValid: the checks made pass (the names cover the host, if
	// names were given; the certificate has not expired, if its end date
	// was given).
	CertValid = "valid"
	// CertNameMismatch: none of the names covers the host.
	CertNameMismatch = "name-mismatch"
	// CertExpired: the certificate's validity ended before the sign-in.
	CertExpired = "expired"
)

// ConnectionStep is one thing that happens on a connection before SIP:
// what it is, how it went and a sentence saying so.
type ConnectionStep struct {
	// Kind is StepConnect, StepCertificate or StepCompression.
	Kind string `json:"kind"`
	// Status is StepOK, StepAssumed (not simulated, taken to succeed),
	// StepFailed or StepSkipped (asked for but not possible here).
	Status string `json:"status"`
	Text   string `json:"text"`
}

// The kinds and statuses of a ConnectionStep.
const (
	StepConnect     = "connect"
	StepCertificate = "certificate"
	StepCompression = "compression"

	StepOK      = "ok"
	StepAssumed = "assumed"
	StepFailed  = "failed"
	StepSkipped = "skipped"
)

// Direction says which way a message travels.
type Direction string

// The two directions of a REGISTER ladder.
const (
	ClientToServer Direction = "client-to-server"
	ServerToClient Direction = "server-to-client"
)

// Header is one SIP header field, in the order it is sent. A name may
// repeat (one WWW-Authenticate per protocol the server offers).
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Message is one SIP message of an exchange as data: its start line,
// ordered headers and body, plus a short label for a ladder arrow and a
// plain-language note saying what the message means. Content-Length is
// not among Headers: String computes it from Body.
type Message struct {
	Direction Direction `json:"direction"`
	// Label is the arrow's caption: the method or the status, with the
	// CSeq number of a request ("REGISTER (CSeq 2)", "401 Unauthorized").
	Label     string   `json:"label"`
	StartLine string   `json:"startLine"`
	Headers   []Header `json:"headers"`
	Body      string   `json:"body,omitempty"`
	Note      string   `json:"note"`
	// Unverified lists the parts of this message that no public trace or
	// Microsoft document shows (a header's parameter order for this
	// client, a status code), each in a phrase, so that a reader comparing
	// it with a real trace knows what is a guess.
	Unverified []string `json:"unverified,omitempty"`
}

// IsRequest reports whether m is a request (sent by the client).
func (m Message) IsRequest() bool { return m.Direction == ClientToServer }

// Get returns the values of every header named name (case-insensitive),
// in order.
func (m Message) Get(name string) []string {
	var out []string
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

// String returns the message as it would be sent on the wire (RFC 3261
// §7): the start line, each header as "Name: value", a Content-Length
// header with the body's length in bytes, an empty line and the body,
// every line ending in CRLF.
func (m Message) String() string {
	var b strings.Builder
	b.WriteString(m.StartLine)
	b.WriteString("\r\n")
	for _, h := range m.Headers {
		b.WriteString(h.Name)
		b.WriteString(": ")
		b.WriteString(h.Value)
		b.WriteString("\r\n")
	}
	b.WriteString("Content-Length: ")
	b.WriteString(strconv.Itoa(len(m.Body)))
	b.WriteString("\r\n\r\n")
	b.WriteString(m.Body)
	return b.String()
}

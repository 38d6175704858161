package templates

import (
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// RegisterView is the simulated sign-in exchange: the outcome, then the
// ladder, a segment per transport connection.
type RegisterView struct {
	// Outcome is "registered", "failed" or "not-sent".
	Outcome      string
	OutcomeLabel string
	// Failure is the failure kind (engine.KindAddressAndAccountMismatch ...) and
	// FailureTitle its name in words; both empty unless failed.
	Failure      string
	FailureTitle string
	Protocol     string
	Explanation  string
	Fix          string
	// Connections are the ladder's segments in order; none when no
	// REGISTER was sent.
	Connections []ConnectionView
	// MessageCount is the number of messages over every connection.
	MessageCount int
}

// ConnectionView is one transport connection of the exchange and the
// messages sent on it.
type ConnectionView struct {
	N    int
	Host string
	Port string
	// Address is Host:Port, or Host when the port is unknown.
	Address   string
	Transport string // "TLS" or "TCP"
	// Reason is engine.ConnectionDiscovered or engine.ConnectionRedirected; ReasonLabel
	// says it in words.
	Reason      string
	ReasonLabel string
	// TLS is the certificate status (engine.CertValid ...), empty for
	// TCP.
	TLS         string
	Compression bool
	Steps       []ConnectionStepView
	Messages    []LadderMessage
	Ladder      Ladder
	// Refused is set when the client refused the certificate, so no
	// message is sent on the connection.
	Refused bool
}

// ConnectionStepView is what happens on a connection before SIP: the TCP
// connection, the certificate check, the compression negotiation.
type ConnectionStepView struct {
	Kind        string // engine.StepConnect ...
	KindLabel   string
	Status      string // engine.StepOK ...
	StatusLabel string
	Text        string
}

// LadderMessage is one message of the simulated REGISTER exchange.
type LadderMessage struct {
	// N numbers the messages from 1 over the whole exchange; ID is the
	// element id of its entry.
	N  int
	ID string
	// FromClient is true for client → server messages.
	FromClient bool
	Summary    string // "REGISTER (CSeq 1)", "401 Unauthorized"
	Text       string // the message as sent, headers included
	Note       string
	// Unverified lists what of the message no public source shows, as a
	// sentence ("" when everything is shown by a source).
	Unverified string
}

// Ladder is the SVG ladder diagram of one connection: one arrow per
// message between the client's and the server's lifelines.
type Ladder struct {
	Width, Height int
	ClientX       int
	ServerX       int
	Server        string
	Arrows        []LadderArrow
	Summary       string
}

// LadderArrow is one message arrow; Href links it to the message's entry.
type LadderArrow struct {
	Y          int
	X1, X2     int
	Label      string
	FromClient bool
	Href       string
	Title      string
}

// Ladder geometry, in SVG user units.
const (
	ladderWidth = 340
	ladderTop   = 44
	ladderPitch = 40
)

func newLadder(msgs []LadderMessage, server string) Ladder {
	l := Ladder{Width: ladderWidth, ClientX: 40, ServerX: ladderWidth - 40, Server: truncate(server, 32)}
	parts := make([]string, len(msgs))
	for i, m := range msgs {
		a := LadderArrow{Y: ladderTop + 16 + i*ladderPitch, Label: truncate(itoa(m.N)+". "+m.Summary, 38),
			FromClient: m.FromClient, Href: "#" + m.ID}
		if m.FromClient {
			a.X1, a.X2 = l.ClientX, l.ServerX
			parts[i] = itoa(m.N) + ", client to server: " + m.Summary
		} else {
			a.X1, a.X2 = l.ServerX, l.ClientX
			parts[i] = itoa(m.N) + ", server to client: " + m.Summary
		}
		// The accessible name starts with the arrow's visible text (WCAG
		// 2.5.3 Label in Name).
		a.Title = a.Label + ", " + direction(m.FromClient) + ": show its full text."
		l.Arrows = append(l.Arrows, a)
	}
	l.Height = ladderTop + 16 + len(msgs)*ladderPitch
	l.Summary = "Sign-in ladder with " + server + ". " + strings.Join(parts, "; ") + "."
	return l
}

// failureTitle names a failure kind of the sign-in in words: its title in
// engine.KindDocs, without the "Sign-in: " the findings page puts first.
func failureTitle(k engine.Kind) string {
	title, _, ok := engine.KindTitle(k)
	if !ok {
		return string(k)
	}
	t := strings.TrimPrefix(title, "Sign-in: ")
	return strings.ToUpper(t[:1]) + t[1:]
}

// NewRegisterView returns the view of a simulated exchange; nil for nil.
// server names the server when the exchange lists no connections (an
// exchange from before connections were modelled). idPrefix keeps element
// ids apart when a page holds two reports.
func NewRegisterView(ex *engine.Exchange, server, idPrefix string) *RegisterView {
	if ex == nil {
		return nil
	}
	v := &RegisterView{Outcome: string(ex.Outcome), Protocol: ex.Protocol, Explanation: ex.Explanation, Fix: ex.Fix}
	switch ex.Outcome {
	case engine.SignInRegistered:
		v.OutcomeLabel = "Signed in"
	case engine.SignInFailed:
		v.OutcomeLabel = "Sign-in fails"
		v.Failure = string(ex.Failure)
		v.FailureTitle = failureTitle(ex.Failure)
		if v.FailureTitle != "" {
			v.OutcomeLabel += ":"
		}
	default:
		v.OutcomeLabel = "No REGISTER sent"
	}
	msgs := make([]LadderMessage, len(ex.Messages))
	for i, m := range ex.Messages {
		msgs[i] = LadderMessage{N: i + 1, ID: idPrefix + "-msg-" + itoa(i+1), FromClient: m.IsRequest(),
			Summary: m.Label, Text: m.String(), Note: m.Note, Unverified: unverifiedText(m.Unverified)}
	}
	v.MessageCount = len(msgs)
	conns := ex.Connections
	if len(conns) == 0 && len(msgs) > 0 {
		conns = []engine.Connection{{Host: server, Reason: engine.ConnectionDiscovered}}
	}
	for i, c := range conns {
		cv := ConnectionView{N: i + 1, Host: c.Host, Transport: strings.ToUpper(c.Transport),
			Reason: c.Reason, Compression: c.Compression}
		cv.Address = c.Host
		if c.Port != 0 {
			cv.Port = strconv.Itoa(c.Port)
			cv.Address += ":" + cv.Port
		}
		switch c.Reason {
		case engine.ConnectionRedirected:
			cv.ReasonLabel = "redirected to the home pool"
		default:
			cv.ReasonLabel = "the server discovery found"
		}
		if c.TLS != nil {
			cv.TLS = c.TLS.Status
		}
		for _, s := range c.Steps {
			cv.Steps = append(cv.Steps, ConnectionStepView{Kind: s.Kind, KindLabel: stepKindLabel(s.Kind),
				Status: s.Status, StatusLabel: stepStatusLabel(s.Status), Text: s.Text})
		}
		first, end := c.FirstMessage, len(msgs)
		if i+1 < len(conns) {
			end = conns[i+1].FirstMessage
		}
		first, end = min(max(first, 0), len(msgs)), min(max(end, 0), len(msgs))
		if first < end {
			cv.Messages = msgs[first:end]
		}
		cv.Refused = len(cv.Messages) == 0 && (cv.TLS == engine.CertNameMismatch || cv.TLS == engine.CertExpired)
		cv.Ladder = newLadder(cv.Messages, c.Host)
		v.Connections = append(v.Connections, cv)
	}
	return v
}

func stepKindLabel(kind string) string {
	switch kind {
	case engine.StepConnect:
		return "TCP connection"
	case engine.StepCertificate:
		return "Certificate"
	case engine.StepCompression:
		return "Compression"
	}
	return kind
}

func stepStatusLabel(status string) string {
	switch status {
	case engine.StepOK:
		return "OK"
	case engine.StepAssumed:
		return "assumed"
	case engine.StepFailed:
		return "failed"
	case engine.StepSkipped:
		return "skipped"
	}
	return status
}

// unverifiedText lists a message's unverified parts as one sentence.
func unverifiedText(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return strings.Join(items, "; ") + "."
}

// registerFold is the title of what is folded under the sign-in's
// result: its explanation, its fix when it has one, and the ladder when
// a connection was opened.
func registerFold(r RegisterView) string {
	switch {
	case len(r.Connections) > 0 && r.Fix != "":
		return "What it means, the fix and the ladder"
	case len(r.Connections) > 0:
		return "What happened, and the ladder"
	case r.Fix != "":
		return "What it means, and the fix"
	}
	return "What happened"
}

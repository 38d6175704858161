package register

import (
	"strconv"
	"strings"
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

// Message is one SIP message of the exchange as data: its start line,
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

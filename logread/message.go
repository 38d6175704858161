package logread

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// Header is one header of a kept message, its value redacted (Redact).
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Message is one SIP message of the log.
type Message struct {
	// Line is the line of the log the message starts on.
	Line int `json:"line"`
	// Time is when the log's writer logged it, as the log has it: local
	// time for a UccApilog, UTC (ending in Z) for a server trace.
	Time      string    `json:"time,omitempty"`
	Direction Direction `json:"direction,omitempty"`
	// Remote is the other end's address, ip:port (a server trace's Peer).
	Remote    string `json:"remote,omitempty"`
	Local     string `json:"local,omitempty"`
	StartLine string `json:"startLine"`
	// Status is a response's status code, 0 for a request.
	Status int    `json:"status,omitempty"`
	CallID string `json:"callId"`
	CSeq   string `json:"cseq"`
	// Method is the CSeq's method: a response's too.
	Method string `json:"method"`
	// Headers are a REGISTER exchange's headers, redacted; other
	// messages keep none.
	Headers []Header `json:"headers,omitempty"`
	// BodyBytes is the size of the body, which is never kept.
	BodyBytes int `json:"bodyBytes,omitempty"`
	// Truncated is set when the log lost the end of the message, Long
	// when Limits.Message cut its headers.
	Truncated bool `json:"truncated,omitempty"`
	Long      bool `json:"long,omitempty"`

	from, userAgent, expires string
	contacts, diagnostics    []diagHeader
	offered                  []string
	chosen                   string
}

type diagHeader struct{ name, value string }

// sipParser parses a message's start line and headers with sipgo,
// parsing into types only the headers a ladder needs.
type sipParser struct {
	p   *sip.Parser
	buf []byte
}

func newSIPParser() *sipParser {
	all := sip.DefaultHeadersParser()
	keep := sip.HeadersParser{}
	for _, n := range []string{"from", "f", "to", "t", "call-id", "i", "cseq", "contact", "m"} {
		keep[n] = all[n]
	}
	return &sipParser{p: sip.NewParser(sip.WithHeadersParsers(keep))}
}

// folded are the methods counted, not kept: presence and keep-alives.
var folded = map[string]bool{"SUBSCRIBE": true, "NOTIFY": true, "BENOTIFY": true, "OPTIONS": true}

// flush parses the packet being collected and files it.
func (rd *reader) flush() {
	p := rd.pkt
	rd.pkt = nil
	if p.long {
		rd.log.Dropped.LongMessages++
	}
	if p.start == "" {
		rd.problem(p.line, "a packet without a SIP message")
		rd.log.Dropped.Unparsed++
		return
	}
	// Presence and keep-alive traffic is most of a client's log: it is
	// counted from its CSeq line, without parsing. So is a message
	// beyond Limits.Messages that is neither a REGISTER's nor carries
	// an ms-diagnostics header.
	method := cseqMethod(p.headers)
	if folded[method] {
		rd.log.Folded[method]++
		return
	}
	if method != "REGISTER" && len(rd.log.Messages) >= rd.lim.Messages && !bytes.Contains(p.headers, []byte("iagnostics")) {
		rd.log.Dropped.Messages++
		return
	}
	sp := rd.parse
	sp.buf = append(sp.buf[:0], p.start...)
	sp.buf = append(sp.buf, '\r', '\n')
	sp.buf = append(sp.buf, p.headers...)
	sp.buf = append(sp.buf, '\r', '\n')
	parsed, _, err := sp.p.ParseHeaders(sp.buf, false)
	if err != nil {
		rd.problem(p.line, fmt.Sprintf("a SIP message sipgo's parser refuses: %v", err))
		rd.log.Dropped.Unparsed++
		return
	}
	m := Message{Line: p.line, Time: p.time, Direction: p.dir, Remote: p.remote, Local: p.local, StartLine: clip(Redact(p.start), 300), BodyBytes: p.bodyBytes, Truncated: p.truncated, Long: p.long}
	var hs interface {
		CallID() *sip.CallIDHeader
		CSeq() *sip.CSeqHeader
		From() *sip.FromHeader
	}
	switch v := parsed.(type) {
	case *sip.Request:
		hs = v
	case *sip.Response:
		hs, m.Status = v, v.StatusCode
	default:
		rd.problem(p.line, "a SIP message of no known kind")
		rd.log.Dropped.Unparsed++
		return
	}
	if c := hs.CallID(); c != nil {
		m.CallID = clip(string(*c), 200)
	}
	if c := hs.CSeq(); c != nil {
		m.CSeq = strconv.FormatUint(uint64(c.SeqNo), 10) + " " + string(c.MethodName)
		m.Method = string(c.MethodName)
	}
	if f := hs.From(); f != nil {
		m.from = clip(f.Address.Addr(), 300)
	}
	if folded[m.Method] {
		rd.log.Folded[m.Method]++
		return
	}
	register := m.Method == "REGISTER"
	if register || m.Status >= 300 {
		if c, ok := parsed.(interface{ Contact() *sip.ContactHeader }); ok {
			if h := c.Contact(); h != nil {
				m.contacts = append(m.contacts, diagHeader{"contact", clip(Redact(h.Address.String()), 300)})
			}
		}
	}
	// Only a step the ladder will keep keeps its headers.
	keepHeaders := register && rd.keepsStep(m.CallID)
	// The values as the log wrote them (sipgo re-quotes some when it
	// writes a header back).
	forEachHeader(p.headers, func(name, value string) {
		switch strings.ToLower(name) {
		case "www-authenticate", "proxy-authenticate":
			if s := scheme(value); s != "" {
				m.offered = append(m.offered, s)
			}
		case "authorization", "proxy-authorization":
			m.chosen = scheme(value)
		case "ms-diagnostics", "ms-diagnostics-public":
			m.diagnostics = append(m.diagnostics, diagHeader{strings.ToLower(name), value})
		case "user-agent":
			m.userAgent = value
		case "expires":
			m.expires = strings.TrimSpace(value)
		}
		if keepHeaders && len(m.Headers) < 64 {
			m.Headers = append(m.Headers, Header{Name: clip(name, 64), Value: clip(RedactHeader(name, value), 1024)})
		}
	})
	rd.file(m)
}

// scheme returns the authentication scheme an Authorization or
// WWW-Authenticate value names: "NTLM", "Kerberos", "TLS-DSK".
func scheme(v string) string {
	s, _, _ := strings.Cut(strings.TrimSpace(v), " ")
	for _, c := range s {
		if !(c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return ""
		}
	}
	return clip(s, 32)
}

// file keeps a parsed message: in Messages, in its Call-ID's ladder when
// it is a REGISTER's, and its diagnostics.
func (rd *reader) file(m Message) {
	if m.Direction == "" && rd.log.Format == FormatPlainSIP && m.Method == "REGISTER" {
		// Plain SIP text does not say who sent what: a REGISTER is
		// the client's, its responses the server's.
		if m.Status == 0 {
			m.Direction = Sent
		} else {
			m.Direction = Received
		}
	}
	if m.Direction == Sent && m.Remote != "" && rd.log.Perspective == "client" && !rd.servers[m.Remote] && len(rd.servers) < 64 {
		rd.servers[m.Remote] = true
		rd.log.Discovery.Servers = append(rd.log.Discovery.Servers, m.Remote)
	}
	for _, d := range m.diagnostics {
		rd.diagnostic(d, m)
	}
	if m.Method == "REGISTER" {
		if m.userAgent != "" && !rd.sawUA {
			rd.sawUA = true
			rd.log.Client = clip(m.userAgent, 200)
		}
		rd.ladder(m)
	}
	if len(rd.log.Messages) >= rd.lim.Messages {
		rd.log.Dropped.Messages++
		return
	}
	keep := m
	keep.Headers = nil
	rd.log.Messages = append(rd.log.Messages, keep)
}

// diagnostic records an ms-diagnostics header, once per distinct value.
func (rd *reader) diagnostic(h diagHeader, m Message) {
	d := parseDiagnostic(h.name, h.value)
	d.Status, d.Line = m.Status, m.Line
	key := h.name + "\x00" + d.Raw
	if i, ok := rd.diags[key]; ok {
		rd.log.Diagnostics[i].Count++
		return
	}
	if len(rd.log.Diagnostics) >= rd.lim.Evidence {
		rd.log.Dropped.Evidence++
		return
	}
	d.Count = 1
	rd.diags[key] = len(rd.log.Diagnostics)
	rd.log.Diagnostics = append(rd.log.Diagnostics, d)
}

// forEachHeader calls f with each header of a CRLF-separated header
// block, a folded continuation line joined to its header.
func forEachHeader(block []byte, f func(name, value string)) {
	var name, value string
	have := false
	for len(block) > 0 {
		line, rest, _ := bytes.Cut(block, []byte("\r\n"))
		block = rest
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') && have {
			value += " " + string(bytes.TrimSpace(line))
			continue
		}
		if have {
			f(name, value)
		}
		n, v, ok := bytes.Cut(line, []byte(":"))
		name, value, have = string(bytes.TrimSpace(n)), string(bytes.TrimSpace(v)), ok
	}
	if have {
		f(name, value)
	}
}

// cseqMethod returns the method of a header block's CSeq line, "" when
// it has none.
func cseqMethod(block []byte) string {
	for len(block) > 0 {
		line, rest, _ := bytes.Cut(block, []byte("\r\n"))
		block = rest
		if len(line) > 5 && (line[0] == 'C' || line[0] == 'c') && bytes.EqualFold(line[:5], []byte("cseq:")) {
			f := bytes.Fields(line[5:])
			if len(f) == 2 {
				return string(f[1])
			}
			return ""
		}
	}
	return ""
}

// keepsStep reports whether the ladder of callID has room for a step.
func (rd *reader) keepsStep(callID string) bool {
	if a, ok := rd.calls[callID]; ok {
		return len(a.Steps) < rd.lim.PerCall
	}
	return len(rd.calls) < rd.lim.Calls
}

package logread

import (
	"bytes"
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

// flush files the packet being collected. Presence, keep-alive and
// instant-message traffic is most of a client's log and none of it is
// in a sign-in ladder: the scanner reads such a message from its start
// line and its Call-ID and CSeq lines (scanned). sipgo's parser reads
// the REGISTER exchanges the ladder keeps, and any message the scanner
// cannot read.
func (rd *reader) flush() {
	p := rd.pkt
	rd.pkt = nil
	if p.long {
		rd.log.Dropped.LongMessages++
	}
	if len(p.start) == 0 {
		rd.problem(p.line, "a packet without a SIP message")
		rd.log.Dropped.Unparsed++
		return
	}
	if !rd.full && rd.scanned(p) {
		return
	}
	rd.parsed(p)
}

// scanned files p from the scanner's reading of it, and reports whether
// it did: it leaves to sipgo a REGISTER exchange the ladder may keep and
// any message whose start line, Call-ID or CSeq it does not read.
func (rd *reader) scanned(p *packet) bool {
	h := scanHeaders(p.headers)
	if !h.ok {
		return false
	}
	if folded[h.method] {
		rd.log.Folded[h.method]++
		return true
	}
	register := h.method == "REGISTER"
	diag := bytes.Contains(p.headers, []byte("iagnostics"))
	full := len(rd.log.Messages) >= rd.lim.Messages
	if !register && full && !diag {
		rd.log.Dropped.Messages++
		return true
	}
	status, ok := scanStart(p.start)
	if !ok {
		return false
	}
	if register {
		// A REGISTER exchange the ladder keeps is sipgo's; one of a
		// Call-ID beyond Limits.Calls only counted, as file does.
		if _, known := rd.calls[string(h.callID)]; known || len(rd.calls) < rd.lim.Calls || !rd.sawUA {
			return false
		}
	}
	m := Message{Line: p.line, Time: string(p.time), Direction: p.dir, Remote: string(p.remote), Local: string(p.local), StartLine: clip(Redact(string(p.start)), 300), Status: status, BodyBytes: p.bodyBytes, Truncated: p.truncated, Long: p.long}
	m.CallID = string(h.callID)
	m.CSeq = strconv.FormatUint(uint64(h.seq), 10) + " " + h.method
	m.Method = h.method
	if diag {
		forEachHeader(p.headers, func(name, value string) {
			if n := strings.ToLower(name); n == "ms-diagnostics" || n == "ms-diagnostics-public" {
				m.diagnostics = append(m.diagnostics, diagHeader{n, value})
			}
		})
	}
	rd.file(m)
	return true
}

// scannedHeaders is what scanHeaders reads of a header block.
type scannedHeaders struct {
	callID []byte
	seq    uint32
	method string
	ok     bool // a Call-ID and a CSeq read as sipgo reads them
}

// scanHeaders reads a header block's first Call-ID (or its compact form
// i) and CSeq as sipgo's parser does, without copying: the Call-ID
// trimmed, the CSeq a sequence number below 2^31, one space or tab and
// a method in capitals. ok is false when either is missing or read
// otherwise, or the Call-ID is longer than a Message keeps.
func scanHeaders(block []byte) scannedHeaders {
	var h scannedHeaders
	var haveID, haveCSeq bool
	for len(block) > 0 && !(haveID && haveCSeq) {
		i := bytes.Index(block, []byte("\r\n"))
		line := block
		if i >= 0 {
			line, block = block[:i], block[i+2:]
		} else {
			block = nil
		}
		if len(line) == 0 || (line[0]|0x20 != 'c' && line[0]|0x20 != 'i') {
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			continue
		}
		name, value := bytes.TrimSpace(line[:colon]), bytes.TrimSpace(line[colon+1:])
		switch {
		case !haveID && (equalFold(name, "call-id") || equalFold(name, "i")):
			if len(value) == 0 || len(value) > 200 {
				return h
			}
			h.callID, haveID = value, true
		case !haveCSeq && equalFold(name, "cseq"):
			sp := bytes.IndexAny(value, " \t")
			if sp < 1 || sp > 10 {
				return h
			}
			var n uint64
			for _, c := range value[:sp] {
				if c < '0' || c > '9' {
					return h
				}
				n = n*10 + uint64(c-'0')
			}
			if n > 1<<31-1 {
				return h
			}
			h.seq, h.method, haveCSeq = uint32(n), methodName(value[sp+1:]), true
			if h.method == "" {
				return h
			}
		}
	}
	h.ok = haveID && haveCSeq
	return h
}

// methodName returns the method b names as a string, without allocating
// for the methods a client's log holds; "" when b is no method in
// capitals.
func methodName(b []byte) string {
	switch string(b) {
	case "REGISTER":
		return "REGISTER"
	case "SUBSCRIBE":
		return "SUBSCRIBE"
	case "NOTIFY":
		return "NOTIFY"
	case "BENOTIFY":
		return "BENOTIFY"
	case "OPTIONS":
		return "OPTIONS"
	case "MESSAGE":
		return "MESSAGE"
	case "INVITE":
		return "INVITE"
	case "ACK":
		return "ACK"
	case "BYE":
		return "BYE"
	case "CANCEL":
		return "CANCEL"
	case "INFO":
		return "INFO"
	case "SERVICE":
		return "SERVICE"
	case "PUBLISH":
		return "PUBLISH"
	case "REFER":
		return "REFER"
	}
	if len(b) == 0 || len(b) > 32 {
		return ""
	}
	for _, c := range b {
		if c < 'A' || c > 'Z' {
			return ""
		}
	}
	return string(b)
}

// scanStart reads a start line the way sipgo's parser does, for the
// shapes the scanner files itself: "SIP/2.0 NNN reason" (the status) or
// "METHOD uri SIP/2.0" (0). ok is false for anything else.
func scanStart(b []byte) (status int, ok bool) {
	if bytes.HasPrefix(b, []byte("SIP/2.0 ")) {
		if len(b) < 12 || b[11] != ' ' || b[8] < '1' || b[8] > '6' {
			return 0, false
		}
		for _, c := range b[9:11] {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		return int(b[8]-'0')*100 + int(b[9]-'0')*10 + int(b[10]-'0'), true
	}
	sp := bytes.IndexByte(b, ' ')
	if sp < 1 || methodName(b[:sp]) == "" {
		return 0, false
	}
	uri, ok := bytes.CutSuffix(b[sp+1:], []byte(" SIP/2.0"))
	if !ok || len(uri) == 0 || bytes.ContainsAny(uri, " \t") {
		return 0, false
	}
	return 0, true
}

// noteServer adds a remote address the client sent to to
// Discovery.Servers, once.
func (rd *reader) noteServer(dir Direction, remote []byte) {
	if dir == Sent && len(remote) > 0 && rd.log.Perspective == "client" && !rd.servers[string(remote)] && len(rd.servers) < 64 {
		rd.servers[string(remote)] = true
		rd.log.Discovery.Servers = append(rd.log.Discovery.Servers, string(remote))
	}
}

// parsed parses p with sipgo and files it.
func (rd *reader) parsed(p *packet) {
	sp := rd.parse
	sp.buf = append(sp.buf[:0], p.start...)
	sp.buf = append(sp.buf, '\r', '\n')
	sp.buf = append(sp.buf, p.headers...)
	sp.buf = append(sp.buf, '\r', '\n')
	parsed, _, err := sp.p.ParseHeaders(sp.buf, false)
	if err != nil {
		rd.problem(p.line, "a SIP message sipgo's parser refuses: "+err.Error())
		rd.log.Dropped.Unparsed++
		return
	}
	m := Message{Line: p.line, Time: string(p.time), Direction: p.dir, Remote: string(p.remote), Local: string(p.local), StartLine: clip(Redact(string(p.start)), 300), BodyBytes: p.bodyBytes, Truncated: p.truncated, Long: p.long}
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
	if !register && len(rd.log.Messages) >= rd.lim.Messages && !bytes.Contains(p.headers, []byte("iagnostics")) {
		rd.log.Dropped.Messages++
		return
	}
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
	rd.noteServer(m.Direction, []byte(m.Remote))
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

// keepsStep reports whether the ladder of callID has room for a step.
func (rd *reader) keepsStep(callID string) bool {
	if a, ok := rd.calls[callID]; ok {
		return len(a.Steps) < rd.lim.PerCall
	}
	return len(rd.calls) < rd.lim.Calls
}

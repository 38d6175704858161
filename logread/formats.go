package logread

import (
	"bytes"
	"strings"
)

// packet is a SIP message being collected from the log.
type packet struct {
	line      int // the line the message starts on
	time      string
	dir       Direction
	remote    string
	local     string
	start     string
	headers   []byte // header lines, each ending in CRLF
	inBody    bool
	bodyBytes int
	truncated bool
	long      bool
}

// isUccApiLine reports whether b starts with a UccApilog prefix:
// "MM/DD/YYYY|HH:MM:SS.mmm " followed by "PID:TID" in hexadecimal.
func isUccApiLine(b []byte) bool {
	_, _, ok := uccapiSplit(b)
	return ok
}

// uccapiSplit splits a UccApilog line into its time (as ISO 8601, local
// time as the log has it) and its text after "::".
func uccapiSplit(b []byte) (time string, text []byte, ok bool) {
	// 01/20/2026|14:51:06.618 1A04:1C50 INFO  :: text
	if len(b) < 24 || b[2] != '/' || b[5] != '/' || b[10] != '|' || b[13] != ':' || b[16] != ':' || b[19] != '.' || b[23] != ' ' {
		return "", nil, false
	}
	for _, i := range [...]int{0, 1, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22} {
		if b[i] < '0' || b[i] > '9' {
			return "", nil, false
		}
	}
	rest := b[24:]
	sp := bytes.IndexByte(rest, ' ')
	if sp <= 0 {
		return "", nil, false
	}
	pid, tid, found := bytes.Cut(rest[:sp], []byte(":"))
	if !found || !isHex(pid) || !isHex(tid) {
		return "", nil, false
	}
	i := bytes.Index(rest, []byte("::"))
	if i < 0 {
		return "", nil, false
	}
	text = bytes.TrimPrefix(rest[i+2:], []byte(" "))
	time = string(b[6:10]) + "-" + string(b[0:2]) + "-" + string(b[3:5]) + "T" + string(b[11:23])
	return time, text, true
}

func isHex(b []byte) bool {
	if len(b) == 0 || len(b) > 16 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// uccapiLine handles a line of a UccApilog.
func (rd *reader) uccapiLine(b []byte) {
	time, text, prefixed := uccapiSplit(b)
	if !prefixed {
		if rd.pkt != nil {
			rd.addLine(b)
		}
		return
	}
	if rd.pkt != nil {
		switch {
		case bytes.HasPrefix(text, []byte("End of Sending Packet")) || bytes.HasPrefix(text, []byte("End of Data Received")):
			rd.flush()
			return
		case rd.pkt.start == "":
			rd.pkt.start = string(bytes.TrimSpace(text))
			return
		default:
			// A new entry before the end of the packet: the log lost
			// the rest of it.
			rd.pkt.truncated = true
			rd.flush()
		}
	}
	var dir Direction
	var rest []byte
	switch {
	case bytes.HasPrefix(text, []byte("Sending Packet - ")):
		dir, rest = Sent, text[len("Sending Packet - "):]
	case bytes.HasPrefix(text, []byte("Data Received - ")):
		dir, rest = Received, text[len("Data Received - "):]
	default:
		if k := discoveryKind(string(text)); k != "" {
			rd.evidence(k, string(text))
		}
		return
	}
	// Sending Packet - 192.0.2.10:5061 (From Local Address: 10.1.2.3:50123) 1234 bytes:
	remote, paren, _ := bytes.Cut(rest, []byte(" ("))
	local := ""
	if _, after, ok := bytes.Cut(paren, []byte("Local Address: ")); ok {
		l, _, _ := bytes.Cut(after, []byte(")"))
		local = string(l)
	}
	rd.pkt = &packet{line: rd.lineNo, time: time, dir: dir, remote: clip(string(bytes.TrimSpace(remote)), 80), local: clip(local, 80)}
}

// addLine adds a raw line to the packet: a header until the first empty
// line, then the body, which is counted and never kept.
func (rd *reader) addLine(b []byte) {
	p := rd.pkt
	if p.inBody {
		p.bodyBytes += len(b) + 2
		return
	}
	if len(b) == 0 {
		if p.start != "" {
			p.inBody = true
		}
		return
	}
	if p.start == "" {
		p.start = string(b)
		return
	}
	if len(p.headers)+len(b)+2 > rd.lim.Message {
		p.long = true
		return
	}
	p.headers = append(p.headers, b...)
	p.headers = append(p.headers, '\r', '\n')
}

// isStartLine reports whether s is a SIP start line: "SIP/2.0 200 OK" or
// "METHOD uri SIP/2.0".
func isStartLine(s string) bool {
	if strings.HasPrefix(s, "SIP/2.0 ") {
		return len(s) >= 11 && s[8] >= '1' && s[8] <= '6'
	}
	method, rest, ok := strings.Cut(s, " ")
	if !ok || method == "" || !strings.HasSuffix(rest, " SIP/2.0") {
		return false
	}
	for _, c := range method {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// plainLine handles a line of plain SIP text: a start line opens a
// message, which runs to the next start line.
func (rd *reader) plainLine(b []byte) {
	s := string(b)
	if isStartLine(s) {
		if rd.pkt != nil {
			rd.flush()
		}
		rd.pkt = &packet{line: rd.lineNo, start: s}
		return
	}
	if rd.pkt != nil {
		rd.addLine(b)
		return
	}
	if k := discoveryKind(s); k != "" {
		rd.evidence(k, s)
	}
}

// isEventText reports whether s is the text of a Communicator, Lync or
// Skype for Business event log entry about sign-in.
func isEventText(s string) bool {
	s = strings.Join(strings.Fields(s), " ")
	for _, p := range [...]string{"Communicator was unable", "Communicator failed", "Lync was unable", "Lync failed", "Skype for Business was unable", "Source: Communicator", "Source: Lync"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// eventLine keeps the event log's lines that tell about sign-in and
// discovery.
func (rd *reader) eventLine(b []byte) {
	s := strings.TrimSpace(string(b))
	l := strings.ToLower(s)
	if strings.Contains(l, "unable") || strings.Contains(l, "failed") || strings.Contains(l, "dns") || strings.Contains(l, "server") || strings.HasPrefix(l, "event id") {
		rd.evidence("event", s)
	}
}

// record is a server trace record being collected.
type record struct {
	line       int
	time       string
	fields     map[string]string
	diagnostic bool
	pkt        *packet
}

// serverTime takes the time from a record's opening line:
// "...::12/07/2026-10:00:01.123.0000abcd (SIPStack,...)$$begin_record".
func serverTime(s string) string {
	i := strings.Index(s, "::")
	if i < 0 || len(s) < i+2+23 {
		return ""
	}
	t := s[i+2 : i+2+23]
	if t[2] != '/' || t[5] != '/' || t[10] != '-' || t[13] != ':' || t[19] != '.' {
		return ""
	}
	return t[6:10] + "-" + t[0:2] + "-" + t[3:5] + "T" + t[11:23] + "Z"
}

// The pseudo-headers of a server trace record, before its SIP headers.
var recordFields = map[string]bool{
	"trace-correlation-id": true, "instance-id": true, "direction": true, "peer": true, "message-type": true,
	"start-line": true, "transport": true, "logtype": true, "log-type": true, "severity": true, "text": true,
	"result-code": true, "data": true, "sip-start-line": true, "sip-call-id": true, "sip-cseq": true,
	"local": true, "connection-id": true, "component": true, "type": true,
}

// serverLine handles a line of a server trace.
func (rd *reader) serverLine(b []byte) {
	s := string(b)
	if rd.srv == nil {
		if strings.Contains(s, "$$begin_record") {
			rd.srv = &record{line: rd.lineNo, time: serverTime(s), fields: map[string]string{}}
		}
		return
	}
	if strings.HasPrefix(s, "$$end_record") {
		rd.endRecord()
		return
	}
	if strings.Contains(s, "$$begin_record") {
		rd.problem(rd.srv.line, "a record has no $$end_record")
		rd.endRecord()
		rd.serverLine(b)
		return
	}
	r := rd.srv
	if r.pkt != nil {
		rd.addLine(b)
		return
	}
	name, value, ok := strings.Cut(s, ":")
	key := strings.ToLower(strings.TrimSpace(name))
	if ok && recordFields[key] {
		value = clip(strings.TrimSpace(value), 1024)
		r.fields[key] = value
		if (key == "logtype" || key == "log-type") && strings.EqualFold(value, "diagnostic") {
			r.diagnostic = true
		}
		return
	}
	if r.diagnostic {
		return
	}
	// The first line that is no pseudo-header starts the SIP message.
	start := r.fields["start-line"]
	if start == "" {
		rd.problem(rd.lineNo, "a record's SIP headers come before its Start-Line")
		r.diagnostic = true
		return
	}
	p := &packet{line: r.line, time: r.time, start: start, remote: clip(r.fields["peer"], 80)}
	switch d := strings.ToLower(r.fields["direction"]); {
	case strings.HasPrefix(d, "incoming"):
		p.dir = Received
	case strings.HasPrefix(d, "outgoing"):
		p.dir = Sent
	}
	r.pkt = p
	rd.pkt = p
	rd.addLine(b)
}

// endRecord finishes a server trace record.
func (rd *reader) endRecord() {
	r := rd.srv
	rd.srv = nil
	if r.pkt != nil {
		// The log's end may have filed the record's packet already.
		if rd.pkt == r.pkt {
			rd.flush()
		}
		return
	}
	if r.diagnostic {
		text := r.fields["text"]
		if rc := r.fields["result-code"]; rc != "" {
			text += " (Result-Code: " + rc + ")"
		}
		if peer := r.fields["peer"]; peer != "" {
			text += " peer " + peer
		}
		if d := r.fields["data"]; d != "" {
			text += "; " + d
		}
		n := rd.lineNo
		rd.lineNo = r.line
		rd.evidence("server-diagnostic", text)
		rd.lineNo = n
		return
	}
	if start := r.fields["start-line"]; start != "" {
		// A record with a start line and no headers.
		p := &packet{line: r.line, time: r.time, start: start, remote: clip(r.fields["peer"], 80)}
		rd.pkt = p
		rd.flush()
	}
}

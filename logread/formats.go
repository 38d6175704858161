package logread

import (
	"bytes"
	"strings"
)

// packet is a SIP message being collected from the log. The reader keeps
// one and reuses its buffers (open), so collecting a message allocates
// nothing.
type packet struct {
	line      int    // the line the message starts on
	time      []byte // ISO 8601, as Message.Time
	dir       Direction
	remote    []byte
	local     []byte
	start     []byte
	headers   []byte // header lines, each ending in CRLF
	inBody    bool
	bodyBytes int
	truncated bool
	long      bool
}

// open starts a new packet at line n in the reader's one packet.
func (rd *reader) open(n int) *packet {
	p := &rd.cur
	*p = packet{line: n, time: p.time[:0], remote: p.remote[:0], local: p.local[:0], start: p.start[:0], headers: p.headers[:0]}
	rd.pkt = p
	return p
}

// clipBytes appends b to dst[:0], at most n bytes of it on a character
// boundary and marked "…" when cut, as clip does.
func clipBytes(dst, b []byte, n int) []byte {
	if len(b) <= n {
		return append(dst[:0], b...)
	}
	for n > 0 && n < len(b) && b[n]&0xc0 == 0x80 {
		n--
	}
	return append(append(dst[:0], b[:n]...), "…"...)
}

// isUccApiLine reports whether b starts with a UccApilog prefix:
// "MM/DD/YYYY|HH:MM:SS.mmm " followed by "PID:TID" in hexadecimal.
func isUccApiLine(b []byte) bool {
	_, ok := uccapiSplit(b)
	return ok
}

// uccapiSplit returns the text after a UccApilog line's prefix ("::").
func uccapiSplit(b []byte) (text []byte, ok bool) {
	// 01/20/2026|14:51:06.618 1A04:1C50 INFO  :: text
	if len(b) < 24 || b[2] != '/' || b[5] != '/' || b[10] != '|' || b[13] != ':' || b[16] != ':' || b[19] != '.' || b[23] != ' ' {
		return nil, false
	}
	for _, i := range [...]int{0, 1, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22} {
		if b[i] < '0' || b[i] > '9' {
			return nil, false
		}
	}
	rest := b[24:]
	sp := bytes.IndexByte(rest, ' ')
	if sp <= 0 {
		return nil, false
	}
	pid, tid, found := bytes.Cut(rest[:sp], []byte(":"))
	if !found || !isHex(pid) || !isHex(tid) {
		return nil, false
	}
	i := bytes.Index(rest[sp:], []byte("::"))
	if i < 0 {
		return nil, false
	}
	return bytes.TrimPrefix(rest[sp+i+2:], []byte(" ")), true
}

// appendUccApiTime appends a UccApilog line's time as ISO 8601 (local
// time, as the log has it): "2026-01-20T14:51:06.618".
func appendUccApiTime(dst, b []byte) []byte {
	dst = append(dst, b[6:10]...)
	dst = append(dst, '-', b[0], b[1], '-', b[3], b[4], 'T')
	return append(dst, b[11:23]...)
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
	text, prefixed := uccapiSplit(b)
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
		case len(rd.pkt.start) == 0:
			rd.pkt.start = append(rd.pkt.start, bytes.TrimSpace(text)...)
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
	case bytes.HasPrefix(text, []byte("Sending Packet -")):
		dir, rest = Sent, text[len("Sending Packet -"):]
	case bytes.HasPrefix(text, []byte("Data Received -")):
		dir, rest = Received, text[len("Data Received -"):]
	default:
		if k := discoveryKindBytes(text); k != "" {
			rd.evidence(k, string(text))
		}
		return
	}
	// Sending Packet - 192.0.2.10:5061 (From Local Address: 10.1.2.3:50123) 1234 bytes:
	remote, paren, _ := bytes.Cut(rest, []byte(" ("))
	p := rd.open(rd.lineNo)
	p.dir = dir
	p.time = appendUccApiTime(p.time, b)
	p.remote = clipBytes(p.remote, bytes.TrimSpace(remote), 80)
	if _, after, ok := bytes.Cut(paren, []byte("Local Address: ")); ok {
		l, _, _ := bytes.Cut(after, []byte(")"))
		p.local = clipBytes(p.local, l, 80)
	}
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
		if len(p.start) > 0 {
			p.inBody = true
		}
		return
	}
	if len(p.start) == 0 {
		p.start = append(p.start, b...)
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
		p := rd.open(rd.lineNo)
		p.start = append(p.start, b...)
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
	time       []byte
	fields     map[string]string
	diagnostic bool
	pkt        *packet
}

// serverTime takes the time from a record's opening line:
// "...::12/07/2026-10:00:01.123.0000abcd (SIPStack,...)$$begin_record".
func serverTime(s string) []byte {
	i := strings.Index(s, "::")
	if i < 0 || len(s) < i+2+23 {
		return nil
	}
	t := s[i+2 : i+2+23]
	if t[2] != '/' || t[5] != '/' || t[10] != '-' || t[13] != ':' || t[19] != '.' {
		return nil
	}
	return []byte(t[6:10] + "-" + t[0:2] + "-" + t[3:5] + "T" + t[11:23] + "Z")
}

// The pseudo-headers of a server trace record, before its SIP headers.
var recordFields = map[string]bool{
	"trace-correlation-id": true, "instance-id": true, "direction": true, "peer": true, "message-type": true,
	"start-line": true, "transport": true, "logtype": true, "log-type": true, "severity": true, "text": true,
	"result-code": true, "data": true, "sip-start-line": true, "sip-call-id": true, "sip-cseq": true,
	"local": true, "connection-id": true, "component": true, "type": true,
}

// serverLine handles a line of a server trace. A record opens with a
// line that ends in $$begin_record ("TL_INFO(TF_PROTOCOL) [0]06E4.0EB4::
// 01/18/2012-05:00:43.101.00005386 (SIPStack,...)$$begin_record"; a
// TF_DIAG line opens a diagnostic record) and closes with $$end_record.
// A protocol record's pseudo-headers (Direction, Peer, Start-Line ...)
// come before the SIP headers, which may be in capitals, and its body
// after a "Message-Body:" line ("-" for none). A diagnostic record has
// Severity, Text, Result-Code, SIP-Start-Line, SIP-Call-ID, Peer and
// Data; Microsoft's published excerpts show it with and without
// "LogType: diagnostic", and once as a component line followed by
// "LogType: diagnostic" with no $$begin_record (docs/adr/0029).
func (rd *reader) serverLine(b []byte) {
	s := string(b)
	if rd.srv == nil {
		switch {
		case strings.Contains(s, "$$begin_record"):
			rd.srv = &record{line: rd.lineNo, time: serverTime(s), fields: map[string]string{}, diagnostic: strings.Contains(s, "(TF_DIAG)")}
		case isLogTypeDiagnostic(s):
			rd.srv = &record{line: rd.lineNo, fields: map[string]string{}, diagnostic: true}
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
		if !r.pkt.inBody && len(s) >= 13 && strings.EqualFold(s[:13], "message-body:") {
			// The body follows; "-" is none. It is counted, never kept.
			r.pkt.inBody = true
			if v := strings.TrimSpace(s[13:]); v != "-" {
				r.pkt.bodyBytes += len(v) + 2
			}
			return
		}
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
	p := rd.open(r.line)
	p.time = append(p.time, r.time...)
	p.start = append(p.start, start...)
	p.remote = append(p.remote, clip(r.fields["peer"], 80)...)
	switch d := strings.ToLower(r.fields["direction"]); {
	case strings.HasPrefix(d, "incoming"):
		p.dir = Received
	case strings.HasPrefix(d, "outgoing"):
		p.dir = Sent
	}
	r.pkt = p
	rd.addLine(b)
}

// isLogTypeDiagnostic reports whether s is a "LogType: diagnostic" line.
func isLogTypeDiagnostic(s string) bool {
	name, value, ok := strings.Cut(s, ":")
	return ok && strings.EqualFold(strings.TrimSpace(name), "logtype") && strings.EqualFold(strings.TrimSpace(value), "diagnostic")
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
	start := r.fields["start-line"]
	if r.diagnostic || start == "" && (r.fields["text"] != "" || r.fields["result-code"] != "") {
		text := r.fields["text"]
		if rc := r.fields["result-code"]; rc != "" && !strings.Contains(text, rc) {
			text += " (Result-Code: " + rc + ")"
		}
		if sl := r.fields["sip-start-line"]; sl != "" {
			text += "; about " + sl
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
	if start != "" {
		// A record with a start line and no headers.
		p := rd.open(r.line)
		p.time = append(p.time, r.time...)
		p.start = append(p.start, start...)
		p.remote = append(p.remote, clip(r.fields["peer"], 80)...)
		rd.flush()
	}
}

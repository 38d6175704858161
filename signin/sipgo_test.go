package signin

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/emiago/sipgo/sip"
	"github.com/google/go-cmp/cmp"
	"github.com/sipdisco/sipdisco/engine"
)

// TestParsesAsSIP feeds every message of every golden case to an
// independent SIP parser (sipgo's) and checks that it reads back what
// Simulate meant: the method (REGISTER, or NEGOTIATE for compression) or
// status, every header in order with its value, and a Content-Length
// equal to the body's length. The golden cases include the compression
// negotiation and the 301 redirect to a home pool.
func TestParsesAsSIP(t *testing.T) {
	for _, c := range loadGolden(t) {
		ex, err := Simulate(c.input, new(Counter))
		if err != nil {
			t.Fatalf("%s: Simulate: %v", c.name, err)
		}
		for i, m := range ex.Messages {
			t.Run(fmt.Sprintf("%s/%d", c.name, i+1), func(t *testing.T) {
				checkParses(t, m)
			})
		}
	}
}

func checkParses(t *testing.T, m engine.Message) {
	t.Helper()
	text := m.String()
	method, _, _ := strings.Cut(m.StartLine, " ")
	if !m.IsRequest() {
		cseq := m.Get("CSeq")
		if len(cseq) != 1 {
			t.Fatalf("CSeq headers %q; want one", cseq)
		}
		method = strings.Fields(cseq[0])[1]
	}
	if method != "REGISTER" && method != "NEGOTIATE" {
		t.Fatalf("method %q; want REGISTER or NEGOTIATE", method)
	}
	parsed, err := sip.ParseMessage([]byte(text))
	if err != nil {
		t.Fatalf("sip.ParseMessage: %v\n%s", err, text)
	}
	switch p := parsed.(type) {
	case *sip.Request:
		if !m.IsRequest() {
			t.Fatalf("parsed a request from a %s message", m.Direction)
		}
		if got, want := string(p.Method), method; got != want {
			t.Errorf("method = %q; want %q", got, want)
		}
		if got, want := string(p.Method)+" "+p.Recipient.String()+" SIP/2.0", m.StartLine; got != want {
			t.Errorf("request line = %q; want %q", got, want)
		}
	case *sip.Response:
		if m.IsRequest() {
			t.Fatalf("parsed a response from a %s message", m.Direction)
		}
		if got, want := fmt.Sprintf("SIP/2.0 %d %s", p.StatusCode, p.Reason), m.StartLine; got != want {
			t.Errorf("status line = %q; want %q", got, want)
		}
	default:
		t.Fatalf("parsed %T", parsed)
	}

	// Every header, in order, with its value; then Content-Length.
	var got, want []engine.Header
	all, ok := parsed.(interface{ Headers() []sip.Header })
	if !ok {
		t.Fatalf("%T has no Headers method", parsed)
	}
	for _, h := range all.Headers() {
		v := h.Value()
		if strings.EqualFold(h.Name(), "Contact") {
			// sipgo writes a parameter value that holds spaces in quotes
			// again ("methods=""INVITE, ..."""): undo that, the parse is
			// what is checked.
			v = strings.ReplaceAll(v, `""`, `"`)
		}
		got = append(got, header(h.Name(), v))
	}
	want = append(want, m.Headers...)
	want = append(want, header("Content-Length", strconv.Itoa(len(m.Body))))
	if diff := cmp.Diff(got, want, cmp.Comparer(func(a, b engine.Header) bool {
		return strings.EqualFold(a.Name, b.Name) && a.Value == b.Value
	})); diff != "" {
		t.Errorf("headers differ after parsing (-got +want):\n%s", diff)
	}

	cl := parsed.ContentLength()
	if cl == nil {
		t.Fatal("no Content-Length")
	}
	if got, want := int(*cl), len(m.Body); got != want {
		t.Errorf("Content-Length = %d; want %d", got, want)
	}
	if got, want := string(parsed.Body()), m.Body; got != want {
		t.Errorf("body = %q; want %q", got, want)
	}

	// The dialog headers parse into their fields.
	if cid := parsed.CallID(); cid == nil || cid.Value() == "" {
		t.Error("no Call-ID")
	}
	if cseq := parsed.CSeq(); cseq == nil || string(cseq.MethodName) != method {
		t.Errorf("CSeq = %v; want a %s CSeq", cseq, method)
	}
	via := parsed.Via()
	if via == nil {
		t.Fatal("no Via")
	}
	// Microsoft's clients send no branch (every public trace, [MS-SIPAE]
	// §4); the server adds where it received the request.
	if b, ok := via.Params.Get("branch"); ok {
		t.Errorf("Via branch = %q; Microsoft's clients send none", b)
	}
	if cid, _ := via.Params.Get("ms-received-cid"); !m.IsRequest() && cid == "" {
		t.Errorf("response Via %v has no ms-received-cid", via)
	}
	from := parsed.From()
	if from == nil {
		t.Fatal("no From")
	}
	if tag, _ := from.Params.Get("tag"); tag == "" {
		t.Error("From has no tag")
	}
	if !m.IsRequest() {
		if tag, _ := parsed.To().Params.Get("tag"); tag == "" {
			t.Error("response To has no tag")
		}
	}

	// What the new messages carry parses into its fields too: the
	// Compression header of the negotiation, and the home pool of a 301.
	if method == "NEGOTIATE" {
		hs, _ := parsed.(interface{ GetHeader(string) sip.Header })
		if hs == nil {
			t.Fatalf("%T has no GetHeader method", parsed)
		}
		if h := hs.GetHeader("Compression"); h == nil || h.Value() != compressionAlgorithm {
			t.Errorf("Compression = %v; want %s", h, compressionAlgorithm)
		}
	}
	if r, ok := parsed.(*sip.Response); ok && r.StatusCode == 301 {
		c := r.Contact()
		if c == nil || c.Address.Host == "" || c.Address.Port == 0 {
			t.Fatalf("301 Contact = %v; want the home pool's host and port", c)
		}
		if tr, _ := c.Address.UriParams.Get("transport"); tr == "" {
			t.Errorf("301 Contact %v has no transport", c)
		}
	}
}

// TestNewMessagesCovered makes sure the golden cases that TestParsesAsSIP
// reads include a NEGOTIATE and a 301, so that the parse test covers them.
func TestNewMessagesCovered(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range loadGolden(t) {
		ex, err := Simulate(c.input, new(Counter))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ex.Messages {
			seen[strings.Fields(m.StartLine)[0]] = true
			seen[m.StartLine] = true
		}
	}
	for _, want := range []string{"NEGOTIATE", "SIP/2.0 301 Redirect request to Home Server"} {
		if !seen[want] {
			t.Errorf("no golden case has a %q message", want)
		}
	}
}

package templates

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

func simulate(t *testing.T, in signin.Input) *engine.Exchange {
	t.Helper()
	in.Address = mustURI(t, "sip:jeremy@contoso.com")
	in.Server.FQDN = "dir01.contoso.com"
	ex, err := signin.Simulate(in, new(signin.Counter))
	if err != nil {
		t.Fatal(err)
	}
	return &ex
}

// TestRegisterViewConnections checks that the ladder is split by
// connection: a redirect starts a segment against the home pool, every
// message is shown once, in order, and a refused certificate leaves a
// segment without messages.
func TestRegisterViewConnections(t *testing.T) {
	ex := simulate(t, signin.Input{Account: `CONTOSO\jeremy`, HomePool: "pool02.contoso.com", Compression: true})
	v := NewRegisterView(ex, "dir01.contoso.com", "r")
	if len(v.Connections) != 2 {
		t.Fatalf("NewRegisterView(redirect) has %d connections; want 2", len(v.Connections))
	}
	c1, c2 := v.Connections[0], v.Connections[1]
	if c1.Host != "dir01.contoso.com" || c2.Host != "pool02.contoso.com" || c2.Reason != engine.ConnectionRedirected || c2.Ladder.Server != "pool02.contoso.com" {
		t.Errorf("connections = %s (%s), %s (%s, lane %s); want the Director, then the home pool redirected", c1.Host, c1.Reason, c2.Host, c2.Reason, c2.Ladder.Server)
	}
	n := 0
	for _, c := range v.Connections {
		if len(c.Ladder.Arrows) != len(c.Messages) {
			t.Errorf("connection %d: %d arrows for %d messages", c.N, len(c.Ladder.Arrows), len(c.Messages))
		}
		for _, m := range c.Messages {
			n++
			if m.N != n || m.ID != "r-msg-"+itoa(n) {
				t.Errorf("message %d numbered %d, id %q", n, m.N, m.ID)
			}
		}
	}
	if n != len(ex.Messages) || v.MessageCount != n {
		t.Errorf("the view shows %d messages (count %d); the exchange has %d", n, v.MessageCount, len(ex.Messages))
	}
	if !c1.Compression || c1.Messages[0].Summary != ex.Messages[0].Label || !strings.HasPrefix(ex.Messages[0].StartLine, "NEGOTIATE") {
		t.Errorf("first connection: compression %v, first message %q; want the NEGOTIATE", c1.Compression, c1.Messages[0].Summary)
	}

	refused := simulate(t, signin.Input{Account: `CONTOSO\jeremy`, CertificateNames: []string{"other.contoso.net"}})
	rv := NewRegisterView(refused, "dir01.contoso.com", "r")
	if rv.Failure != string(engine.KindCertificateNameMismatch) || len(rv.Connections) != 1 || !rv.Connections[0].Refused || rv.MessageCount != 0 {
		t.Errorf("certificate mismatch: failure %q, %d connections, refused %v, %d messages", rv.Failure, len(rv.Connections), len(rv.Connections) > 0 && rv.Connections[0].Refused, rv.MessageCount)
	}
	out := render(t, registerSection(*rv, "r"))
	for _, want := range []string{`data-failure="certificate-name-mismatch"`, `data-tls="name-mismatch"`, `data-status="failed"`, "no SIP message is sent"} {
		if !strings.Contains(out, want) {
			t.Errorf("refused certificate: section lacks %q", want)
		}
	}
}

// TestRegisterSectionHooks checks the hooks the browser tests read, and
// that a message's full text is escaped text in a <details>.
func TestRegisterSectionHooks(t *testing.T) {
	ex := simulate(t, signin.Input{Account: `CONTOSO\vadim`, Credentials: signin.SavedCredentials,
		Directory: []signin.User{{Account: `CONTOSO\jeremy`, Address: mustURI(t, "sip:jeremy@contoso.com")}, {Account: `CONTOSO\vadim`, Address: mustURI(t, "sip:vadim@contoso.com")}}})
	ex.Messages[0].Note = `<script>alert(1)</script>`
	ex.Messages[1].Headers = append(ex.Messages[1].Headers, engine.Header{Name: "X-Test", Value: `"><img src=x onerror=alert(2)>`})
	out := render(t, registerSection(*NewRegisterView(ex, "dir01.contoso.com", "r"), "r"))
	for _, want := range []string{`data-register="failed"`, `data-failure="address-and-account-mismatch"`, `data-testid="ladder-connection"`,
		`data-testid="ladder-arrow"`, `href="#r-msg-1"`, `id="r-msg-1"`, `data-testid="register-explanation"`, `data-testid="register-fix"`,
		"<details><summary>", "WWW-Authenticate: NTLM", "&lt;script&gt;", "&#34;&gt;&lt;img src=x"} {
		if !strings.Contains(out, want) {
			t.Errorf("register section lacks %q", want)
		}
	}
	if strings.Contains(out, "<script") || strings.Contains(out, "<img") {
		t.Error("register section holds unescaped markup")
	}
	if got, want := len(regexp.MustCompile(`data-testid="ladder-message"`).FindAllString(out, -1)), len(ex.Messages); got != want {
		t.Errorf("register section has %d ladder messages; want %d", got, want)
	}
}

// TestUnverifiedShown: what the simulation marks unverified is printed
// beside its message on the page, in the text report and in Markdown.
func TestUnverifiedShown(t *testing.T) {
	ex := simulate(t, signin.Input{Account: `CONTOSO\vadim`, Credentials: signin.PromptCredentials,
		Directory: []signin.User{{Account: `CONTOSO\jeremy`, Address: mustURI(t, "sip:jeremy@contoso.com")}, {Account: `CONTOSO\vadim`, AddressUnknown: true}}})
	last := ex.Messages[len(ex.Messages)-1]
	if len(last.Unverified) == 0 {
		t.Fatalf("the %s is not marked unverified", last.Label)
	}
	want := last.Unverified[0]
	html := render(t, registerSection(*NewRegisterView(ex, "dir01.contoso.com", "r"), "r"))
	if !strings.Contains(html, `data-testid="message-unverified"><strong>Unverified:</strong> `) || !strings.Contains(html, want) {
		t.Errorf("the page does not show %q", want)
	}
	rep := &engine.Report{URI: "sip:jeremy@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile, Outcome: engine.OutcomeConnect, Register: ex}
	for name, write := range map[string]func(io.Writer, *engine.Report) error{"text": WriteText, "Markdown": WriteMarkdown} {
		var b strings.Builder
		if err := write(&b, rep); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "Unverified:") || !strings.Contains(b.String(), "the status code 403 Forbidden") {
			t.Errorf("the %s report does not show %q:\n%s", name, want, b.String())
		}
	}
}

func mustURI(t *testing.T, s string) engine.URI {
	t.Helper()
	u, err := engine.ParseURI(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

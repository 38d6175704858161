package signin

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/google/go-cmp/cmp"
	"github.com/sipdisco/sipdisco/engine"
)

// contoso is the directory of the sign-in document's example users, plus
// Kim, whose account is not enabled for SIP.
var contoso = []User{
	{Account: `CONTOSO\jeremy`, UPN: "jeremy@contoso.com", Address: uri("sip:jeremy@contoso.com")},
	{Account: `CONTOSO\vadim`, UPN: "vadim@contoso.com", Address: uri("sip:vadim@contoso.com")},
	{Account: `CONTOSO\kim`, UPN: "kim@contoso.com"},
}

func base() Input {
	return Input{
		Address:     uri("sip:jeremy@contoso.com"),
		Account:     `CONTOSO\jeremy`,
		Credentials: PromptCredentials,
		Server:      Server{FQDN: "ocs1.contoso.com", Offers: []string{NTLM, Kerberos}},
		Directory:   contoso,
	}
}

func with(f func(*Input)) Input {
	in := base()
	f(&in)
	return in
}

// TestFailureCases checks that every failure the sign-in document lists,
// and the ones the exchange adds, is reproducible, yields its own failure
// kind, and comes with an explanation and a fix.
func TestFailureCases(t *testing.T) {
	tests := []struct {
		name       string
		in         Input
		failure    engine.Kind
		lastStatus string // start line of the last message
		messages   int
	}{
		{"no saved credentials", with(func(in *Input) { in.Credentials = NoCredentials }),
			engine.KindNoCredentials, "SIP/2.0 401 Unauthorized", 2},
		{"desktop credentials for another account", with(func(in *Input) {
			in.Credentials, in.DesktopAccount = CurrentCredentials, `CONTOSO\vadim`
		}), engine.KindDesktopCredentialsOtherAccount, "SIP/2.0 403 Forbidden", 4},
		{"mistyped sign-in address", with(func(in *Input) { in.Address = uri("sip:jermey@contoso.com") }),
			engine.KindUnknownSignInAddress, "SIP/2.0 404 Not Found", 6},
		{"mistyped account", with(func(in *Input) { in.Account = `CONTOSO\jermey` }),
			engine.KindWrongAccountOrPassword, "SIP/2.0 401 Unauthorized", 6},
		{"wrong password", with(func(in *Input) { in.WrongPassword = true }),
			engine.KindWrongAccountOrPassword, "SIP/2.0 401 Unauthorized", 6},
		{"address and account do not match", with(func(in *Input) { in.Account = `CONTOSO\vadim` }),
			engine.KindAddressAndAccountMismatch, "SIP/2.0 403 Forbidden", 6},
		{"not enabled for SIP", with(func(in *Input) { in.Address, in.Account = uri("sip:kim@contoso.com"), `CONTOSO\kim` }),
			engine.KindNotEnabledForSIP, "SIP/2.0 404 Not Found", 6},
		{"no protocol in common", with(func(in *Input) { in.Server.Offers = []string{Kerberos} }),
			engine.KindNoCommonProtocol, "SIP/2.0 401 Unauthorized", 2},
		{"certificate name mismatch", with(func(in *Input) {
			in.Server.FQDN, in.CertificateNames = "sip.contoso.com", []string{"pool01.contoso.com"}
		}), engine.KindCertificateNameMismatch, "", 0},
		{"home pool certificate name mismatch", with(func(in *Input) {
			in.HomePool, in.HomePoolCertificateNames = "pool01.contoso.com", []string{"*.pool.contoso.com"}
		}), engine.KindCertificateNameMismatch, "SIP/2.0 301 Redirect request to Home Server", 6},
		{"certificate expired", with(func(in *Input) {
			in.CertificateNotAfter, in.Now = stamp("2026-10-31"), stamp("2026-11-25T14:41:59Z")
		}), engine.KindCertificateExpired, "", 0},
	}
	explanations := map[string]string{}
	kinds := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := Simulate(tt.in, new(Counter))
			if err != nil {
				t.Fatalf("Simulate: %v", err)
			}
			if ex.Outcome != engine.SignInFailed || ex.Failure != tt.failure {
				t.Errorf("Simulate(%s) = %s/%s; want %s/%s", tt.name, ex.Outcome, ex.Failure, engine.SignInFailed, tt.failure)
			}
			if len(ex.Messages) != tt.messages {
				t.Errorf("%d messages; want %d", len(ex.Messages), tt.messages)
			}
			got := ""
			if len(ex.Messages) > 0 {
				got = ex.Messages[len(ex.Messages)-1].StartLine
			}
			if got != tt.lastStatus {
				t.Errorf("last message %q; want %q", got, tt.lastStatus)
			}
			if ex.Explanation == "" || ex.Fix == "" {
				t.Errorf("explanation %q, fix %q; want both", ex.Explanation, ex.Fix)
			}
			if other, dup := explanations[ex.Explanation]; dup {
				t.Errorf("same explanation as %q", other)
			}
			explanations[ex.Explanation] = tt.name
			if other, dup := kinds[string(tt.failure)+" "+tt.lastStatus]; dup && tt.failure != engine.KindWrongAccountOrPassword {
				t.Errorf("same failure and status as %q", other)
			}
			kinds[string(tt.failure)+" "+tt.lastStatus] = tt.name
		})
	}
}

// TestChoice checks the client's choice of protocol.
func TestChoice(t *testing.T) {
	tests := []struct {
		name   string
		in     Input
		want   string
		listed []string // the protocols of the first 401
	}{
		{"typed credentials use NTLM", base(), NTLM, []string{"NTLM", "Kerberos"}},
		{"Windows logon uses Kerberos", with(func(in *Input) { in.Credentials = CurrentCredentials }), Kerberos, []string{"NTLM", "Kerberos"}},
		{"Windows logon of an unknown account falls to NTLM",
			with(func(in *Input) { in.Credentials, in.DesktopAccount = CurrentCredentials, `PC1\local` }), NTLM, []string{"NTLM", "Kerberos"}},
		{"Lync 2013 prefers TLS-DSK", with(func(in *Input) { in.Client, in.Server.Offers = "lync-2013", nil }), TLSDSK, []string{"NTLM", "Kerberos", "TLS-DSK"}},
		{"TLS-DSK not listed to Communicator", with(func(in *Input) { in.Server.Offers = []string{"ntlm", "tls-dsk"} }), NTLM, []string{"NTLM"}},
		{"Lync 2010 prefers TLS-DSK (Lync 2010 Client Authentication)", with(func(in *Input) { in.Client, in.Server.Offers = "lync-2010", nil }), TLSDSK, []string{"NTLM", "Kerberos", "TLS-DSK"}},
		{"TLS-DSK alone is listed to all", with(func(in *Input) { in.Server.Offers = []string{"TLS-DSK"} }), "", []string{"TLS-DSK"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := Simulate(tt.in, new(Counter))
			if err != nil {
				t.Fatalf("Simulate: %v", err)
			}
			if ex.Protocol != tt.want {
				t.Errorf("Protocol = %q; want %q", ex.Protocol, tt.want)
			}
			var listed []string
			for _, v := range ex.Messages[1].Get("WWW-Authenticate") {
				listed = append(listed, strings.Fields(v)[0])
			}
			if diff := cmp.Diff(listed, tt.listed); diff != "" {
				t.Errorf("challenge lists (-got +want):\n%s", diff)
			}
		})
	}
}

// TestChallengeHeaders pins the challenge forms of [MS-SIPAE] §3.3.5.1:
// the Kerberos targetname is the SPN, NTLM's and TLS-DSK's the FQDN.
func TestChallengeHeaders(t *testing.T) {
	in := with(func(in *Input) {
		in.Client = "lync-2013"
		in.Server = Server{FQDN: "LYNC2013-SERVER.lync.loc"}
		in.Address, in.Account, in.Directory = uri("sip:a@lync.loc"), `LYNC\a`, nil
	})
	ex, err := Simulate(in, new(Counter))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`NTLM realm="SIP Communications Service", targetname="lync2013-server.lync.loc", version=4`,
		`Kerberos realm="SIP Communications Service", targetname="sip/lync2013-server.lync.loc", version=4`,
		`TLS-DSK realm="SIP Communications Service", targetname="lync2013-server.lync.loc", version=4, sts-uri="https://lync2013-server.lync.loc:443/CertProv/CertProvisioningService.svc"`,
	}
	if diff := cmp.Diff(ex.Messages[1].Get("WWW-Authenticate"), want); diff != "" {
		t.Errorf("WWW-Authenticate (-got +want):\n%s", diff)
	}
	for _, v := range []int{3, 4} {
		in := with(func(in *Input) { in.Server.ChallengeVersion = v })
		ex, err := Simulate(in, new(Counter))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range append(ex.Messages[1].Get("WWW-Authenticate"), ex.Messages[2].Get("Authorization")...) {
			if !strings.Contains(h, "version="+strconv.Itoa(v)) {
				t.Errorf("challenge version %d: header %q", v, h)
			}
		}
	}
}

// TestDialog checks the invariants of each registration and negotiation
// (messages sharing a Call-ID): one From; CSeq counting up from 1 with
// the request's method; a Via without a branch on every request, as
// Microsoft's clients send it; requests and responses alternating, each
// response echoing its request's CSeq and Call-ID and its Via with the
// port and connection the server received it on, one connection id per
// connection. A redirect starts a new registration (new Call-ID and From
// tag, same epid).
func TestDialog(t *testing.T) {
	for _, c := range loadGolden(t) {
		ex, err := Simulate(c.input, new(Counter))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		from := map[string]string{}
		cseq := map[string]int{}
		cids := map[string]int{} // connection id -> connection
		var last engine.Message
		conn := 0
		for i, m := range ex.Messages {
			for conn+1 < len(ex.Connections) && ex.Connections[conn+1].FirstMessage <= i {
				conn++
			}
			callID := m.Get("Call-ID")[0]
			if f, ok := from[callID]; ok && m.Get("From")[0] != f {
				t.Errorf("%s #%d: From %q; want %q", c.name, i+1, m.Get("From")[0], f)
			}
			from[callID] = m.Get("From")[0]
			if m.IsRequest() {
				if last.IsRequest() && i > 0 {
					t.Errorf("%s #%d: two requests in a row", c.name, i+1)
				}
				cseq[callID]++
				method, _, _ := strings.Cut(m.StartLine, " ")
				if got, want := m.Get("CSeq"), []string{fmt.Sprintf("%d %s", cseq[callID], method)}; !cmp.Equal(got, want) {
					t.Errorf("%s #%d: CSeq %q; want %q", c.name, i+1, got, want)
				}
				if via := m.Get("Via")[0]; via != "SIP/2.0/"+strings.ToUpper(ex.Connections[conn].Transport)+" 192.0.2.10:50000" && !strings.Contains(c.input.ClientAddress, strings.Fields(via)[1]) {
					t.Errorf("%s #%d: Via %q; want the client's address and no branch", c.name, i+1, via)
				}
			} else {
				if !last.IsRequest() {
					t.Errorf("%s #%d: response without a request", c.name, i+1)
				}
				for _, h := range []string{"CSeq", "Call-ID"} {
					if got, want := m.Get(h), last.Get(h); !cmp.Equal(got, want) {
						t.Errorf("%s #%d: %s %q; want the request's %q", c.name, i+1, h, got, want)
					}
				}
				via, req := m.Get("Via")[0], last.Get("Via")[0]
				rest, ok := strings.CutPrefix(via, req+";ms-received-port=")
				port, cid, _ := strings.Cut(rest, ";ms-received-cid=")
				if !ok || !strings.HasSuffix(req, ":"+port) || cid == "" {
					t.Errorf("%s #%d: Via %q; want the request's %q with ms-received-port and ms-received-cid", c.name, i+1, via, req)
				}
				if n, seen := cids[cid]; seen && n != conn {
					t.Errorf("%s #%d: connection id %s of connection %d reused on connection %d", c.name, i+1, cid, n+1, conn+1)
				}
				cids[cid] = conn
			}
			last = m
		}
		if len(ex.Messages) > 0 && last.IsRequest() {
			t.Errorf("%s: ends with a request", c.name)
		}
	}
}

// TestConnections checks how connections and messages fit: every exchange
// has a connection, the first one to the server discovery found; the
// messages of a connection follow one another; a second connection comes
// only after a 301, to the host its Contact names; a TLS connection has a
// certificate check and a TCP one none; a refused certificate ends the
// exchange with no message on its connection.
func TestConnections(t *testing.T) {
	for _, c := range loadGolden(t) {
		ex, err := Simulate(c.input, new(Counter))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(ex.Connections) == 0 || ex.Connections[0].Reason != engine.ConnectionDiscovered || ex.Connections[0].FirstMessage != 0 {
			t.Fatalf("%s: connections %+v; want the discovered one first, at message 0", c.name, ex.Connections)
		}
		for i, conn := range ex.Connections {
			if (conn.Transport == "tls") != (conn.TLS != nil) {
				t.Errorf("%s: connection %d over %s has TLS %v", c.name, i+1, conn.Transport, conn.TLS)
			}
			if len(conn.Steps) == 0 || conn.Steps[0].Kind != engine.StepConnect {
				t.Errorf("%s: connection %d steps %+v; want the TCP connection first", c.name, i+1, conn.Steps)
			}
			for _, st := range conn.Steps {
				if st.Text == "" || st.Status == "" {
					t.Errorf("%s: connection %d step %+v: want a status and a text", c.name, i+1, st)
				}
			}
			if i == 0 {
				continue
			}
			if conn.Reason != engine.ConnectionRedirected {
				t.Errorf("%s: connection %d reason %q; want %q", c.name, i+1, conn.Reason, engine.ConnectionRedirected)
			}
			prev := ex.Messages[conn.FirstMessage-1]
			if !strings.HasPrefix(prev.StartLine, "SIP/2.0 301 ") {
				t.Errorf("%s: connection %d follows %q; want a 301", c.name, i+1, prev.StartLine)
			}
			if want := fmt.Sprintf("<sip:%s:%d;transport=%s>", conn.Host, conn.Port, conn.Transport); prev.Get("Contact")[0] != want {
				t.Errorf("%s: 301 Contact %q; want %q", c.name, prev.Get("Contact")[0], want)
			}
		}
		lastConn := ex.Connections[len(ex.Connections)-1]
		if lastConn.TLS != nil && (lastConn.TLS.Status == engine.CertNameMismatch || lastConn.TLS.Status == engine.CertExpired) {
			if ex.Outcome != engine.SignInFailed || lastConn.FirstMessage != len(ex.Messages) {
				t.Errorf("%s: refused certificate, but outcome %s and messages %d..%d", c.name, ex.Outcome, lastConn.FirstMessage, len(ex.Messages))
			}
		} else if lastConn.FirstMessage >= len(ex.Messages) {
			t.Errorf("%s: last connection sends no message", c.name)
		}
	}
}

// TestCertificate checks the certificate step: names matched as
// MatchCertificateName matches them, the expiry compared with Now, and the
// case when nothing is given.
func TestCertificate(t *testing.T) {
	tests := []struct {
		name      string
		fqdn      string
		names     []string
		notAfter  string
		now       string
		status    string
		matchedBy string
		textHas   string
	}{
		{"nothing given", "sip.contoso.com", nil, "", "", engine.CertAssumed, "", "not simulated"},
		{"exact name", "sip.contoso.com", []string{"pool01.contoso.com", "SIP.contoso.com."}, "", "", engine.CertValid, "sip.contoso.com", "names sip.contoso.com"},
		{"wildcard", "sip.contoso.com", []string{"*.contoso.com"}, "", "", engine.CertValid, "*.contoso.com", "by the wildcard *.contoso.com"},
		{"wildcard one label only", "sip.emea.contoso.com", []string{"*.contoso.com"}, "", "", engine.CertNameMismatch, "", "covers one label only"},
		{"partial wildcard", "sip.contoso.com", []string{"s*.contoso.com"}, "", "", engine.CertNameMismatch, "", "other than a whole left-most label"},
		{"top-level wildcard", "contoso.com", []string{"*.com"}, "", "", engine.CertNameMismatch, "", "whole top-level domain"},
		{"domain is not sip.domain", "sip.contoso.com", []string{"contoso.com"}, "", "", engine.CertNameMismatch, "", "its only name is contoso.com"},
		{"expiry only, valid", "sip.contoso.com", nil, "2027-01-01", "2026-12-31T23:59:59Z", engine.CertValid, "", "valid until 2027-01-01 00:00 UTC"},
		{"expiry only, expired", "sip.contoso.com", nil, "2026-01-01", "2026-01-01T00:00:01Z", engine.CertExpired, "", "expired on 2026-01-01 00:00 UTC"},
		{"expiry at the very moment", "sip.contoso.com", nil, "2026-01-01T00:00:00Z", "2026-01-01", engine.CertValid, "", "valid until"},
		{"fraction dropped", "sip.contoso.com", nil, "2026-01-01T00:00:00.999Z", "2026-01-01T00:00:00Z", engine.CertValid, "", "valid until"},
		{"mismatch wins over expiry", "sip.contoso.com", []string{"pool01.contoso.com"}, "2020-01-01", "2026-11-25", engine.CertNameMismatch, "", "It has also expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := with(func(in *Input) {
				in.Server.FQDN = tt.fqdn
				in.CertificateNames, in.CertificateNotAfter, in.Now = tt.names, stamp(tt.notAfter), stamp(tt.now)
			})
			ex, err := Simulate(in, new(Counter))
			if err != nil {
				t.Fatal(err)
			}
			tls := ex.Connections[0].TLS
			if tls.Status != tt.status || tls.MatchedBy != tt.matchedBy {
				t.Errorf("TLS = %s by %q; want %s by %q", tls.Status, tls.MatchedBy, tt.status, tt.matchedBy)
			}
			step := ex.Connections[0].Steps[1]
			if step.Kind != engine.StepCertificate || !strings.Contains(step.Text, tt.textHas) {
				t.Errorf("step %+v; want a certificate step saying %q", step, tt.textHas)
			}
			if failed := tt.status == engine.CertNameMismatch || tt.status == engine.CertExpired; failed != (ex.Outcome == engine.SignInFailed) || failed && len(ex.Messages) != 0 {
				t.Errorf("outcome %s with %d messages for certificate %s", ex.Outcome, len(ex.Messages), tls.Status)
			}
		})
	}
	// Over TCP there is no certificate, whatever names are given.
	ex, err := Simulate(with(func(in *Input) {
		in.Server.Transport, in.CertificateNames = "tcp", []string{"other.example.com"}
	}), new(Counter))
	if err != nil {
		t.Fatal(err)
	}
	if ex.Outcome != engine.SignInRegistered || ex.Connections[0].TLS != nil || len(ex.Connections[0].Steps) != 1 {
		t.Errorf("TCP with certificate names: outcome %s, connection %+v; want registered with no TLS step", ex.Outcome, ex.Connections[0])
	}
}

// TestCompression checks that compression is negotiated only over TLS
// and only when asked for, on each connection.
func TestCompression(t *testing.T) {
	tests := []struct {
		name       string
		in         Input
		negotiates []bool // per connection
		lastStep   string // status of the last step of the first connection
	}{
		{"off by default", base(), []bool{false}, engine.StepAssumed},
		{"TLS", with(func(in *Input) { in.Compression = true }), []bool{true}, engine.StepOK},
		{"TCP skips it", with(func(in *Input) { in.Compression, in.Server.Transport = true, "tcp" }), []bool{false}, engine.StepSkipped},
		{"again after a redirect", with(func(in *Input) { in.Compression, in.HomePool = true, "pool01.contoso.com" }), []bool{true, true}, engine.StepOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := Simulate(tt.in, new(Counter))
			if err != nil {
				t.Fatal(err)
			}
			if ex.Outcome != engine.SignInRegistered {
				t.Fatalf("outcome %s: %s", ex.Outcome, ex.Explanation)
			}
			if len(ex.Connections) != len(tt.negotiates) {
				t.Fatalf("%d connections; want %d", len(ex.Connections), len(tt.negotiates))
			}
			for i, c := range ex.Connections {
				first := ex.Messages[c.FirstMessage]
				if got := strings.HasPrefix(first.StartLine, "NEGOTIATE "); got != tt.negotiates[i] || c.Compression != tt.negotiates[i] {
					t.Errorf("connection %d: compression %v, first message %q; want negotiation %v", i+1, c.Compression, first.StartLine, tt.negotiates[i])
				}
			}
			steps := ex.Connections[0].Steps
			if got := steps[len(steps)-1].Status; got != tt.lastStep {
				t.Errorf("last step %+v; want status %s", steps[len(steps)-1], tt.lastStep)
			}
		})
	}
}

// TestRedirect checks the redirect to the home pool: only when the home
// pool is another server and the credentials are good; the client then
// signs in again with the same protocol at the home pool.
func TestRedirect(t *testing.T) {
	tests := []struct {
		name     string
		in       Input
		statuses []string // start lines of the server's verdicts
		outcome  engine.SignInOutcome
	}{
		{"home pool is the server", with(func(in *Input) { in.HomePool = "OCS1.contoso.com." }), []string{"SIP/2.0 200 OK"}, engine.SignInRegistered},
		{"Director redirects", with(func(in *Input) { in.Server.FQDN, in.HomePool = "dir01.contoso.com", "pool01.contoso.com" }),
			[]string{"SIP/2.0 301 Redirect request to Home Server", "SIP/2.0 200 OK"}, engine.SignInRegistered},
		{"Kerberos at both", with(func(in *Input) { in.Credentials, in.HomePool = CurrentCredentials, "pool01.contoso.com" }),
			[]string{"SIP/2.0 301 Redirect request to Home Server", "SIP/2.0 200 OK"}, engine.SignInRegistered},
		{"TLS-DSK at both", with(func(in *Input) { in.Client, in.Server.Offers, in.HomePool = "lync-2013", nil, "pool01.contoso.com" }),
			[]string{"SIP/2.0 301 Redirect request to Home Server", "SIP/2.0 200 OK"}, engine.SignInRegistered},
		{"wrong password: no redirect", with(func(in *Input) { in.WrongPassword, in.HomePool = true, "pool01.contoso.com" }), []string{"SIP/2.0 401 Unauthorized"}, engine.SignInFailed},
		{"unknown address: no redirect", with(func(in *Input) { in.Address, in.HomePool = uri("sip:jermey@contoso.com"), "pool01.contoso.com" }), []string{"SIP/2.0 404 Not Found"}, engine.SignInFailed},
		{"home pool certificate refused", with(func(in *Input) {
			in.HomePool, in.HomePoolCertificateNames = "pool01.contoso.com", []string{"pool02.contoso.com"}
		}), []string{"SIP/2.0 301 Redirect request to Home Server"}, engine.SignInFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := Simulate(tt.in, new(Counter))
			if err != nil {
				t.Fatal(err)
			}
			// A verdict is a response signed by the server (Authentication-Info)
			// or carrying its diagnosis.
			var got []string
			for _, m := range ex.Messages {
				if len(m.Get("Authentication-Info"))+len(m.Get("ms-diagnostics")) > 0 {
					got = append(got, m.StartLine)
				}
			}
			if diff := cmp.Diff(got, tt.statuses); diff != "" {
				t.Errorf("verdicts (-got +want):\n%s", diff)
			}
			if ex.Outcome != tt.outcome {
				t.Errorf("outcome %s; want %s (%s)", ex.Outcome, tt.outcome, ex.Explanation)
			}
		})
	}
}

// TestMessageWireFormat checks String: CRLF line endings, a header per
// line, and Content-Length counting the body's bytes.
func TestMessageWireFormat(t *testing.T) {
	m := engine.Message{
		StartLine: "SIP/2.0 200 OK",
		Headers:   []engine.Header{header("Content-Type", "text/plain; charset=utf-8")},
		Body:      "héllo\r\n",
	}
	want := "SIP/2.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 8\r\n\r\nhéllo\r\n"
	if got := m.String(); got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	for _, c := range loadGolden(t) {
		ex, err := Simulate(c.input, new(Counter))
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range ex.Messages {
			text := m.String()
			head, body, ok := strings.Cut(text, "\r\n\r\n")
			if !ok || body != m.Body {
				t.Fatalf("%s #%d: no empty line before the body", c.name, i+1)
			}
			for _, line := range strings.Split(head, "\r\n") {
				if strings.ContainsAny(line, "\r\n") || line == "" {
					t.Errorf("%s #%d: bad line %q", c.name, i+1, line)
				}
				if len(line) > 998 {
					t.Errorf("%s #%d: line of %d bytes", c.name, i+1, len(line))
				}
			}
			if !strings.HasSuffix(head, "\r\nContent-Length: "+strconv.Itoa(len(m.Body))) {
				t.Errorf("%s #%d: does not end with Content-Length %d", c.name, i+1, len(m.Body))
			}
		}
	}
}

// TestInputErrors checks that unusable input is an *InputError naming the
// field, above all values that would inject headers.
func TestInputErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    Input
		field string
	}{
		{"no address", with(func(in *Input) { in.Address = engine.URI{} }), "address"},
		{"CRLF in account", with(func(in *Input) { in.Account = "CONTOSO\\jeremy\r\nX: 1" }), "account"},
		{"quote in account", with(func(in *Input) { in.Account = `CONTOSO\jer"emy` }), "account"},
		{"account without user", with(func(in *Input) { in.Account = `CONTOSO\` }), "account"},
		{"long NetBIOS domain", with(func(in *Input) { in.Account = `CONTOSOCONTOSOCONTOSO\jeremy` }), "account"},
		{"account with two forms", with(func(in *Input) { in.Account = `CONTOSO\jeremy@contoso.com` }), "account"},
		{"long account", with(func(in *Input) { in.Account = strings.Repeat("a", 300) + "@contoso.com" }), "account"},
		{"prompt without account", with(func(in *Input) { in.Account = "" }), "account"},
		{"current without any account", with(func(in *Input) { in.Credentials, in.Account = CurrentCredentials, "" }), "desktopAccount"},
		{"CRLF in desktop account", with(func(in *Input) { in.DesktopAccount = "CONTOSO\\vadim\r\n" }), "desktopAccount"},
		{"unknown credentials", with(func(in *Input) { in.Credentials = "kerberos" }), "credentials"},
		{"unknown client", with(func(in *Input) { in.Client = "skype-2030" }), "client"},
		{"CRLF in client", with(func(in *Input) { in.Client = "lync-2013\r\n" }), "client"},
		{"no server", with(func(in *Input) { in.Server.FQDN = "" }), "server.fqdn"},
		{"CRLF in server", with(func(in *Input) { in.Server.FQDN = "ocs1.contoso.com\r\nX: 1" }), "server.fqdn"},
		{"server with quote", with(func(in *Input) { in.Server.FQDN = `ocs1".contoso.com` }), "server.fqdn"},
		{"server with port", with(func(in *Input) { in.Server.FQDN = "ocs1.contoso.com:5061" }), "server.fqdn"},
		{"server label too long", with(func(in *Input) { in.Server.FQDN = strings.Repeat("a", 64) + ".com" }), "server.fqdn"},
		{"server name too long", with(func(in *Input) { in.Server.FQDN = strings.Repeat("a.", 127) + "com" }), "server.fqdn"},
		{"bad transport", with(func(in *Input) { in.Server.Transport = "udp" }), "server.transport"},
		{"bad port", with(func(in *Input) { in.Server.Port = 70000 }), "server.port"},
		{"bad offer", with(func(in *Input) { in.Server.Offers = []string{"Digest"} }), "server.offers"},
		{"CRLF in offer", with(func(in *Input) { in.Server.Offers = []string{"NTLM\r\n"} }), "server.offers"},
		{"bad version", with(func(in *Input) { in.Server.ChallengeVersion = 5 }), "server.challengeVersion"},
		{"bad directory account", with(func(in *Input) { in.Directory = []User{{Account: "x\ny"}} }), "directory[0].account"},
		{"directory UPN not a UPN", with(func(in *Input) { in.Directory = []User{{Account: `C\x`, UPN: `C\x`}} }), "directory[0].upn"},
		{"duplicate address", with(func(in *Input) {
			in.Directory = []User{{Account: `C\x`, Address: uri("sip:x@y.com")}, {Account: `C\y`, Address: uri("x@Y.com")}}
		}), "directory[1].address"},
		{"huge directory", with(func(in *Input) { in.Directory = make([]User, maxDirectory+1) }), "directory"},
		{"bad client address", with(func(in *Input) { in.ClientAddress = "pc1.contoso.com:5060" }), "clientAddress"},
		{"CRLF in client address", with(func(in *Input) { in.ClientAddress = "192.0.2.1:5060\r\n" }), "clientAddress"},
		{"CRLF in certificate name", with(func(in *Input) { in.CertificateNames = []string{"sip.contoso.com\r\nX: 1"} }), "certificateNames[0]"},
		{"space in certificate name", with(func(in *Input) { in.CertificateNames = []string{"ok.com", "sip contoso.com"} }), "certificateNames[1]"},
		{"empty certificate name", with(func(in *Input) { in.CertificateNames = []string{"."} }), "certificateNames[0]"},
		{"too many certificate names", with(func(in *Input) { in.CertificateNames = make([]string, maxCertificateNames+1) }), "certificateNames"},
		{"quote in home pool certificate name", with(func(in *Input) { in.HomePoolCertificateNames = []string{`a".com`} }), "homePoolCertificateNames[0]"},
		{"not-after without now", with(func(in *Input) { in.CertificateNotAfter = stamp("2026-10-31") }), "now"},
		{"bad home pool", with(func(in *Input) { in.HomePool = "pool01.contoso.com:5061" }), "homePool"},
		{"CRLF in home pool", with(func(in *Input) { in.HomePool = "pool01.contoso.com\r\nX: 1" }), "homePool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := Simulate(tt.in, new(Counter))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Simulate = %d messages, %v; want an *InputError", len(ex.Messages), err)
			}
			if ie.Field != tt.field {
				t.Errorf("error field = %q; want %q (%v)", ie.Field, tt.field, err)
			}
			if ie.Reason == "" || strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error %q: want a reason and no line breaks", err)
			}
		})
	}
}

// TestBadIDs checks that a faulty IDs source cannot inject anything.
func TestBadIDs(t *testing.T) {
	for k := Kind(0); k < numKinds; k++ {
		t.Run(k.String(), func(t *testing.T) {
			c := new(Counter)
			ids := IDsFunc(func(got Kind) string {
				if got == k {
					return "1\r\nX-Injected: yes"
				}
				return c.Next(got)
			})
			ex, err := Simulate(with(func(in *Input) { in.Client = "lync-2010" }), ids)
			if err == nil || !strings.Contains(err.Error(), k.String()) {
				t.Errorf("Simulate with a bad %s = %d messages, %v; want an error naming it", k, len(ex.Messages), err)
			}
		})
	}
	if _, err := Simulate(base(), nil); err == nil {
		t.Error("Simulate with nil IDs: no error")
	}
}

// TestRandIDs checks that values drawn from a random source have the
// forms checkID wants, and that the same draws give the same exchange.
func TestRandIDs(t *testing.T) {
	seq := func() func() uint64 {
		x := uint64(0x9e3779b97f4a7c15)
		return func() uint64 { // splitmix64
			x += 0x9e3779b97f4a7c15
			z := x
			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
			z = (z ^ (z >> 27)) * 0x94d049bb133111eb
			return z ^ (z >> 31)
		}
	}
	for k := Kind(0); k < numKinds; k++ {
		ids := RandIDs(seq())
		for i := 0; i < 50; i++ {
			if err := checkID(k, ids.Next(k)); err != nil {
				t.Fatal(err)
			}
		}
	}
	in := with(func(in *Input) { in.Client = "lync-2013"; in.Server.Offers = nil; in.Credentials = CurrentCredentials })
	a, err := Simulate(in, RandIDs(seq()))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Simulate(in, RandIDs(seq()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same random draws, different exchanges (-got +want):\n%s", diff)
	}
	for _, m := range a.Messages {
		checkParses(t, m)
	}
	epid := strings.TrimPrefix(regexp.MustCompile(`epid=[0-9a-f]+`).FindString(a.Messages[0].Get("From")[0]), "epid=")
	if want := `+sip.instance="<urn:uuid:` + instanceOf(epid, true) + `>"`; !strings.HasSuffix(a.Messages[0].Get("Contact")[0], want) {
		t.Errorf("Contact %q: want it to end in %s, derived from epid %q", a.Messages[0].Get("Contact")[0], want, epid)
	}
}

// TestJSON checks the field names of the report's "register" field.
func TestJSON(t *testing.T) {
	ex, err := Simulate(with(func(in *Input) {
		in.Account, in.CertificateNames, in.CertificateNotAfter, in.Now = `CONTOSO\vadim`, []string{"*.contoso.com"}, stamp("2027-01-01"), stamp("2026-11-25")
	}), new(Counter))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range top {
		keys = append(keys, k)
	}
	var msgs []map[string]json.RawMessage
	if err := json.Unmarshal(top["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	for k := range msgs[0] {
		keys = append(keys, "messages."+k)
	}
	var conns []map[string]json.RawMessage
	if err := json.Unmarshal(top["connections"], &conns); err != nil || len(conns) == 0 {
		t.Fatalf("connections %s: %v", top["connections"], err)
	}
	for k := range conns[0] {
		keys = append(keys, "connections."+k)
	}
	var tls map[string]json.RawMessage
	if err := json.Unmarshal(conns[0]["tls"], &tls); err != nil {
		t.Fatal(err)
	}
	for k := range tls {
		keys = append(keys, "tls."+k)
	}
	for _, k := range keys {
		if !regexp.MustCompile(`^([a-z]+[A-Za-z]*\.)?[a-z][A-Za-z]*$`).MatchString(k) {
			t.Errorf("JSON key %q is not lowerCamelCase", k)
		}
	}
	var back engine.Exchange
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(back, ex); diff != "" {
		t.Errorf("JSON round trip (-got +want):\n%s", diff)
	}
	// And an Input survives JSON too (a share link carries it).
	in := with(func(in *Input) {
		in.WrongPassword, in.Compression, in.HomePool = true, true, "pool01.contoso.com"
		in.CertificateNames, in.HomePoolCertificateNames = []string{"sip.contoso.com"}, []string{"pool01.contoso.com"}
		in.CertificateNotAfter, in.Now = stamp("2027-01-01"), stamp("2026-11-25T14:41:59Z")
	})
	b, err = json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var inBack Input
	if err := json.Unmarshal(b, &inBack); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(inBack, in); diff != "" {
		t.Errorf("Input JSON round trip (-got +want):\n%s", diff)
	}
}

// TestDeps keeps the package pure: it is part of the engine, which runs
// in the browser and must not do I/O, read the clock or use global
// randomness (docs/adr/0001-engine-is-pure.md). It builds on the engine's types.
func TestDeps(t *testing.T) {
	allowed := map[string]bool{
		"encoding/base64": true, "encoding/binary": true, "encoding/hex": true, "fmt": true, "math/bits": true,
		"net/netip": true, "strconv": true, "strings": true, "unicode/utf8": true,
		"time": true, "github.com/sipdisco/sipdisco/engine": true,
	}
	banned := map[string]string{
		"crypto/sha1": "its FIPS 140 module adds about 100 KB brotli to the browser's first module: sha1Sum",
		"os":          "no I/O", "net": "no I/O", "net/http": "no I/O, and too big for WASM",
		"syscall/js": "only wasm/ talks to JavaScript", "github.com/miekg/dns": "only dohclient knows miekg/dns",
		"math/rand": "no global randomness", "math/rand/v2": "no global randomness",
		"crypto/rand": "randomness is injected",
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, clock := range []string{"time.Now(", "time.Since(", "time.Until(", "time.After(", "time.Tick("} {
			if strings.Contains(string(src), clock) {
				t.Errorf("%s calls %s: the moment of the sign-in is Input.Now", f, strings.TrimSuffix(clock, "("))
			}
		}
		af, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if why, bad := banned[p]; bad {
				t.Errorf("%s imports %s: banned (%s)", f, p, why)
			} else if !allowed[p] {
				t.Errorf("%s imports %s: not on the allowed list of pure packages", f, p)
			}
		}
	}
}

// FuzzSimulate checks that any input either is refused with an
// *InputError or gives messages that parse as SIP, with no header value
// carrying a line break.
func FuzzSimulate(f *testing.F) {
	f.Add("sip:jeremy@contoso.com", `CONTOSO\vadim`, `CONTOSO\jeremy`, "ocs1.contoso.com", "prompt", "lync-2013", "NTLM", "*.contoso.com", "pool01.contoso.com", "2027-01-01", true)
	f.Add("jeremy@contoso.com\r\nX: 1", "a@b.c", "", "x", "current", "", "TLS-DSK", "x\r\ny", "", "", false)
	f.Fuzz(func(t *testing.T, addr, acct, desktop, fqdn, creds, client, offer, certName, homePool, notAfter string, compression bool) {
		u, err := engine.ParseURI(addr)
		if err != nil {
			return // the engine refuses it before any sign-in
		}
		in := Input{
			Client: client, Address: u, Account: acct, DesktopAccount: desktop, Credentials: creds,
			Server:           Server{FQDN: fqdn, Offers: []string{offer}},
			CertificateNames: []string{certName}, HomePool: homePool, HomePoolCertificateNames: []string{certName},
			CertificateNotAfter: stamp(notAfter), Now: stamp("2026-11-25T14:41:59Z"), Compression: compression,
		}
		ex, err := Simulate(in, new(Counter))
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			return
		}
		for _, m := range ex.Messages {
			for _, h := range m.Headers {
				if strings.ContainsAny(h.Value, "\r\n\x00") {
					t.Fatalf("header %s: %q", h.Name, h.Value)
				}
			}
			if _, err := sip.ParseMessage([]byte(m.String())); err != nil {
				t.Fatalf("does not parse: %v\n%s", err, m)
			}
		}
	})
}

// uri parses a sign-in address of a test case.
func uri(s string) engine.URI {
	u, err := engine.ParseURI(s)
	if err != nil {
		panic(err)
	}
	return u
}

// stamp reads a test case's moment, "2026-11-25" or RFC 3339; anything
// else (and "") is the zero time.
func stamp(s string) time.Time {
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// TestInstanceFromEpid: +sip.instance is the name-based UUID of the epid
// ([MS-SIPRE] §3.3.3), checked against [MS-SIPRE] §4.2's example and the
// Communicator 2007 R2 trace kept in the SIPE client's tests, whose GRUU
// the registrar built from the same bytes.
func TestInstanceFromEpid(t *testing.T) {
	for _, tt := range []struct{ epid, upper, lower string }{
		{"01010101", "4B1682A8-F968-5701-83FC-7C6741DC6697", "4b1682a8-f968-5701-83fc-7c6741dc6697"},
		{"c8ca638a15", "34D859DB-6585-5F91-A3B4-DE853C15347D", "34d859db-6585-5f91-a3b4-de853c15347d"},
	} {
		if got := instanceOf(tt.epid, true); got != tt.upper {
			t.Errorf("instanceOf(%s, upper) = %s; want %s", tt.epid, got, tt.upper)
		}
		if got := instanceOf(tt.epid, false); got != tt.lower {
			t.Errorf("instanceOf(%s, lower) = %s; want %s", tt.epid, got, tt.lower)
		}
	}
	want := "sip:user@cosmo.local;opaque=user:epid:21nYNIVlkV-jtN6FPBU0fQAA;gruu"
	if got := gruuOf(address{User: "user", Domain: "cosmo.local"}, "c8ca638a15"); got != want {
		t.Errorf("gruuOf = %s; want the trace's %s", got, want)
	}
	ex, err := Simulate(base(), new(Counter))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ex.Messages {
		if c := m.Get("Contact"); m.IsRequest() && !strings.Contains(c[0], instanceOf("0000000001", true)) {
			t.Errorf("Contact %q: want the instance of epid 0000000001", c)
		}
	}
}

// TestServerChoosesVersion: version= is the server's ([MS-SIPAE]
// §3.3.5.1): 3 for OCS 2007, 4 from OCS 2007 R2 on; in version 4 the
// final NTLM REGISTER is signed, as the Communicator 2007 R2 trace shows
// (issue 16, item 11).
func TestServerChoosesVersion(t *testing.T) {
	for _, tt := range []struct {
		client  string
		version int
		server  string
	}{{"communicator-2007", 3, "RTC/3.0"}, {"communicator-2007-r2", 4, "RTC/3.5"}, {"lync-2010", 4, "RTC/4.0"}, {"lync-2013", 4, "RTC/5.0"}} {
		ex, err := Simulate(with(func(in *Input) { in.Client = tt.client }), new(Counter))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range ex.Messages[1].Get("WWW-Authenticate") {
			if !strings.HasSuffix(h, "version="+strconv.Itoa(tt.version)) {
				t.Errorf("%s: challenge %q; want version=%d", tt.client, h, tt.version)
			}
		}
		final := ex.Messages[len(ex.Messages)-2].Get("Authorization")[0]
		if signed := strings.Contains(final, "crand="); signed != (tt.version >= 4) {
			t.Errorf("%s: final REGISTER %q signed = %v; want %v", tt.client, final, signed, tt.version >= 4)
		}
		for _, m := range ex.Messages {
			if !m.IsRequest() && !cmp.Equal(m.Get("Server"), []string{tt.server}) {
				t.Errorf("%s: %s Server %q; want %s", tt.client, m.Label, m.Get("Server"), tt.server)
			}
		}
	}
}

// TestMessageForms pins what an administrator compares with a trace: no
// branch on a client's Via; the server's ms-received-port and
// ms-received-cid; ms-opaque and methods in the Contact from Communicator
// 2007 R2 on; the 200 OK's ms-keep-alive, gruu, Allow-Events and Server;
// signatures of their real lengths (NTLM's 16 bytes, a Kerberos MIC token,
// an HMAC-SHA1 for TLS-DSK); Authentication-Info in the order of OCS or of
// Lync Server (issue 16, item 11).
func TestMessageForms(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    Input
		proto string
		sig   *regexp.Regexp
		info  string // Authentication-Info prefix
	}{
		{"NTLM, OCS 2007 R2", base(), NTLM, regexp.MustCompile(`^01000000[0-9A-Fa-f]{24}$`), `NTLM rspauth="`},
		{"Kerberos, OCS 2007 R2", with(func(in *Input) { in.Credentials = CurrentCredentials }), Kerberos,
			regexp.MustCompile(`(?i)^602306092A864886F71201020201011100FFFFFFFF[0-9A-F]{32}$`), `Kerberos rspauth="`},
		{"TLS-DSK, Lync Server 2013", with(func(in *Input) { in.Client, in.Credentials, in.Server.Offers = "lync-2013", CurrentCredentials, nil }), TLSDSK,
			regexp.MustCompile(`^[0-9A-Fa-f]{40}$`), `TLS-DSK qop="auth", opaque="`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := Simulate(tt.in, new(Counter))
			if err != nil || ex.Protocol != tt.proto || ex.Outcome != engine.SignInRegistered {
				t.Fatalf("Simulate = %s/%s, %v; want registered with %s", ex.Outcome, ex.Protocol, err, tt.proto)
			}
			for _, m := range ex.Messages {
				via := m.Get("Via")[0]
				if strings.Contains(via, "branch") || m.IsRequest() == strings.Contains(via, ";ms-received-cid=") {
					t.Errorf("%s: Via %q", m.Label, via)
				}
				if m.IsRequest() && !strings.Contains(m.Get("Contact")[0], `;ms-opaque=`) || m.IsRequest() && !strings.Contains(m.Get("Contact")[0], `;methods="INVITE, MESSAGE, INFO, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, BENOTIFY"`) {
					t.Errorf("%s: Contact %q; want ms-opaque and methods", m.Label, m.Get("Contact")[0])
				}
			}
			ok := ex.Messages[len(ex.Messages)-1]
			for _, h := range []string{"ms-keep-alive", "Allow-Events", "Server"} {
				if len(ok.Get(h)) != 1 {
					t.Errorf("200 OK has %d %s headers; want 1", len(ok.Get(h)), h)
				}
			}
			if !strings.Contains(ok.Get("Contact")[0], `;gruu="sip:jeremy@contoso.com;opaque=user:epid:`) {
				t.Errorf("200 OK Contact %q; want a gruu", ok.Get("Contact")[0])
			}
			info := ok.Get("Authentication-Info")[0]
			if !strings.HasPrefix(info, tt.info) {
				t.Errorf("Authentication-Info %q; want it to start %q", info, tt.info)
			}
			rspauth := regexp.MustCompile(`rspauth="([^"]*)"`).FindStringSubmatch(info)[1]
			response := regexp.MustCompile(`response="([^"]*)"`).FindStringSubmatch(ex.Messages[len(ex.Messages)-2].Get("Authorization")[0])
			if !tt.sig.MatchString(rspauth) || response == nil || !tt.sig.MatchString(response[1]) {
				t.Errorf("signatures rspauth %q, response %q; want %s", rspauth, response, tt.sig)
			}
		})
	}
}

// TestTargetNameIsTheServers: targetname and the ms-diagnostics source
// are the server's own FQDN (the service principal sip/<that> for
// Kerberos), not the alias the client dialled; when the simulation does
// not know it, the ladder says the dialled name stands in (issue 16, item
// 9).
func TestTargetNameIsTheServers(t *testing.T) {
	in := with(func(in *Input) {
		in.Server = Server{FQDN: "sip.contoso.com", Name: "fe01.contoso.com", Offers: []string{NTLM, Kerberos}}
		in.Account = `CONTOSO\jermey` // a wrong account: ms-diagnostics 1000 with its source
	})
	ex, err := Simulate(in, new(Counter))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ex.Messages {
		for _, h := range m.Headers {
			for _, v := range regexp.MustCompile(`(targetname|source)="([^"]*)"`).FindAllStringSubmatch(h.Value, -1) {
				if want := "fe01.contoso.com"; v[2] != want && v[2] != "sip/"+want {
					t.Errorf("%s: %s %s=%q; want the server's own name %s", m.Label, h.Name, v[1], v[2], want)
				}
			}
		}
		if slices.ContainsFunc(m.Unverified, func(u string) bool { return strings.Contains(u, "stands in") }) {
			t.Errorf("%s says a name stands in for the server's own, which was given", m.Label)
		}
	}
	ex, _ = Simulate(base(), new(Counter))
	if !slices.ContainsFunc(ex.Messages[1].Unverified, func(u string) bool {
		return strings.Contains(u, "ocs1.contoso.com, the name the client connected to, stands in")
	}) {
		t.Errorf("the challenge does not say the dialled name stands in: %q", ex.Messages[1].Unverified)
	}
}

// TestDesktopAccountOfAnotherDomainUser: the Windows logon of another
// valid domain user gets a Kerberos ticket; the documented outcome is the
// address and account mismatch, with no address invented for the other
// user, from the directory Directory builds (issue 16, item 9).
func TestDesktopAccountOfAnotherDomainUser(t *testing.T) {
	addr := uri("sip:jeremy@healthy.example")
	for _, owner := range []string{`CONTOSO\jeremy`, ""} {
		in := Input{Address: addr, Account: "jeremy@healthy.example", DesktopAccount: `CONTOSO\vadim`, Credentials: CurrentCredentials,
			Server: Server{FQDN: "sip.healthy.example"}, Directory: Directory(addr, "jeremy@healthy.example", `CONTOSO\vadim`, owner, false)}
		ex, err := Simulate(in, new(Counter))
		if err != nil {
			t.Fatalf("owner %q: %v", owner, err)
		}
		if ex.Protocol != Kerberos || ex.Failure != engine.KindDesktopCredentialsOtherAccount || !strings.Contains(ex.Explanation, "a valid domain account") ||
			strings.Contains(ex.Explanation, "Kerberos ticket") || strings.Contains(ex.Fix, "sip:vadim") {
			t.Errorf("owner %q: %s/%s\n%s\n%s", owner, ex.Protocol, ex.Failure, ex.Explanation, ex.Fix)
		}
	}
	// The typed mismatch names no address the directory does not hold.
	in := with(func(in *Input) {
		in.Account, in.Directory = `CONTOSO\vadim`, Directory(uri("sip:jeremy@contoso.com"), `CONTOSO\vadim`, "", `CONTOSO\jeremy`, false)
	})
	ex, err := Simulate(in, new(Counter))
	if err != nil {
		t.Fatal(err)
	}
	if ex.Failure != engine.KindAddressAndAccountMismatch || strings.Contains(ex.Fix, "sip:vadim") || !strings.Contains(ex.Fix, "its Active Directory properties") {
		t.Errorf("mismatch fix %q; want no invented address", ex.Fix)
	}
}

// TestWrongPasswordWithWindowsLogon: a wrong password needs typed or
// saved credentials; with the Windows logon it is refused with a reason
// (issue 16, item 11).
func TestWrongPasswordWithWindowsLogon(t *testing.T) {
	_, err := Simulate(with(func(in *Input) { in.Credentials, in.WrongPassword = CurrentCredentials, true }), new(Counter))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "wrongPassword" || !strings.Contains(ie.Reason, "Windows has already accepted") {
		t.Errorf("Simulate(current credentials, wrong password) error = %v; want an InputError for wrongPassword", err)
	}
	for _, c := range []string{SavedCredentials, PromptCredentials} {
		ex, err := Simulate(with(func(in *Input) { in.Credentials, in.WrongPassword = c, true }), new(Counter))
		if err != nil || ex.Failure != engine.KindWrongAccountOrPassword {
			t.Errorf("%s credentials, wrong password: %s, %v", c, ex.Failure, err)
		}
	}
}

// TestUnverifiedInTheLadder: what no source shows is marked on the message
// it concerns, so that the page and the text show it beside the message:
// the 403 that carries 4004, the ms-diagnostics 1000 of a wrong password
// (issue 16, item 9).
func TestUnverifiedInTheLadder(t *testing.T) {
	for _, tt := range []struct {
		in   Input
		want string
	}{
		{with(func(in *Input) { in.Account = `CONTOSO\vadim` }), "the status code 403 Forbidden"},
		{with(func(in *Input) { in.WrongPassword = true }), "ms-diagnostics 1000"},
	} {
		ex, err := Simulate(tt.in, new(Counter))
		if err != nil {
			t.Fatal(err)
		}
		last := ex.Messages[len(ex.Messages)-1]
		if !slices.ContainsFunc(last.Unverified, func(u string) bool { return strings.Contains(u, tt.want) }) {
			t.Errorf("%s: unverified %q; want %q", last.Label, last.Unverified, tt.want)
		}
		if !strings.Contains(ex.Explanation, "unverified") {
			t.Errorf("explanation %q does not say what is unverified", ex.Explanation)
		}
	}
}

// TestNoSeedWords: the texts a help-desk person reads (notes, steps,
// explanations, fixes, unverified marks) name Microsoft's document, never
// "the seed" (issue 16, item 10).
func TestNoSeedWords(t *testing.T) {
	var inputs []Input
	for _, c := range loadGolden(t) {
		inputs = append(inputs, c.input)
	}
	for _, c := range []string{CurrentCredentials, SavedCredentials, PromptCredentials, NoCredentials} {
		inputs = append(inputs, with(func(in *Input) { in.Credentials = c }), with(func(in *Input) { in.Credentials, in.Account = c, `CONTOSO\vadim` }))
	}
	for _, in := range inputs {
		ex, err := Simulate(in, new(Counter))
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{ex.Explanation, ex.Fix}
		for _, m := range ex.Messages {
			texts = append(append(texts, m.Note), m.Unverified...)
		}
		for _, c := range ex.Connections {
			for _, st := range c.Steps {
				texts = append(texts, st.Text)
			}
		}
		for _, s := range texts {
			if regexp.MustCompile(`(?i)\bseed`).MatchString(s) {
				t.Errorf("%q says seed", s)
			}
		}
	}
}

// TestFormsCoverProfiles: every client profile has its server generation
// and its Contact form.
func TestFormsCoverProfiles(t *testing.T) {
	for _, p := range engine.Profiles() {
		if f, ok := serverForms[p.Name]; !ok || f.Version == 0 || f.Software == "" {
			t.Errorf("profile %s has no server form", p.Name)
		}
		if _, ok := contactForms[p.Name]; !ok {
			t.Errorf("profile %s has no Contact form", p.Name)
		}
	}
}

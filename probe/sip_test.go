package probe

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/signin"
)

// lync401 is the challenge of a Lync Server 2013 pool as a public trace
// shows it ("raw_lync_unauthorized" in an open-source SIP parser's
// tests), with the dialog headers of [MS-SIPAE] §4.1.
const lync401 = "SIP/2.0 401 Unauthorized\r\n" +
	"Date: Tue, 25 Nov 2026 14:41:59 GMT\r\n" +
	"WWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"LYNC2013-SERVER.lync.loc\", version=4\r\n" +
	"WWW-Authenticate: Kerberos realm=\"SIP Communications Service\", targetname=\"sip/LYNC2013-SERVER.lync.loc\", version=4\r\n" +
	"WWW-Authenticate: TLS-DSK realm=\"SIP Communications Service\", targetname=\"LYNC2013-SERVER.lync.loc\", version=4, sts-uri=\"https://LYNC2013-SERVER.lync.loc:443/CertProv/CertProvisioningService.svc\"\r\n" +
	"From: <sip:bob@lync.loc>;tag=8f2c1b;epid=01010101\r\n" +
	"To: <sip:bob@lync.loc>;tag=AB0C8AC2E3E1FDA2E6A8C8D2B9C6F0B1\r\n" +
	"Call-ID: 0123456789abcdef\r\n" +
	"CSeq: 1 REGISTER\r\n" +
	"Via: SIP/2.0/TLS 192.0.2.10:50000;branch=z9hG4bK1;ms-received-port=50000;ms-received-cid=100\r\n" +
	"Server: RTC/5.0\r\n" +
	"Content-Length: 0\r\n\r\n"

func TestParseResponseLync(t *testing.T) {
	r, err := ParseResponse([]byte(lync401))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != 401 || r.Reason != "Unauthorized" || r.Server != "RTC/5.0" || r.ContentLength != 0 {
		t.Errorf("ParseResponse(lync401) = status %d reason %q server %q length %d; want 401 Unauthorized RTC/5.0 0", r.Status, r.Reason, r.Server, r.ContentLength)
	}
	var got []string
	for _, c := range r.Challenges {
		got = append(got, describeChallenge(c))
	}
	want := []string{
		`NTLM (realm "SIP Communications Service", targetname LYNC2013-SERVER.lync.loc, version 4)`,
		`Kerberos (realm "SIP Communications Service", targetname sip/LYNC2013-SERVER.lync.loc, version 4)`,
		`TLS-DSK (realm "SIP Communications Service", targetname LYNC2013-SERVER.lync.loc, version 4, sts-uri https://LYNC2013-SERVER.lync.loc:443/CertProv/CertProvisioningService.svc)`,
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("challenges (-got +want):\n%s", diff)
	}
	if len(r.Headers) != 11 {
		t.Errorf("len(Headers) = %d; want 11", len(r.Headers))
	}
}

func TestParseResponseForms(t *testing.T) {
	tests := []struct {
		name, in string
		check    func(t *testing.T, r Response)
	}{
		{"folded header", "SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: NTLM realm=\"SIP Communications Service\",\r\n targetname=\"a.contoso.com\",\r\n\tversion=3\r\nl: 0\r\n\r\n",
			func(t *testing.T, r Response) {
				if got := r.Get("WWW-Authenticate"); len(got) != 1 || got[0] != `NTLM realm="SIP Communications Service", targetname="a.contoso.com", version=3` {
					t.Errorf("folded value = %q", got)
				}
				if c := r.Challenges[0]; c.TargetName != "a.contoso.com" || c.Version != 3 {
					t.Errorf("challenge = %+v", c)
				}
			}},
		{"compact forms", "SIP/2.0 301 Moved\r\ni: abc\r\nm: <sip:pool02.contoso.com;transport=tls>\r\nl: 0\r\n\r\n",
			func(t *testing.T, r Response) {
				if r.ContentLength != 0 || first(r, "Call-ID") != "abc" {
					t.Errorf("ContentLength %d, Call-ID %q; want 0, abc", r.ContentLength, first(r, "Call-ID"))
				}
				if r.Redirect == nil || r.Redirect.Host != "pool02.contoso.com" {
					t.Errorf("Redirect = %+v; want pool02.contoso.com", r.Redirect)
				}
			}},
		{"bare LF and keep-alive CRLFs first", "\r\n\r\nSIP/2.0 200 OK\nContent-Length: 0\nServer: x\n\n",
			func(t *testing.T, r Response) {
				if r.Status != 200 || r.Server != "x" {
					t.Errorf("status %d server %q", r.Status, r.Server)
				}
			}},
		{"no Content-Length, empty reason", "SIP/2.0 503\r\n\r\n",
			func(t *testing.T, r Response) {
				if r.ContentLength != -1 || r.Reason != "" || r.Status != 503 {
					t.Errorf("got %+v", r)
				}
			}},
		{"diagnostics", "SIP/2.0 404 Not Found\r\nms-diagnostics: 1003;reason=\"User does not exist\";source=\"pool01.contoso.com\"\r\nContent-Length: 0\r\n\r\n",
			func(t *testing.T, r Response) {
				if len(r.Diagnostics) != 1 || r.Diagnostics[0].Code != 1003 || r.Diagnostics[0].Documented != "User does not exist." {
					t.Errorf("Diagnostics = %+v", r.Diagnostics)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := HeadLength([]byte(tt.in))
			if err != nil || n != len(tt.in) {
				t.Fatalf("HeadLength = %d, %v; want %d", n, err, len(tt.in))
			}
			r, err := ParseResponse([]byte(tt.in))
			if err != nil {
				t.Fatalf("ParseResponse: %v", err)
			}
			tt.check(t, r)
		})
	}
}

func TestParseResponseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		kind     FailureKind
		msg      string
	}{
		{"HTTP", "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", ErrHTTP, `an HTTP server answered ("HTTP/1.1 400 Bad Request")`},
		{"TLS alert", "\x15\x03\x03\x00\x02\x02\x28", ErrTLSRecord, "a TLS alert (bytes 15 03 03 00 02)"},
		{"request", "OPTIONS sip:bob@contoso.com SIP/2.0\r\n\r\n", ErrRequest, "the server sent a OPTIONS request"},
		{"garbage", "hello\x7fworld\r\n\r\n", ErrMalformed, "control character 0x7f at column 6"},
		{"garbage text", "220 smtp.contoso.com ESMTP\r\n\r\n", ErrNotSIP, `not a SIP status line: "220 smtp.contoso.com ESMTP"`},
		{"bad code", "SIP/2.0 4O1 Unauthorized\r\n\r\n", ErrMalformed, `the status code "4O1" is not three digits`},
		{"code out of range", "SIP/2.0 700 Nope\r\n\r\n", ErrMalformed, `the status code "700"`},
		{"no colon", "SIP/2.0 401 Unauthorized\r\nWWW-Authenticate NTLM\r\n\r\n", ErrMalformed, `line 2: a header field without a colon: "WWW-Authenticate NTLM"`},
		{"bad name", "SIP/2.0 401 Unauthorized\r\nWWW Authenticate: NTLM\r\n\r\n", ErrMalformed, `line 2: the header field name "WWW Authenticate" is not a token`},
		{"escape sequence", "SIP/2.0 401 Unauthorized\r\nServer: \x1b[31mred\r\n\r\n", ErrMalformed, "line 2: control character 0x1b"},
		{"continuation first", "SIP/2.0 401 Unauthorized\r\n folded: x\r\n\r\n", ErrMalformed, "a continuation line"},
		{"two lengths", "SIP/2.0 200 OK\r\nContent-Length: 0\r\nl: 5\r\n\r\n", ErrMalformed, "two different Content-Length values (0 and 5)"},
		{"bad length", "SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n", ErrMalformed, `Content-Length "-1" is not a number`},
		{"too many fields", "SIP/2.0 200 OK\r\n" + strings.Repeat("X: y\r\n", MaxHeaderFields+1) + "\r\n", ErrTooLarge, "more than 128 header fields"},
		{"only blank lines", "\r\n\r\n", ErrNotSIP, "only blank lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseResponse([]byte(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseResponse(%q) = %v; want a *ParseError", tt.in, err)
			}
			if pe.Kind != tt.kind || !strings.Contains(pe.Error(), tt.msg) {
				t.Errorf("ParseResponse(%q) = %s %q; want %s containing %q", tt.in, pe.Kind, pe.Error(), tt.kind, tt.msg)
			}
		})
	}
}

func TestHeadLength(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
		kind FailureKind
	}{
		{"incomplete", "SIP/2.0 401 Unauthorized\r\nContent-Length: 0\r\n", 0, ""},
		{"complete with body after", "SIP/2.0 200 OK\r\nl: 2\r\n\r\nhi", 24, ""},
		{"TLS handshake", "\x16\x03\x01\x02\x00\x01", 0, ErrTLSRecord},
		{"too large", "SIP/2.0 200 OK\r\nX: " + strings.Repeat("a", MaxHeadBytes), 0, ErrTooLarge},
		{"too large even complete", "SIP/2.0 200 OK\r\nX: " + strings.Repeat("a", MaxHeadBytes) + "\r\n\r\n", 0, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := HeadLength([]byte(tt.in))
			var pe *ParseError
			switch {
			case tt.kind == "" && err != nil:
				t.Fatalf("HeadLength = %v", err)
			case tt.kind != "" && (!errors.As(err, &pe) || pe.Kind != tt.kind):
				t.Fatalf("HeadLength = %d, %v; want a %s error", n, err, tt.kind)
			case n != tt.want:
				t.Errorf("HeadLength = %d; want %d", n, tt.want)
			}
		})
	}
}

func TestParseChallenge(t *testing.T) {
	tests := []struct {
		in   string
		want Challenge
	}{
		// [MS-SIPAE] §4.1's example values.
		{`NTLM realm="SIP Communications Service", targetname="server.contoso.com", version=3`,
			Challenge{Scheme: "NTLM", Protocol: signin.NTLM, Realm: signin.Realm, TargetName: "server.contoso.com", Version: 3}},
		{`Kerberos realm="SIP Communications Service", targetname="sip/server.contoso.com", version=3`,
			Challenge{Scheme: "Kerberos", Protocol: signin.Kerberos, Realm: signin.Realm, TargetName: "sip/server.contoso.com", Version: 3}},
		{`tls-dsk realm="SIP Communications Service", targetname="p.contoso.com", version=4, sts-uri="https://p.contoso.com:443/CertProv/CertProvisioningService.svc"`,
			Challenge{Scheme: "tls-dsk", Protocol: signin.TLSDSK, Realm: signin.Realm, TargetName: "p.contoso.com", Version: 4, StsURI: "https://p.contoso.com:443/CertProv/CertProvisioningService.svc"}},
		{`NTLM realm="SIP Communications Service", opaque="ABCD1234", targetname="p.contoso.com", gssapi-data="TlRMTVNTUAACAAAA"`,
			Challenge{Scheme: "NTLM", Protocol: signin.NTLM, Realm: signin.Realm, TargetName: "p.contoso.com", Opaque: "ABCD1234"}},
		// kamailio's answer.
		{`Digest realm="probe.test", nonce="aw7nZmsO5jp/bQQd63udWtnbix/AWFdg", qop="auth"`,
			Challenge{Scheme: "Digest", Protocol: Digest, Realm: "probe.test", Nonce: "aw7nZmsO5jp/bQQd63udWtnbix/AWFdg", QOP: "auth"}},
		{`Digest realm="a \"quoted\" realm",algorithm=MD5`,
			Challenge{Scheme: "Digest", Protocol: Digest, Realm: `a "quoted" realm`, Algorithm: "MD5"}},
		{`NTLM`, Challenge{Scheme: "NTLM", Protocol: signin.NTLM}},
		{`NTLM realm="SIP Communications Service`,
			Challenge{Scheme: "NTLM", Protocol: signin.NTLM, Error: "the quoted value of realm has no closing quote"}},
		{`NTLM realm="x" targetname="y"`,
			Challenge{Scheme: "NTLM", Protocol: signin.NTLM, Realm: "x", Error: `at column 16: want ',' between parameters, found "targetname=\"y\""`}},
		{`NTLM version=three`,
			Challenge{Scheme: "NTLM", Protocol: signin.NTLM, Error: `version "three" is not a small number`}},
		{`"NTLM"`, Challenge{Scheme: `"NTLM"`, Error: `the scheme "\"NTLM\"" is not a token`}},
	}
	for _, tt := range tests {
		got := ParseChallenge("WWW-Authenticate", tt.in)
		got.Params = nil
		tt.want.Header = "WWW-Authenticate"
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("ParseChallenge(%q) (-got +want):\n%s", tt.in, diff)
		}
	}
}

func TestParseDiagnostic(t *testing.T) {
	tests := []struct {
		in   string
		want Diagnostic
	}{
		{`1003;reason="User does not exist";source="pool01.contoso.com"`,
			Diagnostic{Code: 1003, Reason: "User does not exist", Source: "pool01.contoso.com", Component: "SIP stack", Documented: "User does not exist."}},
		{` 4004 ; reason="Credentials provided are not authorized to act as specified from URI." `,
			Diagnostic{Code: 4004, Reason: "Credentials provided are not authorized to act as specified from URI.", Component: "User Services (other)", Documented: "Credentials provided are not authorized to act as specified from URI."}},
		{`1000.3;source=fe01.contoso.com;reason="Final handshake failed";appName="x"`,
			Diagnostic{Code: 1000, SubCode: 3, Reason: "Final handshake failed", Source: "fe01.contoso.com", Component: "SIP stack", Documented: "Final handshake failed."}},
		{`23999;reason="Something new"`, Diagnostic{Code: 23999, Reason: "Something new"}},
		{`abc;reason="x"`, Diagnostic{Error: `the error ID "abc" is not a number (want <ErrorId>[.<Sub Error Code>])`}},
		{`1003;reason="unterminated`, Diagnostic{Code: 1003, Component: "SIP stack", Documented: "User does not exist.", Error: "the quoted value of reason has no closing quote"}},
	}
	for _, tt := range tests {
		got := ParseDiagnostic("ms-diagnostics", tt.in)
		got.Params, got.Meaning, got.Fix = nil, "", ""
		tt.want.Header = "ms-diagnostics"
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("ParseDiagnostic(%q) (-got +want):\n%s", tt.in, diff)
		}
	}
	if e, ok := LookupDiagnostic(1003); !ok || e.Meaning == "" || e.Fix == "" {
		t.Errorf("LookupDiagnostic(1003) = %+v, %v; want a meaning and a fix", e, ok)
	}
}

func TestParseRedirect(t *testing.T) {
	tests := []struct {
		in   string
		want Redirect
	}{
		{"<sip:pool01.contoso.com:5061;transport=tls>", Redirect{URI: "sip:pool01.contoso.com:5061;transport=tls", Host: "pool01.contoso.com", Port: 5061, Transport: "TLS"}},
		{`"Home" <sips:Pool01.Contoso.com>;expires=2592000`, Redirect{URI: "sips:Pool01.Contoso.com", Host: "pool01.contoso.com", Transport: "TLS"}},
		{"sip:192.0.2.20:5060;transport=tcp", Redirect{URI: "sip:192.0.2.20:5060", Host: "192.0.2.20", Port: 5060}},
		{"<sip:[2001:db8::20]:5061;transport=TLS>", Redirect{URI: "sip:[2001:db8::20]:5061;transport=TLS", Host: "2001:db8::20", Port: 5061, Transport: "TLS"}},
		{"<sip:bob@pool01.contoso.com>", Redirect{URI: "sip:bob@pool01.contoso.com", Host: "pool01.contoso.com"}},
		{"", Redirect{Error: "the redirect has no Contact header, so it names no server"}},
		{"<http://evil.example/>", Redirect{URI: "http://evil.example/", Error: `the Contact names a "http" URI, not sip or sips`}},
		{"<sip:pool01.contoso.com;transport=udp>", Redirect{URI: "sip:pool01.contoso.com;transport=udp", Host: "pool01.contoso.com", Error: `the Contact asks for transport "udp"; Microsoft SIP clients sign in over TLS or TCP only`}},
		{"<sip:pool01.contoso.com:99999>", Redirect{URI: "sip:pool01.contoso.com:99999", Error: `the Contact's host "pool01.contoso.com:99999": the port "99999" is not 1 to 65535`}},
		{"<sip:evil\\.contoso.com>", Redirect{URI: "sip:evil\\.contoso.com", Error: `the Contact's host "evil\\.contoso.com": character "\\" is not allowed in a domain name`}},
		{"<sip:pool01.contoso.com", Redirect{Error: "the Contact's URI has no closing >"}},
	}
	for _, tt := range tests {
		got := ParseRedirect(tt.in)
		tt.want.Contact = tt.in
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("ParseRedirect(%q) (-got +want):\n%s", tt.in, diff)
		}
	}
}

// FuzzParseResponse checks that no input crashes the parser, that it
// never accepts a head with a control character, and that what it
// accepts HeadLength accepts too.
func FuzzParseResponse(f *testing.F) {
	f.Add([]byte(lync401))
	f.Add([]byte("SIP/2.0 301 Moved\r\nm: <sip:p.contoso.com;transport=tls>\r\nms-diagnostics: 1003;reason=\"x\"\r\nl: 0\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := HeadLength(b)
		if err != nil || n == 0 {
			return
		}
		r, err := ParseResponse(b[:n])
		if err != nil {
			return
		}
		for _, h := range r.Headers {
			for _, c := range []byte(h.Name + h.Value) {
				if c < 0x20 && c != '\t' || c == 0x7f {
					t.Fatalf("header %q: %q has control character 0x%02x", h.Name, h.Value, c)
				}
			}
		}
		if r.Status < 100 || r.Status > 699 {
			t.Fatalf("status %d", r.Status)
		}
	})
}

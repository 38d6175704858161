package probe

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
)

func TestAutodiscoverRootURL(t *testing.T) {
	tests := []struct{ scheme, host, address, want string }{
		{"https", "lyncdiscoverinternal.contoso.com", "sip:bob@contoso.com", "https://lyncdiscoverinternal.contoso.com/?sipuri=bob@contoso.com"},
		{"http", "lyncdiscover.contoso.com", "bob@contoso.com", "http://lyncdiscover.contoso.com/?sipuri=bob@contoso.com"},
		{"https", "lyncdiscover.contoso.com", "sip:bob+x&y=z@contoso.com", "https://lyncdiscover.contoso.com/?sipuri=bob%2Bx%26y%3Dz@contoso.com"},
	}
	for _, tt := range tests {
		if got := AutodiscoverRootURL(tt.scheme, tt.host, tt.address); got != tt.want {
			t.Errorf("AutodiscoverRootURL(%q, %q, %q) = %q; want %q", tt.scheme, tt.host, tt.address, got, tt.want)
		}
	}
}

func TestCheckLink(t *testing.T) {
	seen := []string{"https://lyncdiscover.contoso.com/?sipuri=bob@contoso.com"}
	tests := []struct{ href, why string }{
		{"https://webpool.contoso.com/Autodiscover/AutodiscoverService.svc/root/user?originalDomain=contoso.com", ""},
		{"http://webpool.contoso.com/Autodiscover/AutodiscoverService.svc/root", ""},
		{"https://webdir.online.lync.com:443/Autodiscover/AutodiscoverService.svc/root", ""},
		{"https://lyncdiscover.contoso.com/?sipuri=bob@contoso.com#x", "a loop"},
		{"ftp://webpool.contoso.com/root", `scheme "ftp"`},
		{"javascript:alert(1)", `scheme "javascript"`},
		{"/Autodiscover/AutodiscoverService.svc/root/user", `scheme ""`},
		{"https://10.0.0.5/Autodiscover/AutodiscoverService.svc/root", "the IP address 10.0.0.5"},
		{"https://[::1]/root", "the IP address ::1"},
		{"https://bob:secret@webpool.contoso.com/root", "user name or password"},
		{"https://web pool.contoso.com/root", "not a URL"},
		{"https://webpool..contoso.com/root", "not a DNS name"},
		{"https://webpool.contoso.com:0/root", "not a port"},
		{"https://webpool.contoso.com:99999/root", "not a port"},
		{"https://webpool.contoso.com/" + strings.Repeat("x", 3000), "longer than 2 KiB"},
	}
	for _, tt := range tests {
		u, why := CheckLink(tt.href, seen)
		switch {
		case tt.why == "" && (why != "" || u == nil):
			t.Errorf("CheckLink(%q) refused: %s", tt.href, why)
		case tt.why != "" && !strings.Contains(why, tt.why):
			t.Errorf("CheckLink(%q) = %v, %q; want a refusal naming %q", tt.href, u, why, tt.why)
		}
	}
}

func TestParseAutodiscover(t *testing.T) {
	const xmlType = "application/vnd.microsoft.rtc.autodiscover+xml; v=1"
	const jsonType = "application/vnd.microsoft.rtc.autodiscover+json; v=1"
	tests := []struct {
		name, contentType, body string
		want                    engine.AutodiscoverDocument
	}{{
		name: "XML root", contentType: xmlType,
		body: `<?xml version="1.0" encoding="utf-8"?><AutodiscoverResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" AccessLocation="External"><Root><Link token="Domain" href="https://webext.contoso.com/Autodiscover/AutodiscoverService.svc/root/domain"/><Link token="User" href="https://webext.contoso.com/Autodiscover/AutodiscoverService.svc/root/user"/></Root></AutodiscoverResponse>`,
		want: engine.AutodiscoverDocument{Format: "xml", AccessLocation: "External", Links: []engine.AutodiscoverLink{
			{Token: "Domain", Href: "https://webext.contoso.com/Autodiscover/AutodiscoverService.svc/root/domain"},
			{Token: "User", Href: "https://webext.contoso.com/Autodiscover/AutodiscoverService.svc/root/user"}}},
	}, {
		name: "XML user document", contentType: xmlType,
		body: `<AutodiscoverResponse AccessLocation="Internal"><User><SipServerInternalAccess fqdn="pool01.contoso.com" port="5061"/><SipClientInternalAccess fqdn="pool01.contoso.com" port="5061"/><SipClientExternalAccess fqdn="sip.contoso.com" port="443"/><Link token="Internal/Autodiscover" href="https://pool01.contoso.com/Autodiscover/AutodiscoverService.svc/root"/></User></AutodiscoverResponse>`,
		want: engine.AutodiscoverDocument{Format: "xml", AccessLocation: "Internal",
			Links:                   []engine.AutodiscoverLink{{Token: "Internal/Autodiscover", Href: "https://pool01.contoso.com/Autodiscover/AutodiscoverService.svc/root"}},
			SipClientInternalAccess: "pool01.contoso.com:5061", SipClientExternalAccess: "sip.contoso.com:443"},
	}, {
		// "Verify access through your reverse proxy" (Gg429697) shows
		// this form.
		name: "JSON root", contentType: jsonType,
		body: `{"AccessLocation":"External","Root":{"Links":[{"href":"https://webext.contoso.com/Autodiscover/AutodiscoverService.svc/root/domain","token":"Domain"},{"href":"https://webext.contoso.com/Autodiscover/AutodiscoverService.svc/root/oauth/user","token":"OAuth"}]}}`,
		want: engine.AutodiscoverDocument{Format: "json", AccessLocation: "External", Links: []engine.AutodiscoverLink{
			{Token: "Domain", Href: "https://webext.contoso.com/Autodiscover/AutodiscoverService.svc/root/domain"},
			{Token: "OAuth", Href: "https://webext.contoso.com/Autodiscover/AutodiscoverService.svc/root/oauth/user"}}},
	}, {
		name: "UCWA links", contentType: jsonType,
		body: `{"_links":{"user":{"href":"https://webext.contoso.com/user"},"redirect":{"href":"https://webdir.online.lync.com/root"}}}`,
		want: engine.AutodiscoverDocument{Format: "json", Links: []engine.AutodiscoverLink{
			{Token: "Redirect", Href: "https://webdir.online.lync.com/root"}, {Token: "User", Href: "https://webext.contoso.com/user"}}},
	}, {
		name: "an HTML page", contentType: "text/html; charset=utf-8", body: `<html><body>It works</body></html>`,
		want: engine.AutodiscoverDocument{Links: []engine.AutodiscoverLink{}, Error: `the content type "text/html; charset=utf-8" is not an Autodiscover document`},
	}, {
		name: "malformed XML", contentType: xmlType, body: `<AutodiscoverResponse><Root><Link token="User"`,
		want: engine.AutodiscoverDocument{Format: "xml", Links: []engine.AutodiscoverLink{}, Error: "the XML does not parse"},
	}, {
		name: "an entity XML does not define", contentType: xmlType, body: `<!DOCTYPE a [<!ENTITY x "y">]><AutodiscoverResponse><Root><Link token="&x;" href="h"/></Root></AutodiscoverResponse>`,
		want: engine.AutodiscoverDocument{Format: "xml", Links: []engine.AutodiscoverLink{}, Error: "the XML does not parse"},
	}, {
		name: "another root element", contentType: xmlType, body: `<Error><Root><Link token="User" href="https://x/"/></Root></Error>`,
		want: engine.AutodiscoverDocument{Format: "xml", Links: []engine.AutodiscoverLink{}, Error: `root element is "Error"`},
	}, {
		name: "no links", contentType: xmlType, body: `<AutodiscoverResponse AccessLocation="Internal"><Root/></AutodiscoverResponse>`,
		want: engine.AutodiscoverDocument{Format: "xml", AccessLocation: "Internal", Links: []engine.AutodiscoverLink{}, Error: "no links"},
	}, {
		name: "malformed JSON", contentType: jsonType, body: `{"Root":{"Links":[`,
		want: engine.AutodiscoverDocument{Format: "json", Links: []engine.AutodiscoverLink{}, Error: "the JSON does not parse"},
	}}
	for _, tt := range tests {
		got := ParseAutodiscover(tt.contentType, []byte(tt.body))
		if tt.want.Error != "" {
			if !strings.Contains(got.Error, tt.want.Error) {
				t.Errorf("%s: Error = %q; want it to contain %q", tt.name, got.Error, tt.want.Error)
			}
			got.Error, tt.want.Error = "", ""
		}
		if diff := cmp.Diff(*got, tt.want); diff != "" {
			t.Errorf("%s: ParseAutodiscover (-got +want):\n%s", tt.name, diff)
		}
	}

	many := `<AutodiscoverResponse><Root>` + strings.Repeat(`<Link token="Self" href="https://x.contoso.com/"/>`, engine.WebMaxLinks+1) + `</Root></AutodiscoverResponse>`
	if d := ParseAutodiscover(xmlType, []byte(many)); len(d.Links) != engine.WebMaxLinks || !strings.Contains(d.Error, "more than") {
		t.Errorf("%d links: kept %d, Error %q; want %d kept and an error", engine.WebMaxLinks+1, len(d.Links), d.Error, engine.WebMaxLinks)
	}
}

func TestParseWebTicket(t *testing.T) {
	got := ParseWebTicket([]engine.Header{
		{Name: "Content-Length", Value: "0"},
		{Name: "X-Ms-Webticketurl", Value: " https://webext.contoso.com/WebTicket/WebTicketService.svc "},
		{Name: "Www-Authenticate", Value: `MsRtcOAuth href="https://webext.contoso.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"`},
		{Name: "Www-Authenticate", Value: "Negotiate"},
	})
	want := &engine.WebTicket{URL: "https://webext.contoso.com/WebTicket/WebTicketService.svc", OAuthHref: "https://webext.contoso.com/WebTicket/oauthtoken",
		GrantTypes: []string{"urn:microsoft.rtc:windows", "urn:microsoft.rtc:anonmeeting", "password"}, Schemes: []string{"MsRtcOAuth", "Negotiate"}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("ParseWebTicket (-got +want):\n%s", diff)
	}
	if got := ParseWebTicket([]engine.Header{{Name: "Server", Value: "Microsoft-IIS/8.5"}}); got != nil {
		t.Errorf("ParseWebTicket(no ticket) = %+v; want nil", got)
	}
}

// TestAutodiscoverValidate: an Autodiscover observation read from a
// pasted report is held to the prober's bounds and enumerations.
func TestAutodiscoverValidate(t *testing.T) {
	good := func() Result {
		return Result{Attempts: []Attempt{}, Autodiscover: &engine.AutodiscoverProbe{Requests: []engine.WebRequest{{
			Purpose: engine.WebRoot, URL: "https://lyncdiscover.contoso.com/?sipuri=bob@contoso.com", Host: "lyncdiscover.contoso.com", Port: 443,
			Status: 200, StatusLine: "HTTP/1.1 200 OK", Outcome: engine.ProbeAnswered}}}}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("Validate(good) = %v", err)
	}
	tests := []struct {
		name   string
		tamper func(*engine.AutodiscoverProbe)
		want   string
	}{
		{"unknown purpose", func(a *engine.AutodiscoverProbe) { a.Requests[0].Purpose = "token" }, `autodiscover.requests[0].purpose: "token" is not root, redirect or user`},
		{"unknown outcome", func(a *engine.AutodiscoverProbe) { a.Requests[0].Outcome = "pwned" }, `autodiscover.requests[0].outcome`},
		{"failed without a failure", func(a *engine.AutodiscoverProbe) { a.Requests[0].Outcome = engine.ProbeFailed }, "says nothing about why"},
		{"huge body", func(a *engine.AutodiscoverProbe) {
			a.Requests[0].Body = strings.Repeat("x", engine.WebMaxRecordedBody+1)
		}, "body: longer than"},
		{"too many requests", func(a *engine.AutodiscoverProbe) { a.Requests = make([]engine.WebRequest, engine.WebMaxRequests+1) }, "autodiscover.requests: 11 requests"},
		{"too many links", func(a *engine.AutodiscoverProbe) {
			a.Requests[0].Document = &engine.AutodiscoverDocument{Links: make([]engine.AutodiscoverLink, engine.WebMaxLinks+1)}
		}, "document.links"},
		{"bad severity", func(a *engine.AutodiscoverProbe) {
			a.Findings = []engine.Finding{{Severity: "<b>"}}
		}, `autodiscover.findings[0].severity`},
	}
	for _, tt := range tests {
		r := good()
		tt.tamper(r.Autodiscover)
		if err := r.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate = %v; want %q", tt.name, err, tt.want)
		}
	}
}

// FuzzParseAutodiscover: any body gives a document, never a panic, with
// at most engine.WebMaxLinks links.
func FuzzParseAutodiscover(f *testing.F) {
	f.Add("application/vnd.microsoft.rtc.autodiscover+xml", `<AutodiscoverResponse><Root><Link token="User" href="https://x/"/></Root></AutodiscoverResponse>`)
	f.Add("application/vnd.microsoft.rtc.autodiscover+json", `{"Root":{"Links":[{"token":"User","href":"https://x/"}]},"_links":{"self":{"href":"h"}}}`)
	f.Fuzz(func(t *testing.T, contentType, body string) {
		d := ParseAutodiscover(contentType, []byte(body))
		if d == nil || len(d.Links) > engine.WebMaxLinks {
			t.Fatalf("ParseAutodiscover gave %+v", d)
		}
		for _, l := range d.Links {
			if _, why := CheckLink(l.Href, nil); why == "" && !strings.HasPrefix(l.Href, "http") {
				t.Fatalf("CheckLink accepts %q", l.Href)
			}
		}
	})
}

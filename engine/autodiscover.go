package engine

import (
	"fmt"
	"slices"
	"strings"
)

// This file holds what sipdisco check --connect observed of the
// Autodiscover web service of Lync Server 2013 and Skype for Business
// Server, the report's probe.autodiscover, as plain data (like the rest of
// the probe: docs/adr/0010-the-probe-is-part-of-the-report.md). Package
// probe parses and judges it; the command line's prober makes the
// requests. "Understanding Autodiscover in Lync Server 2013" (TechNet
// JJ945654) describes the service: an unauthenticated root document whose
// links name the user resource (or a redirect to the user's home pool),
// and a user resource that asks for authentication before it gives the
// SIP access points. Every string that came from a server is the
// server's text: renderers escape it.

// AutodiscoverProbe is what the Autodiscover web service answered: every
// HTTP request made, in order (the client's order: lyncdiscoverinternal
// then lyncdiscover, https then http; then a Redirect link and the User
// link of the root document), and the findings of the whole.
type AutodiscoverProbe struct {
	// Requests are the requests made, in order.
	Requests []WebRequest `json:"requests"`
	// Findings concern the whole: which request gave the client its
	// root document, where the user resource asks for a web ticket, and
	// how that compares with what DNS gave.
	Findings []Finding `json:"findings"`
}

// WebPurpose says why a request was made.
type WebPurpose string

// The purposes of an Autodiscover request.
const (
	// WebRoot: the first request to lyncdiscoverinternal.<domain> or
	// lyncdiscover.<domain>, GET /?sipuri=<address>.
	WebRoot WebPurpose = "root"
	// WebRedirect: the Redirect link of a root document (the user's
	// home pool is elsewhere).
	WebRedirect WebPurpose = "redirect"
	// WebUser: the User link of a root document, asked without
	// credentials.
	WebUser WebPurpose = "user"
)

// WebRequest is one HTTP request to the Autodiscover web service and
// what came back.
type WebRequest struct {
	Purpose WebPurpose `json:"purpose"`
	// URL is the URL requested; Host and Port where it was sent.
	URL  string `json:"url"`
	Host string `json:"host"`
	Port uint16 `json:"port"`
	// Remote is the IP address and port connected to, empty when no
	// connection was made; ConnectMS how long it took.
	Remote    string `json:"remote,omitempty"`
	ConnectMS int64  `json:"connectMs,omitempty"`
	// TLS is the handshake of an https request (the certificate the web
	// service presents, judged for Host), nil for http.
	TLS *ProbeTLS `json:"tls,omitempty"`
	// RequestLine and RequestHeaders are the request as sent: never an
	// Authorization or Cookie header.
	RequestLine    string   `json:"requestLine"`
	RequestHeaders []Header `json:"requestHeaders"`
	// StatusLine, Status and Headers are the response's head as read
	// (at most WebMaxHeaders fields); Body the start of the body (at most
	// WebMaxRecordedBody bytes of the WebMaxBodyBytes read) and BodyBytes
	// how many bytes were read; ResponseMS the time from sending to the
	// end of the body.
	StatusLine string   `json:"statusLine,omitempty"`
	Status     int      `json:"status,omitempty"`
	Headers    []Header `json:"headers,omitempty"`
	Body       string   `json:"body,omitempty"`
	BodyBytes  int      `json:"bodyBytes,omitempty"`
	ResponseMS int64    `json:"responseMs,omitempty"`
	// Document is the Autodiscover document the body holds (the root or
	// a redirect), nil when the body is none.
	Document *AutodiscoverDocument `json:"document,omitempty"`
	// WebTicket is where a 401 sends the client for a web ticket.
	WebTicket *WebTicket `json:"webTicket,omitempty"`
	// Location is the Location header of an HTTP redirect (3xx), which
	// the client's Autodiscover lookup does not follow.
	Location string `json:"location,omitempty"`
	// Outcome is ProbeAnswered (an HTTP response was read), ProbeFailed
	// or ProbeSkipped; Failure says why when not answered.
	Outcome  ProbeOutcome  `json:"outcome"`
	Failure  *ProbeFailure `json:"failure,omitempty"`
	Findings []Finding     `json:"findings"`
}

// AutodiscoverDocument is an Autodiscover response body as read: the
// access location and the links ([MS-OCDISCWS]; the XML form the desktop
// client asks for, or the JSON form).
type AutodiscoverDocument struct {
	// Format is "xml" or "json".
	Format string `json:"format"`
	// AccessLocation is "Internal" or "External" as the service says.
	AccessLocation string `json:"accessLocation,omitempty"`
	// Links are the Link elements (token and href), in order.
	Links []AutodiscoverLink `json:"links"`
	// SIP access points of a user document, when a server gives one
	// without authentication (it should not).
	SipClientInternalAccess string `json:"sipClientInternalAccess,omitempty"`
	SipClientExternalAccess string `json:"sipClientExternalAccess,omitempty"`
	// Error says why the body is not a usable document.
	Error string `json:"error,omitempty"`
}

// Link returns the href of the first link whose token is token (compared
// without regard to case), and whether there is one.
func (d AutodiscoverDocument) Link(token string) (string, bool) {
	for _, l := range d.Links {
		if strings.EqualFold(l.Token, token) {
			return l.Href, true
		}
	}
	return "", false
}

// AutodiscoverLink is one link of a document.
type AutodiscoverLink struct {
	Token string `json:"token"`
	Href  string `json:"href"`
}

// WebTicket is where the user resource sends an unauthenticated client
// for its credentials: the X-MS-WebTicketURL header and the MsRtcOAuth
// challenge of WWW-Authenticate (href and grant_type).
type WebTicket struct {
	URL        string   `json:"url,omitempty"`
	OAuthHref  string   `json:"oauthHref,omitempty"`
	GrantTypes []string `json:"grantTypes,omitempty"`
	// Schemes are the schemes of every WWW-Authenticate header.
	Schemes []string `json:"schemes,omitempty"`
}

// Limits on what the Autodiscover web service may send, applied as the
// prober reads. A root document is under 2 KiB; these leave room for a
// verbose server and stop a hostile one.
const (
	// WebMaxBodyBytes is the largest body read.
	WebMaxBodyBytes = 64 << 10
	// WebMaxRecordedBody is the most of a body a report keeps: enough
	// for a root document or an error page's start, and within what a
	// snapshot link carries in one string.
	WebMaxRecordedBody = 4 << 10
	// WebMaxHeaderBytes is the largest response head read.
	WebMaxHeaderBytes = 16 << 10
	// WebMaxHeaders is the most header fields recorded.
	WebMaxHeaders = 64
	// WebMaxLinks is the most links a document may hold.
	WebMaxLinks = 32
	// WebMaxRequests is the most requests one observation makes: two
	// names by two schemes, the redirects, and the user resource.
	WebMaxRequests = 10
)

// validate checks an Autodiscover observation read from JSON, named f in
// errors (Probe.Validate).
func (a *AutodiscoverProbe) validate(f string) error {
	if len(a.Requests) > WebMaxRequests {
		return badField(f+".requests", "%d requests; a probe makes at most %d", len(a.Requests), WebMaxRequests)
	}
	if err := checkProbeFindings(f+".findings", a.Findings); err != nil {
		return err
	}
	for i, r := range a.Requests {
		g := fmt.Sprintf("%s.requests[%d]", f, i)
		if !slices.Contains([]WebPurpose{WebRoot, WebRedirect, WebUser}, r.Purpose) {
			return badField(g+".purpose", "%s is not root, redirect or user", quoteField(string(r.Purpose)))
		}
		if !slices.Contains([]ProbeOutcome{ProbeAnswered, ProbeFailed, ProbeSkipped}, r.Outcome) {
			return badField(g+".outcome", "%s is not answered, failed or skipped", quoteField(string(r.Outcome)))
		}
		if r.Outcome != ProbeAnswered && r.Failure == nil {
			return badField(g+".failure", "a %s request says nothing about why", r.Outcome)
		}
		if len(r.Headers) > WebMaxHeaders || len(r.RequestHeaders) > WebMaxHeaders {
			return badField(g+".headers", "more than %d header fields", WebMaxHeaders)
		}
		if len(r.Body) > WebMaxRecordedBody {
			return badField(g+".body", "longer than %d bytes", WebMaxRecordedBody)
		}
		if d := r.Document; d != nil && len(d.Links) > WebMaxLinks {
			return badField(g+".document.links", "more than %d links", WebMaxLinks)
		}
		for _, s := range []struct{ name, v string }{{"url", r.URL}, {"host", r.Host}, {"location", r.Location}, {"statusLine", r.StatusLine}} {
			if len(s.v) > maxProbeField {
				return badField(g+"."+s.name, "longer than %d bytes", maxProbeField)
			}
		}
		if t := r.TLS; t != nil && (len(t.Chain) > 16 || len(t.Trust) > 4) {
			return badField(g+".tls", "%d certificates and %d trust results; a server sends a handful", len(t.Chain), len(t.Trust))
		}
		if err := checkProbeFindings(g+".findings", r.Findings); err != nil {
			return err
		}
	}
	return nil
}

// AllFindings returns every finding: each request's, in order, then the
// observation's own.
func (a AutodiscoverProbe) AllFindings() []Finding {
	var out []Finding
	for _, r := range a.Requests {
		out = append(out, r.Findings...)
	}
	return append(out, a.Findings...)
}

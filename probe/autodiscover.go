package probe

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"mime"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// This file reads what the Autodiscover web service of Lync Server 2013
// and Skype for Business Server answers ("Understanding Autodiscover in
// Lync Server 2013", TechNet JJ945654; [MS-OCDISCWS]) and says what it
// means. The requests are made by the command line's prober; this part
// is pure, like the rest of the package.

// AutodiscoverAccept is the Accept header of every request: the XML form
// of the Autodiscover document. The desktop client asks for XML (the
// pidgin-sipe client, which speaks the protocol as the desktop client
// does, sends this value, and [MS-OCDISCWS] defines the XML media type
// beside the JSON one that mobile clients and browsers get by default,
// "Verify access through your reverse proxy", TechNet Gg429697).
const AutodiscoverAccept = "application/vnd.microsoft.rtc.autodiscover+xml;v=1"

// The media types of an Autodiscover document ([MS-OCDISCWS]).
const (
	autodiscoverXML  = "application/vnd.microsoft.rtc.autodiscover+xml"
	autodiscoverJSON = "application/vnd.microsoft.rtc.autodiscover+json"
)

// The link tokens the client follows: a Redirect (the user's home pool
// is elsewhere) before anything else, then the User resource
// (JJ945654). Other links (Domain, OAuth, Self, ...) are recorded, not
// followed.
const (
	LinkRedirect = "Redirect"
	LinkUser     = "User"
)

// MaxAutodiscoverRedirects is the most Redirect links followed one after
// the other: a redirect leads to the user's home pool, whose service
// answers for the user; a second one is already unusual.
const MaxAutodiscoverRedirects = 3

// AutodiscoverRootURL returns the first URL the client asks at host
// (lyncdiscoverinternal.<domain> or lyncdiscover.<domain>) over scheme
// ("https" or "http") for the sign-in address: "https://host/?sipuri=
// bob@contoso.com", the form of "Autodiscover service requirements"
// (TechNet Hh690012: "http://lyncdiscover.contoso.com?sipuri=
// lyncUser1@contoso.com") with the path "/" written out. The address is
// sent without its "sip:" scheme, its @ as is and every other character
// that needs it escaped.
//
// Without an address (the domain report, which has no user) the URL is
// the root alone, "https://host/", which the service answers with its
// root document: the sipuri parameter only lets it send a user on to
// their home pool.
func AutodiscoverRootURL(scheme, host, address string) string {
	if address == "" {
		return (&url.URL{Scheme: scheme, Host: host, Path: "/"}).String()
	}
	address = strings.TrimPrefix(strings.TrimPrefix(address, "sip:"), "sips:")
	q := strings.ReplaceAll(url.QueryEscape(address), "%40", "@")
	return (&url.URL{Scheme: scheme, Host: host, Path: "/", RawQuery: "sipuri=" + q}).String()
}

// CheckLink decides whether a link's href may be followed, and returns
// it parsed. sipdisco follows only an absolute http or https URL that
// names its host by a DNS name (no IP literal: the web service names its
// servers by name, the certificate is checked against that name, and a
// hostile document could otherwise send the probe to any address), with
// no user name or password in it, no longer than 2 KiB, not already
// asked (seen holds the URLs asked so far). The string says why not.
func CheckLink(href string, seen []string) (*url.URL, string) {
	if len(href) > 2<<10 {
		return nil, "the link is longer than 2 KiB"
	}
	u, err := url.Parse(href)
	if err != nil {
		return nil, "the link is not a URL: " + err.Error()
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Sprintf("the link's scheme %q is not https or http", u.Scheme)
	case u.User != nil:
		return nil, "the link carries a user name or password"
	case u.Hostname() == "":
		return nil, "the link names no host"
	}
	host := u.Hostname()
	if _, err := netip.ParseAddr(host); err == nil {
		return nil, fmt.Sprintf("the link names the IP address %s instead of a host name", host)
	}
	if !isDNSName(host) {
		return nil, fmt.Sprintf("the link's host %q is not a DNS name", host)
	}
	if p := u.Port(); p != "" {
		if n, err := parsePort(p); err != nil || n == 0 {
			return nil, fmt.Sprintf("the link's port %q is not a port", p)
		}
	}
	u.Fragment = ""
	if slices.Contains(seen, u.String()) {
		return nil, "the link leads back to a URL already asked (a loop)"
	}
	return u, ""
}

func parsePort(s string) (uint16, error) {
	var n int
	for _, c := range s {
		if c < '0' || c > '9' || n > 65535 {
			return 0, fmt.Errorf("not a port")
		}
		n = n*10 + int(c-'0')
	}
	if n > 65535 {
		return 0, fmt.Errorf("not a port")
	}
	return uint16(n), nil
}

// isDNSName reports whether s is a host name in DNS syntax: labels of
// letters, digits and hyphens (not at either end), at most 63 bytes
// each and 253 in all.
func isDNSName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// ParseAutodiscover reads an Autodiscover document: the XML form (an
// AutodiscoverResponse element with its AccessLocation, and the Link
// elements of its Root or User element, with a user document's
// SipClientInternalAccess and SipClientExternalAccess) or the JSON form
// ({"AccessLocation", "Root": {"Links": [{"token", "href"}]}}, or the
// "_links" object of the UCWA form). contentType decides which; a body
// of another type, one that does not parse, one with more than
// engine.WebMaxLinks links or none at all gives a document whose Error
// says why. body is bounded by the caller (engine.WebMaxBodyBytes).
func ParseAutodiscover(contentType string, body []byte) *engine.AutodiscoverDocument {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(contentType))
	}
	var d *engine.AutodiscoverDocument
	switch mt {
	case autodiscoverXML:
		d = parseAutodiscoverXML(body)
	case autodiscoverJSON:
		d = parseAutodiscoverJSON(body)
	default:
		return &engine.AutodiscoverDocument{Links: []engine.AutodiscoverLink{},
			Error: fmt.Sprintf("the content type %q is not an Autodiscover document (%s or %s)", contentType, autodiscoverXML, autodiscoverJSON)}
	}
	switch {
	case d.Error != "":
	case len(d.Links) > engine.WebMaxLinks:
		d.Links = d.Links[:engine.WebMaxLinks]
		d.Error = fmt.Sprintf("the document has more than %d links", engine.WebMaxLinks)
	case len(d.Links) == 0 && d.SipClientInternalAccess == "" && d.SipClientExternalAccess == "":
		d.Error = "the document has no links"
	}
	return d
}

type xmlLink struct {
	Token string `xml:"token,attr"`
	Href  string `xml:"href,attr"`
}

type xmlAccess struct {
	FQDN string `xml:"fqdn,attr"`
	Port string `xml:"port,attr"`
}

type xmlResource struct {
	Links                   []xmlLink  `xml:"Link"`
	SipClientInternalAccess *xmlAccess `xml:"SipClientInternalAccess"`
	SipClientExternalAccess *xmlAccess `xml:"SipClientExternalAccess"`
}

type xmlDocument struct {
	XMLName        xml.Name
	AccessLocation string       `xml:"AccessLocation,attr"`
	Root           *xmlResource `xml:"Root"`
	User           *xmlResource `xml:"User"`
}

func parseAutodiscoverXML(body []byte) *engine.AutodiscoverDocument {
	d := &engine.AutodiscoverDocument{Format: "xml", Links: []engine.AutodiscoverLink{}}
	var x xmlDocument
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&x); err != nil {
		d.Error = "the XML does not parse: " + err.Error()
		return d
	}
	if x.XMLName.Local != "AutodiscoverResponse" {
		d.Error = fmt.Sprintf("the XML's root element is %q, not AutodiscoverResponse", x.XMLName.Local)
		return d
	}
	d.AccessLocation = x.AccessLocation
	for _, r := range []*xmlResource{x.Root, x.User} {
		if r == nil {
			continue
		}
		for _, l := range r.Links {
			d.Links = append(d.Links, engine.AutodiscoverLink{Token: l.Token, Href: l.Href})
		}
		if a := r.SipClientInternalAccess; a != nil {
			d.SipClientInternalAccess = accessText(a.FQDN, a.Port)
		}
		if a := r.SipClientExternalAccess; a != nil {
			d.SipClientExternalAccess = accessText(a.FQDN, a.Port)
		}
	}
	return d
}

func accessText(fqdn, port string) string {
	if port == "" {
		return fqdn
	}
	return fqdn + ":" + port
}

type jsonLink struct {
	Token string `json:"token"`
	Href  string `json:"href"`
}

type jsonAccess struct {
	FQDN string `json:"fqdn"`
	Port any    `json:"port"`
}

type jsonResource struct {
	Links                   []jsonLink  `json:"Links"`
	SipClientInternalAccess *jsonAccess `json:"SipClientInternalAccess"`
	SipClientExternalAccess *jsonAccess `json:"SipClientExternalAccess"`
}

type jsonDocument struct {
	AccessLocation string        `json:"AccessLocation"`
	Root           *jsonResource `json:"Root"`
	User           *jsonResource `json:"User"`
	UCWALinks      map[string]struct {
		Href string `json:"href"`
	} `json:"_links"`
}

func parseAutodiscoverJSON(body []byte) *engine.AutodiscoverDocument {
	d := &engine.AutodiscoverDocument{Format: "json", Links: []engine.AutodiscoverLink{}}
	var j jsonDocument
	if err := json.Unmarshal(body, &j); err != nil {
		d.Error = "the JSON does not parse: " + err.Error()
		return d
	}
	d.AccessLocation = j.AccessLocation
	for _, r := range []*jsonResource{j.Root, j.User} {
		if r == nil {
			continue
		}
		for _, l := range r.Links {
			d.Links = append(d.Links, engine.AutodiscoverLink{Token: l.Token, Href: l.Href})
		}
		if a := r.SipClientInternalAccess; a != nil {
			d.SipClientInternalAccess = accessText(a.FQDN, portText(a.Port))
		}
		if a := r.SipClientExternalAccess; a != nil {
			d.SipClientExternalAccess = accessText(a.FQDN, portText(a.Port))
		}
	}
	keys := make([]string, 0, len(j.UCWALinks))
	for k := range j.UCWALinks {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		token := k
		if k != "" {
			token = strings.ToUpper(k[:1]) + k[1:]
		}
		d.Links = append(d.Links, engine.AutodiscoverLink{Token: token, Href: j.UCWALinks[k].Href})
	}
	return d
}

func portText(v any) string {
	switch p := v.(type) {
	case string:
		return p
	case float64:
		return fmt.Sprintf("%.0f", p)
	}
	return ""
}

// ParseWebTicket reads where a 401 from the user resource sends the
// client for its credentials: the X-MS-WebTicketURL header, and the
// href and grant_type of a WWW-Authenticate: MsRtcOAuth challenge
// (JJ945654; grant_type a comma-separated list in one quoted string). It
// returns nil when the headers say neither.
func ParseWebTicket(headers []engine.Header) *engine.WebTicket {
	w := &engine.WebTicket{}
	for _, h := range headers {
		switch strings.ToLower(h.Name) {
		case "x-ms-webticketurl":
			if w.URL == "" {
				w.URL = strings.TrimSpace(h.Value)
			}
		case "www-authenticate":
			c := ParseChallenge(h.Name, h.Value)
			if c.Scheme == "" {
				continue
			}
			w.Schemes = append(w.Schemes, c.Scheme)
			if !strings.EqualFold(c.Scheme, "MsRtcOAuth") {
				continue
			}
			for _, p := range c.Params {
				switch strings.ToLower(p.Name) {
				case "href":
					w.OAuthHref = p.Value
				case "grant_type":
					for _, g := range strings.Split(p.Value, ",") {
						if g = strings.TrimSpace(g); g != "" {
							w.GrantTypes = append(w.GrantTypes, g)
						}
					}
				}
			}
		}
	}
	if w.URL == "" && w.OAuthHref == "" && len(w.Schemes) == 0 {
		return nil
	}
	return w
}

// JudgeWebRequest adds the findings of one request: why it failed, a
// body that is not an Autodiscover document, an HTTP redirect the client
// does not follow, the web ticket location of a 401 from the user
// resource, and a user resource that answers without credentials. The
// certificate's findings are added by the caller (NewTLS) before.
func JudgeWebRequest(r *engine.WebRequest) {
	if r.Findings == nil {
		r.Findings = []engine.Finding{}
	}
	add := func(kind engine.Kind, sev engine.Severity, msg, fix string) {
		r.Findings = append(r.Findings, engine.Finding{Kind: kind, Severity: sev, Subject: r.URL, Message: msg, Fix: fix})
	}
	if r.Outcome != engine.ProbeAnswered {
		if f := r.Failure; f != nil {
			add(engine.KindAutodiscoverRequestFailed, engine.SeverityInfo,
				fmt.Sprintf("No answer from %s: %s (%s, %s). The client moves on to the next URL.", r.URL, f.Message, f.Stage, f.Kind),
				"See the failure; the next URL may answer.")
		}
		return
	}
	switch {
	case r.Status == 401 && r.Purpose == engine.WebUser:
		w := r.WebTicket
		if w == nil || w.URL == "" && w.OAuthHref == "" {
			add(engine.KindAutodiscoverWebTicket, engine.SeverityWarning,
				"The user resource asks for credentials (401) but names no web ticket service: neither an X-MS-WebTicketURL header nor a WWW-Authenticate: MsRtcOAuth challenge with an href.",
				"Check that the Lync or Skype for Business web services answer at this URL, not a proxy in front of them.")
			return
		}
		var parts []string
		if w.URL != "" {
			parts = append(parts, "X-MS-WebTicketURL "+w.URL)
		}
		if w.OAuthHref != "" {
			s := "MsRtcOAuth href " + w.OAuthHref
			if len(w.GrantTypes) > 0 {
				s += " (grant types " + strings.Join(w.GrantTypes, ", ") + ")"
			}
			parts = append(parts, s)
		}
		add(engine.KindAutodiscoverWebTicket, engine.SeverityInfo,
			fmt.Sprintf("The user resource asks for credentials, as it should: 401 with the web ticket service at %s. The client gets its ticket there and asks again; that answer names its SIP server. sipdisco sends no credentials and stops here.", strings.Join(parts, "; ")),
			"Nothing to fix.")
	case r.Status >= 300 && r.Status < 400:
		add(engine.KindAutodiscoverBadAnswer, engine.SeverityWarning,
			fmt.Sprintf("%s answered %s, an HTTP redirect to %q; the client's Autodiscover lookup follows only the Redirect link of an Autodiscover document, so it moves on to the next URL.", r.URL, r.StatusLine, r.Location),
			"Publish the Autodiscover service itself at this URL, or remove the redirect from the reverse proxy.")
	case r.Status != 200:
		add(engine.KindAutodiscoverRequestFailed, engine.SeverityInfo,
			fmt.Sprintf("%s answered %s, not an Autodiscover document; the client moves on to the next URL.", r.URL, r.StatusLine),
			"Check what answers at this URL: the reverse proxy's publishing rule and the pool's web services.")
	case r.Document != nil && r.Document.Error != "":
		add(engine.KindAutodiscoverBadAnswer, engine.SeverityWarning,
			fmt.Sprintf("%s answered 200, but not with an Autodiscover document the client can read: %s. The client moves on to the next URL.", r.URL, r.Document.Error),
			"Check what answers at this URL: the reverse proxy's publishing rule and the pool's web services.")
	case r.Purpose == engine.WebUser:
		add(engine.KindAutodiscoverUserOpen, engine.SeverityWarning,
			fmt.Sprintf("The user resource %s answered %s to a request without credentials; Lync Server and Skype for Business Server ask for a web ticket there.", r.URL, r.StatusLine),
			"Check what answers at this URL: the reverse proxy's publishing rule and the pool's web services.")
	}
}

// JudgeAutodiscover adds the findings of the whole observation: which
// request gave the client its root document, where its links lead (what
// the web service said) beside what DNS gave (target, "" when discovery
// found no server), or that no URL answered, so that the client falls
// back to the SRV and host records.
func JudgeAutodiscover(a *engine.AutodiscoverProbe, target string) {
	if a.Findings == nil {
		a.Findings = []engine.Finding{}
	}
	var root *engine.WebRequest
	for i := range a.Requests {
		r := &a.Requests[i]
		if r.Purpose == engine.WebRoot && r.Outcome == engine.ProbeAnswered && r.Status == 200 && r.Document != nil && r.Document.Error == "" {
			root = r
			break
		}
	}
	if root == nil {
		dns := "DNS gives no SIP server either (see the report's findings)"
		if target != "" {
			dns = "DNS gives " + target
		}
		tried := make([]string, 0, len(a.Requests))
		for _, r := range a.Requests {
			tried = append(tried, r.URL)
		}
		a.Findings = append(a.Findings, engine.Finding{Kind: engine.KindAutodiscoverNoAnswer, Severity: engine.SeverityWarning, Subject: "autodiscover",
			Message: fmt.Sprintf("No Autodiscover URL gave a root document (asked: %s), so the client falls back to the SRV and host records after the failures; %s.", strings.Join(tried, ", "), dns),
			Fix:     "Publish the Autodiscover service (lyncdiscoverinternal in internal DNS, lyncdiscover in external DNS, each with a certificate that names it), or remove the names so that clients go to the SRV records at once."})
		return
	}
	var links []string
	for _, l := range root.Document.Links {
		links = append(links, l.Token+" "+l.Href)
	}
	where := root.Document.AccessLocation
	if where == "" {
		where = "not given"
	}
	msg := fmt.Sprintf("%s answered with its root document (access location %s; links: %s).", root.URL, where, strings.Join(links, "; "))
	var user *engine.WebRequest
	for i := range a.Requests {
		if a.Requests[i].Purpose == engine.WebUser {
			user = &a.Requests[i]
		}
	}
	if user != nil {
		msg += fmt.Sprintf(" The user resource is at %s, the web services of the user's home pool; after authenticating there the client takes its SIP server from the user document's SipClientInternalAccess or SipClientExternalAccess (JJ945654).", user.Host)
	} else {
		a.Findings = append(a.Findings, engine.Finding{Kind: engine.KindAutodiscoverBadAnswer, Severity: engine.SeverityWarning, Subject: root.Host,
			Message: "The web service's documents lead to no User resource that sipdisco could ask (no User link, or a Redirect that was not followed or did not answer), so the client cannot learn its home pool from it and falls back to the SRV and host records.",
			Fix:     "Check the web service's configuration (Get-CsAutodiscoverConfiguration) and the reverse proxy's publishing rule, so that the root document links to the user resource or redirects to the home pool's web service."})
	}
	if target != "" {
		msg += " DNS gives " + target + "; Autodiscover normally names the same home pool, and the client uses the SRV records only if the web service does not answer."
	} else {
		msg += " DNS gives no SIP server here, so the client depends on what the user document names."
	}
	a.Findings = append(a.Findings, engine.Finding{Kind: engine.KindAutodiscoverAnswered, Severity: engine.SeverityInfo, Subject: root.Host,
		Message: msg, Fix: "Nothing to fix."})
}

// RefuseLink adds to r, the request whose document holds the link, the
// finding that its token link to href is not followed, and why.
func RefuseLink(r *engine.WebRequest, token, href, why string) {
	r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindAutodiscoverLinkRefused, Severity: engine.SeverityWarning, Subject: r.URL,
		Message: fmt.Sprintf("The %s link (%q) is not followed: %s. sipdisco follows only a document's Redirect and User links, to http or https URLs that name a host by its DNS name, never back to a URL already asked, and at most %d redirects.", token, href, why, MaxAutodiscoverRedirects),
		Fix:     "Have the web service's links name its servers by their DNS names over https."})
}

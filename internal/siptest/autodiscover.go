package siptest

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Autodiscover is a stand-in for the Autodiscover web service of Lync
// Server 2013 and Skype for Business Server on loopback: an HTTPS server
// (a certificate from a test CA for the names given) and a plain HTTP
// one, both serving Handler, recording every request they receive. A
// client reaches them by their real ports through Dial, which sends a
// connection to 127.0.0.1 port 443 to the HTTPS server and port 80 to
// the HTTP one, as a reverse proxy publishing the service on 443 and 80
// would be reached ("Autodiscover service requirements", TechNet
// Hh690012).
type Autodiscover struct {
	HTTPS, HTTP *httptest.Server
	mu          sync.Mutex
	seen        []Seen
}

// Seen is one request the stand-in received.
type Seen struct {
	// Scheme is "https" or "http"; Host the Host header; Path and Query
	// the request URI's.
	Scheme, Host, Path, Query string
	Header                    http.Header
}

// StartAutodiscover starts the stand-in with a certificate from ca for
// names; h answers every request. Both servers stop when the test ends.
func StartAutodiscover(t testing.TB, ca *CA, names []string, h http.Handler) *Autodiscover {
	t.Helper()
	a := &Autodiscover{}
	record := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := Seen{Scheme: "http", Host: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()}
		if r.TLS != nil {
			s.Scheme = "https"
		}
		a.mu.Lock()
		a.seen = append(a.seen, s)
		a.mu.Unlock()
		h.ServeHTTP(w, r)
	})
	a.HTTPS = httptest.NewUnstartedServer(record)
	a.HTTPS.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Valid(t, names...)}}
	a.HTTPS.StartTLS()
	a.HTTP = httptest.NewServer(record)
	t.Cleanup(func() {
		a.HTTPS.CloseClientConnections()
		a.HTTP.CloseClientConnections()
		a.HTTPS.Close()
		a.HTTP.Close()
	})
	return a
}

// Seen returns every request received so far, in order.
func (a *Autodiscover) Seen() []Seen {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Seen(nil), a.seen...)
}

// Dial connects as a net.Dialer would, but 127.0.0.1:443 reaches the
// HTTPS server and 127.0.0.1:80 the HTTP one; any other address is
// refused, so that a test never reaches another computer.
func (a *Autodiscover) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	var to string
	switch address {
	case "127.0.0.1:443":
		to = a.HTTPS.Listener.Addr().String()
	case "127.0.0.1:80":
		to = a.HTTP.Listener.Addr().String()
	default:
		return nil, fmt.Errorf("siptest: the stand-in does not serve %s", address)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to)
}

// LyncAutodiscover answers as a Lync Server 2013 deployment of the
// domain d does for a user homed on another pool
// ("Understanding Autodiscover in Lync Server 2013", TechNet JJ945654;
// [MS-OCDISCWS]): lyncdiscoverinternal.d and lyncdiscover.d answer the
// root request with a document whose Redirect link leads to
// webpool02.d, whose root document links to its User resource, which
// answers a request without credentials with 401, an X-MS-WebTicketURL
// header and a WWW-Authenticate: MsRtcOAuth challenge. Any other
// request gets 404.
func LyncAutodiscover(d string) http.Handler {
	pool := "webpool02." + d
	svc := "https://" + pool + "/Autodiscover/AutodiscoverService.svc/root"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		switch {
		case (host == "lyncdiscoverinternal."+d || host == "lyncdiscover."+d) && r.URL.Path == "/":
			where := "Internal"
			if host == "lyncdiscover."+d {
				where = "External"
			}
			WriteAutodiscoverXML(w, where, "Redirect", svc+"?originalDomain="+d, "Self", "https://"+host+"/Autodiscover/AutodiscoverService.svc/root?originalDomain="+d)
		case host == pool && r.URL.Path == "/Autodiscover/AutodiscoverService.svc/root":
			WriteAutodiscoverXML(w, "Internal", "Domain", svc+"/domain?originalDomain="+d, "User", svc+"/user?originalDomain="+d,
				"OAuth", svc+"/oauth/user?originalDomain="+d, "Self", svc+"?originalDomain="+d)
		case host == pool && r.URL.Path == "/Autodiscover/AutodiscoverService.svc/root/user":
			w.Header().Set("X-MS-WebTicketURL", "https://"+pool+"/WebTicket/WebTicketService.svc")
			w.Header().Add("WWW-Authenticate", `MsRtcOAuth href="https://`+pool+`/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"`)
			w.WriteHeader(http.StatusUnauthorized)
		default:
			http.NotFound(w, r)
		}
	})
}

// WriteAutodiscoverXML writes a 200 with an Autodiscover document in its
// XML form: the access location and the links, given as token, href
// pairs.
func WriteAutodiscoverXML(w http.ResponseWriter, accessLocation string, links ...string) {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><AutodiscoverResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" AccessLocation=%q><Root>`, accessLocation)
	for i := 0; i+1 < len(links); i += 2 {
		fmt.Fprintf(&b, `<Link token="%s" href="%s"/>`, xmlEscape(links[i]), xmlEscape(links[i+1]))
	}
	b.WriteString(`</Root></AutodiscoverResponse>`)
	w.Header().Set("Content-Type", "application/vnd.microsoft.rtc.autodiscover+xml; v=1")
	w.Write([]byte(b.String()))
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

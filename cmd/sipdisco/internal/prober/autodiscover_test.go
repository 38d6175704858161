package prober

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
	"github.com/sipdisco/sipdisco/probe"
)

// adNames are the names the stand-in's certificate carries.
var adNames = []string{"lyncdiscoverinternal.probe.test", "lyncdiscover.probe.test", "webpool02.probe.test"}

// observe probes bob@probe.test as Lync 2013 with the stand-in a for its
// Autodiscover web service (every name resolving to 127.0.0.1) and no
// SIP candidate.
func observe(t *testing.T, a *siptest.Autodiscover, ca *siptest.CA, timeout time.Duration) *engine.AutodiscoverProbe {
	t.Helper()
	res := run(t, Options{Client: "lync-2013", Resolver: loopbackResolver, Dial: a.Dial, CA: ca.Pool, CALabel: "--ca test-root.pem",
		ConnectTimeout: timeout, HandshakeTimeout: timeout, ResponseTimeout: timeout})
	if res.Autodiscover == nil {
		t.Fatal("a Lync 2013 probe did not ask the Autodiscover web service")
	}
	return res.Autodiscover
}

// noCredentials fails the test if any request the stand-in received
// carries a credential, or asks a path the Autodiscover documents do not
// give (the root "/" with ?sipuri=, the service's root and its user
// resource).
func noCredentials(t *testing.T, a *siptest.Autodiscover, paths ...string) {
	t.Helper()
	paths = append(paths, "/")
	for _, s := range a.Seen() {
		for name := range s.Header {
			n := strings.ToLower(name)
			if n == "authorization" || n == "proxy-authorization" || n == "cookie" || strings.Contains(n, "ticket") || strings.Contains(n, "token") {
				t.Errorf("%s://%s%s carried %s: %q", s.Scheme, s.Host, s.Path, name, s.Header.Get(name))
			}
		}
		for name, vs := range s.Header {
			for _, v := range vs {
				if strings.Contains(strings.ToLower(v), "bearer") || strings.Contains(strings.ToLower(v), "password") {
					t.Errorf("%s://%s%s header %s carries %q", s.Scheme, s.Host, s.Path, name, v)
				}
			}
		}
		if !slices.Contains(paths, s.Path) {
			t.Errorf("%s://%s%s?%s was asked; only %v are documented here", s.Scheme, s.Host, s.Path, s.Query, paths)
		}
		if s.Path == "/" && s.Query != "sipuri=bob@probe.test" {
			t.Errorf("the root request's query is %q; want sipuri=bob@probe.test", s.Query)
		}
	}
}

// TestAutodiscoverObserved asks a stand-in that answers as Lync Server
// 2013 does for a user homed on another pool: the root document at
// lyncdiscoverinternal redirects to webpool02, whose root document links
// to the User resource, which answers 401 with the web ticket location.
// Each request's certificate is recorded and trusted by the --ca roots;
// no request carries a credential.
func TestAutodiscoverObserved(t *testing.T) {
	ca := siptest.NewCA(t)
	a := siptest.StartAutodiscover(t, ca, adNames, siptest.LyncAutodiscover("probe.test"))
	ad := observe(t, a, ca, 2*time.Second)

	var got []string
	for _, r := range ad.Requests {
		got = append(got, string(r.Purpose)+" "+r.URL+" "+r.StatusLine)
	}
	want := []string{
		"root https://lyncdiscoverinternal.probe.test/?sipuri=bob@probe.test HTTP/1.1 200 OK",
		"redirect https://webpool02.probe.test/Autodiscover/AutodiscoverService.svc/root?originalDomain=probe.test HTTP/1.1 200 OK",
		"user https://webpool02.probe.test/Autodiscover/AutodiscoverService.svc/root/user?originalDomain=probe.test HTTP/1.1 401 Unauthorized",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range ad.Requests {
		if r.TLS == nil || !r.TLS.Covered || len(r.TLS.Trust) == 0 || !r.TLS.Trust[len(r.TLS.Trust)-1].Trusted {
			t.Errorf("%s: TLS = %+v; want the certificate naming %s, trusted by the --ca roots", r.URL, r.TLS, r.Host)
		}
		if r.Remote == "" || !strings.HasPrefix(r.Remote, "127.0.0.1:") {
			t.Errorf("%s: remote %q; want 127.0.0.1 (the resolver's address)", r.URL, r.Remote)
		}
	}
	if d := ad.Requests[0].Document; d == nil || d.AccessLocation != "Internal" || d.Format != "xml" {
		t.Errorf("root document = %+v; want the XML form, access location Internal", d)
	} else if href, ok := d.Link("Redirect"); !ok || !strings.HasPrefix(href, "https://webpool02.probe.test/") {
		t.Errorf("root document's Redirect = %q, %v", href, ok)
	}
	w := ad.Requests[2].WebTicket
	if w == nil || w.URL != "https://webpool02.probe.test/WebTicket/WebTicketService.svc" || w.OAuthHref != "https://webpool02.probe.test/WebTicket/oauthtoken" ||
		!slices.Equal(w.GrantTypes, []string{"urn:microsoft.rtc:windows", "urn:microsoft.rtc:anonmeeting", "password"}) {
		t.Errorf("web ticket = %+v", w)
	}
	if _, ok := finding(ad.Findings, engine.KindAutodiscoverAnswered); !ok {
		t.Errorf("findings %v; want %s", kinds(ad.Findings), engine.KindAutodiscoverAnswered)
	}
	if _, ok := finding(ad.Requests[2].Findings, engine.KindAutodiscoverWebTicket); !ok {
		t.Errorf("user request's findings %v; want %s", kinds(ad.Requests[2].Findings), engine.KindAutodiscoverWebTicket)
	}
	for _, r := range ad.Requests {
		for _, h := range r.RequestHeaders {
			if h.Name != "Host" && h.Name != "User-Agent" && h.Name != "Accept" && h.Name != "Connection" {
				t.Errorf("%s sent %s", r.URL, h.Name)
			}
		}
	}
	noCredentials(t, a, "/Autodiscover/AutodiscoverService.svc/root", "/Autodiscover/AutodiscoverService.svc/root/user")
	// What the report says was sent is what arrived.
	for i, s := range a.Seen() {
		var sent []string
		for _, h := range ad.Requests[i].RequestHeaders {
			if h.Name != "Host" {
				sent = append(sent, h.Name+": "+h.Value)
			}
		}
		var got []string
		for name, vs := range s.Header {
			for _, v := range vs {
				got = append(got, name+": "+v)
			}
		}
		slices.Sort(sent)
		slices.Sort(got)
		if !slices.Equal(got, sent) {
			t.Errorf("request %d: the stand-in received %q; the report says %q", i+1, got, sent)
		}
	}
	if n := len(a.Seen()); n != 3 {
		t.Errorf("the stand-in received %d requests; want 3", n)
	}
	if err := (engine.Probe{Autodiscover: ad}).Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// TestAutodiscoverHostile holds the observation to its limits against a
// web service that misbehaves: each case says what the probe must record
// and that it asks nothing it should not.
func TestAutodiscoverHostile(t *testing.T) {
	root := func(f func(w http.ResponseWriter, r *http.Request)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				f(w, r)
				return
			}
			http.NotFound(w, r)
		})
	}
	xmlBody := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "application/vnd.microsoft.rtc.autodiscover+xml; v=1")
		w.Write([]byte(body))
	}
	tests := []struct {
		name    string
		h       http.Handler
		timeout time.Duration
		check   func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover)
	}{{
		name: "oversized body",
		h: root(func(w http.ResponseWriter, r *http.Request) {
			xmlBody(w, `<AutodiscoverResponse><Root>`+strings.Repeat(`<Link token="Self" href="https://x.probe.test/"/>`, 4000)+`</Root></AutodiscoverResponse>`)
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			r := ad.Requests[0]
			if r.Failure == nil || r.Failure.Kind != probe.FailBodyTooLarge || r.BodyBytes != engine.WebMaxBodyBytes || len(r.Body) != engine.WebMaxRecordedBody || r.Document != nil {
				t.Errorf("first request = %s %+v, body %d bytes read, %d kept; want body-too-large, %d read, %d kept", r.Outcome, r.Failure, r.BodyBytes, len(r.Body), engine.WebMaxBodyBytes, engine.WebMaxRecordedBody)
			}
			if _, ok := finding(ad.Findings, engine.KindAutodiscoverNoAnswer); !ok {
				t.Errorf("findings %v; want %s", kinds(ad.Findings), engine.KindAutodiscoverNoAnswer)
			}
		},
	}, {
		name: "redirect loop",
		h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// lyncdiscoverinternal → webpool02 → lyncdiscoverinternal again.
			if r.Host == "webpool02.probe.test" {
				siptest.WriteAutodiscoverXML(w, "Internal", "Redirect", "https://lyncdiscoverinternal.probe.test/?sipuri=bob@probe.test")
				return
			}
			siptest.WriteAutodiscoverXML(w, "Internal", "Redirect", "https://webpool02.probe.test/Autodiscover/AutodiscoverService.svc/root")
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			if len(ad.Requests) != 2 || len(a.Seen()) != 2 {
				t.Fatalf("%d requests made, %d received; want 2 (the loop refused)", len(ad.Requests), len(a.Seen()))
			}
			f, ok := finding(ad.Requests[1].Findings, engine.KindAutodiscoverLinkRefused)
			if !ok || !strings.Contains(f.Message, "loop") {
				t.Errorf("second request's findings %v; want %s naming the loop", ad.Requests[1].Findings, engine.KindAutodiscoverLinkRefused)
			}
			noCredentials(t, a, "/Autodiscover/AutodiscoverService.svc/root")
		},
	}, {
		name: "redirects without end",
		h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := len(r.URL.Query().Get("n"))
			siptest.WriteAutodiscoverXML(w, "Internal", "Redirect", "https://webpool02.probe.test/Autodiscover/AutodiscoverService.svc/root?n="+strings.Repeat("x", n+1))
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			if len(ad.Requests) != 1+probe.MaxAutodiscoverRedirects {
				t.Fatalf("%d requests; want the root and %d redirects", len(ad.Requests), probe.MaxAutodiscoverRedirects)
			}
			if _, ok := finding(ad.Requests[len(ad.Requests)-1].Findings, engine.KindAutodiscoverLinkRefused); !ok {
				t.Errorf("last request's findings %v; want %s", kinds(ad.Requests[len(ad.Requests)-1].Findings), engine.KindAutodiscoverLinkRefused)
			}
		},
	}, {
		name: "redirect to another scheme",
		h: root(func(w http.ResponseWriter, r *http.Request) {
			siptest.WriteAutodiscoverXML(w, "Internal", "Redirect", "ftp://webpool02.probe.test/root", "User", "https://webpool02.probe.test/user")
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			if len(ad.Requests) != 1 || len(a.Seen()) != 1 {
				t.Fatalf("%d requests made, %d received; want only the root", len(ad.Requests), len(a.Seen()))
			}
			if f, ok := finding(ad.Requests[0].Findings, engine.KindAutodiscoverLinkRefused); !ok || !strings.Contains(f.Message, `"ftp"`) {
				t.Errorf("findings %v; want %s naming the scheme", ad.Requests[0].Findings, engine.KindAutodiscoverLinkRefused)
			}
			if _, ok := finding(ad.Findings, engine.KindAutodiscoverBadAnswer); !ok {
				t.Errorf("findings %v; want %s: no user resource was reached", kinds(ad.Findings), engine.KindAutodiscoverBadAnswer)
			}
		},
	}, {
		name: "redirect to an IP address",
		h: root(func(w http.ResponseWriter, r *http.Request) {
			siptest.WriteAutodiscoverXML(w, "Internal", "Redirect", "https://127.0.0.1/Autodiscover/AutodiscoverService.svc/root")
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			if len(ad.Requests) != 1 || len(a.Seen()) != 1 {
				t.Fatalf("%d requests made, %d received; want only the root", len(ad.Requests), len(a.Seen()))
			}
			if f, ok := finding(ad.Requests[0].Findings, engine.KindAutodiscoverLinkRefused); !ok || !strings.Contains(f.Message, "IP address") {
				t.Errorf("findings %v; want %s naming the IP address", ad.Requests[0].Findings, engine.KindAutodiscoverLinkRefused)
			}
		},
	}, {
		name: "user link with credentials in it",
		h: root(func(w http.ResponseWriter, r *http.Request) {
			siptest.WriteAutodiscoverXML(w, "Internal", "User", "https://bob:secret@webpool02.probe.test/user")
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			if len(ad.Requests) != 1 || len(a.Seen()) != 1 {
				t.Fatalf("%d requests made, %d received; want only the root", len(ad.Requests), len(a.Seen()))
			}
			noCredentials(t, a)
		},
	}, {
		name: "HTTP redirect is not followed",
		h: root(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.probe.test/", http.StatusFound)
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			// https and http at both names, nothing else.
			if len(ad.Requests) != 4 || len(a.Seen()) != 4 {
				t.Fatalf("%d requests made, %d received; want 4", len(ad.Requests), len(a.Seen()))
			}
			if r := ad.Requests[0]; r.Status != 302 || r.Location != "https://elsewhere.probe.test/" {
				t.Errorf("first request: %d, Location %q", r.Status, r.Location)
			}
			for _, s := range a.Seen() {
				if s.Host == "elsewhere.probe.test" {
					t.Error("the probe followed an HTTP redirect")
				}
			}
		},
	}, {
		name:    "slow server",
		timeout: 300 * time.Millisecond,
		h: root(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			for _, r := range ad.Requests {
				if r.Failure == nil || r.Failure.Kind != probe.FailTimeout {
					t.Errorf("%s: %s %+v; want a time-out", r.URL, r.Outcome, r.Failure)
				}
			}
		},
	}, {
		name: "malformed XML",
		h: root(func(w http.ResponseWriter, r *http.Request) {
			xmlBody(w, `<AutodiscoverResponse><Root><Link token="User" href="https://webpool02.probe.test/user"`)
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			if d := ad.Requests[0].Document; d == nil || !strings.Contains(d.Error, "XML does not parse") {
				t.Errorf("document = %+v; want an XML error", d)
			}
			if _, ok := finding(ad.Requests[0].Findings, engine.KindAutodiscoverBadAnswer); !ok {
				t.Errorf("findings %v; want %s", kinds(ad.Requests[0].Findings), engine.KindAutodiscoverBadAnswer)
			}
			noCredentials(t, a)
		},
	}, {
		name: "malformed JSON",
		h: root(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/vnd.microsoft.rtc.autodiscover+json; v=1")
			w.Write([]byte(`{"AccessLocation":"Internal","Root":{"Links":[{"token":"User","href":`))
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			if d := ad.Requests[0].Document; d == nil || !strings.Contains(d.Error, "JSON does not parse") {
				t.Errorf("document = %+v; want a JSON error", d)
			}
			noCredentials(t, a)
		},
	}, {
		name: "JSON document",
		h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/user" {
				w.Header().Set("WWW-Authenticate", `MsRtcOAuth href="https://webpool02.probe.test/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.microsoft.rtc.autodiscover+json; v=1")
			w.Write([]byte(`{"AccessLocation":"External","Root":{"Links":[{"token":"Domain","href":"https://webpool02.probe.test/domain"},{"token":"User","href":"https://webpool02.probe.test/user"}]}}`))
		}),
		check: func(t *testing.T, ad *engine.AutodiscoverProbe, a *siptest.Autodiscover) {
			if len(ad.Requests) != 2 || ad.Requests[1].WebTicket == nil || ad.Requests[1].WebTicket.OAuthHref != "https://webpool02.probe.test/WebTicket/oauthtoken" {
				t.Fatalf("requests = %+v; want the root and the user resource's 401", ad.Requests)
			}
			noCredentials(t, a, "/user")
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ca := siptest.NewCA(t)
			a := siptest.StartAutodiscover(t, ca, adNames, tt.h)
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 2 * time.Second
			}
			start := time.Now()
			ad := observe(t, a, ca, timeout)
			if took, most := time.Since(start), time.Duration(engine.WebMaxRequests)*3*timeout; took > most {
				t.Errorf("the observation took %v; its limits allow %v", took, most)
			}
			if err := (engine.Probe{Autodiscover: ad}).Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			tt.check(t, ad, a)
		})
	}
}

// TestAutodiscoverUnreachable: a name that does not resolve is asked
// neither over https nor over http; a name whose server refuses the
// connection is tried over both; then the client falls back to the SRV
// records, which the findings say.
func TestAutodiscoverUnreachable(t *testing.T) {
	resolver := engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		if strings.HasPrefix(q.Name, "lyncdiscoverinternal.") {
			return engine.Answer{RCode: engine.RCodeNameError}, nil
		}
		return loopbackResolver(ctx, q)
	})
	port := closedLoopbackPort(t)
	refuse := func(ctx context.Context, network, address string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port))))
	}
	res := run(t, Options{Client: "lync-2013", Resolver: resolver, Dial: refuse,
		Candidates: []engine.Candidate{candidate("sip.probe.test", port, engine.TLS)}})
	ad := res.Autodiscover
	var got []string
	for _, r := range ad.Requests {
		f := ""
		if r.Failure != nil {
			f = string(r.Failure.Stage) + "/" + string(r.Failure.Kind)
		}
		got = append(got, fmt.Sprintf("%s %s %s", r.URL, r.Outcome, f))
	}
	want := []string{
		"https://lyncdiscoverinternal.probe.test/?sipuri=bob@probe.test skipped resolve/no-address",
		"https://lyncdiscover.probe.test/?sipuri=bob@probe.test failed connect/refused",
		"http://lyncdiscover.probe.test/?sipuri=bob@probe.test failed connect/refused",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	f, ok := finding(ad.Findings, engine.KindAutodiscoverNoAnswer)
	if !ok || !strings.Contains(f.Message, "DNS gives sip.probe.test:") {
		t.Errorf("findings %+v; want %s naming the server DNS gives", ad.Findings, engine.KindAutodiscoverNoAnswer)
	}
}

// closedLoopbackPort returns a loopback port nothing listens on.
func closedLoopbackPort(t *testing.T) uint16 {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	return port
}

// TestAutodiscoverNotTLS: where port 443 answers in plain HTTP, the
// https request fails in the TLS stage, saying so, and the http request
// that follows gets the root document.
func TestAutodiscoverNotTLS(t *testing.T) {
	ca := siptest.NewCA(t)
	a := siptest.StartAutodiscover(t, ca, adNames, siptest.LyncAutodiscover("probe.test"))
	plain := func(ctx context.Context, network, address string) (net.Conn, error) {
		return a.Dial(ctx, network, strings.Replace(address, ":443", ":80", 1))
	}
	res := run(t, Options{Client: "lync-2013", Resolver: loopbackResolver, Dial: plain, CA: ca.Pool})
	rs := res.Autodiscover.Requests
	if len(rs) < 2 {
		t.Fatalf("requests = %+v", rs)
	}
	if f := rs[0].Failure; f == nil || f.Stage != probe.StageTLS || f.Kind != probe.FailNotTLS || !strings.Contains(f.Message, "plain HTTP") {
		t.Errorf("https request's failure = %+v; want tls/not-tls saying the port serves plain HTTP", f)
	}
	if rs[1].URL != "http://lyncdiscoverinternal.probe.test/?sipuri=bob@probe.test" || rs[1].Status != 200 || rs[1].TLS != nil || rs[1].Document == nil {
		t.Errorf("second request = %s %d TLS %v document %v; want the http root document", rs[1].URL, rs[1].Status, rs[1].TLS, rs[1].Document)
	}
}

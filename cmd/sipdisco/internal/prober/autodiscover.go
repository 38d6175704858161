package prober

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/probe"
)

// autodiscover asks the Autodiscover web service as a Lync 2013 or Skype
// for Business client does ("Understanding Autodiscover in Lync Server
// 2013", TechNet JJ945654): at each of the profile's Autodiscover names
// (lyncdiscoverinternal.<domain>, then lyncdiscover.<domain>), over
// https and then http, GET /?sipuri=<address> until one answers with a
// root document; then its Redirect link (to the user's home pool), at
// most probe.MaxAutodiscoverRedirects times, and its User link, which
// answers a request without credentials with 401 and the web ticket
// location. Every request carries only Host, User-Agent and Accept: no
// Authorization, no cookie (the client has no cookie jar), no token
// (and Connection: close, one request per connection).
// Redirects of HTTP itself (3xx) are recorded, not followed; links are
// followed only as probe.CheckLink allows. Each request is bounded in
// time by the connect, handshake and response limits together, its
// head by engine.WebMaxHeaderBytes and its body by
// engine.WebMaxBodyBytes.
func (p *prober) autodiscover(ctx context.Context, target string) *engine.AutodiscoverProbe {
	ad := &engine.AutodiscoverProbe{Requests: []engine.WebRequest{}}
	c := p.webClient()
	defer c.CloseIdleConnections()
	var root *engine.AutodiscoverDocument
	rootIndex := -1
names:
	for _, prefix := range p.client.Autodiscover {
		host := prefix + "." + p.domain
		for _, scheme := range []string{"https", "http"} {
			if ctx.Err() != nil || len(ad.Requests) >= engine.WebMaxRequests {
				break names
			}
			r := p.get(ctx, c, engine.WebRoot, probe.AutodiscoverRootURL(scheme, host, p.addr))
			ad.Requests = append(ad.Requests, r)
			if isDocument(r) {
				root, rootIndex = r.Document, len(ad.Requests)-1
				break names
			}
			if r.Failure != nil && r.Failure.Stage == probe.StageResolve {
				continue names // the name does not resolve: http will not either
			}
		}
	}
	if root != nil {
		p.followLinks(ctx, c, ad, root, rootIndex)
	}
	probe.JudgeAutodiscover(ad, target)
	return ad
}

// followLinks follows the Redirect links of the document at index from
// (each leading to a new document), then the User link, as the client
// does.
func (p *prober) followLinks(ctx context.Context, c *http.Client, ad *engine.AutodiscoverProbe, doc *engine.AutodiscoverDocument, from int) {
	seen := []string{}
	for _, r := range ad.Requests {
		seen = append(seen, r.URL)
	}
	for redirects := 0; ctx.Err() == nil && len(ad.Requests) < engine.WebMaxRequests; {
		token, purpose := probe.LinkRedirect, engine.WebRedirect
		href, ok := doc.Link(token)
		if !ok {
			token, purpose = probe.LinkUser, engine.WebUser
			if href, ok = doc.Link(token); !ok {
				return
			}
		}
		if purpose == engine.WebRedirect && redirects == probe.MaxAutodiscoverRedirects {
			probe.RefuseLink(&ad.Requests[from], token, href, fmt.Sprintf("%d redirects were followed already", redirects))
			return
		}
		u, why := probe.CheckLink(href, seen)
		if why != "" {
			probe.RefuseLink(&ad.Requests[from], token, href, why)
			return
		}
		r := p.get(ctx, c, purpose, u.String())
		seen = append(seen, r.URL)
		ad.Requests = append(ad.Requests, r)
		if purpose == engine.WebUser || !isDocument(r) {
			return
		}
		redirects++
		doc, from = r.Document, len(ad.Requests)-1
	}
}

// isDocument reports whether r answered 200 with a readable document.
func isDocument(r engine.WebRequest) bool {
	return r.Outcome == engine.ProbeAnswered && r.Status == 200 && r.Document != nil && r.Document.Error == ""
}

// webConn is what the dialer learnt about one request's connection.
type webConn struct {
	remote     string
	connectMS  int64
	resolveErr error
}

type webConnKey struct{}

// webClient is the HTTP client of the observation: no proxy (the probe
// goes where DNS sends it), no cookie jar, no keep-alive, no compression
// (the body limit counts the bytes sent), HTTP/1.1, every TLS version and
// suite (as for SIP), the certificate recorded and judged rather than
// refused, and the response head bounded.
func (p *prober) webClient() *http.Client {
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            p.webDial,
		TLSClientConfig:        &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, CipherSuites: allSuites()}, // verified by probe.NewTLS, recorded rather than refused
		TLSHandshakeTimeout:    p.o.HandshakeTimeout,
		ResponseHeaderTimeout:  p.o.ResponseTimeout,
		MaxResponseHeaderBytes: engine.WebMaxHeaderBytes,
		DisableCompression:     true,
		DisableKeepAlives:      true,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// webDial connects to a web service host through the check's resolver
// (so that --dns and --zone apply), never to documentation addresses,
// each address in turn under the connect limit.
func (p *prober) webDial(ctx context.Context, network, hostport string) (net.Conn, error) {
	wc, _ := ctx.Value(webConnKey{}).(*webConn)
	if wc == nil {
		wc = &webConn{}
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	addrs, err := p.addresses(ctx, target{host: host})
	if err == nil {
		if doc := documentation(addrs); doc != "" {
			err = errors.New(doc)
		}
	}
	if err != nil {
		wc.resolveErr = err
		return nil, err
	}
	start := p.o.Now()
	defer func() { wc.connectMS = p.o.Now().Sub(start).Milliseconds() }()
	var whys []string
	var last error
	for _, ip := range addrs {
		hp := net.JoinHostPort(ip.String(), port)
		dctx, cancel := context.WithTimeout(ctx, p.o.ConnectTimeout)
		conn, err := p.o.Dial(dctx, "tcp", hp)
		cancel()
		if err == nil {
			wc.remote = hp
			return conn, nil
		}
		last = err
		whys = append(whys, hp+": "+describe(err, p.o.ConnectTimeout))
		if ctx.Err() != nil {
			break
		}
	}
	return nil, &dialError{msg: strings.Join(whys, "; "), err: last}
}

type dialError struct {
	msg string
	err error
}

func (e *dialError) Error() string { return e.msg }
func (e *dialError) Unwrap() error { return e.err }

// get makes one GET request to rawURL without credentials and records it.
func (p *prober) get(ctx context.Context, c *http.Client, purpose engine.WebPurpose, rawURL string) (r engine.WebRequest) {
	r = engine.WebRequest{Purpose: purpose, URL: rawURL, Outcome: engine.ProbeFailed, RequestHeaders: []engine.Header{}}
	defer func() { probe.JudgeWebRequest(&r) }()
	fail := func(stage probe.Stage, kind probe.FailureKind, msg string) engine.WebRequest {
		r.Failure = &engine.ProbeFailure{Stage: stage, Kind: kind, Message: msg}
		return r
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		r.Outcome = engine.ProbeSkipped
		return fail(probe.StageSend, probe.FailNotAllowed, "not an http or https URL")
	}
	r.Host = u.Hostname()
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	n, _ := strconv.Atoi(port)
	r.Port = uint16(n)

	limit := p.o.ConnectTimeout + p.o.HandshakeTimeout + p.o.ResponseTimeout
	rctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	wc := &webConn{}
	var tlsStart, tlsDone time.Time
	var tlsErr error
	rctx = context.WithValue(rctx, webConnKey{}, wc)
	rctx = httptrace.WithClientTrace(rctx, &httptrace.ClientTrace{
		TLSHandshakeStart: func() { tlsStart = p.o.Now() },
		TLSHandshakeDone:  func(_ tls.ConnectionState, err error) { tlsDone, tlsErr = p.o.Now(), err },
	})
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, rawURL, nil)
	if err != nil {
		r.Outcome = engine.ProbeSkipped
		return fail(probe.StageSend, probe.FailNotAllowed, err.Error())
	}
	req.Header.Set("Accept", probe.AutodiscoverAccept)
	req.Header.Set("User-Agent", p.client.UserAgent)
	if err := checkNoCredentials(req); err != nil {
		r.Outcome = engine.ProbeSkipped
		return fail(probe.StageSend, probe.FailNotAllowed, err.Error())
	}
	r.RequestLine = "GET " + u.RequestURI() + " HTTP/1.1"
	r.RequestHeaders = append(r.RequestHeaders, engine.Header{Name: "Host", Value: u.Host},
		engine.Header{Name: "User-Agent", Value: p.client.UserAgent}, engine.Header{Name: "Accept", Value: probe.AutodiscoverAccept},
		engine.Header{Name: "Connection", Value: "close"}) // net/http adds it: DisableKeepAlives

	sent := p.o.Now()
	resp, err := c.Do(req)
	r.Remote, r.ConnectMS = wc.remote, wc.connectMS
	if err != nil {
		switch {
		case wc.resolveErr != nil:
			r.Outcome = engine.ProbeSkipped
			if strings.Contains(wc.resolveErr.Error(), "reserved for documentation") {
				return fail(probe.StageResolve, probe.FailNotAllowed, wc.resolveErr.Error())
			}
			return fail(probe.StageResolve, probe.FailNoAddress, wc.resolveErr.Error())
		case wc.remote == "":
			return fail(probe.StageConnect, kindOf(err), describeWeb(err, p.o.ConnectTimeout))
		case !tlsStart.IsZero() && (tlsDone.IsZero() || tlsErr != nil):
			e := tlsErr
			if e == nil {
				e = err
			}
			f := handshakeFailure(e, p.o.HandshakeTimeout)
			r.Failure = f
			return r
		}
		return fail(probe.StageResponse, kindOf(err), describeWeb(err, p.o.ResponseTimeout))
	}
	defer resp.Body.Close()
	if resp.TLS != nil {
		st := resp.TLS
		info, fs := probe.NewTLS(probe.Handshake{
			ServerName:     r.Host,
			Version:        st.Version,
			CipherSuite:    tls.CipherSuiteName(st.CipherSuite),
			InsecureCipher: slices.ContainsFunc(tls.InsecureCipherSuites(), func(s *tls.CipherSuite) bool { return s.ID == st.CipherSuite }),
			HandshakeMS:    tlsDone.Sub(tlsStart).Milliseconds(),
			Chain:          st.PeerCertificates,
		}, r.Host, r.Port, "", p.roots, p.o.Now())
		r.TLS = info
		r.Findings = append(r.Findings, fs...)
	}
	r.Status = resp.StatusCode
	r.StatusLine = resp.Proto + " " + resp.Status
	r.Headers = webHeaders(resp.Header)
	r.Location = resp.Header.Get("Location")
	body, err := io.ReadAll(io.LimitReader(resp.Body, engine.WebMaxBodyBytes+1))
	r.ResponseMS = p.o.Now().Sub(sent).Milliseconds()
	r.BodyBytes = min(len(body), engine.WebMaxBodyBytes)
	r.Body = string(body[:min(len(body), engine.WebMaxRecordedBody)])
	if len(body) > engine.WebMaxBodyBytes {
		return fail(probe.StageResponse, probe.FailBodyTooLarge, fmt.Sprintf("the body is longer than %d bytes, more than an Autodiscover document needs; the rest was not read", engine.WebMaxBodyBytes))
	}
	if err != nil {
		return fail(probe.StageResponse, kindOf(err), describeWeb(err, p.o.ResponseTimeout)+" while reading the body")
	}
	r.Outcome = engine.ProbeAnswered
	switch {
	case r.Status == 401:
		r.WebTicket = probe.ParseWebTicket(r.Headers)
	case r.Status == 200:
		r.Document = probe.ParseAutodiscover(resp.Header.Get("Content-Type"), body)
	}
	return r
}

// describeWeb says what an error of the HTTP client means.
func describeWeb(err error, timeout time.Duration) string {
	var de *dialError
	if errors.As(err, &de) {
		return de.msg
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return describe(err, timeout)
}

// webHeaders returns the response's header fields in a fixed order (by
// name, then as sent), at most engine.WebMaxHeaders.
func webHeaders(h http.Header) []engine.Header {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	slices.Sort(names)
	out := []engine.Header{}
	for _, n := range names {
		for _, v := range h[n] {
			if len(out) == engine.WebMaxHeaders {
				return out
			}
			out = append(out, engine.Header{Name: n, Value: v})
		}
	}
	return out
}

// checkNoCredentials refuses a request that could carry a credential:
// an Authorization, Proxy-Authorization, Cookie or X-MS-WebTicket
// header, or a user name in the URL.
func checkNoCredentials(req *http.Request) error {
	for _, n := range []string{"Authorization", "Proxy-Authorization", "Cookie", "X-Ms-Webticket"} {
		if req.Header.Get(n) != "" {
			return fmt.Errorf("prober: refusing to send a request with a %s header", n)
		}
	}
	if req.URL.User != nil {
		return errors.New("prober: refusing to send a request with a user name in its URL")
	}
	return nil
}

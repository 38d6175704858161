//go:build !js

package dohclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// UserAgent is the User-Agent header HTTPRoundTrip sends.
const UserAgent = "sipdisco"

// maxRedirects is how many redirects HTTPRoundTrip follows.
const maxRedirects = 3

// HTTPRoundTrip returns a RoundTrip that sends requests with hc. A nil hc
// means a client with bounded dial, TLS handshake and response header
// timeouts and an overall limit of 30 seconds, that uses the proxy the
// environment names when HTTPRoundTrip is called (HTTPS_PROXY, NO_PROXY;
// credentials as http://USER:PASSWORD@proxy:port). The request's context
// bounds each exchange in any case.
//
// A proxy that wants authentication (407) or refuses to connect to the
// endpoint gives a *ProxyError, whose Fix is about the proxy, never DNS;
// with a caller's hc, only a 407 response is recognised.
//
// Requests carry User-Agent "sipdisco". Redirects are followed only to
// https URLs and at most three times (RFC 8484 §5.2 leaves redirects to
// HTTP, but a DoH answer must never arrive over plain http); a CheckRedirect
// of hc is consulted after that rule. hc itself is not modified.
func HTTPRoundTrip(hc *http.Client) RoundTrip {
	if hc == nil {
		hc = defaultHTTPClient()
	}
	c := *hc
	next := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("refusing redirect to non-https URL %s", redact(req.URL))
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", len(via))
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return func(ctx context.Context, r *Request) (*Response, error) {
		var body io.Reader
		if r.Body != nil {
			body = bytes.NewReader(r.Body)
		}
		req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
		if err != nil {
			return nil, err
		}
		for k, v := range r.Header {
			req.Header.Set(k, v)
		}
		req.Header.Set("User-Agent", UserAgent)
		resp, err := c.Do(req)
		if err == nil && resp.StatusCode == http.StatusProxyAuthRequired {
			// A proxy's answer, not the resolver's: plain http through
			// HTTP_PROXY, or a proxy the network puts in the way.
			resp.Body.Close()
			return nil, fmt.Errorf("%s request: %w", r.Method, proxyError(nil, req.URL.Host, resp))
		}
		if err != nil {
			// A *url.Error repeats the whole URL, dns parameter included;
			// the caller names the endpoint already.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = fmt.Errorf("%s request: %w", r.Method, ue.Err)
			}
			return nil, err
		}
		return &Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: resp.Body}, nil
	}
}

// redact returns u without its query, which for DoH GET is the whole
// DNS message.
func redact(u *url.URL) string {
	v := *u
	v.RawQuery = ""
	v.ForceQuery = false
	return v.String()
}

// MaxConnsPerHost bounds the connections the default client opens to one
// DoH server, and the idle ones it keeps: over HTTP/1.1, the questions in
// flight to it; over HTTP/2, one connection carries them all.
const MaxConnsPerHost = 64

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 15 * time.Second
	t.ExpectContinueTimeout = time.Second
	// Connections are kept open between questions (keep-alive; HTTP/2
	// multiplexes them on one), enough idle ones for an audit's
	// concurrency, and at most MaxConnsPerHost to one server: more
	// questions wait for a connection rather than open new ones.
	t.MaxIdleConnsPerHost = MaxConnsPerHost
	t.MaxConnsPerHost = MaxConnsPerHost
	t.ForceAttemptHTTP2 = true
	t.Proxy = environmentProxy()
	t.OnProxyConnectResponse = onProxyConnect
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

//go:build !js

package dohclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

// ProxyError is the error HTTPRoundTrip returns when the HTTP proxy in the
// way (HTTPS_PROXY, HTTP_PROXY) refuses the request: it wants
// authentication (407 Proxy Authentication Required, RFC 9110 §15.5.8) or
// refuses to connect to the endpoint. It is an HTTP problem between this
// machine and the resolver, not a DNS answer, and its Fix says so.
type ProxyError struct {
	// Proxy is the proxy's scheme://host:port, without credentials; ""
	// when the 407 came from an unknown proxy on the way.
	Proxy string
	// Target is the host:port the proxy was asked to connect to.
	Target string
	// Status is the proxy's HTTP status.
	Status int
	// Schemes are the authentication schemes the proxy offers in its
	// Proxy-Authenticate headers ("Basic", "Negotiate", "NTLM").
	Schemes []string
	// WithCredentials is set when the proxy URL carried credentials, so
	// the proxy refused them.
	WithCredentials bool
}

// Error says what the proxy did, then how to fix it.
func (e *ProxyError) Error() string { return e.problem() + ": " + e.Fix() }

func (e *ProxyError) problem() string {
	proxy := "the HTTP proxy " + e.Proxy
	if e.Proxy == "" {
		proxy = "an HTTP proxy on the way to " + e.Target
	}
	status := strings.TrimSpace(fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status)))
	offers := ""
	if len(e.Schemes) > 0 {
		offers = "; it offers " + strings.Join(e.Schemes, ", ")
	}
	switch {
	case e.Status != http.StatusProxyAuthRequired:
		return fmt.Sprintf("%s refused to connect to %s (%s)", proxy, e.Target, status)
	case e.WithCredentials:
		return fmt.Sprintf("%s refused the user name and password in its URL (%s%s)", proxy, status, offers)
	}
	return fmt.Sprintf("%s wants authentication (%s%s)", proxy, status, offers)
}

// Fix says how to get past the proxy: this is never a DNS fix.
func (e *ProxyError) Fix() string {
	host := e.Proxy
	if u, err := url.Parse(e.Proxy); err == nil && u.Host != "" {
		host = u.Host
	}
	inside := "or ask the machine's own resolver instead of DNS-over-HTTPS with --dns system (the inside view)"
	switch {
	case e.Status != http.StatusProxyAuthRequired:
		return fmt.Sprintf("ask the proxy's administrators to allow %s, set NO_PROXY to reach it directly, %s", e.Target, inside)
	case !e.offers("basic") && (e.offers("ntlm") || e.offers("negotiate")):
		return "it accepts only Windows integrated authentication (NTLM or Negotiate), which sipdisco cannot send; ask for a proxy exception for " + e.Target + ", " + inside
	case e.WithCredentials:
		return "check the user name and password in HTTPS_PROXY (special characters percent-encoded, e.g. @ as %40), " + inside
	case host == "":
		return "set HTTPS_PROXY to the proxy with a user name and password, http://USER:PASSWORD@PROXY:PORT, " + inside
	}
	return fmt.Sprintf("put a user name and password in the proxy URL, HTTPS_PROXY=http://USER:PASSWORD@%s (percent-encode special characters), %s", host, inside)
}

func (e *ProxyError) offers(scheme string) bool {
	for _, s := range e.Schemes {
		if strings.EqualFold(s, scheme) {
			return true
		}
	}
	return false
}

// proxyError builds the ProxyError for a proxy's response.
func proxyError(proxy *url.URL, target string, resp *http.Response) *ProxyError {
	e := &ProxyError{Target: target, Status: resp.StatusCode}
	if proxy != nil {
		e.Proxy = proxy.Scheme + "://" + proxy.Host
		e.WithCredentials = proxy.User != nil
	}
	for _, v := range resp.Header.Values("Proxy-Authenticate") {
		// Each value is a challenge: scheme, then parameters (RFC 9110
		// §11.6.2); several challenges may share one header.
		for _, ch := range strings.Split(v, ",") {
			f := strings.Fields(ch)
			if len(f) == 0 || strings.Contains(f[0], "=") {
				continue
			}
			if s := truncate(f[0], 32); !e.offers(s) && len(e.Schemes) < 8 {
				e.Schemes = append(e.Schemes, s)
			}
		}
	}
	return e
}

// environmentProxy returns the proxy function of the environment as it
// is now (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case forms),
// with net/http's rules: loopback hosts are never proxied. Unlike
// http.ProxyFromEnvironment it does not keep the first environment it saw
// for the life of the process.
func environmentProxy() func(*http.Request) (*url.URL, error) {
	f := httpproxy.FromEnvironment().ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return f(r.URL) }
}

// onProxyConnect turns a refused CONNECT into a ProxyError (net/http would
// report only the status text, "Proxy Authentication Required").
func onProxyConnect(_ context.Context, proxy *url.URL, req *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return proxyError(proxy, req.Host, resp)
}

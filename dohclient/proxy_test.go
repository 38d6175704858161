//go:build !js

package dohclient

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// testProxy is an HTTP proxy on loopback that answers CONNECT: with
// status and the Proxy-Authenticate challenges unless the request carries
// Basic credentials user:pass, and then by tunnelling to upstream.
type testProxy struct {
	ln           net.Listener
	status       int
	authenticate []string
	user, pass   string
	upstream     string

	mu      sync.Mutex
	targets []string // CONNECT targets asked for
}

func startProxy(t *testing.T, p *testProxy) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.ln = ln
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); p.serve(c) }()
		}
	}()
	return ln.Addr().String()
}

func (p *testProxy) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	p.mu.Lock()
	p.targets = append(p.targets, req.Method+" "+req.Host)
	p.mu.Unlock()
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.user+":"+p.pass))
	if req.Method != http.MethodConnect || p.upstream == "" || p.user == "" || req.Header.Get("Proxy-Authorization") != want {
		status := p.status
		if status == 0 {
			status = http.StatusProxyAuthRequired
		}
		resp := fmt.Sprintf("HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
		for _, a := range p.authenticate {
			resp += "Proxy-Authenticate: " + a + "\r\n"
		}
		io.WriteString(c, resp+"Content-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	up, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return
	}
	defer up.Close()
	io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, br); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
}

// oneAddress answers every A question with 192.0.2.7.
type oneAddress struct{}

func (oneAddress) Resolve(_ context.Context, q engine.Question) (engine.Answer, error) {
	return engine.Answer{Records: []engine.Record{{Name: q.Name, Type: engine.TypeA, TTL: 60, Addr: netip.MustParseAddr("192.0.2.7")}}}, nil
}

// TestProxy sends DoH queries through a loopback proxy named by
// HTTPS_PROXY, as a corporate network does: with the right credentials
// in the proxy URL the query is answered through the tunnel; a proxy
// that wants authentication, refuses the credentials, offers only
// Windows authentication or refuses the target gives a ProxyError naming
// the proxy and a fix about the proxy, never about DNS.
func TestProxy(t *testing.T) {
	upstream := httptest.NewUnstartedServer(replyHandler(oneAddress{}))
	upstream.StartTLS()
	defer upstream.Close()
	roots := upstream.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	// httptest's certificate names example.com; the proxy, not this
	// machine, connects to it, so the name needs no DNS.
	const endpoint = "https://example.com/dns-query"

	exchange := func(t *testing.T, proxyURL string) error {
		t.Helper()
		t.Setenv("HTTPS_PROXY", proxyURL)
		t.Setenv("https_proxy", "")
		t.Setenv("NO_PROXY", "")
		t.Setenv("no_proxy", "")
		hc := defaultHTTPClient()
		hc.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: roots}
		c, err := New(endpoint, HTTPRoundTrip(hc))
		if err != nil {
			t.Fatal(err)
		}
		defer hc.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ans, err := c.Resolve(ctx, engine.Question{Name: "sip.contoso.example", Type: engine.TypeA})
		if err == nil && (len(ans.Records) != 1 || ans.Records[0].Addr.String() != "192.0.2.7") {
			t.Errorf("through the proxy: answer %+v; want 192.0.2.7", ans)
		}
		return err
	}

	t.Run("credentials in the proxy URL", func(t *testing.T) {
		p := &testProxy{user: "CONTOSO\\jeremy", pass: "p@ss:word", upstream: upstream.Listener.Addr().String(), authenticate: []string{`Basic realm="corp"`}}
		addr := startProxy(t, p)
		if err := exchange(t, "http://CONTOSO%5Cjeremy:p%40ss%3Aword@"+addr); err != nil {
			t.Fatalf("through an authenticating proxy with the right credentials: %v", err)
		}
		if len(p.targets) == 0 || p.targets[0] != "CONNECT example.com:443" {
			t.Errorf("the proxy was asked %v; want CONNECT example.com:443", p.targets)
		}
	})

	for _, tt := range []struct {
		name      string
		proxy     *testProxy
		userinfo  string
		want      []string
		wantError ProxyError
	}{
		{"no credentials", &testProxy{authenticate: []string{`Basic realm="corp"`, "Negotiate", "NTLM"}}, "",
			[]string{"wants authentication", "407 Proxy Authentication Required", "offers Basic, Negotiate, NTLM", "HTTPS_PROXY=http://USER:PASSWORD@127.0.0.1:", "--dns system"},
			ProxyError{Target: "example.com:443", Status: 407, Schemes: []string{"Basic", "Negotiate", "NTLM"}}},
		{"wrong credentials", &testProxy{user: "u", pass: "right", authenticate: []string{`Basic realm="corp"`}}, "u:s3cret-wrong@",
			[]string{"refused the user name and password", "check the user name and password in HTTPS_PROXY", "--dns system"},
			ProxyError{Target: "example.com:443", Status: 407, Schemes: []string{"Basic"}, WithCredentials: true}},
		{"Windows authentication only", &testProxy{authenticate: []string{"Negotiate", "NTLM"}}, "",
			[]string{"wants authentication", "only Windows integrated authentication (NTLM or Negotiate)", "proxy exception for example.com:443", "--dns system"},
			ProxyError{Target: "example.com:443", Status: 407, Schemes: []string{"Negotiate", "NTLM"}}},
		{"no challenge at all", &testProxy{}, "",
			[]string{"wants authentication (407 Proxy Authentication Required)", "HTTPS_PROXY=http://USER:PASSWORD@127.0.0.1:"},
			ProxyError{Target: "example.com:443", Status: 407}},
		{"target refused", &testProxy{status: http.StatusForbidden}, "",
			[]string{"refused to connect to example.com:443 (403 Forbidden)", "NO_PROXY", "--dns system"},
			ProxyError{Target: "example.com:443", Status: 403}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr := startProxy(t, tt.proxy)
			err := exchange(t, "http://"+tt.userinfo+addr)
			var pe *ProxyError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v; want a *ProxyError", err)
			}
			tt.wantError.Proxy = "http://" + addr
			if pe.Proxy != tt.wantError.Proxy || pe.Target != tt.wantError.Target || pe.Status != tt.wantError.Status ||
				strings.Join(pe.Schemes, ",") != strings.Join(tt.wantError.Schemes, ",") || pe.WithCredentials != tt.wantError.WithCredentials {
				t.Errorf("ProxyError = %+v; want %+v", *pe, tt.wantError)
			}
			msg := err.Error()
			for _, w := range append(tt.want, "http://"+addr) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			for _, never := range []string{"DNSSEC", "authoritative", "s3cret", "SERVFAIL"} {
				if strings.Contains(msg, never) {
					t.Errorf("error %q mentions %q: a proxy problem is not a DNS problem, and a password is never shown", msg, never)
				}
			}
		})
	}

	t.Run("NO_PROXY goes direct", func(t *testing.T) {
		p := &testProxy{}
		addr := startProxy(t, p)
		t.Setenv("HTTPS_PROXY", "http://"+addr)
		t.Setenv("NO_PROXY", "example.com")
		hc := defaultHTTPClient()
		tr := hc.Transport.(*http.Transport)
		req, _ := http.NewRequest("GET", endpoint, nil)
		if u, err := tr.Proxy(req); err != nil || u != nil {
			t.Errorf("with NO_PROXY=example.com the proxy for %s is %v, %v; want none", endpoint, u, err)
		}
		req, _ = http.NewRequest("GET", "https://dns.google/dns-query", nil)
		if u, err := tr.Proxy(req); err != nil || u == nil || u.Host != addr {
			t.Errorf("the proxy for dns.google is %v, %v; want %s", u, err, addr)
		}
	})
}

// TestProxy407Response covers a 407 that arrives as a response (a proxy
// on the way to a plain-http endpoint) rather than to CONNECT.
func TestProxy407Response(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Proxy-Authenticate", `Basic realm="x"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
	}))
	defer srv.Close()
	c, err := New(srv.URL+"/dns-query", HTTPRoundTrip(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Resolve(context.Background(), engine.Question{Name: "contoso.example", Type: engine.TypeA})
	var pe *ProxyError
	if !errors.As(err, &pe) || pe.Status != 407 || !strings.Contains(err.Error(), "an HTTP proxy on the way to 127.0.0.1:") {
		t.Errorf("a 407 response: %v; want a ProxyError naming the way to the endpoint", err)
	}
}

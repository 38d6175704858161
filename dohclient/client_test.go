//go:build !js

package dohclient

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
)

func TestCheckEndpoint(t *testing.T) {
	tests := []struct {
		endpoint string
		wantErr  string // "" means valid
	}{
		{"https://dns.example/dns-query", ""},
		{"https://dns.example:8443/dns-query?ct=1", ""},
		{"HTTPS://DNS.EXAMPLE/dns-query", ""},
		{"http://127.0.0.1:8053/dns-query", ""},
		{"http://[::1]:8053/dns-query", ""},
		{"http://localhost/dns-query", ""},
		{"http://LocalHost:80/", ""},
		{"", "not an absolute URL"},
		{"dns.example/dns-query", "not an absolute URL"},
		{"ftp://dns.example/dns-query", `scheme "ftp" is not https`},
		{"http://dns.example/dns-query", "plain http is allowed only for"},
		{"http://127.0.0.2/dns-query", "plain http is allowed only for"},
		{"http://localhost.dns.example/dns-query", "plain http is allowed only for"},
		{"https://user:secret@dns.example/dns-query", "user information"},
		{"https://dns.example/dns-query#x", "fragment"},
		{"https://dns.example/dns-query#", "fragment"},
		{"https:///dns-query", "no host"},
		{"https://:443/dns-query", "no host"},
		{"https:dns.example", "want https://host/path"},
		{"https://dns.example:0/dns-query", "port"},
		{"https://dns.example:99999/dns-query", "port"},
		{"https://[::1/dns-query", "bad endpoint"},
		{"https://dns.example/dns-query?dns=AAAB", `already has a "dns" parameter`},
		{"https://dns.example/dns-query?a=%zz", "query"},
	}
	for _, tt := range tests {
		err := CheckEndpoint(tt.endpoint)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckEndpoint(%q) = %v; want nil", tt.endpoint, err)
		case tt.wantErr != "" && err == nil:
			t.Errorf("CheckEndpoint(%q) = nil; want error containing %q", tt.endpoint, tt.wantErr)
		case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
			t.Errorf("CheckEndpoint(%q) = %q; want it to contain %q", tt.endpoint, err, tt.wantErr)
		}
		c, nerr := New(tt.endpoint, nopRoundTrip)
		if (nerr == nil) != (err == nil) {
			t.Errorf("New(%q) error = %v; want the same outcome as CheckEndpoint (%v)", tt.endpoint, nerr, err)
		}
		if nerr == nil && (c.Endpoint != tt.endpoint || c.RoundTrip == nil) {
			t.Errorf("New(%q) = %+v; want a client for the endpoint", tt.endpoint, c)
		}
	}
}

func nopRoundTrip(context.Context, *Request) (*Response, error) {
	return nil, errors.New("nopRoundTrip")
}

func TestNewNilRoundTrip(t *testing.T) {
	if _, err := New("https://dns.example/dns-query", nil); err == nil || !strings.Contains(err.Error(), "RoundTrip") {
		t.Errorf("New(endpoint, nil) error = %v; want an error about the missing RoundTrip", err)
	}
}

// TestResolveBadName: a name that cannot be packed is an error before
// any request is sent.
func TestResolveBadName(t *testing.T) {
	c := &Client{Endpoint: "https://dns.example/dns-query", RoundTrip: nopRoundTrip}
	for _, name := range []string{"a..example", strings.Repeat("a", 64) + ".example", `a\.b.example`, `a\`} {
		_, err := c.Resolve(context.Background(), engine.Question{Name: name, Type: engine.TypeA})
		if err == nil || !strings.Contains(err.Error(), "packing the query") {
			t.Errorf("Resolve(%q) error = %v; want one about packing the query", name, err)
		}
	}
}

// addrComparer compares netip.Addr values, which cmp cannot look into.
var addrComparer = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// replyHandler is a DoH server for the client's tests: it answers GET
// requests from r with Reply (A, AAAA, CNAME and SRV records), and no
// more; dohclient/server is the real one.
func replyHandler(r engine.Resolver) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		query, err := base64.RawURLEncoding.DecodeString(req.URL.Query().Get("dns"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		m, err := parse(query)
		if err != nil || len(m.questions) != 1 {
			http.Error(w, "not one question", http.StatusBadRequest)
			return
		}
		q := engine.Question{Name: engineName(m.questions[0].name), Type: engine.Type(m.questions[0].qtype)}
		a, err := r.Resolve(req.Context(), q)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		b, err := Reply(query, a.RCode, a.Records)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", MediaType)
		w.Write(b)
	})
}

// seenRequest is what a test server observed of one DoH request.
type seenRequest struct {
	Method      string
	Path        string
	RawQuery    string
	Accept      string
	ContentType string
	UserAgent   string
	Wire        []byte // the DNS query, decoded
}

// echoServer starts a loopback TLS server that records each request on
// seen and answers it with reply (nil: an empty NOERROR reply).
func echoServer(t *testing.T, seen chan<- seenRequest) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seenRequest{
			Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
			Accept: r.Header.Get("Accept"), ContentType: r.Header.Get("Content-Type"),
			UserAgent: r.Header.Get("User-Agent"),
		}
		var err error
		if r.Method == "GET" {
			s.Wire, err = base64.RawURLEncoding.DecodeString(r.URL.Query().Get("dns"))
		} else {
			s.Wire, err = io.ReadAll(r.Body)
		}
		seen <- s
		q := new(dns.Msg)
		if err == nil {
			err = q.Unpack(s.Wire)
		}
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		writeMsg(w, new(dns.Msg).SetReply(q))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func writeMsg(w http.ResponseWriter, m *dns.Msg) {
	b, err := m.Pack()
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", MediaType)
	w.Write(b)
}

func TestRequestOnTheWire(t *testing.T) {
	tests := []struct {
		name      string
		path      string // endpoint path and query
		wantPath  string
		wantQuery map[string]bool // parameters other than dns that must be present
	}{
		{"GET", "/dns-query", "/dns-query", nil},
		{"GET with query", "/resolve?ct=1&x=y", "/resolve", map[string]bool{"ct": true, "x": true}},
		{"GET with empty query", "/dns-query?", "/dns-query", nil},
	}
	names := []string{"_sipinternaltls._tcp.contoso.example", "a.example", strings.Repeat("long-label.", 20) + "example"}
	for _, tt := range tests {
		for _, name := range names {
			t.Run(tt.name+"/"+name[:8], func(t *testing.T) {
				seen := make(chan seenRequest, 1)
				srv := echoServer(t, seen)
				c, err := New(srv.URL+tt.path, HTTPRoundTrip(srv.Client()))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.Resolve(context.Background(), engine.Question{Name: name, Type: engine.TypeSRV}); err != nil {
					t.Fatalf("Resolve: %v", err)
				}
				s := <-seen
				got := seenRequest{Method: s.Method, Path: s.Path, Accept: s.Accept, ContentType: s.ContentType, UserAgent: s.UserAgent}
				want := seenRequest{Method: "GET", Path: tt.wantPath, Accept: MediaType, UserAgent: "sipdisco"}
				if diff := cmp.Diff(got, want); diff != "" {
					t.Errorf("request headers (-got +want):\n%s", diff)
				}
				params, err := url.ParseQuery(s.RawQuery)
				if err != nil {
					t.Fatalf("query %q: %v", s.RawQuery, err)
				}
				for k := range tt.wantQuery {
					if !params.Has(k) {
						t.Errorf("query %q lost parameter %q of the endpoint", s.RawQuery, k)
					}
				}
				dnsParam := params["dns"]
				if len(dnsParam) != 1 {
					t.Fatalf("query %q has %d dns parameters; want 1", s.RawQuery, len(dnsParam))
				}
				if strings.ContainsAny(dnsParam[0], "=+/") {
					t.Errorf("dns parameter %q is not unpadded base64url (RFC 8484 §6)", dnsParam[0])
				}
				checkSentQuery(t, s.Wire, name, dns.TypeSRV)
			})
		}
	}
}

// checkSentQuery checks a query as the client must send it.
func checkSentQuery(t *testing.T, wire []byte, name string, qtype uint16) {
	t.Helper()
	if len(wire)%QueryPadBlock != 0 {
		t.Errorf("query length %d is not a multiple of %d (RFC 8467 §4.1)", len(wire), QueryPadBlock)
	}
	m := new(dns.Msg)
	if err := m.Unpack(wire); err != nil {
		t.Fatalf("query does not unpack: %v", err)
	}
	if m.Id != 0 {
		t.Errorf("query ID = %d; want 0 (RFC 8484 §4.1)", m.Id)
	}
	if m.Response || !m.RecursionDesired || m.Opcode != dns.OpcodeQuery {
		t.Errorf("query flags QR=%v RD=%v opcode=%d; want QR=false RD=true QUERY", m.Response, m.RecursionDesired, m.Opcode)
	}
	want := []dns.Question{{Name: dns.Fqdn(name), Qtype: qtype, Qclass: dns.ClassINET}}
	if diff := cmp.Diff(m.Question, want); diff != "" {
		t.Errorf("question (-got +want):\n%s", diff)
	}
	opt := m.IsEdns0()
	if opt == nil {
		t.Fatal("query has no OPT record")
	}
	if opt.UDPSize() != UDPSize || opt.Version() != 0 || opt.Do() {
		t.Errorf("OPT UDP size %d version %d DO %v; want %d, 0, false", opt.UDPSize(), opt.Version(), opt.Do(), UDPSize)
	}
	padded := false
	for _, o := range opt.Option {
		padded = padded || o.Option() == dns.EDNS0PADDING
	}
	if !padded {
		t.Error("query has no Padding option (RFC 7830)")
	}
}

// replyWith returns a handler that unpacks the query and lets edit shape
// the reply before writing it as application/dns-message.
func replyWith(edit func(q, r *dns.Msg)) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		b, _ := base64.RawURLEncoding.DecodeString(req.URL.Query().Get("dns"))
		q := new(dns.Msg)
		if err := q.Unpack(b); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		r := new(dns.Msg).SetReply(q)
		r.Answer = []dns.RR{&dns.SRV{
			Hdr:    dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeSRV, Class: dns.ClassINET, Ttl: 60},
			Target: "sip.contoso.example.", Port: 5061,
		}}
		edit(q, r)
		writeMsg(w, r)
	}
}

func TestResolveMisbehavingServers(t *testing.T) {
	reply, err := new(dns.Msg).SetReply(questionMsg(engine.Question{Name: "_sip._tls.contoso.example", Type: engine.TypeSRV})).Pack()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		maxBody    int64
		handler    http.HandlerFunc
		wantStatus int
		wantErr    string // "" means success
	}{
		{
			name:    "good",
			handler: replyWith(func(q, r *dns.Msg) {}),
		},
		{
			name: "content type with parameters and other case",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "Application/DNS-Message; charset=binary")
				w.Write(reply)
			},
		},
		{
			name:    "name echoed in other case (RFC 4343)",
			handler: replyWith(func(q, r *dns.Msg) { r.Question[0].Name = strings.ToUpper(r.Question[0].Name) }),
		},
		{
			name:       "server error",
			handler:    func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) },
			wantStatus: 500,
			wantErr:    "HTTP status 500 (Internal Server Error), want 2xx",
		},
		{
			name:       "unavailable",
			handler:    func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) },
			wantStatus: 503,
			wantErr:    "HTTP status 503 (Service Unavailable)",
		},
		{
			name:       "not found",
			handler:    http.NotFound,
			wantStatus: 404,
			wantErr:    "HTTP status 404 (Not Found)",
		},
		{
			name:       "bad request",
			handler:    func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no \x1b[31mcolour\nsecond line", 400) },
			wantStatus: 400,
			wantErr:    `HTTP status 400 (Bad Request), want 2xx: "no \x1b[31mcolour"`,
		},
		{
			name:       "unusual status",
			handler:    func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(418) },
			wantStatus: 418,
			wantErr:    "HTTP status 418, want 2xx",
		},
		{
			name: "200 text/html, a wrong path",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, "<!doctype html><title>Welcome</title>")
			},
			wantStatus: 200,
			wantErr:    `content type "text/html; charset=utf-8", want application/dns-message`,
		},
		{
			name: "no content type",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil // suppress sniffing
				w.Write(reply)
			},
			wantStatus: 200,
			wantErr:    "response has no content type",
		},
		{
			name: "content type prefix only",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/dns-message-json")
				w.Write(reply)
			},
			wantStatus: 200,
			wantErr:    `content type "application/dns-message-json"`,
		},
		{
			name: "truncated body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", MediaType)
				w.Write(reply[:len(reply)-3])
			},
			wantStatus: 200,
			wantErr:    "body is not a DNS message",
		},
		{
			name: "body cut short of Content-Length",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", MediaType)
				w.Header().Set("Content-Length", "200")
				w.Write(reply)
			},
			wantStatus: 200,
			wantErr:    "reading the body: unexpected EOF",
		},
		{
			name: "body cut at a record boundary",
			handler: func(w http.ResponseWriter, r *http.Request) {
				q := questionMsg(engine.Question{Name: "_sip._tls.contoso.example", Type: engine.TypeSRV})
				m := new(dns.Msg).SetReply(q)
				srv := &dns.SRV{Hdr: dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeSRV, Class: dns.ClassINET}, Target: "."}
				m.Answer = []dns.RR{srv}
				one, _ := m.Pack()
				m.Answer = append(m.Answer, srv)
				two, _ := m.Pack()
				w.Header().Set("Content-Type", MediaType)
				w.Write(two[:len(one)])
			},
			wantStatus: 200,
			wantErr:    "body is not a DNS message (87 bytes): the message ends inside a field",
		},
		{
			name: "empty body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", MediaType)
			},
			wantStatus: 200,
			wantErr:    "empty body",
		},
		{
			name: "garbage",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", MediaType)
				io.WriteString(w, "hello, world")
			},
			wantStatus: 200,
			wantErr:    "body is not a DNS message (12 bytes)",
		},
		{
			name: "oversized body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", MediaType)
				w.Write(reply)
				w.Write(make([]byte, DefaultMaxBody))
			},
			wantStatus: 200,
			wantErr:    "body larger than 65536 bytes",
		},
		{
			name:    "body over a custom MaxBody",
			maxBody: 20,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", MediaType)
				w.Write(reply)
				w.Write(make([]byte, 32))
			},
			wantStatus: 200,
			wantErr:    "body larger than 20 bytes",
		},
		{
			name:       "nonzero ID",
			handler:    replyWith(func(q, r *dns.Msg) { r.Id = 4660 }),
			wantStatus: 200,
			wantErr:    "DNS response ID is 4660, want 0",
		},
		{
			name:       "QR not set",
			handler:    replyWith(func(q, r *dns.Msg) { r.Response = false }),
			wantStatus: 200,
			wantErr:    "not a response (QR bit clear)",
		},
		{
			name:       "truncated flag",
			handler:    replyWith(func(q, r *dns.Msg) { r.Truncated = true }),
			wantStatus: 200,
			wantErr:    "truncated DNS response (TC bit set): the answer does not fit in one DNS message of 65,535 bytes, and a truncated answer is not used (RFC 2181 §9); the reply holds 1 answer record",
		},
		{
			name: "two OPT records",
			handler: replyWith(func(q, r *dns.Msg) {
				r.SetEdns0(UDPSize, false)
				r.Extra = append(r.Extra, r.Extra[0])
			}),
			wantStatus: 200,
			wantErr:    "DNS response has 2 OPT records, want at most one (RFC 6891 §6.1.1)",
		},
		{
			name: "OPT in the authority section",
			handler: replyWith(func(q, r *dns.Msg) {
				r.SetEdns0(UDPSize, false)
				r.Ns, r.Extra = r.Extra, nil
			}),
			wantStatus: 200,
			wantErr:    "DNS response has an OPT record outside the additional section (RFC 6891 §6.1.1)",
		},
		{
			name:       "other opcode",
			handler:    replyWith(func(q, r *dns.Msg) { r.Opcode = dns.OpcodeNotify }),
			wantStatus: 200,
			wantErr:    "opcode is NOTIFY, want QUERY",
		},
		{
			name:       "other name",
			handler:    replyWith(func(q, r *dns.Msg) { r.Question[0].Name = "_sip._tls.evil.example." }),
			wantStatus: 200,
			wantErr:    `DNS response is for "_sip._tls.evil.example." IN SRV, not the question asked ("_sip._tls.contoso.example." IN SRV)`,
		},
		{
			name:       "other type",
			handler:    replyWith(func(q, r *dns.Msg) { r.Question[0].Qtype = dns.TypeA }),
			wantStatus: 200,
			wantErr:    `DNS response is for "_sip._tls.contoso.example." IN A, not the question asked`,
		},
		{
			name:       "other class",
			handler:    replyWith(func(q, r *dns.Msg) { r.Question[0].Qclass = dns.ClassCHAOS }),
			wantStatus: 200,
			wantErr:    `DNS response is for "_sip._tls.contoso.example." CH SRV`,
		},
		{
			name:       "no question",
			handler:    replyWith(func(q, r *dns.Msg) { r.Question = nil }),
			wantStatus: 200,
			wantErr:    "DNS response (NOERROR) does not echo the question",
		},
		{
			name:       "FORMERR without the question",
			handler:    replyWith(func(q, r *dns.Msg) { r.Question, r.Answer, r.Rcode = nil, nil, dns.RcodeFormatError }),
			wantStatus: 200,
			wantErr:    "DNS response (FORMERR) does not echo the question",
		},
		{
			// Issue 26, class 4: the name does not exist, and here is its
			// SRV record.
			name:       "NXDOMAIN with an SRV record",
			handler:    replyWith(func(q, r *dns.Msg) { r.Rcode = dns.RcodeNameError }),
			wantStatus: 200,
			wantErr:    "answered NXDOMAIN with SRV records in the answer section, a reply that contradicts itself (taken as a server failure)",
		},
		{
			name:       "two questions",
			handler:    replyWith(func(q, r *dns.Msg) { r.Question = append(r.Question, r.Question[0]) }),
			wantStatus: 200,
			wantErr:    "2 questions, want 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c, err := New(srv.URL+"/dns-query", HTTPRoundTrip(srv.Client()))
			if err != nil {
				t.Fatal(err)
			}
			c.MaxBody = tt.maxBody
			ans, err := c.Resolve(context.Background(), engine.Question{Name: "_sip._tls.contoso.example", Type: engine.TypeSRV})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Resolve: %v; want success", err)
				}
				if ans.RCode != engine.RCodeSuccess {
					t.Errorf("Resolve RCode = %v; want NOERROR", ans.RCode)
				}
				return
			}
			if err == nil {
				t.Fatalf("Resolve = %+v, nil; want error containing %q", ans, tt.wantErr)
			}
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("Resolve error %q (%T) is not a *ResponseError", err, err)
			}
			got := ResponseError{Endpoint: re.Endpoint, Status: re.Status}
			want := ResponseError{Endpoint: c.Endpoint, Status: tt.wantStatus}
			if diff := cmp.Diff(got, want); diff != "" {
				t.Errorf("ResponseError (-got +want):\n%s", diff)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), c.Endpoint) {
				t.Errorf("Resolve error = %q; want it to name %s and contain %q", err, c.Endpoint, tt.wantErr)
			}
		})
	}
}

func TestResolveDeadline(t *testing.T) {
	reply, err := new(dns.Msg).SetReply(questionMsg(engine.Question{Name: "a.example", Type: engine.TypeA})).Pack()
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	defer close(release)
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"no headers", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}},
		{"body stalls", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", MediaType)
			w.Header().Set("Content-Length", "100")
			w.Write(reply[:5])
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c, err := New(srv.URL+"/dns-query", HTTPRoundTrip(srv.Client()))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err = c.Resolve(ctx, engine.Question{Name: "a.example", Type: engine.TypeA})
			if elapsed := time.Since(start); elapsed > 3*time.Second {
				t.Errorf("Resolve took %v; want it to stop at the 100ms deadline", elapsed)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Resolve error = %v; want context.DeadlineExceeded", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "deadline exceeded") || !strings.Contains(msg, c.Endpoint) || strings.Contains(msg, "dns=") {
				t.Errorf("Resolve error = %q; want it to name the endpoint (without the query) and the deadline", msg)
			}
		})
	}
}

// TestRoundTripContext checks that the injected RoundTrip gets the caller's
// context and that Resolve reports the context's error even when the
// RoundTrip's own error hides it.
func TestRoundTripContext(t *testing.T) {
	type key struct{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "mine"))
	var got any
	c, err := New("https://dns.example/dns-query", func(ctx context.Context, req *Request) (*Response, error) {
		got = ctx.Value(key{})
		cancel()
		return nil, errors.New("fetch failed")
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Resolve(ctx, engine.Question{Name: "a.example", Type: engine.TypeA})
	if got != "mine" {
		t.Errorf("RoundTrip saw context value %v; want the caller's context", got)
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "fetch failed") {
		t.Errorf("Resolve error = %v; want context.Canceled mentioning the RoundTrip's error", err)
	}
}

// closeRecorder is a Body that records whether it was closed.
type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestResolveClosesBody(t *testing.T) {
	for _, status := range []int{200, 500} {
		body := &closeRecorder{Reader: strings.NewReader("not dns")}
		c, err := New("https://dns.example/dns-query", func(context.Context, *Request) (*Response, error) {
			return &Response{Status: status, ContentType: MediaType, Body: body}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Resolve(context.Background(), engine.Question{Name: "a.example", Type: engine.TypeA}); err == nil {
			t.Errorf("status %d: Resolve succeeded on a bad body", status)
		}
		if !body.closed {
			t.Errorf("status %d: Resolve did not close the response body", status)
		}
	}
}

func TestHTTPRoundTripRedirects(t *testing.T) {
	good := httptest.NewTLSServer(replyWith(func(q, r *dns.Msg) {}))
	defer good.Close()
	plain := httptest.NewServer(replyWith(func(q, r *dns.Msg) {}))
	defer plain.Close()
	tests := []struct {
		name    string
		to      string
		wantErr string
	}{
		{"to https", good.URL + "/dns-query", ""},
		{"to http", plain.URL + "/dns-query", "refusing redirect to non-https URL " + plain.URL + "/dns-query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			redirect := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, tt.to+"?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
			}))
			defer redirect.Close()
			hc := redirect.Client()
			hc.Transport.(*http.Transport).TLSClientConfig.RootCAs.AddCert(good.Certificate())
			c, err := New(redirect.URL+"/dns-query", HTTPRoundTrip(hc))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Resolve(context.Background(), engine.Question{Name: "a.example", Type: engine.TypeA})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Resolve: %v; want success", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Resolve error = %v; want one containing %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "dns=") {
				t.Errorf("Resolve error %q repeats the DNS query", err)
			}
		})
	}
}

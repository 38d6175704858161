//go:build !js

package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// fakeZone is a Resolver over a few records, with names that yield
// NXDOMAIN, SERVFAIL and a resolver error. It records the questions asked.
type fakeZone struct {
	mu    sync.Mutex
	asked []engine.Question
}

var (
	sipA    = engine.Record{Name: "sip.contoso.example", Type: engine.TypeA, TTL: 300, Addr: netip.MustParseAddr("192.0.2.10")}
	sipAAAA = engine.Record{Name: "sip.contoso.example", Type: engine.TypeAAAA, TTL: 300, Addr: netip.MustParseAddr("2001:db8::10")}
	aliasC  = engine.Record{Name: "alias.contoso.example", Type: engine.TypeCNAME, TTL: 120, Target: "sip.contoso.example"}
	srvTLS1 = engine.Record{Name: "_sipinternaltls._tcp.contoso.example", Type: engine.TypeSRV, TTL: 3600, Priority: 0, Weight: 10, Port: 5061, Target: "pool01.contoso.example"}
	srvTLS2 = engine.Record{Name: "_sipinternaltls._tcp.contoso.example", Type: engine.TypeSRV, TTL: 600, Priority: 10, Weight: 0, Port: 5061, Target: "sip.contoso.example"}
	srvNone = engine.Record{Name: "_sip._tls.none.example", Type: engine.TypeSRV, TTL: 60, Target: "."}
	txt     = engine.Record{Name: "contoso.example", Type: engine.TypeTXT, TTL: 30, Text: []string{"v=spf1 -all", "quote\" <script>\x00\xff"}}
)

func (z *fakeZone) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	z.mu.Lock()
	z.asked = append(z.asked, q)
	z.mu.Unlock()
	ok := func(rs ...engine.Record) (engine.Answer, error) { return engine.Answer{Records: rs}, nil }
	switch q {
	case engine.Question{Name: "sip.contoso.example", Type: engine.TypeA}:
		return ok(sipA)
	case engine.Question{Name: "sip.contoso.example", Type: engine.TypeAAAA}:
		return ok(sipAAAA)
	case engine.Question{Name: "alias.contoso.example", Type: engine.TypeCNAME}:
		return ok(aliasC)
	case engine.Question{Name: "alias.contoso.example", Type: engine.TypeA}:
		return ok(aliasC, sipA)
	case engine.Question{Name: "_sipinternaltls._tcp.contoso.example", Type: engine.TypeSRV}:
		return ok(srvTLS1, srvTLS2)
	case engine.Question{Name: "_sip._tls.none.example", Type: engine.TypeSRV}:
		return ok(srvNone)
	case engine.Question{Name: "contoso.example", Type: engine.TypeTXT}:
		return ok(txt)
	}
	switch {
	case q.Name == "servfail.example":
		return engine.Answer{RCode: engine.RCodeServerFailure}, nil
	case q.Name == "error.example":
		return engine.Answer{}, errors.New("upstream unreachable")
	case q.Name == "slow.example":
		<-ctx.Done()
		return engine.Answer{}, ctx.Err()
	case q.Name == "badrcode.example":
		return engine.Answer{RCode: -1}, nil
	case q.Name == "huge.example":
		r := engine.Record{Name: q.Name, Type: engine.TypeTXT, TTL: 1, Text: []string{strings.Repeat("x", 255)}}
		rs := make([]engine.Record, 300)
		for i := range rs {
			rs[i] = r
		}
		return ok(rs...)
	case strings.HasSuffix(q.Name, ".contoso.example") && q.Name != "sip.contoso.example":
		return engine.Answer{RCode: engine.RCodeNameError}, nil
	}
	return engine.Answer{}, nil // NODATA
}

// TestClientHandlerRoundTrip runs the client against NewHandler over a
// loopback TLS server, for both methods.
func TestClientHandlerRoundTrip(t *testing.T) {
	tests := []struct {
		q    engine.Question
		want engine.Answer
	}{
		{engine.Question{Name: "_sipinternaltls._tcp.contoso.example", Type: engine.TypeSRV}, engine.Answer{Records: []engine.Record{srvTLS1, srvTLS2}}},
		{engine.Question{Name: "_sip._tls.none.example", Type: engine.TypeSRV}, engine.Answer{Records: []engine.Record{srvNone}}},
		{engine.Question{Name: "sip.contoso.example", Type: engine.TypeA}, engine.Answer{Records: []engine.Record{sipA}}},
		{engine.Question{Name: "sip.contoso.example", Type: engine.TypeAAAA}, engine.Answer{Records: []engine.Record{sipAAAA}}},
		{engine.Question{Name: "alias.contoso.example", Type: engine.TypeCNAME}, engine.Answer{Records: []engine.Record{aliasC}}},
		{engine.Question{Name: "alias.contoso.example", Type: engine.TypeA}, engine.Answer{Records: []engine.Record{aliasC, sipA}}},
		{engine.Question{Name: "contoso.example", Type: engine.TypeTXT}, engine.Answer{Records: []engine.Record{txt}}},
		{engine.Question{Name: "nx.contoso.example", Type: engine.TypeSRV}, engine.Answer{RCode: engine.RCodeNameError}},
		{engine.Question{Name: "sip.contoso.example", Type: engine.TypeTXT}, engine.Answer{RCode: engine.RCodeSuccess}},
		{engine.Question{Name: "servfail.example", Type: engine.TypeA}, engine.Answer{RCode: engine.RCodeServerFailure}},
		{engine.Question{Name: "error.example", Type: engine.TypeA}, engine.Answer{RCode: engine.RCodeServerFailure}},
		{engine.Question{Name: "slow.example", Type: engine.TypeA}, engine.Answer{RCode: engine.RCodeServerFailure}},
	}
	zone := new(fakeZone)
	srv := httptest.NewTLSServer(NewHandler(engine.ResolverFunc(zone.Resolve), HandlerOptions{Timeout: 50 * time.Millisecond}))
	defer srv.Close()
	for _, method := range []string{"GET"} {
		c, err := dohclient.New(srv.URL+"/dns-query", dohclient.HTTPRoundTrip(srv.Client()))
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			got, err := c.Resolve(context.Background(), tt.q)
			if err != nil {
				t.Errorf("%s Resolve(%v): %v", method, tt.q, err)
				continue
			}
			if diff := cmp.Diff(got, tt.want, addrComparer); diff != "" {
				t.Errorf("%s Resolve(%v) (-got +want):\n%s", method, tt.q, diff)
			}
		}
	}
	// The resolver sees each question once, in engine spelling. (The
	// client sends GET; TestHandlerHTTP sends POST.)
	var want []engine.Question
	for _, tt := range tests {
		want = append(want, tt.q)
	}
	if diff := cmp.Diff(zone.asked, want); diff != "" {
		t.Errorf("questions the resolver saw (-got +want):\n%s", diff)
	}
}

// query builds a query message with the given edits applied.
func query(name string, qtype uint16, edit func(m *dns.Msg)) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.Id = 0
	if edit != nil {
		edit(m)
	}
	return m
}

func packed(t *testing.T, m *dns.Msg) []byte {
	t.Helper()
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func withPadding(m *dns.Msg) {
	m.SetEdns0(dohclient.UDPSize, false)
	m.IsEdns0().Option = append(m.IsEdns0().Option, &dns.EDNS0_PADDING{Padding: make([]byte, 10)})
}

// TestHandlerDNS checks the DNS replies of the handler, sent as GET.
func TestHandlerDNS(t *testing.T) {
	tests := []struct {
		name         string
		query        *dns.Msg
		wantRCode    int
		wantAnswers  int // -1: some, but fewer than the resolver gave (truncated)
		wantTC       bool
		wantCache    string
		wantOPT      bool
		wantDO       bool
		wantPadBlock int // 0: no padding expected
		// wantPadOption: a Padding option, but no room to pad the
		// reply to a block.
		wantPadOption bool
		wantAsked     bool
	}{
		{
			name:  "SRV",
			query: query("_sipinternaltls._tcp.contoso.example.", dns.TypeSRV, nil),
			// min TTL of 3600 and 600
			wantAnswers: 2, wantCache: "max-age=600", wantAsked: true,
		},
		{
			name:        "A with ID and mixed case kept",
			query:       query("SIP.Contoso.Example.", dns.TypeA, func(m *dns.Msg) { m.Id = 0xbeef }),
			wantAnswers: 1, wantCache: "max-age=300", wantAsked: true,
		},
		{
			name:        "CNAME chain min TTL",
			query:       query("alias.contoso.example.", dns.TypeA, nil),
			wantAnswers: 2, wantCache: "max-age=120", wantAsked: true,
		},
		{
			name:      "NXDOMAIN not cached",
			query:     query("nx.contoso.example.", dns.TypeA, nil),
			wantRCode: dns.RcodeNameError, wantCache: "max-age=0", wantAsked: true,
		},
		{
			name:      "NODATA not cached",
			query:     query("sip.contoso.example.", dns.TypeTXT, nil),
			wantCache: "max-age=0", wantAsked: true,
		},
		{
			name:      "resolver error is SERVFAIL",
			query:     query("error.example.", dns.TypeSRV, nil),
			wantRCode: dns.RcodeServerFailure, wantCache: "max-age=0", wantAsked: true,
		},
		{
			name:      "resolver timeout is SERVFAIL",
			query:     query("slow.example.", dns.TypeSRV, nil),
			wantRCode: dns.RcodeServerFailure, wantCache: "max-age=0", wantAsked: true,
		},
		{
			name:      "answer too big for a message is truncated",
			query:     query("huge.example.", dns.TypeTXT, nil),
			wantRCode: dns.RcodeSuccess, wantAnswers: -1, wantTC: true, wantCache: "max-age=0", wantAsked: true,
		},
		{
			name:      "padded answer too big for a message is truncated",
			query:     query("huge.example.", dns.TypeTXT, withPadding),
			wantRCode: dns.RcodeSuccess, wantAnswers: -1, wantTC: true, wantCache: "max-age=0", wantOPT: true, wantPadOption: true, wantAsked: true,
		},
		{
			name: "two OPT records are FORMERR",
			query: query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) {
				m.SetEdns0(dohclient.UDPSize, false)
				m.Extra = append(m.Extra, m.Extra[0])
			}),
			wantRCode: dns.RcodeFormatError, wantCache: "max-age=0",
		},
		{
			name: "OPT in the answer section is FORMERR",
			query: query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) {
				m.SetEdns0(dohclient.UDPSize, false)
				m.Answer, m.Extra = m.Extra, nil
			}),
			wantRCode: dns.RcodeFormatError, wantCache: "max-age=0",
		},
		{
			name:      "RCode that cannot be encoded is SERVFAIL",
			query:     query("badrcode.example.", dns.TypeA, nil),
			wantRCode: dns.RcodeServerFailure, wantCache: "max-age=0", wantAsked: true,
		},
		{
			name:      "MX is NOTIMP",
			query:     query("contoso.example.", dns.TypeMX, nil),
			wantRCode: dns.RcodeNotImplemented, wantCache: "max-age=0",
		},
		{
			name:      "ANY is NOTIMP",
			query:     query("contoso.example.", dns.TypeANY, nil),
			wantRCode: dns.RcodeNotImplemented, wantCache: "max-age=0",
		},
		{
			name:      "class CH is NOTIMP",
			query:     query("version.bind.", dns.TypeTXT, func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS }),
			wantRCode: dns.RcodeNotImplemented, wantCache: "max-age=0",
		},
		{
			name:      "opcode NOTIFY is NOTIMP",
			query:     query("contoso.example.", dns.TypeSOA, func(m *dns.Msg) { m.Opcode = dns.OpcodeNotify }),
			wantRCode: dns.RcodeNotImplemented, wantCache: "max-age=0",
		},
		{
			name:      "EDNS version 1 is BADVERS",
			query:     query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(dohclient.UDPSize, false); m.IsEdns0().SetVersion(1) }),
			wantRCode: dns.RcodeBadVers, wantCache: "max-age=0", wantOPT: true,
		},
		{
			name:        "EDNS copied with DO",
			query:       query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(4096, true) }),
			wantAnswers: 1, wantCache: "max-age=300", wantOPT: true, wantDO: true, wantAsked: true,
		},
		{
			name:        "padded query gets a padded reply",
			query:       query("_sipinternaltls._tcp.contoso.example.", dns.TypeSRV, withPadding),
			wantAnswers: 2, wantCache: "max-age=600", wantOPT: true, wantPadBlock: wire.ResponsePadBlock, wantAsked: true,
		},
		{
			name:      "padded NXDOMAIN",
			query:     query("nx.contoso.example.", dns.TypeA, withPadding),
			wantRCode: dns.RcodeNameError, wantCache: "max-age=0", wantOPT: true, wantPadBlock: wire.ResponsePadBlock, wantAsked: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zone := new(fakeZone)
			h := NewHandler(zone, HandlerOptions{Timeout: 20 * time.Millisecond})
			msg := packed(t, tt.query)
			req := httptest.NewRequest("GET", "/dns-query?dns="+base64.RawURLEncoding.EncodeToString(msg), nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			body, _ := io.ReadAll(res.Body)
			gotHdr := map[string]string{
				"Status":                 res.Status,
				"Content-Type":           res.Header.Get("Content-Type"),
				"Cache-Control":          res.Header.Get("Cache-Control"),
				"X-Content-Type-Options": res.Header.Get("X-Content-Type-Options"),
			}
			wantHdr := map[string]string{
				"Status":                 "200 OK",
				"Content-Type":           dohclient.MediaType,
				"Cache-Control":          tt.wantCache,
				"X-Content-Type-Options": "nosniff",
			}
			if diff := cmp.Diff(gotHdr, wantHdr); diff != "" {
				t.Fatalf("headers (-got +want):\n%s\nbody: %q", diff, body)
			}
			m := new(dns.Msg)
			if err := m.Unpack(body); err != nil {
				t.Fatalf("reply does not unpack: %v", err)
			}
			if !m.Response || m.Id != tt.query.Id || m.Opcode != tt.query.Opcode {
				t.Errorf("reply QR=%v ID=%d opcode=%d; want QR, ID %d, opcode %d", m.Response, m.Id, m.Opcode, tt.query.Id, tt.query.Opcode)
			}
			if diff := cmp.Diff(m.Question, tt.query.Question); diff != "" {
				t.Errorf("reply question (-got +want):\n%s", diff)
			}
			switch {
			case m.Rcode != tt.wantRCode:
				t.Errorf("reply RCODE %s; want %s", dns.RcodeToString[m.Rcode], dns.RcodeToString[tt.wantRCode])
			case tt.wantAnswers >= 0 && len(m.Answer) != tt.wantAnswers:
				t.Errorf("reply has %d answers; want %d", len(m.Answer), tt.wantAnswers)
			case tt.wantAnswers < 0 && (len(m.Answer) == 0 || len(m.Answer) >= 300):
				t.Errorf("reply has %d answers; want some of the 300, not all", len(m.Answer))
			}
			if m.Truncated != tt.wantTC || m.Authoritative {
				t.Errorf("reply TC=%v AA=%v; want TC=%v and no AA (not set in HandlerOptions)", m.Truncated, m.Authoritative, tt.wantTC)
			}
			if len(body) > dns.MaxMsgSize {
				t.Errorf("reply is %d octets; the most a DNS message can have is %d", len(body), dns.MaxMsgSize)
			}
			opt := m.IsEdns0()
			if (opt != nil) != tt.wantOPT {
				t.Errorf("reply has OPT = %v; want %v", opt != nil, tt.wantOPT)
			}
			if opt != nil && (opt.Do() != tt.wantDO || opt.Version() != 0) {
				t.Errorf("reply OPT DO=%v version=%d; want DO=%v version 0", opt.Do(), opt.Version(), tt.wantDO)
			}
			if tt.wantPadBlock != 0 && len(body)%tt.wantPadBlock != 0 {
				t.Errorf("reply length %d is not a multiple of %d (RFC 8467 §4.1)", len(body), tt.wantPadBlock)
			}
			if tt.wantPadBlock == 0 && wire.HasPadding(m) != tt.wantPadOption {
				t.Error("reply padded though the query was not")
			}
			if asked := len(zone.asked) > 0; asked != tt.wantAsked {
				t.Errorf("resolver asked = %v; want %v", asked, tt.wantAsked)
			}
		})
	}
}

// TestHandlerHTTP checks how the handler treats requests that are not
// good DoH requests, and the forms of good ones.
func TestHandlerHTTP(t *testing.T) {
	good := packed(t, query("sip.contoso.example.", dns.TypeA, nil))
	b64 := base64.RawURLEncoding.EncodeToString(good)
	twoQ := packed(t, query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.Question = append(m.Question, m.Question[0]) }))
	noQ := packed(t, query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.Question = nil }))
	resp := packed(t, query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.Response = true }))
	tests := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        []byte
		wantStatus  int
		wantBody    string // substring of a plain-text error; "" for success
		wantAllow   string
	}{
		{name: "GET", method: "GET", target: "/dns-query?dns=" + b64, wantStatus: 200},
		{name: "GET padded base64url", method: "GET", target: "/dns-query?dns=" + base64.URLEncoding.EncodeToString(good), wantStatus: 200},
		{name: "GET other parameters", method: "GET", target: "/dns-query?ct=1&dns=" + b64, wantStatus: 200},
		{name: "POST", method: "POST", target: "/dns-query", contentType: dohclient.MediaType, body: good, wantStatus: 200},
		{name: "POST content type with parameter", method: "POST", target: "/dns-query", contentType: "application/dns-message; x=y", body: good, wantStatus: 200},
		{name: "GET without dns", method: "GET", target: "/dns-query", wantStatus: 400, wantBody: `missing "dns" query parameter`},
		{name: "GET empty dns", method: "GET", target: "/dns-query?dns=", wantStatus: 400, wantBody: `missing "dns" query parameter`},
		{name: "GET bad escape", method: "GET", target: "/dns-query?dns=%zz", wantStatus: 400, wantBody: `query string is not valid URL encoding (RFC 3986 §2.1): invalid URL escape "%zz"`},
		{name: "GET bad escape in dns value", method: "GET", target: "/dns-query?dns=" + b64 + "%2", wantStatus: 400, wantBody: `invalid URL escape "%2"`},
		{name: "GET bad escape in another parameter", method: "GET", target: "/dns-query?x=%G1&dns=" + b64, wantStatus: 400, wantBody: `invalid URL escape "%G1"`},
		{name: "GET two dns", method: "GET", target: "/dns-query?dns=" + b64 + "&dns=" + b64, wantStatus: 400, wantBody: `more than one "dns"`},
		{name: "GET standard base64", method: "GET", target: "/dns-query?dns=" + "AA%2BB", wantStatus: 400, wantBody: "not base64url"},
		{name: "GET not DNS", method: "GET", target: "/dns-query?dns=aGVsbG8", wantStatus: 400, wantBody: "malformed DNS message"},
		{name: "GET too long", method: "GET", target: "/dns-query?dns=" + strings.Repeat("A", 90000), wantStatus: 414, wantBody: "larger than 64 KiB"},
		{name: "two questions", method: "GET", target: "/dns-query?dns=" + base64.RawURLEncoding.EncodeToString(twoQ), wantStatus: 400, wantBody: "has 2 questions, want exactly 1"},
		{name: "no question", method: "GET", target: "/dns-query?dns=" + base64.RawURLEncoding.EncodeToString(noQ), wantStatus: 400, wantBody: "has 0 questions"},
		{name: "a response", method: "GET", target: "/dns-query?dns=" + base64.RawURLEncoding.EncodeToString(resp), wantStatus: 400, wantBody: "is a response, not a query"},
		{name: "POST wrong content type", method: "POST", target: "/dns-query", contentType: "application/x-www-form-urlencoded", body: good, wantStatus: 415, wantBody: `content type "application/x-www-form-urlencoded"`},
		{name: "POST no content type", method: "POST", target: "/dns-query", body: good, wantStatus: 415, wantBody: "want application/dns-message"},
		{name: "POST empty", method: "POST", target: "/dns-query", contentType: dohclient.MediaType, wantStatus: 400, wantBody: "empty body"},
		{name: "POST too big", method: "POST", target: "/dns-query", contentType: dohclient.MediaType, body: make([]byte, maxQuery+1), wantStatus: 413, wantBody: "larger than 64 KiB"},
		{name: "POST garbage", method: "POST", target: "/dns-query", contentType: dohclient.MediaType, body: []byte{1, 2, 3}, wantStatus: 400, wantBody: "malformed DNS message"},
		{name: "PUT", method: "PUT", target: "/dns-query", contentType: dohclient.MediaType, body: good, wantStatus: 405, wantBody: "method PUT not allowed", wantAllow: "GET, POST"},
		{name: "HEAD", method: "HEAD", target: "/dns-query?dns=" + b64, wantStatus: 405, wantAllow: "GET, POST"},
	}
	h := NewHandler(new(fakeZone), HandlerOptions{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, bytes.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, body %q; want %d", res.StatusCode, body, tt.wantStatus)
			}
			if got := res.Header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q; want %q", got, tt.wantAllow)
			}
			if tt.wantStatus == 200 {
				m := new(dns.Msg)
				if err := m.Unpack(body); err != nil || len(m.Answer) != 1 {
					t.Errorf("reply %v (error %v); want one A record", m, err)
				}
				return
			}
			got := map[string]string{
				"Content-Type":           res.Header.Get("Content-Type"),
				"Cache-Control":          res.Header.Get("Cache-Control"),
				"X-Content-Type-Options": res.Header.Get("X-Content-Type-Options"),
			}
			want := map[string]string{
				"Content-Type":           "text/plain; charset=utf-8",
				"Cache-Control":          "max-age=0",
				"X-Content-Type-Options": "nosniff",
			}
			if diff := cmp.Diff(got, want); diff != "" {
				t.Errorf("error headers (-got +want):\n%s", diff)
			}
			if tt.method != "HEAD" && !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("body %q; want it to contain %q", body, tt.wantBody)
			}
		})
	}
}

func TestNewHandlerNilResolver(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewHandler(nil, ...) did not panic")
		}
	}()
	NewHandler(nil, HandlerOptions{})
}

// TestHandlerRequestContext checks that the resolver gets the request's
// context, so a client that goes away cancels the lookup.
func TestHandlerRequestContext(t *testing.T) {
	type key struct{}
	var got any
	h := NewHandler(engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		got = ctx.Value(key{})
		return engine.Answer{}, nil
	}), HandlerOptions{Timeout: time.Second})
	msg := packed(t, query("a.example.", dns.TypeA, nil))
	req := httptest.NewRequest("GET", "/dns-query?dns="+base64.RawURLEncoding.EncodeToString(msg), nil)
	req = req.WithContext(context.WithValue(req.Context(), key{}, "request"))
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got != "request" {
		t.Errorf("resolver saw context value %v; want the request's context", got)
	}
}

// addrComparer compares netip.Addr values, which cmp cannot look into.
var addrComparer = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

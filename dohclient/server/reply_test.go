//go:build !js

package server

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// serve sends query to h as a GET and returns the HTTP response and the
// unpacked reply.
func serve(t *testing.T, h *handler, query *dns.Msg) (*httptestResult, *dns.Msg) {
	t.Helper()
	msg := packed(t, query)
	req := httptest.NewRequest("GET", "/dns-query?dns="+base64.RawURLEncoding.EncodeToString(msg), nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("status %d, body %q; want 200", res.StatusCode, body)
	}
	m := new(dns.Msg)
	if err := m.Unpack(body); err != nil {
		t.Fatalf("reply does not unpack: %v", err)
	}
	return &httptestResult{cache: res.Header.Get("Cache-Control"), body: body}, m
}

type httptestResult struct {
	cache string
	body  []byte
}

// srvAnswer returns n SRV records at name, with targets of about
// targetLen octets, all distinct.
func srvAnswer(name string, n, targetLen int) engine.Answer {
	var a engine.Answer
	// Labels of at most 60 octets make up the padding.
	pad := ""
	for rest := max(targetLen-len(".contoso.example")-6, 1); rest > 0; rest -= 61 {
		pad += strings.Repeat("t", min(rest, 60)) + "."
	}
	pad = strings.TrimSuffix(pad, ".")
	for i := range n {
		a.Records = append(a.Records, engine.Record{
			Name: name, Type: engine.TypeSRV, TTL: 300, Priority: uint16(i % 3), Weight: 1, Port: 5061,
			Target: fmt.Sprintf("%s%05d.contoso.example", pad, i),
		})
	}
	return a
}

// TestHandlerSizes checks the class of large answers: for answers of many
// sizes, with and without EDNS and padding, the reply is at most 65,535
// octets, compressed, and either complete without TC or cut to the
// longest prefix of the answer that fits, with TC. It is never SERVFAIL.
// The 1,002 SRV records of the issue that found this must come back whole.
func TestHandlerSizes(t *testing.T) {
	const name = "_sipinternaltls._tcp.contoso.example"
	type size struct{ n, targetLen int }
	sizes := []size{{1, 20}, {20, 20}, {1002, 20}, {1002, 30}, {1500, 40}, {2000, 20}, {2000, 60}, {1200, 120}, {4000, 20}}
	edits := map[string]func(*dns.Msg){
		"no EDNS": nil,
		"EDNS":    func(m *dns.Msg) { m.SetEdns0(dohclient.UDPSize, true) },
		"padded":  withPadding,
	}
	for _, sz := range sizes {
		a := srvAnswer(name, sz.n, sz.targetLen)
		h := &handler{r: engine.ResolverFunc(func(context.Context, engine.Question) (engine.Answer, error) { return a, nil })}
		for ename, edit := range edits {
			t.Run(fmt.Sprintf("%d SRV of %d octets, %s", sz.n, sz.targetLen, ename), func(t *testing.T) {
				q := query(name+".", dns.TypeSRV, edit)
				res, m := serve(t, h, q)
				if m.Rcode != dns.RcodeSuccess {
					t.Fatalf("RCODE %s; want NOERROR", dns.RcodeToString[m.Rcode])
				}
				if len(res.body) > dns.MaxMsgSize {
					t.Fatalf("reply is %d octets; want at most %d", len(res.body), dns.MaxMsgSize)
				}
				full := wire.ReplyMsg(q, a)
				uncompressed, _ := full.Pack()
				if !m.Truncated {
					if len(m.Answer) != sz.n {
						t.Fatalf("reply without TC has %d of %d records", len(m.Answer), sz.n)
					}
					if sz.n > 1 && len(res.body) >= len(uncompressed) {
						t.Errorf("reply is %d octets, uncompressed %d; want it compressed (RFC 1035 §4.1.4)", len(res.body), len(uncompressed))
					}
				} else {
					if len(m.Answer) == 0 || len(m.Answer) >= sz.n {
						t.Fatalf("reply with TC has %d of %d records; want a part", len(m.Answer), sz.n)
					}
					// Maximal: one more record would not fit.
					more := wire.ReplyMsg(q, engine.Answer{Records: a.Records[:len(m.Answer)+1]})
					if opt := q.IsEdns0(); opt != nil {
						more.SetEdns0(dohclient.UDPSize, opt.Do())
						if wire.HasPadding(q) { // an empty option at least
							more.IsEdns0().Option = append(more.IsEdns0().Option, new(dns.EDNS0_PADDING))
						}
					}
					more.Compress = true
					if l := more.Len(); l <= dns.MaxMsgSize {
						t.Errorf("reply with TC holds %d records, but %d fit in %d octets", len(m.Answer), len(m.Answer)+1, l)
					}
					if res.cache != "max-age=0" {
						t.Errorf("truncated reply Cache-Control %q; want max-age=0", res.cache)
					}
				}
				got := wire.ToAnswer(m).Records
				if diff := cmp.Diff(got, a.Records[:len(got)], addrComparer); diff != "" {
					t.Errorf("reply records are not the answer's, in order (-got +want):\n%s", diff)
				}
				if (q.IsEdns0() != nil) != (m.IsEdns0() != nil) {
					t.Errorf("reply OPT present = %v; want as in the query", m.IsEdns0() != nil)
				}
				// CheckMessageSize says what the handler does to the
				// Client's own query.
				err := wire.CheckMessageSize(engine.Question{Name: name, Type: engine.TypeSRV}, a)
				if ename == "padded" && m.Truncated != errors.Is(err, dohclient.ErrTruncated) {
					t.Errorf("CheckMessageSize = %v; the handler set TC=%v for the same query", err, m.Truncated)
				}
			})
		}
	}
}

// TestClientTruncated runs the Client against the handler for an answer
// too large for any DNS message: the lookup fails with dohclient.ErrTruncated, and
// the error says so in words, naming the endpoint.
func TestClientTruncated(t *testing.T) {
	const name = "_sip._tls.contoso.example"
	big := srvAnswer(name, 3000, 40)
	small := srvAnswer(name, 1002, 20)
	var answer engine.Answer
	srv := httptest.NewServer(NewHandler(engine.ResolverFunc(func(context.Context, engine.Question) (engine.Answer, error) {
		return answer, nil
	}), HandlerOptions{}))
	defer srv.Close()
	c, err := dohclient.New(srv.URL+"/dns-query", dohclient.HTTPRoundTrip(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"GET"} {
		answer = big
		_, err := c.Resolve(context.Background(), engine.Question{Name: name, Type: engine.TypeSRV})
		var re *dohclient.ResponseError
		if !errors.Is(err, dohclient.ErrTruncated) || !errors.As(err, &re) || !strings.Contains(err.Error(), srv.URL) ||
			!strings.Contains(err.Error(), "truncated DNS response (TC bit set)") {
			t.Errorf("%s: Resolve(3000 SRV) error = %v; want a *dohclient.ResponseError naming the endpoint, wrapping dohclient.ErrTruncated", method, err)
		}
		if cerr := wire.CheckMessageSize(engine.Question{Name: name, Type: engine.TypeSRV}, big); cerr == nil || re == nil || cerr.Error() != re.Reason {
			t.Errorf("%s: CheckMessageSize = %v; want the client's reason %q", method, cerr, re.Reason)
		}
		answer = small
		a, err := c.Resolve(context.Background(), engine.Question{Name: name, Type: engine.TypeSRV})
		if err != nil || len(a.Records) != 1002 {
			t.Errorf("%s: Resolve(1002 SRV) = %d records, %v; want all 1002", method, len(a.Records), err)
		}
		if err := wire.CheckMessageSize(engine.Question{Name: name, Type: engine.TypeSRV}, small); err != nil {
			t.Errorf("%s: wire.CheckMessageSize(1002 SRV) = %v; want nil", method, err)
		}
	}
}

// TestHandlerMaxAge checks Cache-Control max-age: the smallest answer TTL,
// TTLs above 2^31-1 counting as 0 (RFC 2181 §8), capped at MaxCacheAge.
func TestHandlerMaxAge(t *testing.T) {
	tests := []struct {
		ttls []uint32
		want string
	}{
		{[]uint32{300}, "max-age=300"},
		{[]uint32{3600, 60, 600}, "max-age=60"},
		{[]uint32{0}, "max-age=0"},
		{[]uint32{MaxCacheAge}, fmt.Sprintf("max-age=%d", MaxCacheAge)},
		{[]uint32{MaxCacheAge + 1}, fmt.Sprintf("max-age=%d", MaxCacheAge)},
		{[]uint32{math.MaxInt32}, fmt.Sprintf("max-age=%d", MaxCacheAge)},
		{[]uint32{math.MaxInt32 + 1}, "max-age=0"},
		{[]uint32{math.MaxUint32}, "max-age=0"},
		{[]uint32{math.MaxUint32, 300}, "max-age=0"},
		{[]uint32{1 << 31, 1 << 30}, "max-age=0"},
	}
	for _, tt := range tests {
		var a engine.Answer
		for i, ttl := range tt.ttls {
			a.Records = append(a.Records, engine.Record{Name: "sip.contoso.example", Type: engine.TypeA, TTL: ttl, Addr: netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)})})
		}
		h := &handler{r: engine.ResolverFunc(func(context.Context, engine.Question) (engine.Answer, error) { return a, nil })}
		res, _ := serve(t, h, query("sip.contoso.example.", dns.TypeA, nil))
		if res.cache != tt.want {
			t.Errorf("TTLs %v: Cache-Control %q; want %q", tt.ttls, res.cache, tt.want)
		}
	}
}

// TestHandlerAuthoritative checks the AA bit: set with
// HandlerOptions.Authoritative on the Resolver's NOERROR and NXDOMAIN
// answers, never on failures, refusals or what the handler answers itself.
func TestHandlerAuthoritative(t *testing.T) {
	tests := []struct {
		name  string
		query *dns.Msg
		want  bool // with Authoritative set
	}{
		{"data", query("sip.contoso.example.", dns.TypeA, nil), true},
		{"CNAME and data", query("alias.contoso.example.", dns.TypeA, nil), true},
		{"NODATA", query("sip.contoso.example.", dns.TypeTXT, nil), true},
		{"NXDOMAIN", query("nx.contoso.example.", dns.TypeA, nil), true},
		{"SERVFAIL answer", query("servfail.example.", dns.TypeA, nil), false},
		{"resolver error", query("error.example.", dns.TypeA, nil), false},
		{"NOTIMP", query("contoso.example.", dns.TypeMX, nil), false},
		{"BADVERS", query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(dohclient.UDPSize, false); m.IsEdns0().SetVersion(1) }), false},
	}
	for _, auth := range []bool{false, true} {
		h := &handler{r: new(fakeZone), opts: HandlerOptions{Authoritative: auth}}
		for _, tt := range tests {
			_, m := serve(t, h, tt.query.Copy())
			if want := auth && tt.want; m.Authoritative != want {
				t.Errorf("Authoritative %v, %s: AA = %v; want %v", auth, tt.name, m.Authoritative, want)
			}
		}
	}
	// A zone's REFUSED (outside every zone) is not authoritative either.
	h := &handler{r: engine.ResolverFunc(func(context.Context, engine.Question) (engine.Answer, error) {
		return engine.Answer{RCode: engine.RCodeRefused}, nil
	}), opts: HandlerOptions{Authoritative: true}}
	if _, m := serve(t, h, query("fabrikam.example.", dns.TypeA, nil)); m.Authoritative || m.Rcode != dns.RcodeRefused {
		t.Errorf("REFUSED reply AA=%v RCODE %s; want REFUSED without AA", m.Authoritative, dns.RcodeToString[m.Rcode])
	}
}

// edeError is a Resolver error that carries an Extended DNS Error.
type edeError struct {
	code uint16
	text string
}

func (e edeError) Error() string                { return "upstream: " + e.text }
func (e edeError) EDE() (code uint16, t string) { return e.code, e.text }

// TestHandlerExtendedError checks the ExtendedError hook: SERVFAIL with the
// error's INFO-CODE and EXTRA-TEXT (valid UTF-8, bounded), only when the
// query has an OPT record; also through wrapping.
func TestHandlerExtendedError(t *testing.T) {
	long := strings.Repeat("é", 400) // 800 bytes
	tests := []struct {
		name     string
		err      error
		edns     bool
		wantEDE  *dns.EDNS0_EDE // nil: no EDE option
		wantText func(string) bool
	}{
		{"network error", edeError{23, "network error: 192.0.2.53:53 connection refused"}, true, &dns.EDNS0_EDE{InfoCode: 23, ExtraText: "network error: 192.0.2.53:53 connection refused"}, nil},
		{"wrapped", fmt.Errorf("asking: %w", edeError{22, "no reachable authority"}), true, &dns.EDNS0_EDE{InfoCode: 22, ExtraText: "no reachable authority"}, nil},
		{"no EDNS in the query", edeError{23, "refused"}, false, nil, nil},
		{"plain error", errors.New("boom"), true, nil, nil},
		{"long text", edeError{0, long}, true, &dns.EDNS0_EDE{InfoCode: 0}, func(s string) bool {
			return len(s) <= maxEDEText && strings.HasSuffix(s, "...") && utf8.ValidString(s) && strings.HasPrefix(long, strings.TrimSuffix(s, "..."))
		}},
		{"invalid UTF-8", edeError{0, "bad \xff byte"}, true, &dns.EDNS0_EDE{InfoCode: 0, ExtraText: "bad \ufffd byte"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &handler{r: engine.ResolverFunc(func(context.Context, engine.Question) (engine.Answer, error) {
				return engine.Answer{}, tt.err
			}), opts: HandlerOptions{Authoritative: true}}
			q := query("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) {
				if tt.edns {
					m.SetEdns0(dohclient.UDPSize, false)
				}
			})
			_, m := serve(t, h, q)
			if m.Rcode != dns.RcodeServerFailure || m.Authoritative {
				t.Errorf("RCODE %s AA=%v; want SERVFAIL without AA", dns.RcodeToString[m.Rcode], m.Authoritative)
			}
			var got *dns.EDNS0_EDE
			if opt := m.IsEdns0(); opt != nil {
				for _, o := range opt.Option {
					if e, ok := o.(*dns.EDNS0_EDE); ok {
						got = e
					}
				}
			}
			switch {
			case tt.wantEDE == nil && got != nil:
				t.Errorf("EDE %+v; want none", got)
			case tt.wantEDE == nil:
			case got == nil:
				t.Errorf("no EDE option; want %+v", tt.wantEDE)
			case tt.wantText != nil:
				if got.InfoCode != tt.wantEDE.InfoCode || !tt.wantText(got.ExtraText) {
					t.Errorf("EDE code %d text %q (%d bytes); want code %d, text bounded to %d bytes of valid UTF-8", got.InfoCode, got.ExtraText, len(got.ExtraText), tt.wantEDE.InfoCode, maxEDEText)
				}
			default:
				if diff := cmp.Diff(got, tt.wantEDE); diff != "" {
					t.Errorf("EDE (-got +want):\n%s", diff)
				}
			}
		})
	}
}

//go:build !js

package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// fuzzResolver answers like fakeZone and, for names whose first label is
// "nNNN", with NNN SRV records (at most 2,000, a zone's limit), so that
// the fuzzer reaches answers of every size up to ones that cannot fit; "ede.example" fails with an
// Extended DNS Error.
func fuzzResolver() engine.Resolver {
	z := new(fakeZone)
	return engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		z.mu.Lock()
		z.asked = nil // unbounded otherwise
		z.mu.Unlock()
		if q.Name == "ede.example" {
			return engine.Answer{}, edeError{23, "upstream \x1b[2J unreachable \xff"}
		}
		if label, _, _ := strings.Cut(q.Name, "."); len(label) > 1 && label[0] == 'n' {
			if n, err := strconv.Atoi(label[1:]); err == nil && n >= 0 && n <= 2000 {
				return srvAnswer(q.Name, n, 40), nil
			}
		}
		return z.Resolve(ctx, q)
	})
}

// FuzzHandler sends arbitrary requests to NewHandler: GET with any query
// string, POST with any content type and body, other methods. It must
// never panic, and must answer either a well-formed DNS reply (HTTP 200,
// application/dns-message, at most 65,535 octets, the query's ID and
// question, at most one OPT and only if the query had one, AA only on
// NOERROR or NXDOMAIN, a bounded max-age that is 0 when truncated) or a
// plain-text HTTP error that is not cached.
func FuzzHandler(f *testing.F) {
	seed := func(name string, qtype uint16, edit func(*dns.Msg)) []byte {
		b, err := query(name, qtype, edit).Pack()
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	seeds := [][]byte{
		seed("_sipinternaltls._tcp.contoso.example.", dns.TypeSRV, nil),
		seed("sip.contoso.example.", dns.TypeA, withPadding),
		seed("alias.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(4096, true) }),
		seed("n1002.contoso.example.", dns.TypeSRV, withPadding),
		seed("n2000.contoso.example.", dns.TypeSRV, nil),
		seed("huge.example.", dns.TypeTXT, nil),
		seed("ede.example.", dns.TypeA, withPadding),
		seed("error.example.", dns.TypeA, nil),
		seed("contoso.example.", dns.TypeMX, nil),
		seed("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(dohclient.UDPSize, false); m.Extra = append(m.Extra, m.Extra[0]) }),
		seed("sip.contoso.example.", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(dohclient.UDPSize, false); m.IsEdns0().SetVersion(1) }),
		{1, 2, 3},
	}
	for _, s := range seeds {
		f.Add(uint8(0), "", s)
		f.Add(uint8(1), dohclient.MediaType, s)
	}
	f.Add(uint8(0), "ct=1&", seeds[0])
	f.Add(uint8(2), "dns=%zz", []byte(nil))
	f.Add(uint8(2), "dns=AAAA;x=1", []byte(nil))
	f.Add(uint8(3), "PUT", seeds[0])
	h := NewHandler(fuzzResolver(), HandlerOptions{Authoritative: true})
	f.Fuzz(func(t *testing.T, mode uint8, raw string, query []byte) {
		req := &http.Request{Method: "GET", URL: &url.URL{Path: "/dns-query"}, Header: http.Header{}, Body: http.NoBody}
		switch mode % 4 {
		case 0: // GET: raw is more of the query string
			req.URL.RawQuery = raw + "dns=" + base64.RawURLEncoding.EncodeToString(query)
		case 1: // POST: raw is the content type
			req.Method = "POST"
			req.Header.Set("Content-Type", raw)
			req.Body = io.NopCloser(bytes.NewReader(query))
		case 2: // GET: raw is the whole query string
			req.URL.RawQuery = raw
		case 3: // another method
			req.Method = raw
			req.Body = io.NopCloser(bytes.NewReader(query))
		}
		req = req.WithContext(context.Background())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		body, _ := io.ReadAll(res.Body)
		cache := res.Header.Get("Cache-Control")
		if res.StatusCode != http.StatusOK {
			switch res.StatusCode {
			case 400, 405, 413, 414, 415:
			default:
				t.Fatalf("status %d (%q)", res.StatusCode, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || cache != "max-age=0" {
				t.Fatalf("error with Content-Type %q, Cache-Control %q", ct, cache)
			}
			return
		}
		if ct := res.Header.Get("Content-Type"); ct != dohclient.MediaType {
			t.Fatalf("200 with Content-Type %q", ct)
		}
		if len(body) > dns.MaxMsgSize {
			t.Fatalf("reply of %d octets", len(body))
		}
		q, m := new(dns.Msg), new(dns.Msg)
		if err := m.Unpack(body); err != nil {
			t.Fatalf("reply does not unpack: %v", err)
		}
		// The handler answered, so the request held a query.
		qwire := query
		if mode%4 == 2 {
			v, _ := url.ParseQuery(raw)
			qwire, _ = base64.RawURLEncoding.DecodeString(strings.TrimRight(v.Get("dns"), "="))
		}
		if err := q.Unpack(qwire); err != nil {
			t.Fatalf("a reply to a request that does not unpack: %v", err)
		}
		if !m.Response || m.Id != q.Id || len(m.Question) != 1 || m.Question[0] != q.Question[0] {
			t.Fatalf("reply QR=%v ID=%d question %v to query ID %d question %v", m.Response, m.Id, m.Question, q.Id, q.Question)
		}
		if wire.CountOPT(m) > 1 || (m.IsEdns0() != nil && (wire.CountOPT(q) != 1 || wire.MisplacedOPT(q))) {
			t.Fatalf("reply has %d OPT records; the query had %d", wire.CountOPT(m), wire.CountOPT(q))
		}
		if m.Authoritative && m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError {
			t.Fatalf("AA on %s", dns.RcodeToString[m.Rcode])
		}
		age, err := strconv.Atoi(strings.TrimPrefix(cache, "max-age="))
		if err != nil || age < 0 || age > MaxCacheAge || (m.Truncated && age != 0) {
			t.Fatalf("Cache-Control %q on a reply with TC=%v", cache, m.Truncated)
		}
	})
}

//go:build !js

package dohclient

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
)

// maxQuery is the largest query the handler accepts, the 64 KiB cap also
// applied to POST bodies.
const maxQuery = 64 << 10

// HandlerOptions configures NewHandler.
type HandlerOptions struct {
	// Timeout bounds each call of the Resolver; 0 means only the request's
	// own context bounds it. A Resolver that runs out of time yields
	// SERVFAIL.
	Timeout time.Duration
}

// NewHandler returns an RFC 8484 DNS-over-HTTPS server that answers from r.
// It accepts GET with the base64url "dns" parameter (unpadded as RFC 8484
// §6 requires; padded is tolerated) and POST with an
// application/dns-message body of at most 64 KiB.
//
// A query must hold exactly one question. Class IN questions of type A,
// AAAA, CNAME, SRV and TXT are passed to r; other types and classes, and
// opcodes other than QUERY, get NOTIMP; an EDNS version other than 0 gets
// BADVERS (RFC 6891 §6.1.3); a Resolver error gets SERVFAIL. Every DNS
// reply is an HTTP 200 (RFC 8484 §4.2.1) with Content-Type
// application/dns-message, the query's ID, an OPT record when the query
// had one (padded to a multiple of 468 octets if the query was padded,
// RFC 8467 §4.1), and Cache-Control max-age set to the smallest answer TTL,
// or 0 when there are no answer records (RFC 8484 §5.1).
//
// Requests that are not DNS queries get a plain-text HTTP error: 400 for a
// missing or malformed message, 405 for other methods, 413 and 414 for a
// query over 64 KiB, 415 for a POST of another content type.
//
// The handler is not a recursive resolver: it answers only from r.
// NewHandler panics if r is nil.
func NewHandler(r engine.Resolver, opts HandlerOptions) http.Handler {
	if r == nil {
		panic("dohclient: NewHandler with nil Resolver")
	}
	return &handler{r: r, opts: opts}
}

type handler struct {
	r    engine.Resolver
	opts HandlerOptions
}

func (h *handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	wire, code, reason := readQuery(w, req)
	if code != 0 {
		httpError(w, code, reason)
		return
	}
	q := new(dns.Msg)
	if err := q.Unpack(wire); err != nil {
		httpError(w, http.StatusBadRequest, "malformed DNS message: "+err.Error())
		return
	}
	if q.Response {
		httpError(w, http.StatusBadRequest, "DNS message is a response, not a query")
		return
	}
	if len(q.Question) != 1 {
		httpError(w, http.StatusBadRequest, fmt.Sprintf("DNS query has %d questions, want exactly 1", len(q.Question)))
		return
	}
	a := h.answer(req.Context(), q)
	resp := ReplyMsg(q, a)
	b, err := pack(q, resp)
	if err != nil {
		// The Resolver's answer does not fit in a DNS message (or has an
		// RCode that cannot be encoded): that is the server failing.
		a = engine.Answer{RCode: engine.RCodeServerFailure}
		resp = ReplyMsg(q, a)
		if b, err = pack(q, resp); err != nil {
			httpError(w, http.StatusInternalServerError, "cannot encode the DNS reply")
			return
		}
	}
	hd := w.Header()
	hd.Set("Content-Type", MediaType)
	hd.Set("Cache-Control", "max-age="+strconv.FormatUint(uint64(maxAge(resp)), 10))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// readQuery returns the DNS message carried by req (RFC 8484 §4.1), or the
// HTTP status and reason to refuse it with.
func readQuery(w http.ResponseWriter, req *http.Request) (wire []byte, code int, reason string) {
	switch req.Method {
	case http.MethodGet:
		vs := req.URL.Query()["dns"]
		switch {
		case len(vs) == 0 || vs[0] == "":
			return nil, http.StatusBadRequest, `missing "dns" query parameter (RFC 8484 §4.1)`
		case len(vs) > 1:
			return nil, http.StatusBadRequest, `more than one "dns" query parameter`
		}
		s := strings.TrimRight(vs[0], "=")
		if len(s) > base64.RawURLEncoding.EncodedLen(maxQuery) {
			return nil, http.StatusRequestURITooLong, "DNS query larger than 64 KiB"
		}
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			return nil, http.StatusBadRequest, `"dns" parameter is not base64url (RFC 8484 §6): ` + err.Error()
		}
		return b, 0, ""
	case http.MethodPost:
		if ct := req.Header.Get("Content-Type"); !isMediaType(ct) {
			return nil, http.StatusUnsupportedMediaType, fmt.Sprintf("content type %q, want %s", truncate(ct, 64), MediaType)
		}
		b, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxQuery))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, http.StatusRequestEntityTooLarge, "DNS query larger than 64 KiB"
			}
			return nil, http.StatusBadRequest, "reading the body: " + err.Error()
		}
		if len(b) == 0 {
			return nil, http.StatusBadRequest, "empty body, want a DNS message"
		}
		return b, 0, ""
	}
	w.Header().Set("Allow", "GET, POST")
	return nil, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed; use GET or POST (RFC 8484 §4.1)", req.Method)
}

// answer returns the answer to q's one question.
func (h *handler) answer(ctx context.Context, q *dns.Msg) engine.Answer {
	qq := q.Question[0]
	if q.Opcode != dns.OpcodeQuery || qq.Qclass != dns.ClassINET || !served(qq.Qtype) {
		return engine.Answer{RCode: engine.RCodeNotImplemented}
	}
	if opt := q.IsEdns0(); opt != nil && opt.Version() != 0 {
		return engine.Answer{RCode: dns.RcodeBadVers}
	}
	if h.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.opts.Timeout)
		defer cancel()
	}
	a, err := h.r.Resolve(ctx, engine.Question{Name: EngineName(qq.Name), Type: engine.Type(qq.Qtype)})
	if err != nil || a.RCode < 0 || a.RCode > 0xfff { // RFC 6891 §6.1.3: 12 bits
		return engine.Answer{RCode: engine.RCodeServerFailure}
	}
	return a
}

// served reports whether t is one of the types discovery asks about.
func served(t uint16) bool {
	switch t {
	case dns.TypeA, dns.TypeAAAA, dns.TypeCNAME, dns.TypeSRV, dns.TypeTXT:
		return true
	}
	return false
}

// pack encodes resp, the reply to q. When q has an OPT record, resp gets
// one too (RFC 6891 §6.1.1) with the DO bit copied (RFC 3225 §3), padded to
// a multiple of 468 octets if q was padded (RFC 8467 §4.1). A reply over
// 65535 octets is an error.
func pack(q, resp *dns.Msg) (b []byte, err error) {
	qopt := q.IsEdns0()
	switch {
	case qopt == nil:
		b, err = resp.Pack()
	case hasPadding(q):
		resp.SetEdns0(UDPSize, qopt.Do())
		b, err = pad(resp, ResponsePadBlock)
	default:
		resp.SetEdns0(UDPSize, qopt.Do())
		b, err = resp.Pack()
	}
	if err == nil && len(b) > dns.MaxMsgSize {
		return nil, fmt.Errorf("reply of %d octets exceeds %d", len(b), dns.MaxMsgSize)
	}
	return b, err
}

// maxAge returns the HTTP freshness lifetime of resp: the smallest TTL of
// its answer records (RFC 8484 §5.1), or 0 when it has none or its RCode
// is not NOERROR.
func maxAge(resp *dns.Msg) uint32 {
	if resp.Rcode != dns.RcodeSuccess || len(resp.Answer) == 0 {
		return 0
	}
	ttl := resp.Answer[0].Header().Ttl
	for _, rr := range resp.Answer[1:] {
		ttl = min(ttl, rr.Header().Ttl)
	}
	return ttl
}

// httpError replies with a plain-text reason that is never cached.
func httpError(w http.ResponseWriter, code int, reason string) {
	w.Header().Set("Cache-Control", "max-age=0")
	http.Error(w, reason, code)
}

//go:build !js

package server

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// MaxCacheAge is the largest Cache-Control max-age NewHandler sends: seven
// days, the cap RFC 8767 §4 suggests for TTLs.
const MaxCacheAge = 7 * 24 * 60 * 60

// maxEDEText bounds the EXTRA-TEXT of an Extended DNS Error the handler
// sends (RFC 8914 §2 sets no limit; a reply must stay small).
const maxEDEText = 256

// maxQuery is the largest query the handler accepts, the 64 KiB cap also
// applied to POST bodies.
const maxQuery = 64 << 10

// HandlerOptions configures NewHandler.
type HandlerOptions struct {
	// Timeout bounds each call of the Resolver; 0 means only the request's
	// own context bounds it. A Resolver that runs out of time yields
	// SERVFAIL.
	Timeout time.Duration
	// Authoritative sets the AA bit (RFC 1035 §4.1.1) on NOERROR and
	// NXDOMAIN replies, for a Resolver that answers from its own zones
	// (resolve/zone) rather than from another server.
	Authoritative bool
	// NoStore sends Cache-Control: no-store instead of a max-age, for a
	// Resolver that asks live DNS (sipdisco serve --upstream): a check
	// repeated right after a fix must not get a cached answer.
	NoStore bool
}

// NewHandler returns an RFC 8484 DNS-over-HTTPS server that answers from r.
// It accepts GET with the base64url "dns" parameter (unpadded as RFC 8484
// §6 requires; padded is tolerated) and POST with an
// application/dns-message body of at most 64 KiB.
//
// A query must hold exactly one question. Class IN questions of type A,
// AAAA, CNAME, SRV and TXT are passed to r; other types and classes, and
// opcodes other than QUERY, get NOTIMP; a query with more than one OPT
// record, or one outside the additional section, gets FORMERR (RFC 6891
// §6.1.1); an EDNS version other than 0 gets BADVERS (RFC 6891 §6.1.3); a
// Resolver error gets SERVFAIL, with an Extended DNS Error when the error
// is a wire.ExtendedError, except a *dohclient.TruncatedError, answered with its records
// and TC.
//
// Every DNS reply is an HTTP 200 (RFC 8484 §4.2.1) with Content-Type
// application/dns-message and the query's ID. Names in it are compressed
// (RFC 1035 §4.1.4); an answer that still does not fit in 65,535 octets is
// cut to the records that fit and sent with the TC bit set, as a DNS
// server over TCP would (RFC 2181 §9; the Client treats such a reply as
// ErrTruncated). The reply has an OPT record when the query had one
// (padded to a multiple of 468 octets if the query was padded, RFC 8467
// §4.1), AA when HandlerOptions.Authoritative says so, and Cache-Control
// max-age from its answer TTLs (see below).
//
// Cache-Control max-age is the smallest answer TTL (RFC 8484 §5.1), with
// a TTL above 2^31-1 counted as 0 (RFC 2181 §8) and the result capped at
// MaxCacheAge (RFC 8767 §4); it is 0 for a reply with no answer records,
// with an RCode other than NOERROR, or truncated.
//
// Requests that are not DNS queries get a plain-text HTTP error: 400 for a
// missing or malformed message (naming a bad URL or base64url encoding),
// 405 for other methods, 413 and 414 for a query over 64 KiB, 415 for a
// POST of another content type.
//
// The handler is not a recursive resolver: it answers only from r.
// NewHandler panics if r is nil.
func NewHandler(r engine.Resolver, opts HandlerOptions) http.Handler {
	if r == nil {
		panic("dohclient/server: NewHandler with nil Resolver")
	}
	return &handler{r: r, opts: opts}
}

type handler struct {
	r    engine.Resolver
	opts HandlerOptions
}

func (h *handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	query, code, reason := readQuery(w, req)
	if code != 0 {
		httpError(w, code, reason)
		return
	}
	q := new(dns.Msg)
	if err := q.Unpack(query); err != nil {
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
	resp, ede := h.reply(req.Context(), q)
	b, err := wire.PackReply(q, resp, ede)
	if err != nil {
		// The answer cannot be encoded (an RCode over 12 bits, say):
		// that is the server failing.
		resp = wire.ReplyMsg(q, engine.Answer{RCode: engine.RCodeServerFailure})
		if b, err = wire.PackReply(q, resp, nil); err != nil {
			httpError(w, http.StatusInternalServerError, "cannot encode the DNS reply")
			return
		}
	}
	hd := w.Header()
	hd.Set("Content-Type", dohclient.MediaType)
	if h.opts.NoStore {
		hd.Set("Cache-Control", "no-store")
	} else {
		hd.Set("Cache-Control", "max-age="+strconv.FormatUint(uint64(maxAge(resp)), 10))
	}
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// readQuery returns the DNS message carried by req (RFC 8484 §4.1), or the
// HTTP status and reason to refuse it with.
func readQuery(w http.ResponseWriter, req *http.Request) (msg []byte, code int, reason string) {
	switch req.Method {
	case http.MethodGet:
		query, err := url.ParseQuery(req.URL.RawQuery)
		if err != nil {
			// url.Values drops a pair it cannot decode; name the encoding
			// rather than report the parameter missing.
			return nil, http.StatusBadRequest, "query string is not valid URL encoding (RFC 3986 §2.1): " + truncate(err.Error(), 120)
		}
		vs := query["dns"]
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
		if ct := req.Header.Get("Content-Type"); !dohclient.IsMediaType(ct) {
			return nil, http.StatusUnsupportedMediaType, fmt.Sprintf("content type %q, want %s", truncate(ct, 64), dohclient.MediaType)
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

// reply returns the reply to q's one question and the Extended DNS Error
// it should carry, if any.
func (h *handler) reply(ctx context.Context, q *dns.Msg) (*dns.Msg, *dns.EDNS0_EDE) {
	if rc, refused := refuse(q); refused {
		return wire.ReplyMsg(q, engine.Answer{RCode: rc}), nil
	}
	if h.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.opts.Timeout)
		defer cancel()
	}
	qq := q.Question[0]
	a, err := h.r.Resolve(ctx, engine.Question{Name: wire.EngineName(qq.Name), Type: engine.Type(qq.Qtype)})
	var te *dohclient.TruncatedError
	truncated := errors.As(err, &te)
	if truncated {
		// An answer too large for a message: what fits of it, with TC,
		// as a DNS server would send it (RFC 2181 §9).
		a, err = te.Answer, nil
	}
	if err != nil || a.RCode < 0 || a.RCode > 0xfff { // RFC 6891 §6.1.3: 12 bits
		// An error may say which RCode it is (a refused question is
		// REFUSED, not a server failing); otherwise SERVFAIL.
		rc := engine.RCodeServerFailure
		var coded interface{ RCode() engine.RCode }
		if errors.As(err, &coded) {
			rc = coded.RCode()
		}
		return wire.ReplyMsg(q, engine.Answer{RCode: rc}), extendedError(err)
	}
	r := wire.ReplyMsg(q, a)
	r.Truncated = truncated
	r.Authoritative = h.opts.Authoritative && (a.RCode == engine.RCodeSuccess || a.RCode == engine.RCodeNameError)
	return r, nil
}

// refuse returns the RCode for a query the handler answers without asking
// its Resolver, and whether q is one.
func refuse(q *dns.Msg) (engine.RCode, bool) {
	qq := q.Question[0]
	switch {
	case wire.CountOPT(q) > 1 || wire.MisplacedOPT(q):
		// RFC 6891 §6.1.1: at most one OPT, in the additional section.
		// The reply carries no OPT: which one would it answer?
		q.Extra = nil
		return engine.RCodeFormatError, true
	case q.Opcode != dns.OpcodeQuery || qq.Qclass != dns.ClassINET || !served(qq.Qtype):
		return engine.RCodeNotImplemented, true
	}
	if opt := q.IsEdns0(); opt != nil && opt.Version() != 0 {
		return dns.RcodeBadVers, true // RFC 6891 §6.1.3
	}
	return 0, false
}

// extendedError returns the EDE option for a Resolver error that is an
// wire.ExtendedError, or nil.
func extendedError(err error) *dns.EDNS0_EDE {
	var ee wire.ExtendedError
	if !errors.As(err, &ee) {
		return nil
	}
	code, text := ee.EDE()
	return &dns.EDNS0_EDE{InfoCode: code, ExtraText: edeText(text)}
}

// edeText returns s as EXTRA-TEXT: valid UTF-8 (RFC 8914 §2), at most
// maxEDEText bytes, cut on a character boundary.
func edeText(s string) string {
	s = strings.ToValidUTF8(s, "\ufffd")
	if len(s) <= maxEDEText {
		return s
	}
	cut := maxEDEText - len("...")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// served reports whether t is one of the types discovery asks about.
func served(t uint16) bool {
	switch t {
	case dns.TypeA, dns.TypeAAAA, dns.TypeCNAME, dns.TypeSRV, dns.TypeTXT:
		return true
	}
	return false
}

// maxAge returns the HTTP freshness lifetime of resp (RFC 8484 §5.1): the
// smallest TTL of its answer records, a TTL above 2^31-1 counting as 0
// (RFC 2181 §8), capped at MaxCacheAge; 0 when it has no answer records,
// its RCode is not NOERROR, or it is truncated.
func maxAge(resp *dns.Msg) uint32 {
	if resp.Rcode != dns.RcodeSuccess || resp.Truncated || len(resp.Answer) == 0 {
		return 0
	}
	age := uint32(MaxCacheAge)
	for _, rr := range resp.Answer {
		ttl := rr.Header().Ttl
		if ttl > math.MaxInt32 {
			ttl = 0
		}
		age = min(age, ttl)
	}
	return age
}

// httpError replies with a plain-text reason that is never cached.
func httpError(w http.ResponseWriter, code int, reason string) {
	w.Header().Set("Cache-Control", "max-age=0")
	http.Error(w, reason, code)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

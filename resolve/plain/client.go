package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// The timing of a lookup.
const (
	// DefaultTryTimeout is how long one query waits for its reply when
	// Client.TryTimeout is 0.
	DefaultTryTimeout = 2 * time.Second
	// MinTryTimeout is the shortest try the Client plans when it shares
	// what is left of the context's deadline among the servers still to
	// be asked; the deadline itself still ends every try.
	MinTryTimeout = 250 * time.Millisecond
)

// maxTries bounds the queries sent to one server for one question: UDP
// with EDNS, without EDNS after FORMERR, TCP after a truncated reply.
const maxTries = 3

// The transports a try uses.
const (
	UDP = "udp"
	TCP = "tcp"
)

// Client is a plain-DNS resolver over a list of servers, asked in order
// as the package documentation describes. It is an engine.Resolver. Its
// fields must not change once it is in use; it is safe for concurrent use.
// Its TCP connections are kept open between lookups (CloseIdle closes
// them), and at most MaxInFlight queries are in flight to each server.
type Client struct {
	// Servers are asked in order until one gives an answer.
	Servers []netip.AddrPort
	// TCP sends every query over TCP (RFC 7766), never UDP.
	TCP bool
	// TryTimeout bounds the wait for one reply; 0 means
	// DefaultTryTimeout.
	TryTimeout time.Duration
	// Source names where Servers came from in String
	// ("/etc/resolv.conf"); empty for servers the user named.
	Source string
}

// MaxInFlight bounds the queries the Clients of a process have in flight
// to one server at once; a lookup beyond it waits for a slot (within its
// context). An audit at its highest concurrency asks no more than this
// many at once, and a server is not flooded by one client.
const MaxInFlight = 64

// New returns a Client for servers, asked over UDP with TCP when a reply
// is truncated.
func New(servers ...netip.AddrPort) (*Client, error) {
	if len(servers) == 0 {
		return nil, errors.New("plain: no DNS server given")
	}
	for _, s := range servers {
		if !s.IsValid() || s.Port() == 0 || s.Addr().IsUnspecified() {
			return nil, fmt.Errorf("plain: %v is not a DNS server address", s)
		}
	}
	return &Client{Servers: servers}, nil
}

// String describes the client for a report: "the DNS servers 10.0.0.1,
// 10.0.0.2 from /etc/resolv.conf", "the DNS server 10.0.0.1:5353 over
// TCP".
func (c *Client) String() string {
	var b strings.Builder
	b.WriteString("the DNS server")
	if len(c.Servers) != 1 {
		b.WriteString("s")
	}
	for i, s := range c.Servers {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" " + FormatServer(s))
		if s.Addr() == stubResolved {
			b.WriteString(" (systemd-resolved)")
		}
	}
	if c.Source != "" {
		b.WriteString(" from " + c.Source)
	}
	if c.TCP {
		b.WriteString(" over TCP")
	}
	return b.String()
}

// stubResolved is the address of systemd-resolved's stub listener, which
// keeps per-link split DNS (resolved.conf(5)).
var stubResolved = netip.MustParseAddr("127.0.0.53")

// Try is one query sent to one server and what came of it.
type Try struct {
	Server    netip.AddrPort
	Transport string // UDP or TCP
	EDNS      bool   // the query carried an OPT record
	// RTT is the time from sending the query to the reply or the failure.
	RTT time.Duration
	// Replied is true when a reply to the query arrived; RCode is then
	// its response code.
	Replied bool
	RCode   engine.RCode
	// Outcome says what happened in words that follow the server's
	// address: "answered NOERROR", "sent no reply within 2s".
	Outcome string
}

// String returns the try as one line: "10.0.0.1 over UDP answered
// SERVFAIL (3 ms)".
func (t Try) String() string {
	return fmt.Sprintf("%s over %s %s (%d ms)", FormatServer(t.Server), strings.ToUpper(t.Transport), t.Outcome, t.RTT.Milliseconds())
}

// Result is a lookup's answer and where it came from.
type Result struct {
	Answer engine.Answer
	// Server answered, over Transport, in RTT (the answering try alone).
	Server    netip.AddrPort
	Transport string
	RTT       time.Duration
	// Tries lists every query sent, in order, the answering one last.
	Tries []Try
}

// Source says where the answer came from, for a report's step: "10.0.0.2",
// "10.0.0.2 over TCP", "10.0.0.2, after 10.0.0.1 answered SERVFAIL".
// It is empty for a Result without an answering server.
func (r Result) Source() string {
	if !r.Server.IsValid() {
		return ""
	}
	s := FormatServer(r.Server)
	if r.Transport == TCP {
		s += " over TCP"
	}
	var before []string
	for i, t := range r.Tries {
		if t.Server != r.Server && (i+1 == len(r.Tries) || r.Tries[i+1].Server != t.Server) {
			before = append(before, FormatServer(t.Server)+" "+t.Outcome)
		}
	}
	if len(before) > 0 {
		s += ", after " + strings.Join(before, "; ")
	}
	return s
}

// Error is a lookup that no server answered usably. It names each
// server's result.
type Error struct {
	Question engine.Question
	// Tries lists every query sent, in order.
	Tries []Try
	// NotAsked are servers the time ran out for.
	NotAsked []netip.AddrPort
}

// Error returns each server's result: "10.0.0.1 answered SERVFAIL;
// 10.0.0.2 sent no reply within 2s".
func (e *Error) Error() string {
	var parts []string
	for i, t := range e.Tries {
		if i+1 < len(e.Tries) && e.Tries[i+1].Server == t.Server {
			continue // a later try of the same server says more
		}
		s := FormatServer(t.Server) + " " + t.Outcome
		if t.Transport == TCP {
			s += " over TCP"
		}
		parts = append(parts, s)
	}
	for _, s := range e.NotAsked {
		parts = append(parts, FormatServer(s)+" was not asked: the time ran out")
	}
	if len(parts) == 0 {
		return "no DNS server was asked"
	}
	return strings.Join(parts, "; ")
}

// EDE returns how a server forwarding to this client reports the failure
// as an Extended DNS Error (RFC 8914), so that *Error is a
// wire.ExtendedError: No Reachable Authority when no server replied
// at all, Network Error otherwise, the text naming each server.
func (e *Error) EDE() (code uint16, text string) {
	code = wire.EDENoReachableAuthority
	for _, t := range e.Tries {
		if t.Replied {
			code = wire.EDENetworkError
		}
	}
	return code, e.Error()
}

// Resolve asks q and returns the answer, so that a *Client is an
// engine.Resolver; see Lookup. The answer's Server is Result.Source.
func (c *Client) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	r, err := c.Lookup(ctx, q)
	r.Answer.Server = r.Source()
	return r.Answer, err
}

// Lookup asks the servers in order until one answers q usably, as the
// package documentation describes, and returns the answer with the server
// that gave it. When none does, the error is an *Error naming each
// server's result; when ctx ends first, it also satisfies errors.Is with
// ctx's error.
func (c *Client) Lookup(ctx context.Context, q engine.Question) (Result, error) {
	name, err := absolute(q.Name)
	if err != nil {
		return Result{}, err
	}
	if len(c.Servers) == 0 {
		return Result{}, errors.New("plain: no DNS server configured")
	}
	var tries []Try
	for i, srv := range c.Servers {
		if ctx.Err() != nil {
			e := &Error{Question: q, Tries: tries, NotAsked: c.Servers[i:]}
			return Result{Tries: tries}, errors.Join(e, ctx.Err())
		}
		ans, ok, ts := c.askServer(ctx, srv, name, q.Type, len(c.Servers)-i)
		tries = append(tries, ts...)
		if ok {
			last := ts[len(ts)-1]
			return Result{Answer: ans, Server: srv, Transport: last.Transport, RTT: last.RTT, Tries: tries}, nil
		}
	}
	e := &Error{Question: q, Tries: tries}
	if ctx.Err() != nil {
		return Result{Tries: tries}, errors.Join(e, ctx.Err())
	}
	return Result{Tries: tries}, e
}

// absolute returns q's name as the fully qualified name sent on the wire,
// or why it cannot be asked.
func absolute(name string) (string, error) {
	if name == "" || name == "." {
		return "", fmt.Errorf("plain: cannot look up %q: not a domain name", name)
	}
	fq := dns.Fqdn(name)
	var buf [256]byte
	if _, err := dns.PackDomainName(fq, buf[:], 0, nil, false); err != nil {
		return "", fmt.Errorf("plain: cannot look up %q: %v", name, err)
	}
	return fq, nil
}

// askServer asks one server, following TC and FORMERR as the package
// documentation says. ok reports whether the last try's reply is the
// answer. left counts the servers still to be asked, this one included.
func (c *Client) askServer(ctx context.Context, srv netip.AddrPort, name string, t engine.Type, left int) (ans engine.Answer, ok bool, tries []Try) {
	transport, edns := UDP, true
	if c.TCP {
		transport = TCP
	}
	for range maxTries {
		timeout := c.tryTimeout(ctx, left)
		query := wire.QuestionMsg(engine.Question{Name: name, Type: t})
		query.Id = randomID()
		if edns {
			query.SetEdns0(dohclient.UDPSize, false)
		}
		start := time.Now()
		m, err := c.exchange(ctx, transport, srv, query, timeout)
		try := Try{Server: srv, Transport: transport, EDNS: edns, RTT: time.Since(start)}
		if err != nil {
			try.Outcome = failure(err, transport, timeout)
			return ans, false, append(tries, try)
		}
		try.Replied, try.RCode = true, engine.RCode(m.Rcode)
		switch {
		case m.Truncated && transport == UDP:
			try.Outcome = "sent a truncated reply (TC)"
			tries = append(tries, try)
			transport = TCP
			continue
		case m.Truncated:
			try.Outcome = "sent a truncated reply (TC) even over TCP"
			return ans, false, append(tries, try)
		case m.Rcode == dns.RcodeFormatError && edns:
			try.Outcome = "answered FORMERR to a query with EDNS(0)"
			tries = append(tries, try)
			edns = false
			continue
		}
		ans, try.Outcome, ok = classify(m, t)
		return ans, ok, append(tries, try)
	}
	return ans, false, tries
}

// tryTimeout returns how long the next try may wait: TryTimeout, or the
// share of ctx's remaining time of each of the left servers still to be
// asked if that is shorter, but not below MinTryTimeout.
func (c *Client) tryTimeout(ctx context.Context, left int) time.Duration {
	t := c.TryTimeout
	if t <= 0 {
		t = DefaultTryTimeout
	}
	if dl, ok := ctx.Deadline(); ok && left > 0 {
		share := time.Until(dl) / time.Duration(left)
		t = min(t, max(share, MinTryTimeout))
	}
	return t
}

// classify decides whether reply m to a question of type t is an answer
// and says what it was.
func classify(m *dns.Msg, t engine.Type) (engine.Answer, string, bool) {
	rc := rcodeName(m.Rcode)
	switch m.Rcode {
	case dns.RcodeNameError:
		a := wire.ToAnswer(m)
		if why := a.Contradiction(); why != "" {
			return engine.Answer{}, why, false
		}
		return a, "answered NXDOMAIN", true
	case dns.RcodeSuccess:
		switch {
		case len(m.Answer) > 0:
			return wire.ToAnswer(m), "answered NOERROR", true
		case m.Authoritative || m.RecursionAvailable:
			return wire.ToAnswer(m), "answered NOERROR with no " + t.String() + " record (NODATA)", true
		}
		if zone := referral(m); zone != "" {
			return engine.Answer{}, fmt.Sprintf("sent a referral to %s instead of an answer (it does not resolve names recursively)", zone), false
		}
		return engine.Answer{}, "answered NOERROR without data and with neither AA nor RA set (a lame answer, which proves nothing about the name)", false
	}
	out := "answered " + rc
	if code, text, ok := wire.EDEOf(m); ok {
		out += " (" + wire.DescribeEDE(code, text) + ")"
	}
	return engine.Answer{}, out, false
}

// referral returns the zone an NS record in m's authority section
// delegates to, escaped for display, or "".
func referral(m *dns.Msg) string {
	for _, rr := range m.Ns {
		if ns, ok := rr.(*dns.NS); ok {
			return wire.EngineName(ns.Hdr.Name)
		}
	}
	return ""
}

func rcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
}

// failure says why a try got no usable reply, in words that follow the
// server's address.
func failure(err error, transport string, timeout time.Duration) string {
	var bad *badReply
	var no *errNoReply
	switch {
	case errors.As(err, &bad):
		return "sent a reply that cannot be used: " + bad.why
	case errors.As(err, &no) && no.dropped > 0:
		return fmt.Sprintf("sent no reply to the query within %v, only %d with its ID dropped as not answering it, the last because: %s", timeout.Round(time.Millisecond), no.dropped, no.why)
	case errors.Is(err, context.Canceled):
		return "was not waited for: the lookup was cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "sent no reply before the time ran out"
	case errors.Is(err, syscall.ECONNREFUSED):
		if transport == UDP {
			return "is not listening (port unreachable)"
		}
		return "refused the connection"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "closed the connection without a complete reply"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Sprintf("sent no reply within %v", timeout.Round(time.Millisecond))
	}
	return "could not be reached: " + err.Error()
}

// badReply is a reply that arrived but fails the checks.
type badReply struct{ why string }

func (e *badReply) Error() string { return e.why }

// exchange sends query to srv over transport and returns the checked
// reply, waiting at most timeout (and no longer than ctx allows), within
// srv's in-flight bound. The query goes on one of the sockets kept for
// srv (mux.go): a UDP socket carrying a few other queries under other
// IDs, or a TCP connection pipelining them (RFC 7766 §6.2.1.1). A kept
// TCP connection that fails before the reply is dropped and the query
// sent once more on a new one (the server may have closed it, RFC 7766
// §6.2.3).
func (c *Client) exchange(ctx context.Context, transport string, srv netip.AddrPort, query *dns.Msg, timeout time.Duration) (*dns.Msg, error) {
	packed, err := query.Pack()
	if err != nil {
		return nil, fmt.Errorf("plain: packing the query: %w", err)
	}
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	p := shared
	release, err := p.acquire(ctx, srv)
	if err != nil {
		return nil, err
	}
	defer release()
	key := muxKey{srv, transport}
	for attempt := 0; ; attempt++ {
		// A socket that fails is out of the pool before its queries
		// hear of it, so a second attempt gets another.
		mc, dialed, err := p.get(ctx, key, deadline)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		m, err := mc.ask(ctx, query, packed, deadline)
		switch {
		case err == nil:
			return m, nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case transport == TCP && attempt == 0 && (!dialed || mc.carried() > 1) && connFailed(err):
			// A connection that carried other queries was a kept one,
			// whoever opened it.
			continue
		}
		return nil, err
	}
}

// connFailed reports whether err is a kept connection failing rather
// than a reply that did not come in time or cannot be used.
func connFailed(err error) bool {
	var no *errNoReply
	var bad *badReply
	return !errors.As(err, &no) && !errors.As(err, &bad)
}

// udpBuffers hold the buffers replies are read into, one for each
// socket's reader while it lives: a datagram may be as large as a DNS
// message gets (65535 octets, EDNS0), and allocating that for every
// question made an audit's plain-DNS questions mostly garbage to collect
// (issue 27). Only a reply's own bytes are handed to its query.
var udpBuffers = sync.Pool{New: func() any { b := make([]byte, dns.MaxMsgSize); return &b }}

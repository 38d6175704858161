package prober

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/probe"
	"github.com/sipdisco/sipdisco/signin"
)

// Default time limits of one attempt's stages.
const (
	DefaultConnectTimeout   = 5 * time.Second
	DefaultHandshakeTimeout = 5 * time.Second
	DefaultResponseTimeout  = 10 * time.Second
	// DefaultDeadline bounds the whole probe: three candidates that
	// stall at every stage (20 s each with the defaults above).
	DefaultDeadline = time.Minute
)

// Limits on how much one probe does.
const (
	// MaxCandidates is the most candidates one probe contacts: more than
	// any discovery gives a client for one address.
	MaxCandidates = 16
	// MaxAddresses is the most addresses of one candidate tried in turn.
	MaxAddresses = 4
	// maxProvisional is the most 1xx responses read before the final one.
	maxProvisional = 4
)

// Options say what to probe and how. The zero value of every field but
// Address and Candidates is usable.
type Options struct {
	// Address is the sign-in address the REGISTER carries
	// ("sip:bob@contoso.com" or "bob@contoso.com"); nothing else about
	// the user is sent.
	Address string
	// Client is the client the REGISTER is built as, by engine profile
	// name; empty means engine.DefaultProfile.
	Client string
	// Candidates are discovery's candidates in the client's order (the
	// report's candidates). Refused ones are not contacted, as the
	// client does not contact them; a candidate without addresses is
	// resolved through Resolver.
	Candidates []engine.Candidate
	// AllowTCP is the policy's: a TCP candidate is contacted only when it
	// is set.
	AllowTCP bool
	// All contacts every accepted candidate; by default the probe stops
	// at the first that answers in SIP, as the client does.
	All bool
	// NoAutodiscover leaves the Autodiscover web service unasked; by
	// default a client that asks it (a profile with Autodiscover names)
	// has it observed first, as the client asks it first.
	NoAutodiscover bool
	// NoRedirect leaves a 301 or 302 unfollowed; by default the probe
	// follows one, once, to the server its Contact names, as the client
	// does.
	NoRedirect bool
	// SystemRoots are the roots a chain is verified against as
	// "system"; nil means x509.SystemCertPool's (none if the system has
	// none to give).
	SystemRoots *x509.CertPool
	// CA is a further set of roots (the --ca file of an internal CA),
	// labelled CALabel ("--ca FILE" when empty).
	CA      *x509.CertPool
	CALabel string
	// Resolver finds the addresses of a redirect's target and of a
	// candidate that has none (pass discovery's, so that --dns and
	// --zone apply); nil means the system's resolver.
	Resolver engine.Resolver
	// Time limits of each attempt's stages; zero means the defaults.
	ConnectTimeout, HandshakeTimeout, ResponseTimeout time.Duration
	// Deadline bounds the whole probe, Autodiscover, every candidate and
	// redirect included; zero means DefaultDeadline. Each stage gets at
	// most the time left; the candidates not reached when it is over are
	// recorded as not tried (probe.FailNotTried), and the result says
	// which (engine.KindProbeOutOfTime).
	Deadline time.Duration
	// Now reads the clock and Rand draws random numbers (Call-ID, tags,
	// branch); nil means time.Now and crypto/rand.
	Now  func() time.Time
	Rand func() uint64
	// Dial opens a TCP connection; nil means a net.Dialer. (The same
	// hook a proxy or a recording test would use.)
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
}

// Probe connects to the candidates as the client would, in its order,
// and records what each server does: the TCP connection and its time,
// over TLS the handshake (SNI the candidate's host; the chain recorded
// and verified against the system's roots and CA, never aborting on a
// verification failure) and the response to a REGISTER without
// credentials, built as the simulated one is (package signin) with a
// fresh Call-ID, tags and branch. A 301 or 302 is followed once. Every
// stage is bounded in time, every response in size, and each candidate
// gets one connection.
//
// The result carries every attempt with its findings (probe.JudgeAttempt)
// and those of the whole (probe.Judge); the comparison with the
// simulated exchange is the caller's (probe.Compare). The error is
// non-nil only for unusable options or a cancelled context.
func Probe(ctx context.Context, o Options) (probe.Result, error) {
	u, err := engine.ParseURI(o.Address)
	if err != nil {
		return probe.Result{}, fmt.Errorf("prober: sign-in address: %w", err)
	}
	c, err := engine.LookupProfile(o.Client)
	if err != nil {
		return probe.Result{}, fmt.Errorf("prober: %w", err)
	}
	p := &prober{o: o, client: c, uri: u, addr: u.Scheme + ":" + u.User + "@" + u.Domain, domain: u.Domain}
	p.defaults()
	res := probe.Result{Address: p.addr, Client: c.Name, UserAgent: c.UserAgent,
		Started: p.o.Now().UTC().Format(time.RFC3339), Attempts: []probe.Attempt{}}
	if len(c.Autodiscover) > 0 && !o.NoAutodiscover {
		// The client asks the Autodiscover web service before it uses
		// the SRV records ("Understanding Autodiscover in Lync Server
		// 2013", TechNet JJ945654).
		actx, cancel := context.WithTimeout(ctx, p.o.Deadline)
		res.Autodiscover = p.autodiscover(actx, dnsTarget(o.Candidates))
		cancel()
	}
	contacted := 0
	for _, cand := range o.Candidates {
		if !cand.Accepted {
			continue
		}
		if err := ctx.Err(); err != nil {
			return probe.Result{}, err
		}
		if contacted == MaxCandidates {
			res.Attempts = append(res.Attempts, skipped(cand, fmt.Sprintf("the probe contacts at most %d candidates", MaxCandidates)))
			continue
		}
		if p.left() <= 0 {
			res.Attempts = append(res.Attempts, p.notTried(cand.Host, cand.Port, cand.Transport, cand.Source, engine.ConnectionDiscovered))
			continue
		}
		contacted++
		a := p.attempt(ctx, target{host: cand.Host, port: cand.Port, transport: cand.Transport, source: cand.Source,
			reason: engine.ConnectionDiscovered, addrs: cand.Addresses})
		res.Attempts = append(res.Attempts, a)
		if a.Outcome != probe.Answered {
			continue
		}
		if r := a.Response.Redirect; r != nil && !o.NoRedirect {
			if p.left() <= 0 {
				res.Attempts = append(res.Attempts, p.notTried(r.Host, r.Port, r.Transport, probe.SourceRedirect, engine.ConnectionRedirected))
			} else {
				res.Attempts = append(res.Attempts, p.follow(ctx, a, *r))
			}
		}
		if !o.All {
			break
		}
	}
	if err := ctx.Err(); err != nil {
		return probe.Result{}, err
	}
	probe.Judge(&res)
	return res, nil
}

// dnsTarget names the first accepted candidate, the server DNS gives:
// "pool01.contoso.com:5061 TLS (from _sipinternaltls._tcp.contoso.com)";
// "" when there is none.
func dnsTarget(cs []engine.Candidate) string {
	for _, c := range cs {
		if c.Accepted {
			return fmt.Sprintf("%s (from %s)", engine.Endpoint(c.Host, c.Port, c.Transport), c.Source)
		}
	}
	return ""
}

type prober struct {
	o            Options
	client       *engine.Profile
	uri          engine.URI
	addr, domain string
	roots        []probe.Roots
	// options: each attempt sends an OPTIONS (Domain's federation
	// server), not the client's REGISTER.
	options bool
	end     time.Time // when Options.Deadline is over
}

// left returns the time left before Options.Deadline is over.
func (p *prober) left() time.Duration { return p.end.Sub(p.o.Now()) }

// limit returns a stage's time limit d, or the time left if that is
// shorter.
func (p *prober) limit(d time.Duration) time.Duration {
	return max(min(d, p.left()), time.Millisecond)
}

// outOfTime says that the probe's overall time limit ran out.
func (p *prober) outOfTime() string {
	return fmt.Sprintf("the probe's overall time limit of %v ran out", p.o.Deadline)
}

// notTried is the attempt of a candidate the probe had no time left for.
func (p *prober) notTried(host string, port uint16, tr engine.Transport, source, reason string) probe.Attempt {
	a := probe.Attempt{Host: host, Port: port, Transport: tr, Source: source, Reason: reason, Outcome: probe.Skipped,
		Failure: &probe.Failure{Stage: probe.StageConnect, Kind: probe.FailNotTried, Message: p.outOfTime() + " before its turn"}}
	probe.JudgeAttempt(&a, p.client.Name)
	return a
}

func (p *prober) defaults() {
	o := &p.o
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if o.ResponseTimeout <= 0 {
		o.ResponseTimeout = DefaultResponseTimeout
	}
	if o.Deadline <= 0 {
		o.Deadline = DefaultDeadline
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = cryptoRand
	}
	if o.Dial == nil {
		d := &net.Dialer{}
		o.Dial = d.DialContext
	}
	sys := o.SystemRoots
	if sys == nil {
		sys, _ = x509.SystemCertPool()
	}
	if sys != nil {
		p.roots = append(p.roots, probe.Roots{Label: probe.RootsSystem, Pool: sys})
	}
	if o.CA != nil {
		label := o.CALabel
		if label == "" {
			label = "--ca FILE"
		}
		p.roots = append(p.roots, probe.Roots{Label: label, Pool: o.CA})
	}
	// The whole observation's time limit runs from here.
	p.end = o.Now().Add(o.Deadline)
}

func cryptoRand() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("prober: crypto/rand: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	return binary.LittleEndian.Uint64(b[:])
}

// target is one server to contact.
type target struct {
	host      string
	port      uint16
	transport engine.Transport
	source    string
	reason    string
	addrs     []string
}

func skipped(c engine.Candidate, why string) probe.Attempt {
	a := probe.Attempt{Host: c.Host, Port: c.Port, Transport: c.Transport, Source: c.Source, Reason: engine.ConnectionDiscovered,
		Outcome: probe.Skipped, Failure: &probe.Failure{Stage: probe.StageConnect, Kind: probe.FailNotAllowed, Message: why}}
	probe.JudgeAttempt(&a, "")
	return a
}

// follow contacts the server a redirect names, as the client does: a new
// connection, over the transport the Contact names (the current one if
// it names none), to the port it names (the transport's default if none).
func (p *prober) follow(ctx context.Context, from probe.Attempt, r probe.Redirect) probe.Attempt {
	t := target{host: r.Host, port: r.Port, transport: r.Transport, source: probe.SourceRedirect, reason: engine.ConnectionRedirected}
	if t.transport == "" {
		t.transport = from.Transport
	}
	if t.port == 0 {
		t.port = t.transport.DefaultPort()
	}
	if r.Error != "" {
		a := probe.Attempt{Host: t.host, Port: t.port, Transport: t.transport, Source: t.source, Reason: t.reason, Outcome: probe.Skipped,
			Failure: &probe.Failure{Stage: probe.StageConnect, Kind: probe.FailNotAllowed, Message: "the redirect is not followed: " + r.Error}}
		probe.JudgeAttempt(&a, p.client.Name)
		return a
	}
	return p.attempt(ctx, t)
}

// attempt makes one connection to t and records what happens on it.
func (p *prober) attempt(ctx context.Context, t target) (a probe.Attempt) {
	a = probe.Attempt{Host: t.host, Port: t.port, Transport: t.transport, Source: t.source, Reason: t.reason, Outcome: probe.Failed}
	defer func() {
		// A stage given only the time left ran out with it.
		if f := a.Failure; f != nil && f.Kind == probe.FailTimeout && p.left() <= 0 {
			f.Message += " (" + p.outOfTime() + ")"
		}
		probe.JudgeAttempt(&a, p.client.Name)
	}()
	fail := func(stage probe.Stage, kind probe.FailureKind, msg string) probe.Attempt {
		a.Failure = &probe.Failure{Stage: stage, Kind: kind, Message: msg}
		return a
	}
	switch t.transport {
	case engine.TLS:
	case engine.TCP:
		if !p.o.AllowTCP {
			a.Outcome = probe.Skipped
			return fail(probe.StageConnect, probe.FailNotAllowed, "the policy does not allow TCP, so the client never connects over it")
		}
	default:
		a.Outcome = probe.Skipped
		return fail(probe.StageConnect, probe.FailNotAllowed, fmt.Sprintf("the transport %q is neither TLS nor TCP", t.transport))
	}

	addrs, err := p.addresses(ctx, t)
	if err != nil {
		return fail(probe.StageResolve, probe.FailNoAddress, err.Error())
	}
	if doc := documentation(addrs); doc != "" {
		a.Outcome = probe.Skipped
		return fail(probe.StageResolve, probe.FailNotAllowed, doc)
	}

	// TCP: the addresses in turn, until one accepts.
	var conn net.Conn
	var whys []string
	var lastErr error
	start := p.o.Now()
	for _, ip := range addrs {
		hp := net.JoinHostPort(ip.String(), strconv.Itoa(int(t.port)))
		limit := p.limit(p.o.ConnectTimeout)
		dctx, cancel := context.WithTimeout(ctx, limit)
		c, err := p.o.Dial(dctx, "tcp", hp)
		cancel()
		if err == nil {
			conn = c
			a.Remote = hp
			break
		}
		lastErr = err
		whys = append(whys, hp+": "+describe(err, limit))
		if ctx.Err() != nil {
			break
		}
	}
	a.ConnectMS = p.o.Now().Sub(start).Milliseconds()
	if conn == nil {
		return fail(probe.StageConnect, kindOf(lastErr), strings.Join(whys, "; "))
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	if t.transport == engine.TLS {
		tc, info, f := p.handshake(ctx, conn, t)
		if info != nil {
			a.TLS = info.tls
			a.Findings = append(a.Findings, info.findings...)
		}
		if f != nil {
			a.Failure = f
			return a
		}
		conn = tc
	}

	request := p.request
	if p.options {
		request = p.optionsRequest
	}
	req, err := request(t, conn.LocalAddr())
	if err != nil {
		return fail(probe.StageSend, probe.FailOther, err.Error())
	}
	a.Request = &req
	sent := p.o.Now()
	limit := p.limit(p.o.ResponseTimeout)
	conn.SetDeadline(sent.Add(limit))
	if _, err := conn.Write([]byte(req.String())); err != nil {
		return fail(probe.StageSend, kindOf(err), describe(err, limit))
	}
	resp, prov, f := readResponse(conn, req, limit)
	a.ResponseMS = p.o.Now().Sub(sent).Milliseconds()
	a.Provisional = prov
	a.Response = resp
	if f != nil {
		a.Failure = f
		return a
	}
	a.Outcome = probe.Answered
	return a
}

// addresses returns the addresses to try for t: discovery's, or the
// resolver's.
func (p *prober) addresses(ctx context.Context, t target) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, s := range t.addrs {
		if ip, err := netip.ParseAddr(s); err == nil {
			out = append(out, ip.Unmap())
		}
	}
	if len(out) == 0 {
		if ip, err := netip.ParseAddr(t.host); err == nil {
			return []netip.Addr{ip.Unmap()}, nil
		}
		var err error
		if out, err = p.resolve(ctx, t.host, p.limit(p.o.ConnectTimeout)); err != nil {
			return nil, err
		}
	}
	if len(out) > MaxAddresses {
		out = out[:MaxAddresses]
	}
	return out, nil
}

// documentationPrefixes are the address blocks reserved for
// documentation (RFC 5737, RFC 3849): the embedded demo zones and planned
// zones use them, and no server is there.
var documentationPrefixes = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("2001:db8::/32"),
}

// documentation says why addrs are not contacted when every one is a
// documentation address, "" otherwise.
func documentation(addrs []netip.Addr) string {
	for _, a := range addrs {
		if !slices.ContainsFunc(documentationPrefixes, func(p netip.Prefix) bool { return p.Contains(a) }) {
			return ""
		}
	}
	return fmt.Sprintf("its addresses (%s) are reserved for documentation (RFC 5737, RFC 3849), as in the demo and planned zones: there is no server to observe", joinAddrs(addrs))
}

func joinAddrs(addrs []netip.Addr) string {
	var out []string
	for _, a := range addrs {
		out = append(out, a.String())
	}
	return strings.Join(out, ", ")
}

// resolve asks Resolver (or the system) for host's A and AAAA records.
func (p *prober) resolve(ctx context.Context, host string, limit time.Duration) ([]netip.Addr, error) {
	rctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if p.o.Resolver == nil {
		ips, err := net.DefaultResolver.LookupNetIP(rctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("%s has no address: %v", host, err)
		}
		if len(ips) == 0 {
			return nil, fmt.Errorf("%s has no address", host)
		}
		return ips, nil
	}
	var out []netip.Addr
	var whys []string
	for _, typ := range []engine.Type{engine.TypeA, engine.TypeAAAA} {
		ans, err := p.o.Resolver.Resolve(rctx, engine.Question{Name: host, Type: typ})
		if err != nil {
			whys = append(whys, fmt.Sprintf("%s %s: %v", host, typ, err))
			continue
		}
		for _, r := range ans.Records {
			if r.Type == typ && r.Addr.IsValid() {
				out = append(out, r.Addr.Unmap())
			}
		}
		if ans.RCode != engine.RCodeSuccess {
			whys = append(whys, fmt.Sprintf("%s %s: %s", host, typ, ans.RCode))
		}
	}
	if len(out) == 0 {
		if len(whys) == 0 {
			return nil, fmt.Errorf("%s has no A or AAAA record", host)
		}
		return nil, fmt.Errorf("%s has no address (%s)", host, strings.Join(whys, "; "))
	}
	return out, nil
}

type tlsResult struct {
	tls      *probe.TLSInfo
	findings []engine.Finding
}

// handshake runs the TLS handshake as the client starts it: SNI the
// host discovery found (none for an IP address, RFC 6066 §3), every
// version from TLS 1.0 and every cipher suite Go implements, so that a
// server of the Office Communications Server 2007 era completes it and
// the findings can say what it chose. Verification is done afterwards,
// by package probe, so that a certificate the client would refuse is
// recorded instead of ending the handshake.
func (p *prober) handshake(ctx context.Context, conn net.Conn, t target) (*tls.Conn, *tlsResult, *probe.Failure) {
	cfg := clientTLS(t.host)
	tc := tls.Client(conn, cfg)
	limit := p.limit(p.o.HandshakeTimeout)
	hctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	start := p.o.Now()
	err := tc.HandshakeContext(hctx)
	ms := p.o.Now().Sub(start).Milliseconds()
	if err != nil {
		return nil, nil, handshakeFailure(err, limit)
	}
	st := tc.ConnectionState()
	info, fs := probe.NewTLS(probe.Handshake{
		ServerName:     cfg.ServerName,
		Version:        st.Version,
		CipherSuite:    tls.CipherSuiteName(st.CipherSuite),
		InsecureCipher: slices.ContainsFunc(tls.InsecureCipherSuites(), func(s *tls.CipherSuite) bool { return s.ID == st.CipherSuite }),
		HandshakeMS:    ms,
		Chain:          st.PeerCertificates,
	}, t.host, t.port, p.domain, p.roots, p.o.Now())
	return tc, &tlsResult{tls: info, findings: fs}, nil
}

// clientTLS is the TLS configuration the client's connection to host
// starts with: SNI host (none for an IP address, RFC 6066 §3), every
// version from TLS 1.0 and every cipher suite Go implements, the chain
// verified afterwards by package probe and recorded rather than refused.
func clientTLS(host string) *tls.Config {
	cfg := &tls.Config{
		ServerName:         host,
		InsecureSkipVerify: true, // verified by package probe, and recorded rather than refused
		MinVersion:         tls.VersionTLS10,
		CipherSuites:       allSuites(),
	}
	if _, err := netip.ParseAddr(host); err == nil {
		cfg.ServerName = ""
	}
	return cfg
}

// allSuites lists every TLS 1.0–1.2 cipher suite Go implements, the
// insecure ones last (TLS 1.3's are always offered).
func allSuites() []uint16 {
	var ids []uint16
	for _, s := range tls.CipherSuites() {
		ids = append(ids, s.ID)
	}
	for _, s := range tls.InsecureCipherSuites() {
		ids = append(ids, s.ID)
	}
	return ids
}

// request builds the REGISTER for t from the simulation's first message:
// the client's own REGISTER without credentials, with local as its Via
// and Contact address and fresh random identifiers. It refuses to return
// anything that could carry a credential.
func (p *prober) request(t target, local net.Addr) (engine.Message, error) {
	in := signin.Input{
		Client:      p.client.Name,
		Address:     p.uri,
		Credentials: signin.NoCredentials,
		Server:      signin.Server{FQDN: t.host, Port: int(t.port), Transport: strings.ToLower(string(t.transport))},
	}
	if ta, ok := local.(*net.TCPAddr); ok {
		if ap := ta.AddrPort(); ap.IsValid() {
			in.ClientAddress = netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port()).String()
		}
	}
	ex, err := signin.Simulate(in, signin.RandIDs(p.o.Rand))
	if err != nil {
		return engine.Message{}, fmt.Errorf("the REGISTER cannot be built for %s: %v", t.host, err)
	}
	if len(ex.Messages) == 0 {
		return engine.Message{}, fmt.Errorf("the simulation gave no REGISTER for %s", t.host)
	}
	m := ex.Messages[0]
	if err := checkNoSecret(m); err != nil {
		return engine.Message{}, err
	}
	m.Note = "The REGISTER sipdisco sent: the client's first REGISTER, without credentials."
	return m, nil
}

// checkNoSecret refuses a message that is not a REGISTER or an OPTIONS
// without credentials: no Authorization or Proxy-Authorization header,
// no security token, no body.
func checkNoSecret(m engine.Message) error {
	if !m.IsRequest() || !(strings.HasPrefix(m.StartLine, "REGISTER ") || strings.HasPrefix(m.StartLine, "OPTIONS ")) || m.Body != "" {
		return errors.New("prober: refusing to send anything but a REGISTER or an OPTIONS without a body")
	}
	for _, h := range m.Headers {
		n := strings.ToLower(h.Name)
		v := strings.ToLower(h.Value)
		if n == "authorization" || n == "proxy-authorization" || strings.Contains(v, "gssapi-data") || strings.Contains(v, "tlrmtvnt") {
			return fmt.Errorf("prober: refusing to send a REGISTER with a %s header that could carry a credential", h.Name)
		}
	}
	return nil
}

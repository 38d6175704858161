package engine

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Discover performs the discovery of cfg's profile for the sign-in address
// u and returns the report. The error is non-nil only for unusable input
// (no resolver, unknown profile, bad manual server) or a cancelled context;
// everything DNS says, including failures, is in the report.
//
// Every question of a round is sent at once (docs/spec.md §4.1): round
// one asks the profile's autodiscover and SRV names, round
// two the addresses of the hosts found (or of the fallback hosts), so a
// report costs about two round trips. The decision then replays the
// client's order.
func Discover(ctx context.Context, u URI, cfg Config) (*Report, error) {
	if cfg.Resolver == nil {
		return nil, errors.New("engine: Config.Resolver is nil")
	}
	if u.Domain == "" {
		return nil, errors.New("engine: empty sign-in address; parse it with ParseURI")
	}
	prof, err := LookupProfile(cfg.Profile)
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	pol, err := cfg.Policy.Normalize()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Limits.Timeout)
	defer cancel()

	if !pol.Manual() {
		return finished(ctx, discoverAuto(ctx, u, prof, pol, cfg))
	}
	// Manual servers: no DNS discovery; show what it would have done
	// beside them (docs/spec.md §4.7). Both run concurrently.
	auto := pol
	auto.ManualInternal, auto.ManualExternal = "", ""
	var rep, cmp *Report
	var wg sync.WaitGroup
	wg.Go(func() { cmp = discoverAuto(ctx, u, prof, auto, cfg) })
	rep = discoverManual(ctx, u, prof, pol, cfg)
	wg.Wait()
	rep.Discovery = cmp
	return finished(ctx, rep)
}

// finished returns rep, unless the caller cancelled ctx: a discovery that
// merely ran out of its own time budget is reported as indeterminate
// instead.
func finished(ctx context.Context, rep *Report) (*Report, error) {
	if errors.Is(context.Cause(ctx), context.Canceled) {
		return nil, context.Canceled
	}
	return rep, nil
}

// Normalize returns p with its manual servers and trusted domains checked
// and in canonical form (lower case; a "*." before a trusted domain
// dropped). Discover normalizes the policy it is given; a front end calls
// it to report a bad setting before any DNS question. The error is a
// *PolicyError naming the setting.
func (p Policy) Normalize() (Policy, error) {
	for _, m := range []struct {
		setting string
		value   *string
	}{{"manualInternal", &p.ManualInternal}, {"manualExternal", &p.ManualExternal}} {
		if *m.value == "" {
			continue
		}
		if _, _, err := ParseHostPort(*m.value, 0); err != nil {
			return p, &PolicyError{Setting: m.setting, Err: err}
		}
		*m.value = strings.ToLower(strings.TrimSpace(*m.value))
	}
	var trusted []string
	for _, t := range p.TrustedDomains {
		d, err := NormalizeDomain(strings.TrimPrefix(strings.TrimSpace(t), "*."))
		if err != nil {
			return p, &PolicyError{Setting: "trustedDomains", Err: fmt.Errorf("trusted domain %q: %v", t, err)}
		}
		trusted = append(trusted, d)
	}
	p.TrustedDomains = trusted
	return p, nil
}

// PolicyError is a policy setting that cannot be used. Setting is the
// Policy field's JSON name ("manualInternal").
type PolicyError struct {
	Setting string
	Err     error
}

// Error returns the reason, which names the value.
func (e *PolicyError) Error() string { return e.Err.Error() }

func (e *PolicyError) Unwrap() error { return e.Err }

// ParseHostPort parses a manual server setting "host[:port]" (an IPv6
// address in brackets when a port is given). A missing port is defPort.
func ParseHostPort(s string, defPort uint16) (host string, port uint16, err error) {
	s = strings.TrimSpace(s)
	bad := func(format string, args ...any) (string, uint16, error) {
		return "", 0, fmt.Errorf("bad server %q: %s", s, fmt.Sprintf(format, args...))
	}
	if s == "" {
		return bad("empty")
	}
	host, port = s, defPort
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return bad("missing ']'")
		}
		host = s[1:end]
		rest := s[end+1:]
		if rest != "" {
			p, ok := strings.CutPrefix(rest, ":")
			if !ok {
				return bad("unexpected %q after ']'", rest)
			}
			n, err := strconv.ParseUint(p, 10, 16)
			if err != nil || n == 0 {
				return bad("port %q is not a number from 1 to 65535", p)
			}
			port = uint16(n)
		}
		if a, err := netip.ParseAddr(host); err != nil || !a.Is6() {
			return bad("%q is not an IPv6 address", host)
		}
		return host, port, nil
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if strings.Count(s, ":") > 1 {
			if _, err := netip.ParseAddr(s); err == nil {
				return s, defPort, nil
			}
			return bad("put an IPv6 address in brackets: [2001:db8::1]:5061")
		}
		n, err := strconv.ParseUint(s[i+1:], 10, 16)
		if err != nil || n == 0 {
			return bad("port %q is not a number from 1 to 65535", s[i+1:])
		}
		host, port = s[:i], uint16(n)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.String(), port, nil
	}
	h, err := NormalizeDomain(host)
	if err != nil {
		return bad("%v", err)
	}
	return h, port, nil
}

// walk is the state of one discovery.
type walk struct {
	u    URI
	d    string
	prof *Profile
	pol  Policy
	cfg  Config
	ask  *asker
	rep  *Report
	// unresolvable marks, by candidate index, the candidates skipped
	// because their host has no address record.
	unresolvable map[int]bool
	// seen holds every question's result, for the view checks and so
	// that round two does not ask again what round one asked.
	seen map[Question]result
	// probe is the wildcard probe's name ("" when none was asked).
	probe string
	// addr holds round two's address lookups by host, for the fixes.
	addr map[string]addrs
	// refused are the SRV targets the naming policy refuses: round two
	// asks their addresses too (PurposeFixAddress), for the fixes that
	// publish them under a name the policy allows.
	refused []string
	// later are the fixes written once round two's addresses are known,
	// for findings made before it.
	later []func()
	// supplied are the address answers round one's SRV answers carried
	// in their additional sections (takeAdditional), by question, and
	// the SRV question each came from.
	supplied map[Question]result
	from     map[Question]string
}

func newWalk(u URI, prof *Profile, pol Policy, cfg Config) *walk {
	return &walk{
		u: u, d: u.Domain, prof: prof, pol: pol, cfg: cfg,
		ask:          &asker{cfg: cfg},
		unresolvable: map[int]bool{},
		seen:         map[Question]result{},
		supplied:     map[Question]result{},
		from:         map[Question]string{},
		rep: &Report{
			URI: u.String(), Domain: u.Domain, Profile: prof.Name, Policy: pol,
			Candidates: []Candidate{}, Steps: []Step{}, Findings: []Finding{},
			View: cfg.View,
		},
	}
}

// askRound asks qs in one round (see asker.askFor), remembers their
// results in seen, and returns them in the same order.
func (w *walk) askRound(ctx context.Context, qs []Question, purposes []string) []result {
	res := w.ask.askFor(ctx, qs, purposes)
	for _, r := range res {
		w.seen[r.q] = r
	}
	return res
}

func (w *walk) find(f Finding) { w.rep.Findings = append(w.rep.Findings, f) }

// addrQuestions returns the address questions for host: A, and AAAA when
// the profile uses IPv6.
func (w *walk) addrQuestions(host string) []Question {
	qs := []Question{{Name: host, Type: TypeA}}
	if w.prof.IPv6 {
		qs = append(qs, Question{Name: host, Type: TypeAAAA})
	}
	return qs
}

// addrs is the address lookup of one host, A and AAAA combined.
type addrs struct {
	status    status
	addresses []string
	why       string
	chain     []string
	// failure is the first failed lookup, when status is failed.
	failure result
}

// blocker returns the failed address lookup of host as a blocker.
func (a addrs) blocker(host string) blocker {
	b := lookupBlocker(host, a.failure.q.Type, a.failure)
	b.what = host + " (address lookup: " + a.why + ")"
	return b
}

// blocker is a failed lookup that hides what the client would do after it.
type blocker struct {
	// name is the name whose lookup failed, the finding's subject.
	name string
	// what names the lookup and why it failed, for the message:
	// "_sipinternaltls._tcp.contoso.com SRV (SERVFAIL)".
	what string
	// fix says how to make the lookup answer, from its cause.
	fix string
}

// lookupBlocker describes the failed lookup r of name (type t).
func lookupBlocker(name string, t Type, r result) blocker {
	return blocker{name: name, what: name + " " + t.String() + " (" + r.why + ")", fix: failureFix(name, r)}
}

// failureFix says how to make the failed lookup r of name answer, from
// why it failed: the resolver's own fix when it gives one (a proxy that
// wants credentials is not a DNS problem), the CNAME records for a loop
// or an overlong chain, the DNS servers for a failure they answered.
func failureFix(name string, r result) string {
	switch {
	case r.fix != "":
		return r.fix
	case r.cause == causeCNAMELoop:
		return fmt.Sprintf("Break the CNAME loop (%s): replace one of these aliases with an A record holding the server's address, then check again.", strings.Join(r.chain, ", "))
	case r.cause == causeCNAMEDepth:
		return fmt.Sprintf("Shorten the chain of CNAME aliases from %s: point it straight at the server's A record, then check again.", name)
	case r.cause == causeTimeout:
		return fmt.Sprintf("Check again; if %s times out again, check that the resolver this check used can reach the domain's authoritative DNS servers, and that they answer.", name)
	case r.cause == causeLimit:
		return "Check fewer names at once, or remove the records that make discovery ask so many questions (long CNAME chains, many SRV targets)."
	case r.cause == causeServer && strings.HasPrefix(r.why, "REFUSED"):
		return fmt.Sprintf("Use a resolver that answers for this domain: the DNS server this check asked refuses to answer for %s.", name)
	case r.cause == causeServer:
		return fmt.Sprintf("Make %s answer: check the domain's authoritative DNS servers (and its DNSSEC signatures, if the zone is signed), then check again.", name)
	}
	return fmt.Sprintf("Check the resolver this check used (the error is shown in the steps), then check again; the lookup of %s got no answer at all.", name)
}

// resolveHosts looks up the addresses of every host, and of every host
// in forFix (PurposeFixAddress), in one round; a question an earlier
// round asked is not asked again.
func (w *walk) resolveHosts(ctx context.Context, hosts, forFix []string) map[string]addrs {
	var qs, fresh []Question
	var purposes []string
	for i, h := range append(slices.Clone(hosts), forFix...) {
		if i >= len(hosts) && slices.Contains(hosts, h) {
			continue
		}
		for _, q := range w.addrQuestions(h) {
			if slices.Contains(qs, q) {
				continue
			}
			qs = append(qs, q)
			if r, ok := w.supplied[q]; ok {
				if _, asked := w.seen[q]; !asked {
					w.seen[q] = r
					w.ask.supplied(r, w.from[q])
				}
			}
			if _, ok := w.seen[q]; !ok {
				fresh = append(fresh, q)
				purposes = append(purposes, "")
				if i >= len(hosts) {
					purposes[len(purposes)-1] = PurposeFixAddress
				}
			}
		}
	}
	hosts = append(hosts, forFix...)
	w.askRound(ctx, fresh, purposes)
	var res []result
	for _, q := range qs {
		res = append(res, w.seen[q])
	}
	out := make(map[string]addrs, len(hosts))
	for _, h := range hosts {
		var a addrs
		a.status = absent
		var whys []string
		anyFailed := false
		for _, r := range res {
			if r.q.Name != h {
				continue
			}
			if len(r.chain) > len(a.chain) {
				a.chain = r.chain
			}
			switch r.status {
			case present:
				for _, rec := range r.records {
					a.addresses = append(a.addresses, rec.Addr.String())
				}
			case failed:
				if !anyFailed {
					a.failure = r
				}
				anyFailed = true
				whys = append(whys, r.q.Type.String()+" lookup failed: "+r.why)
			case absent:
				whys = append(whys, r.q.Type.String()+": "+r.why)
			}
		}
		switch {
		case len(a.addresses) > 0:
			a.status = present
		case anyFailed:
			a.status = failed
		}
		a.why = strings.Join(whys, "; ")
		out[h] = a
	}
	return out
}

// takeAdditional keeps the address records that the SRV answer r carried
// in its additional section and that can be believed, for round two to
// use instead of asking (docs/adr/0002-discovery-rounds.md): of type A
// or AAAA (class IN, as the resolvers pass on only those), named exactly
// as a target of r's SRV records, and in the sign-in domain's bailiwick
// (the domain or a name under it), so that a server cannot supply the
// addresses of names outside the zone it answers for (RFC 2181 §5.4.1
// ranks additional data below answers; bailiwick is the usual check).
// A question gets an answer here only with records; one type supplied
// does not say the other has none, so the other is still asked.
func (w *walk) takeAdditional(r result) {
	if r.status != present || r.q.Type != TypeSRV {
		return
	}
	from := r.q.String()
	for _, rec := range r.additional {
		if rec.Type == TypeA && !rec.Addr.Is4() || rec.Type == TypeAAAA && !rec.Addr.Is6() || rec.Type != TypeA && rec.Type != TypeAAAA {
			continue
		}
		if rec.Name != w.d && !strings.HasSuffix(rec.Name, "."+w.d) {
			continue
		}
		if !slices.ContainsFunc(r.records, func(s Record) bool { return s.Target == rec.Name }) {
			continue
		}
		q := Question{Name: rec.Name, Type: rec.Type}
		got, ok := w.supplied[q]
		if !ok {
			got = result{q: q, status: present, round: r.round, ms: r.ms}
			w.from[q] = from
		}
		if len(got.records) >= w.cfg.Limits.MaxRecords || slices.ContainsFunc(got.records, func(x Record) bool { return x.Addr == rec.Addr }) {
			continue
		}
		got.records = append(got.records, rec)
		w.supplied[q] = got
	}
}

// finish copies the steps into the report.
func (w *walk) finish() *Report {
	w.rep.Steps = w.ask.steps
	if w.rep.Steps == nil {
		w.rep.Steps = []Step{}
	}
	return w.rep
}

// discoverManual reports on manually configured servers: internal first,
// external second (Office Communicator Sign-in and Discovery:
// "Communicator always attempts to connect to the internal server if it is
// available, but it falls back to the external server"). Manual servers
// are trusted ("Servers specified manually in the Lync client are assumed
// trusted", Jens Trier Rasmussen); no naming policy applies.
func discoverManual(ctx context.Context, u URI, prof *Profile, pol Policy, cfg Config) *Report {
	w := newWalk(u, prof, pol, cfg)
	type manual struct {
		source string
		host   string
		port   uint16
	}
	var ms []manual
	var hosts []string
	for _, m := range []struct {
		source, value string
		port          uint16
	}{{SourceManualInternal, pol.ManualInternal, 5061}, {SourceManualExternal, pol.ManualExternal, 443}} {
		if m.value == "" {
			continue
		}
		h, p, _ := ParseHostPort(m.value, m.port) // validated by Policy.Normalize
		ms = append(ms, manual{m.source, h, p})
		if _, err := netip.ParseAddr(h); err != nil && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	res := w.resolveHosts(ctx, hosts, nil)
	blockers := map[int]blocker{}
	for _, m := range ms {
		c := Candidate{Host: m.host, Port: m.port, Transport: TLS, Source: m.source, Accepted: true,
			Reason: "configured manually; the naming policy does not apply to manual servers"}
		if a, err := netip.ParseAddr(m.host); err == nil {
			w.useAddresses(&c, addrs{status: present, addresses: []string{a.String()}})
		} else {
			r := res[m.host]
			switch r.status {
			case present:
				w.useAddresses(&c, r)
			case absent:
				c.Accepted = false
				c.Reason = fmt.Sprintf("configured manually, but %s does not resolve (%s)", m.host, r.why)
				w.find(Finding{Kind: KindManualUnresolvable, Severity: SeverityError, Subject: m.host,
					Message: fmt.Sprintf("The client cannot connect to the manually configured server %s: the name has no address record (%s).", m.host, r.why),
					Fix:     fmt.Sprintf("Publish an A record for %s, or correct the manual server setting.", m.host)})
			case failed:
				c.Accepted = false
				c.Reason = fmt.Sprintf("configured manually; the address lookup for %s failed (%s)", m.host, r.why)
				if len(blockers) == 0 {
					b := r.blocker(m.host)
					b.what = m.host + " (address lookup)"
					blockers[len(w.rep.Candidates)] = b
				}
			}
		}
		w.rep.Candidates = append(w.rep.Candidates, c)
	}
	w.decide(blockers)
	if w.rep.Outcome == OutcomeConnect {
		w.find(Finding{Kind: KindManualConfiguration, Severity: SeverityInfo, Subject: w.rep.Target.Host,
			Message: "The client is configured manually, so it does not use DNS discovery. What automatic discovery would find is shown for comparison.",
			Fix:     "Nothing to fix. To let clients configure themselves, publish the SRV records listed in the comparison."})
	}
	return w.finish()
}

// decide picks the target: the first accepted candidate with addresses, in
// client order, unless a failed lookup comes before it (blockers maps a
// candidate index to the lookup that failed just before that candidate).
func (w *walk) decide(blockers map[int]blocker) {
	var blocked *blocker
	for i, c := range w.rep.Candidates {
		if b, ok := blockers[i]; ok && blocked == nil {
			blocked = &b
		}
		if !c.Accepted || len(c.Addresses) == 0 {
			continue
		}
		if blocked != nil {
			w.rep.Outcome = OutcomeIndeterminate
			w.find(Finding{Kind: KindIndeterminate, Severity: SeverityError, Subject: blocked.name,
				Message: fmt.Sprintf("sipdisco cannot tell which server the client would use, because the lookup of %s failed, and the client would try it before %s. If it really does not exist, the client signs in to %s port %d (%s); if it does, the client may go elsewhere.", blocked.what, c.Host, c.Host, c.Port, c.Transport),
				Fix:     blocked.fix})
			return
		}
		w.rep.Outcome = OutcomeConnect
		w.rep.Target = &Target{Host: c.Host, Port: c.Port, Transport: c.Transport, Addresses: c.Addresses, Source: c.Source}
		w.unreachedAddresses(i)
		return
	}
	if b, ok := blockers[len(w.rep.Candidates)]; ok && blocked == nil {
		blocked = &b
	}
	if blocked != nil {
		w.rep.Outcome = OutcomeIndeterminate
		w.find(Finding{Kind: KindIndeterminate, Severity: SeverityError, Subject: blocked.name,
			Message: fmt.Sprintf("sipdisco cannot tell what the client would do, because the lookup of %s failed: a failed lookup is not the same as a record that does not exist.", blocked.what),
			Fix:     blocked.fix})
		return
	}
	w.rep.Outcome = OutcomeFail
}

// unreachedAddresses lowers to a warning the address-not-global findings
// of hosts the client reaches only after its target (at index target):
// the client connects before it would wait for them
// (docs/adr/0018-a-target-the-client-cannot-reach.md). The record is
// still wrong in the public DNS, so the finding stays.
func (w *walk) unreachedAddresses(target int) {
	before := map[string]bool{}
	for _, c := range w.rep.Candidates[:target+1] {
		before[c.Host] = true
	}
	for i, f := range w.rep.Findings {
		if f.Kind == KindAddressNotGlobal && f.Severity == SeverityError && !before[f.Subject] {
			w.rep.Findings[i].Severity = SeverityWarning
		}
	}
}

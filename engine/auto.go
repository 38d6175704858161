package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// discoverAuto performs automatic configuration: docs/spec.md §4.1–4.6
// and §4.8 for the profile, in two rounds of questions
// (round one the autodiscover and SRV names, round two the addresses of
// every host the client may use), then the client's order replayed.
func discoverAuto(ctx context.Context, u URI, prof *Profile, pol Policy, cfg Config) *Report {
	w := newWalk(u, prof, pol, cfg)
	r1 := w.roundOne(ctx)
	w.srvCandidates(r1)
	fallback := w.reachesHostRecords(r1)
	if fallback {
		w.fallbackCandidates(r1)
	}
	addr := w.resolveHosts(ctx, w.acceptedHosts(), w.refused)
	w.addr = addr
	blockers := w.judgeAddresses(addr, r1.failures)
	w.decide(blockers)
	for _, f := range w.later {
		f()
	}
	w.explain(r1, addr, fallback)
	w.checkViews()
	w.finishFixes()
	return w.finish()
}

// roundOne is what the first round of questions established.
type roundOne struct {
	// lookups are the SRV lookups asked, in asking order; srv their
	// results by service.
	lookups []SRVLookup
	srv     map[string]result
	// auto are the results of the autodiscover names' questions.
	auto []result
	// anyPresent: some SRV name asked has records; anyFailed: some SRV
	// lookup failed.
	anyPresent, anyFailed bool
	// failures are the failed SRV lookups, each with the index of the
	// candidate the client would try next.
	failures []failure
	// notAsked are the SRV names the policy keeps the client from asking.
	notAsked []string
}

// failure is a failed lookup at its place in the client's order.
type failure struct {
	before int // index of the next candidate
	lookup blocker
}

// roundOne asks every autodiscover and SRV name at once and reports the
// autodiscover names.
func (w *walk) roundOne(ctx context.Context) *roundOne {
	r1 := &roundOne{srv: map[string]result{}}
	var qs []Question
	for _, prefix := range w.prof.Autodiscover {
		qs = append(qs, w.addrQuestions(prefix+"."+w.d)...)
	}
	nAuto := len(qs)
	for _, l := range w.prof.SRV {
		if l.NeedsTCP && !w.pol.AllowTCP {
			name := l.Service + "." + w.d
			r1.notAsked = append(r1.notAsked, name)
			w.find(Finding{Kind: KindTCPNotAllowed, Severity: SeverityInfo, Subject: name,
				Message: fmt.Sprintf("The client does not look for %s, because its policy does not allow TCP; it connects over TLS only.", name),
				Fix:     "Nothing to fix; allow TCP only if the pool must accept unencrypted client connections."})
			continue
		}
		r1.lookups = append(r1.lookups, l)
		qs = append(qs, Question{Name: l.Service + "." + w.d, Type: TypeSRV})
	}
	// Under strict naming the client accepts only the domain and sip.D
	// (docs/spec.md §4.3), so the address round two would ask for the
	// usual one, sip.D, is known before any SRV answer: asked now, a
	// report needs one round when the SRV records name it. The domain's
	// own address waits for an SRV record naming it: serve's DoH filter
	// (resolve/upstream) passes an address question for a bare domain
	// only then, or it would answer any name's address
	// (docs/adr/0002-discovery-rounds.md). A client that goes on to the
	// host records after its SRV targets (ContinueUntilOneWorks) always
	// asks their addresses, so they too are known now.
	var early []string
	if w.pol.StrictNaming {
		early = append(early, "sip."+w.d)
	}
	if w.prof.Persistence == ContinueUntilOneWorks {
		for _, fb := range w.prof.Fallback {
			early = append(early, fb.Prefix+"."+w.d)
		}
	}
	extra, purposes := w.viewQuestions(qs)
	for _, h := range early {
		for _, q := range w.addrQuestions(h) {
			if !slices.Contains(qs, q) && !slices.Contains(extra, q) {
				qs = append(qs, q)
			}
		}
	}
	res := w.askRound(ctx, append(slices.Clone(qs), extra...), append(make([]string, len(qs)), purposes...))
	r1.auto = res[:nAuto]
	w.autodiscover(r1.auto)
	for i, l := range r1.lookups {
		r := res[nAuto+i]
		r1.srv[l.Service] = r
		w.takeAdditional(r)
		switch r.status {
		case present:
			r1.anyPresent = true
		case failed:
			r1.anyFailed = true
		}
	}
	return r1
}

// srvCandidates adds the candidates of the SRV records in the order the
// client tries them (docs/spec.md §4.2), each judged by its port and the
// naming policy (§4.3), and notes where a failed SRV lookup falls in that
// order.
func (w *walk) srvCandidates(r1 *roundOne) {
	for _, l := range w.prof.TryOrder() {
		r, asked := r1.srv[l.Service]
		if !asked {
			continue
		}
		name := l.Service + "." + w.d
		switch r.status {
		case failed:
			r1.failures = append(r1.failures, failure{len(w.rep.Candidates), lookupBlocker(name, TypeSRV, r)})
			continue
		case absent:
			continue
		}
		if r.truncated > 0 {
			w.find(Finding{Kind: KindTooManyRecords, Severity: SeverityWarning, Subject: name,
				Message: fmt.Sprintf("%s has more SRV records than sipdisco reads (%d), so %d were ignored.", name, w.cfg.Limits.MaxRecords, r.truncated),
				Fix:     "Publish one SRV record for the designated server or pool (or Access Edge); Microsoft: \"Create only one SRV record for the designated server or pool\" (DNS requirements for automatic client sign-in in Lync Server 2013)."})
		}
		if w.notOffered(name, l, r.records) {
			continue
		}
		for _, rec := range SortSRV(r.records, w.cfg.srvRand(name)) {
			if rec.Target != "." {
				w.srvCandidate(r1, name, l, rec)
			}
		}
	}
}

// srvCandidate adds the candidate of one SRV record.
func (w *walk) srvCandidate(r1 *roundOne, name string, l SRVLookup, rec Record) {
	c := Candidate{Host: rec.Target, Port: rec.Port, Transport: l.Transport, Source: name}
	if p, bad := CheckPort(rec.Port); bad {
		c.Reason = fmt.Sprintf("%s gives port 0, on which no server can listen (%s), so the client cannot use this record", name, p.Source)
		w.rep.Candidates = append(w.rep.Candidates, c)
		w.addressFinding(p, rec.Target, rec.Port, name, l.Service, false, nil)
		return
	}
	if l.Transport == TCP && !w.prof.ClientTCP {
		c.Reason = fmt.Sprintf("%s's servers take client connections only over TLS (TCP 5060 on a Lync Server or Skype for Business Server pool is for static routes to trusted services), so the client cannot sign in through %s", w.prof.Title, name)
		w.rep.Candidates = append(w.rep.Candidates, c)
		i := len(w.rep.Findings)
		w.find(Finding{Kind: KindPoolNoClientTCP, Severity: SeverityWarning, Subject: name,
			Message: fmt.Sprintf("%s names %s over TCP, but a Lync Server or Skype for Business Server pool takes client connections only over TLS on 5061; TCP 5060 is \"optionally used ... for static routes to trusted services\" (\"Port and protocol requirements for servers\"). %s cannot sign in through it and goes on to the next record.", name, rec.Target, w.prof.Title)})
		w.later = append(w.later, func() { w.rep.Findings[i].Fix, w.rep.Findings[i].Records = w.noClientTCPFix(r1, name) })
		return
	}
	v := judgeName(w.prof, w.pol, rec.Target, w.d, l.Transport)
	c.Accepted, c.Reason = v.Allowed, v.Reason
	w.rep.Candidates = append(w.rep.Candidates, c)
	// A name that is no host name (hostile DNS data) is not asked.
	if !v.Allowed && CheckHostName(rec.Target) == nil && !slices.Contains(w.refused, rec.Target) {
		w.refused = append(w.refused, rec.Target)
	}
	w.namingFinding(name, l, rec, v)
	w.strictReading(name, l, rec, v)
}

// noClientTCPFix is the fix of a _sipinternal._tcp record a Lync or Skype
// for Business client cannot use: delete it and, when no
// _sipinternaltls._tcp record exists, publish one for the pool on its TLS
// port 5061 ("Port and protocol requirements for servers": 5061 is the
// pool's client port).
func (w *walk) noClientTCPFix(r1 *roundOne, name string) (string, []FixRecord) {
	del := deleteRecord(name, TypeSRV, "", FixInternal)
	recs := []FixRecord{del}
	fix := "Delete " + del.String()
	if r, ok := r1.srv[srvInternalTLS.Service]; !ok || r.status == absent {
		tls := w.internalSRV()
		recs = append(recs, tls...)
		fix += fmt.Sprintf(", and publish the TLS record for the pool: %s.", inViews(tls))
	} else {
		fix += "."
	}
	return fix + " Keep the TCP record only while an Office Communications Server pool still serves Communicator clients over TCP through it.", recs
}

// strictReading notes, for a Lync or Skype for Business client without
// strict naming, a server it accepts by the deployment documents
// (gg425884: _sipinternaltls._tcp.D to the pool's own name) that the
// DisableStrictDNSNaming policy text's strict reading (only D or sip.D
// over TLS) would refuse (docs/adr/0016-lync-and-skype-naming.md).
func (w *walk) strictReading(name string, l SRVLookup, rec Record, v Verdict) {
	if w.prof.StrictPolicy != "DisableStrictDNSNaming" || w.pol.StrictNaming || l.Transport != TLS || v.Rule != "loose" {
		return
	}
	why := fmt.Sprintf("Under the strict reading of the DisableStrictDNSNaming policy text (only %s or sip.%s over TLS), %s would be refused; Microsoft's deployment documents (\"DNS requirements for automatic client sign-in\", gg425884) publish %s to the pool's own name, and deployments follow them, so %s accepts it.", w.d, w.d, rec.Target, name, w.prof.Title)
	w.find(Finding{Kind: KindStrictReading, Severity: SeverityInfo, Subject: rec.Target,
		Message: why,
		Fix:     fmt.Sprintf("Nothing to fix with the default settings. Where strict DNS matching is required by policy (check with --strict), point %s at sip.%s, make sip.%s resolve to the pool in internal DNS, and put sip.%s on the pool's certificate (\"Certificate requirements for internal servers\", gg398094).", name, w.d, w.d, w.d)})
}

// reachesHostRecords reports whether the client goes on to the host
// records (docs/spec.md §4.4): for a client that stops at the SRV records
// only when none of them exists at all (and none failed, which would hide
// one); for a client that continues until one works, always, after the
// SRV targets.
func (w *walk) reachesHostRecords(r1 *roundOne) bool {
	if w.prof.Persistence == ContinueUntilOneWorks {
		return true
	}
	return !r1.anyPresent && !r1.anyFailed
}

// acceptedHosts returns the hosts of the accepted candidates, each once,
// in candidate order: the names round two asks the addresses of.
func (w *walk) acceptedHosts() []string {
	var hosts []string
	for _, c := range w.rep.Candidates {
		if c.Accepted && !slices.Contains(hosts, c.Host) {
			hosts = append(hosts, c.Host)
		}
	}
	return hosts
}

// judgeAddresses applies the address lookups (docs/spec.md §4.6) to the
// accepted candidates: a host without an address, or with none a client
// can connect to, is skipped. It returns, by candidate index, the failed
// lookup the client meets just before that candidate: an SRV lookup
// blocks the candidates from its name on, an address lookup those after
// its host.
func (w *walk) judgeAddresses(addr map[string]addrs, failures []failure) map[int]blocker {
	found := map[int]pending{}
	for _, f := range failures {
		if _, ok := found[f.before]; !ok {
			found[f.before] = pending{b: f.lookup}
		}
	}
	for i := range w.rep.Candidates {
		c := &w.rep.Candidates[i]
		if !c.Accepted {
			continue
		}
		a := addr[c.Host]
		switch a.status {
		case present:
			w.useAddresses(c, a)
		case absent:
			c.Accepted = false
			w.unresolvable[i] = true
			if c.Source == SourceFallback {
				c.Reason = fmt.Sprintf("fallback host %s does not resolve (%s)", c.Host, a.why)
			} else {
				c.Reason = fmt.Sprintf("%s, but it does not resolve (%s), so the client skips it", c.Reason, a.why)
			}
		case failed:
			c.Accepted = false
			c.Reason = fmt.Sprintf("the address lookup for %s failed (%s)", c.Host, a.why)
			if _, ok := found[i]; !ok {
				found[i] = pending{b: a.blocker(c.Host), address: true}
			}
		}
	}
	return shiftBlockers(found)
}

// pending is a failed lookup found at a candidate index.
type pending struct {
	b       blocker
	address bool // the address lookup of the candidate at the key
}

// shiftBlockers places each failed lookup before the candidate it
// blocks: a failed address lookup blocks only the candidates after its
// own. Keys are visited in order so that, where two failures land on the
// same candidate, the one the client meets first is named.
func shiftBlockers(found map[int]pending) map[int]blocker {
	shifted := map[int]blocker{}
	last := -1
	for i := range found {
		last = max(last, i)
	}
	// The keys are candidate indices: visited in order by counting
	// rather than sorting (no sort's code in the page's first module).
	for i := 0; i <= last; i++ {
		p, ok := found[i]
		if !ok {
			continue
		}
		at := i
		if p.address {
			at = i + 1
		}
		if _, ok := shifted[at]; !ok {
			shifted[at] = p.b
		}
	}
	return shifted
}

// useAddresses gives c the addresses of a a client can connect to, and
// refuses c, with a finding, when there is none (docs/spec.md §4.6;
// CheckAddr, and CheckReach for the view: in the outside view a private
// address is not usable). Addresses that reach the wrong computer
// (loopback) stay usable, with a warning, and the headline says where the
// client connects (docs/adr/0018-a-target-the-client-cannot-reach.md).
func (w *walk) useAddresses(c *Candidate, a addrs) {
	usable, problems := splitAddresses(a.addresses, w.cfg.View)
	for _, p := range problems {
		w.addressFinding(p, c.Host, c.Port, c.Source, "", len(usable) > 0, goodAddresses(a.addresses, w.cfg.View))
	}
	if len(usable) == 0 {
		c.Accepted = false
		c.Reason = fmt.Sprintf("%s resolves only to addresses no client can connect to (%s)", c.Host, strings.Join(a.addresses, ", "))
		if allOf(problems, ProblemNotGlobal) {
			c.Reason = fmt.Sprintf("%s resolves only to addresses a client outside the network cannot reach (%s)", c.Host, strings.Join(a.addresses, ", "))
		}
		return
	}
	c.Addresses = usable
	if len(a.chain) > 0 && fromSRV(c.Source) {
		w.aliasFinding(c, a.chain, usable)
	}
}

// allOf reports whether every problem in ps is of one of the kinds.
func allOf(ps []AddressProblem, kinds ...AddressProblemKind) bool {
	for _, p := range ps {
		if !slices.Contains(kinds, p.Kind) {
			return false
		}
	}
	return len(ps) > 0
}

// fromSRV reports whether a candidate's source is an SRV name, not the
// host-record fallback or a manual setting.
func fromSRV(source string) bool {
	return source != SourceFallback && source != SourceManualInternal && source != SourceManualExternal
}

// aliasFinding reports that the SRV target c.Host is an alias (chain is
// the CNAME chain its address lookup followed). RFC 2782 says an SRV
// target "MUST NOT be an alias"; Lync Server 2013's DNS requirements
// (TechNet gg398758) want it to be a host record in the SRV record's own
// domain. The client follows the alias (the Windows DNS client does), so
// this does not change the outcome. The fix keeps the name the client
// connects to, and so the certificate name it checks, and replaces the
// alias with the addresses it leads to today.
func (w *walk) aliasFinding(c *Candidate, chain []string, addrs []string) {
	for _, f := range w.rep.Findings {
		if f.Kind == KindSRVTargetAlias && f.Subject == c.Host {
			return
		}
	}
	del := deleteRecord(c.Host, TypeCNAME, "", w.thisView())
	var recs []FixRecord
	for _, s := range addrs {
		recs = append(recs, publishAddr(c.Host, s, w.thisView(), ""))
	}
	fix := fmt.Sprintf("Replace the CNAME record of %s (delete %s) with the server's own address records, keeping the name (the server's certificate must still carry it): %s. Keep them in step with the server's addresses.", c.Host, del, recordList(recs))
	if !w.prof.IPv6 {
		// This client asks no AAAA records, so the check cannot list
		// them; clients that use IPv6 need them kept.
		fix += " If the server also has IPv6 addresses, publish its AAAA records with them."
	}
	w.find(Finding{Kind: KindSRVTargetAlias, Severity: SeverityWarning, Subject: c.Host,
		Message: fmt.Sprintf("%s, the target of %s, is an alias (%s). The client follows it and connects, but an SRV record must point at a name with its own address records (RFC 2782), and some DNS servers and clients do not follow an alias there.", c.Host, c.Source, strings.Join(chain, ", ")),
		Fix:     fix, Records: append([]FixRecord{del}, recs...)})
}

// notOffered handles RFC 2782's "decidedly not available" target: a single
// SRV record whose target is ".". It reports whether name is such a record.
func (w *walk) notOffered(name string, l SRVLookup, records []Record) bool {
	dots := 0
	for _, r := range records {
		if r.Target == "." {
			dots++
		}
	}
	switch {
	case dots == 0:
		return false
	case len(records) == 1:
		then := "The record exists, so it still rules out the A-record fallback."
		if w.prof.Persistence == ContinueUntilOneWorks {
			then = fmt.Sprintf("%s moves on to the next record.", w.prof.Title)
		}
		i := len(w.rep.Findings)
		w.find(Finding{Kind: KindSRVNotOffered, Severity: SeverityInfo, Subject: name,
			Message: fmt.Sprintf("%s says the service is not offered: its single record has the target \".\" (RFC 2782: \"decidedly not available\"). %s", name, then),
			Fix:     "Nothing to fix: the record says the pool takes no unencrypted TCP connections, and clients use TLS."})
		if l.Transport != TCP {
			w.later = append(w.later, func() {
				recs := w.srvRecords(name)
				w.rep.Findings[i].Fix = fmt.Sprintf("If the service should be offered, replace the record with one naming the server: %s.", inViews(recs))
				w.rep.Findings[i].Records = recs
			})
		}
		return true
	default:
		var recs []FixRecord
		for _, r := range records {
			if r.Target == "." {
				recs = append(recs, deleteRecord(name, TypeSRV, r.Data(), w.thisView()))
			}
		}
		w.find(Finding{Kind: KindSRVDotMixed, Severity: SeverityWarning, Subject: name,
			Message: fmt.Sprintf("%s mixes a \".\" target with real targets; \".\" means something only as the single record (RFC 2782), so it is ignored.", name),
			Fix:     fmt.Sprintf("Delete the SRV record with target \".\": %s.", recordList(recs)), Records: recs})
		return false
	}
}

// namingFinding explains a refused or prompting SRV target.
func (w *walk) namingFinding(name string, l SRVLookup, rec Record, v Verdict) {
	switch {
	case !v.Allowed:
		i := len(w.rep.Findings)
		w.find(Finding{Kind: KindNamingRefused, Severity: SeverityError, Subject: rec.Target,
			Message: fmt.Sprintf("The client will not use %s, the server %s names, because the name does not fit the sign-in domain %s: %s.", rec.Target, name, w.d, v.Reason)})
		w.later = append(w.later, func() {
			recs := w.srvRecords(name)
			rule := fmt.Sprintf("a name under %s", w.d)
			if w.prof.StrictApplies(w.pol, l.Transport) {
				rule = fmt.Sprintf("%s or sip.%s", w.d, w.d)
			}
			w.rep.Findings[i].Fix = fmt.Sprintf("Point %s at %s, with that name resolving to the server and on its certificate: %s.", name, rule, inViews(recs))
			w.rep.Findings[i].Records = recs
		})
	case v.Prompt:
		fix := fmt.Sprintf("Point %s at a name under %s. If %s is your own server in another domain of yours, add that domain to the TrustModelData policy; setting the policy replaces its default list (lync.com, outlook.com, lync.glbdns.microsoft.com, microsoftonline.com in the Skype for Business 2016 policy text), so keep those in it.", name, w.d, rec.Target)
		if lookAlike(rec.Target, w.d) {
			fix = fmt.Sprintf("Do not trust %s: its name imitates %s but belongs to another domain, which is how a DNS attack would look. Find out who changed %s, and point it at a name under %s.", rec.Target, w.d, name, w.d)
		}
		w.find(Finding{Kind: KindTrustPrompt, Severity: SeverityWarning, Subject: rec.Target,
			Message: fmt.Sprintf("Users will be asked whether to trust %s: the server %s names is outside %s, so %s cannot verify it is trusted for the sign-in address.", rec.Target, name, w.d, w.prof.Title),
			Fix:     fix})
	}
}

// lookAlike reports whether host imitates domain: it contains the domain's
// labels, or ends with its letters, without being under it.
func lookAlike(host, domain string) bool {
	return strings.HasPrefix(host, domain+".") || strings.Contains(host, "."+domain+".") || strings.HasSuffix(host, domain)
}

// fallbackCandidates adds the host-record fallback (docs/spec.md §4.5):
// each host with TLS on its ports and, when allowed and the host takes
// it, TCP on 5060, in profile order. The hosts are built by the client
// from the sign-in domain, so the naming policy is not applied to them
// (docs/spec.md §6.6).
func (w *walk) fallbackCandidates(r1 *roundOne) {
	why := "fallback host built from the sign-in domain (no SRV record exists)"
	if w.prof.Persistence == ContinueUntilOneWorks {
		why = "host record built from the sign-in domain, tried after the SRV records"
		if !r1.anyPresent && !r1.anyFailed {
			why = "fallback host built from the sign-in domain (no SRV record exists)"
		}
	}
	for _, fb := range w.prof.Fallback {
		host := fb.Prefix + "." + w.d
		for _, p := range fb.Ports {
			w.rep.Candidates = append(w.rep.Candidates, Candidate{Host: host, Port: p, Transport: TLS, Source: SourceFallback, Accepted: true,
				Reason: why})
		}
		if w.pol.AllowTCP && !fb.TLSOnly && w.prof.ClientTCP {
			w.rep.Candidates = append(w.rep.Candidates, Candidate{Host: host, Port: TCP.DefaultPort(), Transport: TCP, Source: SourceFallback, Accepted: true,
				Reason: why + ", TCP allowed by policy"})
		}
	}
}

// autodiscover reports the Lync autodiscover names (DNS only).
func (w *walk) autodiscover(res []result) {
	for _, name := range resultNames(res) {
		st, why, r := combined(res, name)
		switch st {
		case present:
			wild := ""
			if w.wildcardLike(name) {
				wild = fmt.Sprintf(" Its address is that of %s, a random name that should not exist, so it may resolve only through a wildcard record (RFC 4592), and the web service be whatever the wildcard points at.", w.probe)
			}
			w.find(Finding{Kind: KindAutodiscoverFound, Severity: SeverityInfo, Subject: name,
				Message: fmt.Sprintf("%s first asks the Autodiscover web service at %s for the user's home pool, because that name resolves (\"Understanding Autodiscover in Lync Server 2013\"). Predicted, not observed: the web service normally names the same home pool as the SRV records, so the server below, which the SRV and host records give, is the likely result, and the one the client uses if the web service does not answer. Run %s to observe what it answers.%s", w.prof.Title, name, w.observeCommand(), wild),
				Fix:     fmt.Sprintf("Nothing to fix in DNS; the certificate of the web service must carry %s.", name)})
		case absent:
			w.find(Finding{Kind: KindAutodiscoverMissing, Severity: SeverityInfo, Subject: name,
				Message: fmt.Sprintf("%s does not exist, so %s moves on to the next record.", name, w.prof.Title),
				Fix:     autodiscoverFix(name, w.d)})
		case failed:
			w.find(Finding{Kind: KindLookupFailed, Severity: SeverityWarning, Subject: name,
				Message: fmt.Sprintf("The DNS lookup of %s failed (%s); %s goes on past it to the next record.", name, why, w.prof.Title),
				Fix:     lookupBlocker(name, TypeA, r).fix})
		}
	}
}

// autodiscoverFix says where name is published: lyncdiscoverinternal only
// in internal DNS, lyncdiscover only in external DNS ("Determine DNS
// requirements for Lync Server 2013": "LyncDiscover must be defined on an
// external DNS server and LyncDiscoverInternal must be defined on an
// internal DNS server").
func autodiscoverFix(name, d string) string {
	if strings.HasPrefix(name, "lyncdiscoverinternal.") {
		return fmt.Sprintf("In internal DNS only, publish %s as an A record (or CNAME) for the internal web services of the pool; never in public DNS.", name)
	}
	return fmt.Sprintf("In external (public) DNS only, publish %s as an A record (or CNAME) for the reverse proxy that publishes the external web services.", name)
}

// resultNames returns the question names of res, each once, in order.
func resultNames(res []result) []string {
	var names []string
	for _, r := range res {
		if !slices.Contains(names, r.q.Name) {
			names = append(names, r.q.Name)
		}
	}
	return names
}

// combined merges the A and AAAA results for name: present if either has
// records, else failed if either failed, else absent. It returns the
// reasons of the failures and the first failed result.
func combined(res []result, name string) (status, string, result) {
	st := absent
	var why []string
	var first result
	for _, x := range res {
		if x.q.Name != name {
			continue
		}
		switch x.status {
		case present:
			st = present
		case failed:
			if st != present {
				st = failed
			}
			if len(why) == 0 {
				first = x
			}
			why = append(why, x.why)
		}
	}
	return st, strings.Join(why, "; "), first
}

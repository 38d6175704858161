package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// discoverAuto performs automatic configuration: SPEC "Discovery
// behaviour" rules 1–6 and 8 for the profile.
func discoverAuto(ctx context.Context, u URI, prof *Profile, pol Policy, cfg Config) *Report {
	w := newWalk(u, prof, pol, cfg)

	// Round one: autodiscover names and every SRV name, all at once.
	var qs []Question
	for _, prefix := range prof.Autodiscover {
		qs = append(qs, w.addrQuestions(prefix+"."+w.d)...)
	}
	nAuto := len(qs)
	var lookups []SRVLookup
	for _, l := range prof.SRV {
		if l.NeedsTCP && !pol.AllowTCP {
			w.find(Finding{Kind: KindTCPNotAllowed, Severity: SeverityInfo, Subject: l.Service + "." + w.d,
				Message: fmt.Sprintf("TCP is not allowed by policy, so the client does not ask for %s.%s at all and connects only over TLS.", l.Service, w.d),
				Fix:     "Nothing to fix; allow TCP only if the pool must accept unencrypted client connections."})
			continue
		}
		lookups = append(lookups, l)
		qs = append(qs, Question{Name: l.Service + "." + w.d, Type: TypeSRV})
	}
	res := w.ask.ask(ctx, qs)
	w.autodiscover(res[:nAuto])
	srv := map[string]result{}
	for i, l := range lookups {
		srv[l.Service] = res[nAuto+i]
	}

	// Which SRV names exist? (rule 4)
	var anyPresent, anyFailed bool
	for _, r := range srv {
		switch r.status {
		case present:
			anyPresent = true
		case failed:
			anyFailed = true
		}
	}

	// Candidates from SRV records, in the order the client tries them
	// (rule 2), each judged by the naming policy (rule 3).
	type failure struct {
		before int // index of the next candidate
		what   string
	}
	var failures []failure
	for _, l := range prof.TryOrder() {
		r, asked := srv[l.Service]
		if !asked {
			continue
		}
		name := l.Service + "." + w.d
		switch r.status {
		case failed:
			failures = append(failures, failure{len(w.rep.Candidates), name + " SRV (" + r.why + ")"})
			continue
		case absent:
			continue
		}
		if r.truncated > 0 {
			w.find(Finding{Kind: KindTooManyRecords, Severity: SeverityWarning, Subject: name,
				Message: fmt.Sprintf("%s has more SRV records than sipdisco considers (%d); %d were ignored.", name, w.cfg.Limits.MaxRecords, r.truncated),
				Fix:     "Publish one SRV record per pool or Edge server; a handful is plenty."})
		}
		records := r.records
		if dot := w.notOffered(name, records); dot {
			continue
		}
		for _, rec := range SortSRV(records, w.cfg.Rand) {
			if rec.Target == "." {
				continue
			}
			v := CheckName(rec.Target, w.d, pol.StrictNaming, prof.Naming, pol.TrustedDomains)
			c := Candidate{Host: rec.Target, Port: rec.Port, Transport: l.Transport, Source: name,
				Accepted: v.Allowed, Reason: v.Reason}
			w.rep.Candidates = append(w.rep.Candidates, c)
			w.namingFinding(name, rec, v)
		}
	}

	fallback := !anyPresent && !anyFailed
	if fallback {
		w.fallbackCandidates()
	}

	// Round two: the addresses of every host the client might use
	// (rule 6), all at once.
	var hosts []string
	for _, c := range w.rep.Candidates {
		if c.Accepted && !slices.Contains(hosts, c.Host) {
			hosts = append(hosts, c.Host)
		}
	}
	addr := w.resolveHosts(ctx, hosts)
	// A failed lookup blocks the candidates the client would try after
	// it: an SRV lookup those from its name on, an address lookup those
	// after its host.
	type blocker struct {
		what    string
		address bool // the address lookup of the candidate at the key
	}
	blockers := map[int]blocker{}
	for _, f := range failures {
		if _, ok := blockers[f.before]; !ok {
			blockers[f.before] = blocker{what: f.what}
		}
	}
	unresolvable := map[int]bool{}
	for i := range w.rep.Candidates {
		c := &w.rep.Candidates[i]
		if !c.Accepted {
			continue
		}
		a := addr[c.Host]
		switch a.status {
		case present:
			c.Addresses = a.addresses
		case absent:
			c.Accepted = false
			unresolvable[i] = true
			if c.Source == SourceFallback {
				c.Reason = fmt.Sprintf("fallback host %s does not resolve (%s)", c.Host, a.why)
			} else {
				c.Reason = fmt.Sprintf("%s, but it does not resolve (%s), so the client skips it", c.Reason, a.why)
			}
		case failed:
			c.Accepted = false
			c.Reason = fmt.Sprintf("the address lookup for %s failed (%s)", c.Host, a.why)
			if _, ok := blockers[i]; !ok {
				blockers[i] = blocker{what: c.Host + " (address lookup: " + a.why + ")", address: true}
			}
		}
	}
	// A failed address lookup blocks only the candidates after it. Keys
	// are visited in order so that, where two failures land on the same
	// candidate, the one the client meets first is named.
	shifted := map[int]string{}
	for _, i := range slices.Sorted(maps.Keys(blockers)) {
		b, at := blockers[i], i
		if b.address {
			at = i + 1
		}
		if _, ok := shifted[at]; !ok {
			shifted[at] = b.what
		}
	}
	w.decide(shifted)
	w.explain(srv, lookups, addr, unresolvable, fallback, anyPresent)
	return w.finish()
}

// notOffered handles RFC 2782's "decidedly not available" target: a single
// SRV record whose target is ".". It reports whether name is such a record.
func (w *walk) notOffered(name string, records []Record) bool {
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
		w.find(Finding{Kind: KindSRVNotOffered, Severity: SeverityInfo, Subject: name,
			Message: fmt.Sprintf("%s has the single target \".\": the domain says this service is decidedly not offered (RFC 2782). The record exists, so it still rules out the A-record fallback.", name),
			Fix:     fmt.Sprintf("If the service should be offered, replace the record with one naming the server, e.g. %s", exampleSRV(name, w.d))})
		return true
	default:
		w.find(Finding{Kind: KindSRVDotMixed, Severity: SeverityWarning, Subject: name,
			Message: fmt.Sprintf("%s mixes a \".\" target with real targets; \".\" is meaningful only as the single record (RFC 2782), so it is ignored.", name),
			Fix:     fmt.Sprintf("Delete the SRV record with target \".\" at %s.", name)})
		return false
	}
}

// exampleSRV returns the SRV record sipdisco suggests publishing at name.
func exampleSRV(name, d string) string {
	port := 5061
	if strings.HasPrefix(name, "_sip._tls.") {
		port = 443
	}
	return fmt.Sprintf("%s. 3600 IN SRV 0 0 %d sip.%s.", name, port, d)
}

// namingFinding explains a refused or prompting SRV target.
func (w *walk) namingFinding(name string, rec Record, v Verdict) {
	switch {
	case !v.Allowed:
		fix := fmt.Sprintf("Point %s at a server named %s or sip.%s and put that name on its certificate: %s", name, w.d, w.d, exampleSRV(name, w.d))
		if !w.pol.StrictNaming {
			fix = fmt.Sprintf("Point %s at a server whose name is under %s (sip.%s is the usual choice) and put that name on its certificate: %s", name, w.d, w.d, exampleSRV(name, w.d))
		}
		w.find(Finding{Kind: KindNamingRefused, Severity: SeverityError, Subject: rec.Target,
			Message: fmt.Sprintf("The client refuses %s from %s: %s.", rec.Target, name, v.Reason), Fix: fix})
	case v.Prompt:
		w.find(Finding{Kind: KindTrustPrompt, Severity: SeverityWarning, Subject: rec.Target,
			Message: fmt.Sprintf("%s from %s is outside %s, so %s asks the user whether to trust it.", rec.Target, name, w.d, w.prof.Title),
			Fix:     fmt.Sprintf("Point %s at a name under %s, or add %s's domain to the TrustModelData policy.", name, w.d, rec.Target)})
	}
}

// fallbackCandidates adds the A-record fallback hosts (rule 5): each host
// with TLS on its ports and, when allowed, TCP on 5060, in profile order.
// The hosts are built by the client from the sign-in domain, so the
// naming policy is not applied to them.
func (w *walk) fallbackCandidates() {
	for _, fb := range w.prof.Fallback {
		host := fb.Prefix + "." + w.d
		for _, p := range fb.Ports {
			w.rep.Candidates = append(w.rep.Candidates, Candidate{Host: host, Port: p, Transport: TLS, Source: SourceFallback, Accepted: true,
				Reason: "fallback host built from the sign-in domain (no SRV record exists)"})
		}
		if w.pol.AllowTCP {
			w.rep.Candidates = append(w.rep.Candidates, Candidate{Host: host, Port: TCP.DefaultPort(), Transport: TCP, Source: SourceFallback, Accepted: true,
				Reason: "fallback host built from the sign-in domain (no SRV record exists), TCP allowed by policy"})
		}
	}
}

// autodiscover reports the Lync autodiscover names (DNS only).
func (w *walk) autodiscover(res []result) {
	seen := map[string]bool{}
	for _, r := range res {
		if seen[r.q.Name] {
			continue
		}
		seen[r.q.Name] = true
		var st status = absent
		var why []string
		for _, x := range res {
			if x.q.Name != r.q.Name {
				continue
			}
			switch x.status {
			case present:
				st = present
			case failed:
				if st != present {
					st = failed
				}
				why = append(why, x.why)
			}
		}
		switch st {
		case present:
			w.find(Finding{Kind: KindAutodiscoverFound, Severity: SeverityInfo, Subject: r.q.Name,
				Message: fmt.Sprintf("%s resolves, so %s asks the autodiscover web service at https://%s/ for its sign-in server first. sipdisco checks only the DNS name; the server below is what SRV discovery gives, which the client uses if autodiscover does not answer.", r.q.Name, w.prof.Title, r.q.Name),
				Fix:     fmt.Sprintf("Nothing to fix in DNS; the certificate of the web service must carry %s.", r.q.Name)})
		case absent:
			w.find(Finding{Kind: KindAutodiscoverMissing, Severity: SeverityInfo, Subject: r.q.Name,
				Message: fmt.Sprintf("%s does not exist; %s moves on to the next record.", r.q.Name, w.prof.Title),
				Fix:     fmt.Sprintf("Publish %s as a CNAME to the pool's web services (internal) or reverse proxy (external) for Lync 2013 and mobile clients.", r.q.Name)})
		case failed:
			w.find(Finding{Kind: KindLookupFailed, Severity: SeverityWarning, Subject: r.q.Name,
				Message: fmt.Sprintf("The lookup of %s failed (%s); %s continues past it.", r.q.Name, strings.Join(why, "; "), w.prof.Title),
				Fix:     fmt.Sprintf("Make %s answer, or remove it.", r.q.Name)})
		}
	}
}

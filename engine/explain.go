package engine

import (
	"fmt"
	"strings"
)

// explain adds the findings that summarize a discovery: what the outcome
// means and what to publish or change. Each message opens with a sentence
// a help desk can act on; the detail follows.
func (w *walk) explain(r1 *roundOne, addr map[string]addrs, fallback bool) {
	w.explainUnresolvable(addr)
	w.explainFailedLookups(r1)
	switch w.rep.Outcome {
	case OutcomeConnect:
		w.explainConnect(r1)
	case OutcomeFail:
		w.explainFail(r1, fallback)
	}
	w.explainCoverage(r1)
}

// explainUnresolvable reports every SRV target skipped for want of an
// address record.
func (w *walk) explainUnresolvable(addr map[string]addrs) {
	for i, c := range w.rep.Candidates {
		if c.Source == SourceFallback || !w.unresolvable[i] {
			continue
		}
		sev := SeverityWarning
		if w.rep.Outcome != OutcomeConnect {
			sev = SeverityError
		}
		role, view := w.sourceRole(c.Source, c.Host)
		recs := []FixRecord{supplyAddr(c.Host, view, role)}
		w.find(Finding{Kind: KindTargetUnresolvable, Severity: sev, Subject: c.Host,
			Message: fmt.Sprintf("The client cannot use %s (from %s): the name has no address record (%s), so the client tries the next server.", c.Host, c.Source, addr[c.Host].why),
			Fix:     fmt.Sprintf("Publish an A record for %s pointing at the server: %s.", c.Host, inViews(recs)), Records: recs})
	}
}

// explainFailedLookups reports the SRV lookups that failed without
// changing a connect result.
func (w *walk) explainFailedLookups(r1 *roundOne) {
	if w.rep.Outcome != OutcomeConnect {
		return
	}
	for _, l := range r1.lookups {
		r := r1.srv[l.Service]
		if r.status != failed {
			continue
		}
		w.find(Finding{Kind: KindLookupFailed, Severity: SeverityWarning, Subject: r.q.Name,
			Message: fmt.Sprintf("The DNS lookup of %s SRV failed (%s), but it did not change the result: the client tries it after the server it signs in to. Clients that need it may fail.", r.q.Name, r.why),
			Fix:     failureFix(r.q.Name, r)})
	}
}

// noSRV says that no SRV record exists, naming the ones the policy kept
// the client from asking: those may exist.
func (w *walk) noSRV(r1 *roundOne) string {
	if len(r1.notAsked) > 0 {
		return fmt.Sprintf("none of the SRV records the client asks for exists for %s (TCP is not allowed, so it does not ask for %s)", w.d, strings.Join(r1.notAsked, ", "))
	}
	return fmt.Sprintf("no SRV record exists for %s", w.d)
}

// explainConnect explains the target: its certificate, its transport and
// how it was found.
func (w *walk) explainConnect(r1 *roundOne) {
	d, t := w.d, w.rep.Target
	if t.Transport == TLS {
		fix := fmt.Sprintf("Check that the certificate on %s lists %s as a subject alternative name.", t.Host, t.Host)
		if t.Host != "sip."+d && t.Source != SourceFallback {
			fix += fmt.Sprintf(" If clients with strict naming also sign in to this server as sip.%s, the certificate needs sip.%s too (\"Certificate requirements for internal servers\", Lync Server 2013).", d, d)
		}
		w.find(Finding{Kind: KindCertificateName, Severity: SeverityInfo, Subject: t.Host,
			Message: fmt.Sprintf("The client signs in to %s port %d over TLS. The server's certificate must carry %s as a subject alternative name (DNS name), or the client refuses the connection; its subject is read only when the certificate has no DNS subject alternative name at all (RFC 2818 §3.1, RFC 6125 §6.4.4).", t.Host, t.Port, t.Host),
			Fix:     fix})
	}
	w.randomOrder(r1)
	if t.Transport == TCP {
		recs := w.viewSRV()
		w.find(Finding{Kind: KindTCPTarget, Severity: SeverityWarning, Subject: t.Host,
			Message: fmt.Sprintf("The client signs in over TCP, so its sign-in traffic to %s is not encrypted, and clients whose policy does not allow TCP fail.", t.Host),
			Fix:     fmt.Sprintf("Publish %s, so that clients use TLS.", inViews(recs)), Records: recs})
	}
	if t.Source != SourceFallback {
		return
	}
	if r1.anyPresent {
		recs := w.viewSRV()
		w.find(Finding{Kind: KindContinuedPastSRV, Severity: SeverityWarning, Subject: d,
			Message: fmt.Sprintf("%s reaches a server only through the host record %s, because none of the SRV records for %s leads to a server it can use. Office Communicator stops at the SRV records and fails.", w.prof.Title, t.Host, d),
			Fix:     w.correctSRV(recs), Records: recs})
		return
	}
	recs := w.bothSRVRecords()
	w.find(Finding{Kind: KindARecordFallback, Severity: SeverityWarning, Subject: d,
		Message: fmt.Sprintf("The client finds %s only through its last resort, a host record, because %s. It works, but other clients may try different names.", t.Host, w.noSRV(r1)),
		Fix:     fmt.Sprintf("Publish %s.", inViews(recs)), Records: recs})
}

// explainFail says why sign-in fails and what to publish.
func (w *walk) explainFail(r1 *roundOne, fallback bool) {
	d := w.d
	if w.autodiscoverOnly(r1) {
		return
	}
	recs := w.viewSRV()
	switch {
	case r1.anyPresent && w.prof.Persistence == StopAtSRV:
		w.find(Finding{Kind: KindNoFallback, Severity: SeverityError, Subject: d,
			Message: fmt.Sprintf("Sign-in fails: SRV records exist for %s, but none leads to a server the client can use. Because an SRV record exists, %s does not fall back to host records such as sipinternal.%s — not even if they exist.", d, w.prof.Title, d),
			Fix:     w.correctSRV(recs), Records: recs})
	case fallback && !r1.anyPresent:
		var names []string
		for _, fb := range w.prof.Fallback {
			names = append(names, fb.Prefix+"."+d)
		}
		both := w.bothSRVRecords()
		w.find(Finding{Kind: KindNoRecords, Severity: SeverityError, Subject: d,
			Message: fmt.Sprintf("Sign-in fails: %s, and none of the fallback hosts (%s) resolves. Users must enter the server manually.", w.noSRV(r1), strings.Join(names, ", ")),
			Fix:     fmt.Sprintf("Publish %s.", inViews(both)), Records: both})
	case r1.anyPresent:
		w.find(Finding{Kind: KindNoServer, Severity: SeverityError, Subject: d,
			Message: fmt.Sprintf("Sign-in fails: none of the SRV and host records %s tries for %s leads to a server it can use.", w.prof.Title, d),
			Fix:     w.correctSRV(recs), Records: recs})
	default:
		w.find(Finding{Kind: KindNoServer, Severity: SeverityError, Subject: d,
			Message: fmt.Sprintf("Sign-in fails: no SRV record for %s leads to a usable server.", d),
			Fix:     fmt.Sprintf("Publish %s.", inViews(recs)), Records: recs})
	}
}

// autodiscoverOnly predicts the result where only an autodiscover name
// resolves and no SRV or host record leads to a server. The client asks
// the web service first ("Understanding Autodiscover in Lync Server
// 2013", TechNet JJ945654), and a deployment that publishes the name
// runs the service, which gives the client its home pool; DNS cannot show
// which, and sipdisco does not fetch it here (the page cannot: CORS), so
// the outcome is connect, predicted: the target is the web service the
// client asks, with source SourceAutodiscover, and the finding says that
// this is a prediction and how to observe it (sipdisco check --connect).
// It reports whether it did.
func (w *walk) autodiscoverOnly(r1 *roundOne) bool {
	var found []string
	var addrs []string
	for _, name := range resultNames(r1.auto) {
		if st, _, _ := combined(r1.auto, name); st != present || !w.reachable(r1.auto, name) {
			continue
		}
		found = append(found, name)
		if len(addrs) == 0 {
			for _, x := range r1.auto {
				if x.q.Name != name {
					continue
				}
				for _, rec := range x.records {
					if rec.Addr.IsValid() {
						addrs = append(addrs, rec.Addr.String())
					}
				}
			}
		}
	}
	if len(found) == 0 {
		return false
	}
	w.rep.Outcome = OutcomeConnect
	w.rep.Target = &Target{Host: found[0], Port: 443, Transport: TLS, Addresses: addrs, Source: SourceAutodiscover}
	// The autodiscover-found findings speak of a server the SRV records
	// give; there is none, so this finding replaces them.
	kept := w.rep.Findings[:0]
	for _, f := range w.rep.Findings {
		if f.Kind != KindAutodiscoverFound {
			kept = append(kept, f)
		}
	}
	w.rep.Findings = kept
	recs := w.bothSRVRecords()
	w.find(Finding{Kind: KindAutodiscoverOnly, Severity: SeverityWarning, Subject: found[0],
		Message: fmt.Sprintf("Predicted, not observed: %s likely signs in through the Autodiscover web service at %s, which it asks first and which gives it the user's home pool (\"Understanding Autodiscover in Lync Server 2013\"); no SRV or host record leads to a server, so DNS cannot show which pool, and sipdisco did not ask the web service. Run %s to observe what it answers. Clients that do not use Autodiscover (Office Communicator, Lync 2010) find no server.", w.prof.Title, strings.Join(found, ", "), w.observeCommand()),
		Fix:     fmt.Sprintf("Check that https://%s/ answers (sipdisco check --connect). Publish %s as well, for clients that do not use autodiscover and for when it does not answer.", found[0], inViews(recs)), Records: recs})
	return true
}

// observeCommand is the command line that observes the web service for
// this address and client.
func (w *walk) observeCommand() string {
	return fmt.Sprintf("sipdisco check --connect --profile %s %s@%s", w.prof.Name, w.u.User, w.u.Domain)
}

// explainCoverage reports an internal or external SRV record missing
// from the DNS this check asked. In the outside view the internal record
// is rightly missing, and the external one is missing from the DNS the
// clients outside ask.
func (w *walk) explainCoverage(r1 *roundOne) {
	d := w.d
	in, ext := r1.srv["_sipinternaltls._tcp"], r1.srv["_sip._tls"]
	if w.cfg.View == ViewOutside {
		if ext.status == absent {
			recs := w.externalSRV()
			w.find(Finding{Kind: KindNoExternalSRV, Severity: SeverityInfo, Subject: "_sip._tls." + d,
				Message: fmt.Sprintf("Clients outside the network cannot find the Access Edge server: the public DNS this check asked has no _sip._tls.%s.", d),
				Fix:     fmt.Sprintf("Publish in external DNS: %s.", recordList(recs)), Records: recs})
		}
		return
	}
	if in.status == present && ext.status == absent {
		recs := w.externalSRV()
		w.find(Finding{Kind: KindNoExternalSRV, Severity: SeverityInfo, Subject: "_sip._tls." + d,
			Message: fmt.Sprintf("Clients outside the network cannot find the Access Edge server if the public DNS, too, lacks _sip._tls.%s: the DNS this check asked has no such record. (An internal DNS server often does not have it; ask the public DNS to be sure.)", d),
			Fix:     fmt.Sprintf("Publish in external DNS: %s.", recordList(recs)), Records: recs})
	}
	if in.status == absent && ext.status == present {
		recs := w.internalSRV()
		w.find(Finding{Kind: KindNoInternalSRV, Severity: SeverityInfo, Subject: "_sipinternaltls._tcp." + d,
			Message: fmt.Sprintf("Clients inside the network go to the Access Edge server if the internal DNS, too, lacks _sipinternaltls._tcp.%s: the DNS this check asked has no such record. That is right for an external view; inside the network, publish the internal record.", d),
			Fix:     fmt.Sprintf("Publish in internal DNS: %s.", recordList(recs)), Records: recs})
	}
}

// randomOrder says, when the target came from an SRV name with several
// records at its priority, that the order among them is random per sign-in
// (RFC 2782: weighted at random within a priority) and gives each
// server's share of being tried first: its weight over the priority's
// total. The report's order is one draw from the engine's fixed seed.
func (w *walk) randomOrder(r1 *roundOne) {
	t := w.rep.Target
	r, ok := result{}, false
	for _, l := range r1.lookups {
		if l.Service+"."+w.d == t.Source {
			r, ok = r1.srv[l.Service]
		}
	}
	if !ok {
		return
	}
	var prio uint16
	found := false
	for _, rec := range r.records {
		if rec.Target == t.Host && rec.Port == t.Port {
			prio, found = rec.Priority, true
		}
	}
	if !found {
		return
	}
	var same []Record
	var total int
	for _, rec := range r.records {
		if rec.Priority == prio && rec.Target != "." {
			same = append(same, rec)
			total += int(rec.Weight)
		}
	}
	if len(same) < 2 {
		return
	}
	shares := make([]string, len(same))
	for i, rec := range same {
		if total == 0 {
			shares[i] = fmt.Sprintf("%s:%d (weight 0)", rec.Target, rec.Port)
			continue
		}
		shares[i] = fmt.Sprintf("%s:%d, weight %d of %d, tried first in about %d %% of sign-ins", rec.Target, rec.Port, rec.Weight, total, (int(rec.Weight)*100+total/2)/total)
	}
	msg := fmt.Sprintf("%s has %d records at priority %d, and the client orders them at random at each sign-in, in proportion to their weights (RFC 2782): %s. This report shows one such order, so %s is one possible target, not the only one.", t.Source, len(same), prio, strings.Join(shares, "; "), t.Host)
	if total == 0 {
		msg = fmt.Sprintf("%s has %d records at priority %d, all of weight 0, and the client orders them at random at each sign-in (RFC 2782): %s. This report shows one such order, so %s is one possible target, not the only one.", t.Source, len(same), prio, strings.Join(shares, "; "), t.Host)
	}
	w.find(Finding{Kind: KindSRVRandomOrder, Severity: SeverityInfo, Subject: t.Source, Message: msg,
		Fix: "Nothing to fix, if every one of these servers works; check each of them (--connect-all)."})
}

// correctSRV is the fix text of SRV records that lead nowhere the client
// can use: the records that lead it to its server instead.
func (w *walk) correctSRV(recs []FixRecord) string {
	return fmt.Sprintf("Correct the SRV records so they name a server under %s with an address record: %s.", w.d, inViews(recs))
}

package engine

import (
	"fmt"
	"strings"
)

// explain adds the findings that summarize a discovery: what the outcome
// means and what to publish or change.
// unresolvable marks, by index, the candidates skipped because their host
// has no address record.
func (w *walk) explain(srv map[string]result, lookups []SRVLookup, addr map[string]addrs, unresolvable map[int]bool, fallback, anyPresent bool) {
	d := w.d
	for i, c := range w.rep.Candidates {
		if c.Source == SourceFallback || !unresolvable[i] {
			continue
		}
		sev := SeverityWarning
		if w.rep.Outcome != OutcomeConnect {
			sev = SeverityError
		}
		w.find(Finding{Kind: KindTargetUnresolvable, Severity: sev, Subject: c.Host,
			Message: fmt.Sprintf("%s (from %s) has no address record (%s), so the client cannot connect to it and tries the next candidate.", c.Host, c.Source, addr[c.Host].why),
			Fix:     fmt.Sprintf("Publish an A record for %s pointing at the server, e.g. %s. 3600 IN A 192.0.2.10", c.Host, c.Host)})
	}
	for _, l := range lookups {
		r := srv[l.Service]
		if r.status != failed || w.rep.Outcome != OutcomeConnect {
			continue
		}
		w.find(Finding{Kind: KindLookupFailed, Severity: SeverityWarning, Subject: r.q.Name,
			Message: fmt.Sprintf("The lookup of %s SRV failed (%s). It did not change the result, because the client tries it after the server it signs in to, but clients that need it may fail.", r.q.Name, r.why),
			Fix:     fmt.Sprintf("Make %s answer (check the authoritative servers for %s).", r.q.Name, d)})
	}

	switch w.rep.Outcome {
	case OutcomeConnect:
		t := w.rep.Target
		fix := fmt.Sprintf("Check that the certificate on %s lists %s as a subject alternative name.", t.Host, t.Host)
		if t.Host != "sip."+d {
			fix = fmt.Sprintf("Check that the certificate on %s lists %s as a subject alternative name (and sip.%s, which automatic sign-in commonly needs).", t.Host, t.Host, d)
		}
		w.find(Finding{Kind: KindCertificateName, Severity: SeverityInfo, Subject: t.Host,
			Message: fmt.Sprintf("The client signs in to %s port %d over %s. The server's certificate must carry %s as its subject or a subject alternative name, or the client refuses the connection.", t.Host, t.Port, t.Transport, t.Host),
			Fix:     fix})
		if t.Transport == TCP {
			w.find(Finding{Kind: KindTCPTarget, Severity: SeverityWarning, Subject: t.Host,
				Message: fmt.Sprintf("The client signs in over TCP: signalling to %s is not encrypted, and clients with TCP disallowed by policy fail.", t.Host),
				Fix:     fmt.Sprintf("Publish %s so clients use TLS.", exampleSRV("_sipinternaltls._tcp."+d, d))})
		}
		if t.Source == SourceFallback {
			w.find(Finding{Kind: KindARecordFallback, Severity: SeverityWarning, Subject: d,
				Message: fmt.Sprintf("No SRV record exists for %s, so the client found %s only through the host-record fallback. It works, but it is the client's last resort and other clients may try different names.", d, t.Host),
				Fix:     fmt.Sprintf("Publish %s (internal DNS) and %s (external DNS).", exampleSRV("_sipinternaltls._tcp."+d, d), exampleSRV("_sip._tls."+d, d))})
		}
	case OutcomeFail:
		switch {
		case anyPresent:
			w.find(Finding{Kind: KindNoFallback, Severity: SeverityError, Subject: d,
				Message: fmt.Sprintf("SRV records exist for %s, but none leads to a server the client can use. Because an SRV record exists, the client does not fall back to host records such as sipinternal.%s — not even if they exist. Sign-in fails.", d, d),
				Fix:     fmt.Sprintf("Correct the SRV records so they name a server under %s with an address record, e.g. %s — or delete them to let the host-record fallback apply.", d, exampleSRV("_sipinternaltls._tcp."+d, d))})
		case fallback:
			var names []string
			for _, fb := range w.prof.Fallback {
				names = append(names, fb.Prefix+"."+d)
			}
			w.find(Finding{Kind: KindNoRecords, Severity: SeverityError, Subject: d,
				Message: fmt.Sprintf("No SRV record exists for %s and none of the fallback hosts (%s) resolves. Automatic sign-in fails; users must enter the server manually.", d, strings.Join(names, ", ")),
				Fix:     fmt.Sprintf("Publish %s (internal DNS) and %s (external DNS), each target with an A record.", exampleSRV("_sipinternaltls._tcp."+d, d), exampleSRV("_sip._tls."+d, d))})
		default:
			w.find(Finding{Kind: KindNoServer, Severity: SeverityError, Subject: d,
				Message: fmt.Sprintf("No SRV record for %s leads to a usable server. Sign-in fails.", d),
				Fix:     fmt.Sprintf("Publish %s with an A record for its target.", exampleSRV("_sipinternaltls._tcp."+d, d))})
		}
	}

	// Coverage: internal and external records.
	in, ext := srv["_sipinternaltls._tcp"], srv["_sip._tls"]
	if in.status == present && ext.status == absent {
		w.find(Finding{Kind: KindNoExternalSRV, Severity: SeverityInfo, Subject: "_sip._tls." + d,
			Message: fmt.Sprintf("_sip._tls.%s does not exist, so clients outside the network cannot discover the Access Edge server.", d),
			Fix:     fmt.Sprintf("Publish in external DNS: %s", exampleSRV("_sip._tls."+d, d))})
	}
	if in.status == absent && ext.status == present {
		w.find(Finding{Kind: KindNoInternalSRV, Severity: SeverityInfo, Subject: "_sipinternaltls._tcp." + d,
			Message: fmt.Sprintf("_sipinternaltls._tcp.%s does not exist in the DNS this check used, so the client goes to the Access Edge server. That is right for an external view; inside the network, publish the internal record.", d),
			Fix:     fmt.Sprintf("Publish in internal DNS: %s (the pool's name).", exampleSRV("_sipinternaltls._tcp."+d, d))})
	}
}

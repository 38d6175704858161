package domainreport

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

const ttl = 3600

// publish returns the record name → data of type t to publish in view.
func publish(name string, t engine.Type, data string, view engine.FixView, role string) engine.FixRecord {
	return engine.FixRecord{Name: name, TTL: ttl, Type: t, Data: data, View: view, Action: engine.FixPublish, Role: role}
}

// list shows records in a fix's text, one after another.
func list(recs []engine.FixRecord) string {
	parts := make([]string, len(recs))
	for i, r := range recs {
		parts[i] = r.String()
	}
	return strings.Join(parts, "; ")
}

func (r *report) find(f engine.Finding) { r.rep.Findings = append(r.rep.Findings, f) }

// teamsOnly applies Microsoft's gate: "If the lyncdiscover DNS record for
// any domain is present but does not point to Microsoft 365, any attempt
// to switch to Teams Only mode fails" ("Cannot switch to Teams Only
// mode"). A wildcard's answer is a record the gate sees.
func (r *report) teamsOnly() {
	l := r.recordOf("lyncdiscover")
	r.rep.TeamsOnly = TeamsOnly{Blocking: []string{}}
	fix := publish(l.Name, engine.TypeCNAME, M365Autodiscover+".", engine.FixExternal, "")
	switch l.Points {
	case PointsAbsent, PointsMicrosoft365:
		r.rep.TeamsOnly.Ready = true
	case PointsUnknown:
		r.find(engine.Finding{Kind: engine.KindTeamsOnlyUnknown, Severity: engine.SeverityWarning, Subject: l.Name,
			Message: fmt.Sprintf("sipdisco cannot tell whether switching users of %s to Teams Only would work: the lookup of %s failed (%s), and the switch fails if the record is present and does not point to Microsoft 365.", r.d, l.Name, l.Why),
			Fix:     r.byName["lyncdiscover"].Fix})
	default:
		r.rep.TeamsOnly.Blocking = []string{l.Name}
		why := fmt.Sprintf("%s points to %s, not to Microsoft 365", l.Name, strings.Join(l.Targets, ", "))
		if l.Points == PointsWildcard {
			why = fmt.Sprintf("%s has no record of its own, but the wildcard *.%s answers for it (%s), so the check sees a record that does not point to Microsoft 365", l.Name, r.d, strings.Join(l.Answers, ", "))
		}
		msg := fmt.Sprintf("Switching users of %s to Teams Only fails: %s. Microsoft's check fails the switch when the lyncdiscover record of any SIP domain \"is present but does not point to Microsoft 365\" (\"Cannot switch to Teams Only mode\"), and its error names only the record.", r.d, why)
		if r.view == engine.ViewInside {
			msg += " These are internal DNS's answers; Microsoft checks public DNS, so check the outside view too (--view outside with a public resolver)."
		}
		text := fmt.Sprintf("Publish in public DNS, once the users of %s no longer sign in to an on-premises pool: %s (\"Manage DNS entries when decommissioning\"). If no user signs in with %s at all, Microsoft's support article offers instead to disable it for SIP in Teams PowerShell (Disable-CsOnlineSipDomain -Domain %s), never for a domain with users in Teams or Skype for Business Online, whose accounts it deletes.", r.d, fix, r.d, r.d)
		if l.Points == PointsWildcard {
			text += " A name with a record of its own is not answered by the wildcard (RFC 4592 §2.2.1)."
		}
		r.find(engine.Finding{Kind: engine.KindTeamsOnlyBlocked, Severity: engine.SeverityError, Subject: l.Name,
			Message: msg, Fix: text, Records: []engine.FixRecord{fix}})
	}
}

// onPremises lists, outside the network, the records a Teams Only domain
// points to Microsoft 365 that still point elsewhere, with the records
// Microsoft gives ("Manage DNS entries when decommissioning").
func (r *report) onPremises() {
	if r.view == engine.ViewInside {
		return
	}
	want := []struct {
		prefix string
		rec    engine.FixRecord
	}{
		{"lyncdiscover", publish("lyncdiscover."+r.d, engine.TypeCNAME, M365Autodiscover+".", engine.FixExternal, "")},
		{"sip", publish("sip."+r.d, engine.TypeCNAME, M365SignIn+".", engine.FixExternal, "")},
		{"_sip._tls", publish("_sip._tls."+r.d, engine.TypeSRV, "100 1 443 "+M365SignIn+".", engine.FixExternal, "")},
		{"_sipfederationtls._tcp", publish("_sipfederationtls._tcp."+r.d, engine.TypeSRV, "100 1 5061 "+M365Federation+".", engine.FixExternal, "")},
	}
	var still []string
	var recs []engine.FixRecord
	for _, w := range want {
		l := r.recordOf(w.prefix)
		if l.Points == PointsOnPremises || l.Points == PointsElsewhere || l.Points == PointsWildcard {
			where := strings.Join(l.Targets, ", ")
			if l.Points == PointsWildcard {
				where = "the wildcard's answer"
			}
			still = append(still, fmt.Sprintf("%s (%s)", l.Name, where))
			recs = append(recs, w.rec)
		}
	}
	if len(still) == 0 {
		return
	}
	r.find(engine.Finding{Kind: engine.KindTeamsOnlyOnPremises, Severity: engine.SeverityInfo, Subject: r.d,
		Message: fmt.Sprintf("These records still lead to servers other than Microsoft 365: %s. Users homed on an on-premises pool, desk phones and federation partners use them, so they stay while any of those remain; a Teams Only domain points them to Microsoft 365 (\"Manage DNS entries when decommissioning\": \"Microsoft cannot update these DNS records on your behalf\"). That document says the switch to Teams Only checks these records too; the support article on the switch's error, and the error itself, name only lyncdiscover, so sipdisco's verdict follows lyncdiscover, and if the switch fails naming one of these, this is why.", strings.Join(still, "; ")),
		Fix:     fmt.Sprintf("When every user of %s is Teams Only, publish in public DNS: %s.", r.d, list(recs)), Records: recs})
}

// internalAfterSwitch lists, inside the network, the Skype for Business
// records internal DNS still has: "any DNS records for Skype for Business
// in your internal network should be removed" once the on-premises
// deployment is gone ("Manage DNS entries when decommissioning").
func (r *report) internalAfterSwitch() {
	if r.view != engine.ViewInside {
		return
	}
	var recs []engine.FixRecord
	var names []string
	for _, rec := range r.rep.Records {
		if rec.Points == PointsOnPremises || rec.Points == PointsElsewhere {
			t := rec.Type
			if rec.Type == engine.TypeA && len(rec.Answers) > 0 && strings.Contains(rec.Answers[0], " -> ") {
				t = engine.TypeCNAME
			}
			recs = append(recs, engine.FixRecord{Name: rec.Name, Type: t, View: engine.FixInternal, Action: engine.FixDelete})
			names = append(names, rec.Name)
		}
	}
	if len(recs) == 0 {
		return
	}
	r.find(engine.Finding{Kind: engine.KindTeamsOnlyInternal, Severity: engine.SeverityInfo, Subject: r.d,
		Message: fmt.Sprintf("Internal DNS still has Skype for Business records for %s: %s. Clients inside the network use them while an on-premises pool serves them; once the deployment is gone, Microsoft's documentation says \"any DNS records for Skype for Business in your internal network should be removed\" (\"Manage DNS entries when decommissioning\"), or clients keep looking for servers that are gone.", r.d, strings.Join(names, ", ")),
		Fix:     fmt.Sprintf("After the on-premises deployment is decommissioned, delete from internal DNS: %s.", list(recs)), Records: recs})
}

// mobile warns of an Autodiscover name that is an alias to a server in
// another domain: "Mobile device clients do not support multiple Secure
// Sockets Layer (SSL) certificates from different domains. Therefore,
// CNAME redirection to different domains is not supported over HTTPS",
// so the first request must go over HTTP ("Technical requirements for
// mobility in Lync Server 2013", Hh690030). Microsoft 365's own alias is
// Microsoft's to serve.
func (r *report) mobile() {
	for _, prefix := range []string{"lyncdiscover", "lyncdiscoverinternal"} {
		l := r.byName[prefix]
		rec := r.recordOf(prefix)
		if len(l.Chain) == 0 || rec.Points != PointsElsewhere {
			continue
		}
		end := l.End()
		r.find(engine.Finding{Kind: engine.KindAutodiscoverOtherDomain, Severity: engine.SeverityWarning, Subject: rec.Name,
			Message: fmt.Sprintf("%s is an alias (CNAME) to %s, outside %s. Lync and Skype for Business mobile clients do not accept that over HTTPS: \"CNAME redirection to different domains is not supported over HTTPS\" (\"Technical requirements for mobility in Lync Server 2013\"), so they reach the Autodiscover service only if it also answers over HTTP on port 80.", rec.Name, end, r.d),
			Fix:     fmt.Sprintf("Publish the Autodiscover service over HTTP on port 80 at the reverse proxy too (Microsoft's \"web publishing rule for port 80\"), or point %s at a server under %s whose certificate names %s.", rec.Name, r.d, rec.Name)})
	}
}

// federation judges _sipfederationtls._tcp: present, a target under the
// domain (else partners log ms-diagnostics 1009, "conflicting SRV and
// host domains", [MS-OCER]), port 5061 (the Access Edge's federation
// port, JJ204756), an address (1014 otherwise). Microsoft 365's
// sipfed.online.lync.com is the hosted case. Federation is a public-DNS
// matter: inside the network only the outcome is given.
func (r *report) federation() {
	l := r.byName["_sipfederationtls._tcp"]
	name := l.Question.Name
	f := &r.rep.Federation
	outside := r.view != engine.ViewInside
	switch l.Status {
	case engine.LookupFailed:
		f.Outcome = FederationUnknown
		r.find(engine.Finding{Kind: engine.KindFederationUnknown, Severity: engine.SeverityWarning, Subject: name,
			Message: fmt.Sprintf("sipdisco cannot tell whether partners can federate with %s: the lookup of %s failed (%s).", r.d, name, l.Why),
			Fix:     l.Fix})
		return
	case engine.LookupAbsent:
		f.Outcome = FederationNone
		if outside {
			recs := r.edgeRecords(name)
			r.find(engine.Finding{Kind: engine.KindFederationNone, Severity: engine.SeverityInfo, Subject: name,
				Message: fmt.Sprintf("Partners and Microsoft 365 cannot find %s's Access Edge server: %s does not exist (%s). Only partners who enter the Edge's name by hand can federate.", r.d, name, l.Why),
				Fix:     fmt.Sprintf("Publish in public DNS, if %s federates: %s.", r.d, list(recs)), Records: recs})
		}
		return
	}
	var best engine.Record
	for _, x := range l.Records {
		if x.Target != "." && (best.Target == "" || x.Priority < best.Priority) {
			best = x
		}
	}
	if best.Target == "" {
		f.Outcome = FederationNone
		return
	}
	f.Target = fmt.Sprintf("%s:%d", best.Target, best.Port)
	if isMicrosoft365(best.Target) {
		f.Outcome, f.Hosted = FederationOK, true
		return
	}
	a := r.addrs[best.Target]
	switch {
	case !r.under(best.Target):
		f.Outcome = FederationFail
		if outside {
			recs := r.edgeRecords(name)
			r.find(engine.Finding{Kind: engine.KindFederationOutside, Severity: engine.SeverityError, Subject: name,
				Message: fmt.Sprintf("Partners' Edge servers refuse %s as %s's federation server: the SRV record %s names a server outside %s, and they log ms-diagnostics 1009, \"conflicting SRV and host domains\" ([MS-OCER]); the caller sees only a time-out.", best.Target, r.d, name, r.d),
				Fix:     fmt.Sprintf("Name the Access Edge under %s, with that name on its certificate: %s.", r.d, list(recs)), Records: recs})
		}
	case a.Status == engine.LookupAbsent:
		f.Outcome = FederationFail
		if outside {
			recs := []engine.FixRecord{supplyEdge(best.Target)}
			r.find(engine.Finding{Kind: engine.KindFederationUnresolvable, Severity: engine.SeverityError, Subject: best.Target,
				Message: fmt.Sprintf("Partners cannot reach %s's Access Edge server: %s, which %s names, has no address record (%s); they log ms-diagnostics 1014, \"DNS A not resolved\" ([MS-OCER]).", r.d, best.Target, name, a.Why),
				Fix:     fmt.Sprintf("Publish in public DNS: %s.", list(recs)), Records: recs})
		}
	case a.Status == engine.LookupFailed:
		f.Outcome = FederationUnknown
	default:
		f.Outcome = FederationOK
		if best.Port != 5061 && outside {
			recs := []engine.FixRecord{publish(name, engine.TypeSRV, fmt.Sprintf("0 0 5061 %s.", best.Target), engine.FixExternal, engine.RoleEdge)}
			r.find(engine.Finding{Kind: engine.KindFederationPort, Severity: engine.SeverityWarning, Subject: name,
				Message: fmt.Sprintf("%s sends partners to port %d of %s; the Access Edge server takes federation on TLS 5061 (\"Port summary\", JJ204756), and Microsoft 365 connects there.", name, best.Port, best.Target),
				Fix:     fmt.Sprintf("Unless the Edge listens for federation on port %d, publish: %s.", best.Port, list(recs)), Records: recs})
		}
	}
}

// edgeRecords returns the SRV record name (federation) leading to the
// Access Edge on 5061 under the domain: the _sip._tls server when it is
// under the domain, else sip.D with the addresses of the server the
// records name now (or the address to supply).
func (r *report) edgeRecords(name string) []engine.FixRecord {
	for _, x := range r.byName["_sip._tls"].Records {
		if x.Target == "." {
			continue
		}
		if isMicrosoft365(x.Target) {
			return []engine.FixRecord{publish(name, engine.TypeSRV, "100 1 5061 "+M365Federation+".", engine.FixExternal, "")}
		}
		if r.under(x.Target) && r.addrs[x.Target].Status == engine.LookupPresent {
			return []engine.FixRecord{publish(name, engine.TypeSRV, fmt.Sprintf("0 0 5061 %s.", x.Target), engine.FixExternal, engine.RoleEdge)}
		}
	}
	sip := "sip." + r.d
	var recs []engine.FixRecord
	for _, x := range r.byName["_sipfederationtls._tcp"].Records {
		for _, a := range r.addrs[x.Target].Records {
			// The lookup's records are its question's type, A.
			recs = append(recs, publish(sip, a.Type, a.Data(), engine.FixExternal, engine.RoleEdge))
		}
		if len(recs) > 0 {
			break
		}
	}
	if len(recs) == 0 {
		recs = []engine.FixRecord{supplyEdge(sip)}
	}
	return append(recs, publish(name, engine.TypeSRV, "0 0 5061 "+sip+".", engine.FixExternal, engine.RoleEdge))
}

// supplyEdge returns the A record of host in public DNS, whose address,
// the Access Edge server's, the administrator supplies.
func supplyEdge(host string) engine.FixRecord {
	return engine.FixRecord{Name: host, TTL: ttl, Type: engine.TypeA, View: engine.FixExternal, Action: engine.FixPublish,
		Role: engine.RoleEdge, Supply: "the Access Edge server's public IPv4 address"}
}

package domainreport

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Observed is what sipdisco domain --connect saw of the domain's servers
// (the JSON field "observed"): the federation server as a partner's Edge
// reaches it, and the Autodiscover web service as a Lync 2013 or later
// client asks it. Nothing secret is sent: no credentials, no
// certificate, no user.
type Observed struct {
	// Federation is the server _sipfederationtls._tcp names; nil when
	// there is none to contact, or it is Microsoft 365's (Skipped says
	// why).
	Federation *FederationObserved `json:"federation,omitempty"`
	// Autodiscover is the lyncdiscover requests and their answers.
	Autodiscover *engine.AutodiscoverProbe `json:"autodiscover,omitempty"`
	// Skipped says why a server was not contacted.
	Skipped []string `json:"skipped,omitempty"`
}

// FederationObserved is one connection to the federation server: the TLS
// handshake, the certificate chain and the answer to an OPTIONS without
// credentials (Attempt), and one handshake for each TLS version (TLS).
type FederationObserved struct {
	Attempt engine.ProbeAttempt `json:"attempt"`
	TLS     []TLSVersion        `json:"tlsVersions"`
}

// TLSVersion is whether the server completed a handshake offering only
// that version.
type TLSVersion struct {
	Version  string `json:"version"`
	Accepted bool   `json:"accepted"`
	// Why is the handshake's failure when it was not accepted.
	Why string `json:"why,omitempty"`
}

// FederationHost returns the host and port to observe for r's federation
// path, or why none: no record, a failed lookup, or Microsoft 365's
// service, which is not the customer's to check.
func (r *Report) FederationHost() (host string, port uint16, why string) {
	f := r.Federation
	switch {
	case f.Hosted:
		return "", 0, fmt.Sprintf("the federation server %s is Microsoft 365's", f.Target)
	case f.Target == "":
		return "", 0, "no _sipfederationtls._tcp record names a server"
	}
	h, p, ok := strings.Cut(f.Target, ":")
	var n uint16
	if _, err := fmt.Sscan(p, &n); !ok || err != nil || h == "" {
		return "", 0, fmt.Sprintf("the federation target %q is not host:port", f.Target)
	}
	return h, n, ""
}

// Observe adds what --connect saw to r, with its findings: a server that
// cannot be reached, a certificate partners refuse (ms-diagnostics 1010,
// [MS-OCER]), no TLS 1.2, and what the server answered.
func (r *Report) Observe(o Observed) {
	r.Observed = &o
	if f := o.Federation; f != nil {
		r.judgeFederation(f)
	}
	if a := o.Autodiscover; a != nil {
		r.Findings = append(r.Findings, a.Findings...)
	}
}

func (r *Report) judgeFederation(f *FederationObserved) {
	a := f.Attempt
	subject := fmt.Sprintf("%s:%d", a.Host, a.Port)
	add := func(kind engine.Kind, sev engine.Severity, msg, fix string) {
		r.Findings = append(r.Findings, engine.Finding{Kind: kind, Severity: sev, Subject: subject, Message: msg, Fix: fix})
	}
	if a.TLS == nil {
		why := "the connection failed"
		if a.Failure != nil {
			why = a.Failure.Message
		}
		add(engine.KindFederationUnreachable, engine.SeverityError,
			fmt.Sprintf("Partners cannot reach %s's federation server %s: %s. Their users see only \"504 Server time-out\".", r.Domain, subject, why),
			fmt.Sprintf("Open TCP %d from the internet to %s (the Access Edge's external interface), check that its address record is the Edge's, and that a certificate is assigned to its federation listener.", a.Port, a.Host))
		r.Federation.Outcome = FederationFail
		return
	}
	t := a.TLS
	var problems []string
	if !t.Covered {
		problems = append(problems, fmt.Sprintf("it does not name %s", a.Host))
	}
	if !t.InValidity {
		problems = append(problems, "it is outside its validity period")
	}
	if !t.ServerAuth {
		problems = append(problems, "it is not allowed to authenticate a TLS server")
	}
	if len(t.Trust) > 0 && !t.Trust[0].Trusted {
		// The first roots are the system's, the public certification
		// authorities partners trust too; a --ca file's are the
		// administrator's own, which partners do not have.
		why := fmt.Sprintf("no chain leads from it to a public root (%s)", t.Trust[0].Problem)
		for _, tr := range t.Trust[1:] {
			if tr.Trusted {
				why += fmt.Sprintf("; only the %s roots trust it, and partners do not have them", tr.Roots)
				break
			}
		}
		problems = append(problems, why)
	}
	if len(problems) > 0 {
		names := "none"
		if len(t.Chain) > 0 && len(t.Chain[0].DNSNames) > 0 {
			names = strings.Join(t.Chain[0].DNSNames, ", ")
		}
		add(engine.KindFederationCertificate, engine.SeverityError,
			fmt.Sprintf("Partners' Edge servers refuse %s's federation certificate: %s. They log ms-diagnostics 1010, \"Certificate trust with next-hop server could not be established\" ([MS-OCER]). Its names: %s.", subject, strings.Join(problems, "; "), names),
			fmt.Sprintf("Assign the Access Edge's external interface a certificate from a public certification authority whose subject alternative names include %s (a SAN list overrides the subject name).", a.Host))
		r.Federation.Outcome = FederationFail
	}
	modern := false
	var accepted []string
	for _, v := range f.TLS {
		if v.Accepted {
			accepted = append(accepted, v.Version)
			if v.Version == "TLS 1.2" || v.Version == "TLS 1.3" {
				modern = true
			}
		}
	}
	if len(f.TLS) > 0 && !modern {
		add(engine.KindFederationTLS, engine.SeverityWarning,
			fmt.Sprintf("%s accepts no TLS 1.2 or later handshake (it accepts: %s). Microsoft 365 no longer accepts TLS 1.0 and 1.1, so federation with it and with most partners fails.", subject, orNone(accepted)),
			"Enable TLS 1.2 on the Edge server and in its operating system's settings; leave TLS 1.0 on while Office Communicator or Lync 2010 clients still sign in through the Edge.")
	}
	answer := "closed the connection or sent nothing"
	if a.Failure != nil {
		answer = a.Failure.Message
	}
	if a.Response != nil {
		answer = fmt.Sprintf("answered %s", a.Response.StartLine)
	}
	add(engine.KindFederationObserved, engine.SeverityInfo,
		fmt.Sprintf("%s completed a %s handshake (TLS versions accepted: %s) and, to an OPTIONS request from sipdisco, which presents no certificate of its own, %s. Partners' Edge servers present theirs (mutual TLS), so a server that says nothing here may still federate.", subject, t.Version, orNone(accepted), answer),
		"Nothing to fix here; Test-CsFederatedPartner on your Edge server checks the whole path with a partner.")
}

// orNone joins xs, or says "none".
func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

package probe

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

// microsoftProtocols are the protocols of [MS-SIPAE].
var microsoftProtocols = []string{signin.NTLM, signin.Kerberos, signin.TLSDSK}

// JudgeAttempt adds to a the findings of its failure or of its response,
// for a client of the generation client (an engine profile name; its
// capabilities decide whether an offered protocol is usable).
func JudgeAttempt(a *Attempt, client string) {
	subject := fmt.Sprintf("%s:%d", a.Host, a.Port)
	add := func(kind engine.Kind, sev engine.Severity, msg, fix string) {
		a.Findings = append(a.Findings, engine.Finding{Kind: kind, Severity: sev, Subject: subject, Message: msg, Fix: fix})
	}
	if a.Findings == nil {
		a.Findings = []engine.Finding{}
	}
	if f := a.Failure; f != nil {
		kind, sev, msg, fix := judgeFailure(*a, *f)
		add(kind, sev, msg, fix)
	}
	if a.Response != nil {
		judgeResponse(*a.Response, a.Transport, client, add)
	}
}

// judgeFailure turns a failure into a finding.
func judgeFailure(a Attempt, f Failure) (kind engine.Kind, sev engine.Severity, msg, fix string) {
	where := fmt.Sprintf("%s:%d over %s", a.Host, a.Port, a.Transport)
	next := " The client waits for this before trying the next candidate, if there is one."
	if f.Kind == FailNotAllowed {
		return engine.KindProbeSkipped, engine.SeverityInfo, fmt.Sprintf("%s was not contacted: %s.", where, f.Message), "Nothing to fix."
	}
	if f.Kind == FailNotTried {
		return engine.KindProbeSkipped, engine.SeverityInfo, fmt.Sprintf("%s was not tried: %s.", where, f.Message), "See the probe's findings."
	}
	switch f.Stage {
	case StageResolve:
		return engine.KindProbeConnectFailed, engine.SeverityError, fmt.Sprintf("%s cannot be contacted: %s.", where, f.Message),
			fmt.Sprintf("Publish an A (or AAAA) record for %s.", a.Host)
	case StageConnect:
		switch f.Kind {
		case FailRefused:
			return engine.KindProbeConnectFailed, engine.SeverityError, fmt.Sprintf("Nothing accepts connections on %s: %s. The client moves on to the next candidate, if there is one.", where, f.Message),
				fmt.Sprintf("Check that the SIP service runs on %s and listens on port %d, and that the DNS record gives the port it uses.", a.Host, a.Port)
		case FailTimeout, FailUnreachable:
			return engine.KindProbeConnectFailed, engine.SeverityError, fmt.Sprintf("%s does not answer: %s.%s", where, f.Message, next),
				fmt.Sprintf("Open TCP port %d to %s in the firewalls between the clients and the server, and check that its address record is right.", a.Port, a.Host)
		}
		return engine.KindProbeConnectFailed, engine.SeverityError, fmt.Sprintf("The connection to %s failed: %s.", where, f.Message),
			fmt.Sprintf("Check the network path to %s port %d.", a.Host, a.Port)
	case StageTLS:
		switch f.Kind {
		case FailNotTLS:
			return engine.KindProbeTLSFailed, engine.SeverityError, fmt.Sprintf("%s does not speak TLS: %s.", where, f.Message),
				"Point the TLS record at the server's TLS port (5061 on a pool or Director, 443 on the Access Edge), or enable TLS on this port."
		case FailTLSAlert:
			return engine.KindProbeTLSFailed, engine.SeverityError, fmt.Sprintf("The server refused the TLS handshake on %s: %s.", where, f.Message),
				"Check that a certificate is assigned to the server's TLS listener and that it accepts a TLS version and cipher suite the clients offer."
		case FailTimeout:
			return engine.KindProbeTLSFailed, engine.SeverityError, fmt.Sprintf("The TLS handshake with %s did not finish: %s.%s", where, f.Message, next),
				"Check that the port serves TLS and that no device in between holds the connection."
		}
		return engine.KindProbeTLSFailed, engine.SeverityError, fmt.Sprintf("The TLS handshake with %s failed: %s.", where, f.Message),
			"Check that a certificate is assigned to the server's TLS listener and that TLS is enabled on the port."
	case StageSend:
		return engine.KindProbeNoResponse, engine.SeverityError, fmt.Sprintf("The REGISTER could not be sent to %s: %s.", where, f.Message),
			"Check the server's logs: it closed the connection before any SIP."
	}
	// StageResponse.
	switch f.Kind {
	case ErrHTTP:
		return engine.KindProbeNotSIP, engine.SeverityError, fmt.Sprintf("%s is not a SIP server: %s.", where, f.Message),
			"Point the record at the SIP server's port (5061 on a pool or Director, 443 on the Access Edge's external interface), not at a web server or reverse proxy."
	case ErrTLSRecord:
		return engine.KindProbeNotSIP, engine.SeverityError, fmt.Sprintf("%s expects TLS: %s.", where, f.Message),
			"Publish this server as a TLS candidate (_sipinternaltls._tcp or _sip._tls), or serve SIP over TCP on the port the TCP record names."
	case ErrRequest, ErrNotSIP:
		return engine.KindProbeNotSIP, engine.SeverityError, fmt.Sprintf("%s does not answer in SIP: %s.", where, f.Message),
			"Check what service listens on this port: the DNS record should name the SIP server's port."
	case ErrMalformed, FailMismatch:
		return engine.KindProbeMalformedResponse, engine.SeverityError, fmt.Sprintf("The response of %s cannot be used: %s.", where, f.Message),
			"Check the server, or any SIP-aware device in between (a load balancer, an SBC), that produced this response."
	case ErrTooLarge, FailBodyTooLarge:
		return engine.KindProbeResponseTooLarge, engine.SeverityError, fmt.Sprintf("The response of %s is too large to be a sign-in challenge: %s.", where, f.Message),
			"Check what service listens on this port: a SIP challenge takes about 1 KiB."
	case FailTimeout, FailClosed, FailReset:
		return engine.KindProbeNoResponse, engine.SeverityError, fmt.Sprintf("%s accepted the REGISTER but gave no complete response: %s.%s", where, f.Message, next),
			"Check the server's logs and any device in between: a registrar answers an unauthenticated REGISTER at once with 401 Unauthorized."
	}
	return engine.KindProbeNoResponse, engine.SeverityError, fmt.Sprintf("No usable response from %s: %s.", where, f.Message), "Check the server's logs."
}

// judgeResponse adds the findings of a final response.
func judgeResponse(r Response, transport engine.Transport, client string, add func(engine.Kind, engine.Severity, string, string)) {
	who := ""
	switch {
	case r.Server != "":
		who = " (Server: " + r.Server + ")"
	case r.UserAgent != "":
		who = " (User-Agent: " + r.UserAgent + ")"
	}
	if r.ContentLength < 0 {
		add(engine.KindProbeNoContentLength, engine.SeverityWarning,
			fmt.Sprintf("The %d response has no Content-Length; over %s, a message without one cannot be delimited (RFC 3261 §18.3, §20.14).", r.Status, transport),
			"Check the server or any SIP-aware device in between that builds this response.")
	}
	for _, d := range r.Diagnostics {
		add(engine.KindProbeDiagnostic, diagSeverity(r.Status), diagMessage(d), diagFix(d))
	}
	switch {
	case r.Status == 401 || r.Status == 407:
		judgeChallenges(r, who, client, add)
	case r.Status >= 200 && r.Status < 300:
		add(engine.KindProbeNoChallenge, engine.SeverityWarning,
			fmt.Sprintf("The server accepted a REGISTER that carries no credentials with %s%s: it registered the address without authenticating anyone. Office Communications Server and Lync always challenge ([MS-SIPAE] §3.3.5.1).", r.StartLine, who),
			"Require authentication on the registrar; check that the record leads to the Office Communications Server or Lync registrar.")
	case r.Status == 301 || r.Status == 302:
		red := Redirect{}
		if r.Redirect != nil {
			red = *r.Redirect
		}
		if red.Error != "" {
			add(engine.KindProbeRedirect, engine.SeverityError, fmt.Sprintf("The server redirects (%s) but %s.", r.StartLine, red.Error),
				"Check the Director's or pool's configuration: a redirect names the user's home pool in Contact ([MS-SIPREGE]).")
			return
		}
		add(engine.KindProbeRedirect, engine.SeverityInfo,
			fmt.Sprintf("The server answers %s and sends the client to %s (Contact %s), as a Director or a pool that does not home the user does ([MS-SIPREGE]); the client connects there and signs in again.", r.StartLine, redirectTarget(red), red.Contact),
			"Nothing to fix, if that is the user's home pool.")
	default:
		msg := fmt.Sprintf("The server refuses the REGISTER that carries no credentials: %s%s", r.StartLine, who)
		if len(r.Diagnostics) > 0 {
			msg += "; see its diagnostics"
		}
		add(engine.KindProbeRefused, engine.SeverityError, msg+". A registrar that authenticates its users challenges such a REGISTER with 401 Unauthorized ([MS-SIPAE] §3.3.5.1).",
			"Check that the record leads to the registrar of this sign-in domain, and the server's logs for the reason.")
	}
}

// judgeChallenges adds the findings of a 401 or 407.
func judgeChallenges(r Response, who, client string, add func(engine.Kind, engine.Severity, string, string)) {
	if len(r.Challenges) == 0 {
		add(engine.KindProbeChallengeProblem, engine.SeverityError,
			fmt.Sprintf("The server answers %s%s but names no authentication protocol: a 401 must carry a WWW-Authenticate header (RFC 3261 §21.4.2), so the client cannot sign in.", r.StartLine, who),
			"Check the registrar's authentication settings.")
		return
	}
	var descs, usable, offered []string
	c := profileOf(client)
	for _, ch := range r.Challenges {
		descs = append(descs, describeChallenge(ch))
		if ch.Error != "" {
			add(engine.KindProbeChallengeProblem, engine.SeverityWarning,
				fmt.Sprintf("The %s header %s cannot be read: %s.", ch.Header, quote(ch.Scheme), ch.Error),
				"Check the registrar's authentication settings; a client ignores a challenge it cannot read.")
		}
		if !slices.Contains(offered, ch.Protocol) {
			offered = append(offered, ch.Protocol)
		}
		if slices.Contains(microsoftProtocols, ch.Protocol) {
			if ch.Protocol != signin.TLSDSK || c.TLSDSK {
				usable = append(usable, ch.Protocol)
			}
			checkMicrosoftChallenge(ch, add)
		}
	}
	how := "401 Unauthorized"
	if r.Status == 407 {
		how = r.StartLine + " (a proxy's challenge; [MS-SIPAE] §3.3.5.1 says a registrar SHOULD answer a REGISTER with 401)"
	}
	add(engine.KindProbeChallenge, engine.SeverityInfo,
		fmt.Sprintf("The server%s challenges the REGISTER that carries no credentials with %s and offers %s.", who, how, strings.Join(descs, "; ")),
		"Nothing to fix.")
	if len(usable) == 0 {
		title := c.Title
		why := fmt.Sprintf("it offers only %s; Microsoft SIP clients sign in with NTLM, Kerberos or TLS-DSK ([MS-SIPAE])", strings.Join(offered, ", "))
		fix := "Check that the record leads to the Office Communications Server or Lync registrar, not another SIP server."
		if slices.Contains(offered, signin.TLSDSK) {
			why = fmt.Sprintf("it offers only %s, and %s cannot use TLS-DSK", strings.Join(offered, ", "), title)
			fix = "Allow NTLM (and Kerberos) in the registrar's authentication settings for clients without TLS-DSK."
		}
		add(engine.KindProbeNoCommonProtocol, engine.SeverityError,
			fmt.Sprintf("%s cannot answer this challenge: %s.", title, why), fix)
	}
}

// checkMicrosoftChallenge checks one NTLM, Kerberos or TLS-DSK challenge
// against [MS-SIPAE] §3.3.5.1 and the forms of its §4 examples.
func checkMicrosoftChallenge(ch Challenge, add func(engine.Kind, engine.Severity, string, string)) {
	bad := func(msg, fix string) { add(engine.KindProbeChallengeProblem, engine.SeverityWarning, msg, fix) }
	if ch.Realm != signin.Realm {
		bad(fmt.Sprintf("The %s challenge's realm is %s; Office Communications Server and Lync use %q ([MS-SIPAE] §4.1).", ch.Protocol, quote(ch.Realm), signin.Realm),
			"Check what sends this challenge: a device in between may rewrite it.")
	}
	switch {
	case ch.TargetName == "":
		bad(fmt.Sprintf("The %s challenge has no targetname; the client needs it to name the server it authenticates to ([MS-SIPAE] §3.3.5.1).", ch.Protocol),
			"Check what sends this challenge.")
	case ch.Protocol == signin.Kerberos && !strings.HasPrefix(strings.ToLower(ch.TargetName), "sip/"):
		bad(fmt.Sprintf("The Kerberos challenge's targetname is %s; it must be the service principal sip/<server FQDN> ([MS-SIPAE] §3.2.5.2).", quote(ch.TargetName)),
			"Check the server's service principal name (setspn) and what sends this challenge.")
	case ch.Protocol != signin.Kerberos && strings.HasPrefix(strings.ToLower(ch.TargetName), "sip/"):
		bad(fmt.Sprintf("The %s challenge's targetname is %s; for %s it is the server's FQDN, without sip/ ([MS-SIPAE] §3.2.5.2).", ch.Protocol, quote(ch.TargetName), ch.Protocol),
			"Check what sends this challenge.")
	}
	if ch.Version != 0 && ch.Version != 3 && ch.Version != 4 {
		bad(fmt.Sprintf("The %s challenge has version=%d; [MS-SIPAE] §3.3.5.1 knows 3 (OCS 2007) and 4 (OCS 2007 R2 and Lync).", ch.Protocol, ch.Version),
			"Check what sends this challenge.")
	}
	if ch.Protocol == signin.TLSDSK && ch.StsURI == "" {
		bad("The TLS-DSK challenge has no sts-uri, so the client cannot find the Certificate Provisioning service it needs ([MS-SIPAE] §3.3.5.1).",
			"Check the pool's web services (Certificate Provisioning) configuration.")
	}
}

// describeChallenge says what a challenge offers, in a few words:
// "NTLM (realm "SIP Communications Service", targetname pool01.contoso.com, version 3)".
func describeChallenge(ch Challenge) string {
	var parts []string
	if ch.Realm != "" {
		parts = append(parts, fmt.Sprintf("realm %q", ch.Realm))
	}
	if ch.TargetName != "" {
		parts = append(parts, "targetname "+ch.TargetName)
	}
	if ch.Version != 0 {
		parts = append(parts, fmt.Sprintf("version %d", ch.Version))
	}
	if ch.StsURI != "" {
		parts = append(parts, "sts-uri "+ch.StsURI)
	}
	if ch.Protocol == Digest && ch.Algorithm != "" {
		parts = append(parts, "algorithm "+ch.Algorithm)
	}
	if len(parts) == 0 {
		return ch.Protocol
	}
	return ch.Protocol + " (" + strings.Join(parts, ", ") + ")"
}

func redirectTarget(r Redirect) string {
	s := r.Host
	if r.Port != 0 {
		s = fmt.Sprintf("%s:%d", s, r.Port)
	}
	if r.Transport != "" {
		s += " over " + string(r.Transport)
	}
	return s
}

func diagSeverity(status int) engine.Severity {
	if status >= 300 && status != 401 && status != 407 {
		return engine.SeverityWarning
	}
	return engine.SeverityInfo
}

func diagMessage(d Diagnostic) string {
	if d.Error != "" {
		return fmt.Sprintf("The server's %s header cannot be read: %s.", d.Header, d.Error)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The server's %s says %d", d.Header, d.Code)
	if d.SubCode != 0 {
		fmt.Fprintf(&b, ".%d", d.SubCode)
	}
	if d.Reason != "" {
		fmt.Fprintf(&b, " %q", d.Reason)
	}
	if d.Source != "" {
		fmt.Fprintf(&b, " from %s", d.Source)
	}
	if d.Component != "" {
		fmt.Fprintf(&b, " (%s)", d.Component)
	}
	b.WriteString(".")
	switch {
	case d.Meaning != "":
		fmt.Fprintf(&b, " [MS-OCER] lists %d as %q: %s", d.Code, d.Documented, d.Meaning)
	case d.Documented != "":
		fmt.Fprintf(&b, " [MS-OCER] lists %d as %q.", d.Code, d.Documented)
	default:
		fmt.Fprintf(&b, " sipdisco has no published meaning for %d.", d.Code)
	}
	return b.String()
}

func diagFix(d Diagnostic) string {
	if d.Fix != "" {
		return d.Fix
	}
	return "Look the code up in [MS-OCER] (Client Error Reporting Protocol) and in the server's event log."
}

// Judge adds the findings that concern the whole result: no server
// answered, or the first candidate failed before one did.
func Judge(r *Result) {
	if r.Findings == nil {
		r.Findings = []engine.Finding{}
	}
	tried := 0
	var notTried []string
	limit := ""
	for _, a := range r.Attempts {
		if a.Outcome != Skipped {
			tried++
		}
		if a.Failure != nil && a.Failure.Kind == FailNotTried {
			notTried = append(notTried, engine.Endpoint(a.Host, a.Port, a.Transport))
			limit = a.Failure.Message
		}
	}
	if len(notTried) > 0 {
		r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindProbeOutOfTime, Severity: engine.SeverityWarning, Subject: r.Address,
			Message: fmt.Sprintf("The probe stopped before it tried %d of the candidates (%s): %s. What the client does with them is not known.", len(notTried), strings.Join(notTried, ", "), limit),
			Fix:     "See the findings of the candidates that took the time and fix or remove those that stall; or run the check again with a longer --connect-deadline."})
	}
	ans, ok := r.Answered()
	if ok && ans.Response != nil && ans.Response.Redirect != nil {
		next, found := redirectAttempt(*r)
		switch {
		case found && next.Outcome != Answered:
			r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindProbeNoServerAnswered, Severity: engine.SeverityError, Subject: r.Address,
				Message: fmt.Sprintf("%s:%d redirects the client to %s:%d, which does not answer, so the client cannot sign in.", ans.Host, ans.Port, next.Host, next.Port),
				Fix:     fmt.Sprintf("Check the home pool %s (see its attempt's findings) and the Contact the redirect names.", next.Host)})
		case found && next.Response != nil && next.Response.Redirect != nil:
			r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindProbeRedirectAgain, Severity: engine.SeverityWarning, Subject: r.Address,
				Message: fmt.Sprintf("%s:%d redirects the client to %s:%d, which redirects it again (to %s); the probe follows one redirect, as a home pool is the end of the way ([MS-SIPREGE]).", ans.Host, ans.Port, next.Host, next.Port, redirectTarget(*next.Response.Redirect)),
				Fix:     fmt.Sprintf("Check that %s homes the user: a home pool registers the user instead of redirecting.", next.Host)})
		}
	}
	switch {
	case tried == 0 && len(notTried) > 0:
		r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindProbeNoServerAnswered, Severity: engine.SeverityError, Subject: r.Address,
			Message: "No server was contacted: the probe's overall time limit ran out first.",
			Fix:     "Run the check again with a longer --connect-deadline."})
	case tried == 0:
		r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindProbeNoServerAnswered, Severity: engine.SeverityError, Subject: r.Address,
			Message: "No server was contacted: discovery gave no candidate the client could connect to.",
			Fix:     "Fix discovery first (see the report's findings)."})
	case !ok:
		r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindProbeNoServerAnswered, Severity: engine.SeverityError, Subject: r.Address,
			Message: fmt.Sprintf("None of the %d servers tried answered the REGISTER in SIP, so the client cannot sign in.", tried),
			Fix:     "See each attempt's findings."})
	case r.Attempts[0].Outcome == Failed:
		r.Findings = append(r.Findings, engine.Finding{Kind: engine.KindProbeFirstCandidateFailed, Severity: engine.SeverityWarning, Subject: r.Address,
			Message: fmt.Sprintf("The first candidate, %s:%d, failed; the client gets an answer only from %s:%d, after waiting for the failures before it.", r.Attempts[0].Host, r.Attempts[0].Port, ans.Host, ans.Port),
			Fix:     "Fix or remove the records of the candidates that fail, so that the client reaches a server at once."})
	}
}

// redirectAttempt returns the attempt made to follow a redirect, if any.
func redirectAttempt(r Result) (Attempt, bool) {
	for _, a := range r.Attempts {
		if a.Reason == engine.ConnectionRedirected {
			return a, true
		}
	}
	return Attempt{}, false
}

// profileOf returns the client profile called name, or a profile with
// that title and no capabilities when there is none.
func profileOf(name string) *engine.Profile {
	if p, err := engine.LookupProfile(name); err == nil {
		return p
	}
	return &engine.Profile{Name: name, Title: name}
}

package probe

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/register"
)

// Compare says where the real servers differ from what the simulated
// exchange ex assumed: the server the client ends up on, the protocols
// the challenge offers and their version, the name the server gives
// itself, a redirect, and the certificate. It returns nothing when ex is
// nil or nothing differs. Only the unauthenticated part can be compared:
// the probe never authenticates, so a redirect a Director sends after
// authentication is not observed.
func Compare(r Result, ex *engine.Exchange) []engine.Finding {
	if ex == nil || len(ex.Connections) == 0 {
		return nil
	}
	var fs []engine.Finding
	add := func(kind engine.Kind, sev engine.Severity, subject, msg, fix string) {
		fs = append(fs, engine.Finding{Kind: kind, Severity: sev, Subject: subject, Message: msg, Fix: fix})
	}
	simConn := ex.Connections[0]
	simWhere := fmt.Sprintf("%s:%d", simConn.Host, simConn.Port)
	ans, ok := r.Answered()
	if !ok {
		return nil // Judge has said that no server answered.
	}
	where := fmt.Sprintf("%s:%d", ans.Host, ans.Port)
	if !strings.EqualFold(ans.Host, simConn.Host) || ans.Port != uint16(simConn.Port) || !strings.EqualFold(string(ans.Transport), simConn.Transport) {
		add(engine.KindProbeDiffersTarget, engine.SeverityWarning, where,
			fmt.Sprintf("The simulation signs in to %s over %s, the target discovery chose, but the first server that answers is %s over %s.", simWhere, strings.ToUpper(simConn.Transport), where, ans.Transport),
			"Fix the candidates before it that fail (see their findings), so that the server discovery chooses is the one that answers.")
	}

	// The certificate.
	if simConn.TLS != nil && ans.TLS != nil && len(ans.TLS.Chain) > 0 {
		leaf := ans.TLS.Chain[0]
		real := leaf.DNSNames
		if len(real) == 0 && leaf.CommonName != "" {
			real = []string{leaf.CommonName}
		}
		switch {
		case simConn.TLS.Status == engine.CertAssumed:
			state := "it names " + ans.Host
			if !ans.TLS.Covered {
				state = "it does not name " + ans.Host
			}
			if !ans.TLS.InValidity {
				state += " and is outside its validity dates"
			}
			add(engine.KindProbeDiffersCertificate, engine.SeverityInfo, where,
				fmt.Sprintf("The simulation assumed the server's certificate valid; the real one carries %s: %s.", strings.Join(real, ", "), state),
				fmt.Sprintf("Simulate with the real certificate's names (%s) to see what the client does with it.", strings.Join(real, ",")))
		case !sameNames(simConn.TLS.Names, real):
			add(engine.KindProbeDiffersCertificate, engine.SeverityWarning, where,
				fmt.Sprintf("The simulation was given the certificate names %s; the server presents %s.", strings.Join(simConn.TLS.Names, ", "), strings.Join(real, ", ")),
				"Simulate with the names the server really presents.")
		}
		if simConn.TLS.Status == engine.CertValid && !ans.TLS.Covered {
			add(engine.KindProbeDiffersCertificate, engine.SeverityError, where,
				fmt.Sprintf("The simulation found the certificate valid for %s, but the real one does not name it: the real client refuses the connection.", ans.Host),
				fmt.Sprintf("Reissue the certificate with %s as a subject alternative name.", ans.Host))
		}
	}

	resp := ans.Response
	if resp == nil {
		return fs
	}

	// A redirect.
	simHome := ""
	if len(ex.Connections) > 1 && ex.Connections[1].Reason == engine.ConnectionRedirected {
		simHome = ex.Connections[1].Host
	}
	if resp.Redirect != nil && resp.Redirect.Host != "" {
		switch {
		case simHome == "":
			add(engine.KindProbeDiffersRedirect, engine.SeverityWarning, where,
				fmt.Sprintf("The server redirects the client to %s at once, without authenticating it; the simulation assumed %s is the user's home pool.", resp.Redirect.Host, simConn.Host),
				fmt.Sprintf("Simulate with the home pool %s.", resp.Redirect.Host))
		case !strings.EqualFold(simHome, resp.Redirect.Host):
			add(engine.KindProbeDiffersRedirect, engine.SeverityWarning, where,
				fmt.Sprintf("The server redirects the client to %s; the simulation assumed the home pool %s.", resp.Redirect.Host, simHome),
				fmt.Sprintf("Simulate with the home pool %s.", resp.Redirect.Host))
		}
	} else if simHome != "" && (resp.Status == 401 || resp.Status == 407) {
		add(engine.KindProbeDiffersRedirect, engine.SeverityInfo, where,
			fmt.Sprintf("The simulation has %s redirect the client to %s after it authenticates; the probe sends no credentials, so that redirect cannot be observed here.", simConn.Host, simHome),
			"Nothing to fix; Test-CsRegistration on the server shows the redirect with a real account.")
	}

	// The challenge.
	if resp.Status != 401 && resp.Status != 407 {
		return fs
	}
	sim := simulatedChallenges(ex)
	if len(sim) == 0 {
		return fs
	}
	simProtos, realProtos := protocols(sim), protocols(resp.Challenges)
	client := profileOf(ex.Client)
	realMS := without(realProtos, without(realProtos, microsoftProtocols...)...)
	if len(realMS) > 0 && !slices.Equal(sortedCopy(simProtos), sortedCopy(realProtos)) {
		extraDSK := slices.Contains(realProtos, register.TLSDSK) && !slices.Contains(simProtos, register.TLSDSK) && !client.TLSDSK
		if extraDSK && slices.Equal(sortedCopy(simProtos), sortedCopy(without(realProtos, register.TLSDSK))) {
			add(engine.KindProbeDiffersOffers, engine.SeverityInfo, where,
				fmt.Sprintf("The server offers TLS-DSK to %s too; the simulation leaves TLS-DSK out of the challenge for clients without it. The client ignores it and answers with %s.", client.Title, strings.Join(simProtos, " or ")),
				"Nothing to fix.")
		} else {
			add(engine.KindProbeDiffersOffers, engine.SeverityWarning, where,
				fmt.Sprintf("The server offers %s; the simulation assumed %s.", joinList(realProtos), joinList(simProtos)),
				fmt.Sprintf("Simulate with the protocols the server offers (offers %s).", strings.ToLower(strings.Join(realMS, ","))))
		}
	}
	simVersion, realVersion := challengeVersion(sim), challengeVersion(resp.Challenges)
	if simVersion != 0 && realVersion != 0 && simVersion != realVersion {
		add(engine.KindProbeDiffersVersion, engine.SeverityInfo, where,
			fmt.Sprintf("The server's challenges carry version=%d (%s); the simulation of %s assumed version=%d ([MS-SIPAE] §3.3.5.1).", realVersion, versionServer(realVersion), ex.Client, simVersion),
			"Nothing to fix if the server is meant to be that generation; simulate with the matching client profile to compare like with like.")
	}
	simName, realName := ntlmTargetName(sim), ntlmTargetName(resp.Challenges)
	if simName != "" && realName != "" && !strings.EqualFold(simName, realName) {
		add(engine.KindProbeDiffersTargetName, engine.SeverityInfo, where,
			fmt.Sprintf("The server names itself %s in its challenges (targetname); the simulation used %s, the host discovery found. The client asks Kerberos for a ticket to sip/%s.", realName, simName, realName),
			"Nothing to fix: a pool's challenges name the pool, whatever name the client connected by.")
	}
	return fs
}

// simulatedChallenges parses the WWW-Authenticate headers of the
// simulation's first 401, the answer to the REGISTER without
// credentials.
func simulatedChallenges(ex *engine.Exchange) []Challenge {
	for _, m := range ex.Messages {
		if m.Direction != engine.ServerToClient || !strings.HasPrefix(m.StartLine, "SIP/2.0 401") {
			continue
		}
		var out []Challenge
		for _, v := range m.Get("WWW-Authenticate") {
			out = append(out, ParseChallenge("WWW-Authenticate", v))
		}
		return out
	}
	return nil
}

func protocols(cs []Challenge) []string {
	var out []string
	for _, c := range cs {
		if c.Protocol != "" && !slices.Contains(out, c.Protocol) {
			out = append(out, c.Protocol)
		}
	}
	return out
}

// challengeVersion is the version of the first NTLM or Kerberos
// challenge (TLS-DSK is always 4), 0 if none has one.
func challengeVersion(cs []Challenge) int {
	for _, c := range cs {
		if (c.Protocol == register.NTLM || c.Protocol == register.Kerberos) && c.Version != 0 {
			return c.Version
		}
	}
	return 0
}

// ntlmTargetName is the server's FQDN as its NTLM or TLS-DSK challenge
// names it, or its Kerberos principal without "sip/".
func ntlmTargetName(cs []Challenge) string {
	for _, c := range cs {
		switch c.Protocol {
		case register.NTLM, register.TLSDSK:
			if c.TargetName != "" {
				return c.TargetName
			}
		case register.Kerberos:
			if n, ok := strings.CutPrefix(strings.ToLower(c.TargetName), "sip/"); ok && n != "" {
				return n
			}
		}
	}
	return ""
}

func versionServer(v int) string {
	switch v {
	case 3:
		return "Office Communications Server 2007"
	case 4:
		return "Office Communications Server 2007 R2, Lync Server or later"
	}
	return "unknown"
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.ContainsFunc(b, func(y string) bool { return strings.EqualFold(x, y) }) {
			return false
		}
	}
	return true
}

func sortedCopy(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

func without(xs []string, drop ...string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}

func joinList(xs []string) string {
	switch len(xs) {
	case 0:
		return "nothing"
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

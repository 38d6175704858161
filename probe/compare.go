package probe

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
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
	ans, ok := r.Answered()
	if !ok {
		return nil // Judge has said that no server answered.
	}
	c := comparison{ex: ex, sim: ex.Connections[0], ans: ans, where: fmt.Sprintf("%s:%d", ans.Host, ans.Port)}
	c.target()
	c.certificate()
	if resp := ans.Response; resp != nil {
		c.redirect(resp)
		if resp.Status == 401 || resp.Status == 407 {
			c.challenge(resp)
		}
	}
	return c.fs
}

// comparison is one run of Compare: the simulation's first connection,
// the attempt that answered, and the findings so far.
type comparison struct {
	ex    *engine.Exchange
	sim   engine.Connection
	ans   Attempt
	where string // the answering server, "host:port"
	fs    []engine.Finding
}

func (c *comparison) add(kind engine.Kind, sev engine.Severity, msg, fix string) {
	c.fs = append(c.fs, engine.Finding{Kind: kind, Severity: sev, Subject: c.where, Message: msg, Fix: fix})
}

// target compares the server that answered with the simulation's target.
func (c *comparison) target() {
	sim, ans := c.sim, c.ans
	if strings.EqualFold(ans.Host, sim.Host) && ans.Port == uint16(sim.Port) && strings.EqualFold(string(ans.Transport), sim.Transport) {
		return
	}
	c.add(engine.KindProbeDiffersTarget, engine.SeverityWarning,
		fmt.Sprintf("The simulation signs in to %s:%d over %s, the target discovery chose, but the first server that answers is %s over %s.", sim.Host, sim.Port, strings.ToUpper(sim.Transport), c.where, ans.Transport),
		"Fix the candidates before it that fail (see their findings), so that the server discovery chooses is the one that answers.")
}

// certificate compares the certificate the server presents with the one
// the simulation assumed or was given.
func (c *comparison) certificate() {
	simTLS, tls := c.sim.TLS, c.ans.TLS
	if simTLS == nil || tls == nil || len(tls.Chain) == 0 {
		return
	}
	leaf := tls.Chain[0]
	real := leaf.DNSNames
	if len(real) == 0 && leaf.CommonName != "" {
		real = []string{leaf.CommonName}
	}
	switch {
	case simTLS.Status == engine.CertAssumed:
		state := "it names " + c.ans.Host
		if !tls.Covered {
			state = "it does not name " + c.ans.Host
		}
		if !tls.InValidity {
			state += " and is outside its validity dates"
		}
		c.add(engine.KindProbeDiffersCertificate, engine.SeverityInfo,
			fmt.Sprintf("The simulation assumed the server's certificate valid; the real one carries %s: %s.", strings.Join(real, ", "), state),
			fmt.Sprintf("Simulate with the real certificate's names (%s) to see what the client does with it.", strings.Join(real, ",")))
	case !sameNames(simTLS.Names, real):
		c.add(engine.KindProbeDiffersCertificate, engine.SeverityWarning,
			fmt.Sprintf("The simulation was given the certificate names %s; the server presents %s.", strings.Join(simTLS.Names, ", "), strings.Join(real, ", ")),
			"Simulate with the names the server really presents.")
	}
	if simTLS.Status == engine.CertValid && !tls.Covered {
		c.add(engine.KindProbeDiffersCertificate, engine.SeverityError,
			fmt.Sprintf("The simulation found the certificate valid for %s, but the real one does not name it: the real client refuses the connection.", c.ans.Host),
			fmt.Sprintf("Reissue the certificate with %s as a subject alternative name.", c.ans.Host))
	}
}

// redirect compares a redirect the server sends at once with the home
// pool the simulation assumed.
func (c *comparison) redirect(resp *Response) {
	simHome := ""
	if len(c.ex.Connections) > 1 && c.ex.Connections[1].Reason == engine.ConnectionRedirected {
		simHome = c.ex.Connections[1].Host
	}
	switch {
	case resp.Redirect != nil && resp.Redirect.Host != "" && simHome == "":
		c.add(engine.KindProbeDiffersRedirect, engine.SeverityWarning,
			fmt.Sprintf("The server redirects the client to %s at once, without authenticating it; the simulation assumed %s is the user's home pool.", resp.Redirect.Host, c.sim.Host),
			fmt.Sprintf("Simulate with the home pool %s.", resp.Redirect.Host))
	case resp.Redirect != nil && resp.Redirect.Host != "":
		if !strings.EqualFold(simHome, resp.Redirect.Host) {
			c.add(engine.KindProbeDiffersRedirect, engine.SeverityWarning,
				fmt.Sprintf("The server redirects the client to %s; the simulation assumed the home pool %s.", resp.Redirect.Host, simHome),
				fmt.Sprintf("Simulate with the home pool %s.", resp.Redirect.Host))
		}
	case simHome != "" && (resp.Status == 401 || resp.Status == 407):
		c.add(engine.KindProbeDiffersRedirect, engine.SeverityInfo,
			fmt.Sprintf("The simulation has %s redirect the client to %s after it authenticates; the probe sends no credentials, so that redirect cannot be observed here.", c.sim.Host, simHome),
			"Nothing to fix; Test-CsRegistration on the server shows the redirect with a real account.")
	}
}

// challenge compares the server's challenge with the simulation's first
// 401: the protocols offered, their version and the name the server
// gives itself.
func (c *comparison) challenge(resp *Response) {
	sim := simulatedChallenges(c.ex)
	if len(sim) == 0 {
		return
	}
	c.offers(protocols(sim), protocols(resp.Challenges))
	simVersion, realVersion := challengeVersion(sim), challengeVersion(resp.Challenges)
	if simVersion != 0 && realVersion != 0 && simVersion != realVersion {
		c.add(engine.KindProbeDiffersVersion, engine.SeverityInfo,
			fmt.Sprintf("The server's challenges carry version=%d (%s); the simulation of %s assumed version=%d ([MS-SIPAE] §3.3.5.1).", realVersion, versionServer(realVersion), c.ex.Client, simVersion),
			"Nothing to fix if the server is meant to be that generation; simulate with the matching client profile to compare like with like.")
	}
	simName, realName := ntlmTargetName(sim), ntlmTargetName(resp.Challenges)
	if simName != "" && realName != "" && !strings.EqualFold(simName, realName) {
		c.add(engine.KindProbeDiffersTargetName, engine.SeverityInfo,
			fmt.Sprintf("The server names itself %s in its challenges (targetname); the simulation used %s, the host discovery found. The client asks Kerberos for a ticket to sip/%s.", realName, simName, realName),
			"Nothing to fix: a pool's challenges name the pool, whatever name the client connected by.")
	}
}

// offers compares the protocols the server offers with those the
// simulation assumed. A TLS-DSK offer to a client without it is only
// information: the client ignores it.
func (c *comparison) offers(simProtos, realProtos []string) {
	realMS := without(realProtos, without(realProtos, microsoftProtocols...)...)
	if len(realMS) == 0 || slices.Equal(sortedCopy(simProtos), sortedCopy(realProtos)) {
		return
	}
	client := profileOf(c.ex.Client)
	extraDSK := slices.Contains(realProtos, signin.TLSDSK) && !slices.Contains(simProtos, signin.TLSDSK) && !client.TLSDSK
	if extraDSK && slices.Equal(sortedCopy(simProtos), sortedCopy(without(realProtos, signin.TLSDSK))) {
		c.add(engine.KindProbeDiffersOffers, engine.SeverityInfo,
			fmt.Sprintf("The server offers TLS-DSK to %s too; the simulation leaves TLS-DSK out of the challenge for clients without it. The client ignores it and answers with %s.", client.Title, strings.Join(simProtos, " or ")),
			"Nothing to fix.")
		return
	}
	c.add(engine.KindProbeDiffersOffers, engine.SeverityWarning,
		fmt.Sprintf("The server offers %s; the simulation assumed %s.", joinList(realProtos), joinList(simProtos)),
		fmt.Sprintf("Simulate with the protocols the server offers (offers %s).", strings.ToLower(strings.Join(realMS, ","))))
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
		if (c.Protocol == signin.NTLM || c.Protocol == signin.Kerberos) && c.Version != 0 {
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
		case signin.NTLM, signin.TLSDSK:
			if c.TargetName != "" {
				return c.TargetName
			}
		case signin.Kerberos:
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

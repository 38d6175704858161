package engine

import (
	"fmt"
	"strings"
)

// Verdict is the naming policy's judgement of one discovered host.
type Verdict struct {
	// Allowed: the client may use the host.
	Allowed bool
	// Prompt: the host is allowed only after the user answers Lync's
	// "cannot verify that the server is trusted" question.
	Prompt bool
	// Reason explains the verdict in a sentence, naming the rule.
	Reason string
	// Rule names the rule that decided: "same-domain", "strict",
	// "loose", "namespace", "trusted-domain", "trust-prompt".
	Rule string
}

// CheckName applies the naming policy of model to a host discovered through
// an SRV record for the sign-in domain. host and domain are lower case
// without trailing dots.
//
// Office Communicator ("Office Communicator Sign-in and Discovery"): with
// EnableStrictDNSNaming the host must be the domain itself or sip.<domain>;
// without it any <name>.<domain> is allowed. A host in another namespace —
// sip.contoso.com.net, sipcontoso.com, sip.other.com, contoso.com.evil.com —
// is never allowed.
//
// The trust model of Lync and Skype for Business (Lync Server 2013 client
// bootstrapping policies, TrustModelData) accepts a host under the sign-in
// domain, does not refuse hosts outside the namespace: it accepts a host in
// a trusted domain and otherwise asks the user. Strict naming, where a
// policy requires it, still refuses (docs/adr/0016-lync-and-skype-naming.md).
func CheckName(host, domain string, strict bool, model NamingModel, trusted []string) Verdict {
	return checkName(host, domain, strict, model, trusted, communicatorWords)
}

// nameWords are the phrases a naming verdict uses for the policy, as the
// client's documents name it.
type nameWords struct {
	// strict names strict naming in force: "strict naming
	// (EnableStrictDNSNaming)".
	strict string
	// loose ends the reason a name under the domain is allowed with
	// strict naming off: "allowed because strict naming is off".
	loose string
	// trusted names where a trusted domain comes from; "" is
	// "(TrustModelData)".
	trusted string
}

var (
	communicatorWords = nameWords{strict: "strict naming (EnableStrictDNSNaming)", loose: "allowed because strict naming is off"}
	lyncWords         = nameWords{strict: "strict naming (required by policy, as the DisableStrictDNSNaming policy text reads)", loose: "accepted as Microsoft's deployment documents publish it (gg425884: _sipinternaltls._tcp to the pool's own name)"}
	lyncTCPWords      = nameWords{strict: "strict naming", loose: "allowed over TCP because Lync's strict naming applies only to TLS connections"}
)

// judgeName applies prof's naming rule and pol to host, an SRV target for
// domain that the client would reach over t.
func judgeName(prof *Profile, pol Policy, host, domain string, t Transport) Verdict {
	words := communicatorWords
	if prof.StrictPolicy == "DisableStrictDNSNaming" {
		words = lyncWords
		if pol.StrictNaming && !prof.StrictApplies(pol, t) {
			words = lyncTCPWords
		}
	}
	if len(pol.TrustedDomains) == 0 && len(prof.DefaultTrusted) > 0 {
		words.trusted = "(TrustModelData not set: its default list in the Skype for Business 2016 policy text)"
	}
	return checkName(host, domain, prof.StrictApplies(pol, t), prof.Naming, prof.Trusted(pol), words)
}

// Trusted returns the domains the client trusts without a prompt under
// pol: the TrustModelData domains given, or, when none is given, the
// client's documented default list (Profile.DefaultTrusted), which setting
// the policy replaces.
func (p *Profile) Trusted(pol Policy) []string {
	if len(pol.TrustedDomains) > 0 {
		return pol.TrustedDomains
	}
	return p.DefaultTrusted
}

func checkName(host, domain string, strict bool, model NamingModel, trusted []string, words nameWords) Verdict {
	if err := CheckHostName(host); err != nil {
		return Verdict{Rule: "syntax", Reason: err.Error()}
	}
	switch {
	case host == domain:
		return Verdict{Allowed: true, Rule: "same-domain",
			Reason: fmt.Sprintf("%s is the sign-in domain itself, allowed under strict and loose naming", host)}
	case host == "sip."+domain:
		return Verdict{Allowed: true, Rule: "strict",
			Reason: fmt.Sprintf("%s is sip.<sign-in domain>, allowed under strict and loose naming", host)}
	}
	under := strings.HasSuffix(host, "."+domain)
	if strict {
		if under {
			return Verdict{Rule: "strict", Reason: fmt.Sprintf(
				"%s allows only %s and sip.%s; %s is under %s but is neither", words.strict, domain, domain, host, domain)}
		}
		return Verdict{Rule: "strict", Reason: fmt.Sprintf(
			"%s allows only %s and sip.%s; %s", words.strict, domain, domain, outsideWhy(host, domain))}
	}
	if under {
		return Verdict{Allowed: true, Rule: "loose", Reason: fmt.Sprintf(
			"%s is a name under %s, %s", host, domain, words.loose)}
	}
	if model == NamingTrustModel {
		from := words.trusted
		if from == "" {
			from = "(TrustModelData)"
		}
		for _, t := range trusted {
			if host == t || strings.HasSuffix(host, "."+t) {
				return Verdict{Allowed: true, Rule: "trusted-domain", Reason: fmt.Sprintf(
					"%s is outside %s but in %s, a trusted domain %s", host, domain, t, from)}
			}
		}
		return Verdict{Allowed: true, Prompt: true, Rule: "trust-prompt", Reason: fmt.Sprintf(
			"%s; the client asks the user whether to trust it (\"cannot verify that the server is trusted for your sign-in address\")", outsideWhy(host, domain))}
	}
	return Verdict{Rule: "namespace", Reason: fmt.Sprintf(
		"%s; the client never trusts a server in another namespace", outsideWhy(host, domain))}
}

// outsideWhy explains why host is not within domain's namespace, calling out
// the look-alike forms Office Communicator Sign-in and Discovery lists.
func outsideWhy(host, domain string) string {
	switch {
	case strings.HasPrefix(host, domain+".") || strings.Contains(host, "."+domain+"."):
		return fmt.Sprintf("%s is not under %s: it contains %s but belongs to %s",
			host, domain, domain, registered(host))
	case strings.HasSuffix(host, domain):
		return fmt.Sprintf("%s ends with the letters %q but not on a label boundary, so it is a different domain",
			host, domain)
	}
	return fmt.Sprintf("%s is outside %s", host, domain)
}

// registered returns the last two labels of name, enough to show which
// domain a look-alike really belongs to.
func registered(name string) string {
	labels := strings.Split(name, ".")
	if len(labels) <= 2 {
		return name
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

// CheckHostName reports whether name, as it came from DNS, is a usable host
// name: labels of letters, digits and hyphens (RFC 1123 §2.1, RFC 952), 1 to
// 63 bytes each, 253 in all, not starting or ending with a hyphen. DNS
// itself carries any bytes in a label (RFC 2181 §11), and names arrive in
// presentation form, so an escaped dot ("evil\.contoso.com") or markup
// would otherwise pass a suffix comparison; the client cannot connect to
// such a name, so it is refused before any naming rule.
func CheckHostName(name string) error {
	if name == "" || name == "." {
		return fmt.Errorf("the SRV target is empty")
	}
	if len(name) > 253 {
		return fmt.Errorf("%.40s... is longer than 253 bytes, not a host name", name)
	}
	for _, label := range strings.Split(name, ".") {
		switch {
		case label == "":
			return fmt.Errorf("%s has an empty label, not a host name", name)
		case len(label) > 63:
			return fmt.Errorf("%s has a label longer than 63 bytes, not a host name", name)
		case label[0] == '-' || label[len(label)-1] == '-':
			return fmt.Errorf("%s has a label starting or ending with '-', not a host name", name)
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("%s is not a host name: %s is not allowed in a host name (letters, digits and '-' only)", name, quoteByte(c))
			}
		}
	}
	return nil
}

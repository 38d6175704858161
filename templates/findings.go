package templates

// FindingDoc explains one finding kind on the docs pages.
type FindingDoc struct {
	Kind     string
	Severity string // the usual severity
	Title    string
	Meaning  string
	Fix      string
}

// FindingDocs explains every finding kind the engine reports, grouped as a
// reader meets them. TestFindingDocsCoverEngine fails when the engine
// gains a kind that is not explained here.
var FindingDocs = []FindingDoc{
	{"no-fallback", "error", "SRV records exist, but none is usable — and there is no fallback",
		"At least one SRV record exists for the domain, yet every target is refused by the naming rule, does not resolve or is \".\". Because an SRV record exists, the client does not try host records such as sipinternal.<domain>, even if they exist.",
		"Correct the SRV records so they name a server under the sign-in domain that has an address record — or delete them so that the host-record fallback applies."},
	{"no-records", "error", "No SRV record and no fallback host",
		"None of the SRV names exists and none of the fallback host names resolves. Automatic sign-in fails; users must enter the server by hand.",
		"Publish _sipinternaltls._tcp in internal DNS and _sip._tls in external DNS, each target with an address record."},
	{"no-server", "error", "No usable server",
		"Discovery ended without a server the client may use.",
		"Publish _sipinternaltls._tcp.<domain> with an address record for its target."},
	{"naming-refused", "error", "SRV target refused by the naming rule",
		"The SRV target is outside what the client accepts: with strict naming only <domain> and sip.<domain>; with loose naming only names under <domain>. Names in another namespace are never accepted.",
		"Point the SRV record at a name under the sign-in domain (with strict naming: sip.<domain>), and make sure the server's certificate carries that name."},
	{"trust-prompt", "warning", "Lync asks whether to trust the server",
		"Under Lync's trust model a server outside the sign-in domain is not refused, but the user is asked whether to trust it.",
		"Point the SRV record at a name under the sign-in domain, or add the server's domain to the TrustModelData policy."},
	{"target-unresolvable", "error", "Target has no address",
		"An SRV target (or a fallback host) has no A or AAAA record, so the client cannot connect to it and tries the next candidate.",
		"Publish an address record for the target."},
	{"indeterminate", "error", "A failed lookup hides the answer",
		"A lookup failed (SERVFAIL, REFUSED, a timeout, a bad DoH response). A failed lookup is not the same as a record that does not exist, so what the client would do cannot be known.",
		"Make the lookup answer: check the zone's authoritative servers and DNSSEC, then check again."},
	{"lookup-failed", "warning", "A lookup failed without changing the result",
		"A lookup failed, but the client would try it only after the server it signs in to (or, for Lync 2013, it moves on past failing records), so the result stands. Other clients may still fail.",
		"Make the lookup answer, or remove the record."},
	{"a-record-fallback", "warning", "Found only through the host-record fallback",
		"No SRV record exists, and the client found its server through a fallback host name (sipinternal, sip or sipexternal). It works, but it is the client's last resort and other client generations try different names.",
		"Publish _sipinternaltls._tcp (internal DNS) and _sip._tls (external DNS)."},
	{"tcp-target", "warning", "Signing in over TCP",
		"The server the client uses is reached over TCP: signalling is not encrypted, and clients whose policy disallows TCP fail.",
		"Publish _sipinternaltls._tcp so clients use TLS."},
	{"tcp-not-allowed", "info", "TCP not allowed by policy",
		"The client's policy disallows TCP, so it does not ask for _sipinternal._tcp at all.",
		"Nothing to fix."},
	{"certificate-name", "info", "The certificate must carry the server name",
		"The client connects to the discovered host name; the server's certificate must carry that name as its subject or a subject alternative name, or the client refuses the connection. Automatic sign-in makes sip.<domain> a common entry.",
		"Check that the certificate on the server lists the host name shown."},
	{"no-internal-srv", "info", "No internal SRV record in this view",
		"_sipinternaltls._tcp does not exist in the DNS this check used, so the client goes to the Access Edge server. That is right for an external view; inside the network the internal record should exist.",
		"Publish _sipinternaltls._tcp.<domain> in internal DNS, pointing at the pool."},
	{"no-external-srv", "info", "No external SRV record",
		"_sip._tls does not exist, so clients outside the network cannot discover the Access Edge server.",
		"Publish _sip._tls.<domain> in external DNS, pointing at the Access Edge server (usually sip.<domain>, port 443)."},
	{"srv-not-offered", "info", "Service decidedly not offered",
		"The SRV name has the single target \".\" (RFC 2782): the domain says the service is not offered. The record exists, so it still rules out the host-record fallback.",
		"If the service should be offered, replace the record with one naming the server."},
	{"srv-dot-mixed", "warning", "\".\" mixed with real targets",
		"An SRV name has a \".\" target next to real ones; \".\" is meaningful only as the single record, so it is ignored.",
		"Delete the SRV record whose target is \".\"."},
	{"too-many-records", "warning", "Too many records",
		"An answer has more records than sipdisco considers; the rest were ignored. DNS data is treated as hostile and bounded.",
		"Publish one SRV record per pool or Edge server; a handful is plenty."},
	{"manual-configuration", "info", "Manual configuration",
		"The client is configured with server names, so it does not use DNS discovery; the internal server is tried first, then the external one. The report shows what discovery would have found, for comparison.",
		"Nothing to fix; publish the SRV records to let clients configure themselves."},
	{"manual-unresolvable", "error", "Manual server has no address",
		"A manually configured server name does not resolve, so the client cannot connect to it.",
		"Publish an address record for it, or correct the manual setting."},
	{"autodiscover-found", "info", "Autodiscover name found",
		"lyncdiscoverinternal or lyncdiscover resolves, so Lync 2013 and Skype for Business ask that web service for their sign-in server first. sipdisco checks the DNS name only.",
		"The web service's certificate must carry the name."},
	{"autodiscover-missing", "info", "Autodiscover name missing",
		"lyncdiscoverinternal or lyncdiscover does not exist; the client moves on to the next record.",
		"Publish it as a CNAME to the pool's web services (internal) or the reverse proxy (external)."},

	// The simulated sign-in (engine/register): the failure kinds of the
	// REGISTER exchange, which the report's sign-in section links here.
	{"not-sent", "error", "Sign-in: no REGISTER is sent",
		"Discovery found no server the client can use (or a failed lookup makes it unknown), so the client never reaches the sign-in exchange: it reports that the server is unavailable before asking for any credentials.",
		"Fix the discovery findings first; the sign-in exchange starts once a server is found."},
	{"no-credentials", "error", "Sign-in: no credentials to answer the challenge",
		"The server challenges the unauthenticated REGISTER with 401 Unauthorized, and the client has no saved credentials and the prompt was not answered, so it cannot go on.",
		"Type the account and password when the client asks, or save them in the client."},
	{"desktop-credentials-other-account", "error", "Sign-in: the Windows logon is another account",
		"The client answers the challenge with the credentials of the user logged on to Windows, and that account is not the one that owns the sign-in address; the server refuses them.",
		"Sign in with the owner's account and password (the client prompts when they are cleared), or log on to Windows as the owner."},
	{"unknown-sign-in-address", "error", "Sign-in: unknown sign-in address",
		"The sign-in address is not any user's SIP URI: it was typed wrong, or the user has another one. The server answers 404 Not Found (ms-diagnostics 1003).",
		"Check the spelling of the sign-in address against the user's SIP URI in the directory."},
	{"not-enabled-for-sip", "error", "Sign-in: the account is not enabled for SIP",
		"The account exists and its credentials are right, but it has no SIP URI: it is not enabled for Office Communications Server or Lync, so no address belongs to it.",
		"Enable the user for Office Communications Server / Lync with this sign-in address."},
	{"wrong-account-or-password", "error", "Sign-in: wrong account name or password",
		"The account name or the password is wrong, so the server challenges again instead of accepting the answer; the client reports that the credentials are not valid.",
		"Retype the account (DOMAIN\\user or the UPN) and the password; clear saved credentials that are out of date."},
	{"address-and-account-mismatch", "error", "Sign-in: sign-in address and account do not match",
		"The credentials are valid but belong to another user than the one who owns the sign-in address (jeremy@contoso.com signing in with CONTOSO\\vadim). The server answers 403 Forbidden with ms-diagnostics 4004: the credentials are not authorized to act as that address.",
		"Sign in with the credentials of the account that owns the address, or with the address of the account whose credentials are used."},
	{"no-common-protocol", "error", "Sign-in: no authentication protocol in common",
		"The server's challenge offers no authentication protocol the client can use with these credentials (for example Kerberos only, with typed or saved credentials, or TLS-DSK only for a client without it).",
		"Enable NTLM (or the protocol the client needs) on the server, or sign in from a domain-joined machine."},
	{"certificate-name-mismatch", "error", "Sign-in: the certificate does not name the server",
		"Over TLS, the server's certificate carries none of the names the client connected to, so the client refuses the connection before any SIP message.",
		"Issue the server a certificate that lists the discovered host name (subject or subject alternative name)."},
	{"certificate-expired", "error", "Sign-in: the certificate has expired",
		"Over TLS, the server's certificate is past its end of validity, so the client refuses the connection before any SIP message.",
		"Renew the server's certificate."},
}

// FindingsView is the docs page explaining every finding kind.
type FindingsView struct {
	Page     Page
	Findings []FindingDoc
}

// NewFindingsView returns the findings docs page.
func NewFindingsView(site Site) FindingsView {
	return FindingsView{Page: Page{Site: site, Title: "What each finding means", Nav: "docs",
		Description: "Every finding sipdisco reports, what it means and how to fix it."}, Findings: append(FindingDocs[:len(FindingDocs):len(FindingDocs)], CertFindingDocs...)}
}

// FindingsPath is the site path of the findings page.
const FindingsPath = "docs/findings.html"

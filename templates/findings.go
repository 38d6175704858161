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
}

// FindingsView is the docs page explaining every finding kind.
type FindingsView struct {
	Page     Page
	Findings []FindingDoc
}

// NewFindingsView returns the findings docs page.
func NewFindingsView(site Site) FindingsView {
	return FindingsView{Page: Page{Site: site, Title: "What each finding means", Nav: "docs",
		Description: "Every finding sipdisco reports, what it means and how to fix it."}, Findings: FindingDocs}
}

// FindingsPath is the site path of the findings page.
const FindingsPath = "docs/findings.html"

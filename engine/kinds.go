package engine

// Kind names a kind of finding (Finding.Kind) or of sign-in failure
// (Exchange.Failure). Every kind is declared here, once, and explained in
// KindDocs; renderers and docs pages never match a finding's text.
type Kind string

// Kinds of discovery findings (package engine).
const (
	// KindNoFallback: SRV records exist, but none is usable — and there is no fallback.
	KindNoFallback Kind = "no-fallback"
	// KindNoRecords: No SRV record and no fallback host.
	KindNoRecords Kind = "no-records"
	// KindNoServer: No usable server.
	KindNoServer Kind = "no-server"
	// KindNamingRefused: SRV target refused by the naming rule.
	KindNamingRefused Kind = "naming-refused"
	// KindTrustPrompt: Lync asks whether to trust the server.
	KindTrustPrompt Kind = "trust-prompt"
	// KindTargetUnresolvable: Target has no address.
	KindTargetUnresolvable Kind = "target-unresolvable"
	// KindIndeterminate: A failed lookup hides the answer.
	KindIndeterminate Kind = "indeterminate"
	// KindLookupFailed: A lookup failed without changing the result.
	KindLookupFailed Kind = "lookup-failed"
	// KindARecordFallback: Found only through the host-record fallback.
	KindARecordFallback Kind = "a-record-fallback"
	// KindTCPTarget: Signing in over TCP.
	KindTCPTarget Kind = "tcp-target"
	// KindTCPNotAllowed: TCP not allowed by policy.
	KindTCPNotAllowed Kind = "tcp-not-allowed"
	// KindCertificateName: The certificate must carry the server name.
	KindCertificateName Kind = "certificate-name"
	// KindNoInternalSRV: No internal SRV record in this view.
	KindNoInternalSRV Kind = "no-internal-srv"
	// KindNoExternalSRV: No external SRV record.
	KindNoExternalSRV Kind = "no-external-srv"
	// KindSRVNotOffered: Service decidedly not offered.
	KindSRVNotOffered Kind = "srv-not-offered"
	// KindSRVDotMixed: "." mixed with real targets.
	KindSRVDotMixed Kind = "srv-dot-mixed"
	// KindTooManyRecords: Too many records.
	KindTooManyRecords Kind = "too-many-records"
	// KindManualConfiguration: Manual configuration.
	KindManualConfiguration Kind = "manual-configuration"
	// KindManualUnresolvable: Manual server has no address.
	KindManualUnresolvable Kind = "manual-unresolvable"
	// KindAutodiscoverFound: Autodiscover name found.
	KindAutodiscoverFound Kind = "autodiscover-found"
	// KindAutodiscoverMissing: Autodiscover name missing.
	KindAutodiscoverMissing Kind = "autodiscover-missing"
)

// Kinds of sign-in outcomes (package engine/register): the failure of a
// simulated REGISTER exchange, or NotSent when discovery found no server.
const (
	// KindNotSent: No REGISTER is sent.
	KindNotSent Kind = "not-sent"
	// KindNoCredentials: No credentials to answer the challenge.
	KindNoCredentials Kind = "no-credentials"
	// KindDesktopCredentialsOtherAccount: The Windows logon is another account.
	KindDesktopCredentialsOtherAccount Kind = "desktop-credentials-other-account"
	// KindUnknownSignInAddress: Unknown sign-in address.
	KindUnknownSignInAddress Kind = "unknown-sign-in-address"
	// KindNotEnabledForSIP: The account is not enabled for SIP.
	KindNotEnabledForSIP Kind = "not-enabled-for-sip"
	// KindWrongAccountOrPassword: Wrong account name or password.
	KindWrongAccountOrPassword Kind = "wrong-account-or-password"
	// KindAddressAndAccountMismatch: Sign-in address and account do not match.
	KindAddressAndAccountMismatch Kind = "address-and-account-mismatch"
	// KindNoCommonProtocol: No authentication protocol in common.
	KindNoCommonProtocol Kind = "no-common-protocol"
	// KindCertificateNameMismatch: The certificate does not name the server.
	KindCertificateNameMismatch Kind = "certificate-name-mismatch"
	// KindCertificateExpired: The certificate has expired.
	KindCertificateExpired Kind = "certificate-expired"
)

// Kinds of certificate findings (package engine/certcheck).
const (
	// KindNameCovered: The certificate names the server.
	KindNameCovered Kind = "name-covered"
	// KindNameNotCovered: The certificate does not name the server.
	KindNameNotCovered Kind = "name-not-covered"
	// KindCNFallback: Matched only by the subject common name.
	KindCNFallback Kind = "cn-fallback"
	// KindWildcard: Covered only by a wildcard.
	KindWildcard Kind = "wildcard"
	// KindNotYetValid: Not valid yet.
	KindNotYetValid Kind = "not-yet-valid"
	// KindExpired: Expired.
	KindExpired Kind = "expired"
	// KindExpiresSoon: Expires soon.
	KindExpiresSoon Kind = "expires-soon"
	// KindIssuerOutOfValidity: An issuing certificate is out of its validity.
	KindIssuerOutOfValidity Kind = "issuer-out-of-validity"
	// KindNotServerAuth: Not a server authentication certificate.
	KindNotServerAuth Kind = "not-server-auth"
	// KindCACertificate: The first certificate is a CA.
	KindCACertificate Kind = "ca-certificate"
	// KindChainBroken: The chain is out of order or incomplete.
	KindChainBroken Kind = "chain-broken"
	// KindSelfSigned: Self-signed.
	KindSelfSigned Kind = "self-signed"
	// KindIssuer: Who must be trusted.
	KindIssuer Kind = "issuer"
)

// KindDoc explains one kind on the findings docs page: its usual severity,
// a title, what it means and how to fix it, in plain words.
type KindDoc struct {
	Kind     Kind
	Severity Severity
	Title    string
	Meaning  string
	Fix      string
}

// KindDocs returns the explanation of every kind, grouped as a reader meets
// them: discovery, then the sign-in, then the certificate check. A kind
// declared above and missing here fails TestKindDocs.
func KindDocs() []KindDoc { return append([]KindDoc(nil), kindDocs...) }

// LookupKind returns the explanation of k.
func LookupKind(k Kind) (KindDoc, bool) {
	for _, d := range kindDocs {
		if d.Kind == k {
			return d, true
		}
	}
	return KindDoc{}, false
}

var kindDocs = []KindDoc{
	{KindNoFallback, SeverityError, "SRV records exist, but none is usable — and there is no fallback",
		"At least one SRV record exists for the domain, yet every target is refused by the naming rule, does not resolve or is \".\". Because an SRV record exists, the client does not try host records such as sipinternal.<domain>, even if they exist.",
		"Correct the SRV records so they name a server under the sign-in domain that has an address record — or delete them so that the host-record fallback applies."},
	{KindNoRecords, SeverityError, "No SRV record and no fallback host",
		"None of the SRV names exists and none of the fallback host names resolves. Automatic sign-in fails; users must enter the server by hand.",
		"Publish _sipinternaltls._tcp in internal DNS and _sip._tls in external DNS, each target with an address record."},
	{KindNoServer, SeverityError, "No usable server",
		"Discovery ended without a server the client may use.",
		"Publish _sipinternaltls._tcp.<domain> with an address record for its target."},
	{KindNamingRefused, SeverityError, "SRV target refused by the naming rule",
		"The SRV target is outside what the client accepts: with strict naming only <domain> and sip.<domain>; with loose naming only names under <domain>. Names in another namespace are never accepted.",
		"Point the SRV record at a name under the sign-in domain (with strict naming: sip.<domain>), and make sure the server's certificate carries that name."},
	{KindTrustPrompt, SeverityWarning, "Lync asks whether to trust the server",
		"Under Lync's trust model a server outside the sign-in domain is not refused, but the user is asked whether to trust it.",
		"Point the SRV record at a name under the sign-in domain, or add the server's domain to the TrustModelData policy."},
	{KindTargetUnresolvable, SeverityError, "Target has no address",
		"An SRV target (or a fallback host) has no A or AAAA record, so the client cannot connect to it and tries the next candidate.",
		"Publish an address record for the target."},
	{KindIndeterminate, SeverityError, "A failed lookup hides the answer",
		"A lookup failed (SERVFAIL, REFUSED, a timeout, a bad DoH response). A failed lookup is not the same as a record that does not exist, so what the client would do cannot be known.",
		"Make the lookup answer: check the zone's authoritative servers and DNSSEC, then check again."},
	{KindLookupFailed, SeverityWarning, "A lookup failed without changing the result",
		"A lookup failed, but the client would try it only after the server it signs in to (or, for Lync 2013, it moves on past failing records), so the result stands. Other clients may still fail.",
		"Make the lookup answer, or remove the record."},
	{KindARecordFallback, SeverityWarning, "Found only through the host-record fallback",
		"No SRV record exists, and the client found its server through a fallback host name (sipinternal, sip or sipexternal). It works, but it is the client's last resort and other client generations try different names.",
		"Publish _sipinternaltls._tcp (internal DNS) and _sip._tls (external DNS)."},
	{KindTCPTarget, SeverityWarning, "Signing in over TCP",
		"The server the client uses is reached over TCP: signalling is not encrypted, and clients whose policy disallows TCP fail.",
		"Publish _sipinternaltls._tcp so clients use TLS."},
	{KindTCPNotAllowed, SeverityInfo, "TCP not allowed by policy",
		"The client's policy disallows TCP, so it does not ask for _sipinternal._tcp at all.",
		"Nothing to fix."},
	{KindCertificateName, SeverityInfo, "The certificate must carry the server name",
		"The client connects to the discovered host name; the server's certificate must carry that name as its subject or a subject alternative name, or the client refuses the connection. Automatic sign-in makes sip.<domain> a common entry.",
		"Check that the certificate on the server lists the host name shown."},
	{KindNoInternalSRV, SeverityInfo, "No internal SRV record in this view",
		"_sipinternaltls._tcp does not exist in the DNS this check used, so the client goes to the Access Edge server. That is right for an external view; inside the network the internal record should exist.",
		"Publish _sipinternaltls._tcp.<domain> in internal DNS, pointing at the pool."},
	{KindNoExternalSRV, SeverityInfo, "No external SRV record",
		"_sip._tls does not exist, so clients outside the network cannot discover the Access Edge server.",
		"Publish _sip._tls.<domain> in external DNS, pointing at the Access Edge server (usually sip.<domain>, port 443)."},
	{KindSRVNotOffered, SeverityInfo, "Service decidedly not offered",
		"The SRV name has the single target \".\" (RFC 2782): the domain says the service is not offered. The record exists, so it still rules out the host-record fallback.",
		"If the service should be offered, replace the record with one naming the server."},
	{KindSRVDotMixed, SeverityWarning, "\".\" mixed with real targets",
		"An SRV name has a \".\" target next to real ones; \".\" is meaningful only as the single record, so it is ignored.",
		"Delete the SRV record whose target is \".\"."},
	{KindTooManyRecords, SeverityWarning, "Too many records",
		"An answer has more records than sipdisco considers; the rest were ignored. DNS data is treated as hostile and bounded.",
		"Publish one SRV record per pool or Edge server; a handful is plenty."},
	{KindManualConfiguration, SeverityInfo, "Manual configuration",
		"The client is configured with server names, so it does not use DNS discovery; the internal server is tried first, then the external one. The report shows what discovery would have found, for comparison.",
		"Nothing to fix; publish the SRV records to let clients configure themselves."},
	{KindManualUnresolvable, SeverityError, "Manual server has no address",
		"A manually configured server name does not resolve, so the client cannot connect to it.",
		"Publish an address record for it, or correct the manual setting."},
	{KindAutodiscoverFound, SeverityInfo, "Autodiscover name found",
		"lyncdiscoverinternal or lyncdiscover resolves, so Lync 2013 and Skype for Business ask that web service for their sign-in server first. sipdisco checks the DNS name only.",
		"The web service's certificate must carry the name."},
	{KindAutodiscoverMissing, SeverityInfo, "Autodiscover name missing",
		"lyncdiscoverinternal or lyncdiscover does not exist; the client moves on to the next record.",
		"Publish it as a CNAME to the pool's web services (internal) or the reverse proxy (external)."},

	// The simulated sign-in (engine/register).
	{KindNotSent, SeverityError, "Sign-in: no REGISTER is sent",
		"Discovery found no server the client can use (or a failed lookup makes it unknown), so the client never reaches the sign-in exchange: it reports that the server is unavailable before asking for any credentials.",
		"Fix the discovery findings first; the sign-in exchange starts once a server is found."},
	{KindNoCredentials, SeverityError, "Sign-in: no credentials to answer the challenge",
		"The server challenges the unauthenticated REGISTER with 401 Unauthorized, and the client has no saved credentials and the prompt was not answered, so it cannot go on.",
		"Type the account and password when the client asks, or save them in the client."},
	{KindDesktopCredentialsOtherAccount, SeverityError, "Sign-in: the Windows logon is another account",
		"The client answers the challenge with the credentials of the user logged on to Windows, and that account is not the one that owns the sign-in address; the server refuses them.",
		"Sign in with the owner's account and password (the client prompts when they are cleared), or log on to Windows as the owner."},
	{KindUnknownSignInAddress, SeverityError, "Sign-in: unknown sign-in address",
		"The sign-in address is not any user's SIP URI: it was typed wrong, or the user has another one. The server answers 404 Not Found (ms-diagnostics 1003).",
		"Check the spelling of the sign-in address against the user's SIP URI in the directory."},
	{KindNotEnabledForSIP, SeverityError, "Sign-in: the account is not enabled for SIP",
		"The account exists and its credentials are right, but it has no SIP URI: it is not enabled for Office Communications Server or Lync, so no address belongs to it.",
		"Enable the user for Office Communications Server / Lync with this sign-in address."},
	{KindWrongAccountOrPassword, SeverityError, "Sign-in: wrong account name or password",
		"The account name or the password is wrong, so the server challenges again instead of accepting the answer; the client reports that the credentials are not valid.",
		"Retype the account (DOMAIN\\user or the UPN) and the password; clear saved credentials that are out of date."},
	{KindAddressAndAccountMismatch, SeverityError, "Sign-in: sign-in address and account do not match",
		"The credentials are valid but belong to another user than the one who owns the sign-in address (jeremy@contoso.com signing in with CONTOSO\\vadim). The server answers 403 Forbidden with ms-diagnostics 4004: the credentials are not authorized to act as that address.",
		"Sign in with the credentials of the account that owns the address, or with the address of the account whose credentials are used."},
	{KindNoCommonProtocol, SeverityError, "Sign-in: no authentication protocol in common",
		"The server's challenge offers no authentication protocol the client can use with these credentials (for example Kerberos only, with typed or saved credentials, or TLS-DSK only for a client without it).",
		"Enable NTLM (or the protocol the client needs) on the server, or sign in from a domain-joined machine."},
	{KindCertificateNameMismatch, SeverityError, "Sign-in: the certificate does not name the server",
		"Over TLS, the server's certificate carries none of the names the client connected to, so the client refuses the connection before any SIP message.",
		"Issue the server a certificate that lists the discovered host name (subject or subject alternative name)."},
	{KindCertificateExpired, SeverityError, "Sign-in: the certificate has expired",
		"Over TLS, the server's certificate is past its end of validity, so the client refuses the connection before any SIP message.",
		"Renew the server's certificate."},

	// The certificate check (engine/certcheck).
	{KindNameCovered, SeverityInfo, "The certificate names the server",
		"A DNS subject alternative name of the certificate matches the name the client connects to.",
		"Nothing to fix."},
	{KindNameNotCovered, SeverityError, "The certificate does not name the server",
		"No subject alternative name (or, without any, the subject common name) matches the name the client connects to — the SRV target or fallback host discovery found. The client refuses the TLS connection.",
		"Reissue the certificate with that name as a subject alternative name, or point the SRV record at a name the certificate carries."},
	{KindCNFallback, SeverityWarning, "Matched only by the subject common name",
		"The certificate has no DNS subject alternative name, so the name is compared with the subject common name, as clients of the Office Communicator and Lync era did (RFC 2818 §3.1). Current clients ignore the common name.",
		"Reissue the certificate with every name the server answers to as subject alternative names."},
	{KindWildcard, SeverityWarning, "Covered only by a wildcard",
		"The name matches a wildcard (*.contoso.com) only. Wildcards are supported for simple URLs and reverse proxies, not for pool, Director or Access Edge SIP names; some clients refuse them.",
		"Add the name as its own subject alternative name."},
	{KindNotYetValid, SeverityError, "Not valid yet",
		"The certificate's validity starts in the future.",
		"Wait until it is valid, or check the server's and the CA's clocks."},
	{KindExpired, SeverityError, "Expired",
		"The certificate's validity has ended; clients refuse it.",
		"Renew the certificate and assign it to the server."},
	{KindExpiresSoon, SeverityWarning, "Expires soon",
		"The certificate expires within 30 days.",
		"Renew it before then."},
	{KindIssuerOutOfValidity, SeverityError, "An issuing certificate is out of its validity",
		"A CA certificate of the pasted chain is expired or not yet valid.",
		"Install the CA's current intermediate certificate on the server."},
	{KindNotServerAuth, SeverityError, "Not a server authentication certificate",
		"The key usage or extended key usage does not allow a TLS server (RFC 5280 §4.2.1.3, §4.2.1.12).",
		"Request the certificate from a web server (server authentication) template."},
	{KindCACertificate, SeverityWarning, "The first certificate is a CA",
		"The pasted text starts with a CA certificate; the server's own certificate must come first.",
		"Paste the server's certificate first, then its issuers."},
	{KindChainBroken, SeverityError, "The chain is out of order or incomplete",
		"A certificate of the pasted chain is not signed by the one after it.",
		"Paste the chain in order: the server's certificate, then the CA that issued it, and so on."},
	{KindSelfSigned, SeverityWarning, "Self-signed",
		"The certificate is issued by itself: clients trust it only if it is in their trusted root store.",
		"Use a certificate from the enterprise CA (inside) or a public CA (Access Edge, reverse proxy)."},
	{KindIssuer, SeverityInfo, "Who must be trusted",
		"The CA the chain ends with. sipdisco has no trust store and does not check it; clients must trust it.",
		"Nothing to fix if the CA is in the clients' trusted root store."},
}

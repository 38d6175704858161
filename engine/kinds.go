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
	// KindSRVTargetAlias: The SRV target is an alias.
	KindSRVTargetAlias Kind = "srv-target-alias"
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

// Kinds of discovery findings added for the Lync profiles' rules and for
// unusable ports and addresses (package engine).
const (
	// KindContinuedPastSRV: Reached only past SRV records that do not work.
	KindContinuedPastSRV Kind = "continued-past-srv"
	// KindAutodiscoverOnly: Only the autodiscover names exist: sign-in predicted.
	KindAutodiscoverOnly Kind = "autodiscover-only"
	// KindPortZero: An SRV record gives port 0.
	KindPortZero Kind = "port-zero"
	// KindAddressUnspecified: The unspecified address.
	KindAddressUnspecified Kind = "address-unspecified"
	// KindAddressThisNetwork: A "this network" address.
	KindAddressThisNetwork Kind = "address-this-network"
	// KindAddressBroadcast: The broadcast address.
	KindAddressBroadcast Kind = "address-broadcast"
	// KindAddressReserved: A reserved (class E) address.
	KindAddressReserved Kind = "address-reserved"
	// KindAddressMulticast: A multicast address.
	KindAddressMulticast Kind = "address-multicast"
	// KindAddressLoopback: A loopback address.
	KindAddressLoopback Kind = "address-loopback"
	// KindAddressLinkLocal: An IPv6 link-local address.
	KindAddressLinkLocal Kind = "address-link-local"
	// KindAddressNotGlobal: An address clients outside cannot reach.
	KindAddressNotGlobal Kind = "address-not-global"
)

// Kinds of the Lync and Skype for Business naming and transport model
// (docs/adr/0016-lync-and-skype-naming.md).
const (
	// KindStrictReading: Refused only under the policy text's strict reading.
	KindStrictReading Kind = "strict-reading"
	// KindPoolNoClientTCP: The pool takes no client TCP connections.
	KindPoolNoClientTCP Kind = "pool-no-client-tcp"
	// KindSRVRandomOrder: The target is one random draw.
	KindSRVRandomOrder Kind = "srv-random-order"
)

// Kinds of the two checks a known view makes possible (engine/view.go):
// names that must not exist in the outside view, and answers a wildcard
// may have made up.
const (
	// KindInternalNameOutside: An internal-only name in public DNS.
	KindInternalNameOutside Kind = "internal-name-outside"
	// KindWildcardArtefact: Answers that may come from a wildcard.
	KindWildcardArtefact Kind = "wildcard-artefact"
)

// Kinds of sign-in outcomes (package signin): the failure of a
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

// Kinds of certificate findings (package certcheck).
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

// Kinds of the observed sign-in (package probe, sipdisco check
// --connect): what a real server did with the connection, the TLS
// handshake and the REGISTER without credentials, and where that differs
// from the simulation.
const (
	// KindProbeTLS: The TLS handshake and what it negotiated.
	KindProbeTLS Kind = "probe-tls"
	// KindProbeTLSOldVersion: TLS 1.0 or 1.1.
	KindProbeTLSOldVersion Kind = "probe-tls-old-version"
	// KindProbeTLSWeakCipher: A weak cipher suite.
	KindProbeTLSWeakCipher Kind = "probe-tls-weak-cipher"
	// KindProbeCertificateTrusted: The chain leads to a trusted root.
	KindProbeCertificateTrusted Kind = "probe-certificate-trusted"
	// KindProbeCertificateUntrusted: The chain leads to no trusted root.
	KindProbeCertificateUntrusted Kind = "probe-certificate-untrusted"
	// KindProbeCertificateNoSIPDomain: The certificate does not name sip.<domain>.
	KindProbeCertificateNoSIPDomain Kind = "probe-certificate-no-sip-domain"
	// KindProbeCertificateMissing: The server presented no certificate.
	KindProbeCertificateMissing Kind = "probe-certificate-missing"
	// KindProbeCertificateUnreadable: The certificate could not be checked.
	KindProbeCertificateUnreadable Kind = "probe-certificate-unreadable"
	// KindProbeConnectFailed: The TCP connection failed.
	KindProbeConnectFailed Kind = "probe-connect-failed"
	// KindProbeTLSFailed: The TLS handshake failed.
	KindProbeTLSFailed Kind = "probe-tls-failed"
	// KindProbeNoResponse: No complete response to the REGISTER.
	KindProbeNoResponse Kind = "probe-no-response"
	// KindProbeNotSIP: The server does not speak SIP.
	KindProbeNotSIP Kind = "probe-not-sip"
	// KindProbeMalformedResponse: The response cannot be used.
	KindProbeMalformedResponse Kind = "probe-malformed-response"
	// KindProbeResponseTooLarge: The response is too large.
	KindProbeResponseTooLarge Kind = "probe-response-too-large"
	// KindProbeSkipped: A candidate was not contacted.
	KindProbeSkipped Kind = "probe-skipped"
	// KindProbeChallenge: The server's challenge.
	KindProbeChallenge Kind = "probe-challenge"
	// KindProbeChallengeProblem: A challenge that breaks [MS-SIPAE]'s form.
	KindProbeChallengeProblem Kind = "probe-challenge-problem"
	// KindProbeNoCommonProtocol: The client cannot answer the challenge.
	KindProbeNoCommonProtocol Kind = "probe-no-common-protocol"
	// KindProbeNoChallenge: Registered without credentials.
	KindProbeNoChallenge Kind = "probe-no-challenge"
	// KindProbeRedirect: The server redirects the client.
	KindProbeRedirect Kind = "probe-redirect"
	// KindProbeRefused: The server refuses the REGISTER.
	KindProbeRefused Kind = "probe-refused"
	// KindProbeDiagnostic: The server's ms-diagnostics.
	KindProbeDiagnostic Kind = "probe-diagnostic"
	// KindProbeNoContentLength: A response without Content-Length.
	KindProbeNoContentLength Kind = "probe-no-content-length"
	// KindProbeNoServerAnswered: No server answered.
	KindProbeNoServerAnswered Kind = "probe-no-server-answered"
	// KindProbeFirstCandidateFailed: The first candidate failed.
	KindProbeFirstCandidateFailed Kind = "probe-first-candidate-failed"
	// KindProbeRedirectAgain: The home pool redirects again.
	KindProbeRedirectAgain Kind = "probe-redirect-again"
	// KindProbeDiffersTarget: Another server answers than the simulation's.
	KindProbeDiffersTarget Kind = "probe-differs-target"
	// KindProbeDiffersOffers: The server offers other protocols than simulated.
	KindProbeDiffersOffers Kind = "probe-differs-offers"
	// KindProbeDiffersVersion: The challenge version differs from the simulation's.
	KindProbeDiffersVersion Kind = "probe-differs-version"
	// KindProbeDiffersTargetName: The server names itself differently.
	KindProbeDiffersTargetName Kind = "probe-differs-targetname"
	// KindProbeDiffersRedirect: A redirect differs from the simulation's.
	KindProbeDiffersRedirect Kind = "probe-differs-redirect"
	// KindProbeDiffersCertificate: The certificate differs from the simulation's.
	KindProbeDiffersCertificate Kind = "probe-differs-certificate"
	// KindAutodiscoverAnswered: The Autodiscover web service answered.
	KindAutodiscoverAnswered Kind = "autodiscover-answered"
	// KindAutodiscoverWebTicket: The user resource asks for a web ticket.
	KindAutodiscoverWebTicket Kind = "autodiscover-web-ticket"
	// KindAutodiscoverUserOpen: The user resource answers without credentials.
	KindAutodiscoverUserOpen Kind = "autodiscover-user-open"
	// KindAutodiscoverNoAnswer: The Autodiscover web service does not answer.
	KindAutodiscoverNoAnswer Kind = "autodiscover-no-answer"
	// KindAutodiscoverRequestFailed: An Autodiscover request failed.
	KindAutodiscoverRequestFailed Kind = "autodiscover-request-failed"
	// KindAutodiscoverBadAnswer: An answer that is not an Autodiscover document.
	KindAutodiscoverBadAnswer Kind = "autodiscover-bad-answer"
	// KindAutodiscoverLinkRefused: A link sipdisco does not follow.
	KindAutodiscoverLinkRefused Kind = "autodiscover-link-refused"
	// KindProbeShortened: The snapshot link keeps part of what the servers sent.
	KindProbeShortened Kind = "probe-shortened"
	// KindProbeOutOfTime: The probe's time ran out before every candidate was tried.
	KindProbeOutOfTime Kind = "probe-out-of-time"
)

// Kinds of the domain report's findings (package domainreport): the Teams
// Only switch and the federation path of a SIP domain.
const (
	// KindTeamsOnlyBlocked: lyncdiscover blocks the switch to Teams Only.
	KindTeamsOnlyBlocked Kind = "teams-only-blocked"
	// KindTeamsOnlyUnknown: A failed lookup hides whether Teams Only can be switched on.
	KindTeamsOnlyUnknown Kind = "teams-only-unknown"
	// KindTeamsOnlyOnPremises: Records that still lead on-premises.
	KindTeamsOnlyOnPremises Kind = "teams-only-on-premises"
	// KindTeamsOnlyInternal: Internal records to remove after the switch.
	KindTeamsOnlyInternal Kind = "teams-only-internal"
	// KindFederationNone: No federation record.
	KindFederationNone Kind = "federation-none"
	// KindFederationOutside: Federation server outside the domain.
	KindFederationOutside Kind = "federation-outside"
	// KindFederationUnresolvable: Federation server has no address.
	KindFederationUnresolvable Kind = "federation-unresolvable"
	// KindFederationPort: Federation on a port other than 5061.
	KindFederationPort Kind = "federation-port"
	// KindFederationUnknown: A failed lookup hides the federation path.
	KindFederationUnknown Kind = "federation-unknown"
	// KindFederationUnreachable: The federation server cannot be reached.
	KindFederationUnreachable Kind = "federation-unreachable"
	// KindFederationCertificate: Partners refuse the federation server's
	// certificate.
	KindFederationCertificate Kind = "federation-certificate"
	// KindFederationTLS: The federation server refuses TLS 1.2.
	KindFederationTLS Kind = "federation-tls"
	// KindAutodiscoverOtherDomain: Autodiscover is an alias to another
	// domain.
	KindAutodiscoverOtherDomain Kind = "autodiscover-other-domain"
	// KindFederationObserved: What the federation server answered.
	KindFederationObserved Kind = "federation-observed"
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
// them: discovery, then the sign-in, then the certificate check, then the
// observed sign-in (check --connect). A kind declared above and missing
// here fails TestKindDocs.
func KindDocs() []KindDoc {
	docs := make([]KindDoc, len(kindHeads))
	for i, h := range kindHeads {
		docs[i], _ = LookupKind(h.kind)
	}
	return docs
}

// LookupKind returns the explanation of k.
func LookupKind(k Kind) (KindDoc, bool) {
	title, sev, ok := KindTitle(k)
	if !ok {
		return KindDoc{}, false
	}
	d := KindDoc{Kind: k, Severity: sev, Title: title}
	for _, t := range kindTexts {
		if t.kind == k {
			d.Meaning, d.Fix = t.meaning, t.fix
		}
	}
	return d, true
}

// KindTitle returns k's title and usual severity, without its meaning and
// fix: what a report needs to name a kind. The long texts are a table of
// their own (kindTexts), which the browser's first module, naming kinds
// but never explaining them, does not link (docs/adr/0005-wasm-size.md).
func KindTitle(k Kind) (title string, sev Severity, ok bool) {
	for _, h := range kindHeads {
		if h.kind == k {
			return h.title, h.severity, true
		}
	}
	return "", "", false
}

// kindHead is a kind's usual severity and its title; kindExplanation
// its meaning and how to fix it. Both tables hold every kind, in the
// findings page's order (TestKindDocs).
type kindHead struct {
	kind     Kind
	severity Severity
	title    string
}

type kindExplanation struct {
	kind         Kind
	meaning, fix string
}

var kindHeads = []kindHead{
	{KindNoFallback, SeverityError, "SRV records exist, but none is usable — and there is no fallback"},
	{KindNoRecords, SeverityError, "No SRV record and no fallback host"},
	{KindNoServer, SeverityError, "No usable server"},
	{KindNamingRefused, SeverityError, "SRV target refused by the naming rule"},
	{KindTrustPrompt, SeverityWarning, "Lync asks whether to trust the server"},
	{KindTargetUnresolvable, SeverityError, "Target has no address"},
	{KindSRVTargetAlias, SeverityWarning, "The SRV target is an alias"},
	{KindIndeterminate, SeverityError, "A failed lookup hides the answer"},
	{KindLookupFailed, SeverityWarning, "A lookup failed without changing the result"},
	{KindARecordFallback, SeverityWarning, "Found only through the host-record fallback"},
	{KindTCPTarget, SeverityWarning, "Signing in over TCP"},
	{KindTCPNotAllowed, SeverityInfo, "TCP not allowed by policy"},
	{KindCertificateName, SeverityInfo, "The certificate must carry the server name"},
	{KindNoInternalSRV, SeverityInfo, "No internal SRV record in this view"},
	{KindNoExternalSRV, SeverityInfo, "No external SRV record"},
	{KindSRVNotOffered, SeverityInfo, "Service decidedly not offered"},
	{KindSRVDotMixed, SeverityWarning, "\".\" mixed with real targets"},
	{KindTooManyRecords, SeverityWarning, "Too many records"},
	{KindManualConfiguration, SeverityInfo, "Manual configuration"},
	{KindManualUnresolvable, SeverityError, "Manual server has no address"},
	{KindAutodiscoverFound, SeverityInfo, "Autodiscover name found"},
	{KindAutodiscoverMissing, SeverityInfo, "Autodiscover name missing"},

	{KindContinuedPastSRV, SeverityWarning, "Reached only past SRV records that do not work"},
	{KindAutodiscoverOnly, SeverityWarning, "Only the autodiscover names exist: sign-in predicted"},
	{KindStrictReading, SeverityInfo, "Refused only under the policy text's strict reading"},
	{KindPoolNoClientTCP, SeverityWarning, "The pool takes no client TCP connections"},
	{KindSRVRandomOrder, SeverityInfo, "The target is one random draw"},
	{KindPortZero, SeverityError, "An SRV record gives port 0"},
	{KindAddressUnspecified, SeverityError, "The unspecified address"},
	{KindAddressThisNetwork, SeverityError, "A \"this network\" address"},
	{KindAddressBroadcast, SeverityError, "The broadcast address"},
	{KindAddressReserved, SeverityError, "A reserved (class E) address"},
	{KindAddressMulticast, SeverityError, "A multicast address"},
	{KindAddressLoopback, SeverityWarning, "A loopback address"},
	{KindAddressLinkLocal, SeverityWarning, "An IPv6 link-local address"},
	{KindAddressNotGlobal, SeverityError, "An address clients outside cannot reach"},
	{KindInternalNameOutside, SeverityWarning, "An internal-only name in public DNS"},
	{KindWildcardArtefact, SeverityWarning, "Answers that may come from a wildcard"},

	// The simulated sign-in (signin).
	{KindNotSent, SeverityError, "Sign-in: no REGISTER is sent"},
	{KindNoCredentials, SeverityError, "Sign-in: no credentials to answer the challenge"},
	{KindDesktopCredentialsOtherAccount, SeverityError, "Sign-in: the Windows logon is another account"},
	{KindUnknownSignInAddress, SeverityError, "Sign-in: unknown sign-in address"},
	{KindNotEnabledForSIP, SeverityError, "Sign-in: the account is not enabled for SIP"},
	{KindWrongAccountOrPassword, SeverityError, "Sign-in: wrong account name or password"},
	{KindAddressAndAccountMismatch, SeverityError, "Sign-in: sign-in address and account do not match"},
	{KindNoCommonProtocol, SeverityError, "Sign-in: no authentication protocol in common"},
	{KindCertificateNameMismatch, SeverityError, "Sign-in: the certificate does not name the server"},
	{KindCertificateExpired, SeverityError, "Sign-in: the certificate has expired"},

	// The certificate check (certcheck).
	{KindNameCovered, SeverityInfo, "The certificate names the server"},
	{KindNameNotCovered, SeverityError, "The certificate does not name the server"},
	{KindCNFallback, SeverityWarning, "Matched only by the subject common name"},
	{KindWildcard, SeverityWarning, "Covered only by a wildcard"},
	{KindNotYetValid, SeverityError, "Not valid yet"},
	{KindExpired, SeverityError, "Expired"},
	{KindExpiresSoon, SeverityWarning, "Expires soon"},
	{KindIssuerOutOfValidity, SeverityError, "An issuing certificate is out of its validity"},
	{KindNotServerAuth, SeverityError, "Not a server authentication certificate"},
	{KindCACertificate, SeverityWarning, "The first certificate is a CA"},
	{KindChainBroken, SeverityError, "The chain is out of order or incomplete"},
	{KindSelfSigned, SeverityWarning, "Self-signed"},
	{KindIssuer, SeverityInfo, "Who must be trusted"},

	// The observed sign-in (probe, check --connect).
	{KindProbeTLS, SeverityInfo, "The TLS handshake"},
	{KindProbeTLSOldVersion, SeverityWarning, "TLS 1.0 or 1.1"},
	{KindProbeTLSWeakCipher, SeverityWarning, "A weak cipher suite"},
	{KindProbeCertificateTrusted, SeverityInfo, "The chain leads to a trusted root"},
	{KindProbeCertificateUntrusted, SeverityWarning, "The chain leads to no trusted root"},
	{KindProbeCertificateNoSIPDomain, SeverityInfo, "The certificate does not name sip.<domain>"},
	{KindProbeCertificateMissing, SeverityError, "The server presented no certificate"},
	{KindProbeCertificateUnreadable, SeverityError, "The certificate could not be checked"},
	{KindProbeConnectFailed, SeverityError, "The TCP connection failed"},
	{KindProbeTLSFailed, SeverityError, "The TLS handshake failed"},
	{KindProbeNoResponse, SeverityError, "No complete response to the REGISTER"},
	{KindProbeNotSIP, SeverityError, "The server does not speak SIP"},
	{KindProbeMalformedResponse, SeverityError, "The response cannot be used"},
	{KindProbeResponseTooLarge, SeverityError, "The response is too large"},
	{KindProbeSkipped, SeverityInfo, "A candidate was not contacted"},
	{KindProbeChallenge, SeverityInfo, "The server's challenge"},
	{KindProbeChallengeProblem, SeverityWarning, "A challenge that breaks [MS-SIPAE]'s form"},
	{KindProbeNoCommonProtocol, SeverityError, "The client cannot answer the challenge"},
	{KindProbeNoChallenge, SeverityWarning, "Registered without credentials"},
	{KindProbeRedirect, SeverityInfo, "The server redirects the client"},
	{KindProbeRefused, SeverityError, "The server refuses the REGISTER"},
	{KindProbeDiagnostic, SeverityWarning, "The server's ms-diagnostics"},
	{KindProbeNoContentLength, SeverityWarning, "A response without Content-Length"},
	{KindProbeNoServerAnswered, SeverityError, "No server answered"},
	{KindProbeFirstCandidateFailed, SeverityWarning, "The first candidate failed"},
	{KindProbeRedirectAgain, SeverityWarning, "The home pool redirects again"},
	{KindProbeDiffersTarget, SeverityWarning, "Another server answers than the simulation's"},
	{KindProbeDiffersOffers, SeverityWarning, "The server offers other protocols than simulated"},
	{KindProbeDiffersVersion, SeverityInfo, "The challenge version differs from the simulation's"},
	{KindProbeDiffersTargetName, SeverityInfo, "The server names itself differently"},
	{KindProbeDiffersRedirect, SeverityWarning, "A redirect differs from the simulation's"},
	{KindProbeDiffersCertificate, SeverityWarning, "The certificate differs from the simulation's"},
	{KindAutodiscoverAnswered, SeverityInfo, "The Autodiscover web service answered"},
	{KindAutodiscoverWebTicket, SeverityInfo, "The user resource asks for a web ticket"},
	{KindAutodiscoverUserOpen, SeverityWarning, "The user resource answers without credentials"},
	{KindAutodiscoverNoAnswer, SeverityWarning, "The Autodiscover web service does not answer"},
	{KindAutodiscoverRequestFailed, SeverityInfo, "An Autodiscover request failed"},
	{KindAutodiscoverBadAnswer, SeverityWarning, "An answer that is not an Autodiscover document"},
	{KindAutodiscoverLinkRefused, SeverityWarning, "A link sipdisco does not follow"},
	{KindProbeShortened, SeverityInfo, "The snapshot link keeps part of what the servers sent"},
	{KindProbeOutOfTime, SeverityWarning, "The probe's time ran out before every candidate was tried"},

	{KindTeamsOnlyBlocked, SeverityError, "lyncdiscover blocks the switch to Teams Only"},
	{KindTeamsOnlyUnknown, SeverityWarning, "A failed lookup hides whether Teams Only can be switched on"},
	{KindTeamsOnlyOnPremises, SeverityInfo, "Records that still lead on-premises"},
	{KindTeamsOnlyInternal, SeverityInfo, "Internal records to remove after the switch"},
	{KindFederationNone, SeverityInfo, "No federation record"},
	{KindFederationOutside, SeverityError, "Federation server outside the domain"},
	{KindFederationUnresolvable, SeverityError, "Federation server has no address"},
	{KindFederationPort, SeverityWarning, "Federation on a port other than 5061"},
	{KindFederationUnknown, SeverityWarning, "A failed lookup hides the federation path"},
	{KindFederationUnreachable, SeverityError, "The federation server cannot be reached"},
	{KindFederationCertificate, SeverityError, "Partners refuse the federation server's certificate"},
	{KindFederationTLS, SeverityWarning, "The federation server refuses TLS 1.2"},
	{KindAutodiscoverOtherDomain, SeverityWarning, "Autodiscover is an alias to another domain"},
	{KindFederationObserved, SeverityInfo, "What the federation server answered"},
}

var kindTexts = []kindExplanation{
	{KindNoFallback,
		"Sign-in fails because the SRV records point nowhere usable. At least one SRV record exists for the domain, yet every target is refused by the naming rule, does not resolve or is \".\". Because an SRV record exists, Office Communicator (2007 and 2007 R2) does not try host records such as sipinternal.<domain>, even if they exist. Lync 2010 and later keep going to the host records instead (continued-past-srv).",
		"Correct the SRV records so they name a server under the sign-in domain that has an address record."},
	{KindNoRecords,
		"Sign-in fails because nothing is published for it. None of the SRV names the client asks exists and none of the fallback host names resolves; users must enter the server by hand.",
		"Publish _sipinternaltls._tcp in internal DNS and _sip._tls in external DNS, each target with an address record."},
	{KindNoServer,
		"Sign-in fails: discovery ended without a server the client may use, after every SRV and host record the client tries.",
		"Publish _sipinternaltls._tcp.<domain> with an address record for its target."},
	{KindNamingRefused,
		"The client will not use a server whose name does not fit the sign-in domain. With strict naming only <domain> and sip.<domain> are accepted; with loose naming any name under <domain> (on a label boundary: pool01.<domain>, not pool01<domain>). Names in another domain's namespace (its tree of names) are never accepted by Office Communicator. Strict naming is Communicator's EnableStrictDNSNaming policy. Lync and Skype for Business accept any name under the domain by default, as Microsoft's deployment documents publish it (gg425884); strict naming, the DisableStrictDNSNaming policy text's reading, applies where a policy requires it, and only to servers reached over TLS.",
		"Point the SRV record at a name under the sign-in domain (with strict naming: sip.<domain>), and make sure the server's certificate carries that name."},
	{KindTrustPrompt,
		"Users will be asked whether to trust the server. Under Lync's trust model a server outside the sign-in domain is not refused; the client shows \"cannot verify that the server is trusted for your sign-in address\" unless the server's domain is trusted (the sign-in domain, TrustModelData, domains the user chose to trust).",
		"Point the SRV record at a name under the sign-in domain. If the server is yours, in another domain of yours, add that domain to TrustModelData, keeping the policy's default list (setting the policy replaces it). Never trust a name that imitates the sign-in domain."},
	{KindTargetUnresolvable,
		"The client cannot use a server whose name has no address. An SRV target (or a fallback host) has no A record (nor AAAA, for clients that use IPv6), so the client tries the next candidate.",
		"Publish an address record for the target."},
	{KindSRVTargetAlias,
		"The server name an SRV record gives is only an alias of another name. The client follows the alias (a CNAME record) and connects, but an SRV target must be a name with its own address records (RFC 2782: the target \"MUST NOT be an alias\"), and Lync Server's DNS requirements (\"Determine DNS requirements for Lync Server 2013\") want a host record in the SRV record's own domain. Some DNS servers and clients do not follow an alias there.",
		"Replace the alias with address records for the same name, so that the name the client connects to, and the name the certificate must carry, stay the same."},
	{KindIndeterminate,
		"sipdisco cannot tell what the client would do, because a DNS lookup failed. The answer was a failure (SERVFAIL: the server could not answer; REFUSED: it would not), or no answer came (a timeout, a broken DoH response, a proxy in the way), or a CNAME loop. A failed lookup is not the same as a record that does not exist. The report is \"indeterminate\": neither connect nor fail.",
		"It depends on the cause, which the finding names: the DNS servers of the domain for SERVFAIL, the resolver for REFUSED or a timeout, the aliases for a CNAME loop, the proxy's credentials for a proxy error. Then check again."},
	{KindLookupFailed,
		"A DNS lookup failed, but it does not change the result: the client would try it only after the server it signs in to (or, for Lync, it moves on past failing records). Other clients may still fail.",
		"Make the lookup answer, or remove the record."},
	{KindARecordFallback,
		"The client finds its server only through its last resort. None of the SRV records it asks exists, and it found its server through a fallback host name (sipinternal, sip or sipexternal). It works, but other client generations try different names.",
		"Publish _sipinternaltls._tcp (internal DNS) and _sip._tls (external DNS)."},
	{KindTCPTarget,
		"Sign-in traffic is not encrypted: the server the client uses is reached over TCP, and clients whose policy disallows TCP fail.",
		"Publish _sipinternaltls._tcp so clients use TLS."},
	{KindTCPNotAllowed,
		"The client does not look for _sipinternal._tcp, because its policy disallows TCP.",
		"Nothing to fix."},
	{KindCertificateName,
		"The server's certificate must carry the name the client connects to over TLS as a subject alternative name (DNS name), or the client refuses the connection. The subject is read only when the certificate has no DNS subject alternative name at all: once it has any, a name only in the subject does not count (RFC 2818 §3.1, RFC 6125 §6.4.4). When clients sign in to the pool as sip.<domain> — strict DNS matching required by policy, or the host-record fallback — the certificate needs sip.<domain> too (\"Certificate requirements for internal servers\", Lync Server 2013, gg398094). Over TCP there is no certificate.",
		"Check that the certificate on the server lists the host name shown."},
	{KindNoInternalSRV,
		"Clients inside the network go to the Access Edge server if the internal DNS lacks _sipinternaltls._tcp. The DNS this check used has no such record: right for a public (external) view; inside the network the internal record should exist.",
		"Publish _sipinternaltls._tcp.<domain> in internal DNS, pointing at the pool."},
	{KindNoExternalSRV,
		"Clients outside the network cannot sign in automatically if the public DNS lacks _sip._tls. The DNS this check used has no such record; an internal DNS server often lacks it, so ask the public DNS to be sure.",
		"Publish _sip._tls.<domain> in external DNS, pointing at the Access Edge server (usually sip.<domain>, port 443)."},
	{KindSRVNotOffered,
		"The domain says the service is not offered. The SRV name has the single target \".\" (RFC 2782). The record exists, so for Office Communicator it still rules out the host-record fallback; Lync moves on to the next record.",
		"If the service should be offered, replace the record with one naming the server."},
	{KindSRVDotMixed,
		"A stray \".\" record is ignored: an SRV name has a \".\" target next to real ones, and \".\" means something only as the single record.",
		"Delete the SRV record whose target is \".\"."},
	{KindTooManyRecords,
		"Some records were ignored: an answer has more records than sipdisco reads. DNS data is treated as hostile and bounded.",
		"Publish one SRV record for the designated server or pool (or Access Edge); Microsoft: \"Create only one SRV record for the designated server or pool\" (DNS requirements for automatic client sign-in in Lync Server 2013)."},
	{KindManualConfiguration,
		"DNS discovery is not used: the client is configured with server names; the internal server is tried first, then the external one. The report shows what discovery would have found, for comparison.",
		"Nothing to fix; publish the SRV records to let clients configure themselves."},
	{KindManualUnresolvable,
		"The client cannot connect to the manually configured server: its name does not resolve.",
		"Publish an address record for it, or correct the manual setting."},
	{KindAutodiscoverFound,
		"Lync asks the autodiscover web service first. lyncdiscoverinternal or lyncdiscover resolves, so Lync 2013, Skype for Business and updated Lync 2010 ask that web service for the user's home pool first. sipdisco checks the DNS name only.",
		"The web service's certificate must carry the name."},
	{KindAutodiscoverMissing,
		"Lync moves on to the next record: lyncdiscoverinternal or lyncdiscover does not exist.",
		"Publish lyncdiscoverinternal in internal DNS only (the pool's internal web services) and lyncdiscover in external DNS only (the reverse proxy); \"Determine DNS requirements for Lync Server 2013\" supports neither in both views."},

	{KindContinuedPastSRV,
		"SRV records exist, but none leads to a server the client can use; a client that keeps going (Lync 2010 and later) went on to the host records and found a server there. Communicator clients stop at the SRV records and fail.",
		"Correct the SRV records so they name a server under the sign-in domain that has an address record."},
	{KindAutodiscoverOnly,
		"lyncdiscoverinternal or lyncdiscover resolves, but no SRV or host record leads to a server. The client asks the Autodiscover web service first, and a deployment that publishes the name runs it; it gives the client the user's home pool (\"Understanding Autodiscover in Lync Server 2013\"). So the outcome is connect, predicted: the target shown is the web service, the pool is what it answers, which DNS cannot show. sipdisco check --connect asks the web service without credentials and shows its answer. Clients that do not use Autodiscover find no server.",
		"Check that the web service answers (sipdisco check --connect), and publish _sipinternaltls._tcp (internal DNS) and _sip._tls (external DNS) for clients that do not use autodiscover."},
	{KindStrictReading,
		"The server is named under the sign-in domain, and Lync and Skype for Business accept it: Microsoft's deployment documents publish exactly this record (\"DNS requirements for automatic client sign-in\", gg425884: _sipinternaltls._tcp.<domain> to the pool's own name), and deployments follow them. The text of the DisableStrictDNSNaming policy reads otherwise: with the policy not configured the client would talk TLS only to <domain> or sip.<domain>. Where a policy requires strict DNS matching, this server would be refused.",
		"Nothing to fix with the default settings. Where strict DNS matching is required by policy, point the SRV record at sip.<domain>, make sip.<domain> resolve to the pool in internal DNS, and put sip.<domain> on the pool's certificate (\"Certificate requirements for internal servers\", gg398094)."},
	{KindPoolNoClientTCP,
		"A _sipinternal._tcp record is published, but Lync Server and Skype for Business Server pools take client connections only over TLS on 5061; TCP 5060 is \"optionally used ... for static routes to trusted services\" (\"Port and protocol requirements for servers\"). The client cannot sign in through it and goes on to the next record.",
		"Delete the _sipinternal._tcp record, unless an Office Communications Server pool still serves Communicator clients over TCP through it."},
	{KindSRVRandomOrder,
		"The server shown is one of several the client may pick. The SRV name has several records at the priority the client used, and the client orders them at random at each sign-in, in proportion to their weights (RFC 2782). The report shows one such order, the same each time for the same DNS answers; another sign-in may go to another of these servers, in the shares the finding gives.",
		"Nothing to fix, if every one of these servers works; check each of them (--connect-all)."},
	{KindPortZero,
		"The client cannot use an SRV record that gives port 0. No server can listen on port 0 (RFC 6335). The record still exists, so a Communicator client does not use the host-record fallback.",
		"Publish the SRV record with the port the server listens on: 5061 (TLS) or 5060 (TCP) on a pool, 443 on an Access Edge Server."},
	{KindAddressUnspecified,
		"The client cannot connect to a server whose address is 0.0.0.0 or ::. That address names no computer (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2); the client tries the next server.",
		"Correct the A and AAAA records of the server name to the addresses the server listens on."},
	{KindAddressThisNetwork,
		"The client cannot connect to a server whose address starts with 0. An address in 0.0.0.0/8 is valid only as a source address (RFC 1122 §3.2.1.3).",
		"Correct the A record of the server name to the address the server listens on."},
	{KindAddressBroadcast,
		"The client cannot connect to a server whose address is 255.255.255.255. TCP cannot connect to a broadcast address (RFC 1122 §4.2.3.10).",
		"Correct the A record of the server name to the address the server listens on."},
	{KindAddressReserved,
		"The client cannot connect to a server whose address is reserved. An address in 240.0.0.0/4 is not routed (RFC 1112 §4).",
		"Correct the A record of the server name to the address the server listens on."},
	{KindAddressMulticast,
		"The client cannot connect to a server whose address is a multicast address. TCP cannot connect to 224.0.0.0/4 or ff00::/8 (RFC 1122 §4.2.3.10).",
		"Correct the A and AAAA records of the server name to the addresses the server listens on."},
	{KindAddressLoopback,
		"Every client would connect to its own computer, not to the server. The server name resolves to a loopback address, 127.0.0.0/8 or ::1 (RFC 1122 §3.2.1.3).",
		"Correct the A and AAAA records of the server name to the addresses the server listens on, as clients reach it."},
	{KindAddressLinkLocal,
		"Clients cannot use a server address that is valid only on one network link. The server name resolves to an IPv6 link-local address (fe80::/10), which needs the network interface, and DNS cannot say which (RFC 4291 §2.5.6).",
		"Publish the server's global or unique local IPv6 address in its AAAA record."},
	{KindAddressNotGlobal,
		"Clients on the Internet cannot reach the server the public DNS names. Its name resolves only to addresses that are not globally reachable: private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, RFC 1918), shared (100.64.0.0/10, RFC 6598), IPv4 link-local (169.254.0.0/16) or IPv6 unique local (fc00::/7, RFC 4193), all listed as not globally reachable in RFC 6890. The client's connection waits until it times out and the client tries the next candidate.",
		"Publish in the public zone the address clients on the Internet reach the server at (the Access Edge's public address), or delete the record from the public zone when it names an internal server."},
	{KindInternalNameOutside,
		"Public DNS gives away internal server names and sends clients outside the network to servers they cannot reach. The outside view answers a name that Microsoft's documentation puts in internal DNS only: _sipinternaltls._tcp and _sipinternal._tcp (\"Required DNS Records for Automatic Client Sign-In\": an internal DNS SRV record), sipinternal (\"resolvable only on the internal network\") or lyncdiscoverinternal (\"must be defined on an internal DNS server\"), both in \"Determine DNS requirements for Lync Server 2013\". It is an error when that server is the one the client would pick; when its only address is private, the client outside cannot reach it and goes on to the next candidate (an address clients outside cannot reach).",
		"Delete the record from the external (public) zone and keep it in internal DNS only."},
	{KindWildcardArtefact,
		"Some names may resolve only because every name under the domain does. A random name that should not exist has an address, so the domain has a wildcard record (RFC 4592), which answers for every name without records of its own; answers with the same addresses may be made up by it. A fallback host such as sipinternal or sip then \"exists\", and the client may sign in to whatever the wildcard points at. It is information when no server the client tries is among them.",
		"Do not rely on the wildcard: publish the SRV records and the host records of the real servers; a name with records of its own is not answered by the wildcard (RFC 4592 §2.2.1)."},

	// The simulated sign-in (signin).
	{KindNotSent,
		"Discovery found no server the client can use (or a failed lookup makes it unknown), so the client never reaches the sign-in exchange: it reports that the server is unavailable before asking for any credentials.",
		"Fix the discovery findings first; the sign-in exchange starts once a server is found."},
	{KindNoCredentials,
		"The server challenges the unauthenticated REGISTER with 401 Unauthorized, and the client has no saved credentials and the prompt was not answered, so it cannot go on.",
		"Type the account and password when the client asks, or save them in the client."},
	{KindDesktopCredentialsOtherAccount,
		"The client answers the challenge with the credentials of the user logged on to Windows, and that account is not the one that owns the sign-in address; the server refuses them.",
		"Sign in with the owner's account and password (the client prompts when they are cleared), or log on to Windows as the owner."},
	{KindUnknownSignInAddress,
		"The sign-in address is not any user's SIP URI: it was typed wrong, or the user has another one. The server answers 404 Not Found (ms-diagnostics 1003).",
		"Check the spelling of the sign-in address against the user's SIP URI in the directory."},
	{KindNotEnabledForSIP,
		"The account exists and its credentials are right, but it has no SIP URI: it is not enabled for Office Communications Server or Lync, so no address belongs to it.",
		"Enable the user for Office Communications Server / Lync with this sign-in address."},
	{KindWrongAccountOrPassword,
		"The account name or the password is wrong, so the server challenges again instead of accepting the answer; the client reports that the credentials are not valid.",
		"Retype the account (DOMAIN\\user or the UPN) and the password; clear saved credentials that are out of date."},
	{KindAddressAndAccountMismatch,
		"The credentials are valid but belong to another user than the one who owns the sign-in address (jeremy@contoso.com signing in with CONTOSO\\vadim). The server answers 403 Forbidden with ms-diagnostics 4004: the credentials are not authorized to act as that address.",
		"Sign in with the credentials of the account that owns the address, or with the address of the account whose credentials are used."},
	{KindNoCommonProtocol,
		"The server's challenge offers no authentication protocol the client can use with these credentials (for example Kerberos only, with typed or saved credentials, or TLS-DSK only for a client without it).",
		"Enable NTLM (or the protocol the client needs) on the server, or sign in from a domain-joined machine."},
	{KindCertificateNameMismatch,
		"Over TLS, the server's certificate carries none of the names the client connected to, so the client refuses the connection before any SIP message.",
		"Issue the server a certificate whose subject alternative names list the discovered host name: a client that finds a SAN list checks only that list and ignores the subject (RFC 2818 §3.1)."},
	{KindCertificateExpired,
		"Over TLS, the server's certificate is past its end of validity, so the client refuses the connection before any SIP message.",
		"Renew the server's certificate."},

	// The certificate check (certcheck).
	{KindNameCovered,
		"A DNS subject alternative name of the certificate matches the name the client connects to.",
		"Nothing to fix."},
	{KindNameNotCovered,
		"No subject alternative name (or, without any, the subject common name) matches the name the client connects to — the SRV target or fallback host discovery found. The client refuses the TLS connection.",
		"Reissue the certificate with that name as a subject alternative name, or point the SRV record at a name the certificate carries."},
	{KindCNFallback,
		"The certificate has no DNS subject alternative name, so the name is compared with the subject common name, as clients of the Office Communicator and Lync era did (RFC 2818 §3.1). Current clients ignore the common name.",
		"Reissue the certificate with every name the server answers to as subject alternative names."},
	{KindWildcard,
		"The name matches a wildcard (*.contoso.com) only. Wildcards are supported for simple URLs and reverse proxies, not for pool, Director or Access Edge SIP names; some clients refuse them.",
		"Add the name as its own subject alternative name."},
	{KindNotYetValid,
		"The certificate's validity starts in the future.",
		"Wait until it is valid, or check the server's and the CA's clocks."},
	{KindExpired,
		"The certificate's validity has ended; clients refuse it.",
		"Renew the certificate and assign it to the server."},
	{KindExpiresSoon,
		"The certificate expires within 30 days.",
		"Renew it before then."},
	{KindIssuerOutOfValidity,
		"A CA certificate of the pasted chain is expired or not yet valid.",
		"Install the CA's current intermediate certificate on the server."},
	{KindNotServerAuth,
		"The key usage or extended key usage does not allow a TLS server (RFC 5280 §4.2.1.3, §4.2.1.12).",
		"Request the certificate from a web server (server authentication) template."},
	{KindCACertificate,
		"The pasted text starts with a CA certificate; the server's own certificate must come first.",
		"Paste the server's certificate first, then its issuers."},
	{KindChainBroken,
		"A certificate of the pasted chain is not signed by the one after it.",
		"Paste the chain in order: the server's certificate, then the CA that issued it, and so on."},
	{KindSelfSigned,
		"The certificate is issued by itself: clients trust it only if it is in their trusted root store.",
		"Use a certificate from the enterprise CA (inside) or a public CA (Access Edge, reverse proxy)."},
	{KindIssuer,
		"The CA the chain ends with. sipdisco has no trust store and does not check it; clients must trust it.",
		"Nothing to fix if the CA is in the clients' trusted root store."},

	// The observed sign-in (probe, check --connect).
	{KindProbeTLS,
		"sipdisco connected to the server as the client does (SNI the discovered host name) and completed TLS: the finding names the version and cipher suite the server chose and how long it took.",
		"Nothing to fix."},
	{KindProbeTLSOldVersion,
		"The server chose TLS 1.0 or 1.1, which RFC 8996 deprecates; clients and servers where those versions are turned off cannot connect to it.",
		"Enable TLS 1.2 on the server. Keep TLS 1.0 enabled while Office Communicator 2007/R2, Lync 2010 or Lync Phone Edition clients sign in: Microsoft lists them as out of scope, not working, once TLS 1.0 and 1.1 are disabled (Disable TLS 1.0/1.1 in Skype for Business Server 2015)."},
	{KindProbeTLSWeakCipher,
		"The server chose a cipher suite known to be weak (RC4, 3DES, CBC with SHA-256); clients that no longer offer it cannot connect.",
		"Enable TLS 1.2 with ECDHE and AES-GCM cipher suites on the server. Keep TLS 1.0 enabled while Office Communicator 2007/R2, Lync 2010 or Lync Phone Edition clients sign in: Microsoft lists them as out of scope, not working, once TLS 1.0 and 1.1 are disabled (Disable TLS 1.0/1.1 in Skype for Business Server 2015)."},
	{KindProbeCertificateTrusted,
		"The certificate chain the server presents leads to a root in the system's trust store or in the CA file given with --ca.",
		"Nothing to fix, if the clients trust the same root."},
	{KindProbeCertificateUntrusted,
		"The chain the server presents does not lead to a root sipdisco was given: the issuing CA is unknown, or the server does not send its intermediate certificates. A client that does not trust the issuing CA refuses the certificate. It is an error when even the --ca file given does not verify it.",
		"Check again with the enterprise CA's certificate (--ca FILE), have the server send its intermediate certificates, and make sure the clients trust the root."},
	{KindProbeCertificateNoSIPDomain,
		"The certificate names the discovered host but not sip.<domain>, the name clients use with strict naming or the host-record fallback (\"Certificate requirements for internal servers\", Lync Server 2013).",
		"Add sip.<domain> as a subject alternative name only if clients reach this server by that name: it is their automatic sign-in server and strict DNS matching is required by policy (gg398094), or sip.<domain> resolves to it for the host-record fallback."},
	{KindProbeCertificateMissing,
		"The TLS handshake completed without a server certificate, so the client cannot validate the server.",
		"Assign a certificate to the server's SIP (TLS) listener."},
	{KindProbeCertificateUnreadable,
		"The presented certificate could not be checked against the discovered host name.",
		"Check the host name discovery gave."},
	{KindProbeConnectFailed,
		"Nothing accepted a connection on the discovered host and port: the connection was refused, timed out, or the host has no address. The client moves on to its next candidate, if any, after the same wait.",
		"Check that the SIP service runs and listens on the port the DNS record gives, and that firewalls let the clients through."},
	{KindProbeTLSFailed,
		"The server did not complete TLS: it answered in clear text, sent a TLS alert, closed or reset the connection, or never answered.",
		"Point the TLS record at the server's TLS port, and check that a certificate is assigned to the listener and that TLS is enabled."},
	{KindProbeNoResponse,
		"The server accepted the connection and the REGISTER but gave no complete SIP response in time, or closed the connection.",
		"Check the server's logs and any device in between: a registrar answers an unauthenticated REGISTER at once with 401 Unauthorized."},
	{KindProbeNotSIP,
		"What answered is not a SIP server: a web server or reverse proxy (an HTTP status line), a TLS server spoken to in clear text, or something else.",
		"Point the record at the SIP server's port (5061 on a pool or Director, 443 on the Access Edge's external interface)."},
	{KindProbeMalformedResponse,
		"The response breaks SIP's syntax (a header without a colon, a control character, two Content-Length values) or answers another request.",
		"Check the server, or the SIP-aware device in between, that produced it."},
	{KindProbeResponseTooLarge,
		"The response's header section or announced body is far larger than a sign-in challenge (about 1 KiB); sipdisco stops reading it.",
		"Check what service listens on this port."},
	{KindProbeSkipped,
		"A candidate was not contacted: its transport is not allowed by the policy, a redirect named no usable server, or the probe's limit on candidates was reached.",
		"Nothing to fix."},
	{KindProbeChallenge,
		"The server answered the REGISTER without credentials with 401 (or 407) and named the authentication protocols it accepts, with their realm, targetname and version ([MS-SIPAE] §3.3.5.1).",
		"Nothing to fix."},
	{KindProbeChallengeProblem,
		"A challenge cannot be read, has a realm other than \"SIP Communications Service\", a Kerberos targetname without sip/, an NTLM or TLS-DSK targetname with it, an unknown version, or a TLS-DSK challenge without sts-uri; a 401 without any challenge is an error.",
		"Check what sends the challenge: the registrar's authentication settings, or a device in between that rewrites it."},
	{KindProbeNoCommonProtocol,
		"None of the protocols the server offers is one the client can use: Microsoft SIP clients sign in with NTLM, Kerberos or TLS-DSK ([MS-SIPAE]); TLS-DSK only from Lync 2010 on (\"Lync 2010 Client Authentication\", NextHop: Kerberos v5, TLS-DSK and NTLM v2), not Office Communicator 2007 or 2007 R2. A Digest challenge means another SIP server answered.",
		"Point the record at the Office Communications Server or Lync registrar, or allow NTLM and Kerberos in its authentication settings."},
	{KindProbeNoChallenge,
		"The server accepted a REGISTER that carries no credentials; Office Communications Server and Lync always challenge it.",
		"Require authentication on the registrar, and check that the record leads to it."},
	{KindProbeRedirect,
		"The server answered 301 or 302 and named another server in Contact, as a Director or a pool that does not home the user does ([MS-SIPREGE]); sipdisco follows it once, as the client does. It is an error when the Contact names no usable server.",
		"Nothing to fix, if that is the user's home pool."},
	{KindProbeRefused,
		"The server answered the REGISTER without credentials with an error instead of a challenge.",
		"Check that the record leads to the registrar of this sign-in domain, and the server's diagnostics and logs."},
	{KindProbeDiagnostic,
		"The response carries an ms-diagnostics or ms-diagnostics-public header: an error ID, the server's reason and the server that raised it, decoded with [MS-OCER]'s tables where sipdisco carries them. It is information when it comes with a challenge.",
		"Follow the fix given for the code, or look it up in [MS-OCER] and the server's event log."},
	{KindProbeNoContentLength,
		"Over TCP and TLS a SIP message must carry Content-Length (RFC 3261 §18.3, §20.14), or it cannot be delimited.",
		"Check the server or the device in between that builds the response."},
	{KindProbeNoServerAnswered,
		"None of the servers tried answered the REGISTER in SIP (or the home pool a redirect named does not), so the client cannot sign in.",
		"Fix the failures of each attempt, starting with the first candidate."},
	{KindProbeFirstCandidateFailed,
		"The client's first candidate failed and a later one answered: the client signs in, but only after waiting for the failures before it.",
		"Fix or remove the records of the candidates that fail."},
	{KindProbeRedirectAgain,
		"The server a redirect named redirects the client once more; a home pool registers its users instead ([MS-SIPREGE]). sipdisco follows one redirect.",
		"Check that the server the redirect names homes the user."},
	{KindProbeDiffersTarget,
		"The simulation signs in to the target discovery chose, but that server failed and the first that answers is another one.",
		"Fix the candidates before it that fail."},
	{KindProbeDiffersOffers,
		"The real challenge offers other authentication protocols than the simulated one. When the only difference is TLS-DSK offered to a client without it, it is information: the client ignores it.",
		"Simulate with the protocols the server offers."},
	{KindProbeDiffersVersion,
		"The real challenges carry version=3 (Office Communications Server 2007 or 2007 R2) or 4 (Lync Server 2010 or later) where the simulated client generation assumed the other ([MS-SIPAE] §3.3.5.1).",
		"Simulate with the client profile that matches the server generation to compare like with like."},
	{KindProbeDiffersTargetName,
		"The real challenges name the server (targetname) differently from the host discovery found: a pool's challenges name the pool, whatever name the client connected by. Kerberos asks for a ticket to sip/ and that name.",
		"Nothing to fix."},
	{KindProbeDiffersRedirect,
		"The server redirects the client where the simulation assumed no redirect or another home pool. A redirect the simulation has after authentication cannot be observed without credentials (then it is information).",
		"Simulate with the home pool the server names."},
	{KindProbeDiffersCertificate,
		"The real certificate carries other names than the simulation was given, or the simulation assumed a certificate that the real server does not have; an error when the simulation found it valid and the real one does not name the host.",
		"Simulate with the real certificate's names, and fix the certificate if it does not name the host."},
	{KindAutodiscoverAnswered,
		"A Lync 2013 or Skype for Business client asks the Autodiscover web service first (lyncdiscoverinternal, then lyncdiscover; https, then http) and takes the user's SIP server from the user resource its root document links to (\"Understanding Autodiscover in Lync Server 2013\"). sipdisco asked it as the client does, without credentials, and shows the root document's links and where they lead.",
		"Nothing to fix."},
	{KindAutodiscoverWebTicket,
		"The user resource answered the request without credentials with 401 and the place the client gets its web ticket (X-MS-WebTicketURL, or WWW-Authenticate: MsRtcOAuth with href and grant_type): the normal answer. The client authenticates there and asks again; the answer then names its SIP server. sipdisco sends no credentials, so it stops here.",
		"Nothing to fix. If clients cannot sign in, check that the web ticket URL is reachable from where they are, and that its certificate is trusted."},
	{KindAutodiscoverUserOpen,
		"The user resource answered a request that carried no credentials without asking for them. Lync Server and Skype for Business Server ask for authentication there; something else is answering (a proxy's error page, another web site).",
		"Check the reverse proxy's publishing rule for the Autodiscover URL, and what the web site at that name is."},
	{KindAutodiscoverNoAnswer,
		"None of the Autodiscover URLs the client asks gave a root document, so the client falls back to the SRV and host records (\"Understanding Autodiscover in Lync Server 2013\"), after waiting for each failure.",
		"Publish the Autodiscover service (lyncdiscoverinternal in internal DNS to the pool's or Director's internal web services, lyncdiscover in external DNS to the reverse proxy), or remove the names so that clients go to the SRV records at once."},
	{KindAutodiscoverRequestFailed,
		"One Autodiscover request got no usable answer (no address, no connection, a TLS failure, a time-out, an error status); the client moves on to the next URL in its order.",
		"See the request's failure; the next URL may answer."},
	{KindAutodiscoverBadAnswer,
		"The web service answered with a body that is not an Autodiscover document the client can read: another content type, malformed XML or JSON, more than sipdisco reads, or no links; or the documents lead to no User resource. The client treats it as no answer and moves on (in the end, to the SRV and host records).",
		"Check what answers at that URL: the reverse proxy's publishing rule and the web services of the pool."},
	{KindAutodiscoverLinkRefused,
		"A link of the document was not followed: it is not an http or https URL naming a host by its DNS name (an IP address, credentials in the URL, another scheme), it leads back to a URL already asked (a loop), or the redirects went on too long. sipdisco follows only the documented Redirect and User links, and only to DNS names.",
		"Have the web service's links name its servers by their DNS names over https."},
	{KindProbeShortened,
		"A server sent more than a snapshot link carries (a certificate with thousands of names, a long chain, many challenges or header fields): the link keeps the first of each and says how many there were. The command's own report has everything the prober read.",
		"Nothing to fix; for the whole observation, run the check with --connect and --json."},
	{KindProbeOutOfTime,
		"The whole probe has one time limit (check --connect-deadline, 1 minute by default) besides each stage's. Candidates that stall use it up (with the default stage limits one can take 20 seconds); those the probe had not reached when it ran out are listed as not tried, and what the client would find there is not observed. The client itself waits for each in turn.",
		"Fix or remove the records of the candidates that stall (see their findings), or run the check again with a longer --connect-deadline."},
	{KindTeamsOnlyBlocked,
		"Switching the domain's users to Teams Only fails: Microsoft's check fails the switch when the lyncdiscover record of any SIP domain \"is present but does not point to Microsoft 365\" (\"Cannot switch to Teams Only mode\"), and its error names only the record. A wildcard record answers for lyncdiscover too, and so blocks the switch.",
		"Once no user of the domain signs in to an on-premises pool, publish lyncdiscover as a CNAME to webdir.online.lync.com in public DNS (\"Manage DNS entries when decommissioning\")."},
	{KindTeamsOnlyUnknown,
		"The lookup of lyncdiscover failed, so whether the switch to Teams Only would pass Microsoft's check is not known.",
		"Make the lookup answer (the domain's DNS servers, the resolver), then check again."},
	{KindTeamsOnlyOnPremises,
		"Records that a Teams Only domain points to Microsoft 365 (lyncdiscover, sip, _sip._tls, _sipfederationtls._tcp) still lead to other servers. Users homed on-premises, desk phones and federation partners use them, so they stay while any of those remain; Microsoft cannot change them for you (\"Manage DNS entries when decommissioning\").",
		"When every user of the domain is Teams Only, publish the records Microsoft gives: lyncdiscover CNAME webdir.online.lync.com, sip CNAME sipdir.online.lync.com, _sip._tls SRV 100 1 443 sipdir.online.lync.com, _sipfederationtls._tcp SRV 100 1 5061 sipfed.online.lync.com."},
	{KindTeamsOnlyInternal,
		"Internal DNS still has Skype for Business records. Clients inside the network use them while an on-premises pool serves them; after the deployment is gone, \"any DNS records for Skype for Business in your internal network should be removed\" (\"Manage DNS entries when decommissioning\").",
		"Delete them from internal DNS once the on-premises deployment is decommissioned."},
	{KindFederationNone,
		"_sipfederationtls._tcp does not exist, so partners with open federation and Microsoft 365 cannot find the domain's Access Edge server; only partners who enter the Edge's name by hand can federate.",
		"If the domain federates, publish _sipfederationtls._tcp in public DNS to the Access Edge on 5061 (or to sipfed.online.lync.com for Microsoft 365)."},
	{KindFederationOutside,
		"The federation SRV record names a server outside the domain. Partners' Edge servers refuse it and log ms-diagnostics 1009, \"conflicting SRV and host domains\" ([MS-OCER]); the caller sees only a time-out.",
		"Name the Access Edge under the domain (its certificate carrying that name) and point the record at it."},
	{KindFederationUnresolvable,
		"The federation SRV record names a server without an address record; partners log ms-diagnostics 1014, \"DNS A not resolved\" ([MS-OCER]).",
		"Publish the Access Edge server's public address under the name the record gives."},
	{KindFederationPort,
		"The federation SRV record gives a port other than 5061; the Access Edge server takes federation on TLS 5061 (\"Port summary\", JJ204756), and Microsoft 365 connects there.",
		"Publish the record with port 5061, unless the Edge really listens for federation on the other port."},
	{KindFederationUnknown,
		"A lookup of the federation path failed, so whether partners can reach the domain is not known.",
		"Make the lookup answer (the domain's DNS servers, the resolver), then check again."},
	{KindFederationUnreachable,
		"sipdisco domain --connect could not open a TCP connection or complete the TLS handshake with the server _sipfederationtls._tcp names. Partners' Edge servers cannot either, and their users see only \"504 Server time-out\".",
		"Open TCP 5061 from the internet to the Access Edge's external interface, check that the record's address is the Edge's, and that a certificate is assigned to its federation listener."},
	{KindFederationCertificate,
		"The federation server's certificate does not name the server the SRV record gives, is outside its validity, or is not issued by a public certification authority. Partners' Edge servers refuse it and log ms-diagnostics 1010, \"Certificate trust with next-hop server could not be established\" ([MS-OCER]).",
		"Assign the Access Edge's external interface a certificate from a public certification authority whose subject alternative names include the name the SRV record gives (a SAN list overrides the subject name)."},
	{KindFederationTLS,
		"The federation server accepts no TLS 1.2 or later handshake. Microsoft 365 no longer accepts TLS 1.0 and 1.1, so federation with it and with most partners fails.",
		"Enable TLS 1.2 on the Edge server: Skype for Business Server 2019 and Subscription Edition support it as installed, Skype for Business Server 2015 with its later cumulative updates; the operating system's TLS 1.2 settings must allow it too. Leave TLS 1.0 on while Office Communicator or Lync 2010 clients still sign in through the Edge."},
	{KindAutodiscoverOtherDomain,
		"lyncdiscover or lyncdiscoverinternal is a CNAME to a server in another domain. Mobile clients do not accept that over HTTPS: \"CNAME redirection to different domains is not supported over HTTPS\" (\"Technical requirements for mobility in Lync Server 2013\"); their first request must then go over HTTP.",
		"Publish the Autodiscover service over HTTP on port 80 at the reverse proxy as well, or point the name at a server under the SIP domain whose certificate names it."},
	{KindFederationObserved,
		"What the federation server answered an OPTIONS request from sipdisco, which presents no certificate of its own: partners' Edge servers present theirs (mutual TLS), so a server that closes the connection here may still federate.",
		"Nothing to fix when the handshake and certificate are right; Test-CsFederatedPartner on your Edge checks the whole path with a partner."},
}

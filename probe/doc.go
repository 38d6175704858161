// Package probe reads what real sign-in servers answered and says what
// it means: the TLS handshake and the certificate chain a server
// presents, and its response to a REGISTER that carries no credentials —
// the part of the sign-in that Microsoft's "Office Communicator Sign-in
// and Discovery" describes after DNS ("If TLS is used, the server
// provides a certificate ... The client must validate the certificate
// before it continues ... the client sends a SIP REGISTER message to the
// server without any credentials. This prompts Office Communications
// Server to challenge for user credentials, and specifies ... the
// authentication protocols that it accepts"). The network side, which
// opens the connections, lives with the command line
// (cmd/sipdisco/internal/prober); this package is pure and runs in the
// browser too, so that a page can render a result the command line made.
//
// It parses SIP responses (RFC 3261 §7: the status line, header fields
// with folding and compact forms, bounded by MaxHeadBytes,
// MaxHeaderFields and MaxBodyBytes; an HTTP answer, a TLS record, a
// request or garbage is a ParseError saying which), the challenges of
// WWW-Authenticate and Proxy-Authenticate (RFC 3261 §25.1; NTLM, Kerberos
// and TLS-DSK with realm, targetname, version, sts-uri and opaque as
// [MS-SIPAE] §2.2.2 and §3.3.5.1 define them; Digest's nonce, algorithm
// and qop), ms-diagnostics and ms-diagnostics-public (decoded with
// [MS-OCER]'s reason strings where sipdisco carries them), Server and
// User-Agent, and the Contact of a 301 or 302 ([MS-SIPREGE]). Each
// problem becomes an engine.Finding with a fix; the certificate's are
// those of package certcheck, with a verification against trusted roots
// (certcheck.Verify). Compare then says where the real server differs
// from the simulated exchange (the engine.Exchange package signin
// builds): the server that answers, the offered protocols, the challenge
// version, the server's own name, a redirect, the certificate.
//
// # Shape
//
// A Result's JSON form is the "probe" field of the report. Its data
// types are package engine's (engine.Probe and the types it holds), named
// here by aliases (Result, Attempt, Response, ...), so that an
// engine.Report carries the probe like the simulated exchange and one
// report shape serves the command line's JSON, snapshot links and the
// page (docs/adr/0010-the-probe-is-part-of-the-report.md):
//
//	{
//	  "address": "sip:bob@contoso.com",
//	  "client": "communicator-2007-r2",
//	  "userAgent": "UCCAPI/3.5.6907.0 OC/3.5.6907.0 (Microsoft Office Communicator 2007 R2)",
//	  "started": "2026-11-25T14:41:59Z",
//	  "attempts": [
//	    {"host": "sip.contoso.com", "port": 5061, "transport": "TLS",
//	     "source": "_sipinternaltls._tcp.contoso.com", "reason": "discovered",
//	     "remote": "192.0.2.10:5061", "connectMs": 3,
//	     "tls": {"serverName": "sip.contoso.com", "version": "TLS 1.2",
//	             "cipherSuite": "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "handshakeMs": 9,
//	             "chain": [{"subject": "CN=pool01.contoso.com", "dnsNames": ["pool01.contoso.com", "sip.contoso.com"], ...}],
//	             "covered": true, "by": "DNS:sip.contoso.com",
//	             "sipDomain": "sip.contoso.com", "sipDomainCovered": true,
//	             "inValidity": true, "serverAuth": true, "chainOk": true,
//	             "trust": [{"roots": "system", "trusted": false, "problem": "unknown-authority", "error": "..."},
//	                       {"roots": "--ca corp-root.pem", "trusted": true, "path": ["CN=pool01.contoso.com", "CN=Contoso Root CA"]}]},
//	     "request": {"direction": "client-to-server", "label": "REGISTER (CSeq 1)",
//	                 "startLine": "REGISTER sip:contoso.com SIP/2.0", "headers": [...], "note": "..."},
//	     "response": {"startLine": "SIP/2.0 401 Unauthorized", "status": 401, "reason": "Unauthorized",
//	                  "headers": [{"name": "WWW-Authenticate", "value": "NTLM realm=..."}, ...],
//	                  "contentLength": 0,
//	                  "challenges": [{"header": "WWW-Authenticate", "scheme": "NTLM", "protocol": "NTLM",
//	                                  "realm": "SIP Communications Service", "targetName": "pool01.contoso.com",
//	                                  "version": 3, "params": [{"name": "realm", "value": "..."}, ...]}],
//	                  "diagnostics": [{"header": "ms-diagnostics", "code": 1003, "reason": "User does not exist",
//	                                   "source": "pool01.contoso.com", "component": "SIP stack",
//	                                   "documented": "User does not exist.", "meaning": "...", "fix": "..."}],
//	                  "server": "RTC/3.5",
//	                  "redirect": {"contact": "<sip:pool02.contoso.com:5061;transport=tls>",
//	                               "uri": "sip:pool02.contoso.com:5061;transport=tls",
//	                               "host": "pool02.contoso.com", "port": 5061, "transport": "TLS"}},
//	     "responseMs": 4,
//	     "outcome": "answered",
//	     "findings": [{"kind": "probe-challenge", "severity": "info", "subject": "sip.contoso.com:5061", ...}]}
//	  ],
//	  "findings": [{"kind": "probe-differs-offers", "severity": "warning", ...}]
//	}
//
// attempts are in the order the connections were made: the candidates in
// the client's order (TLS before TCP, as discovery lists them), then the
// home pool a 301 or 302 named, with reason "redirected" and source
// "redirect". outcome is "answered" (a SIP response was read), "failed"
// or "skipped" (not contacted: a transport the policy forbids, no
// address); the prober stops at the first answered candidate, as the
// client does, unless asked to try them all. A failed or skipped attempt
// has "failure": {"stage", "kind", "message"}: stage "resolve",
// "connect", "tls", "send" or "response"; kind one of the Fail constants
// ("refused", "reset", "timeout", "unreachable", "no-address",
// "tls-alert", "not-tls", "tls", "closed", "body-too-large", "mismatch",
// "not-allowed", "not-tried", "other") or of the ParseError kinds ("http",
// "tls-record", "request", "not-sip", "malformed", "too-large"); message
// a sentence with the specifics. A failed response can still carry the
// response head that was read (a body over the limit). tls is absent for
// TCP and before a handshake; chain uses certcheck.Summary's fields;
// trust has one entry per set of roots tried, problem one of
// certcheck's Trust constants. request is the REGISTER exactly as sent
// (its headers in order; Content-Length is computed, as in the
// simulated ladder) and never carries an Authorization header. Header
// names are as the server spelt them (compact forms included); every
// string from a server is the server's text and must be escaped by
// renderers. findings on an attempt concern that connection; the
// result's own concern the whole and the comparison with the simulation.
// A result read back from JSON (a pasted one, a snapshot link) is checked
// with Result.Validate (engine.Probe's) before it is rendered: bounded
// sizes and known enumerations, nothing re-judged.
//
// # Autodiscover
//
// For Lync 2013 and Skype for Business the result also holds
// "autodiscover" (engine.AutodiscoverProbe): every request made to the
// Autodiscover web service, in order, each with "purpose" (root,
// redirect, user), "url", "host", "port", "remote", "tls" (as an
// attempt's), "requestLine" and "requestHeaders" (never a credential),
// "statusLine", "status", "headers", the start of the "body" and
// "bodyBytes", "document" ({"format": "xml"|"json", "accessLocation",
// "links": [{"token", "href"}]}), "webTicket" ({"url" from
// X-MS-WebTicketURL, "oauthHref" and "grantTypes" from WWW-Authenticate:
// MsRtcOAuth, "schemes"}), "location" (an HTTP redirect, not followed),
// "outcome", "failure" and "findings"; then the findings of the whole.
// ParseAutodiscover, ParseWebTicket, CheckLink, JudgeWebRequest and
// JudgeAutodiscover read and judge it ("Understanding Autodiscover in
// Lync Server 2013", TechNet JJ945654; [MS-OCDISCWS]).
//
// # What it deliberately does not do
//
// It opens nothing and reads no clock: the prober brings the bytes, the
// certificates, the durations and the time. It never builds an
// authenticated request: the probe stops at the challenge, so nothing it
// sends can carry a password, an NTLM message or a Kerberos ticket, and a
// redirect that a Director sends only after authentication is not
// observed. It decodes ms-diagnostics codes only from the tables it
// carries ([MS-OCER]'s SipStack, front-end, server API and client version
// filter tables); other codes are shown with the server's own reason.
package probe

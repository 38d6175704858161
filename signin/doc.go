// Package signin simulates the sign-in that follows discovery: the
// unauthenticated SIP REGISTER, the server's authentication challenge, the
// client's answer and the server's verdict, as plain data a person can
// read message by message.
//
// Microsoft's "Office Communicator Sign-in and Discovery" describes the
// exchange: after connecting, "the client sends a SIP REGISTER message to
// the server without any credentials. This prompts Office Communications
// Server to challenge for user credentials, and specifies to the
// Communicator client the authentication protocols that it accepts."
// Communicator answers with the current Windows credentials or prompts for
// them, and the document lists how this fails: no saved credentials,
// desktop credentials for another account, a mistyped sign-in address,
// account or password, and credentials that do not match the address
// (Jeremy's URI with CONTOSO\vadim). Simulate reproduces each of them,
// with an explanation and a fix.
//
// Before the REGISTER comes the connection, which the document describes
// too: "it tries to connect by using TCP or TLS over TCP. If TLS is used,
// the server provides a certificate to authenticate itself to the client.
// The client must validate the certificate before it continues. The
// client might negotiate compression (if using TLS over TCP), and then it
// initiates a SIP registration." Simulate checks the server's name against
// the certificate names it is given (the rule of MatchCertificateName,
// restated here because certcheck imports the engine) and the end of the
// certificate's validity against a "now" it is given, and fails with
// certificate-name-mismatch or certificate-expired before any SIP message;
// given no names, it says the certificate is assumed valid. Asked to, it
// negotiates compression over TLS with NEGOTIATE and Compression: LZ77-8K
// ([MS-SIPCOMP]). And when the server is not the user's home pool (a
// Director, or another pool), it answers the authenticated REGISTER with
// 301 and the home pool as Contact ([MS-SIPREGE]), and the client signs
// in again there on a new connection.
//
// The message forms follow [MS-SIPAE] (Session Initiation Protocol
// Authentication Extensions): §3.3.5.1 for the challenge (one
// WWW-Authenticate per protocol, realm "SIP Communications Service",
// targetname the server's own FQDN, the version the server implements, 3
// for OCS 2007 and 4 from OCS 2007 R2 on, sts-uri for TLS-DSK), §4.1 and
// §4.2 for the NTLM and Kerberos examples; [MS-SIPRE] for the epid and the
// +sip.instance derived from it; and the public traces kept in the tests
// of open-source clients: an Office Communicator 2007 R2 sign-in to OCS
// 2007 R2 (no branch on the Via, ms-opaque and methods in the Contact, the
// signed version 4 NTLM REGISTER, the 200 OK's ms-keep-alive, gruu,
// Allow-Events and Server), the MS-SIPE example of OCS 2007, and a Lync
// Server 2013 exchange (its challenge and Authentication-Info orders).
// Signatures have their real lengths: NTLM's 16 bytes, a Kerberos GSS MIC
// token, TLS-DSK's HMAC-SHA1. Error codes are those of [MS-OCER] §8
// (ms-diagnostics 1000, 1003, 4004). What no source shows is listed in
// each message's Unverified, which every rendering of the ladder shows.
//
// # Shape
//
// Simulate(Input, IDs) returns an Exchange; its JSON form is the
// "register" field of the report:
//
//	{
//	  "client": "communicator-2007-r2",
//	  "connections": [
//	    {"host": "sip.contoso.com", "port": 5061, "transport": "tls",
//	     "reason": "discovered",
//	     "tls": {"status": "valid", "names": ["pool01.contoso.com", "sip.contoso.com"],
//	             "matchedBy": "sip.contoso.com", "notAfter": "2027-06-30T12:00:00Z"},
//	     "compression": true,
//	     "firstMessage": 0,
//	     "steps": [
//	       {"kind": "connect", "status": "ok", "text": "The client opens a TCP connection ..."},
//	       {"kind": "certificate", "status": "ok", "text": "The certificate names sip.contoso.com ..."},
//	       {"kind": "compression", "status": "ok", "text": "The client negotiates compression ..."}
//	     ]}
//	  ],
//	  "messages": [
//	    {"direction": "client-to-server", "label": "REGISTER (CSeq 1)",
//	     "startLine": "REGISTER sip:contoso.com SIP/2.0",
//	     "headers": [{"name": "Via", "value": "SIP/2.0/TLS ..."}, ...],
//	     "note": "Office Communicator 2007 R2 registers ..."},
//	    {"direction": "server-to-client", "label": "403 Forbidden", ...,
//	     "unverified": ["the status code 403 Forbidden ..."]},
//	    {"direction": "server-to-client", "label": "401 Unauthorized", ...}
//	  ],
//	  "protocol": "NTLM",
//	  "outcome": "failed",
//	  "failure": "address-and-account-mismatch",
//	  "explanation": "The credentials are valid, but they are CONTOSO\\vadim's ...",
//	  "fix": "Sign in to sip:jeremy@contoso.com with CONTOSO\\jeremy's credentials ..."
//	}
//
// connections lists the transport connections in the order the client
// opens them: one, or a second with reason "redirected" after a 301 (its
// host is the home pool the 301's Contact names); absent only from an
// exchange that never started (the engine's "not-sent"). transport is
// "tls" or "tcp"; tls is absent for TCP, and its status is
// "assumed-valid" (no names given: not simulated), "valid",
// "name-mismatch" or "expired", with names as given, matchedBy the name
// that covered the host, notAfter (when given) in the form
// 2026-11-25T14:41:59Z; compression is true when the connection's first
// two messages are the NEGOTIATE and its 200 OK. The messages sent on a
// connection run from its firstMessage (an index into messages) to the
// next connection's; a connection whose certificate is refused has
// firstMessage equal to the number of messages and the exchange ends
// there. steps are for a list beside the ladder: kind "connect",
// "certificate" or "compression"; status "ok", "assumed" (not simulated),
// "failed" or "skipped" (compression asked for over TCP); text a sentence.
//
// direction is "client-to-server" or "server-to-client"; headers are in
// sending order, names may repeat, and Content-Length is left out (it is
// computed: Message.String renders the full text with CRLF line endings
// and a correct Content-Length). A message is a REGISTER, a NEGOTIATE, or
// a response to one (its CSeq says which). messages is empty, not absent,
// when a certificate is refused. unverified lists, in phrases, what of a
// message no public trace or Microsoft document shows; absent when
// everything is. protocol is "NTLM", "Kerberos",
// "TLS-DSK" or absent; outcome "registered" or "failed"; failure one of
// the Fail constants, absent when registered; fix absent when registered.
//
// # What it deliberately does not do
//
// It sends nothing and opens nothing: no network, no clock, no random
// source. Every Call-ID, tag, epid, ms-opaque, connection id, opaque value,
// signature and security token comes from the IDs passed in (Counter in
// tests, so golden files pin every byte; RandIDs over the caller's own
// random source otherwise). The security tokens are framed like real ones
// but are not valid NTLM, Kerberos or TLS. It does not model the TLS
// handshake itself, the certificate's chain, trust, key usage or
// revocation (certcheck judges a pasted certificate; pass its
// names here), compressed bytes (messages are shown decompressed), a
// failed TCP connection, or the HTTPS request to the Certificate
// Provisioning service (a note and the explanation say where it
// happens). It imports no package of the engine, which imports it: inputs
// are plain strings and numbers, dates included (it does not import time).
//
// Every value from the input is checked before it reaches a header: control
// characters (CR and LF above all, which would forge headers) and overlong
// values are an *InputError naming the field, and addresses, accounts and
// host names are held to a strict grammar rather than escaped.
package signin

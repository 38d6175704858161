// Package register simulates the sign-in that follows discovery: the
// unauthenticated SIP REGISTER, the server's authentication challenge, the
// client's answer and the server's verdict, as plain data a person can
// read message by message.
//
// The seed (Office Communicator Sign-in and Discovery) describes the
// exchange: after connecting, "the client sends a SIP REGISTER message to
// the server without any credentials. This prompts Office Communications
// Server to challenge for user credentials, and specifies to the
// Communicator client the authentication protocols that it accepts."
// Communicator answers with the current Windows credentials or prompts for
// them, and the seed lists how this fails: no saved credentials, desktop
// credentials for another account, a mistyped sign-in address, account or
// password, and credentials that do not match the address (Jeremy's URI
// with CONTOSO\vadim). Simulate reproduces each of them, with an
// explanation and a fix.
//
// The message forms follow [MS-SIPAE] (Session Initiation Protocol
// Authentication Extensions): §3.3.5.1 for the challenge (one
// WWW-Authenticate per protocol, realm "SIP Communications Service",
// targetname, version 3 or 4, sts-uri for TLS-DSK), §4.1 and §4.2 for the
// NTLM and Kerberos examples. Error codes are those of [MS-OCER] §8
// (ms-diagnostics 1000, 1003, 4004). Where the research notes found no
// source for a detail, the code says "unverified" next to the choice.
//
// # Shape
//
// Simulate(Input, IDs) returns an Exchange; its JSON form is the
// "register" field of the report:
//
//	{
//	  "client": "communicator-2007-r2",
//	  "messages": [
//	    {"direction": "client-to-server", "label": "REGISTER (CSeq 1)",
//	     "startLine": "REGISTER sip:contoso.com SIP/2.0",
//	     "headers": [{"name": "Via", "value": "SIP/2.0/TLS ..."}, ...],
//	     "note": "Office Communicator 2007 R2 registers ..."},
//	    {"direction": "server-to-client", "label": "401 Unauthorized", ...}
//	  ],
//	  "protocol": "NTLM",
//	  "outcome": "failed",
//	  "failure": "address-and-account-mismatch",
//	  "explanation": "The credentials are valid, but they are CONTOSO\\vadim's ...",
//	  "fix": "Sign in to sip:jeremy@contoso.com with CONTOSO\\jeremy's credentials ..."
//	}
//
// direction is "client-to-server" or "server-to-client"; headers are in
// sending order, names may repeat, and Content-Length is left out (it is
// computed: Message.String renders the full text with CRLF line endings
// and a correct Content-Length). protocol is "NTLM", "Kerberos",
// "TLS-DSK" or absent; outcome "registered" or "failed"; failure one of
// the Fail constants, absent when registered; fix absent when registered.
//
// # What it deliberately does not do
//
// It sends nothing and opens nothing: no network, no clock, no random
// source. Every Call-ID, tag, branch, epid, +sip.instance, opaque value,
// signature and security token comes from the IDs passed in (Counter in
// tests, so golden files pin every byte; RandIDs over the caller's own
// random source otherwise). The security tokens are framed like real ones
// but are not valid NTLM, Kerberos or TLS. It does not model the TLS
// connection, certificate checks, compression, redirects to a home pool,
// or the HTTPS request to the Certificate Provisioning service (a note and
// the explanation say where it happens). It imports no package of the
// engine, which imports it: inputs are plain strings and numbers.
//
// Every value from the input is checked before it reaches a header: control
// characters (CR and LF above all, which would forge headers) and overlong
// values are an *InputError naming the field, and addresses, accounts and
// host names are held to a strict grammar rather than escaped.
package register

package probe

import (
	"fmt"

	"github.com/sipdisco/sipdisco/engine"
	"strconv"
	"strings"
)

// Diagnostic is one ms-diagnostics or ms-diagnostics-public header field,
// decoded. Office Communications Server documents its form ("Ms-Diagnostics
// Header", OCS 2007 documentation):
//
//	ms-diagnostics: <ErrorId>[.<Sub Error Code>];source="<address>";reason="<token>"[;<attribute>="<value>"]*
//
// and [MS-OCER] (Client Error Reporting Protocol) lists the error IDs
// with their reason strings: §7 for Lync and later, §8 for the releases
// before it. ms-diagnostics-public is the form a server lets leave the
// enterprise (4003 and 4004 are sent in it).
//
// Its data type is engine.SIPDiagnostic.
type Diagnostic = engine.SIPDiagnostic

// ParseDiagnostic decodes the value of an ms-diagnostics or
// ms-diagnostics-public header field named header and looks its code up.
// Parameters may come in any order; a value that breaks the form gives a
// Diagnostic whose Error says why, with whatever was read before.
func ParseDiagnostic(header, value string) Diagnostic {
	d := Diagnostic{Header: header}
	s := strings.TrimSpace(value)
	id, rest, _ := strings.Cut(s, ";")
	id = strings.TrimSpace(id)
	main, sub, hasSub := strings.Cut(id, ".")
	if !allDigits(main) || len(main) > 6 || hasSub && (!allDigits(sub) || len(sub) > 6) {
		d.Error = fmt.Sprintf("the error ID %s is not a number (want <ErrorId>[.<Sub Error Code>])", quote(id))
		return d
	}
	d.Code, _ = strconv.Atoi(main)
	if hasSub {
		d.SubCode, _ = strconv.Atoi(sub)
	}
	params, err := parseParams(rest, ';', len(value)-len(rest))
	d.Params = params
	for _, p := range params {
		switch strings.ToLower(p.Name) {
		case "reason":
			d.Reason = p.Value
		case "source":
			d.Source = p.Value
		}
	}
	if err != nil {
		d.Error = err.Error()
	}
	d.Component = component(d.Code)
	if e, ok := LookupDiagnostic(d.Code); ok {
		d.Documented, d.Meaning, d.Fix = e.Reason, e.Meaning, e.Fix
	}
	return d
}

// DiagnosticEntry is what sipdisco knows of one ms-diagnostics error ID.
type DiagnosticEntry struct {
	Code int
	// Header is the header [MS-OCER] says carries it: "ms-diagnostics"
	// or "ms-diagnostics-public".
	Header string
	// Reason is [MS-OCER]'s reason string.
	Reason string
	// Meaning and Fix explain the code for sign-in; empty where the code
	// has nothing to do with signing in.
	Meaning, Fix string
}

// diagnostics are the error IDs a sign-in can meet, with [MS-OCER]'s
// reason strings: the SipStack table (1000–1999, §7.2 and §8.2), the
// front-end server table (4000–4999), the server API table (5000–5999,
// §8.6) and the protocol client version filter (17000–17999, §8.16). The
// meanings and fixes are sipdisco's reading of those reasons; where a
// reason speaks for itself, none is added.
var diagnostics = []DiagnosticEntry{
	{1000, "ms-diagnostics", "Final handshake failed.",
		"The authentication handshake failed: the account name or password is wrong, or the credentials do not fit the protocol (an expired password, a computer outside the domain trying Kerberos).",
		"Check the account (DOMAIN\\user or UPN) and the password; if the client uses saved credentials, update them."},
	{1001, "ms-diagnostics", "From URI not authorized to communicate with public IM providers.", "", ""},
	{1002, "ms-diagnostics", "From URI not authorized to communicate with federated partners.", "", ""},
	{1003, "ms-diagnostics", "User does not exist.",
		"No user has this SIP URI: the sign-in address is mistyped, or the account is not enabled for SIP. Test-CsRegistration reports the same \"404, Not Found\" with \"ErrorCode=1003 ... Reason=User does not exist\".",
		"Sign in with the SIP URI of the user's Active Directory properties (it may differ from the e-mail address), or enable the user for SIP."},
	{1004, "ms-diagnostics", "Route set is no longer valid.", "", ""},
	{1005, "ms-diagnostics", "Cannot route to destination domain.", "", ""},
	{1006, "ms-diagnostics", "Error routing on client connection.", "", ""},
	{1007, "ms-diagnostics", "Temporarily cannot route.",
		"The server could not pass the request on for now (the next hop, such as the user's home pool, is down or overloaded).",
		"Check that the user's home pool and its front-end servers are running."},
	{1008, "ms-diagnostics", "Unable to resolve DNS SRV record.",
		"The server itself failed to resolve an SRV record on the way to the next hop: a DNS problem on the server side, not the client's discovery.",
		"Check the DNS records the server uses to reach its next hop (the pool, Director or Edge) from the server."},
	{1009, "ms-diagnostics", "Conflicting SRV and host domains in DNS.", "", ""},
	{1010, "ms-diagnostics", "Certificate trust with next-hop server could not be established.",
		"The server could not establish TLS with its next hop (another pool, a Director or the Edge): that server's certificate is not trusted, or does not carry the expected name.",
		"Check the certificate of the next-hop server named in source and that this server trusts its CA."},
	{1011, "ms-diagnostics", "ms-diagnostics header not provided by previous hop.", "", ""},
	{1012, "ms-diagnostics", "From URI is not authorized to communicate with users outside the enterprise.", "", ""},
	{1013, "ms-diagnostics", "Significant time skew detected during authentication.",
		"The clocks of the client and the server (or its domain controller) differ too much for the authentication to be accepted.",
		"Synchronize the clocks of client, server and domain controllers (the Windows Time service)."},
	{1014, "ms-diagnostics", "Unable to resolve DNS A record.",
		"The server itself failed to resolve a host name on the way to the next hop: a DNS problem on the server side.",
		"Check the A records the server uses to reach its next hop, from the server."},
	{4000, "ms-diagnostics", "User services default.", "", ""},
	{4001, "ms-diagnostics", "XML parse failure.", "", ""},
	{4002, "ms-diagnostics", "Multiple users associated with the source phone number.", "", ""},
	{4003, "ms-diagnostics-public", "From URI not enabled for remote access.",
		"The user may not sign in from outside the organisation: remote user access is not enabled for this user.",
		"Enable remote user access in the external access policy that applies to the user, or sign in from inside."},
	{4004, "ms-diagnostics-public", "Credentials provided are not authorized to act as specified from URI.",
		"The credentials are valid but belong to another user than the owner of the sign-in address (Office Communicator Sign-in and Discovery: Jeremy's URI signed in with CONTOSO\\vadim's credentials).",
		"Sign in with the credentials of the user who owns the sign-in address."},
	{4005, "ms-diagnostics", "Destination URI either not enabled for SIP or does not exist.",
		"The address is not any SIP-enabled user's.",
		"Check the SIP URI in the user's Active Directory properties and that the user is enabled for SIP."},
	{4006, "ms-diagnostics", "User not found in pool.",
		"The server asked does not home this user: the user is homed on another pool, or not at all.",
		"Check the user's registrar pool (Get-CsUser in Lync, the user's home server in OCS) and that discovery leads to a Director or to that pool."},
	{4007, "ms-diagnostics", "Resource is unknown in this deployment.", "", ""},
	{4010, "ms-diagnostics", "Missing endpoint identifier.", "", ""},
	{4011, "ms-diagnostics", "Epid not present.", "", ""},
	{4012, "ms-diagnostics", "Epid too long.", "", ""},
	{5000, "ms-diagnostics", "One or more critical applications are not running.",
		"A server application that every request passes through is not running on the server.",
		"Check the server's services and event log."},
	{5001, "ms-diagnostics", "Request timed out.", "", ""},
	{5002, "ms-diagnostics", "Request was cancelled.", "", ""},
	{5003, "ms-diagnostics", "Internal processing failure.", "", ""},
	{5004, "ms-diagnostics", "Failed parsing the incoming request.", "", ""},
	{17000, "ms-diagnostics", "Server overloaded.", "", ""},
	{17001, "ms-diagnostics", "Invalid request.", "", ""},
	{17002, "ms-diagnostics", "Invalid protocol client version.",
		"The server's client version filter refuses the client version named by the User-Agent (sipdisco sends the profile's).",
		"Allow the client version in the server's client version policy, or move the users to a version it allows."},
	{17003, "ms-diagnostics", "Declined with URL.",
		"The server's client version filter refuses this client version and names a page with a newer client.",
		"Install the client version the page names, or allow this version in the client version policy."},
	{17004, "ms-diagnostics", "Allowed with URL.", "", ""},
}

// LookupDiagnostic returns what sipdisco knows of an ms-diagnostics
// error ID.
func LookupDiagnostic(code int) (DiagnosticEntry, bool) {
	for _, e := range diagnostics {
		if e.Code == code {
			return e, true
		}
	}
	return DiagnosticEntry{}, false
}

// component names the part of the server an error ID's range belongs to,
// as the OCS 2007 documentation's "Ms-Diagnostics Header" lists them.
func component(code int) string {
	ranges := []struct {
		lo   int
		name string
	}{
		{0, "common"}, {1000, "SIP stack"}, {2000, "User Services (presence)"},
		{3000, "User Services (conferencing)"}, {4000, "User Services (other)"},
		{5000, "API applications"}, {6000, "IM Conferencing Server"}, {7000, "A/V Conferencing Server"},
		{8000, "Telephony Conferencing Server"}, {9000, "MRAS"}, {10000, "Mediation Server"},
		{11000, "Metrics Server"}, {12000, "VoIP outbound routing"}, {13000, "VoIP inbound routing"},
		{14000, "VoIP translation service"}, {15000, "Exchange Server UM"}, {16000, "Intelligent IM Filter"},
		{17000, "client version filter"}, {18000, ""},
	}
	name := ""
	for _, r := range ranges {
		if code >= r.lo {
			name = r.name
		}
	}
	return name
}

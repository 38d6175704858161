package signin

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// ntlm plays [MS-SIPAE] §4.1: an empty first token, the server's NTLM
// CHALLENGE_MESSAGE with an opaque security-association id, the client's
// AUTHENTICATE_MESSAGE (signed from version 4 on, as the Communicator 2007
// R2 trace shows), then the verdict.
func (s *sim) ntlm(listed []string, canKerberos bool, v verdict) {
	why := "the only protocol it can use here"
	switch {
	case s.offers[Kerberos] && s.creds != CurrentCredentials:
		why = "Kerberos would need the current Windows credentials, and these are " + credsPhrase(s.creds)
	case s.offers[Kerberos] && !canKerberos:
		why = "the domain cannot give " + s.account.raw + " a Kerberos ticket: it is not a domain account the server's domain knows"
	}
	r2 := s.request(s.authorization(NTLM, "", ptr(""), false),
		fmt.Sprintf("The client answers with NTLM (%s) as %s. The first NTLM REGISTER carries an empty gssapi-data: SIP's connectionless NTLM starts with the server's challenge.", why, s.account.raw))
	opaque := s.next(Opaque)
	tok := s.token(NTLM, 2)
	// The parameter order is the Lync Server 2013 trace's.
	s.response(r2, 401, "Unauthorized",
		[]engine.Header{header("WWW-Authenticate", fmt.Sprintf(`NTLM opaque="%s", gssapi-data="%s", targetname="%s", realm="%s", version=%d`, opaque, tok, s.name, Realm, s.version))}, nil,
		"The server sends its NTLM challenge (CHALLENGE_MESSAGE) and opens a security association named by opaque.")
	if !s.form.LyncOrder {
		s.mark("the order of the NTLM challenge's parameters for " + s.form.Product + " (that of the Lync Server 2013 trace)")
	}
	r3 := s.request(s.authorization(NTLM, opaque, ptr(s.token(NTLM, 3)), s.version >= 4),
		"The client answers the challenge (AUTHENTICATE_MESSAGE) within the same security association"+signNote(s.version)+".")
	s.markClient()
	s.final(r3, NTLM, opaque, listed, v)
}

// kerberos plays [MS-SIPAE] §4.2: one REGISTER with the AP-REQ for the
// service principal sip/<server name>, then the verdict.
func (s *sim) kerberos(v verdict) {
	s.request(s.authorization(Kerberos, "", ptr(s.token(Kerberos, 1)), s.version >= 4),
		fmt.Sprintf("The client answers with Kerberos, using the Windows logon of %s: gssapi-data carries a ticket for sip/%s, the server's own name from the challenge, from the domain controller%s.", s.account.raw, s.name, signNote(s.version)))
	s.mark("a single round trip for Kerberos (no second one for mutual authentication before the verdict)")
	s.markClient()
	s.final(s.msgs[len(s.msgs)-1], Kerberos, s.next(Opaque), s.listed(), v)
}

// tlsDSK plays a TLS-DSK handshake carried in gssapi-data when the
// credentials would get a certificate, and reports whether it did. The
// number of round trips is modelled on a full TLS handshake: ClientHello;
// ServerHello to ServerHelloDone; the client's certificate, key exchange
// and Finished; the server's Finished; then a signed REGISTER.
func (s *sim) tlsDSK(v verdict) bool {
	if v.status != 200 && v.status != 301 {
		return false
	}
	note := fmt.Sprintf("Lync has fetched a client certificate for %s from the Certificate Provisioning service at %s (HTTPS, not shown) and starts a TLS handshake inside SIP: gssapi-data carries its ClientHello.", s.addr, s.stsURI())
	if len(s.conns) > 1 {
		note = fmt.Sprintf("Lync already holds its client certificate for %s, from the first server's Certificate Provisioning service, and starts a new TLS handshake inside SIP with the home pool: gssapi-data carries its ClientHello.", s.addr)
	}
	r2 := s.request(s.authorization(TLSDSK, "", ptr(s.token(TLSDSK, 1)), false), note)
	s.mark("the number of TLS-DSK round trips (those of a full TLS handshake)")
	opaque := s.next(Opaque)
	s.response(r2, 401, "Unauthorized",
		[]engine.Header{header("WWW-Authenticate", fmt.Sprintf(`TLS-DSK opaque="%s", gssapi-data="%s", targetname="%s", realm="%s", version=4`, opaque, s.token(TLSDSK, 2), s.name, Realm))}, nil,
		"The server continues the handshake: ServerHello, its certificate, a request for the client's certificate.")
	s.mark("the TLS-DSK challenge's parameters (written as the NTLM challenge of the Lync Server 2013 trace)")
	r3 := s.request(s.authorization(TLSDSK, opaque, ptr(s.token(TLSDSK, 3)), false),
		"The client sends its certificate, key exchange and Finished.")
	s.response(r3, 401, "Unauthorized",
		[]engine.Header{header("WWW-Authenticate", fmt.Sprintf(`TLS-DSK opaque="%s", gssapi-data="%s", targetname="%s", realm="%s", version=4`, opaque, s.token(TLSDSK, 4), s.name, Realm))}, nil,
		"The server sends its Finished: the security association is established.")
	s.request(s.authorization(TLSDSK, opaque, nil, true),
		"The client sends the REGISTER again, signed with the new security association (crand, cnum, and response, an HMAC-SHA1).")
	s.markClient()
	s.final(s.msgs[len(s.msgs)-1], TLSDSK, opaque, s.listed(), v)
	return true
}

// markClient marks what of the client's message forms no trace shows for
// this client.
func (s *sim) markClient() {
	if s.client.Name != "communicator-2007-r2" {
		s.mark("the order of the Authorization parameters for " + s.client.Title + " (that of the Communicator 2007 R2 trace)")
	}
}

// credsPhrase names a credential source in a sentence.
func credsPhrase(creds string) string {
	switch creds {
	case SavedCredentials:
		return "saved ones"
	case PromptCredentials:
		return "typed at the sign-in prompt"
	case CurrentCredentials:
		return "the current Windows credentials"
	}
	return "none"
}

func signNote(version int) string {
	if version >= 4 {
		return ", and signs the request (crand, cnum, response), as version 4 does once the security association is ready"
	}
	return ""
}

// final sends the server's verdict on an authenticated REGISTER.
func (s *sim) final(req engine.Message, proto, opaque string, listed []string, v verdict) {
	switch v.status {
	case 401:
		lead := append(s.challenges(listed), v.diag...)
		s.response(req, 401, "Unauthorized", lead, nil,
			"The handshake fails: the server challenges again, with ms-diagnostics 1000. The client stops and reports that it cannot sign in.")
		s.mark(v.unverified...)
		return
	case 301:
		s.redirect(req, proto, opaque, v)
		return
	case 200:
		s.ok(req, proto, opaque)
		return
	}
	lead := append([]engine.Header{s.authInfo(proto, opaque)}, v.diag...)
	note := fmt.Sprintf("The credentials are good, but the server refuses the registration: %d %s.", v.status, v.reason)
	switch v.status {
	case 404:
		note = "The credentials are good, but no user has this SIP URI: 404 Not Found, ms-diagnostics 1003 \"User does not exist\" (as Test-CsRegistration reports it)."
	case 403:
		note = fmt.Sprintf("The credentials are good but belong to %s, not to the owner of %s: ms-diagnostics-public 4004 ([MS-OCER]).", v.authed.account, s.addr)
	}
	s.response(req, v.status, v.reason, lead, nil, note)
	s.mark(v.unverified...)
}

// redirect sends the 301 a Director (or a pool that does not home the
// user) answers the authenticated REGISTER with ([MS-SIPREGE]). The form
// (the reason phrase "Redirect request to Home Server", the
// Authentication-Info signature, a Contact with the pool and its
// transport, Expires 2592000) is that of a Skype for Business trace kept
// in a public test suite, which names the pool by IP address.
func (s *sim) redirect(req engine.Message, proto, opaque string, v verdict) {
	contact := fmt.Sprintf("<sip:%s:%d;transport=%s>", v.home, defaultPort(s.transport), s.transport)
	s.response(req, 301, v.reason, []engine.Header{s.authInfo(proto, opaque)},
		[]engine.Header{header("Contact", contact), header("Expires", strconv.Itoa(redirectExpires))},
		fmt.Sprintf("The credentials are good, but %s is not the home pool of %s (it is a Director, or another pool): it signs its answer and redirects the client to its home pool %s with 301 ([MS-SIPREGE]).", s.fqdn, s.addr, v.home))
	s.mark("the home pool named by FQDN in the Contact (the Skype for Business trace names it by IP address)", "the 301's form for "+s.form.Product)
}

// ok sends the 200 OK of a registration, with the headers the OCS 2007 R2
// trace shows: the server's ms-keep-alive, its signature, the Contact as
// the registrar holds it (the connection's ms-received-cid, the expiry,
// the +sip.instance and the GRUU it made), Expires, Allow-Events,
// Supported and Server.
func (s *sim) ok(req engine.Message, proto, opaque string) {
	contact := fmt.Sprintf("<sip:%s;transport=%s", s.local, s.transport)
	if s.msOpaque != "" {
		contact += ";ms-opaque=" + s.msOpaque
	}
	contact += fmt.Sprintf(";ms-received-cid=%s>;expires=%d;+sip.instance=\"<urn:uuid:%s>\"", s.cid, registrationExpires, instanceOf(s.epid, false))
	if s.form.GRUU {
		contact += fmt.Sprintf(";gruu=\"%s\"", gruuOf(s.addr, s.epid))
	}
	s.response(req, 200, "OK",
		[]engine.Header{header("ms-keep-alive", "UAS; tcp=no; hop-hop=yes; end-end=no; timeout=300"), s.authInfo(proto, opaque)},
		[]engine.Header{
			header("Contact", contact),
			header("Expires", strconv.Itoa(registrationExpires)),
			header("Allow-Events", "vnd-microsoft-provisioning,vnd-microsoft-roaming-contacts,vnd-microsoft-roaming-ACL,presence,presence.wpending,vnd-microsoft-roaming-self,vnd-microsoft-provisioning-v2"),
			header("Supported", "adhoclist"),
			header("Supported", "msrtc-event-categories"),
		},
		s.okNote())
	if s.form.LyncOrder {
		s.mark("Allow-Events and Supported for " + s.form.Product + " (those of the OCS 2007 R2 trace)")
	}
}

// okNote explains the 200 OK.
func (s *sim) okNote() string {
	note := fmt.Sprintf("The server accepts: %s is registered, and the server signs its response (Authentication-Info). Its Contact names the endpoint by the +sip.instance the client derived from its epid ([MS-SIPRE])", s.addr)
	if s.form.GRUU {
		note += ", and gives it a GRUU"
	}
	return note + "."
}

// request appends a REGISTER with the next CSeq. Its Via has no branch
// and its Contact the form of the client's traces (ms-opaque and methods
// from Communicator 2007 R2 on, [MS-SIPRE] §4.2); +sip.instance is derived
// from the epid.
func (s *sim) request(authz, note string) engine.Message {
	s.cseq++
	tr := strings.ToUpper(s.transport)
	contact := fmt.Sprintf(`<sip:%s;transport=%s>;proxy=replace;+sip.instance="<urn:uuid:%s>"`, s.local, s.transport, s.id)
	if s.msOpaque != "" {
		contact = fmt.Sprintf(`<sip:%s;transport=%s;ms-opaque=%s>;methods="%s";proxy=replace;+sip.instance="<urn:uuid:%s>"`, s.local, s.transport, s.msOpaque, contactMethods, s.id)
	}
	hs := []engine.Header{
		header("Via", fmt.Sprintf("SIP/2.0/%s %s", tr, s.local)),
		header("Max-Forwards", "70"),
		header("From", fmt.Sprintf("<%s>;tag=%s;epid=%s", s.addr, s.tag, s.epid)),
		header("To", fmt.Sprintf("<%s>", s.addr)),
		header("Call-ID", s.callID),
		header("CSeq", fmt.Sprintf("%d REGISTER", s.cseq)),
		header("Contact", contact),
		header("User-Agent", s.client.UserAgent),
	}
	for _, v := range s.client.Supported {
		hs = append(hs, header("Supported", v))
	}
	hs = append(hs, header("ms-keep-alive", "UAC;hop-hop=yes"), header("Event", "registration"))
	if authz != "" {
		hs = append(hs, header("Authorization", authz))
	}
	m := engine.Message{
		Direction: engine.ClientToServer,
		Label:     fmt.Sprintf("REGISTER (CSeq %d)", s.cseq),
		StartLine: "REGISTER sip:" + s.addr.Domain + " SIP/2.0",
		Headers:   hs,
		Note:      note,
	}
	s.msgs = append(s.msgs, m)
	if s.cseq == 1 {
		s.mark(s.contact.Unverified...)
	}
	return m
}

// response appends the server's response to req: lead headers
// (challenges, signatures, diagnostics) first, as in the [MS-SIPAE] §4
// examples, then the dialog headers copied from the request, the Via with
// the port and connection the server received it on (ms-received-port,
// ms-received-cid), then tail and the Server header. (The examples' Date
// header is left out: the simulation has no clock.)
func (s *sim) response(req engine.Message, status int, reason string, lead, tail []engine.Header, note string) engine.Message {
	get := func(name string) string {
		if v := req.Get(name); len(v) > 0 {
			return v[0]
		}
		return ""
	}
	hs := append([]engine.Header(nil), lead...)
	hs = append(hs,
		header("From", get("From")),
		header("To", get("To")+";tag="+s.next(ServerTag)),
		header("Call-ID", get("Call-ID")),
		header("CSeq", get("CSeq")),
		header("Via", fmt.Sprintf("%s;ms-received-port=%d;ms-received-cid=%s", get("Via"), s.local.Port(), s.cid)),
	)
	hs = append(hs, tail...)
	hs = append(hs, header("Server", s.form.Software))
	m := engine.Message{
		Direction: engine.ServerToClient,
		Label:     fmt.Sprintf("%d %s", status, reason),
		StartLine: fmt.Sprintf("SIP/2.0 %d %s", status, reason),
		Headers:   hs,
		Note:      note,
	}
	s.msgs = append(s.msgs, m)
	s.mark(s.form.Unverified...)
	return m
}

// challenges returns one WWW-Authenticate per listed protocol, in the
// forms of [MS-SIPAE] §3.3.5.1 and §4.1: targetname the server's own name
// (the service principal sip/<name> for Kerberos), the version the server
// implements (TLS-DSK's is always 4).
func (s *sim) challenges(listed []string) []engine.Header {
	var hs []engine.Header
	for _, p := range listed {
		var v string
		switch p {
		case NTLM:
			v = fmt.Sprintf(`NTLM realm="%s", targetname="%s", version=%d`, Realm, s.name, s.version)
		case Kerberos:
			v = fmt.Sprintf(`Kerberos realm="%s", targetname="sip/%s", version=%d`, Realm, s.name, s.version)
		case TLSDSK:
			v = fmt.Sprintf(`TLS-DSK realm="%s", targetname="%s", version=4, sts-uri="%s"`, Realm, s.name, s.stsURI())
		}
		hs = append(hs, header("WWW-Authenticate", v))
	}
	return hs
}

// stsURI is the Certificate Provisioning service URL of the TLS-DSK
// challenge, in the form of the Lync Server 2013 trace, on the pool's
// internal web services.
func (s *sim) stsURI() string {
	return "https://" + s.web + ":443/CertProv/CertProvisioningService.svc"
}

// targetName is the targetname of a protocol: the server's own FQDN for
// NTLM and TLS-DSK, the service principal sip/<name> for Kerberos
// ([MS-SIPAE] §3.2.5.2).
func (s *sim) targetName(proto string) string {
	if proto == Kerberos {
		return "sip/" + s.name
	}
	return s.name
}

func ptr(s string) *string { return &s }

// authorization builds the client's Authorization header value, its
// parameters in the order of the Communicator 2007 R2 trace: qop, realm,
// opaque, targetname, version, gssapi-data, then the signature crand,
// cnum and response. A nil gssapi leaves the parameter out (a signed
// REGISTER after the handshake).
func (s *sim) authorization(proto, opaque string, gssapi *string, sign bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `%s qop="auth", realm="%s"`, proto, Realm)
	if opaque != "" {
		fmt.Fprintf(&b, `, opaque="%s"`, opaque)
	}
	version := s.version
	if proto == TLSDSK {
		version = 4
	}
	fmt.Fprintf(&b, `, targetname="%s", version=%d`, s.targetName(proto), version)
	if gssapi != nil {
		fmt.Fprintf(&b, `, gssapi-data="%s"`, *gssapi)
	}
	if sign {
		fmt.Fprintf(&b, `, crand="%s", cnum="1", response="%s"`, s.salt(), strings.ToLower(s.signature(proto)))
	}
	return b.String()
}

// authInfo is the server's signature on a response within the security
// association ([MS-SIPAE] §3.2.5.2): rspauth first, as OCS writes it (the
// MS-SIPE example, the OCS 2007 R2 trace), or qop first with version=4, as
// Lync Server does (the Lync Server 2013 trace).
func (s *sim) authInfo(proto, opaque string) engine.Header {
	rspauth, srand := s.signature(proto), s.salt()
	if s.form.LyncOrder {
		return header("Authentication-Info", fmt.Sprintf(`%s qop="auth", opaque="%s", srand="%s", snum="1", rspauth="%s", targetname="%s", realm="%s", version=4`,
			proto, opaque, srand, strings.ToLower(rspauth), s.targetName(proto), Realm))
	}
	return header("Authentication-Info", fmt.Sprintf(`%s rspauth="%s", srand="%s", snum="1", opaque="%s", qop="auth", targetname="%s", realm="%s"`,
		proto, rspauth, srand, opaque, s.targetName(proto), Realm))
}

// last returns the last n bytes of s (an 8-digit srand or crand from a
// longer signature value).
func last(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// token builds one simulated gssapi-data blob: the random bytes from the
// IDs source behind the framing a real one starts with, so that the
// base64 reads like the real thing ("TlRMTVNTUAAC..." for an NTLM
// challenge) while making no claim to be valid.
func (s *sim) token(proto string, step int) string {
	raw, _ := hex.DecodeString(s.next(Token))
	var prefix []byte
	switch proto {
	case NTLM: // NTLMSSP signature and message type ([MS-NLMP] §2.2.1)
		prefix = append([]byte("NTLMSSP\x00"), byte(step), 0, 0, 0)
	case Kerberos: // GSS-API InitialContextToken (RFC 2743 §3.1)
		prefix = []byte{0x60, 0x82}
	case TLSDSK: // a TLS handshake record (RFC 5246 §6.2.1)
		prefix = []byte{0x16, 0x03, 0x01}
	}
	return base64.StdEncoding.EncodeToString(append(prefix, raw...))
}

// joinAnd lists protocols as prose: "NTLM, Kerberos and TLS-DSK".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return "nothing"
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

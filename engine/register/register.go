package register

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// Credential sources: where the client's credentials come from. The seed:
// "Communicator can use the user's current Windows credentials to log on,
// or it can prompt the user for credentials", and Windows' credentials
// manager can hold saved ones.
const (
	// CurrentCredentials are the Windows logon of Input.DesktopAccount.
	CurrentCredentials = "current"
	// SavedCredentials were saved earlier (Communicator's "Save my
	// password", or Windows' Stored User Names and Passwords).
	SavedCredentials = "saved"
	// PromptCredentials are typed by the user when the client asks.
	PromptCredentials = "prompt"
	// NoCredentials: nothing is saved and the prompt was not answered.
	NoCredentials = "none"
)

// Authentication protocols of [MS-SIPAE], as they are named in the
// WWW-Authenticate and Authorization headers.
const (
	NTLM     = "NTLM"
	Kerberos = "Kerberos"
	TLSDSK   = "TLS-DSK"
)

// Realm is the realm of every challenge of Office Communications Server
// and Lync Server ([MS-SIPAE] §4.1).
const Realm = "SIP Communications Service"

// registrationExpires is the registration lifetime the server grants, as
// in the [MS-SIPREGE] 200 OK example.
const registrationExpires = 7200

// defaultClientAddress is the client's own address in Via and Contact: a
// documentation address (RFC 5737), as [MS-SIPAE] §4 uses.
const defaultClientAddress = "192.0.2.10:50000"

// Input describes one sign-in attempt: who signs in, with which
// credentials, to which server, and what the server knows.
type Input struct {
	// Client is the client by engine profile name; empty means
	// engine.DefaultProfile.
	Client string `json:"client,omitempty"`
	// Address is the sign-in address (in JSON, "sip:jeremy@contoso.com"
	// or "jeremy@contoso.com").
	Address engine.URI `json:"address"`
	// Account is the account the client is trying to use, CONTOSO\jeremy
	// or the UPN jeremy@contoso.com. Required for saved and prompted
	// credentials; with current credentials, an Account different from
	// DesktopAccount is the seed's "desktop credentials do not match the
	// account that Communicator is trying to use".
	Account string `json:"account,omitempty"`
	// WrongPassword makes the saved or typed password wrong. It is
	// ignored for current credentials: a Windows logon has a good one.
	WrongPassword bool `json:"wrongPassword,omitempty"`
	// Credentials is the credential source: CurrentCredentials (the
	// default), SavedCredentials, PromptCredentials or NoCredentials.
	Credentials string `json:"credentials,omitempty"`
	// DesktopAccount is the account logged on to Windows, whose
	// credentials CurrentCredentials uses; empty means Account.
	DesktopAccount string `json:"desktopAccount,omitempty"`
	// Server is the server discovery chose and what it offers.
	Server Server `json:"server"`
	// Directory lists the users the server knows. Empty means a directory
	// holding one user: Address, owned by Account (or DesktopAccount).
	Directory []User `json:"directory,omitempty"`
	// ClientAddress is the client's IP:port in Via and Contact; empty
	// means 192.0.2.10:50000.
	ClientAddress string `json:"clientAddress,omitempty"`

	// CertificateNames are the names on the server's TLS certificate that
	// a client compares with the server's name: its DNS subject
	// alternative names, or its subject common name when it has none
	// (the rule of certcheck.MatchHost; pass the names it would compare,
	// from a pasted certificate or from a certificate plan). A wildcard
	// counts as MatchCertificateName says. Empty means the certificate is
	// not simulated: the connection's certificate step says it is assumed
	// valid. Ignored over TCP.
	CertificateNames []string `json:"certificateNames,omitempty"`
	// CertificateNotAfter is the end of the server certificate's
	// validity. With Now it adds the expiry check; the zero time leaves
	// it out. Ignored over TCP.
	CertificateNotAfter time.Time `json:"certificateNotAfter,omitzero"`
	// Now is the moment of the sign-in, for the expiry check: the package
	// reads no clock. Required with CertificateNotAfter, ignored without
	// it.
	Now time.Time `json:"now,omitzero"`
	// Compression makes the client negotiate compression after TLS
	// ([MS-SIPCOMP]: NEGOTIATE with Compression: LZ77-8K). The seed: "The
	// client might negotiate compression (if using TLS over TCP)"; over
	// TCP the step says it is skipped. Off by default.
	Compression bool `json:"compression,omitempty"`
	// HomePool is the FQDN of the pool (or Standard Edition server) that
	// homes the user. When it is set and is not Server.FQDN (the server
	// is a Director, or another pool), the server answers the
	// authenticated REGISTER with 301 and the home pool as Contact, and
	// the client signs in again there ([MS-SIPREGE]). Empty means
	// Server.FQDN is the home pool.
	HomePool string `json:"homePool,omitempty"`
	// HomePoolCertificateNames are the names on the home pool's
	// certificate, as CertificateNames; empty means it is assumed valid.
	HomePoolCertificateNames []string `json:"homePoolCertificateNames,omitempty"`
}

// Server is the registrar the client signs in to.
type Server struct {
	// FQDN is the server's (or pool's) name, the target of discovery. It
	// is the targetname of the challenges.
	FQDN string `json:"fqdn"`
	// Port defaults to 5061 for TLS and 5060 for TCP.
	Port int `json:"port,omitempty"`
	// Transport is "tls" (the default) or "tcp".
	Transport string `json:"transport,omitempty"`
	// Offers are the authentication protocols the server is configured
	// for: NTLM, Kerberos, TLS-DSK. Empty means all three.
	Offers []string `json:"offers,omitempty"`
	// ChallengeVersion overrides the client generation's challenge
	// version (3 or 4); 0 keeps it.
	ChallengeVersion int `json:"challengeVersion,omitempty"`
}

// User is one directory entry: an account and the SIP URI it is enabled
// with.
type User struct {
	// Account is DOMAIN\user.
	Account string `json:"account"`
	// UPN is the account's user principal name, if it may sign in by it.
	UPN string `json:"upn,omitempty"`
	// Address is the user's SIP URI; the zero URI means the account is
	// not enabled for SIP.
	Address engine.URI `json:"address,omitzero"`
}

// Simulate plays the sign-in that follows discovery, as the seed describes
// it: "the client sends a SIP REGISTER message to the server without any
// credentials. This prompts Office Communications Server to challenge for
// user credentials, and specifies to the Communicator client the
// authentication protocols that it accepts."
//
// The server answers the unauthenticated REGISTER with 401 Unauthorized
// and one WWW-Authenticate header per protocol it offers ([MS-SIPAE]
// §3.3.5.1): NTLM and TLS-DSK with targetname the server's FQDN, Kerberos
// with the service principal "sip/" + FQDN, all in the realm "SIP
// Communications Service" with the version of the client generation;
// TLS-DSK adds the sts-uri of the Certificate Provisioning service and is
// listed only to clients that support it (unless it is all the server
// has). The client then chooses: TLS-DSK when both support it, else
// Kerberos when it signs in with the current Windows credentials of an
// account the domain knows, else NTLM. The handshake follows ([MS-SIPAE]
// §4.1 for NTLM, §4.2 for Kerberos) and the server's final answer: 200 OK,
// or one of the failures listed with the Fail constants, each with an
// explanation and a fix.
//
// Nothing is sent anywhere: every Call-ID, tag, branch, epid, opaque value
// and security token comes from ids, so the same Input and IDs state give
// the same bytes. The error is non-nil only for unusable input (an
// *InputError naming the field) or a malformed value from ids; failed
// sign-ins are an Exchange with Outcome Failed.
func Simulate(in Input, ids IDs) (engine.Exchange, error) {
	if ids == nil {
		return engine.Exchange{}, fmt.Errorf("register: no IDs source")
	}
	s, err := newSim(in, ids)
	if err != nil {
		return engine.Exchange{}, err
	}
	ex := s.run()
	if s.err != nil {
		return engine.Exchange{}, s.err
	}
	return ex, nil
}

// sim holds one validated attempt and the exchange being built.
type sim struct {
	client        *engine.Profile
	addr          address
	creds         string
	account       account // the credentials the client answers with
	configured    account // Input.Account, possibly empty
	wrongPassword bool
	fqdn          string
	port          int
	transport     string // "tls" or "tcp"
	offers        map[string]bool
	version       int
	directory     []dirUser
	local         netip.AddrPort
	// The connection: certificate names and dates, compression, and the
	// home pool a redirect sends the client to ("" for none).
	certNames, homeCertNames []string
	notAfter, now            time.Time
	compression              bool
	homePool                 string

	ids                   IDs
	err                   error
	callID, tag, epid, id string
	cseq                  int
	msgs                  []engine.Message
	conns                 []engine.Connection
	connNote              string // how the first REGISTER on a connection starts its note
	certWhy               string // why the certificate names do not cover the host
}

type dirUser struct {
	account, upn string
	addr         address
	enabled      bool
}

func newSim(in Input, ids IDs) (*sim, error) {
	s := &sim{ids: ids}
	for _, step := range []func(Input) error{s.readClient, s.readCredentials, s.readServer, s.readDirectory, s.readConnection} {
		if err := step(in); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// readClient reads the client profile and the sign-in address.
func (s *sim) readClient(in Input) error {
	if err := checkText("client", in.Client, 64); err != nil {
		return err
	}
	p, err := engine.LookupProfile(in.Client)
	if err != nil {
		return inputErr("client", in.Client, "%v", err)
	}
	s.client = p
	if in.Address.Domain == "" {
		return inputErr("address", "", "the sign-in address is required")
	}
	s.addr = addressOf(in.Address)
	return nil
}

// readCredentials reads the accounts and the credential source, and picks
// the account the client answers the challenge with.
func (s *sim) readCredentials(in Input) error {
	var err error
	if in.Account != "" {
		if s.configured, err = parseAccount("account", in.Account); err != nil {
			return err
		}
	}
	var desktop account
	if in.DesktopAccount != "" {
		if desktop, err = parseAccount("desktopAccount", in.DesktopAccount); err != nil {
			return err
		}
	}
	s.creds = strings.ToLower(in.Credentials)
	if err := checkText("credentials", s.creds, 16); err != nil {
		return err
	}
	switch s.creds {
	case "":
		s.creds = CurrentCredentials
		fallthrough
	case CurrentCredentials:
		s.account = desktop
		if s.account.raw == "" {
			s.account = s.configured
		}
		if s.account.raw == "" {
			return inputErr("desktopAccount", "", "current Windows credentials need the Windows account (desktopAccount or account)")
		}
	case SavedCredentials, PromptCredentials:
		if s.configured.raw == "" {
			return inputErr("account", "", "%s credentials need the account they are for", s.creds)
		}
		s.account = s.configured
		s.wrongPassword = in.WrongPassword
	case NoCredentials:
		s.account = s.configured
	default:
		return inputErr("credentials", in.Credentials, "want current, saved, prompt or none")
	}
	return nil
}

// readServer reads the server: its name, transport and port, the
// protocols it offers and the challenge version.
func (s *sim) readServer(in Input) error {
	var err error
	if in.Server.FQDN == "" {
		return inputErr("server.fqdn", "", "the server's FQDN is required")
	}
	if s.fqdn, err = hostName("server.fqdn", in.Server.FQDN); err != nil {
		return err
	}
	s.transport = strings.ToLower(in.Server.Transport)
	switch s.transport {
	case "", "tls":
		s.transport, s.port = "tls", 5061
	case "tcp":
		s.port = 5060
	default:
		if err := checkText("server.transport", in.Server.Transport, 8); err != nil {
			return err
		}
		return inputErr("server.transport", in.Server.Transport, "want tls or tcp")
	}
	if in.Server.Port != 0 {
		if in.Server.Port < 1 || in.Server.Port > 65535 {
			return inputErr("server.port", strconv.Itoa(in.Server.Port), "want 1 to 65535")
		}
		s.port = in.Server.Port
	}
	if s.offers, err = readOffers(in.Server.Offers); err != nil {
		return err
	}
	s.version = s.client.ChallengeVersion
	switch in.Server.ChallengeVersion {
	case 0:
	case 3, 4:
		s.version = in.Server.ChallengeVersion
	default:
		return inputErr("server.challengeVersion", strconv.Itoa(in.Server.ChallengeVersion), "want 3 (OCS 2007/R2) or 4 (Lync)")
	}
	return nil
}

// readOffers reads the protocols a server offers; none means all three.
func readOffers(offers []string) (map[string]bool, error) {
	if len(offers) > 8 {
		return nil, inputErr("server.offers", strings.Join(offers, ","), "at most NTLM, Kerberos and TLS-DSK")
	}
	out := map[string]bool{}
	for _, o := range offers {
		if err := checkText("server.offers", o, 16); err != nil {
			return nil, err
		}
		switch strings.ToLower(o) {
		case "ntlm":
			out[NTLM] = true
		case "kerberos":
			out[Kerberos] = true
		case "tls-dsk", "tlsdsk":
			out[TLSDSK] = true
		default:
			return nil, inputErr("server.offers", o, "unknown protocol; want NTLM, Kerberos or TLS-DSK")
		}
	}
	if len(out) == 0 {
		out = map[string]bool{NTLM: true, Kerberos: true, TLSDSK: true}
	}
	return out, nil
}

// readDirectory reads the users the server knows; without any, the
// directory holds the sign-in address, owned by the account signing in.
func (s *sim) readDirectory(in Input) error {
	if len(in.Directory) > maxDirectory {
		return inputErr("directory", strconv.Itoa(len(in.Directory))+" users", "at most %d users", maxDirectory)
	}
	if len(in.Directory) == 0 {
		owner := s.configured
		if owner.raw == "" {
			owner = s.account
		}
		if owner.raw != "" {
			s.directory = append(s.directory, dirUser{account: owner.raw, addr: s.addr, enabled: true})
		}
	}
	seen := map[string]int{}
	for i, u := range in.Directory {
		field := fmt.Sprintf("directory[%d]", i)
		a, err := parseAccount(field+".account", u.Account)
		if err != nil {
			return err
		}
		d := dirUser{account: a.raw}
		if u.UPN != "" {
			upn, err := parseAccount(field+".upn", u.UPN)
			if err != nil {
				return err
			}
			if !upn.UPN {
				return inputErr(field+".upn", u.UPN, "want user@domain")
			}
			d.upn = upn.raw
		}
		if u.Address.Domain != "" {
			d.addr, d.enabled = addressOf(u.Address), true
			key := strings.ToLower(d.addr.String())
			if j, dup := seen[key]; dup {
				return inputErr(field+".address", d.addr.String(), "already the address of directory[%d]", j)
			}
			seen[key] = i
		}
		s.directory = append(s.directory, d)
	}
	return nil
}

// readConnection reads what the connection checks: the certificates'
// names and expiry, compression, the home pool and the client's address.
func (s *sim) readConnection(in Input) error {
	var err error
	if s.certNames, err = parseCertificateNames("certificateNames", in.CertificateNames); err != nil {
		return err
	}
	if s.homeCertNames, err = parseCertificateNames("homePoolCertificateNames", in.HomePoolCertificateNames); err != nil {
		return err
	}
	if !in.CertificateNotAfter.IsZero() {
		if in.Now.IsZero() {
			return inputErr("now", "", "the certificate's expiry check needs the current time (the simulation reads no clock)")
		}
		// Whole seconds in UTC, as certificates and reports state them.
		s.notAfter = in.CertificateNotAfter.UTC().Truncate(time.Second)
		s.now = in.Now.UTC().Truncate(time.Second)
	}
	s.compression = in.Compression
	if in.HomePool != "" {
		home, err := hostName("homePool", in.HomePool)
		if err != nil {
			return err
		}
		if home != s.fqdn {
			s.homePool = home
		}
	}
	ca := in.ClientAddress
	if ca == "" {
		ca = defaultClientAddress
	}
	s.local, err = parseClientAddress(ca)
	return err
}

// next draws a value from the IDs source and keeps the first bad one as
// the simulation's error.
func (s *sim) next(k Kind) string {
	v := s.ids.Next(k)
	if err := checkID(k, v); err != nil {
		if s.err == nil {
			s.err = err
		}
		return strings.Repeat("0", 8)
	}
	return v
}

// userByAccount finds the directory entry of an account, by DOMAIN\user
// or UPN, case ignored.
func (s *sim) userByAccount(a account) (dirUser, bool) {
	for _, u := range s.directory {
		if sameAccount(u.account, a.raw) || sameAccount(u.upn, a.raw) {
			return u, true
		}
	}
	return dirUser{}, false
}

// userByAddress finds the user whose SIP URI is the address.
func (s *sim) userByAddress(a address) (dirUser, bool) {
	for _, u := range s.directory {
		if u.enabled && strings.EqualFold(u.addr.String(), a.String()) {
			return u, true
		}
	}
	return dirUser{}, false
}

// listed returns the protocols the 401 lists for this client, in the
// order of the Lync Server 2013 trace: NTLM, Kerberos, TLS-DSK.
func (s *sim) listed() []string {
	var out []string
	for _, p := range []string{NTLM, Kerberos} {
		if s.offers[p] {
			out = append(out, p)
		}
	}
	// TLS-DSK only to clients that support it (SPEC "Simulated
	// REGISTER"): whether a real server tailors its challenge to the
	// client is unverified — the Lync Server 2013 trace in the research
	// notes shows TLS-DSK offered to a non-Microsoft client. A 401 must
	// carry a challenge (RFC 3261 §21.4.2), so a server that has only
	// TLS-DSK lists it to every client.
	if s.offers[TLSDSK] && (s.client.TLSDSK || len(out) == 0) {
		out = append(out, TLSDSK)
	}
	return out
}

// verdict is the server's final answer to the authenticated REGISTER.
type verdict struct {
	status  int
	reason  string
	diag    []engine.Header // ms-diagnostics
	failure engine.Kind
	// owner is the user who owns the address; authed the user the
	// credentials belong to.
	owner, authed dirUser
	// home is the home pool a 301 redirects to.
	home string
}

// judge decides what the server answers once the client has answered the
// challenge: credentials first, then the address, then whether the
// credentials' owner may use the address.
func (s *sim) judge() verdict {
	var v verdict
	current := s.creds == CurrentCredentials
	authed, known := s.userByAccount(s.account)
	v.authed = authed
	if !known || s.wrongPassword {
		// A failed handshake draws a new challenge. ms-diagnostics 1000
		// "Final handshake failed." is in [MS-OCER] §8's SipStack table;
		// that a wrong account or password draws it is unverified.
		v.status, v.reason = 401, "Unauthorized"
		v.diag = []engine.Header{header("ms-diagnostics", `1000;reason="Final handshake failed";source="`+s.fqdn+`"`)}
		v.failure = engine.KindWrongAccountOrPassword
		if current {
			v.failure = engine.KindDesktopCredentialsOtherAccount
		}
		return v
	}
	owner, found := s.userByAddress(s.addr)
	v.owner = owner
	if !found {
		// Test-CsRegistration's documented failure: "404, Not Found",
		// "ErrorCode=1003,...,Reason=User does not exist" (1003 in
		// [MS-OCER] §8's SipStack table). The research notes read it as
		// the answer for unknown and not-enabled users alike.
		v.status, v.reason = 404, "Not Found"
		v.diag = []engine.Header{header("ms-diagnostics", `1003;reason="User does not exist";source="`+s.fqdn+`"`)}
		v.failure = engine.KindUnknownSignInAddress
		if !authed.enabled {
			v.failure = engine.KindNotEnabledForSIP
		}
		return v
	}
	if !sameAccount(owner.account, authed.account) {
		// [MS-OCER] §8's front-end table lists 4004 "Credentials provided
		// are not authorized to act as specified from URI." in the
		// ms-diagnostics-public header. The research notes found no source
		// for the status code it comes with: 403 here is unverified.
		v.status, v.reason = 403, "Forbidden"
		v.diag = []engine.Header{header("ms-diagnostics-public", `4004;reason="Credentials provided are not authorized to act as specified from URI."`)}
		v.failure = engine.KindAddressAndAccountMismatch
		if current {
			v.failure = engine.KindDesktopCredentialsOtherAccount
		}
		return v
	}
	v.status, v.reason = 200, "OK"
	return v
}

// choose picks the protocol the client answers with, or "" if it can use
// none of those listed.
func (s *sim) choose(listed []string, canKerberos bool) string {
	has := func(p string) bool {
		for _, l := range listed {
			if l == p {
				return true
			}
		}
		return false
	}
	switch {
	case has(TLSDSK) && s.client.TLSDSK:
		return TLSDSK
	case has(Kerberos) && canKerberos:
		return Kerberos
	case has(NTLM):
		return NTLM
	}
	return ""
}

func (s *sim) run() engine.Exchange {
	ex := engine.Exchange{Client: s.client.Name}
	if !s.connect(&ex, engine.ConnectionDiscovered, s.certNames, true) {
		return s.finish(ex)
	}
	s.callID, s.tag, s.epid, s.id = s.next(CallID), s.next(Tag), s.next(Epid), s.next(Instance)
	v, proto, ok := s.signIn(&ex, s.homePool)
	if !ok {
		return s.finish(ex)
	}
	if v.status == 301 {
		// The client follows the redirect: a new connection to the home
		// pool, where the sign-in starts over with a new security
		// association. The same endpoint (epid, +sip.instance) registers
		// in a new registration (Call-ID, From tag, CSeq from 1); whether
		// Communicator keeps its Call-ID across the redirect is
		// unverified.
		director := s.fqdn
		s.fqdn, s.port = s.homePool, defaultPort(s.transport)
		if !s.connect(&ex, engine.ConnectionRedirected, s.homeCertNames, false) {
			return s.finish(ex)
		}
		s.callID, s.tag, s.cseq = s.next(CallID), s.next(Tag), 0
		if v, proto, ok = s.signIn(&ex, ""); !ok {
			return s.finish(ex)
		}
		ex.Outcome = engine.SignInRegistered
		ex.Explanation = fmt.Sprintf("%s authenticated with %s as %s, the owner of %s, at %s, which is not the user's home pool: it answered 301 and named the home pool %s. The client connected there, authenticated again and was registered for %d seconds.",
			s.client.Title, proto, v.authed.account, s.addr, director, s.fqdn, registrationExpires)
		return s.finish(ex)
	}
	ex.Outcome = engine.SignInRegistered
	ex.Explanation = fmt.Sprintf("%s authenticated with %s as %s, the owner of %s, and the server registered it for %d seconds.", s.client.Title, proto, v.authed.account, s.addr, registrationExpires)
	return s.finish(ex)
}

// signIn plays one sign-in on the current connection: the REGISTER
// without credentials, the challenge, the client's choice and handshake,
// and the server's verdict. When redirect names a home pool, a verdict of
// 200 OK becomes 301 to it. It returns the verdict and protocol, and ok
// when the server accepted the credentials (200 or 301); otherwise ex has
// failed.
func (s *sim) signIn(ex *engine.Exchange, redirect string) (v verdict, proto string, ok bool) {
	note := fmt.Sprintf("%s, %s registers %s without credentials, so that the server says which authentication protocols it accepts (seed; [MS-SIPAE] §4.1 step 1).",
		s.connNote, s.client.Title, s.addr)
	if len(s.conns) > 1 {
		note = fmt.Sprintf("%s, %s registers %s again, without credentials: a new server means a new security association, so the sign-in starts over with a challenge.",
			s.connNote, s.client.Title, s.addr)
	}
	r1 := s.request("", note)
	listed := s.listed()
	challenge := s.challenges(listed)
	s.response(r1, 401, "Unauthorized", challenge, nil,
		fmt.Sprintf("The server challenges the REGISTER that carries no credentials ([MS-SIPAE] §3.3.5.1). It offers %s.", joinAnd(listed)))

	if s.creds == NoCredentials {
		fail(ex, engine.KindNoCredentials,
			fmt.Sprintf("The server asked for credentials, but %s has none: no credentials are saved, Windows credentials are not used, and the sign-in prompt was not answered. The seed: authentication fails \"when credentials are not already saved\". No authenticated REGISTER is sent.", s.client.Title),
			fmt.Sprintf("Answer the sign-in prompt with the account and password of the user who owns %s (CONTOSO\\user or the UPN), and tick \"Save my password\" so later sign-ins find them; or sign in to Windows as that user so the client can use the current Windows credentials.", s.addr))
		return v, "", false
	}

	// Kerberos needs the Windows logon of an account the domain knows: it
	// asks the domain controller for a ticket to sip/<fqdn>. Typed or
	// saved credentials use NTLM here (a client could get a ticket for
	// them when a domain controller is reachable; not modelled).
	_, knownDesktop := s.userByAccount(s.account)
	canKerberos := s.creds == CurrentCredentials && knownDesktop
	proto = s.choose(listed, canKerberos)
	ex.Protocol = proto
	if proto == "" {
		var why, fix string
		switch {
		case s.offers[TLSDSK] && !s.client.TLSDSK && len(listed) == 1:
			why = s.client.Title + " does not support TLS-DSK"
			fix = "Allow NTLM (and Kerberos for domain-joined computers) in the server's authentication settings for clients without TLS-DSK, or move the users to a client generation that supports TLS-DSK (Lync 2013)."
		case s.offers[Kerberos] && s.creds != CurrentCredentials:
			why = "Kerberos needs the current Windows credentials of a domain account, and these credentials are " + credsPhrase(s.creds)
			fix = "Allow NTLM in the server's authentication settings for users who sign in with typed or saved credentials (outside the domain, or with another account), or sign in to a domain-joined computer as the user so the client can use Kerberos."
		default:
			why = "Kerberos needs a domain account the domain controller knows, and it does not know " + s.account.raw
			fix = "Allow NTLM in the server's authentication settings, or sign in to Windows with a domain account so the client can use Kerberos."
		}
		fail(ex, engine.KindNoCommonProtocol,
			fmt.Sprintf("The server offers only %s; %s. The client has no protocol to answer the challenge with, so no authenticated REGISTER is sent.", joinAnd(listed), why),
			fix)
		return v, proto, false
	}

	v = s.judge()
	if v.status == 200 && redirect != "" {
		v.status, v.reason, v.home = 301, "Redirect request to Home Server", redirect
	}
	switch proto {
	case NTLM:
		s.ntlm(listed, canKerberos, v)
	case Kerberos:
		s.kerberos(v)
	case TLSDSK:
		if !s.tlsDSK(v) {
			fail(ex, v.failure, s.explain(v, proto), s.fix(v))
			return v, proto, false
		}
	}
	if v.status == 200 || v.status == 301 {
		return v, proto, true
	}
	fail(ex, v.failure, s.explain(v, proto), s.fix(v))
	return v, proto, false
}

// fail ends ex with the failure kind, its explanation and fix.
func fail(ex *engine.Exchange, kind engine.Kind, explanation, fix string) {
	ex.Outcome, ex.Failure, ex.Explanation, ex.Fix = engine.SignInFailed, kind, explanation, fix
}

func (s *sim) finish(ex engine.Exchange) engine.Exchange {
	ex.Connections = s.conns
	ex.Messages = s.msgs
	if ex.Messages == nil {
		ex.Messages = []engine.Message{}
	}
	return ex
}

// explain says why the exchange failed: the cause, what the server (or,
// for TLS-DSK, the certificate service) did about it, and the seed's
// words for the case.
func (s *sim) explain(v verdict, proto string) string {
	var cause, seed string
	switch v.failure {
	case engine.KindDesktopCredentialsOtherAccount:
		if v.status == 401 {
			cause = fmt.Sprintf("The client signed in with the current Windows credentials of %s, an account the server does not accept.", s.account.raw)
		} else {
			cause = fmt.Sprintf("The client signed in with the current Windows credentials of %s, but %s belongs to %s.", s.account.raw, s.addr, v.owner.account)
		}
		seed = "The seed: authentication fails \"when the desktop credentials do not match the account that Communicator is trying to use\"."
	case engine.KindWrongAccountOrPassword:
		cause = fmt.Sprintf("The account %s or its password is wrong.", s.account.raw)
		seed = "The seed: authentication fails when \"the SIP URI, account name, or password is typed incorrectly\"."
	case engine.KindUnknownSignInAddress:
		cause = fmt.Sprintf("The credentials of %s are good, but no user has the SIP URI %s.", v.authed.account, s.addr)
		seed = "The seed: authentication fails when \"the SIP URI, account name, or password is typed incorrectly\"."
	case engine.KindNotEnabledForSIP:
		cause = fmt.Sprintf("The credentials of %s are good, but that account is not enabled for SIP, so no user has the SIP URI %s.", v.authed.account, s.addr)
	case engine.KindAddressAndAccountMismatch:
		cause = fmt.Sprintf("The credentials are valid, but they are %s's, and %s belongs to %s.", v.authed.account, s.addr, v.owner.account)
		seed = "The seed's example: Jeremy signs in with his URI \"but he uses the user account and password for CONTOSO\\vadim instead of the account owner's own credentials, CONTOSO\\jeremy\"."
	}
	var effect string
	switch {
	case proto == TLSDSK:
		effect = "Before it can answer a TLS-DSK challenge, Lync asks the Certificate Provisioning service at " + s.stsURI() +
			" for a client certificate with these credentials and this sign-in address; the service refuses (Test-CsClientAuth reports \"Could not download a CS Certificate for the given user. Check if provided uri and credentials are correct.\"), so no authenticated REGISTER is sent. Whether the client then falls back to NTLM is unverified."
	case v.status == 401:
		effect = fmt.Sprintf("The %s handshake fails, and the server challenges again with ms-diagnostics 1000 \"Final handshake failed\".", proto)
	case v.status == 404:
		effect = "The server answers 404 Not Found with ms-diagnostics 1003 \"User does not exist\"."
	case v.status == 403:
		effect = fmt.Sprintf("The server refuses to let them act as %s: 403 Forbidden with ms-diagnostics-public 4004 \"Credentials provided are not authorized to act as specified from URI.\"", s.addr)
	}
	out := cause + " " + effect
	if seed != "" {
		out += " " + seed
	}
	return out
}

// fix says what to change for a failed verdict.
func (s *sim) fix(v verdict) string {
	owner := "the user who owns " + s.addr.String()
	if v.owner.account != "" {
		owner = v.owner.account
	}
	switch v.failure {
	case engine.KindDesktopCredentialsOtherAccount:
		return fmt.Sprintf("Sign in to Windows as %s, or let the client prompt and type %s's account and password instead of using the Windows credentials of %s (update or remove any entry for this server in Windows' Stored User Names and Passwords).", owner, owner, s.account.raw)
	case engine.KindWrongAccountOrPassword:
		return fmt.Sprintf("Retype the account as DOMAIN\\user or as the UPN, and the password; if the client used saved credentials, update or remove them (Communicator's saved password, or Windows' Stored User Names and Passwords). Check that %s exists, is enabled and its password has not expired.", s.account.raw)
	case engine.KindUnknownSignInAddress:
		if v.authed.enabled {
			return fmt.Sprintf("Sign in with the SIP URI in the user's Active Directory properties: %s's is %s. It may differ from the e-mail address or UPN.", v.authed.account, v.authed.addr)
		}
		return "Sign in with the SIP URI in the user's Active Directory properties; it may differ from the e-mail address or UPN."
	case engine.KindNotEnabledForSIP:
		return fmt.Sprintf("Enable %s for SIP with the sign-in address %s (OCS: the user's Communications tab; Lync: Enable-CsUser), then sign in again.", v.authed.account, s.addr)
	case engine.KindAddressAndAccountMismatch:
		if v.authed.enabled {
			return fmt.Sprintf("Sign in to %s with %s's credentials, or sign in as %s with %s.", s.addr, owner, v.authed.account, v.authed.addr)
		}
		return fmt.Sprintf("Sign in to %s with %s's credentials.", s.addr, owner)
	}
	return ""
}

// ntlm plays [MS-SIPAE] §4.1: an empty first token, the server's NTLM
// CHALLENGE_MESSAGE with an opaque security-association id, the client's
// AUTHENTICATE_MESSAGE, then the verdict.
func (s *sim) ntlm(listed []string, canKerberos bool, v verdict) {
	why := "the only protocol it can use here"
	switch {
	case s.offers[Kerberos] && s.creds != CurrentCredentials:
		why = "Kerberos would need the current Windows credentials, and these are " + credsPhrase(s.creds)
	case s.offers[Kerberos] && !canKerberos:
		why = "the domain cannot give " + s.account.raw + " a Kerberos ticket"
	}
	r2 := s.request(s.authorization(NTLM, "", ptr(""), false),
		fmt.Sprintf("The client answers with NTLM (%s) as %s. The first NTLM REGISTER carries an empty gssapi-data: SIP's connectionless NTLM starts with the server's challenge.", why, s.account.raw))
	opaque := s.next(Opaque)
	tok := s.token(NTLM, 2)
	s.response(r2, 401, "Unauthorized",
		[]engine.Header{header("WWW-Authenticate", fmt.Sprintf(`NTLM realm="%s", opaque="%s", targetname="%s", gssapi-data="%s"`, Realm, opaque, s.fqdn, tok))}, nil,
		"The server sends its NTLM challenge (CHALLENGE_MESSAGE) and opens a security association named by opaque.")
	r3 := s.request(s.authorization(NTLM, opaque, ptr(s.token(NTLM, 3)), s.version >= 4),
		"The client answers the challenge (AUTHENTICATE_MESSAGE) within the same security association"+signNote(s.version)+".")
	s.final(r3, NTLM, opaque, listed, v)
}

// kerberos plays [MS-SIPAE] §4.2: one REGISTER with the AP-REQ for the
// service principal sip/<fqdn>, then the verdict. (A second round trip
// for mutual authentication before the verdict is unverified.)
func (s *sim) kerberos(v verdict) {
	r2 := s.request(s.authorization(Kerberos, "", ptr(s.token(Kerberos, 1)), s.version >= 4),
		fmt.Sprintf("The client answers with Kerberos, using the Windows logon of %s: gssapi-data carries a ticket for sip/%s from the domain controller%s.", s.account.raw, s.fqdn, signNote(s.version)))
	s.final(r2, Kerberos, s.next(Opaque), s.listed(), v)
}

// tlsDSK plays a TLS-DSK handshake carried in gssapi-data when the
// credentials would get a certificate, and reports whether it did. The
// number of round trips (modelled on a full TLS handshake: ClientHello;
// ServerHello to ServerHelloDone; the client's certificate, key exchange
// and Finished; the server's Finished; then a signed REGISTER) is
// unverified.
func (s *sim) tlsDSK(v verdict) bool {
	if v.status != 200 && v.status != 301 {
		return false
	}
	note := fmt.Sprintf("Lync has fetched a client certificate for %s from the Certificate Provisioning service at %s (HTTPS, not shown) and starts a TLS handshake inside SIP: gssapi-data carries its ClientHello.", s.addr, s.stsURI())
	if len(s.conns) > 1 {
		note = fmt.Sprintf("Lync already holds its client certificate for %s, from the first server's Certificate Provisioning service, and starts a new TLS handshake inside SIP with the home pool: gssapi-data carries its ClientHello.", s.addr)
	}
	r2 := s.request(s.authorization(TLSDSK, "", ptr(s.token(TLSDSK, 1)), false), note)
	opaque := s.next(Opaque)
	s.response(r2, 401, "Unauthorized",
		[]engine.Header{header("WWW-Authenticate", fmt.Sprintf(`TLS-DSK realm="%s", opaque="%s", targetname="%s", gssapi-data="%s", version=4`, Realm, opaque, s.fqdn, s.token(TLSDSK, 2)))}, nil,
		"The server continues the handshake: ServerHello, its certificate, a request for the client's certificate.")
	r3 := s.request(s.authorization(TLSDSK, opaque, ptr(s.token(TLSDSK, 3)), false),
		"The client sends its certificate, key exchange and Finished.")
	s.response(r3, 401, "Unauthorized",
		[]engine.Header{header("WWW-Authenticate", fmt.Sprintf(`TLS-DSK realm="%s", opaque="%s", targetname="%s", gssapi-data="%s", version=4`, Realm, opaque, s.fqdn, s.token(TLSDSK, 4)))}, nil,
		"The server sends its Finished: the security association is established.")
	r4 := s.request(s.authorization(TLSDSK, opaque, nil, true),
		"The client sends the REGISTER again, signed with the new security association (crand, cnum, response).")
	s.final(r4, TLSDSK, opaque, s.listed(), v)
	return true
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
		return
	case 301:
		// [MS-SIPREGE]: a Director, or a pool that does not home the
		// user, redirects the REGISTER to the user's home pool. The form
		// (the reason phrase "Redirect request to Home Server", the
		// Authentication-Info signature, a Contact with the pool and its
		// transport, Expires 2592000) is that of a Skype for Business
		// trace kept in a public test suite; it names the pool by IP
		// address, and that a server names it by FQDN, as here, and that
		// OCS 2007 words it the same are unverified.
		contact := fmt.Sprintf("<sip:%s:%d;transport=%s>", v.home, defaultPort(s.transport), s.transport)
		s.response(req, 301, v.reason, []engine.Header{s.authInfo(proto, opaque)},
			[]engine.Header{header("Contact", contact), header("Expires", strconv.Itoa(redirectExpires))},
			fmt.Sprintf("The credentials are good, but %s is not the home pool of %s (it is a Director, or another pool): it signs its answer and redirects the client to its home pool %s with 301 ([MS-SIPREGE]).", s.fqdn, s.addr, v.home))
		return
	case 200:
		contact := fmt.Sprintf(`<sip:%s;transport=%s>;expires=%d;+sip.instance="<urn:uuid:%s>"`, s.local, s.transport, registrationExpires, s.id)
		s.response(req, 200, "OK", []engine.Header{s.authInfo(proto, opaque)},
			[]engine.Header{header("Contact", contact), header("Expires", strconv.Itoa(registrationExpires))},
			fmt.Sprintf("The server accepts: %s is registered, and the server signs its response (Authentication-Info).", s.addr))
		return
	}
	lead := append([]engine.Header{s.authInfo(proto, opaque)}, v.diag...)
	note := fmt.Sprintf("The credentials are good, but the server refuses the registration: %d %s.", v.status, v.reason)
	switch v.status {
	case 404:
		note = "The credentials are good, but no user has this SIP URI: 404 Not Found, ms-diagnostics 1003 \"User does not exist\"."
	case 403:
		note = fmt.Sprintf("The credentials are good but belong to %s, not to the owner of %s: 403 Forbidden, ms-diagnostics-public 4004.", v.authed.account, s.addr)
	}
	s.response(req, v.status, v.reason, lead, nil, note)
}

// request appends a REGISTER with the next CSeq and a new branch.
func (s *sim) request(authz, note string) engine.Message {
	s.cseq++
	tr := strings.ToUpper(s.transport)
	hs := []engine.Header{
		header("Via", fmt.Sprintf("SIP/2.0/%s %s;branch=z9hG4bK%s", tr, s.local, s.next(Branch))),
		header("Max-Forwards", "70"),
		header("From", fmt.Sprintf("<%s>;tag=%s;epid=%s", s.addr, s.tag, s.epid)),
		header("To", fmt.Sprintf("<%s>", s.addr)),
		header("Call-ID", s.callID),
		header("CSeq", fmt.Sprintf("%d REGISTER", s.cseq)),
		header("Contact", fmt.Sprintf(`<sip:%s;transport=%s>;proxy=replace;+sip.instance="<urn:uuid:%s>"`, s.local, s.transport, s.id)),
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
	return m
}

// response appends the server's response to req: lead headers
// (challenges, signatures, diagnostics) first, as in the [MS-SIPAE] §4
// examples, then the dialog headers copied from the request, then tail.
// (The examples' Date header is left out: the simulation has no clock.)
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
		header("Via", get("Via")),
	)
	hs = append(hs, tail...)
	m := engine.Message{
		Direction: engine.ServerToClient,
		Label:     fmt.Sprintf("%d %s", status, reason),
		StartLine: fmt.Sprintf("SIP/2.0 %d %s", status, reason),
		Headers:   hs,
		Note:      note,
	}
	s.msgs = append(s.msgs, m)
	return m
}

// challenges returns one WWW-Authenticate per listed protocol, in the
// forms of [MS-SIPAE] §3.3.5.1 and §4.1.
func (s *sim) challenges(listed []string) []engine.Header {
	var hs []engine.Header
	for _, p := range listed {
		var v string
		switch p {
		case NTLM:
			v = fmt.Sprintf(`NTLM realm="%s", targetname="%s", version=%d`, Realm, s.fqdn, s.version)
		case Kerberos:
			v = fmt.Sprintf(`Kerberos realm="%s", targetname="sip/%s", version=%d`, Realm, s.fqdn, s.version)
		case TLSDSK:
			v = fmt.Sprintf(`TLS-DSK realm="%s", targetname="%s", version=4, sts-uri="%s"`, Realm, s.fqdn, s.stsURI())
		}
		hs = append(hs, header("WWW-Authenticate", v))
	}
	return hs
}

// stsURI is the Certificate Provisioning service URL of the TLS-DSK
// challenge, in the form of the Lync Server 2013 trace.
func (s *sim) stsURI() string {
	return "https://" + s.fqdn + ":443/CertProv/CertProvisioningService.svc"
}

// targetName is the targetname of a protocol: the FQDN for NTLM and
// TLS-DSK, the service principal sip/<fqdn> for Kerberos ([MS-SIPAE]
// §3.2.5.2).
func (s *sim) targetName(proto string) string {
	if proto == Kerberos {
		return "sip/" + s.fqdn
	}
	return s.fqdn
}

func ptr(s string) *string { return &s }

// authorization builds the client's Authorization header value. Its
// parameter order (qop, opaque, realm, targetname, gssapi-data, version,
// then the signature crand, cnum, response) is the one the open-source
// pidgin-sipe client sends; Microsoft's own ordering is unverified. A nil
// gssapi leaves the parameter out (a signed REGISTER after the handshake).
func (s *sim) authorization(proto, opaque string, gssapi *string, sign bool) string {
	var b strings.Builder
	b.WriteString(proto + ` qop="auth"`)
	if opaque != "" {
		fmt.Fprintf(&b, `, opaque="%s"`, opaque)
	}
	fmt.Fprintf(&b, `, realm="%s", targetname="%s"`, Realm, s.targetName(proto))
	if gssapi != nil {
		fmt.Fprintf(&b, `, gssapi-data="%s"`, *gssapi)
	}
	version := s.version
	if proto == TLSDSK {
		version = 4
	}
	fmt.Fprintf(&b, ", version=%d", version)
	if sign {
		fmt.Fprintf(&b, `, crand="%s", cnum="1", response="%s"`, last(s.next(Signature), 8), s.next(Signature))
	}
	return b.String()
}

// authInfo is the server's signature on a response within the security
// association ([MS-SIPAE] §3.2.5.2; the parameter order of the MS-SIPE
// example quoted in the research notes).
func (s *sim) authInfo(proto, opaque string) engine.Header {
	rspauth := s.next(Signature)
	if proto == NTLM {
		// An NTLM signature: version 1, then the checksum.
		rspauth = "0100000000000000" + rspauth
	}
	return header("Authentication-Info", fmt.Sprintf(`%s rspauth="%s", srand="%s", snum="1", opaque="%s", qop="auth", targetname="%s", realm="%s"`,
		proto, rspauth, last(s.next(Signature), 8), opaque, s.targetName(proto), Realm))
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

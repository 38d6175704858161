package signin

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// Credential sources: where the client's credentials come from. Microsoft's
// "Office Communicator Sign-in and Discovery": "Communicator can use the
// user's current Windows credentials to log on, or it can prompt the user
// for credentials", and Windows' credentials manager can hold saved ones.
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
	// DesktopAccount is the case "Office Communicator Sign-in and
	// Discovery" calls "desktop credentials do not match the account that
	// Communicator is trying to use".
	Account string `json:"account,omitempty"`
	// WrongPassword makes the saved or typed password wrong. With current
	// credentials it is an input error: the client then uses the Windows
	// logon, whose password Windows has already accepted.
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
	// holding Address, owned by Account (or DesktopAccount), and with
	// current credentials the Windows account logged on (DesktopAccount),
	// a domain account whose SIP address is not known.
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
	// ([MS-SIPCOMP]: NEGOTIATE with Compression: LZ77-8K). "Office
	// Communicator Sign-in and Discovery": "The client might negotiate
	// compression (if using TLS over TCP)"; over TCP the step says it is
	// skipped. Off by default.
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
	// FQDN is the name the client connects to, the target of discovery
	// (a pool's FQDN, or sip.<domain>).
	FQDN string `json:"fqdn"`
	// Name is the server's own FQDN, its computer's (a Front End server
	// of the pool): the targetname of its challenges (sip/ and it for
	// Kerberos, the service principal) and the source of its
	// ms-diagnostics ([MS-SIPAE] §3.3.5.1; every public trace), whatever
	// name the client dialled. Empty: not known, and FQDN stands in for
	// it, which the ladder marks.
	Name string `json:"name,omitempty"`
	// WebServices is the FQDN of the pool's internal web services, the
	// host of the TLS-DSK challenge's sts-uri; empty means Name (on a
	// Standard Edition server the internal web FQDN is the server's,
	// TechNet gg398094).
	WebServices string `json:"webServices,omitempty"`
	// Port defaults to 5061 for TLS and 5060 for TCP.
	Port int `json:"port,omitempty"`
	// Transport is "tls" (the default) or "tcp".
	Transport string `json:"transport,omitempty"`
	// Offers are the authentication protocols the server is configured
	// for: NTLM, Kerberos, TLS-DSK. Empty means all three.
	Offers []string `json:"offers,omitempty"`
	// ChallengeVersion overrides the version the server implements (3
	// or 4); 0 keeps that of the server generation the client signs in to
	// (serverForms: 3 for OCS 2007, 4 for OCS 2007 R2 and Lync). The
	// server chooses it ([MS-SIPAE] §3.3.5.1) and the client answers in
	// it.
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
	// not enabled for SIP, unless AddressUnknown is set.
	Address engine.URI `json:"address,omitzero"`
	// AddressUnknown marks an account the domain knows whose SIP address
	// (if any) is not known: the accounts Directory adds beside the
	// owner's, whose address it does not invent.
	AddressUnknown bool `json:"addressUnknown,omitempty"`
}

// Simulate plays the sign-in that follows discovery, as Microsoft's
// "Office Communicator Sign-in and Discovery" describes it: "the client
// sends a SIP REGISTER message to the server without any credentials. This
// prompts Office Communications Server to challenge for user credentials,
// and specifies to the Communicator client the authentication protocols
// that it accepts."
//
// The server answers the unauthenticated REGISTER with 401 Unauthorized
// and one WWW-Authenticate header per protocol it offers ([MS-SIPAE]
// §3.3.5.1): NTLM and TLS-DSK with targetname the server's own FQDN,
// Kerberos with the service principal "sip/" and that name, all in the
// realm "SIP Communications Service" with the version the server
// implements (3 for OCS 2007, 4 from OCS 2007 R2 on); TLS-DSK adds the
// sts-uri of the Certificate Provisioning service and is listed only to
// clients that support it (unless it is all the server has). The client
// then chooses: TLS-DSK when both support it, else Kerberos when it signs
// in with the current Windows credentials of an account the domain knows,
// else NTLM. The handshake follows ([MS-SIPAE] §4.1 for NTLM, §4.2 for
// Kerberos) and the server's final answer: 200 OK, or one of the failures
// listed with the Fail constants, each with an explanation and a fix.
// Requests carry the forms of the Communicator traces (a Via without a
// branch, the Contact's ms-opaque and methods, a +sip.instance derived
// from the epid as [MS-SIPRE] §3.3.3 says); responses those of the
// server traces (ms-received-port and ms-received-cid on the Via, the
// 200 OK's ms-keep-alive, gruu, Allow-Events and Server). What no trace
// shows is listed in each message's Unverified.
//
// Nothing is sent anywhere: every Call-ID, tag, epid, opaque value,
// signature and security token comes from ids, so the same Input and IDs
// state give the same bytes. The error is non-nil only for unusable input
// (an *InputError naming the field) or a malformed value from ids; failed
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
	fqdn          string // the name the client connects to
	name          string // the server's own FQDN: targetname, ms-diagnostics source
	nameKnown     bool
	web           string // the host of the sts-uri
	port          int
	transport     string // "tls" or "tcp"
	offers        map[string]bool
	version       int
	form          serverForm
	contact       contactForm
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
	msOpaque              string // the Contact's ms-opaque, "" for clients without one
	cid                   string // the server's ms-received-cid for the connection
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
	// addrUnknown: the account exists, its SIP address is not known.
	addrUnknown bool
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
	s.contact = contactForms[p.Name]
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
		if in.WrongPassword {
			return inputErr("wrongPassword", "wrong", "a wrong password needs typed or saved credentials (prompt or saved): with the current Windows credentials the client uses the Windows logon, whose password Windows has already accepted")
		}
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

// readServer reads the server: the name the client connects to and the
// server's own, its transport and port, the protocols it offers and the
// version it implements.
func (s *sim) readServer(in Input) error {
	var err error
	if in.Server.FQDN == "" {
		return inputErr("server.fqdn", "", "the server's FQDN is required")
	}
	if s.fqdn, err = hostName("server.fqdn", in.Server.FQDN); err != nil {
		return err
	}
	s.name = s.fqdn
	if in.Server.Name != "" {
		if s.name, err = hostName("server.name", in.Server.Name); err != nil {
			return err
		}
		s.nameKnown = true
	}
	s.web = s.name
	if in.Server.WebServices != "" {
		if s.web, err = hostName("server.webServices", in.Server.WebServices); err != nil {
			return err
		}
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
	switch in.Server.ChallengeVersion {
	case 0, 3, 4:
	default:
		return inputErr("server.challengeVersion", strconv.Itoa(in.Server.ChallengeVersion), "want 3 (OCS 2007) or 4 (OCS 2007 R2 and Lync)")
	}
	s.form = serverFormOf(s.client.Name, in.Server.ChallengeVersion)
	s.version = s.form.Version
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
// directory holds the sign-in address, owned by the account signing in,
// and the Windows account logged on when the client uses it: a domain
// account (the user logged on with it), whose SIP address is not known.
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
		if s.creds == CurrentCredentials && !sameAccount(s.account.raw, owner.raw) {
			s.directory = append(s.directory, dirUser{account: s.account.raw, addrUnknown: true})
		}
		return nil
	}
	seen := map[string]int{}
	for i, u := range in.Directory {
		d, err := s.readUser(i, u)
		if err != nil {
			return err
		}
		if d.enabled {
			key := strings.ToLower(d.addr.String())
			if j, dup := seen[key]; dup {
				return inputErr(fmt.Sprintf("directory[%d].address", i), d.addr.String(), "already the address of directory[%d]: two users cannot share a SIP address", j)
			}
			seen[key] = i
		}
		s.directory = append(s.directory, d)
	}
	return nil
}

// readUser reads directory entry i.
func (s *sim) readUser(i int, u User) (dirUser, error) {
	field := fmt.Sprintf("directory[%d]", i)
	a, err := parseAccount(field+".account", u.Account)
	if err != nil {
		return dirUser{}, err
	}
	d := dirUser{account: a.raw, addrUnknown: u.AddressUnknown}
	if u.UPN != "" {
		upn, err := parseAccount(field+".upn", u.UPN)
		if err != nil {
			return dirUser{}, err
		}
		if !upn.UPN {
			return dirUser{}, inputErr(field+".upn", u.UPN, "want user@domain")
		}
		d.upn = upn.raw
	}
	if u.Address.Domain != "" {
		if u.AddressUnknown {
			return dirUser{}, inputErr(field+".addressUnknown", "true", "given with an address")
		}
		d.addr, d.enabled = addressOf(u.Address), true
	}
	return d, nil
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
	// TLS-DSK only to clients that support it (docs/spec.md §8.3):
	// whether a real server tailors its challenge to the client is
	// unverified — a Lync Server 2013 trace kept in the tests of an
	// open-source SIP parser ("raw_lync_unauthorized") shows TLS-DSK
	// offered to a non-Microsoft client. A 401 must
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
	// unverified lists what of the answer no source shows.
	unverified []string
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
		v.diag = []engine.Header{header("ms-diagnostics", `1000;reason="Final handshake failed";source="`+s.name+`"`)}
		v.unverified = []string{"that a wrong account or password draws ms-diagnostics 1000 (it is in [MS-OCER]'s SipStack table)"}
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
		// [MS-OCER] §8's SipStack table), read here as the answer for
		// unknown and not-enabled users alike.
		v.status, v.reason = 404, "Not Found"
		v.diag = []engine.Header{header("ms-diagnostics", `1003;reason="User does not exist";source="`+s.name+`"`)}
		v.failure = engine.KindUnknownSignInAddress
		if !authed.enabled && !authed.addrUnknown {
			v.failure = engine.KindNotEnabledForSIP
		}
		return v
	}
	if !sameAccount(owner.account, authed.account) {
		// [MS-OCER] §8's front-end table lists 4004 "Credentials provided
		// are not authorized to act as specified from URI." in the
		// ms-diagnostics-public header. No source was found for the
		// status code it comes with: 403 here is unverified.
		v.status, v.reason = 403, "Forbidden"
		v.diag = []engine.Header{header("ms-diagnostics-public", `4004;reason="Credentials provided are not authorized to act as specified from URI."`)}
		v.unverified = []string{"the status code 403 Forbidden ([MS-OCER] lists 4004, not the status that carries it)"}
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
	s.callID, s.tag, s.epid = s.next(CallID), s.next(Tag), s.next(Epid)
	// The endpoint's +sip.instance is derived from its epid ([MS-SIPRE]
	// §3.3.3), so a server can check that they belong together.
	s.id = instanceOf(s.epid, true)
	if s.contact.Opaque {
		s.msOpaque = s.next(ContactOpaque)
	}
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
		s.name, s.web, s.nameKnown = s.homePool, s.homePool, false
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
	note := fmt.Sprintf("%s, %s registers %s without credentials, so that the server says which authentication protocols it accepts (Office Communicator Sign-in and Discovery; [MS-SIPAE] §4.1 step 1).",
		s.connNote, s.client.Title, s.addr)
	if len(s.conns) > 1 {
		note = fmt.Sprintf("%s, %s registers %s again, without credentials: a new server means a new security association, so the sign-in starts over with a challenge.",
			s.connNote, s.client.Title, s.addr)
	}
	r1 := s.request("", note)
	if len(s.conns) > 1 {
		s.mark("a new Call-ID and From tag for the home pool (whether the client keeps its Call-ID across the redirect)")
	}
	listed := s.listed()
	challenge := s.challenges(listed)
	s.response(r1, 401, "Unauthorized", challenge, nil,
		fmt.Sprintf("The server (taken to be %s, the generation of this client) challenges the REGISTER that carries no credentials ([MS-SIPAE] §3.3.5.1). It offers %s in version %d of the protocol, the version the server implements; %s.",
			s.form.Product, joinAnd(listed), s.version, s.targetNote()))
	if !s.nameKnown {
		s.mark("the server's own FQDN in targetname: it is the server's computer name, which DNS does not show, so " + s.fqdn + ", the name the client connected to, stands in for it")
	}
	if s.offers[TLSDSK] && !s.client.TLSDSK && len(listed) > 0 && listed[len(listed)-1] != TLSDSK {
		s.mark("that a server leaves TLS-DSK out of the challenge to a client without it")
	}

	if s.creds == NoCredentials {
		fail(ex, engine.KindNoCredentials,
			fmt.Sprintf("The server asked for credentials, but %s has none: no credentials are saved, Windows credentials are not used, and the sign-in prompt was not answered. Microsoft's \"Office Communicator Sign-in and Discovery\": authentication fails \"when credentials are not already saved\". No authenticated REGISTER is sent.", s.client.Title),
			fmt.Sprintf("Answer the sign-in prompt with the account and password of the user who owns %s (CONTOSO\\user or the UPN), and tick \"Save my password\" so later sign-ins find them; or sign in to Windows as that user so the client can use the current Windows credentials.", s.addr))
		return v, "", false
	}

	// Kerberos needs the Windows logon of an account the domain knows: it
	// asks the domain controller for a ticket to sip/<server name>. Typed or
	// saved credentials use NTLM here (a client could get a ticket for
	// them when a domain controller is reachable; not modelled).
	_, knownDesktop := s.userByAccount(s.account)
	canKerberos := s.creds == CurrentCredentials && knownDesktop
	proto = s.choose(listed, canKerberos)
	ex.Protocol = proto
	if proto == "" {
		s.noProtocol(ex, listed)
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

// noProtocol fails ex when the client can answer none of the listed
// protocols.
func (s *sim) noProtocol(ex *engine.Exchange, listed []string) {
	var why, fix string
	switch {
	case s.offers[TLSDSK] && !s.client.TLSDSK && len(listed) == 1:
		why = s.client.Title + " does not support TLS-DSK"
		fix = "Allow NTLM (and Kerberos for domain-joined computers) in the server's authentication settings for clients without TLS-DSK, or move the users to a client generation that supports TLS-DSK (Lync 2010 or later: \"Lync 2010 Client Authentication\", NextHop)."
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
// for TLS-DSK, the certificate service) did about it, and the words of
// "Office Communicator Sign-in and Discovery" for the case.
func (s *sim) explain(v verdict, proto string) string {
	out := s.cause(v) + " " + s.effect(v, proto)
	if doc := docWords(v.failure); doc != "" {
		out += " " + doc
	}
	return out
}

// cause says what was wrong with the credentials or the address.
func (s *sim) cause(v verdict) string {
	switch v.failure {
	case engine.KindDesktopCredentialsOtherAccount:
		if v.status == 401 {
			return fmt.Sprintf("The client signed in with the current Windows credentials of %s, an account the server's domain does not know (a local account, or one of an untrusted domain).", s.account.raw)
		}
		return fmt.Sprintf("The client signed in with the current Windows credentials of %s, a valid domain account, but %s belongs to %s: the address and the account do not match.", s.account.raw, s.addr, v.owner.account)
	case engine.KindWrongAccountOrPassword:
		return fmt.Sprintf("The account %s or its password is wrong.", s.account.raw)
	case engine.KindUnknownSignInAddress:
		return fmt.Sprintf("The credentials of %s are good, but no user has the SIP URI %s.", v.authed.account, s.addr)
	case engine.KindNotEnabledForSIP:
		return fmt.Sprintf("The credentials of %s are good, but that account is not enabled for SIP, so no user has the SIP URI %s.", v.authed.account, s.addr)
	case engine.KindAddressAndAccountMismatch:
		return fmt.Sprintf("The credentials are valid, but they are %s's, and %s belongs to %s.", v.authed.account, s.addr, v.owner.account)
	}
	return ""
}

// effect says what the server (or the certificate service) did, marking
// what no source shows.
func (s *sim) effect(v verdict, proto string) string {
	switch {
	case proto == TLSDSK:
		return "Before it can answer a TLS-DSK challenge, Lync asks the Certificate Provisioning service at " + s.stsURI() +
			" for a client certificate with these credentials and this sign-in address; the service refuses (Test-CsClientAuth reports \"Could not download a CS Certificate for the given user. Check if provided uri and credentials are correct.\"), so no authenticated REGISTER is sent. Whether the client then falls back to NTLM is unverified."
	case v.status == 401:
		return fmt.Sprintf("The %s handshake fails, and the server challenges again, with ms-diagnostics 1000 \"Final handshake failed\" (that this code comes with a wrong account or password is unverified).", proto)
	case v.status == 404:
		return "The server answers 404 Not Found with ms-diagnostics 1003 \"User does not exist\", as Test-CsRegistration reports it."
	case v.status == 403:
		return fmt.Sprintf("The server refuses to let them act as %s, with ms-diagnostics-public 4004 \"Credentials provided are not authorized to act as specified from URI.\" ([MS-OCER]); the status code that carries it, 403 Forbidden here, is unverified.", s.addr)
	}
	return ""
}

// docWords are the words of "Office Communicator Sign-in and Discovery"
// for a failure.
func docWords(kind engine.Kind) string {
	const doc = "Microsoft's \"Office Communicator Sign-in and Discovery\""
	switch kind {
	case engine.KindDesktopCredentialsOtherAccount:
		return doc + ": authentication fails \"when the desktop credentials do not match the account that Communicator is trying to use\"."
	case engine.KindWrongAccountOrPassword, engine.KindUnknownSignInAddress:
		return doc + ": authentication fails when \"the SIP URI, account name, or password is typed incorrectly\"."
	case engine.KindAddressAndAccountMismatch:
		return "The example of " + doc + ": Jeremy signs in with his URI \"but he uses the user account and password for CONTOSO\\vadim instead of the account owner's own credentials, CONTOSO\\jeremy\"."
	}
	return ""
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
		if v.authed.addrUnknown {
			return fmt.Sprintf("Sign in to %s with %s's credentials; if %s is the one signing in, use that account's own sign-in address, the SIP URI in its Active Directory properties.", s.addr, owner, v.authed.account)
		}
		return fmt.Sprintf("Sign in to %s with %s's credentials; %s is not enabled for SIP and has no sign-in address of its own.", s.addr, owner, v.authed.account)
	}
	return ""
}

// targetNote says what the challenge's targetname is.
func (s *sim) targetNote() string {
	return fmt.Sprintf("targetname is the server's own FQDN, %s (for Kerberos its service principal sip/%s), whatever name the client dialled", s.name, s.name)
}

// mark adds unverified items to the last message.
func (s *sim) mark(items ...string) {
	if n := len(s.msgs); n > 0 {
		s.msgs[n-1].Unverified = append(s.msgs[n-1].Unverified, items...)
	}
}

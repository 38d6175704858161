package check

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

// Options are every input of one check. Each field is bound to a flag, a
// link parameter and a form control by the table of Fields; a test fails
// when a field is added here without them.
type Options struct {
	// URI is the sign-in address as typed ("sip:bob@contoso.com" or
	// "bob@contoso.com"); Run parses it with engine.ParseURI.
	URI string
	// Profile names the client profile (engine.Profiles).
	Profile string
	// Strict is the strict-naming policy (Communicator's
	// EnableStrictDNSNaming, Lync's DisableStrictDNSNaming); AllowTCP the
	// client's TCP policy.
	Strict   Strictness
	AllowTCP bool
	// ManualInternal and ManualExternal are manually configured servers,
	// host[:port]; either replaces DNS discovery.
	ManualInternal string
	ManualExternal string
	// Trusted are extra domains the Lync trust model accepts without a
	// prompt (the TrustModelData policy).
	Trusted []string
	// Resolver says where answers come from: a DNS-over-HTTPS URL, the
	// serving site's /dns-query (SourceLocal, SourceUpstream), the zones
	// in Zones (SourceZone) or the embedded demo zones (SourceDemo).
	// SourceDefault leaves the choice to the front end (the command
	// line's default).
	Resolver Source
	// DNS are plain DNS servers to ask instead, as IP[:PORT], or
	// "system" for the machine's own resolvers (the inside view, as the
	// client asks them); DNSTCP asks them over TCP only. Only the command
	// line can speak plain DNS: the page asks the machine's DNS through
	// sipdisco serve --upstream.
	DNS    []string
	DNSTCP bool
	// Zones are zone texts to answer from when Resolver is SourceZone:
	// a planned zone pasted into the page, or zone files read by the
	// command line. They are never put in a link.
	Zones []Zone
	// View says which side of split-brain DNS the answers come from, when
	// the user knows it and sipdisco cannot tell (a zone file, a DoH
	// resolver it does not know): engine.ViewInside or ViewOutside.
	// Empty lets the resolver decide (Options.ViewOf).
	View engine.View

	// SignIn adds the simulated sign-in (the REGISTER exchange) to the
	// report. The fields below are its inputs (signin).
	SignIn bool
	// Account is the account signing in, DOMAIN\user or a UPN; empty is
	// the address's user@domain as a UPN.
	Account string
	// Credentials is the credential source (signin.CurrentCredentials
	// when empty, SavedCredentials, PromptCredentials, NoCredentials).
	Credentials string
	// DesktopAccount is the account logged on to Windows; empty is
	// Account.
	DesktopAccount string
	// WrongPassword makes the saved or typed password wrong.
	WrongPassword bool
	// Offers are the authentication protocols the server offers, by
	// header name (signin.NTLM, Kerberos, TLS-DSK); nil is all three.
	Offers []string
	// Owner is the account that owns the address in the directory; empty
	// is Account. NotEnabled: that account is not enabled for SIP.
	Owner      string
	NotEnabled bool
	// Compression: the client negotiates compression after TLS.
	Compression bool
	// HomePool is the user's home pool FQDN when the discovered server is
	// a Director or another pool (the server redirects the client).
	HomePool string
	// CertificateNames are the names on the server's certificate, and
	// HomePoolCertificateNames those on the home pool's; empty leaves the
	// certificate's name check out of the simulation.
	CertificateNames         []string
	HomePoolCertificateNames []string
	// CertificatePEM is the server's certificate (or chain) in PEM form:
	// its leaf's names and end of validity feed the simulated TLS step, in
	// place of CertificateNames, and its check against the discovered
	// server adds findings. Like Zones it is never put in a link.
	CertificatePEM string

	// Connect observes the real servers after discovery, on the command
	// line only (a browser cannot open TCP or TLS connections): the
	// candidates in the client's order, the TLS handshake and the
	// certificate chain each presents, and its answer to a REGISTER
	// without credentials (Env.Probe does the I/O). It implies SignIn,
	// so that the observation is compared with the simulation. The
	// fields below shape it.
	Connect bool
	// ConnectAll contacts every accepted candidate instead of stopping,
	// as the client does, at the first that answers.
	ConnectAll bool
	// CA is a certificate authority to verify the observed chains
	// against besides the system's roots (an internal CA's root). The
	// prober reads its certificates (Env.Probe), so that this package
	// links no X.509 code for it.
	CA CAFile
	// ConnectTimeout is the time limit of each stage of each connection
	// (TCP connect, TLS handshake, the response); zero leaves the
	// prober's own limits (5 s, 5 s and 10 s).
	ConnectTimeout time.Duration
	// ConnectDeadline is the time limit of the whole probe, every
	// candidate included; zero leaves the prober's own (1 minute). The
	// candidates not reached in it are reported as not tried.
	ConnectDeadline time.Duration
}

// CAFile is a certificate authority's certificates in PEM form and the
// name of the file they came from, which findings name them by.
type CAFile struct {
	Name string
	PEM  string
}

// Zone is one zone text to answer from.
type Zone struct {
	// Origin is the zone's origin; empty takes the text's $ORIGIN, or the
	// sign-in domain.
	Origin string
	// Name names the text in error messages ("planned zone",
	// "contoso.com.zone").
	Name string
	Text string
}

// Defaults are the inputs of a check nobody changed: the default profile,
// the client's own naming default, TCP allowed, automatic configuration,
// no sign-in.
func Defaults() Options { return Options{Profile: engine.DefaultProfile, AllowTCP: true} }

// PageDefaults are the inputs of a check on the page and on the command
// line (sipdisco check): the analyzer's empty form, a link that leaves a
// parameter out, and check's flags before any is given. They are
// Defaults with the sign-in simulated: one default for page and command
// line (docs/adr/0024-one-vocabulary-for-page-and-command-line.md). An audit and a
// comparison of views, here and on the page, run discovery only
// (Defaults).
func PageDefaults() Options {
	o := Defaults()
	o.SignIn = true
	return o
}

// Strictness is a check's strict-naming setting.
type Strictness int8

// The strict-naming settings. StrictDefault is the client's default
// (engine.Profile.StrictByDefault): loose for every client — Office
// Communicator's EnableStrictDNSNaming is off unless set, and Lync and
// Skype for Business accept a pool named under the sign-in domain, as
// Microsoft's deployment documents publish it (gg425884; see
// docs/adr/0016-lync-and-skype-naming.md). Links always carry the naming
// used (strict=0 or 1), so a link made when Lync was taken to be strict
// by default reruns strict.
const (
	StrictDefault Strictness = iota
	StrictOn
	StrictOff
)

// StrictOf is the setting that says strict or loose whatever the client.
func StrictOf(strict bool) Strictness {
	if strict {
		return StrictOn
	}
	return StrictOff
}

// StrictNaming reports whether the check's client uses strict naming:
// o.Strict, or for StrictDefault its profile's default (loose for a
// profile that does not exist, which Validate reports).
func (o Options) StrictNaming() bool {
	switch o.Strict {
	case StrictOn:
		return true
	case StrictOff:
		return false
	}
	p, err := engine.LookupProfile(o.Profile)
	return err == nil && p.StrictByDefault
}

// Policy returns the engine policy o describes.
func (o Options) Policy() engine.Policy {
	return engine.Policy{StrictNaming: o.StrictNaming(), AllowTCP: o.AllowTCP,
		ManualInternal: o.ManualInternal, ManualExternal: o.ManualExternal, TrustedDomains: o.Trusted}
}

// Reproducible reports whether a live link can reproduce the check: not
// when its answers came from zone texts or it used a pasted certificate,
// neither of which a link carries.
func (o Options) Reproducible() bool {
	return o.Resolver.Kind != SourceZone && strings.TrimSpace(o.CertificatePEM) == ""
}

// Validate checks every input that can be checked before any DNS
// question: the address, the profile and the policy (the sign-in inputs
// are checked as they are read; a pasted certificate is read by Run,
// through Env.Certificates). The error is an *InputError naming the
// field.
func (o Options) Validate() error {
	if _, err := o.address(); err != nil {
		return err
	}
	_, err := o.prepare()
	return err
}

func (o Options) address() (engine.URI, error) {
	u, err := engine.ParseURI(o.URI)
	if err != nil {
		return engine.URI{}, &InputError{Field: "URI", Err: err}
	}
	return u, nil
}

// prepared are the inputs of a check in the engine's terms.
type prepared struct {
	profile *engine.Profile
	policy  engine.Policy
}

// prepare checks everything but the address, and returns what Run needs.
func (o Options) prepare() (prepared, error) {
	var p prepared
	var err error
	if p.profile, err = engine.LookupProfile(o.Profile); err != nil {
		return p, &InputError{Field: "Profile", Err: err}
	}
	if p.policy, err = o.Policy().Normalize(); err != nil {
		field := "Trusted"
		var pe *engine.PolicyError
		if errors.As(err, &pe) && pe.Setting == "manualInternal" {
			field = "ManualInternal"
		} else if errors.As(err, &pe) && pe.Setting == "manualExternal" {
			field = "ManualExternal"
		}
		return p, &InputError{Field: field, Err: err}
	}
	if o.ConnectTimeout < 0 || o.ConnectTimeout > MaxConnectTimeout {
		return p, &InputError{Field: "ConnectTimeout", Err: fmt.Errorf("%v is not a time limit from 0 to %v", o.ConnectTimeout, MaxConnectTimeout)}
	}
	if o.ConnectDeadline < 0 || o.ConnectDeadline > MaxConnectDeadline {
		return p, &InputError{Field: "ConnectDeadline", Err: fmt.Errorf("%v is not a time limit from 0 to %v", o.ConnectDeadline, MaxConnectDeadline)}
	}
	return p, nil
}

// signInInput is the simulated sign-in's input for address u: the account
// (the address as user principal name when none is given), the
// credentials, the directory (signin.Directory), what the server offers,
// and the certificate: a pasted chain's leaf names and validity, judged
// at now, or else the names typed.
func (o Options) signInInput(u engine.URI, cert *leaf, now time.Time) signin.Input {
	in := signin.Input{
		Address: u, Account: o.Account, DesktopAccount: o.DesktopAccount,
		Credentials: o.Credentials, WrongPassword: o.WrongPassword,
		Compression: o.Compression, HomePool: o.HomePool,
		CertificateNames: o.CertificateNames, HomePoolCertificateNames: o.HomePoolCertificateNames,
	}
	if in.Credentials == "" {
		in.Credentials = signin.CurrentCredentials
	}
	if in.Account == "" {
		in.Account = u.User + "@" + u.Domain
	}
	if len(o.Offers) > 0 {
		in.Server.Offers = append([]string(nil), o.Offers...)
	}
	in.Directory = signin.Directory(u, in.Account, in.DesktopAccount, o.Owner, o.NotEnabled)
	if cert != nil {
		in.CertificateNames = cert.names
		in.CertificateNotAfter, in.Now = cert.notAfter, now
	}
	return in
}

// MaxConnectTimeout is the longest ConnectTimeout: a registrar answers
// at once, and the client itself gives up far sooner.
const MaxConnectTimeout = 2 * time.Minute

// MaxConnectDeadline is the longest ConnectDeadline: every candidate a
// probe contacts (16 at most) stalling at every stage with the default
// limits.
const MaxConnectDeadline = 10 * time.Minute

// Label names the CA in findings: "--ca FILE".
func (c CAFile) Label() string {
	if c.Name == "" {
		return "--ca"
	}
	return "--ca " + c.Name
}

// InputError is an input of a check that cannot be used. Field is the
// Options field at fault; the front ends name it the way their users set
// it (the flag, or the form's label).
type InputError struct {
	Field string
	Err   error
}

// Error returns the underlying error's text.
func (e *InputError) Error() string { return e.Err.Error() }

func (e *InputError) Unwrap() error { return e.Err }

// Label returns the form label of the field at fault.
func (e *InputError) Label() string {
	if f, ok := fieldByName(e.Field); ok {
		return f.Label
	}
	return e.Field
}

// Flag returns the command-line flag of the field at fault, "--account".
func (e *InputError) Flag() string {
	if f, ok := fieldByName(e.Field); ok && len(f.Flags) > 0 {
		return "--" + f.Flags[0].Name
	}
	return e.Field
}

// FormMessage is the error as the analyzer page shows it: a sign-in input
// names the form's box ("sign-in, Account "x": ..."); the other inputs'
// errors name what is wrong by themselves (the address's offset, the
// server, the zone line).
func (e *InputError) FormMessage() string {
	f, ok := fieldByName(e.Field)
	if !ok || f.Group != GroupSignIn {
		return e.Error()
	}
	var ie *signin.InputError
	if errors.As(e.Err, &ie) {
		if ie.Value == "" {
			return fmt.Sprintf("sign-in, %s: %s", f.Label, ie.Reason)
		}
		return fmt.Sprintf("sign-in, %s %q: %s", f.Label, ie.Value, ie.Reason)
	}
	return "sign-in, " + f.Label + ": " + e.Err.Error()
}

// signInError names the Options field behind an unusable sign-in input
// (signin's InputError names its own Input field).
func signInError(err error) error {
	var ie *signin.InputError
	if !errors.As(err, &ie) {
		return err
	}
	name := ie.Field
	if i := strings.IndexAny(name, ".["); i >= 0 {
		name = name[:i]
	}
	for _, f := range fields {
		if f.SignInInput != "" && f.SignInInput == name {
			return &InputError{Field: f.Name, Err: err}
		}
	}
	return &InputError{Field: "SignIn", Err: err}
}

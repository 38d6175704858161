package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

// Adding an input to a check:
//
//  1. Add its field to Options, with a doc comment.
//  2. Add its Field below: the link parameter, the form control and its
//     words, the command-line flag, and the two functions that read and
//     write its values.
//  3. Use it where it takes effect (usually Options.Policy, signInInput
//     or Run).
//
// Nothing else: the command line, the links, the analyzer's form and the
// page's JavaScript all work from this table, and TestFieldsCoverOptions
// fails until step 2 is done.

// Group places a field on the analyzer's form.
type Group string

// The form's groups, in the order the form shows them.
const (
	// GroupAddress is the address line.
	GroupAddress Group = "address"
	// GroupClient is the client and resolver row.
	GroupClient Group = "client"
	// GroupPolicy is the client policy's check boxes.
	GroupPolicy Group = "policy"
	// GroupManual: manual servers and trusted domains, under "More".
	GroupManual Group = "manual"
	// GroupSignIn: the simulated sign-in, under "More".
	GroupSignIn Group = "signin"
	// GroupAnswers: a custom resolver and a planned zone, under "More".
	GroupAnswers Group = "answers"
	// GroupCommandLine: inputs only the command line has, because a page
	// cannot do what they ask (speak plain DNS, open TCP or TLS
	// connections to observe the servers); links do not carry them, the
	// form has no control for them, and neither a link nor a form that
	// names them sets them. CommandLineOnly says why.
	GroupCommandLine Group = "command-line"
	// GroupConnect: the observation of the real servers (check
	// --connect), the command line's only like GroupCommandLine, and
	// check's only among the commands (an audit of many addresses does
	// not observe servers). The page shows an observation only when a
	// snapshot link the command line made carries one.
	GroupConnect Group = "connect"
)

// onPage reports whether the page's form and links can carry f: every
// field but the command line's own (GroupCommandLine, GroupConnect).
func (f Field) onPage() bool { return f.Group != GroupCommandLine && f.Group != GroupConnect }

// Kind is a field's form control.
type Kind int

// The form controls.
const (
	KindText     Kind = iota // one line of text
	KindBool                 // a check box
	KindChoice               // a select box
	KindMulti                // a set of check boxes sharing the name
	KindLongText             // a text area
)

// Choice is one option of a KindChoice or KindMulti field.
type Choice struct {
	Value string
	Label string
}

// Flag is one command-line flag of a field. A field may have several (the
// resolver's --doh, --demo and --zone), or none (the address, which the
// command line takes as an argument).
type Flag struct {
	// Name is the flag without its dashes ("manual-internal").
	Name string
	// Arg names the flag's value in the help ("HOST[:PORT]"); empty for a
	// boolean flag.
	Arg   string
	Usage string
	// set applies the flag's value; a boolean flag's is "true" or
	// "false".
	set func(o *Options, v string, env FlagEnv) error
}

// Field is one input of a check: how a link, a form and the command line
// carry it.
type Field struct {
	// Name is the Options field.
	Name string
	// Param is the link parameter and the form control's name.
	Param string
	// ID is the form control's element id.
	ID          string
	Label       string
	Help        string
	Placeholder string
	Kind        Kind
	Group       Group
	// InLink: live links carry the field. Zone texts and certificates do
	// not (too big, and not the recipient's to see).
	InLink bool
	// Always: every link writes the field, even at its default.
	Always bool
	// Choices are a KindChoice or KindMulti field's options (the
	// resolver's are the page's, given to Form).
	Choices []Choice
	Flags   []Flag
	// Register is the signin.Input field (its JSON name) the field
	// feeds: a sign-in input error naming it names this field.
	Register string
	// CommandLineOnly, for a field of GroupCommandLine or GroupConnect,
	// says why the page and links cannot carry it.
	CommandLineOnly string
	// get returns the field's values as a link or form writes them;
	// set reads them. A form's KindMulti field gives one value per box
	// ticked, a link's one comma-separated value.
	get func(o *Options) []string
	set func(o *Options, vs []string) error
}

func fieldByName(name string) (Field, bool) {
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

func fieldByParam(param string) (Field, bool) {
	for _, f := range fields {
		if f.Param == param {
			return f, true
		}
	}
	return Field{}, false
}

// FlagEnv is what flags that name files need: a way to read them, and
// one to read a certificate.
type FlagEnv struct {
	ReadFile func(name string) ([]byte, error)
	// Certificates, when not nil, reads a --cert file as the flag is
	// set, so that a bad file is named at once; Run reads it in any case
	// (Env.Certificates).
	Certificates Certificates
}

// text, bit and names build the get and set of the common field shapes.
func text(p func(*Options) *string) (func(*Options) []string, func(*Options, []string) error) {
	return func(o *Options) []string { return one(*p(o)) },
		func(o *Options, vs []string) error { *p(o) = strings.TrimSpace(first(vs)); return nil }
}

func bit(p func(*Options) *bool) (func(*Options) []string, func(*Options, []string) error) {
	return func(o *Options) []string { return []string{bitText(*p(o))} },
		func(o *Options, vs []string) error {
			b, err := parseBit(first(vs))
			*p(o) = b
			return err
		}
}

func names(p func(*Options) *[]string) (func(*Options) []string, func(*Options, []string) error) {
	return func(o *Options) []string { return one(strings.Join(*p(o), ",")) },
		func(o *Options, vs []string) error { *p(o) = signin.SplitNames(strings.Join(vs, ",")); return nil }
}

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func bitText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// parseBit reads a check box or a link's flag: 1, true or on; 0, false,
// off or nothing.
func parseBit(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "on":
		return true, nil
	case "", "0", "false", "off":
		return false, nil
	}
	return false, fmt.Errorf("want 1 or 0")
}

// boolFlag is a flag that sets a boolean field; invert makes the flag mean
// false (--no-tcp).
func boolFlag(name, usage string, p func(*Options) *bool, invert bool) Flag {
	return Flag{Name: name, Usage: usage, set: func(o *Options, v string, _ FlagEnv) error {
		b, err := parseBit(v)
		*p(o) = b != invert
		return err
	}}
}

// valueFlag is a flag whose value goes through the field's set.
func valueFlag(name, arg, usage string, set func(*Options, []string) error) Flag {
	return Flag{Name: name, Arg: arg, Usage: usage, set: func(o *Options, v string, _ FlagEnv) error { return set(o, []string{v}) }}
}

// connectFlag marks a flag of the observation of the real servers:
// setting it asks for the observation, and so for the simulated sign-in
// it is compared with.
func connectFlag(f Flag) Flag {
	set := f.set
	f.set = func(o *Options, v string, env FlagEnv) error {
		o.Connect, o.SignIn = true, true
		return set(o, v, env)
	}
	return f
}

// signInFlag marks a flag of the sign-in: setting it asks for the sign-in
// simulation.
func signInFlag(f Flag) Flag {
	set := f.set
	f.set = func(o *Options, v string, env FlagEnv) error {
		o.SignIn = true
		return set(o, v, env)
	}
	return f
}

var fields = buildFields()

func buildFields() []Field {
	var fs []Field
	add := func(f Field) { fs = append(fs, f) }

	_, uriSet := text(func(o *Options) *string { return &o.URI })
	// A link always names its address, even an empty one.
	uriGet := func(o *Options) []string { return []string{o.URI} }
	add(Field{Name: "URI", Param: "uri", ID: "uri", Label: "Sign-in address", Kind: KindText, Group: GroupAddress, InLink: true, Always: true,
		Placeholder: "sip:bob@contoso.com",
		Help:        "For example sip:bob@contoso.com or bob@contoso.com.",
		get:         uriGet, set: uriSet})

	add(Field{Name: "Profile", Param: "profile", ID: "profile", Label: "Client", Kind: KindChoice, Group: GroupClient, InLink: true, Always: true,
		Choices: ProfileChoices(),
		Help:    "The default is " + defaultProfileTitle() + ", the client Microsoft's \"Office Communicator Sign-in and Discovery\" describes.",
		Flags:   []Flag{valueFlag("profile", "PROFILE", "client `profile`: "+profileNames()+" (default "+engine.DefaultProfile+")", setProfile)},
		get:     func(o *Options) []string { return one(o.Profile) }, set: setProfile})

	// A link and the form say the naming the check used, so that a link
	// made when Lync was taken to be strict unless told (strict=1) reruns
	// the same way.
	strictGet := func(o *Options) []string { return []string{bitText(o.StrictNaming())} }
	strictSet := func(o *Options, vs []string) error {
		b, err := parseBit(first(vs))
		o.Strict = StrictOf(b)
		return err
	}
	strictFlag := func(name, usage string, invert bool) Flag {
		return Flag{Name: name, Usage: usage, set: func(o *Options, v string, _ FlagEnv) error {
			b, err := parseBit(v)
			o.Strict = StrictOf(b != invert)
			return err
		}}
	}
	add(Field{Name: "Strict", Param: "strict", ID: "strict", Label: "Strict DNS naming", Kind: KindBool, Group: GroupPolicy, InLink: true, Always: true,
		Help: "Servers must be the domain or sip.domain, over TLS. Off by default: Office Communicator's EnableStrictDNSNaming policy turns it on; for Lync and Skype for Business it is the DisableStrictDNSNaming policy text's strict reading, in force where a policy requires strict DNS matching.",
		Flags: []Flag{
			strictFlag("strict", "strict naming: servers must be D or sip.D (Communicator's EnableStrictDNSNaming; for Lync and Skype for Business, a policy requiring strict DNS matching)", false),
			strictFlag("loose", "loose naming, every client's default: any server under D", true),
		},
		get: strictGet, set: strictSet})

	tcpGet, tcpSet := bit(func(o *Options) *bool { return &o.AllowTCP })
	add(Field{Name: "AllowTCP", Param: "tcp", ID: "tcp", Label: "Allow TCP", Kind: KindBool, Group: GroupPolicy, InLink: true, Always: true,
		Flags: []Flag{boolFlag("no-tcp", "TCP disallowed by policy: never ask _sipinternal._tcp", func(o *Options) *bool { return &o.AllowTCP }, true)},
		get:   tcpGet, set: tcpSet})

	intGet, intSet := text(func(o *Options) *string { return &o.ManualInternal })
	add(Field{Name: "ManualInternal", Param: "internal", ID: "manualInternal", Label: "Manual internal server", Kind: KindText, Group: GroupManual, InLink: true,
		Placeholder: "pool01.contoso.com:5061",
		Flags:       []Flag{valueFlag("manual-internal", "HOST[:PORT]", "manually configured internal server `HOST[:PORT]`", intSet)},
		get:         intGet, set: intSet})

	extGet, extSet := text(func(o *Options) *string { return &o.ManualExternal })
	add(Field{Name: "ManualExternal", Param: "external", ID: "manualExternal", Label: "Manual external server", Kind: KindText, Group: GroupManual, InLink: true,
		Placeholder: "sip.contoso.com:443",
		Flags:       []Flag{valueFlag("manual-external", "HOST[:PORT]", "manually configured external server `HOST[:PORT]`", extSet)},
		get:         extGet, set: extSet})

	add(Field{Name: "Resolver", Param: "doh", ID: "doh", Label: "DNS resolver", Kind: KindChoice, Group: GroupClient, InLink: true,
		Help: "DNS-over-HTTPS, straight from your browser. Use an internal resolver to see what clients inside your network see.",
		Flags: []Flag{
			valueFlag("doh", "URL", "DNS-over-HTTPS `URL` to ask, the outside view (a public one: "+DefaultDoH+")", setResolver),
			{Name: "demo", Usage: "answer from the embedded demo zones (automatic for .example addresses)", set: func(o *Options, v string, _ FlagEnv) error {
				b, err := parseBit(v)
				if b {
					o.Resolver = ResolverDemo
				}
				return err
			}},
		},
		get: func(o *Options) []string { return one(o.Resolver) }, set: setResolver})

	add(Field{Name: "Zones", Param: "zone", ID: "zone", Label: "Planned zone (BIND syntax)", Kind: KindLongText, Group: GroupAnswers,
		Help:        `Used when the resolver is "Planned zone": answers come from this text only, no network.`,
		Placeholder: "$ORIGIN contoso.com.\n_sipinternaltls._tcp 3600 IN SRV 0 0 5061 pool01\npool01 3600 IN A 10.0.0.10",
		Flags: []Flag{{Name: "zone", Arg: "FILE", Usage: "answer from a BIND zone `FILE` (repeatable; ORIGIN=FILE to name the origin); no network",
			set: func(o *Options, v string, env FlagEnv) error {
				origin, file, ok := strings.Cut(v, "=")
				if !ok {
					origin, file = "", v
				}
				if env.ReadFile == nil {
					return fmt.Errorf("cannot read zone files here")
				}
				b, err := env.ReadFile(file)
				if err != nil {
					return err
				}
				o.Zones = append(o.Zones, Zone{Origin: origin, Name: file, Text: string(b)})
				if o.Resolver == "" {
					o.Resolver = ResolverZone
				}
				return nil
			}}},
		get: func(o *Options) []string {
			if len(o.Zones) == 0 {
				return nil
			}
			return one(o.Zones[0].Text)
		},
		set: func(o *Options, vs []string) error {
			o.Zones = nil
			if t := first(vs); strings.TrimSpace(t) != "" {
				o.Zones = []Zone{{Name: PlannedZone, Text: t}}
			}
			return nil
		}})

	add(Field{Name: "View", Param: "view", ID: "view", Label: "DNS view", Kind: KindChoice, Group: GroupAnswers, InLink: true,
		Help: "Which side of split-brain DNS the answers are, when the resolver cannot say: the outside view also checks that the names for internal DNS only are not published.",
		Choices: []Choice{
			{"", "As the resolver says"},
			{string(engine.ViewInside), "Inside: internal DNS"},
			{string(engine.ViewOutside), "Outside: public DNS"},
		},
		Flags: []Flag{valueFlag("view", "inside|outside", "the answers are the `inside|outside` view, for a --zone, --demo or --doh resolver sipdisco cannot place (the machine's DNS and --dns are inside, the public DoH resolvers outside); outside also checks that internal-only names are not published", setView)},
		get:   func(o *Options) []string { return one(string(o.View)) }, set: setView})

	add(Field{Name: "DNS", Param: "dns", ID: "dns", Label: "DNS servers", Kind: KindText, Group: GroupCommandLine,
		CommandLineOnly: "a browser cannot send plain DNS; the page asks the machine's DNS through sipdisco serve --upstream",
		Flags: []Flag{valueFlag("dns", "system|IP[:PORT]", "ask plain DNS servers `system|IP[:PORT]` (repeatable; IPv6 in brackets): system is this machine's resolvers, the inside view and the default for addresses outside .example", func(o *Options, vs []string) error {
			for _, v := range vs {
				if v = strings.TrimSpace(v); v != "" {
					o.DNS = append(o.DNS, v)
				}
			}
			return nil
		})},
		get: func(o *Options) []string { return o.DNS }, set: func(o *Options, vs []string) error { o.DNS = vs; return nil }})

	tcpOnlyGet, tcpOnlySet := bit(func(o *Options) *bool { return &o.DNSTCP })
	add(Field{Name: "DNSTCP", Param: "dnstcp", ID: "dnstcp", Label: "Ask the DNS servers over TCP", Kind: KindBool, Group: GroupCommandLine,
		CommandLineOnly: "plain DNS only (see DNS)",
		Flags:           []Flag{boolFlag("tcp", "ask the --dns servers over TCP only (RFC 7766), not UDP first", func(o *Options) *bool { return &o.DNSTCP }, false)},
		get:             tcpOnlyGet, set: tcpOnlySet})

	trustedGet, trustedSet := names(func(o *Options) *[]string { return &o.Trusted })
	add(Field{Name: "Trusted", Param: "trusted", ID: "trusted", Label: "Trusted domains (TrustModelData)", Kind: KindText, Group: GroupManual, InLink: true,
		Placeholder: "fabrikam.com, contoso.net",
		Help:        "Lync clients: domains whose servers are trusted without asking the user.",
		Flags:       []Flag{valueFlag("trusted", "DOMAINS", "comma-separated trusted `domains` (Lync TrustModelData)", trustedSet)},
		get:         trustedGet, set: trustedSet})

	signGet, signSet := bit(func(o *Options) *bool { return &o.SignIn })
	add(Field{Name: "SignIn", Param: "register", ID: "register", Label: "Simulate the sign-in (REGISTER)", Kind: KindBool, Group: GroupSignIn, InLink: true,
		Flags: []Flag{boolFlag("register", "simulate the sign-in REGISTER against the target (implied by the sign-in flags)", func(o *Options) *bool { return &o.SignIn }, false)},
		get:   signGet, set: signSet})

	acctGet, acctSet := text(func(o *Options) *string { return &o.Account })
	add(Field{Name: "Account", Param: "account", ID: "account", Label: "Account", Kind: KindText, Group: GroupSignIn, InLink: true, Register: "account",
		Placeholder: `CONTOSO\jeremy or jeremy@contoso.com`,
		Help:        "Empty: the address as the account's user principal name.",
		Flags:       []Flag{signInFlag(valueFlag("account", "ACCOUNT", "the `account` signing in: DOMAIN\\user or a UPN (default: the address's user)", acctSet))},
		get:         acctGet, set: acctSet})

	add(Field{Name: "Credentials", Param: "cred", ID: "cred", Label: "Credentials", Kind: KindChoice, Group: GroupSignIn, InLink: true, Register: "credentials",
		Choices: []Choice{
			{signin.CurrentCredentials, "Current Windows credentials"},
			{signin.SavedCredentials, "Saved credentials"},
			{signin.PromptCredentials, "Typed at the prompt"},
			{signin.NoCredentials, "None saved, prompt not answered"},
		},
		Flags: []Flag{signInFlag(valueFlag("creds", "SOURCE", "credential `source`: current (Windows logon), saved, prompt, none", setCredentials))},
		get: func(o *Options) []string {
			if o.Credentials == signin.CurrentCredentials {
				return nil
			}
			return one(o.Credentials)
		},
		set: setCredentials})

	deskGet, deskSet := text(func(o *Options) *string { return &o.DesktopAccount })
	add(Field{Name: "DesktopAccount", Param: "desktop", ID: "desktop", Label: "Windows account logged on", Kind: KindText, Group: GroupSignIn, InLink: true, Register: "desktopAccount",
		Placeholder: "same as the account",
		Flags:       []Flag{signInFlag(valueFlag("desktop-account", "ACCOUNT", "the `account` logged on to Windows (default: --account)", deskSet))},
		get:         deskGet, set: deskSet})

	pwGet, pwSet := bit(func(o *Options) *bool { return &o.WrongPassword })
	add(Field{Name: "WrongPassword", Param: "badpw", ID: "badpw", Label: "The password is wrong", Kind: KindBool, Group: GroupSignIn, InLink: true, Register: "wrongPassword",
		Flags: []Flag{signInFlag(Flag{Name: "password", Arg: "right|wrong", Usage: "whether the typed or saved password is `right|wrong`", set: func(o *Options, v string, _ FlagEnv) error {
			switch strings.ToLower(v) {
			case "", "right":
				o.WrongPassword = false
			case "wrong":
				o.WrongPassword = true
			default:
				return fmt.Errorf("must be right or wrong, not %q", v)
			}
			return nil
		}})},
		get: pwGet, set: pwSet})

	add(Field{Name: "Offers", Param: "offers", ID: "offers", Label: "The server offers", Kind: KindMulti, Group: GroupSignIn, InLink: true,
		Help: "The authentication protocols in the server's challenge.",
		Choices: []Choice{
			{signin.NTLM, "NTLM"},
			{signin.Kerberos, "Kerberos"},
			{signin.TLSDSK, "TLS-DSK (clients that support it)"},
		},
		Flags: []Flag{signInFlag(valueFlag("offers", "PROTOCOLS", "authentication `protocols` the server offers, comma-separated: ntlm,kerberos,tls-dsk (default all)", setOffers))},
		get: func(o *Options) []string {
			if len(o.Offers) == 0 || allOffers(o.Offers) {
				return nil
			}
			return slices.Clone(o.Offers)
		},
		set: setOffers})

	ownerGet, ownerSet := text(func(o *Options) *string { return &o.Owner })
	add(Field{Name: "Owner", Param: "owner", ID: "owner", Label: "Account that owns the address", Kind: KindText, Group: GroupSignIn, InLink: true, Register: "directory",
		Placeholder: "same as the account",
		Help:        `The directory entry the sign-in address belongs to, CONTOSO\jeremy or a UPN.`,
		Flags:       []Flag{signInFlag(valueFlag("owner", "ACCOUNT", "the `account` that owns the sign-in address in the directory (default: --account)", ownerSet))},
		get:         ownerGet, set: ownerSet})

	neGet, neSet := bit(func(o *Options) *bool { return &o.NotEnabled })
	add(Field{Name: "NotEnabled", Param: "notenabled", ID: "notenabled", Label: "That account is not enabled for SIP", Kind: KindBool, Group: GroupSignIn, InLink: true,
		Flags: []Flag{signInFlag(boolFlag("not-enabled", "the account exists but is not enabled for SIP", func(o *Options) *bool { return &o.NotEnabled }, false))},
		get:   neGet, set: neSet})

	compGet, compSet := bit(func(o *Options) *bool { return &o.Compression })
	add(Field{Name: "Compression", Param: "compression", ID: "compression", Label: "Negotiate compression (TLS only)", Kind: KindBool, Group: GroupSignIn, InLink: true,
		Flags: []Flag{signInFlag(boolFlag("compression", "the client negotiates compression (TLS only)", func(o *Options) *bool { return &o.Compression }, false))},
		get:   compGet, set: compSet})

	homeGet, homeSet := text(func(o *Options) *string { return &o.HomePool })
	add(Field{Name: "HomePool", Param: "homepool", ID: "homepool", Label: "Home pool", Kind: KindText, Group: GroupSignIn, InLink: true, Register: "homePool",
		Placeholder: "the server discovery finds",
		Help:        "When the server found is a Director or another pool, it redirects the client to this pool's FQDN.",
		Flags:       []Flag{signInFlag(valueFlag("home-pool", "FQDN", "the user's home pool `FQDN` when the discovered server is a Director or another pool (the server redirects)", homeSet))},
		get:         homeGet, set: homeSet})

	cnGet, cnSet := names(func(o *Options) *[]string { return &o.CertificateNames })
	add(Field{Name: "CertificateNames", Param: "certnames", ID: "certnames", Label: "Certificate names", Kind: KindText, Group: GroupSignIn, InLink: true, Register: "certificateNames",
		Placeholder: "sip.contoso.com, pool01.contoso.com",
		Help:        "Comma-separated names on the server's certificate. Empty: the certificate is assumed valid.",
		Flags:       []Flag{signInFlag(valueFlag("cert-names", "NAMES", "comma-separated `names` on the server's certificate (instead of --cert)", cnSet))},
		get:         cnGet, set: cnSet})

	hcnGet, hcnSet := names(func(o *Options) *[]string { return &o.HomePoolCertificateNames })
	add(Field{Name: "HomePoolCertificateNames", Param: "homecertnames", ID: "homecertnames", Label: "Home pool certificate names", Kind: KindText, Group: GroupSignIn, InLink: true, Register: "homePoolCertificateNames",
		Placeholder: "pool02.contoso.com",
		Help:        "Comma-separated names on the home pool's certificate, checked after the redirect. Empty: assumed valid.",
		Flags:       []Flag{signInFlag(valueFlag("home-pool-cert-names", "NAMES", "comma-separated `names` on the home pool's certificate", hcnSet))},
		get:         hcnGet, set: hcnSet})

	pemGet, pemSet := text(func(o *Options) *string { return &o.CertificatePEM })
	add(Field{Name: "CertificatePEM", Param: "certpem", ID: "certpem", Label: "Server certificate (PEM)", Kind: KindLongText, Group: GroupSignIn,
		Placeholder: "-----BEGIN CERTIFICATE-----",
		Help:        "Paste the server's certificate or chain (openssl s_client -showcerts output is fine). Its names and expiry replace the names above in the TLS step, and it is checked against the server found. It is read in your browser and not put in share links (too big): a check with it gets only a snapshot link, which carries the report.",
		Flags: []Flag{{Name: "cert", Arg: "FILE", Usage: "the server's certificate (or chain) as a PEM `FILE`: checked against the target and used by the simulated TLS step",
			set: func(o *Options, v string, env FlagEnv) error {
				if env.ReadFile == nil {
					return fmt.Errorf("cannot read files here")
				}
				b, err := env.ReadFile(v)
				if err != nil {
					return err
				}
				if env.Certificates != nil {
					if _, _, err := env.Certificates.Leaf(b); err != nil {
						return fmt.Errorf("%s: %v", v, err)
					}
				}
				o.SignIn, o.CertificatePEM = true, string(b)
				return nil
			}}},
		get: pemGet, set: pemSet})

	// The observation of the real servers: check's only (GroupConnect).
	const connectOnly = "a browser cannot open TCP or TLS connections, so only the command line observes servers (check --connect)"
	conGet, conSet := bit(func(o *Options) *bool { return &o.Connect })
	add(Field{Name: "Connect", Param: "connect", ID: "connect", Label: "Observe the real servers", Kind: KindBool, Group: GroupConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{connectFlag(boolFlag("connect", "observe the real servers: connect to the candidates as the client would, check the certificate each presents and send a REGISTER without credentials (never a password or token); implies --register", func(o *Options) *bool { return &o.Connect }, false))},
		get:   conGet, set: conSet})

	allGet, allSet := bit(func(o *Options) *bool { return &o.ConnectAll })
	add(Field{Name: "ConnectAll", Param: "connectall", ID: "connectall", Label: "Contact every candidate", Kind: KindBool, Group: GroupConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{connectFlag(boolFlag("connect-all", "contact every accepted candidate, not only up to the first that answers as the client does (implies --connect)", func(o *Options) *bool { return &o.ConnectAll }, false))},
		get:   allGet, set: allSet})

	add(Field{Name: "CA", Param: "ca", ID: "ca", Label: "Certificate authority (PEM)", Kind: KindLongText, Group: GroupConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{connectFlag(Flag{Name: "ca", Arg: "FILE", Usage: "also trust the CA certificates in the PEM `FILE` (an internal CA's root) when checking the chains the servers present (implies --connect)",
			set: func(o *Options, v string, env FlagEnv) error {
				if env.ReadFile == nil {
					return fmt.Errorf("cannot read files here")
				}
				b, err := env.ReadFile(v)
				if err != nil {
					return err
				}
				// The prober reads the certificates (Env.Probe); a file
				// without any is named before anything is asked.
				if !strings.Contains(string(b), "-----BEGIN ") {
					return fmt.Errorf("%s: no PEM certificate found: the file should hold the CA's certificate, the text that starts with -----BEGIN CERTIFICATE-----", v)
				}
				o.CA = CAFile{Name: v, PEM: string(b)}
				return nil
			}})},
		get: func(o *Options) []string { return one(o.CA.PEM) },
		set: func(o *Options, vs []string) error { o.CA = CAFile{PEM: first(vs)}; return nil }})

	timeoutGet := func(o *Options) []string {
		if o.ConnectTimeout == 0 {
			return nil
		}
		return []string{o.ConnectTimeout.String()}
	}
	add(Field{Name: "ConnectTimeout", Param: "connecttimeout", ID: "connecttimeout", Label: "Time limit of each connection's stages", Kind: KindText, Group: GroupConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{connectFlag(valueFlag("connect-timeout", "DURATION", "the `duration` each stage of each connection may take: TCP connect, TLS handshake, the response (default 5s, 5s and 10s; implies --connect)", setConnectTimeout))},
		get:   timeoutGet, set: setConnectTimeout})
	return fs
}

func setConnectTimeout(o *Options, vs []string) error {
	v := strings.TrimSpace(first(vs))
	if v == "" {
		o.ConnectTimeout = 0
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > MaxConnectTimeout {
		return fmt.Errorf("%q is not a duration from 1ms to %v (such as 3s)", v, MaxConnectTimeout)
	}
	o.ConnectTimeout = d
	return nil
}

func setProfile(o *Options, vs []string) error {
	p, err := engine.LookupProfile(strings.TrimSpace(first(vs)))
	if err != nil {
		return err
	}
	o.Profile = p.Name
	return nil
}

func setResolver(o *Options, vs []string) error {
	// A URL is checked where the resolver is built (dohclient.New),
	// which names what is wrong with it.
	o.Resolver = strings.TrimSpace(first(vs))
	return nil
}

func setView(o *Options, vs []string) error {
	v, err := engine.ParseView(first(vs))
	if err != nil {
		return err
	}
	o.View = v
	return nil
}

func setCredentials(o *Options, vs []string) error {
	c, err := signin.ParseCredentials(first(vs))
	if err != nil {
		return err
	}
	o.Credentials = c
	return nil
}

func setOffers(o *Options, vs []string) error {
	offers, err := signin.ParseOffers(strings.Join(vs, ","))
	if err != nil {
		return err
	}
	o.Offers = nil
	if !allOffers(offers) {
		o.Offers = offers
	}
	return nil
}

// allOffers reports whether offers names all three protocols, the default.
func allOffers(offers []string) bool {
	n := 0
	for _, p := range []string{signin.NTLM, signin.Kerberos, signin.TLSDSK} {
		if slices.ContainsFunc(offers, func(o string) bool { return strings.EqualFold(o, p) }) {
			n++
		}
	}
	return n == 3
}

// ProfileChoices are the client profiles as a form offers them, the
// default first. Their labels are the clients' names alone, so that the
// longest fits a select box on a 360 px phone; the field's help names the
// default.
func ProfileChoices() []Choice {
	var out []Choice
	for _, p := range engine.Profiles() {
		out = append(out, Choice{Value: p.Name, Label: p.Title})
	}
	return out
}

func defaultProfileTitle() string {
	p, _ := engine.LookupProfile(engine.DefaultProfile)
	return p.Title
}

func profileNames() string {
	var names []string
	for _, p := range engine.Profiles() {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

// Adding an input to a check (three files):
//
//  1. options.go: add its field to Options, with a doc comment, and use
//     it where it takes effect: Options.Policy for the client's policy,
//     signInInput for the simulated sign-in (both in options.go). An
//     input that changes how Run proceeds (as --connect does) is used in
//     run.go instead, a fourth file.
//  2. fields.go: add its Field to the table below, one literal: the link
//     parameter, the form control and its words, the command-line flag,
//     its help group, its choices, and its Value (Text, Bit, Names, List
//     or Parsed over the Options field).
//  3. fields_test.go: a row of TestFlagsSetWhatLinksSet showing that its
//     flag and its link parameter set the same Options.
//
// Nothing else: the command line's flags, help and completions (bash,
// zsh, fish, PowerShell), the links, the analyzer's form and the page's
// JavaScript all work from this table; TestFieldsCoverOptions fails
// until step 2 is done and TestFlagsSetWhatLinksSet until step 3 is. A
// command takes the fields of the groups it binds (Bind, BindFields).

// fields are the inputs of a check, in link order.
var fields = []Field{
	{
		Name: "URI", Param: "uri", ID: "uri", Label: "Sign-in address", Kind: KindText, Group: GroupAddress, InLink: true, Always: true,
		Placeholder: "sip:bob@contoso.com",
		Help:        "For example sip:bob@contoso.com or bob@contoso.com.",
		// A link always names its address, even an empty one.
		Value: Value{Get: func(o *Options) []string { return []string{o.URI} }, Set: Text(func(o *Options) *string { return &o.URI }).Set},
	},
	{
		Name: "Profile", Param: "profile", ID: "profile", Label: "Client", Kind: KindChoice, Group: GroupClient, HelpGroup: HelpClient, InLink: true, Always: true,
		Choices: ProfileChoices(),
		Help:    "The default is " + defaultProfileTitle() + ", the client Microsoft's \"Office Communicator Sign-in and Discovery\" describes.",
		Flags:   []Flag{{Name: "profile", Short: "p", Arg: "PROFILE", Usage: "client `profile`: " + profileNames() + " (default " + engine.DefaultProfile + ")"}},
		Value:   Parsed(func(o *Options) string { return o.Profile }, parseProfile),
	},
	{
		// A link and the form say the naming the check used, so that a
		// link made when Lync was taken to be strict unless told
		// (strict=1) reruns the same way.
		Name: "Strict", Param: "strict", ID: "strict", Label: "Strict DNS naming", Kind: KindBool, Group: GroupPolicy, HelpGroup: HelpClient, InLink: true, Always: true,
		Help: "Servers must be the domain or sip.domain, over TLS. Off by default: Office Communicator's EnableStrictDNSNaming policy turns it on; for Lync and Skype for Business it is the DisableStrictDNSNaming policy text's strict reading, in force where a policy requires strict DNS matching.",
		Flags: []Flag{
			{Name: "strict", Usage: "strict naming: servers must be D or sip.D (Communicator's EnableStrictDNSNaming; for Lync and Skype for Business, a policy requiring strict DNS matching)"},
			{Name: "loose", Usage: "loose naming, every client's default: any server under D", Invert: true},
		},
		Value: Value{Get: getStrict, Set: setStrict},
	},
	{
		Name: "AllowTCP", Param: "tcp", ID: "tcp", Label: "Allow TCP", Kind: KindBool, Group: GroupPolicy, HelpGroup: HelpClient, InLink: true, Always: true,
		Flags: []Flag{{Name: "no-tcp", Usage: "TCP disallowed by policy: never ask _sipinternal._tcp", Invert: true}},
		Value: Bit(func(o *Options) *bool { return &o.AllowTCP }),
	},
	{
		Name: "ManualInternal", Param: "internal", ID: "manualInternal", Label: "Manual internal server", Kind: KindText, Group: GroupManual, HelpGroup: HelpClient, InLink: true,
		Placeholder: "pool01.contoso.com:5061",
		Flags:       []Flag{{Name: "manual-internal", Arg: "HOST[:PORT]", Usage: "manually configured internal server `HOST[:PORT]`"}},
		Value:       Text(func(o *Options) *string { return &o.ManualInternal }),
	},
	{
		Name: "ManualExternal", Param: "external", ID: "manualExternal", Label: "Manual external server", Kind: KindText, Group: GroupManual, HelpGroup: HelpClient, InLink: true,
		Placeholder: "sip.contoso.com:443",
		Flags:       []Flag{{Name: "manual-external", Arg: "HOST[:PORT]", Usage: "manually configured external server `HOST[:PORT]`"}},
		Value:       Text(func(o *Options) *string { return &o.ManualExternal }),
	},
	{
		Name: "Resolver", Param: "doh", ID: "doh", Label: "DNS resolver", Kind: KindChoice, Group: GroupClient, HelpGroup: HelpDNS, InLink: true,
		Help: "DNS-over-HTTPS, straight from your browser. Use an internal resolver to see what clients inside your network see.",
		Flags: []Flag{
			{Name: "doh", Arg: "URL", Usage: "DNS-over-HTTPS `URL` to ask, the outside view (a public one: " + DefaultDoH + ")"},
			{Name: "demo", Usage: "answer from the embedded demo zones (automatic for .example addresses)", Set: setDemo},
		},
		Value: Parsed(func(o *Options) string { return o.Resolver.String() }, parseResolver),
	},
	{
		Name: "Zones", Param: "zone", ID: "zone", Label: "Planned zone (BIND syntax)", Kind: KindLongText, Group: GroupAnswers, HelpGroup: HelpDNS,
		Help:        `Used when the resolver is "Planned zone": answers come from this text only, no network.`,
		Placeholder: "$ORIGIN contoso.com.\n_sipinternaltls._tcp 3600 IN SRV 0 0 5061 pool01\npool01 3600 IN A 10.0.0.10",
		Flags:       []Flag{{Name: "zone", Short: "z", Arg: "FILE", Usage: "answer from a BIND zone `FILE` (repeatable; ORIGIN=FILE to name the origin); no network", Set: readZoneFile}},
		Value:       Parsed(getPlannedZone, parsePlannedZone),
	},
	{
		Name: "View", Param: "view", ID: "view", Label: "DNS view", Kind: KindChoice, Group: GroupAnswers, HelpGroup: HelpDNS, InLink: true,
		Help: "Which side of split-brain DNS the answers are, when the resolver cannot say: the outside view also checks that the names for internal DNS only are not published.",
		Choices: []Choice{
			{"", "As the resolver says"},
			{string(engine.ViewInside), "Inside: internal DNS"},
			{string(engine.ViewOutside), "Outside: public DNS"},
		},
		Flags: []Flag{{Name: "view", Arg: "inside|outside", Usage: "the answers are the `inside|outside` view, for a --zone, --demo or --doh resolver sipdisco cannot place (the machine's DNS and --dns are inside, the public DoH resolvers outside); outside also checks that internal-only names are not published"}},
		Value: Parsed(func(o *Options) string { return string(o.View) }, parseView),
	},
	{
		Name: "DNS", Param: "dns", ID: "dns", Label: "DNS servers", Kind: KindText, Group: GroupCommandLine, HelpGroup: HelpDNS,
		CommandLineOnly: "a browser cannot send plain DNS; the page asks the machine's DNS through sipdisco serve --upstream",
		Flags:           []Flag{{Name: "dns", Arg: "system|IP[:PORT]", Usage: "ask plain DNS servers `system|IP[:PORT]` (repeatable; IPv6 in brackets): system is this machine's resolvers, the inside view and the default for addresses outside .example"}},
		Value:           List(func(o *Options) *[]string { return &o.DNS }),
	},
	{
		Name: "DNSTCP", Param: "dnstcp", ID: "dnstcp", Label: "Ask the DNS servers over TCP", Kind: KindBool, Group: GroupCommandLine, HelpGroup: HelpDNS,
		CommandLineOnly: "plain DNS only (see DNS)",
		Flags:           []Flag{{Name: "tcp", Usage: "ask the --dns servers over TCP only (RFC 7766), not UDP first"}},
		Value:           Bit(func(o *Options) *bool { return &o.DNSTCP }),
	},
	{
		Name: "Trusted", Param: "trusted", ID: "trusted", Label: "Trusted domains (TrustModelData)", Kind: KindText, Group: GroupManual, HelpGroup: HelpClient, InLink: true,
		Placeholder: "fabrikam.com, contoso.net",
		Help:        "Lync clients: domains whose servers are trusted without asking the user.",
		Flags:       []Flag{{Name: "trusted", Arg: "DOMAINS", Usage: "comma-separated trusted `domains` (Lync TrustModelData)"}},
		Value:       Names(func(o *Options) *[]string { return &o.Trusted }),
	},
	{
		Name: "SignIn", Param: "register", ID: "register", Label: "Simulate the sign-in (REGISTER)", Kind: KindBool, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true,
		Flags: []Flag{
			{Name: "register", Usage: "simulate the sign-in REGISTER against the target, the default (as on the page)"},
			{Name: "no-register", Usage: "leave the simulated sign-in out: discovery only (not with the sign-in or observation flags)", Invert: true},
		},
		Value: Bit(func(o *Options) *bool { return &o.SignIn }),
	},
	{
		Name: "Account", Param: "account", ID: "account", Label: "Account", Kind: KindText, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true, SignInInput: "account",
		Placeholder: `CONTOSO\jeremy or jeremy@contoso.com`,
		Help:        "Empty: the address as the account's user principal name.",
		Flags:       []Flag{{Name: "account", Arg: "ACCOUNT", Usage: "the `account` signing in: DOMAIN\\user or a UPN (default: the address's user)", Implies: ImpliesSignIn}},
		Value:       Text(func(o *Options) *string { return &o.Account }),
	},
	{
		Name: "Credentials", Param: "cred", ID: "cred", Label: "Credentials", Kind: KindChoice, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true, SignInInput: "credentials",
		Choices: []Choice{
			{signin.CurrentCredentials, "Current Windows credentials"},
			{signin.SavedCredentials, "Saved credentials"},
			{signin.PromptCredentials, "Typed at the prompt"},
			{signin.NoCredentials, "None saved, prompt not answered"},
		},
		Flags: []Flag{{Name: "creds", Arg: "SOURCE", Usage: "credential `source`: current (Windows logon), saved, prompt, none", Implies: ImpliesSignIn}},
		Value: Parsed(getCredentials, parseCredentials),
	},
	{
		Name: "DesktopAccount", Param: "desktop", ID: "desktop", Label: "Windows account logged on", Kind: KindText, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true, SignInInput: "desktopAccount",
		Placeholder: "same as the account",
		Flags:       []Flag{{Name: "desktop-account", Arg: "ACCOUNT", Usage: "the `account` logged on to Windows (default: --account)", Implies: ImpliesSignIn}},
		Value:       Text(func(o *Options) *string { return &o.DesktopAccount }),
	},
	{
		Name: "WrongPassword", Param: "badpw", ID: "badpw", Label: "The password is wrong", Kind: KindBool, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true, SignInInput: "wrongPassword",
		Flags: []Flag{{Name: "password", Arg: "right|wrong", Usage: "whether the typed or saved password is `right|wrong`", Implies: ImpliesSignIn,
			Choices: []string{"right", "wrong"}, Set: setPassword}},
		Value: Bit(func(o *Options) *bool { return &o.WrongPassword }),
	},
	{
		Name: "Offers", Param: "offers", ID: "offers", Label: "The server offers", Kind: KindMulti, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true,
		Help: "The authentication protocols in the server's challenge.",
		Choices: []Choice{
			{signin.NTLM, "NTLM"},
			{signin.Kerberos, "Kerberos"},
			{signin.TLSDSK, "TLS-DSK (clients that support it)"},
		},
		Flags: []Flag{{Name: "offers", Arg: "PROTOCOLS", Usage: "authentication `protocols` the server offers, comma-separated: ntlm,kerberos,tls-dsk (default all)", Implies: ImpliesSignIn}},
		Value: Value{Get: getOffers, Set: setOffers},
	},
	{
		Name: "Owner", Param: "owner", ID: "owner", Label: "Account that owns the address", Kind: KindText, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true, SignInInput: "directory",
		Placeholder: "same as the account",
		Help:        `The directory entry the sign-in address belongs to, CONTOSO\jeremy or a UPN.`,
		Flags:       []Flag{{Name: "owner", Arg: "ACCOUNT", Usage: "the `account` that owns the sign-in address in the directory (default: --account)", Implies: ImpliesSignIn}},
		Value:       Text(func(o *Options) *string { return &o.Owner }),
	},
	{
		Name: "NotEnabled", Param: "notenabled", ID: "notenabled", Label: "That account is not enabled for SIP", Kind: KindBool, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true,
		Flags: []Flag{{Name: "not-enabled", Usage: "the account exists but is not enabled for SIP", Implies: ImpliesSignIn}},
		Value: Bit(func(o *Options) *bool { return &o.NotEnabled }),
	},
	{
		Name: "Compression", Param: "compression", ID: "compression", Label: "Negotiate compression (TLS only)", Kind: KindBool, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true,
		Flags: []Flag{{Name: "compression", Usage: "the client negotiates compression (TLS only)", Implies: ImpliesSignIn}},
		Value: Bit(func(o *Options) *bool { return &o.Compression }),
	},
	{
		Name: "HomePool", Param: "homepool", ID: "homepool", Label: "Home pool", Kind: KindText, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true, SignInInput: "homePool",
		Placeholder: "the server discovery finds",
		Help:        "When the server found is a Director or another pool, it redirects the client to this pool's FQDN.",
		Flags:       []Flag{{Name: "home-pool", Arg: "FQDN", Usage: "the user's home pool `FQDN` when the discovered server is a Director or another pool (the server redirects)", Implies: ImpliesSignIn}},
		Value:       Text(func(o *Options) *string { return &o.HomePool }),
	},
	{
		Name: "CertificateNames", Param: "certnames", ID: "certnames", Label: "Certificate names", Kind: KindText, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true, SignInInput: "certificateNames",
		Placeholder: "sip.contoso.com, pool01.contoso.com",
		Help:        "Comma-separated names on the server's certificate. Empty: the certificate is assumed valid.",
		Flags:       []Flag{{Name: "cert-names", Arg: "NAMES", Usage: "comma-separated `names` on the server's certificate (instead of --cert)", Implies: ImpliesSignIn}},
		Value:       Names(func(o *Options) *[]string { return &o.CertificateNames }),
	},
	{
		Name: "HomePoolCertificateNames", Param: "homecertnames", ID: "homecertnames", Label: "Home pool certificate names", Kind: KindText, Group: GroupSignIn, HelpGroup: HelpSignIn, InLink: true, SignInInput: "homePoolCertificateNames",
		Placeholder: "pool02.contoso.com",
		Help:        "Comma-separated names on the home pool's certificate, checked after the redirect. Empty: assumed valid.",
		Flags:       []Flag{{Name: "home-pool-cert-names", Arg: "NAMES", Usage: "comma-separated `names` on the home pool's certificate", Implies: ImpliesSignIn}},
		Value:       Names(func(o *Options) *[]string { return &o.HomePoolCertificateNames }),
	},
	{
		Name: "CertificatePEM", Param: "certpem", ID: "certpem", Label: "Server certificate (PEM)", Kind: KindLongText, Group: GroupSignIn, HelpGroup: HelpSignIn,
		Placeholder: "-----BEGIN CERTIFICATE-----",
		Help:        "Paste the server's certificate or chain (openssl s_client -showcerts output is fine). Its names and expiry replace the names above in the TLS step, and it is checked against the server found. It is read in your browser and not put in share links (too big): a check with it gets only a snapshot link, which carries the report.",
		Flags:       []Flag{{Name: "cert", Arg: "FILE", Usage: "the server's certificate (or chain) as a PEM `FILE`: checked against the target and used by the simulated TLS step", Set: readCertificateFile}},
		Value:       Text(func(o *Options) *string { return &o.CertificatePEM }),
	},
	// The observation of the real servers: check's only (GroupConnect).
	{
		Name: "Connect", Param: "connect", ID: "connect", Label: "Observe the real servers", Kind: KindBool, Group: GroupConnect, HelpGroup: HelpConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{{Name: "connect", Usage: "observe the real servers: connect to the candidates as the client would, check the certificate each presents and send a REGISTER without credentials (never a password or token); implies --register", Implies: ImpliesConnect}},
		Value: Bit(func(o *Options) *bool { return &o.Connect }),
	},
	{
		Name: "ConnectAll", Param: "connectall", ID: "connectall", Label: "Contact every candidate", Kind: KindBool, Group: GroupConnect, HelpGroup: HelpConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{{Name: "connect-all", Usage: "contact every accepted candidate, not only up to the first that answers as the client does (implies --connect)", Implies: ImpliesConnect}},
		Value: Bit(func(o *Options) *bool { return &o.ConnectAll }),
	},
	{
		Name: "CA", Param: "ca", ID: "ca", Label: "Certificate authority (PEM)", Kind: KindLongText, Group: GroupConnect, HelpGroup: HelpConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{{Name: "ca", Arg: "FILE", Usage: "also trust the CA certificates in the PEM `FILE` (an internal CA's root) when checking the chains the servers present (implies --connect)", Implies: ImpliesConnect, Set: readCAFile}},
		Value: Parsed(func(o *Options) string { return o.CA.PEM }, func(o *Options, v string) error { o.CA = CAFile{PEM: v}; return nil }),
	},
	{
		Name: "ConnectTimeout", Param: "connecttimeout", ID: "connecttimeout", Label: "Time limit of each connection's stages", Kind: KindText, Group: GroupConnect, HelpGroup: HelpConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{{Name: "connect-timeout", Arg: "DURATION", Usage: "the `duration` each stage of each connection may take: TCP connect, TLS handshake, the response (default 5s, 5s and 10s; implies --connect)", Implies: ImpliesConnect}},
		Value: Parsed(getConnectTimeout, parseConnectTimeout),
	},
	{
		Name: "ConnectDeadline", Param: "connectdeadline", ID: "connectdeadline", Label: "Time limit of the whole probe", Kind: KindText, Group: GroupConnect, HelpGroup: HelpConnect, CommandLineOnly: connectOnly,
		Flags: []Flag{{Name: "connect-deadline", Arg: "DURATION", Usage: "the `duration` the whole probe may take, every candidate included; the candidates it has not reached by then are reported as not tried (default 1m; implies --connect)", Implies: ImpliesConnect}},
		Value: Parsed(getConnectDeadline, parseConnectDeadline),
	},
}

// connectOnly is why the observation's fields are the command line's.
const connectOnly = "a browser cannot open TCP or TLS connections, so only the command line observes servers (check --connect)"

// The accessors of the fields whose values are not a plain text, check
// box or list.

func getStrict(o *Options) []string { return []string{bitText(o.StrictNaming())} }

func setStrict(o *Options, vs []string) error {
	b, err := parseBit(first(vs))
	o.Strict = StrictOf(b)
	return err
}

func parseProfile(o *Options, v string) error {
	p, err := engine.LookupProfile(strings.TrimSpace(v))
	if err != nil {
		return err
	}
	o.Profile = p.Name
	return nil
}

// parseResolver reads a resolver as a link, the form or --doh gives it
// (ParseSource).
func parseResolver(o *Options, v string) error {
	o.Resolver = ParseSource(strings.TrimSpace(v))
	return nil
}

// setDemo is --demo: the embedded demo zones.
func setDemo(o *Options, v string, _ FlagEnv) error {
	b, err := parseBit(v)
	if b {
		o.Resolver = Source{Kind: SourceDemo}
	}
	return err
}

// getPlannedZone and parsePlannedZone are the form's planned zone: one
// zone text.
func getPlannedZone(o *Options) string {
	if len(o.Zones) == 0 {
		return ""
	}
	return o.Zones[0].Text
}

func parsePlannedZone(o *Options, v string) error {
	o.Zones = nil
	if strings.TrimSpace(v) != "" {
		o.Zones = []Zone{{Name: PlannedZone, Text: v}}
	}
	return nil
}

// readZoneFile is --zone [ORIGIN=]FILE: a zone file added to the zones,
// which answer when no other resolver is named.
func readZoneFile(o *Options, v string, env FlagEnv) error {
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
	if o.Resolver.Kind == SourceDefault {
		o.Resolver = Source{Kind: SourceZone}
	}
	return nil
}

func parseView(o *Options, v string) error {
	view, err := engine.ParseView(v)
	if err != nil {
		return err
	}
	o.View = view
	return nil
}

// getCredentials leaves the default source out of links.
func getCredentials(o *Options) string {
	if o.Credentials == signin.CurrentCredentials {
		return ""
	}
	return o.Credentials
}

func parseCredentials(o *Options, v string) error {
	c, err := signin.ParseCredentials(v)
	if err != nil {
		return err
	}
	o.Credentials = c
	return nil
}

// setPassword is --password right|wrong, the check box "The password is
// wrong".
func setPassword(o *Options, v string, _ FlagEnv) error {
	switch strings.ToLower(v) {
	case "", "right":
		o.WrongPassword = false
	case "wrong":
		o.WrongPassword = true
	default:
		return fmt.Errorf("must be right or wrong, not %q", v)
	}
	return nil
}

// getOffers leaves the default, all three protocols, out of links.
func getOffers(o *Options) []string {
	if len(o.Offers) == 0 || allOffers(o.Offers) {
		return nil
	}
	return slices.Clone(o.Offers)
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

// readCertificateFile is --cert FILE: the server's certificate, read
// (and checked, given FlagEnv.Certificates) as the flag is set.
func readCertificateFile(o *Options, v string, env FlagEnv) error {
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
}

// readCAFile is --ca FILE. The prober reads the certificates
// (Env.Probe); a file without any is named before anything is asked.
func readCAFile(o *Options, v string, env FlagEnv) error {
	if env.ReadFile == nil {
		return fmt.Errorf("cannot read files here")
	}
	b, err := env.ReadFile(v)
	if err != nil {
		return err
	}
	if !strings.Contains(string(b), "-----BEGIN ") {
		return fmt.Errorf("%s: no PEM certificate found: the file should hold the CA's certificate, the text that starts with -----BEGIN CERTIFICATE-----", v)
	}
	o.CA = CAFile{Name: v, PEM: string(b)}
	return nil
}

func getConnectTimeout(o *Options) string {
	if o.ConnectTimeout == 0 {
		return ""
	}
	return o.ConnectTimeout.String()
}

func getConnectDeadline(o *Options) string {
	if o.ConnectDeadline == 0 {
		return ""
	}
	return o.ConnectDeadline.String()
}

func parseConnectDeadline(o *Options, v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		o.ConnectDeadline = 0
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > MaxConnectDeadline {
		return fmt.Errorf("%q is not a duration from 1ms to %v (such as 90s)", v, MaxConnectDeadline)
	}
	o.ConnectDeadline = d
	return nil
}

func parseConnectTimeout(o *Options, v string) error {
	v = strings.TrimSpace(v)
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

func profileNames() string { return strings.Join(profileValues(), ", ") }

// profileValues are the profiles' names, the default first.
func profileValues() []string {
	var names []string
	for _, p := range engine.Profiles() {
		names = append(names, p.Name)
	}
	return names
}

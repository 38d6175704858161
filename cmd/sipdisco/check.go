//go:build !js

package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/zone"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/certcheck"
	"github.com/sipdisco/sipdisco/engine/register"
)

// DefaultDoH is the public resolver check uses when neither --doh nor
// --zone is given. It answers RFC 8484 GET and POST.
const DefaultDoH = "https://cloudflare-dns.com/dns-query"

// checkOptions are the flags shared by check and (later) audit.
type checkOptions struct {
	profile        string
	strict         bool
	noTCP          bool
	manualInternal string
	manualExternal string
	trusted        string
	doh            string
	zones          []string
	demo           bool
	timeout        time.Duration
	json, md       bool
	full           bool
	signIn         signInOptions
}

// signInOptions are the inputs of the simulated REGISTER (SPEC "Simulated
// REGISTER"); setting any of them adds the exchange to the report.
type signInOptions struct {
	enabled        bool
	account        string
	password       string
	creds          string
	desktopAccount string
	offers         string
	owner          string
	notEnabled     bool
	certFile       string
	compression    bool
	homePool       string
	// chain is the parsed --cert file.
	chain []*x509.Certificate
}

func (o *signInOptions) register(fs *flag.FlagSet) {
	set := func(p *string) func(string) error {
		return func(v string) error { *p = v; o.enabled = true; return nil }
	}
	fs.BoolFunc("register", "simulate the sign-in REGISTER against the target (implied by the flags below)", func(string) error { o.enabled = true; return nil })
	fs.Func("account", "the `account` signing in: DOMAIN\\user or a UPN (default: the address's user)", set(&o.account))
	fs.Func("password", "whether the typed or saved password is `right|wrong`", set(&o.password))
	fs.Func("creds", "credential `source`: current (Windows logon), saved, prompt, none", set(&o.creds))
	fs.Func("desktop-account", "the `account` logged on to Windows (default: --account)", set(&o.desktopAccount))
	fs.Func("offers", "authentication `protocols` the server offers, comma-separated: ntlm,kerberos,tls-dsk (default all)", set(&o.offers))
	fs.Func("owner", "the `account` that owns the sign-in address in the directory (default: --account)", set(&o.owner))
	fs.BoolFunc("not-enabled", "the account exists but is not enabled for SIP", func(string) error { o.notEnabled, o.enabled = true, true; return nil })
	fs.Func("cert", "the server's certificate (or chain) as a PEM `FILE`: checked against the target and used by the simulated TLS step", set(&o.certFile))
	fs.BoolFunc("compression", "the client negotiates compression (TLS only)", func(string) error { o.compression, o.enabled = true, true; return nil })
	fs.Func("home-pool", "the user's home pool `FQDN` when the discovered server is a Director or another pool (the server redirects)", set(&o.homePool))
}

// loadCert reads and parses --cert.
func (o *signInOptions) loadCert() error {
	if o.certFile == "" {
		return nil
	}
	f, err := os.Open(o.certFile)
	if err != nil {
		return usageError{err.Error()}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return usageError{err.Error()}
	}
	chain, err := certcheck.Parse(b)
	if err != nil {
		return usagef("%s: %v", o.certFile, err)
	}
	o.chain = chain
	return nil
}

// checkCert adds the certificate findings for the report's target.
func (o *signInOptions) checkCert(rep *engine.Report, now time.Time) error {
	return certcheck.AddFindings(rep, o.chain, now)
}

// config returns the sign-in input for address u, or nil when no sign-in
// flag was given.
func (o *signInOptions) config(u engine.URI) (*register.Input, error) {
	if !o.enabled {
		return nil, nil
	}
	set := register.Settings{Account: o.account, DesktopAccount: o.desktopAccount, Owner: o.owner,
		NotEnabled: o.notEnabled, Compression: o.compression, HomePool: o.homePool}
	certcheck.SignIn(&set, o.chain, time.Now())
	switch strings.ToLower(o.password) {
	case "", "right":
	case "wrong":
		set.WrongPassword = true
	default:
		return nil, usagef("--password must be right or wrong, not %q", o.password)
	}
	var err error
	if set.Credentials, err = register.ParseCredentials(o.creds); err != nil {
		return nil, usagef("--creds: %v", err)
	}
	if o.offers != "" {
		if set.Offers, err = register.ParseOffers(o.offers); err != nil {
			return nil, usagef("--offers: %v", err)
		}
	}
	in := set.Input(u)
	return &in, nil
}

// register adds every check flag to fs.
func (o *checkOptions) register(fs *flag.FlagSet) {
	o.discoveryFlags(fs)
	fs.BoolVar(&o.json, "json", false, "print JSON (one object; an array for several addresses)")
	fs.BoolVar(&o.md, "md", false, "print Markdown, for pasting into a ticket")
	fs.BoolVar(&o.full, "full", false, "print every SIP message of the simulated sign-in in full")
	o.signIn.register(fs)
}

// discoveryFlags adds the flags that choose the profile, the policy and
// where answers come from: shared by check and audit.
func (o *checkOptions) discoveryFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.profile, "profile", engine.DefaultProfile, "client `profile`: "+profileNames())
	fs.BoolVar(&o.strict, "strict", false, "strict naming (EnableStrictDNSNaming): servers must be D or sip.D")
	fs.BoolVar(&o.noTCP, "no-tcp", false, "TCP disallowed by policy: never ask _sipinternal._tcp")
	fs.StringVar(&o.manualInternal, "manual-internal", "", "manually configured internal server `HOST[:PORT]`")
	fs.StringVar(&o.manualExternal, "manual-external", "", "manually configured external server `HOST[:PORT]`")
	fs.StringVar(&o.trusted, "trusted", "", "comma-separated trusted `domains` (Lync TrustModelData)")
	fs.StringVar(&o.doh, "doh", "", "DNS-over-HTTPS `URL` to ask (default "+DefaultDoH+")")
	fs.Func("zone", "answer from a BIND zone `FILE` (repeatable; ORIGIN=FILE to name the origin); no network", func(s string) error {
		o.zones = append(o.zones, s)
		return nil
	})
	fs.BoolVar(&o.demo, "demo", false, "answer from the embedded demo zones (automatic for .example addresses)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "time limit for each address")
}

// config is the engine configuration the discovery flags describe.
func (o *checkOptions) config(r engine.Resolver) engine.Config {
	cfg := engine.Config{
		Profile:  o.profile,
		Resolver: r,
		Policy: engine.Policy{
			StrictNaming:   o.strict,
			AllowTCP:       !o.noTCP,
			ManualInternal: o.manualInternal,
			ManualExternal: o.manualExternal,
		},
		Limits: engine.Limits{Timeout: o.timeout},
	}
	if o.trusted != "" {
		cfg.Policy.TrustedDomains = strings.Split(o.trusted, ",")
	}
	return cfg
}

func profileNames() string {
	var names []string
	for _, p := range engine.Profiles() {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, as people type them.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: sipdisco check [flags] URI...\n\nRuns the client's DNS discovery for each sign-in address (sip:bob@contoso.com or bob@contoso.com).\nExit status: 0 connect, 3 fail, 4 indeterminate, 2 bad usage or input.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var o checkOptions
	o.register(fs)
	uris, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, nil
		}
		return exitUsage, usageError{err.Error()}
	}
	if len(uris) == 0 {
		fs.Usage()
		return exitUsage, usagef("no address given")
	}
	if o.json && o.md {
		return exitUsage, usagef("--json and --md are exclusive")
	}
	if _, err := engine.LookupProfile(o.profile); err != nil {
		return exitUsage, usageError{err.Error()}
	}

	// Parse every address first, so a typo is reported before any work.
	var parsed []engine.URI
	bad := false
	for _, s := range uris {
		u, err := engine.ParseURI(s)
		if err != nil {
			fmt.Fprintf(stderr, "sipdisco check: %v\n%s\n", err, pointAt(s, err))
			bad = true
			continue
		}
		parsed = append(parsed, u)
	}
	if len(parsed) == 0 {
		return exitUsage, usagef("no valid address")
	}

	if err := o.signIn.loadCert(); err != nil {
		return exitUsage, err
	}
	resolver, desc, err := o.resolver(parsed)
	if err != nil {
		return exitUsage, err
	}
	if !o.json && !o.md && desc != "" {
		fmt.Fprintf(stderr, "sipdisco: answering from %s\n", desc)
	}
	cfg := o.config(resolver)
	cfg.Now = time.Now

	var reports []*engine.Report
	for _, u := range parsed {
		si, err := o.signIn.config(u)
		if err != nil {
			return exitUsage, err
		}
		rep, err := engine.Discover(ctx, u, cfg)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return exitError, err
			}
			return exitUsage, usageError{err.Error()}
		}
		if si != nil {
			if err := register.Attach(rep, *si, nil); err != nil {
				return exitUsage, usageError{err.Error()}
			}
		}
		if err := o.signIn.checkCert(rep, time.Now()); err != nil {
			return exitError, err
		}
		reports = append(reports, rep)
	}

	switch {
	case o.json:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		var v any = reports
		if len(reports) == 1 {
			v = reports[0]
		}
		if err := enc.Encode(v); err != nil {
			return exitError, err
		}
	default:
		for i, rep := range reports {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			var err error
			switch {
			case o.md:
				err = engine.WriteMarkdown(stdout, rep)
			case o.full:
				err = engine.WriteTextFull(stdout, rep)
			default:
				err = engine.WriteText(stdout, rep)
			}
			if err != nil {
				return exitError, err
			}
		}
	}
	if bad {
		return exitUsage, nil
	}
	return exitCode(reports), nil
}

// exitCode is 3 when any address fails, else 4 when any is
// indeterminate, else 0.
func exitCode(reports []*engine.Report) int {
	code := exitConnect
	for _, r := range reports {
		switch r.Outcome {
		case engine.OutcomeFail:
			return exitFail
		case engine.OutcomeIndeterminate:
			code = exitIndeterminate
		}
	}
	return code
}

// pointAt draws a caret under the offending byte of a bad address.
func pointAt(s string, err error) string {
	var ue *engine.URIError
	if !errors.As(err, &ue) || ue.Offset > len(s) || len(s) > 120 {
		return ""
	}
	return "  " + s + "\n  " + strings.Repeat(" ", len([]rune(s[:ue.Offset]))) + "^"
}

// resolver chooses where answers come from: --zone files, the demo zones,
// or DNS-over-HTTPS. It returns a description for the user.
func (o *checkOptions) resolver(uris []engine.URI) (engine.Resolver, string, error) {
	if len(o.zones) > 0 && o.doh != "" {
		return nil, "", usagef("--zone and --doh are exclusive: zone files answer without any network")
	}
	allDemo := true
	for _, u := range uris {
		if !strings.HasSuffix(u.Domain, ".example") {
			allDemo = false
		}
	}
	switch {
	case len(o.zones) > 0:
		set, err := loadZones(o.zones, o.demo)
		if err != nil {
			return nil, "", err
		}
		return set, "zone files " + strings.Join(o.zones, ", "), nil
	case o.doh != "":
		c, err := dohclient.New(o.doh, dohclient.HTTPRoundTrip(nil))
		if err != nil {
			return nil, "", usageError{err.Error()}
		}
		return c, "", nil
	case o.demo || allDemo:
		set, err := zone.Demo()
		if err != nil {
			return nil, "", err
		}
		return set, "the embedded demo zones (run sipdisco demo list)", nil
	}
	c, err := dohclient.New(DefaultDoH, dohclient.HTTPRoundTrip(nil))
	if err != nil {
		return nil, "", err
	}
	return c, "", nil
}

// MaxZoneFile bounds a zone file read from disk: the zone loader's limit.
const MaxZoneFile = zone.MaxZoneBytes

// loadZones reads zone files given as FILE or ORIGIN=FILE. The origin is
// the ORIGIN= prefix, else the file's first $ORIGIN, else the file name
// without a .zone suffix or db. prefix, else the zone's SOA owner.
func loadZones(specs []string, withDemo bool) (*zone.Set, error) {
	set := new(zone.Set)
	if withDemo {
		d, err := zone.Demo()
		if err != nil {
			return nil, err
		}
		set = d
	}
	for _, spec := range specs {
		origin, file, ok := strings.Cut(spec, "=")
		if !ok {
			origin, file = "", spec
		}
		f, err := os.Open(file)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		b, err := io.ReadAll(io.LimitReader(f, MaxZoneFile+1))
		f.Close()
		if err != nil {
			return nil, usageError{err.Error()}
		}
		if len(b) > MaxZoneFile {
			return nil, usagef("%s: larger than %d bytes", file, MaxZoneFile)
		}
		if origin == "" {
			origin = guessOrigin(file, string(b))
		}
		// An origin still empty is taken from the zone's SOA record.
		if err := set.Add(origin, string(b), file); err != nil {
			return nil, usageError{err.Error()}
		}
	}
	return set, nil
}

func guessOrigin(file, text string) string {
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.EqualFold(f[0], "$ORIGIN") {
			return strings.TrimSuffix(f[1], ".")
		}
	}
	base := filepath.Base(file)
	base = strings.TrimSuffix(base, ".zone")
	base = strings.TrimPrefix(base, "db.")
	if strings.Contains(base, ".") {
		return base
	}
	return ""
}

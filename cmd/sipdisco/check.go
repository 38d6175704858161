//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/resolve/zone"
	"github.com/sipdisco/sipdisco/templates"
)

// maxInputFile bounds a file a flag names (a zone, a certificate): the
// zone loader and the certificate parser apply their own, smaller limits.
const maxInputFile = 16 << 20

// flagEnv reads the files flags name, bounded, and a --cert file's
// certificate as the flag is set.
var flagEnv = check.FlagEnv{Certificates: certcheck.PEM{}, ReadFile: func(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInputFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxInputFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxInputFile)
	}
	return b, nil
}}

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

// checkFlags are check's flags besides the check's own inputs.
type checkFlags struct {
	bind     *check.Binding
	json, md bool
	full     bool
	timeout  time.Duration
	compare  bool
	link     bool
	linkBase string
	// color is --color; colour is what it decided for stdout.
	color  string
	colour bool
}

// defaultLinkBase is where links open by default: the site sipdisco
// serve serves at its default address.
const defaultLinkBase = "http://127.0.0.1:8080/"

// register adds check's flags to fs: every input of a check (check.Bind)
// and the output's.
func (c *checkFlags) register(fs *flag.FlagSet) {
	// The page's defaults: the sign-in is simulated unless --no-register.
	c.bind = check.Bind(fs, check.PageDefaults(), flagEnv)
	fs.BoolVar(&c.json, "json", false, "print JSON: an array with one report per address, each naming the tool and the time (README: the JSON contract)")
	fs.BoolVar(&c.md, "md", false, "print Markdown, for pasting into a ticket")
	fs.BoolVar(&c.full, "full", false, "print every SIP message of the simulated sign-in in full")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "time limit of each address's discovery")
	fs.BoolVar(&c.compare, "compare", false, "check each address twice, inside (this machine's DNS, or --dns) and outside (--doh, default a public resolver), and show what differs")
	fs.BoolVar(&c.link, "link", false, "print after each report its share links: the live link that reruns the check, and the snapshot link that carries the whole report (with --connect, what the servers answered)")
	fs.StringVar(&c.linkBase, "link-base", defaultLinkBase, "the site `URL` the links open (sipdisco serve's, or the public site)")
	inGroup(fs, check.HelpDNS, "timeout", "compare")
	registerColor(fs, &c.color)
	inGroup(fs, check.HelpOutput, "json", "md", "full", "link", "link-base", "color")
	shortFlag(fs, "json")
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	var f checkFlags
	fs := newFlagSet("check")
	f.register(fs)
	uris, err := parseFlags(fs, args, stdout, usageOf("check"))
	if err != nil {
		return exitUsage, err
	}
	o, err := f.bind.Options()
	if err != nil {
		return exitUsage, usageError{err.Error()}
	}
	if len(uris) == 0 {
		return exitUsage, usagef("no address given (run sipdisco check -h for help)")
	}
	if err := f.conflicts(o); err != nil {
		return exitUsage, err
	}
	signInFlags := signInFlagsGiven(fs)
	if f.noRegister(fs) && len(signInFlags) > 0 {
		return exitUsage, usagef("--no-register leaves out the sign-in that --%s describes: give one or the other", signInFlags[0])
	}
	if f.colour, err = colorFor(f.color, stdout); err != nil {
		return exitUsage, err
	}
	base, err := linkBase(f.linkBase)
	if err != nil {
		return exitUsage, err
	}
	checks, parsed, bad := checksOf(o, uris, stderr)
	if len(checks) == 0 {
		return exitUsage, usagef("no valid address")
	}
	if err := checks[0].Validate(); err != nil {
		return exitUsage, usageError{err.Error()}
	}
	if _, err := caPool(o.CA); err != nil {
		return exitUsage, usageError{err.Error()}
	}
	if f.compare {
		// A comparison of views is discovery only, as on the page,
		// unless a sign-in flag asks for the sign-in.
		if len(signInFlags) == 0 {
			for i := range checks {
				checks[i].SignIn = false
			}
		}
		return runCompare(ctx, &f, o, checks, stdout)
	}
	// The report says where its answers came from (its resolver field,
	// and the "Answers from" line of text and Markdown).
	resolver, source, err := resolverFor(o, parsed)
	if err != nil {
		return exitUsage, err
	}
	if o.Connect && !f.json && !f.md {
		fmt.Fprintln(stderr, "sipdisco: observing the servers discovery finds (a REGISTER without credentials, and for Lync 2013 and later the Autodiscover web service's unauthenticated documents; no password or token is sent)")
	}
	env := check.Env{Resolver: resolver, Now: time.Now, Limits: engine.Limits{Timeout: f.timeout}, Source: source, Certificates: certcheck.PEM{},
		Probe: probeServers, Tool: engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}}
	var results []*check.Result
	for _, c := range checks {
		res, err := check.Run(ctx, c, env)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return exitError, err
			}
			return exitUsage, usageError{err.Error()}
		}
		results = append(results, res)
	}
	if err := f.write(stdout, results, base); err != nil {
		return exitError, err
	}
	if bad {
		return exitUsage, nil
	}
	reports := make([]*engine.Report, len(results))
	for i, r := range results {
		reports[i] = r.Report
	}
	return exitCode(reports), nil
}

// noRegister reports whether --no-register was given.
func (f *checkFlags) noRegister(fs *flag.FlagSet) bool {
	given := false
	fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "no-register" })
	return given
}

// signInFlagsGiven returns the names of the flags given that describe
// the sign-in or the observation (the field table's GroupSignIn and
// GroupConnect), --register and --no-register aside, in the order of
// the flag set (lexical).
func signInFlagsGiven(fs *flag.FlagSet) []string {
	groups := map[string]bool{}
	for _, f := range check.Fields() {
		if f.Group != check.GroupSignIn && f.Group != check.GroupConnect || f.Name == "SignIn" {
			continue
		}
		for _, fl := range f.Flags {
			groups[fl.Name] = true
		}
	}
	var out []string
	fs.Visit(func(fl *flag.Flag) {
		if groups[fl.Name] {
			out = append(out, fl.Name)
		}
	})
	return out
}

// conflicts names the first pair of flags that cannot go together.
func (f *checkFlags) conflicts(o check.Options) error {
	switch {
	case f.json && f.md:
		return usagef("--json and --md are exclusive")
	case f.json && f.link:
		return usagef("--json and --link are exclusive: the JSON is the whole report; --link prints links beside a text or Markdown report")
	case f.compare && (o.Connect || f.link):
		return usagef("--compare shows two views side by side; it does not take --connect or --link (check one view at a time for those)")
	}
	return nil
}

// linkBase checks the site URL links open: http or https, with a host; its
// path ends in "/" so that the page's links resolve under it.
func linkBase(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", usagef("--link-base %q is not a site's address (want http://HOST[:PORT]/ or https://HOST/PATH/)", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.String(), nil
}

// checksOf returns a check of o for each address that parses, and
// reports on stderr, with a caret under the offending character, each
// that does not (bad is then true): a typo is reported before any work.
func checksOf(o check.Options, uris []string, stderr io.Writer) (checks []check.Options, parsed []engine.URI, bad bool) {
	for _, s := range uris {
		u, err := engine.ParseURI(s)
		if err != nil {
			fmt.Fprintf(stderr, "sipdisco check: %v\n%s\n", err, pointAt(err))
			bad = true
			continue
		}
		c := o
		c.URI = s
		checks, parsed = append(checks, c), append(parsed, u)
	}
	return checks, parsed, bad
}

// write prints the results as the flags ask: JSON (always an array, one
// report per address, in the order given; characters such as < are
// written as they are, not as \u003c), Markdown, or text, each report
// followed by its links when asked (base is the site they open).
func (f *checkFlags) write(w io.Writer, results []*check.Result, base string) error {
	if f.json {
		reports := make([]*engine.Report, len(results))
		for i, r := range results {
			reports[i] = r.Report
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(reports)
	}
	for i, res := range results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		rep := res.Report
		var err error
		if f.md {
			err = templates.WriteMarkdown(w, rep)
		} else {
			err = templates.WriteTextWith(w, rep, templates.TextOptions{Full: f.full, Color: f.colour})
		}
		if err != nil {
			return err
		}
		if f.link {
			if err := writeLinks(w, res, base, f.md); err != nil {
				return err
			}
		}
	}
	return nil
}

// marshalJSON is json.Marshal without HTML escaping: a script reads
// "<sip:bob@contoso.com>", not "\u003csip:bob@contoso.com\u003e". Every
// JSON sipdisco prints is written this way.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// writeLinks prints a result's links under base: the live link, when one
// can reproduce the check, and the snapshot link.
func writeLinks(w io.Writer, res *check.Result, base string, md bool) error {
	snap, err := snapshot.Encode(context.Background(), res.Snapshot())
	if err != nil {
		return err
	}
	var links templates.Links
	if q := res.Query(); q != "" {
		links.Live = base + q
	}
	links.Snapshot = base + snap
	links.Probe = res.Report.Probe != nil
	if md {
		return templates.WriteMarkdownLinks(w, links)
	}
	return templates.WriteTextLinks(w, links)
}

// exitCode is 3 when any address fails — discovery finds no server, or,
// when the servers were observed (--connect), no server answers the
// REGISTER in SIP (the probe's engine.KindProbeNoServerAnswered: none
// contacted, none answering, or a redirect to a home pool that does not
// answer) — else 4 when any is indeterminate, else 5 when any signs in
// with problems (engine.StateOf), else 0.
func exitCode(reports []*engine.Report) int {
	code := exitConnect
	for _, r := range reports {
		if p := r.Probe; p != nil && r.Outcome == engine.OutcomeConnect && slices.ContainsFunc(p.Findings, func(f engine.Finding) bool {
			return f.Kind == engine.KindProbeNoServerAnswered
		}) {
			return exitFail
		}
		switch engine.StateOf(r) {
		case engine.StateDoesNotSignIn:
			return exitFail
		case engine.StateUnknown:
			code = exitIndeterminate
		case engine.StateSignsInWithProblems:
			if code == exitConnect {
				code = exitProblems
			}
		}
	}
	return code
}

// pointAt shows the offending character of a bad address: an escaped
// excerpt of the input around it (engine.URIError.Caret), indented.
func pointAt(err error) string {
	var ue *engine.URIError
	if !errors.As(err, &ue) {
		return ""
	}
	return "  " + strings.ReplaceAll(ue.Caret(), "\n", "\n  ")
}

// MaxZoneFile bounds a zone file read from disk: the zone loader's limit.
const MaxZoneFile = zone.MaxZoneBytes

// loadZones loads zone files into one set, with the demo zones when
// withDemo. A zone's origin is its ORIGIN= prefix, else the file's first
// $ORIGIN, else its file name (zone.GuessOrigin: contoso.com.dns,
// db.contoso.com, contoso.com.zone), else the zone's SOA owner.
func loadZones(zones []check.Zone, withDemo bool) (*zone.Set, error) {
	set := new(zone.Set)
	if withDemo {
		d, err := zone.Demo()
		if err != nil {
			return nil, err
		}
		set = d
	}
	for _, z := range zones {
		if len(z.Text) > MaxZoneFile {
			return nil, usagef("%s: larger than %d bytes", z.Name, MaxZoneFile)
		}
		origin := z.Origin
		if origin == "" {
			origin = zone.GuessOrigin(z.Name, z.Text)
		}
		// An origin still empty is taken from the zone's SOA record.
		if err := set.Add(origin, z.Text, z.Name); err != nil {
			return nil, usageError{err.Error()}
		}
	}
	return set, nil
}

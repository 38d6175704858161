//go:build !js

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/internal/textenc"
	"github.com/sipdisco/sipdisco/templates"
)

// domainExitNote is the domain command's exit statuses.
const domainExitNote = `Exit status: 2 if a --file line is not a domain (the rest are still reported), else 0 every domain is ready for Teams Only and its federation works or is absent, 3 some domain blocks the switch to Teams Only or has broken federation, 4 a lookup failed for some domain and none is blocked or broken, 2 bad usage or input, 1 the report could not run (interrupted, or the output could not be written).`

// domainFlags are the domain command's flags: where to ask (the field
// table's resolver inputs, as check has them) and the output.
type domainFlags struct {
	bind        *check.Binding
	timeout     time.Duration
	json        bool
	format      string
	file        string
	concurrency int
	color       string
}

func (f *domainFlags) register(fs *flag.FlagSet) {
	f.bind = check.BindFields(fs, check.Defaults(), flagEnv, "Resolver", "Zones", "View", "DNS", "DNSTCP")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "time limit for each domain")
	fs.BoolVar(&f.json, "json", false, "same as --format json")
	fs.Var(check.NewOneOf(&f.format, "text", "text", "json"), "format", "output `format`: text or json")
	fs.StringVar(&f.file, "file", "", "read the domains from `FILE` too, one per line (- for standard input; blank lines and # comments ignored)")
	fs.IntVar(&f.concurrency, "concurrency", 64, "domains asked at the same time: each domain's questions go out in the same rounds as the others'")
	// --file, the domains to report on, is in no group: "Flags:".
	inGroup(fs, check.HelpDNS, "timeout", "concurrency")
	registerColor(fs, &f.color)
	inGroup(fs, check.HelpOutput, "json", "format", "color")
	shortFlag(fs, "json")
	shortFlag(fs, "format")
}

// MaxDomains bounds the domains one run reports on.
const MaxDomains = 10_000

// readDomains reads the domains of a --file: one per line, blank lines
// and # comments skipped, in any encoding sipdisco reads lists in (UTF-8,
// UTF-16 with a byte-order mark). A line that is not a domain is reported
// on stderr with its number and skipped; bad is then true.
func readDomains(name string, stdin io.Reader, stderr io.Writer) (domains []string, bad bool, err error) {
	in, name, done, err := openList(name, stdin)
	if err != nil {
		return nil, false, err
	}
	defer done()
	text, _, err := textenc.NewReader(in)
	if err != nil {
		return nil, false, usagef("%s: %v", name, err)
	}
	sc := bufio.NewScanner(text)
	sc.Buffer(make([]byte, 0, 4096), 4096)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		d, err := engine.NormalizeDomain(line)
		if err != nil {
			// %q: the line is shown escaped, control characters and
			// all, whatever the file holds.
			fmt.Fprintf(stderr, "sipdisco domain: %s:%d: %q is not a domain\n", name, n, line)
			bad = true
			continue
		}
		if len(domains) == MaxDomains {
			return nil, bad, usagef("%s: more than %d domains; split the list", name, MaxDomains)
		}
		domains = append(domains, d)
	}
	if err := sc.Err(); err != nil {
		return nil, bad, usagef("%s: %v (a line longer than 4,096 bytes is no domain)", name, err)
	}
	return domains, bad, nil
}

func runDomain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	var f domainFlags
	fs := newFlagSet("domain")
	f.register(fs)
	pos, err := parseFlags(fs, args, stdout, usageOf("domain"))
	if err != nil {
		return exitUsage, err
	}
	o, err := f.bind.Options()
	if err != nil {
		return exitUsage, usageError{err.Error()}
	}
	if f.json {
		f.format = "json"
	}
	color, err := colorFor(f.color, stdout)
	if err != nil {
		return exitUsage, err
	}
	if f.concurrency < 1 || f.concurrency > 256 {
		return exitUsage, usagef("--concurrency %d: want 1 to 256", f.concurrency)
	}
	var domains []string
	var uris []engine.URI
	for _, s := range pos {
		d, err := engine.NormalizeDomain(s)
		if err != nil {
			return exitUsage, usagef("%q is not a domain: %v", s, err)
		}
		domains = append(domains, d)
	}
	bad := false
	if f.file != "" {
		more, b, err := readDomains(f.file, stdin, stderr)
		if err != nil {
			return exitUsage, err
		}
		domains, bad = append(domains, more...), b
	}
	if len(domains) == 0 {
		return exitUsage, usagef("give one or more domains, e.g. sipdisco domain contoso.com, or --file (run sipdisco domain -h for help)")
	}
	for _, d := range domains {
		uris = append(uris, engine.URI{User: "domain", Domain: d})
	}
	resolver, source, err := resolverFor(o, uris)
	if err != nil {
		return exitUsage, err
	}
	fmt.Fprintf(stderr, "sipdisco: answering from %s\n", source.Description)
	tool := engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}
	// Every domain at once (up to --concurrency): their rounds overlap,
	// so many domains take about as many round trips as one.
	reports, err := domainreport.CheckAll(ctx, domains, func(d string) engine.Config {
		return engine.Config{Resolver: resolver, View: o.ViewOf(source, d), Now: time.Now, Limits: engine.Limits{Timeout: f.timeout}}
	}, f.concurrency)
	if err != nil {
		return exitError, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	for _, rep := range reports {
		src := source
		rep.Tool, rep.CheckedAt, rep.Resolver = &tool, now, &src
	}
	if err := writeDomains(stdout, f.format, color, reports); err != nil {
		return exitError, err
	}
	if bad {
		return exitUsage, nil
	}
	return domainExit(reports), nil
}

// writeDomains prints the reports: JSON, always an array, one object per
// domain in the order given (characters such as < written as they are);
// or text, with a one-line summary per domain first when there are
// several.
func writeDomains(w io.Writer, format string, color bool, reports []*domainreport.Report) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(reports)
	}
	if len(reports) > 1 {
		for _, r := range reports {
			if _, err := fmt.Fprintln(w, templates.DomainSummary(r)); err != nil {
				return err
			}
		}
		fmt.Fprintln(w)
	}
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := templates.WriteDomainTextWith(w, r, color); err != nil {
			return err
		}
	}
	return nil
}

// domainExit is 3 when some domain blocks Teams Only or has broken
// federation, else 4 when a lookup left either unknown, else 0.
func domainExit(reports []*domainreport.Report) int {
	code := exitConnect
	for _, r := range reports {
		switch {
		case len(r.TeamsOnly.Blocking) > 0 || r.Federation.Outcome == domainreport.FederationFail:
			return exitFail
		case !r.TeamsOnly.Ready || r.Federation.Outcome == domainreport.FederationUnknown:
			code = exitIndeterminate
		}
	}
	return code
}

//go:build !js

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/cmd/sipdisco/internal/prober"
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
	connect     bool
	compare     bool
	color       string
}

func (f *domainFlags) register(fs *flag.FlagSet) {
	f.bind = check.BindFields(fs, check.Defaults(), flagEnv, "Resolver", "Zones", "View", "DNS", "DNSTCP", "CA", "ConnectTimeout", "ConnectDeadline")
	fs.BoolVar(&f.connect, "connect", false, "observe the servers: the federation server as a partner's Edge reaches it (TLS handshake, certificate, the TLS versions it accepts, an OPTIONS without credentials) and the Autodiscover web service's root document; nothing secret is sent")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "time limit for each domain")
	fs.BoolVar(&f.json, "json", false, "same as --format json")
	fs.Var(check.NewOneOf(&f.format, "text", "text", "json", "powershell", "bind"), "format", "output `format`: text, json, or the fixes as scripts, one per DNS (public, then internal): powershell (the DnsServer module) or bind (zone-file lines)")
	fs.BoolVar(&f.compare, "compare", false, "report each domain twice, inside (this machine's DNS, or --dns) and outside (--doh, default a public resolver): the Teams Only verdict from public DNS, the internal records to remove from internal DNS")
	fs.StringVar(&f.file, "file", "", "read the domains from `FILE` too, one per line (- for standard input; blank lines and # comments ignored)")
	fs.IntVar(&f.concurrency, "concurrency", 64, "domains asked at the same time: each domain's questions go out in the same rounds as the others'")
	// --file, the domains to report on, is in no group: "Flags:".
	inGroup(fs, check.HelpDNS, "timeout", "concurrency", "compare")
	inGroup(fs, check.HelpConnect, "connect")
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
	if f.compare && (f.connect || o.Connect) {
		return exitUsage, usagef("--compare shows two views side by side; it does not take --connect (observe one view at a time)")
	}
	sides, err := f.sides(o, uris)
	if err != nil {
		return exitUsage, err
	}
	var all [][]*domainreport.Report
	for _, sd := range sides {
		fmt.Fprintf(stderr, "sipdisco: answering from %s\n", sd.source.Description)
		reports, err := f.report(ctx, domains, sd, o)
		if err != nil {
			return exitError, err
		}
		if f.connect || o.Connect {
			if err := observeDomains(ctx, reports, o, sd.resolver, stderr); err != nil {
				return exitError, err
			}
		}
		all = append(all, reports)
	}
	var every []*domainreport.Report
	for _, reports := range all {
		every = append(every, reports...)
	}
	if f.compare {
		err = writeDomainComparison(stdout, f.format, color, domains, all[0], all[1])
	} else {
		err = writeDomains(stdout, f.format, color, every)
	}
	if err != nil {
		return exitError, err
	}
	if bad {
		return exitUsage, nil
	}
	if f.compare {
		// Microsoft's check and federation partners ask public DNS:
		// the outside view decides the exit status.
		return domainExit(all[1]), nil
	}
	return domainExit(every), nil
}

// sides returns the one side the flags name (its view left to the
// resolver), or with --compare the inside and the outside
// (compareSides).
func (f *domainFlags) sides(o check.Options, uris []engine.URI) ([]compareSide, error) {
	if !f.compare {
		resolver, source, err := resolverFor(o, uris)
		if err != nil {
			return nil, err
		}
		return []compareSide{{resolver: resolver, source: source}}, nil
	}
	return compareSides(o, "reports")
}

// report reports on every domain from one side, all at once (up to
// --concurrency): their rounds overlap, so many domains take about as
// many round trips as one.
func (f *domainFlags) report(ctx context.Context, domains []string, sd compareSide, o check.Options) ([]*domainreport.Report, error) {
	reports, err := domainreport.CheckAll(ctx, domains, func(d string) engine.Config {
		view := sd.view
		if view == engine.ViewUnknown {
			view = o.ViewOf(sd.source, d)
		}
		return engine.Config{Resolver: sd.resolver, View: view, Now: time.Now, Limits: engine.Limits{Timeout: f.timeout}}
	}, f.concurrency)
	if err != nil {
		return nil, err
	}
	tool := engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}
	now := time.Now().UTC().Format(time.RFC3339)
	for _, rep := range reports {
		src := sd.source
		rep.Tool, rep.CheckedAt, rep.Resolver = &tool, now, &src
	}
	return reports, nil
}

// domainComparison is one domain reported from both sides (--compare
// --json).
type domainComparison struct {
	Domain  string               `json:"domain"`
	Inside  *domainreport.Report `json:"inside"`
	Outside *domainreport.Report `json:"outside"`
}

// writeDomainComparison prints each domain's two reports: JSON, an array
// of {domain, inside, outside}; scripts, the fixes of both; text, each
// domain's outside report (the Teams Only verdict is public DNS's), then
// its inside one.
func writeDomainComparison(w io.Writer, format string, color bool, domains []string, inside, outside []*domainreport.Report) error {
	switch format {
	case "json":
		out := make([]domainComparison, len(domains))
		for i, d := range domains {
			out[i] = domainComparison{Domain: d, Inside: inside[i], Outside: outside[i]}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "powershell", "bind":
		return templates.WriteDomainScripts(w, format, append(slices.Clone(outside), inside...))
	}
	for i := range domains {
		if i > 0 {
			fmt.Fprintln(w)
		}
		for _, r := range []*domainreport.Report{outside[i], inside[i]} {
			fmt.Fprintf(w, "== %s: %s ==\n", map[engine.View]string{engine.ViewInside: "Inside", engine.ViewOutside: "Outside"}[r.View], textenc.Escape(r.Resolver.Description))
			if err := templates.WriteDomainTextWith(w, r, color); err != nil {
				return err
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}

// observeDomains observes each report's servers (prober.Domain), a few
// domains at a time, and adds what it saw to the report.
func observeDomains(ctx context.Context, reports []*domainreport.Report, o check.Options, resolver engine.Resolver, stderr io.Writer) error {
	po, err := proberOptions(ctx, resolver, o.CA, o.ConnectTimeout, o.ConnectDeadline)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "sipdisco: observing the federation and Autodiscover servers of %d domain(s) (an OPTIONS and unauthenticated web requests; nothing secret is sent)\n", len(reports))
	obs := make([]domainreport.Observed, len(reports))
	errs := make([]error, len(reports))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, rep := range reports {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			obs[i], errs[i] = prober.Domain(ctx, po, rep)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, rep := range reports {
		rep.Observe(obs[i])
	}
	return nil
}

// writeDomains prints the reports: JSON, always an array, one object per
// domain in the order given (characters such as < written as they are);
// or text, with a one-line summary per domain first when there are
// several.
func writeDomains(w io.Writer, format string, color bool, reports []*domainreport.Report) error {
	if format == "powershell" || format == "bind" {
		return templates.WriteDomainScripts(w, format, reports)
	}
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
		_, text := templates.TenantGate(reports)
		fmt.Fprintf(w, "Teams Only for the tenant: %s\n\n", textenc.Escape(text))
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

//go:build !js

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/templates"
)

// domainExitNote is the domain command's exit statuses.
const domainExitNote = `Exit status: 0 every domain is ready for Teams Only and its federation works or is absent, 3 some domain blocks the switch to Teams Only or has broken federation, 4 a lookup failed for some domain and none is blocked or broken, 2 bad usage or input, 1 the report could not run (interrupted, or the output could not be written).`

// domainFlags are the domain command's flags: where to ask (the field
// table's resolver inputs, as check has them) and the output.
type domainFlags struct {
	bind    *check.Binding
	timeout time.Duration
	json    bool
	format  string
}

func (f *domainFlags) register(fs *flag.FlagSet) {
	f.bind = check.BindFields(fs, check.Defaults(), flagEnv, "Resolver", "Zones", "View", "DNS", "DNSTCP")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "time limit for each domain")
	fs.BoolVar(&f.json, "json", false, "same as --format json")
	fs.Var(check.NewOneOf(&f.format, "text", "text", "json"), "format", "output `format`: text or json")
}

func runDomain(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
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
	if len(pos) == 0 {
		return exitUsage, usagef("give one or more domains, e.g. sipdisco domain contoso.com (run sipdisco domain -h for help)")
	}
	var domains []string
	var uris []engine.URI
	for _, s := range pos {
		d, err := engine.NormalizeDomain(s)
		if err != nil {
			return exitUsage, usagef("%q is not a domain: %v", s, err)
		}
		domains = append(domains, d)
		uris = append(uris, engine.URI{User: "domain", Domain: d})
	}
	resolver, source, err := resolverFor(o, uris)
	if err != nil {
		return exitUsage, err
	}
	fmt.Fprintf(stderr, "sipdisco: answering from %s\n", source.Description)
	tool := engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}
	var reports []*domainreport.Report
	for _, d := range domains {
		cfg := engine.Config{Resolver: resolver, View: o.ViewOf(source, d), Now: time.Now,
			Limits: engine.Limits{Timeout: f.timeout}}
		rep, err := domainreport.Check(ctx, d, cfg)
		if err != nil {
			return exitError, err
		}
		rep.Tool, rep.CheckedAt = &tool, time.Now().UTC().Format(time.RFC3339)
		src := source
		rep.Resolver = &src
		reports = append(reports, rep)
	}
	if err := writeDomains(stdout, f.format, reports); err != nil {
		return exitError, err
	}
	return domainExit(reports), nil
}

// writeDomains prints the reports: JSON, always an array, one object per
// domain in the order given (characters such as < written as they are);
// or text, with a one-line summary per domain first when there are
// several.
func writeDomains(w io.Writer, format string, reports []*domainreport.Report) error {
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
		if err := templates.WriteDomainText(w, r); err != nil {
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

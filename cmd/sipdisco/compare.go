//go:build !js

package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/templates"
)

// comparison is what check --compare --json prints for one address.
type comparison struct {
	Inside      *engine.Report  `json:"inside"`
	Outside     *engine.Report  `json:"outside"`
	Differences []check.DiffRow `json:"differences"`
}

// runCompare checks each address twice, as the two views of split-brain
// DNS answer it: inside through the machine's own resolvers (or the --dns
// servers), outside through a public DoH resolver (--doh, else
// check.DefaultDoH), and prints them side by side with what differs.
// Microsoft's "Office Communicator Sign-in and Discovery" has the client
// try the internal records first and the Access Edge's second; the two
// views show both halves. The --doh resolver is the outside view whatever
// it is, so its check asks the internal-only names too. The exit status
// is that of the inside view.
// compareSide is one view --compare asks: its resolver, where the
// resolver's answers come from, and the view.
type compareSide struct {
	resolver engine.Resolver
	source   engine.ResolverInfo
	view     engine.View
}

// compareSides returns --compare's two views: inside (--dns, default this
// machine's DNS), then outside (--doh, default a public resolver). Zones,
// the demo and --view are refused; what names what the command does
// with the views in the refusal ("checks", "reports").
func compareSides(o check.Options, what string) ([]compareSide, error) {
	switch {
	case len(o.Zones) > 0 || o.Resolver.Kind == check.SourceDemo:
		return nil, usagef("--compare asks live DNS inside and out: give --dns and --doh, not --zone or --demo")
	case o.View != engine.ViewUnknown:
		return nil, usagef("--view: --compare %s both views, --dns inside and --doh outside", what)
	}
	inside, source, err := dnsResolver(o.DNS, o.DNSTCP)
	if err != nil {
		return nil, err
	}
	url := o.Resolver.String()
	if url == "" {
		url = check.DefaultDoH
	}
	outside, err := dohclient.New(url, dohclient.HTTPRoundTrip(nil))
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return []compareSide{
		{resolver: inside, source: source, view: engine.ViewInside},
		{resolver: outside, source: engine.ResolverInfo{Kind: engine.ResolverDoH, Address: url, Description: url}, view: engine.ViewOutside},
	}, nil
}

func runCompare(ctx context.Context, f *checkFlags, o check.Options, checks []check.Options, stdout io.Writer) (int, error) {
	sides, err := compareSides(o, "checks")
	if err != nil {
		return exitUsage, err
	}
	envs := []check.Env{
		{Resolver: sides[0].resolver, Source: sides[0].source},
		{Resolver: sides[1].resolver, Source: sides[1].source},
	}
	views := []engine.View{engine.ViewInside, engine.ViewOutside}
	var out []comparison
	var insides []*engine.Report
	for _, c := range checks {
		var reps [2]*engine.Report
		for i, env := range envs {
			env.Now, env.Limits = time.Now, engine.Limits{Timeout: f.timeout}
			env.Tool = engine.Tool{Name: "sipdisco", Version: buildinfo.Read().Version}
			c.View = views[i]
			res, err := check.Run(ctx, c, env)
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return exitError, err
				}
				return exitUsage, usageError{err.Error()}
			}
			reps[i] = res.Report
		}
		out = append(out, comparison{Inside: reps[0], Outside: reps[1], Differences: check.DiffReports(reps[0], reps[1])})
		insides = append(insides, reps[0])
	}
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return exitError, err
		}
		return exitCode(insides), nil
	}
	for i, c := range out {
		if i > 0 {
			io.WriteString(stdout, "\n")
		}
		if err := templates.WriteComparisonText(stdout, c.Inside, c.Outside, c.Differences); err != nil {
			return exitError, err
		}
	}
	return exitCode(insides), nil
}

//go:build !js

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
)

// planFlags are plan's flags: the plan's inputs (check.BindPlan) and the
// output's.
type planFlags struct {
	plan              check.PlanOptions
	format, view, out string
	check             bool
}

func (f *planFlags) register(fs *flag.FlagSet) {
	f.plan = check.PlanDefaults()
	check.BindPlan(fs, &f.plan)
	fs.Var(check.NewOneOf(&f.format, "bind", "bind", "powershell", "csv", "md", "json"), "format", "output `format`: bind, powershell, csv, md or json")
	fs.Var(check.NewOneOf(&f.view, "both", string(plan.Internal), string(plan.External), "both"), "view", "`view` to print: internal, external or both")
	fs.StringVar(&f.out, "out", "", "write every file of the plan into `DIR` (zones, PowerShell, CSV, Markdown, JSON) instead of printing")
	fs.BoolVar(&f.check, "check", false, "run discovery for every selected profile against the generated zones, check the SRV target, one-view and certificate rules, and print the outcomes")
	inGroup(fs, check.HelpDeployment, "simple-urls", "xmpp", "no-federation")
	inGroup(fs, check.HelpClient, "strict", "tcp", "no-tcp", "check")
	inGroup(fs, check.HelpOutput, "format", "view", "out")
	for _, n := range []string{"profile", "format", "out"} {
		shortFlag(fs, n)
	}
}

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	var f planFlags
	fs := newFlagSet("plan")
	f.register(fs)
	pos, err := parseFlags(fs, args, stdout, usageOf("plan"))
	if err != nil {
		return exitUsage, err
	}
	po, format, out, doCheck := &f.plan, f.format, f.out, f.check
	if len(pos) > 0 {
		return exitUsage, usagef("unexpected argument %q: plan takes only flags", pos[0])
	}
	if po.Domains == "" && po.Pool == "" {
		return exitUsage, usagef("--domain and --pool are required (run sipdisco plan -h for help)")
	}
	views, err := f.views()
	if err != nil {
		return exitUsage, err
	}
	p, err := po.Generate()
	if err != nil {
		return exitUsage, usageError{check.PlanErrorMessage(err, true)}
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(stderr, "sipdisco plan: warning: %s\n", w)
	}

	if out != "" {
		files, err := writePlanFiles(out, p)
		if err != nil {
			return exitError, err
		}
		fmt.Fprintf(stdout, "wrote %d files to %s:\n", len(files), out)
		for _, f := range files {
			fmt.Fprintf(stdout, "  %s\n", f)
		}
	} else if err := writePlan(stdout, stderr, p, format, views); err != nil {
		return exitError, err
	}

	if !doCheck {
		return exitConnect, nil
	}
	ver, clients, err := checkPlan(ctx, p, views)
	if err != nil {
		return exitError, err
	}
	w := stdout
	if out == "" && (format == "csv" || format == "json") {
		w = stderr // keep machine-readable output parseable
	}
	fmt.Fprintln(w)
	writeNaming(w, p)
	code := writeVerification(w, p, ver)
	writeUnplanned(w, p, clients)
	return code, nil
}

// views reads --view and checks that --format can print it.
func (f *planFlags) views() ([]plan.View, error) {
	var views []plan.View
	switch f.view {
	case "internal":
		views = []plan.View{plan.Internal}
	case "external":
		views = []plan.View{plan.External}
	case "both":
		views = []plan.View{plan.Internal, plan.External}
	default:
		return nil, usagef("--view %q: want internal, external or both", f.view)
	}
	switch f.format {
	case "bind", "powershell", "csv", "md", "json":
	default:
		return nil, usagef("--format %q: want bind, powershell, csv, md or json", f.format)
	}
	if f.format == "powershell" && len(views) > 1 && f.out == "" {
		return nil, usagef("--format powershell prints one view's script: give --view internal (run on the internal DNS) or --view external (run on the public DNS), or --out DIR to write both, as %s and %s",
			check.PlanScriptFile(plan.Internal), check.PlanScriptFile(plan.External))
	}
	return views, nil
}

// writePlan prints the plan's views in format, followed (except for CSV,
// JSON and a PowerShell script, which stay machine-readable or runnable)
// by the certificate names and notes as comments.
func writePlan(w, stderr io.Writer, p *plan.Plan, format string, views []plan.View) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(p)
	case "md":
		_, err := io.WriteString(w, plan.Markdown(p, views...))
		return err
	case "csv":
		var vps []plan.ViewPlan
		for _, v := range views {
			vps = append(vps, p.View(v))
		}
		_, err := io.WriteString(w, plan.CSV(vps...))
		fmt.Fprintln(stderr, "sipdisco plan: CSV holds the records only; --format md or --out DIR lists the certificate names too")
		return err
	case "powershell":
		// A script to run, as --out writes it: one view, nothing else.
		_, err := io.WriteString(w, plan.PowerShell(p.View(views[0])))
		fmt.Fprintln(stderr, "sipdisco plan: the script holds the records only; --format md or --out DIR lists the certificate names too")
		return err
	}
	for i, v := range views {
		if i > 0 {
			fmt.Fprintln(w)
		}
		for j, z := range check.PlanZones(p, v) {
			if j > 0 {
				fmt.Fprintln(w)
			}
			io.WriteString(w, z.Text)
		}
	}
	fmt.Fprintf(w, "\n; Certificate names (a SAN list overrides the subject: the subject is repeated as the first SAN)\n")
	for _, c := range p.Certificates {
		fmt.Fprintf(w, ";\n; %s\n;   use: %s\n;   subject: CN=%s\n", c.Server, c.Use, c.Subject)
		for _, n := range c.Names {
			fmt.Fprintf(w, ";   SAN: %s\n", n.Name)
		}
		fmt.Fprintf(w, ";   request: %s\n", plan.CSRLine(c))
	}
	for _, n := range p.Warnings {
		fmt.Fprintf(w, ";\n; Warning: %s\n", n)
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, ";\n; Note: %s\n", n)
	}
	return nil
}

// writePlanFiles writes every file of the plan (check.PlanFiles, the
// names the plan page's downloads have) into dir and returns their paths.
func writePlanFiles(dir string, p *plan.Plan) ([]string, error) {
	files, err := check.PlanFiles(p)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(files[name]), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// checkPlan loads each view's generated zones as --zone loads zone files,
// runs plan.Verify, and takes every client generation's row from the
// same zones (check.PlanGlance).
func checkPlan(ctx context.Context, p *plan.Plan, views []plan.View) (*plan.Verification, []check.PlanClients, error) {
	resolvers := map[plan.View]engine.Resolver{}
	for _, v := range views {
		set, err := loadZones(check.PlanZones(p, v), false)
		if err != nil {
			return nil, nil, fmt.Errorf("generated zone does not load: %v", err)
		}
		resolvers[v] = set
	}
	ver, err := plan.Verify(ctx, p, resolvers)
	if err != nil {
		return nil, nil, err
	}
	clients, err := check.PlanGlance(ctx, p, resolvers)
	if err != nil {
		return nil, nil, err
	}
	return ver, clients, nil
}

// writeNaming prints the naming policy each required client is checked
// under: its own default, or strict where the plan asks for it, in the
// words of its policy (Communicator's EnableStrictDNSNaming, Lync's and
// Skype for Business's DisableStrictDNSNaming; docs/adr/0016).
func writeNaming(w io.Writer, p *plan.Plan) {
	fmt.Fprintln(w, "each client is checked with its own default naming, unless the plan asks for strict naming:")
	for _, prof := range p.Profiles() {
		fmt.Fprintf(w, "  %s: %s\n", prof.Name, prof.NamingPolicy(p.Policy(prof).StrictNaming))
	}
	fmt.Fprintln(w)
}

// writeUnplanned prints, when the plan requires only some clients, the
// other client generations' outcomes against the same zones, one row
// per view and domain as in the matrix, not judged against the plan.
func writeUnplanned(w io.Writer, p *plan.Plan, clients []check.PlanClients) {
	if len(clients) == 0 || len(clients[0].Unplanned(p)) == 0 {
		return
	}
	fmt.Fprintln(w, "\nother clients, not required by the plan (the same zones, not judged):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprint(tw, "VIEW\tDOMAIN")
	for _, r := range clients[0].Unplanned(p) {
		fmt.Fprintf(tw, "\t%s", r.Profile)
	}
	fmt.Fprintln(tw)
	for _, c := range clients {
		fmt.Fprintf(tw, "%s\t%s", c.View, c.Domain)
		for _, r := range c.Unplanned(p) {
			cell := string(r.Outcome)
			if r.Target != "" {
				cell += " " + r.Target
			}
			fmt.Fprintf(tw, "\t%s", cell)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// writeVerification prints the discovery matrix and the rules, and returns
// exitFail if a cell differs from the plan's expectation or a rule fails.
func writeVerification(w io.Writer, p *plan.Plan, v *plan.Verification) int {
	code := writeMatrix(w, p, v.Results)
	failed := 0
	for _, r := range v.Rules {
		if !r.OK {
			failed++
			fmt.Fprintf(w, "rule %s (%s DNS): %s\n", r.Rule, r.View, r.Problem)
		}
	}
	if failed > 0 {
		fmt.Fprintf(w, "%d of %d rule checks fail\n", failed, len(v.Rules))
		return exitFail
	}
	fmt.Fprintf(w, "every rule holds (%d checks: one SRV record per name; SRV targets own their address records, are in their domain and name their service's port, never the federation port 5061 for _sip._tls; each view's names only there; every name a client connects to on its server's certificate)\n", len(v.Rules))
	return code
}

// writeMatrix prints one row per view and domain, one column per profile,
// and returns exitFail if any cell differs from the plan's expectation.
func writeMatrix(w io.Writer, p *plan.Plan, results []plan.Result) int {
	profs := p.Profiles()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprint(tw, "VIEW\tDOMAIN")
	for _, pr := range profs {
		fmt.Fprintf(tw, "\t%s", pr.Name)
	}
	fmt.Fprintln(tw)
	code := exitConnect
	var problems []string
	for i, r := range results {
		if i%len(profs) == 0 {
			fmt.Fprintf(tw, "%s\t%s", r.View, r.Domain)
		}
		cell := string(r.Outcome)
		if r.Target != nil {
			cell = fmt.Sprintf("%s %s:%d", r.Outcome, r.Target.Host, r.Target.Port)
		}
		if !r.OK {
			cell = "MISMATCH " + cell
			code = exitFail
			problems = append(problems, fmt.Sprintf("%s %s %s: %s", r.View, r.Domain, r.Profile, r.Problem))
		}
		fmt.Fprintf(tw, "\t%s", cell)
		if i%len(profs) == len(profs)-1 {
			fmt.Fprintln(tw)
		}
	}
	tw.Flush()
	for _, pr := range problems {
		fmt.Fprintf(w, "mismatch: %s\n", pr)
	}
	if code == exitConnect {
		fmt.Fprintf(w, "every cell matches the plan (%d checks)\n", len(results))
	}
	return code
}

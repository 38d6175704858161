//go:build !js

package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/sipdisco/sipdisco/dohclient/zone"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/plan"
)

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// planFlags maps plan.FieldError fields to the flags that set them.
var planFlags = []struct{ field, flag string }{
	{"domains", "--domain"}, {"pool.fqdn", "--pool"}, {"pool.addresses", "--pool-ip"},
	{"director.fqdn", "--director"}, {"director.addresses", "--director-ip"},
	{"edge.fqdn", "--edge"}, {"edge.addresses", "--edge-ip"}, {"edgePort", "--edge"},
	{"webInternal.fqdn", "--web-internal"}, {"webInternal.addresses", "--web-internal-ip"},
	{"webExternal.fqdn", "--web-external"}, {"webExternal.addresses", "--web-external-ip"},
	{"profiles", "--profile"}, {"alias", "--alias"}, {"ttl", "--ttl"},
}

// flagFor names the flag behind a plan.FieldError field ("pool.addresses[1]").
func flagFor(field string) string {
	for _, f := range planFlags {
		if field == f.field || strings.HasPrefix(field, f.field+"[") {
			return f.flag
		}
	}
	return field
}

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, `Usage: sipdisco plan --domain D [--domain D2...] --pool FQDN [flags]

Prints the DNS records (internal and external DNS) and the certificate names a
deployment needs for automatic client sign-in. With --check, runs every selected
client profile against the generated zones and prints a matrix of outcomes
(exit status 3 if any cell differs from the plan).

Flags:
`)
		fs.PrintDefaults()
	}
	var (
		in                             plan.Input
		domains, profiles              listFlag
		poolIP, dirIP, edgeIP          listFlag
		webIntIP, webExtIP             listFlag
		edge, format, view, out, alias string
		noTCP, check                   bool
		ttl                            uint
	)
	fs.Var(&domains, "domain", "SIP `domain` (repeatable or comma-separated; the first is the default)")
	fs.StringVar(&in.Pool.FQDN, "pool", "", "Front End pool or Standard Edition server `FQDN` (required)")
	fs.Var(&poolIP, "pool-ip", "pool `addresses` (repeatable; default a 192.0.2.x placeholder)")
	fs.StringVar(&in.Director.FQDN, "director", "", "Director pool `FQDN` (internal SRV records point at it)")
	fs.Var(&dirIP, "director-ip", "Director `addresses`")
	fs.StringVar(&edge, "edge", "", "Access Edge external `FQDN[:PORT]` (port default 443)")
	fs.Var(&edgeIP, "edge-ip", "Access Edge external `addresses` (default a 203.0.113.x placeholder)")
	fs.StringVar(&in.WebInternal.FQDN, "web-internal", "", "internal web services `FQDN` for lyncdiscoverinternal (Lync 2013)")
	fs.Var(&webIntIP, "web-internal-ip", "internal web services `addresses`")
	fs.StringVar(&in.WebExternal.FQDN, "web-external", "", "external web services (reverse proxy) `FQDN` for lyncdiscover (Lync 2013)")
	fs.Var(&webExtIP, "web-external-ip", "external web services `addresses`")
	fs.BoolVar(&in.StrictNaming, "strict", false, "clients use strict naming (EnableStrictDNSNaming): SRV targets become sip.<domain>")
	fs.BoolVar(&noTCP, "no-tcp", false, "TCP disallowed: publish no _sipinternal._tcp record")
	fs.Var(&profiles, "profile", "client `profile` that must work (repeatable; default all): "+profileNames())
	fs.StringVar(&alias, "alias", "a", "publish sip.<domain> aliases as `a` records or as a cname")
	fs.UintVar(&ttl, "ttl", plan.DefaultTTL, "record TTL in `seconds`")
	fs.StringVar(&format, "format", "bind", "output `format`: bind, powershell, csv, md or json")
	fs.StringVar(&view, "view", "both", "`view` to print: internal, external or both")
	fs.StringVar(&out, "out", "", "write every format into `DIR` (zone files, .ps1, .csv, .md, .json) instead of printing")
	fs.BoolVar(&check, "check", false, "run discovery for every selected profile against the generated zones and print the outcomes")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, nil
		}
		return exitUsage, usageError{err.Error()}
	}
	if len(pos) > 0 {
		return exitUsage, usagef("unexpected argument %q: plan takes only flags", pos[0])
	}
	if len(domains) == 0 && in.Pool.FQDN == "" {
		fs.Usage()
		return exitUsage, usagef("--domain and --pool are required")
	}
	var views []plan.View
	switch view {
	case "internal":
		views = []plan.View{plan.Internal}
	case "external":
		views = []plan.View{plan.External}
	case "both":
		views = []plan.View{plan.Internal, plan.External}
	default:
		return exitUsage, usagef("--view %q: want internal, external or both", view)
	}
	switch format {
	case "bind", "powershell", "csv", "md", "json":
	default:
		return exitUsage, usagef("--format %q: want bind, powershell, csv, md or json", format)
	}
	if ttl > 1<<31-1 {
		return exitUsage, usagef("--ttl %d: at most 2147483647", ttl)
	}
	in.Domains, in.Profiles, in.TTL, in.AllowTCP, in.Alias = domains, profiles, uint32(ttl), !noTCP, plan.AliasStyle(alias)
	in.Pool.Addresses, in.Director.Addresses, in.WebInternal.Addresses, in.WebExternal.Addresses = poolIP, dirIP, webIntIP, webExtIP
	if edge != "" {
		host, port, err := engine.ParseHostPort(edge, plan.DefaultEdgePort)
		if err != nil {
			return exitUsage, usagef("--edge: %v", err)
		}
		in.Edge = plan.Server{FQDN: host, Addresses: edgeIP}
		in.EdgePort = port
	} else {
		in.Edge.Addresses = edgeIP
	}

	p, err := plan.Generate(in)
	if err != nil {
		var msgs []string
		for _, e := range unjoinErr(err) {
			var fe *plan.FieldError
			if errors.As(e, &fe) {
				msgs = append(msgs, fmt.Sprintf("%s (%s): %s", flagFor(fe.Field), fe.Field, fe.Msg))
			} else {
				msgs = append(msgs, e.Error())
			}
		}
		return exitUsage, usageError{strings.Join(msgs, "\n  ")}
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

	if !check {
		return exitConnect, nil
	}
	results, err := checkPlan(ctx, p, views)
	if err != nil {
		return exitError, err
	}
	w := stdout
	if out == "" && (format == "csv" || format == "json") {
		w = stderr // keep machine-readable output parseable
	}
	fmt.Fprintln(w)
	return writeMatrix(w, p, results), nil
}

func unjoinErr(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// zonesText returns the BIND text of every zone of v by file name.
func zonesText(p *plan.Plan, v plan.View) (names, texts []string) {
	for _, z := range p.View(v).Zones {
		names = append(names, z.Origin+".zone")
		texts = append(texts, plan.BIND(v, z, p.Input.TTL))
	}
	return names, texts
}

// writePlan prints the plan's views in format, followed (except for CSV
// and JSON, which stay machine-readable) by the certificate names.
func writePlan(w, stderr io.Writer, p *plan.Plan, format string, views []plan.View) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
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
	}
	comment := "; "
	for i, v := range views {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if format == "powershell" {
			comment = "# "
			io.WriteString(w, plan.PowerShell(p.View(v)))
			continue
		}
		_, texts := zonesText(p, v)
		for j, t := range texts {
			if j > 0 {
				fmt.Fprintln(w)
			}
			io.WriteString(w, t)
		}
	}
	blank := strings.TrimSpace(comment)
	fmt.Fprintf(w, "\n%sCertificate names\n", comment)
	for _, c := range p.Certificates {
		fmt.Fprintf(w, "%s\n%s%s\n%s  subject: CN=%s\n", blank, comment, c.Server, comment, c.Subject)
		for _, n := range c.Names {
			fmt.Fprintf(w, "%s  SAN: %s\n", comment, n.Name)
		}
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "%s\n%sNote: %s\n", blank, comment, n)
	}
	return nil
}

// writePlanFiles writes every format into dir and returns the file names.
func writePlanFiles(dir string, p *plan.Plan) ([]string, error) {
	var files []string
	write := func(name, text string) error {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		files = append(files, path)
		return os.WriteFile(path, []byte(text), 0o644)
	}
	for _, v := range []plan.View{plan.Internal, plan.External} {
		names, texts := zonesText(p, v)
		for i := range names {
			if err := write(filepath.Join(string(v), names[i]), texts[i]); err != nil {
				return nil, err
			}
		}
		if err := write(string(v)+".ps1", plan.PowerShell(p.View(v))); err != nil {
			return nil, err
		}
	}
	if err := write("records.csv", plan.CSV(p.Internal, p.External)); err != nil {
		return nil, err
	}
	var cb strings.Builder
	cw := csv.NewWriter(&cb)
	cw.Write([]string{"server", "subject", "name", "reason"})
	for _, c := range p.Certificates {
		for _, n := range c.Names {
			cw.Write([]string{c.Server, c.Subject, n.Name, n.Reason})
		}
	}
	cw.Flush()
	if err := write("certificates.csv", cb.String()); err != nil {
		return nil, err
	}
	if err := write("plan.md", plan.Markdown(p, plan.Internal, plan.External)); err != nil {
		return nil, err
	}
	j, _ := json.MarshalIndent(p, "", "  ")
	if err := write("plan.json", string(j)+"\n"); err != nil {
		return nil, err
	}
	return files, nil
}

// checkPlan loads each view's generated BIND text into a zone.Set, as the
// planned-zone analyzer would, and runs plan.Check.
func checkPlan(ctx context.Context, p *plan.Plan, views []plan.View) ([]plan.Result, error) {
	resolvers := map[plan.View]engine.Resolver{}
	for _, v := range views {
		set := new(zone.Set)
		names, texts := zonesText(p, v)
		for i := range names {
			if err := set.Add("", texts[i], names[i]); err != nil {
				return nil, fmt.Errorf("generated zone does not load: %v", err)
			}
		}
		resolvers[v] = set
	}
	return plan.Check(ctx, p, resolvers)
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

//go:build !firstmodule

// The domain report (package domainreport) is rendered by every build but
// the analyzer's first WebAssembly module (the tag firstmodule), which
// links none of it: the domain page runs in the second module
// (docs/adr/0005-wasm-size.md).

package templates

import (
	"fmt"
	"io"
	"strings"

	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
)

// WriteDomainText writes the domain report as text for a terminal: the
// Teams Only gate and the federation path first, then every record and
// where it points, then the findings. Every value from DNS is escaped for
// the terminal, as in WriteText.
func WriteDomainText(w io.Writer, r *domainreport.Report) error {
	p := &printer{w: w, esc: terminalSafe}
	writeDomain(p, r)
	return p.err
}

// pointsText says where a record points, in words.
func pointsText(points string) string {
	switch points {
	case domainreport.PointsMicrosoft365:
		return "Microsoft 365"
	case domainreport.PointsWildcard:
		return "a wildcard's answer"
	case domainreport.PointsUnknown:
		return "unknown (the lookup failed)"
	}
	return points
}

func writeDomain(p *printer, r *domainreport.Report) {
	p.line("%s", r.Domain)
	if r.View != engine.ViewUnknown {
		p.line("  Answers: the %s view", string(r.View))
	}
	gate := "ready: the lyncdiscover record does not block the switch"
	switch {
	case len(r.TeamsOnly.Blocking) > 0:
		gate = "blocked by " + strings.Join(r.TeamsOnly.Blocking, ", ")
	case !r.TeamsOnly.Ready:
		gate = "unknown: a lookup failed"
	}
	p.line("  Teams Only: %s", gate)
	fed := map[string]string{
		domainreport.FederationOK:      "works",
		domainreport.FederationFail:    "broken",
		domainreport.FederationNone:    "no _sipfederationtls._tcp record",
		domainreport.FederationUnknown: "unknown: a lookup failed",
	}[r.Federation.Outcome]
	if r.Federation.Target != "" {
		fed += " (" + r.Federation.Target
		if r.Federation.Hosted {
			fed += ", Microsoft 365"
		}
		fed += ")"
	}
	p.line("  Federation: %s", fed)
	p.line("")
	p.line("Records")
	for _, rec := range r.Records {
		where := pointsText(rec.Points)
		if len(rec.Targets) > 0 && rec.Points != domainreport.PointsWildcard {
			where += ": " + strings.Join(rec.Targets, ", ")
		}
		p.line("  %-34s %-4s %s", rec.Name, rec.Type.String(), where)
		p.line("  %-34s      %s", "", rec.Role)
	}
	if len(r.Findings) == 0 {
		return
	}
	p.line("")
	p.line("Findings")
	for _, f := range engine.BySeverity(r.Findings) {
		p.line("  %s %s: %s", strings.ToUpper(string(f.Severity)), string(f.Kind), f.Message)
		if f.Fix != "" {
			p.line("    Fix: %s", f.Fix)
		}
	}
}

// DomainSummary is one line on a domain report, for several domains in
// one run: "contoso.com: Teams Only blocked by lyncdiscover.contoso.com;
// federation works".
func DomainSummary(r *domainreport.Report) string {
	gate := "ready"
	switch {
	case len(r.TeamsOnly.Blocking) > 0:
		gate = "blocked by " + strings.Join(r.TeamsOnly.Blocking, ", ")
	case !r.TeamsOnly.Ready:
		gate = "unknown"
	}
	return terminalSafe(fmt.Sprintf("%s: Teams Only %s; federation %s", r.Domain, gate, r.Federation.Outcome))
}

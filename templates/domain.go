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
	return WriteDomainTextWith(w, r, false)
}

// WriteDomainTextWith is WriteDomainText, in colour when color is set:
// the Teams Only and federation verdicts green when ready or working, red
// when blocked or broken, bold headings, severities in colour. The words
// are the same without it.
func WriteDomainTextWith(w io.Writer, r *domainreport.Report, color bool) error {
	p := &printer{w: w, esc: terminalSafe}
	writeDomain(p, r, color)
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

func writeDomain(p *printer, r *domainreport.Report, color bool) {
	p.line(paint(color, sgrBold, "%s"), r.Domain)
	if r.View != engine.ViewUnknown {
		p.line("  Answers: the %s view", string(r.View))
	}
	word, gate := gateOf(r)
	p.line("  Teams Only: "+paint(color, map[string]string{GateReady: sgrGreen, GateBlocked: sgrRed}[word], "%s"), gate)
	fed := federationText(r.Federation)
	p.line("  Federation: "+paint(color, map[string]string{domainreport.FederationOK: sgrGreen, domainreport.FederationFail: sgrRed}[r.Federation.Outcome], "%s"), fed)
	p.line("")
	p.line(paint(color, sgrBold, "%s"), "Records")
	for _, rec := range r.Records {
		where := pointsText(rec.Points)
		if len(rec.Targets) > 0 && rec.Points != domainreport.PointsWildcard {
			where += ": " + strings.Join(rec.Targets, ", ")
		}
		p.line("  %-34s %-4s %s", rec.Name, rec.Type.String(), where)
		p.line("  %-34s      %s", "", rec.Role)
	}
	if o := r.Observed; o != nil {
		writeDomainObserved(p, o)
	}
	if len(r.Findings) == 0 {
		return
	}
	p.line("")
	p.line(paint(color, sgrBold, "%s"), "Findings")
	for _, f := range engine.BySeverity(r.Findings) {
		p.line("  "+paint(color, severityColor(f.Severity), "%s")+" %s: %s", strings.ToUpper(string(f.Severity)), string(f.Kind), f.Message)
		if f.Fix != "" {
			p.line("    Fix: %s", f.Fix)
		}
	}
}

// DomainSummary is one line on a domain report, for several domains in
// one run: "contoso.com: Teams Only blocked by lyncdiscover.contoso.com;
// federation works".
func DomainSummary(r *domainreport.Report) string {
	gate, _ := gateOf(r)
	words := map[string]string{GateBlocked: "blocked by " + strings.Join(r.TeamsOnly.Blocking, ", "), GateUnknown: "unknown", GateReady: "ready"}[gate]
	return terminalSafe(fmt.Sprintf("%s: Teams Only %s; federation %s", r.Domain, words, r.Federation.Outcome))
}

// gateOf returns the Teams Only verdict of r (GateBlocked, GateUnknown
// or GateReady) and says it in words, for the page and the text alike.
func gateOf(r *domainreport.Report) (gate, text string) {
	switch {
	case len(r.TeamsOnly.Blocking) > 0:
		return GateBlocked, "Blocked by " + strings.Join(r.TeamsOnly.Blocking, ", ")
	case !r.TeamsOnly.Ready:
		return GateUnknown, "Unknown: a lookup failed"
	}
	return GateReady, "Ready: the lyncdiscover record does not block the switch"
}

// federationText says the federation path in words, with its server and
// whether Microsoft 365 hosts it.
func federationText(f domainreport.Federation) string {
	text := map[string]string{
		domainreport.FederationOK:      "Works",
		domainreport.FederationFail:    "Broken",
		domainreport.FederationNone:    "None: no _sipfederationtls._tcp record",
		domainreport.FederationUnknown: "Unknown: a lookup failed",
	}[f.Outcome]
	if f.Target != "" {
		text += " (" + f.Target
		if f.Hosted {
			text += ", Microsoft 365"
		}
		text += ")"
	}
	return text
}

// writeDomainObserved prints what --connect saw: the federation server's
// handshake, certificate, TLS versions and answer, and the Autodiscover
// requests.
func writeDomainObserved(p *printer, o *domainreport.Observed) {
	p.line("")
	p.line("Observed (--connect; nothing secret sent)")
	for _, s := range o.Skipped {
		p.line("  Not contacted. %s", s)
	}
	if f := o.Federation; f != nil {
		a := f.Attempt
		p.line("  Federation server %s", engine.Endpoint(a.Host, a.Port, a.Transport))
		if a.Remote != "" {
			p.line("    Connected to %s", a.Remote)
		}
		if t := a.TLS; t != nil {
			p.line("    TLS: %s, %s", t.Version, t.CipherSuite)
			if len(t.Chain) > 0 {
				c := t.Chain[0]
				p.line("    Certificate: %s, names %s, valid until %s", c.Subject, strings.Join(c.DNSNames, ", "), c.NotAfter.UTC().Format("2006-01-02"))
			}
			for _, tr := range t.Trust {
				if tr.Trusted {
					p.line("    Trusted by the %s roots", tr.Roots)
				} else {
					p.line("    Not trusted by the %s roots: %s", tr.Roots, tr.Problem)
				}
			}
		}
		var vs []string
		for _, v := range f.TLS {
			word := "refused"
			if v.Accepted {
				word = "accepted"
			}
			vs = append(vs, v.Version+" "+word)
		}
		if len(vs) > 0 {
			p.line("    TLS versions: %s", strings.Join(vs, ", "))
		}
		switch {
		case a.Response != nil:
			p.line("    OPTIONS: %s", a.Response.StartLine)
		case a.Failure != nil:
			p.line("    %s: %s", a.Failure.Stage, a.Failure.Message)
		}
	}
	if ad := o.Autodiscover; ad != nil {
		p.line("  Autodiscover")
		for _, rq := range ad.Requests {
			what := "no answer"
			switch {
			case rq.Status > 0:
				what = fmt.Sprintf("%d", rq.Status)
			case rq.Failure != nil:
				what = rq.Failure.Message
			}
			p.line("    GET %s: %s", rq.URL, what)
		}
	}
}

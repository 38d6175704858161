package templates

import (
	"io"
	"strings"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
)

// WriteComparisonText writes two reports of one address, inside and
// outside, as `sipdisco check --compare` prints them: each view's
// verdict and where its answers came from, then every aspect side by
// side with the differences marked, then each report in full. Values are
// made safe for a terminal, as WriteText makes them.
func WriteComparisonText(w io.Writer, inside, outside *engine.Report, rows []check.DiffRow) error {
	p := &printer{w: w, esc: terminalSafe}
	p.line("%s: the inside view against the outside view", inside.URI)
	for _, v := range []struct {
		name string
		r    *engine.Report
	}{{"Inside", inside}, {"Outside", outside}} {
		from := ""
		if v.r.Resolver != nil {
			from = " (" + v.r.Resolver.Description + ")"
		}
		p.line("%s%s: %s: %s", v.name, from, strings.ToUpper(string(v.r.Outcome)), verdict(v.r))
	}
	n := 0
	for _, d := range rows {
		if d.Differs {
			n++
		}
	}
	p.line("\nWHAT DIFFERS (%d of %d aspects)", n, len(rows))
	for _, d := range rows {
		mark := "  "
		if d.Differs {
			mark = "≠ "
		}
		p.line("%s%s", mark, d.Aspect)
		p.line("      inside:  %s", d.A)
		p.line("      outside: %s", d.B)
	}
	for _, v := range []struct {
		name string
		r    *engine.Report
	}{{"INSIDE", inside}, {"OUTSIDE", outside}} {
		p.line("\n=== %s", v.name)
		if p.err == nil {
			p.err = WriteText(w, v.r)
		}
	}
	return p.err
}

//go:build !firstmodule

package templates

import (
	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/engine"
)

// What the real servers answered (a report's probe, sipdisco check
// --connect) is rendered by every build but the analyzer's first
// WebAssembly module, which is built with the tag firstmodule
// (web.BuildWASM) and links none of it (probe_first.go,
// docs/adr/0005-wasm-size.md).

// ProbeRendered reports whether this build renders a report's probe:
// NewReportView, Report, WriteText and WriteMarkdown show what the
// servers answered. It is false only in the analyzer's first module.
const ProbeRendered = true

func probeView(p *engine.Probe) *ProbeView {
	if p == nil {
		return nil
	}
	return NewProbeView(p)
}

// probeHTML is the report's section of what the servers answered.
func probeHTML(p ProbeView, id string) templ.Component { return probeSection(p, id) }

// probeText writes what the servers answered through f.
func probeText(p *printer, f format, pr *engine.Probe) { writeProbe(p, f, pr) }

package templates

import (
	"context"
	"errors"
	"io"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/engine"
)

// What the real servers answered (a report's probe, sipdisco check
// --connect) is rendered through these hooks, which InstallProbe sets:
// natively always (probehook_native.go), in WebAssembly only by the
// second module, so that the analyzer's first module, which never
// observes a server and hands a report with a probe to the second, links
// none of the probe's rendering (docs/adr/0005-wasm-size.md).
var (
	probeViewHook  func(*engine.Probe) *ProbeView
	probeHTMLHook  func(ProbeView, string) templ.Component
	probeTextHook  func(*printer, format, *engine.Probe)
	errProbeHidden = errors.New("templates: a report with what the servers answered is rendered where InstallProbe was called (the page's second module)")
)

// InstallProbe makes reports render their probe: NewReportView, Report,
// WriteText and WriteMarkdown then show what the servers answered. Native
// programs have it installed; the WebAssembly module that shows such
// reports calls it once at start.
func InstallProbe() {
	probeViewHook, probeHTMLHook, probeTextHook = NewProbeView, probeSection, writeProbe
}

// ProbeInstalled reports whether InstallProbe was called.
func ProbeInstalled() bool { return probeHTMLHook != nil }

func probeView(p *engine.Probe) *ProbeView {
	if p == nil || probeViewHook == nil {
		return nil
	}
	return probeViewHook(p)
}

// probeHTML is the report's section of what the servers answered.
func probeHTML(p ProbeView, id string) templ.Component {
	if probeHTMLHook == nil {
		return templ.ComponentFunc(func(context.Context, io.Writer) error { return errProbeHidden })
	}
	return probeHTMLHook(p, id)
}

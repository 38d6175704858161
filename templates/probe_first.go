//go:build firstmodule

package templates

import (
	"context"
	"errors"
	"io"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/engine"
)

// The analyzer's first WebAssembly module (built with the tag
// firstmodule) never observes a server and hands a report with a probe
// to the second module, so it links none of the probe's rendering
// (docs/adr/0005-wasm-size.md): a report view has no probe, and
// rendering one as text, Markdown or its section fails with
// errProbeHidden.

// ProbeRendered reports whether this build renders a report's probe: not
// in the analyzer's first module.
const ProbeRendered = false

var errProbeHidden = errors.New("templates: a report with what the servers answered is rendered by the page's second module, not this one")

func probeView(*engine.Probe) *ProbeView { return nil }

func probeHTML(ProbeView, string) templ.Component {
	return templ.ComponentFunc(func(context.Context, io.Writer) error { return errProbeHidden })
}

func probeText(p *printer, _ format, _ *engine.Probe) { p.err = errProbeHidden }

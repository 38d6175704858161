//go:build firstmodule

package check

import "github.com/sipdisco/sipdisco/engine"

// validateProbe does not look inside an observation in the browser's
// first module (the tag firstmodule): that module reads nothing of it.
// It hands every report that carries one to the second module before
// rendering, exporting or using any of it (wasm.withoutProbe), and the
// second module decodes the link again and validates the observation in
// full (probe_validate.go). Leaving the observation's validation, most of
// it the Autodiscover observation's, out of the first module keeps it
// within its size budget (docs/adr/0005-wasm-size.md).
func validateProbe(*engine.Probe) error { return nil }

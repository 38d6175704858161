//go:build !firstmodule

package check

import "github.com/sipdisco/sipdisco/engine"

// validateProbe checks the shape of what the servers answered
// (engine.Probe.Validate): bounds and known enumerations.
func validateProbe(p *engine.Probe) error { return p.Validate() }

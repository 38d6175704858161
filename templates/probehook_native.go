//go:build !js

package templates

// Natively every program renders a report's probe.
func init() { InstallProbe() }

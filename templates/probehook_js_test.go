//go:build js

package templates

// The tests render reports with a probe as the second module does.
func init() { InstallProbe() }

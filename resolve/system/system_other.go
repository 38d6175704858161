//go:build js || wasip1

package system

import "errors"

// New fails: a browser or a WASI host has no DNS of its own that a
// program can ask.
func New() (Resolver, error) {
	return nil, errors.New("the system's DNS resolver cannot be asked from here; use a DoH resolver")
}

//go:build js

package engine

import "golang.org/x/net/idna"

// The engine's tests under Node convert names as the native build does.
func init() { SetIDNA(idna.Lookup.ToASCII) }

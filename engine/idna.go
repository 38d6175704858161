//go:build !js

package engine

import "golang.org/x/net/idna"

// toASCII converts a domain with non-ASCII letters to A-labels: the UTS
// #46 lookup profile of golang.org/x/net/idna (RFC 5891 §5, Unicode
// Technical Standard #46 §4).
func toASCII(name string) (string, error) { return idna.Lookup.ToASCII(name) }

//go:build !firstmodule

package engine

import "golang.org/x/net/idna"

// toASCII converts a domain with non-ASCII letters to A-labels: the UTS
// #46 lookup profile of golang.org/x/net/idna (RFC 5891 §5, Unicode
// Technical Standard #46 §4). Every build has it but the analyzer's first
// WebAssembly module (idna_first.go).
func toASCII(name string) (string, error) { return idna.Lookup.ToASCII(name) }

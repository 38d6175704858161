//go:build firstmodule

package engine

import "errors"

// The analyzer's first WebAssembly module is built with the tag
// firstmodule (web.BuildWASM) and has no conversion of internationalized
// names: its tables are about 74 KB brotli, and the module hands a check
// with such a name to its second module (docs/adr/0005-wasm-size.md).
// Every other build converts them (idna.go).

// errNoIDNA is the error of a conversion in the first module.
var errNoIDNA = errors.New("internationalized names are read by the planner module, which this module is not")

func toASCII(string) (string, error) { return "", errNoIDNA }

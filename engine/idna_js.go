//go:build js

package engine

import "errors"

// In WebAssembly the conversion of internationalized names is installed
// by the module that needs it (SetIDNA, which engine/idn calls): its
// tables are about 74 KB brotli, and the analyzer's first module, which
// has none, hands a check with such a name to its second module
// (docs/adr/0005-wasm-size.md). As crypto.RegisterHash does for hashes,
// this keeps the tables out of programs that never convert a name.

var idnaToASCII func(string) (string, error)

// errNoIDNA is the error of a conversion in a WebAssembly module without
// one.
var errNoIDNA = errors.New("internationalized names are read by the planner module, which this module is not")

// SetIDNA installs the conversion of internationalized names to A-labels
// in a WebAssembly build (engine/idn installs golang.org/x/net/idna's).
// It must be called before any check, and is not safe to call
// concurrently with one.
func SetIDNA(toASCII func(string) (string, error)) { idnaToASCII = toASCII }

func toASCII(name string) (string, error) {
	if idnaToASCII == nil {
		return "", errNoIDNA
	}
	return idnaToASCII(name)
}

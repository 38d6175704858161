//go:build js

package audit

// In WebAssembly the conversion of internationalized names is installed
// by the program that needs it (engine.SetIDNA); the audit's tests use
// it, as the tools module does.
import _ "github.com/sipdisco/sipdisco/engine/idn"

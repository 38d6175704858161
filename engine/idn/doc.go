// Package idn installs the conversion of internationalized domain names
// (golang.org/x/net/idna's UTS #46 lookup profile) in a WebAssembly build
// of the engine, which leaves it out unless a program imports this
// package (see engine.SetIDNA). Native builds always have it; importing
// this package there does nothing.
//
// The analyzer's second WebAssembly module imports it; the first does
// not, and hands a check with a non-ASCII name to the second.
package idn

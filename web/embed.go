package web

import "io/fs"

// EmbedTag is the build tag of a release binary: built with it, the
// binary carries the compiled analyzer (EngineWASM and EngineTools as .br,
// and EngineWASMExec, under EmbedDir of this package), supplied at build time by an -overlay
// file so that nothing built is ever written into the source tree (see
// cmd/release).
const EmbedTag = "sipdisco_site"

// EmbedDir is the folder of this package that the release overlay fills.
const EmbedDir = "dist"

// Embedded returns the compiled analyzer built into this binary, for
// BuildOptions.Engine, or nil in a development build (one without
// EmbedTag), which builds ./wasm from the source tree instead.
func Embedded() fs.FS { return embedded() }

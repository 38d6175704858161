// Package layers names the layers of sipdisco's module and the arrows
// allowed between them; its test holds every package of the module to
// them, for the native build and for the browser's (GOOS=js GOARCH=wasm).
//
// From the bottom up:
//
//	base         internal helpers with no part of sipdisco below them
//	core         engine: the pure discovery core
//	domain       what builds on the core without I/O: the sign-in
//	             simulation, certificates, plans, audits, the probe's
//	             judge, the demo zones
//	dns          answers from somewhere: DNS-over-HTTPS, plain DNS, the
//	             machine's resolvers, zone files
//	application  check: one Options, one Run, links and snapshots
//	rendering    templates: view models and components
//	delivery     the site (web), the browser bridge and the snapshot codec,
//	             the terminal
//	programs     the command line, the release tool, the WebAssembly mains
//
// A package may import packages of its own layer and of the layers below
// it, never above (an "arrow up"), and some arrows that the layers would
// allow are banned for a reason of their own (Bans). Test support
// (internal/dnstest, internal/siptest) is for tests only. The packages of
// the pure layers read no clock, use no global random source and do no
// I/O: what a report says depends only on its inputs.
//
// The package holds data only; nothing imports it. Adding a package: give
// its folder a layer in Layers (the longest matching prefix decides), or
// the test fails.
package layers

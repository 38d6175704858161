// Package templates renders sipdisco's web pages and report fragments with
// templ (github.com/a-h/templ).
//
// Every component takes a view struct, built by a pure function from engine
// data (NewReportView from an *engine.Report, NewProfileDoc from an
// *engine.Profile), so that what is shown can be tested without HTML, and
// so that the same components render the static site on the host and the
// report fragment inside the WebAssembly analyzer.
//
// Everything that comes from DNS, SIP or a URL is plain text and is escaped
// by templ; the package never uses templ.Raw. The generated *_templ.go files
// are committed; regenerate them with `go tool templ generate`.
//
// What it deliberately does not do: run discovery, talk to the network, or
// decide anything about a report that the engine did not say.
package templates

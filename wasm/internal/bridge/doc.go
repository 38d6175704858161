//go:build js && wasm

// Package bridge is what the analyzer's two WebAssembly modules share at
// the boundary with JavaScript: functions that return a Promise and run
// in a goroutine (Promise), values crossing as JSON only (ToJS), the
// browser's fetch as DNS-over-HTTPS's round trip (FetchRoundTrip), and
// the steps of a check from the form's controls or a link to its
// rendered report (ReadInput, Finish).
//
// The first module (package wasm) must link neither crypto/tls,
// crypto/x509, net/http, html/template nor regexp, so this package uses
// none: DNS goes through dohclient, rendering through templates.
// web's TestFirstModuleDependencies holds it to that.
//
// What it deliberately does not do: touch the DOM, keep state between
// calls, or log.
package bridge

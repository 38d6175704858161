//go:build js && wasm

// Command wasm is the sipdisco analyzer compiled to WebAssembly
// (GOOS=js GOARCH=wasm); package web serves it as main.wasm. It is the only
// package that imports syscall/js.
//
// It installs one global object, sipdisco, whose functions each return a
// Promise and do their work in a goroutine:
//
//	sipdisco.check(options[, onStep])  → {report, html, query, snapshot, markdown}
//	sipdisco.render(reportJSON)        → html
//	sipdisco.decodeShare(fragment)     → {report, html, takenAt, doh}
//	sipdisco.parseQuery(search)        → {found, options}
//	sipdisco.parseZone(text)           → {ok, records}
//
// options is the JSON (string or object) of share.Options. onStep, when
// given, is called with {question, type, state, rcode, ms, error} as each
// DNS question is sent and answered, so the page can show progress. Bad
// arguments, failures and panics reject the promise with an Error whose
// message says what was wrong; nothing is ever logged instead.
//
// DNS-over-HTTPS goes through the browser's fetch (see fetch.go), so that
// net/http's client stays out of the binary.
//
// What it deliberately does not do: touch the DOM (the loader web/static/app.js
// puts the returned HTML in place) or keep any state between calls.
package main

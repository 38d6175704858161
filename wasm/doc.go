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
// registerPlan (plan.go, views.go) adds the plan and comparison pages'
// functions: plan, parsePlan, checkCert, compare, matrix, parseViews.
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
// Size (Go 1.26.8, GOOS=js GOARCH=wasm, -trimpath -gcflags=all=-l
// -ldflags="-s -w", as web.BuildWASM builds it; measured 2026-11-25 with
// `go test -v -run TestWASMSize ./web`):
//
//	                                   raw        gzip -9    brotli -q 11
//	empty program + syscall/js         2.11 MB    0.55 MB    0.41 MB
//	+ templ runtime alone              6.37 MB    1.64 MB    1.20 MB
//	main.wasm (everything)            10.71 MB    2.40 MB    1.68 MB
//
// The budget is 1.5 MB brotli; main.wasm is over it by about 0.18 MB. What
// dominates is templ's runtime package, which imports net/http (and with it
// crypto/tls, x509, html/template and reflection that keeps methods alive)
// for its HTTP handler: 0.78 MB of the 1.68. The engine, miekg/dns with its
// zone-file parser (for planned zones), IDNA tables, JSON and the templates
// together are 0.48 MB. Inlining is turned off because it compresses 13%
// better (1.94 MB → 1.68 MB brotli with it on); binaryen's wasm-opt -Oz
// gains only 1% more and takes two minutes, so it is not used.
//
// What it deliberately does not do: touch the DOM (the loader web/static/app.js
// puts the returned HTML in place) or keep any state between calls.
package main

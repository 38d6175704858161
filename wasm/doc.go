//go:build js && wasm

// Command wasm is the analyzer's first WebAssembly module (main.wasm), the
// one the analyzer page loads: a live check through DNS-over-HTTPS, a
// snapshot link, the sign-in ladder and the Markdown export, in about
// 1 MB brotli (docs/adr/0005-wasm-size.md; web.TestWASMSize holds it to
// the budget of 1,000,000 bytes, web.TestFirstModuleDependencies keeps crypto/tls,
// crypto/x509, net/http, html/template, regexp, miekg/dns and the IDNA
// tables out of it). It is built and tested with the tag firstmodule
// (FirstModuleTags in package web), which leaves the conversion of
// internationalized names out of the engine and the rendering of what
// real servers answered out of templates. Everything else is the second
// module's, wasm/tools.
// Package web builds both, in the workspace wasm/wasm.work, and the page
// runs each in a Web Worker.
//
// It installs one global object, sipdisco, whose functions each return a
// Promise and do their work in a goroutine:
//
//	sipdisco.check(input[, onStep])  → {report, html, query, snapshot, form, more}
//	sipdisco.decodeShare(fragment)   → {found, report, html, takenAt, doh, form, more}
//	sipdisco.parseQuery(search)      → {found, resolver, uri, form, more}
//	sipdisco.markdown(reportJSON)    → the report as Markdown
//	sipdisco.render(reportJSON)      → html (check --json of one address too)
//	sipdisco.warm()                  → milliseconds spent
//
// input is a live link's query string ("?uri=…") or the form's controls
// ([{name, value, type, checked}], check.ReadForm). A check with a planned
// zone, a pasted certificate or an internationalized name rejects with
// needs "tools": the page repeats it in the second module. So do render,
// markdown and decodeShare for a report with what the real servers
// answered (check --connect): this module links none of its rendering. onStep, when
// given, is called with {question, type, state, rcode, ms, error} as each
// DNS question is sent and answered. Bad arguments, failures and panics
// reject the promise with an Error whose message says what was wrong;
// nothing is ever logged instead.
//
// What it deliberately does not do: touch the DOM (the page's scripts put
// the returned HTML in place), keep state between calls, or link anything
// the analyzer page does not need on its first load.
package main

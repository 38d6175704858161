// Package templ is sipdisco's stand-in for the runtime of
// github.com/a-h/templ in the analyzer's WebAssembly modules: the few
// names the generated *_templ.go files of package templates call, with
// the same output, and nothing else.
//
// The real package's root imports net/http (for templ.Handler) and
// html/template (for FromGoHTML), and its safehtml package regexp; in a
// WebAssembly module those links cost several hundred kilobytes brotli
// (docs/adr/0005-wasm-size.md). This module is used only through the
// workspace file wasm/wasm.work (GOWORK), which replaces
// github.com/a-h/templ with this folder for the WebAssembly builds; every
// native build, and templ generate, use the real module.
//
// It renders what the templates use: text and attribute values escaped
// as html.EscapeString escapes them, URL attributes sanitized as templ.URL
// sanitizes them, class lists of strings and templ.KV pairs, and spread
// attributes whose names are aria-* or plain data-*. Anything else (CSS
// components, script components, other spread attributes) is an error at
// render time, never different HTML. TestShimRendersAlike in package
// templates renders every page and every demo report through both and
// wants the same bytes.
package templ

// Package web builds and serves the sipdisco static site.
//
// Build writes the whole site into one folder: the pages rendered with
// package templates, the style sheet and loader from static/ (embedded),
// Go's wasm_exec.js and the analyzer's main.wasm (built from ./wasm, or
// copied from a prebuilt file). Assets get content-hashed names so that
// they can be cached for a year; pages are revalidated on every visit.
//
// Handler serves such a folder with the same headers as netlify.toml —
// Content-Security-Policy, Referrer-Policy, caching, application/wasm — and
// mounts a DNS-over-HTTPS handler at /dns-query.
//
// What it deliberately does not do: decide anything about discovery, or
// listen on a network address (the caller does; sipdisco serve keeps it on
// loopback).
package web

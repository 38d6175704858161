// Package web builds and serves the sipdisco static site.
//
// BuildSite renders the whole site in memory (Site): the pages rendered
// with package templates, the style sheet and scripts from static/
// (embedded), Go's wasm_exec.js and the analyzer's main.wasm with a
// gzip-compressed copy. The analyzer comes from BuildOptions.Engine (what
// a release binary carries, see Embedded and EmbedTag), a prebuilt file,
// or a build of ./wasm with the go command. Build writes a Site into a
// folder, refusing one that holds anything else. Assets get content-hashed
// names so that they can be cached for a year; pages are revalidated on
// every visit. Only pages and assets are published: no manifest.
//
// Handler serves a site from any fs.FS with the same headers as
// netlify.toml — Content-Security-Policy, Referrer-Policy, caching,
// application/wasm — and mounts a DNS-over-HTTPS handler at /dns-query.
// It checks every request path once before any rule, lists no folders, and
// refuses request bodies larger than a DNS message.
//
// What it deliberately does not do: decide anything about discovery, or
// listen on a network address (the caller does; sipdisco serve keeps it on
// loopback and bounds its connections).
package web

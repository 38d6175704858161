// Package jsasync waits, from Go compiled to WebAssembly, for what the
// browser does asynchronously: a JavaScript promise (Await) and a
// readable stream read up to a limit (ReadStream), both cancelled through
// an AbortController when the context ends. The fetch of the DoH client
// (wasm/internal/bridge) and the snapshot codec's Compression Streams
// (check/snapshot) use it.
//
// It is built for GOOS=js only, and deliberately does nothing else: no
// DOM, no global state, no logging.
package jsasync

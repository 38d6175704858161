//go:build js && wasm

package bridge

import (
	"sync"
	"syscall/js"
)

func jsNew(class string) js.Value { return js.Global().Get(class).New() }

// marked holds the marks made (Mark).
var marked sync.Map

// Mark records, the first time only, a moment of the module's start in
// the worker's performance timeline as sipdisco:NAME: Go's main running,
// the first check's answers, its rendering. worker.js sends the marks to
// the page when asked (web.BenchmarkTimeToVerdict asks); until then they
// cost a call each.
func Mark(name string) {
	if _, done := marked.LoadOrStore(name, true); done {
		return
	}
	if p := js.Global().Get("performance"); p.Truthy() && p.Get("mark").Truthy() {
		p.Call("mark", "sipdisco:"+name)
	}
}

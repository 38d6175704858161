//go:build js && wasm

package bridge

import "syscall/js"

func jsNew(class string) js.Value { return js.Global().Get(class).New() }

//go:build js && wasm

package bridge

import (
	"context"
	"syscall/js"
)

func jsGlobal(name string) js.Value { return js.Global().Get(name) }

func jsNew(class string) js.Value { return js.Global().Get(class).New() }

// jsFunc wraps f as a JavaScript function; the caller releases it.
func jsFunc(f func()) js.Func {
	return js.FuncOf(func(js.Value, []js.Value) any { f(); return nil })
}

func toUint8Array(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// readStream reads at most limit bytes from reader, a
// ReadableStreamDefaultReader of Uint8Array chunks (the Streams
// standard), and cancels the stream once it holds limit bytes. ac is
// aborted too then, and when ctx ends first.
func readStream(ctx context.Context, ac, reader js.Value, limit int) ([]byte, error) {
	var out []byte
	for len(out) < limit {
		r, err := Await(ctx, ac, reader.Call("read"))
		if err != nil {
			return nil, err
		}
		if r.Get("done").Truthy() {
			return out, nil
		}
		chunk := r.Get("value")
		n := min(chunk.Get("length").Int(), limit-len(out))
		buf := make([]byte, n)
		js.CopyBytesToGo(buf, chunk.Call("subarray", 0, n))
		out = append(out, buf...)
	}
	// Enough to know it is too large: stop. cancel returns a promise that
	// nobody needs to wait for.
	reader.Call("cancel")
	ac.Call("abort")
	return out, nil
}

//go:build js && wasm

package jsasync

import (
	"context"
	"errors"
	"syscall/js"
)

// Await waits for the promise p to settle. When ctx is done first it
// aborts the request ac controls and still waits for p (abort settles it
// at once), so that the callbacks are never released while p may call
// them.
func Await(ctx context.Context, ac, p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any {
		v := js.Undefined()
		if len(a) > 0 {
			v = a[0]
		}
		ch <- result{v: v}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any {
		msg := "unknown error"
		if len(a) > 0 {
			if m := a[0].Get("message"); m.Type() == js.TypeString {
				msg = m.String()
			} else {
				msg = js.Global().Call("String", a[0]).String()
			}
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		ac.Call("abort")
		<-ch
		return js.Undefined(), ctx.Err()
	}
}

// ReadStream reads at most limit bytes from reader, a
// ReadableStreamDefaultReader of Uint8Array chunks (the Streams
// standard), and cancels the stream once it holds limit bytes. ac is
// aborted too then, and when ctx ends first.
func ReadStream(ctx context.Context, ac, reader js.Value, limit int) ([]byte, error) {
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

// Uint8Array returns a new JavaScript Uint8Array holding a copy of b.
func Uint8Array(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

//go:build js && wasm

package bridge

import (
	"context"
	"strings"
	"syscall/js"
	"testing"
)

// TestReadBodyStops reads a response whose body would be 100 MiB: the
// reading stops just past the 64 KiB the clients accept, having pulled
// only a few chunks from the stream.
func TestReadBodyStops(t *testing.T) {
	pulls := 0
	chunk := js.Global().Get("Uint8Array").New(16 << 10)
	pull := js.FuncOf(func(_ js.Value, a []js.Value) any {
		pulls++
		if pulls > 6400 {
			a[0].Call("close")
		} else {
			a[0].Call("enqueue", chunk)
		}
		return nil
	})
	defer pull.Release()
	src := js.Global().Get("Object").New()
	src.Set("pull", pull)
	stream := js.Global().Get("ReadableStream").New(src)
	resp := js.Global().Get("Response").New(stream)
	body, err := readBody(context.Background(), jsNew("AbortController"), resp, MaxFetchBody)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) != MaxFetchBody || pulls > 16 {
		t.Errorf("read %d bytes in %d pulls; want %d bytes and a handful of pulls", len(body), pulls, MaxFetchBody)
	}
}

func TestPanicRejects(t *testing.T) {
	f := Promise(func(context.Context, []js.Value) (any, error) { panic("boom") })
	defer f.Release()
	_, err := Await(context.Background(), jsNew("AbortController"), f.Invoke())
	if err == nil || !strings.Contains(err.Error(), "internal error in the analyzer: boom") {
		t.Errorf("panic: error %v; want a rejection naming it", err)
	}
}

//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"syscall/js"

	"github.com/sipdisco/sipdisco/dohclient"
)

// maxFetchBody caps what is copied out of a fetch response; dohclient
// rejects bodies over its own cap (64 KiB), so one byte more is enough
// for it to see the overflow.
const maxFetchBody = dohclient.DefaultMaxBody + 1

// fetchRoundTrip is a dohclient.RoundTrip over the browser's fetch: no
// cookies, no referrer, cancelled through an AbortController when ctx is
// done. It keeps net/http's client out of the WebAssembly binary.
func fetchRoundTrip(ctx context.Context, req *dohclient.Request) (*dohclient.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ac := js.Global().Get("AbortController").New()
	headers := js.Global().Get("Object").New()
	for k, v := range req.Header {
		headers.Set(k, v)
	}
	init := js.Global().Get("Object").New()
	init.Set("method", req.Method)
	init.Set("headers", headers)
	init.Set("credentials", "omit")
	init.Set("referrerPolicy", "no-referrer")
	init.Set("mode", "cors")
	init.Set("signal", ac.Get("signal"))
	if req.Body != nil {
		b := js.Global().Get("Uint8Array").New(len(req.Body))
		js.CopyBytesToJS(b, req.Body)
		init.Set("body", b)
	}
	resp, err := await(ctx, ac, js.Global().Call("fetch", req.URL, init))
	if err != nil {
		return nil, fetchError(req.URL, err)
	}
	status := resp.Get("status").Int()
	ct := resp.Get("headers").Call("get", "content-type")
	contentType := ""
	if ct.Type() == js.TypeString {
		contentType = ct.String()
	}
	buf, err := await(ctx, ac, resp.Call("arrayBuffer"))
	if err != nil {
		return nil, fetchError(req.URL, err)
	}
	arr := js.Global().Get("Uint8Array").New(buf)
	n := arr.Length()
	if n > maxFetchBody {
		n = maxFetchBody
	}
	body := make([]byte, n)
	js.CopyBytesToGo(body, arr.Call("subarray", 0, n))
	return &dohclient.Response{Status: status, ContentType: contentType, Body: io.NopCloser(bytes.NewReader(body))}, nil
}

// await waits for p to settle. When ctx is done first it aborts the
// request and still waits for p (abort settles it at once), so that the
// callbacks are never released while p may call them.
func await(ctx context.Context, ac, p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any {
		ch <- result{v: a[0]}
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

// fetchError explains a fetch that got no response. Browsers say only
// "Failed to fetch" for network errors and CORS refusals alike.
func fetchError(endpoint string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	host := endpoint
	if u, perr := url.Parse(endpoint); perr == nil {
		host = u.Host
	}
	return fmt.Errorf("no response from %s (%v): the resolver is unreachable, refused the request, does not allow this page (CORS), or is not allowed by this page's Content-Security-Policy", host, err)
}

//go:build js && wasm

package bridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"syscall/js"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/internal/jsasync"
)

// MaxFetchBody is the most of a response body FetchRoundTrip reads: one
// byte over the clients' cap (dohclient.DefaultMaxBody, 64 KiB), enough for
// them to see the overflow.
const MaxFetchBody = dohclient.DefaultMaxBody + 1

// FetchRoundTrip is a dohclient.RoundTrip over the browser's fetch: no
// cookies, no referrer, cancelled through an AbortController when ctx is
// done. It reads the body as a stream and
// stops, cancelling the request, once it holds MaxFetchBody bytes, so a
// resolver that sends a hundred megabytes costs no more memory than one
// that sends 64 KiB. It keeps net/http's client out of the WebAssembly
// modules.
func FetchRoundTrip(ctx context.Context, req *dohclient.Request) (*dohclient.Response, error) {
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
		init.Set("body", jsasync.Uint8Array(req.Body))
	}
	resp, err := Await(ctx, ac, js.Global().Call("fetch", req.URL, init))
	if err != nil {
		return nil, fetchError(req.URL, err)
	}
	status := resp.Get("status").Int()
	ct := resp.Get("headers").Call("get", "content-type")
	contentType := ""
	if ct.Type() == js.TypeString {
		contentType = ct.String()
	}
	body, err := readBody(ctx, ac, resp, MaxFetchBody)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("reading the response of %s: %v", host(req.URL), err)
	}
	return &dohclient.Response{Status: status, ContentType: contentType, Body: io.NopCloser(bytes.NewReader(body))}, nil
}

// readBody reads at most limit bytes of a fetch Response's body stream,
// then cancels the stream and aborts the request.
func readBody(ctx context.Context, ac, resp js.Value, limit int) ([]byte, error) {
	stream := resp.Get("body")
	if stream.IsNull() || stream.IsUndefined() {
		return nil, nil // no body (204, HEAD)
	}
	return jsasync.ReadStream(ctx, ac, stream.Call("getReader"), limit)
}

// Await waits for the promise p to settle (jsasync.Await).
func Await(ctx context.Context, ac, p js.Value) (js.Value, error) { return jsasync.Await(ctx, ac, p) }

// fetchError explains a fetch that got no response. Browsers say only
// "Failed to fetch" for network errors and CORS refusals alike.
func fetchError(endpoint string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("no response from %s (%v): the resolver is unreachable, refused the request, does not allow this page (CORS), or is not allowed by this page's Content-Security-Policy", host(endpoint), err)
}

// host returns the host of a URL, or the URL when it does not parse.
func host(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		return u.Host
	}
	return endpoint
}

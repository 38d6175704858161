//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"syscall/js"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("check", promise(checkFunc))
	api.Set("markdown", promise(markdown))
	api.Set("render", promise(render))
	api.Set("decodeShare", promise(decodeShare))
	api.Set("parseQuery", promise(parseQuery))
	api.Set("parseZone", promise(parseZone))
	api.Set("audit", promise(auditFunc))
	api.Set("version", version())
	registerPlan(api)
	js.Global().Set("sipdisco", api)
	if ready := js.Global().Get("sipdiscoReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(api)
	}
	select {}
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.Main.Version
	}
	return ""
}

// handler is one API function: it gets the call's arguments and returns a
// value that is marshalled to JSON and handed to JavaScript.
type handler func(ctx context.Context, args []js.Value) (any, error)

// promise wraps h as a JavaScript function that returns a Promise. h runs
// in its own goroutine; its error, or a panic, rejects the promise with an
// Error carrying a plain message.
func promise(h handler) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) any {
		var resolve, reject js.Value
		exec := js.FuncOf(func(_ js.Value, a []js.Value) any {
			resolve, reject = a[0], a[1]
			return nil
		})
		p := js.Global().Get("Promise").New(exec)
		exec.Release()
		// The arguments stay valid: js.Value references live until the
		// goroutine drops them.
		go func() {
			defer func() {
				if r := recover(); r != nil {
					reject.Invoke(jsError(fmt.Sprintf("internal error in the analyzer: %v", r)))
				}
			}()
			v, err := h(context.Background(), args)
			if err != nil {
				reject.Invoke(jsError(err.Error()))
				return
			}
			out, err := toJS(v)
			if err != nil {
				reject.Invoke(jsError("internal error in the analyzer: " + err.Error()))
				return
			}
			resolve.Invoke(out)
		}()
		return p
	})
}

// toJS converts v to a JavaScript value through JSON, so that only
// JSON-tagged boundary structs cross into JavaScript.
func toJS(v any) (js.Value, error) {
	if s, ok := v.(string); ok {
		return js.ValueOf(s), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return js.Undefined(), err
	}
	return js.Global().Get("JSON").Call("parse", string(b)), nil
}

func jsError(msg string) js.Value { return js.Global().Get("Error").New(msg) }

// stringArg returns argument i as a string; an object is converted with
// JSON.stringify, so callers may pass either.
func stringArg(args []js.Value, i int, what string) (string, error) {
	if i >= len(args) {
		return "", fmt.Errorf("missing argument %d: %s", i+1, what)
	}
	switch a := args[i]; a.Type() {
	case js.TypeString:
		return a.String(), nil
	case js.TypeObject:
		return js.Global().Get("JSON").Call("stringify", a).String(), nil
	default:
		return "", fmt.Errorf("argument %d (%s) is a %s; want a string", i+1, what, a.Type())
	}
}

// decodeJSON unmarshals s into v, refusing unknown fields so that typos in
// a caller's options are reported rather than ignored.
func decodeJSON(s, what string, v any) error {
	dec := json.NewDecoder(stringsReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad %s: %v", what, err)
	}
	if dec.More() {
		return errors.New("bad " + what + ": trailing data after the JSON value")
	}
	return nil
}

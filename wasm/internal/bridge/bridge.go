//go:build js && wasm

package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"syscall/js"
)

// Handler is one API function: it gets the call's arguments and returns a
// value that is marshalled to JSON and handed to JavaScript.
type Handler func(ctx context.Context, args []js.Value) (any, error)

// Needer is an error saying that another module does the work: its
// Needs names it ("tools"), and the rejected promise's Error carries it as
// its needs property, so the page's script hands the call on.
type Needer interface {
	error
	Needs() string
}

// LinkedError is the error of a check whose inputs were read: Query is
// their link's query string, which the page puts in the address bar, so
// that it holds the inputs as the user typed them rather than the link
// of an earlier report.
type LinkedError struct {
	Err   error
	Query string
}

func (e *LinkedError) Error() string { return e.Err.Error() }

func (e *LinkedError) Unwrap() error { return e.Err }

// Promise wraps h as a JavaScript function that returns a Promise. h runs
// in its own goroutine; its error, or a panic, rejects the promise with an
// Error carrying a plain message. Nothing a call is given ends the Go
// program: a panic is recovered here, and the values that cross are
// bounded by the callers (a snapshot is validated before it is rendered).
func Promise(h Handler) js.Func {
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
					reject.Invoke(Error(fmt.Sprintf("internal error in the analyzer: %v", r)))
				}
			}()
			v, err := h(context.Background(), args)
			if err != nil {
				e := Error(err.Error())
				var n Needer
				if errors.As(err, &n) {
					e.Set("needs", n.Needs())
				}
				var l *LinkedError
				if errors.As(err, &l) {
					e.Set("query", l.Query)
				}
				reject.Invoke(e)
				return
			}
			var out js.Value
			if jv, ok := v.(JSValuer); ok {
				out, err = jv.JSValue()
			} else {
				out, err = ToJS(v)
			}
			if err != nil {
				reject.Invoke(Error("internal error in the analyzer: " + err.Error()))
				return
			}
			resolve.Invoke(out)
		}()
		return p
	})
}

// JSValuer is a result that makes its own JavaScript value: a report's
// HTML, a hundred kilobytes, crosses as a string rather than inside JSON
// (escaped, then parsed again), which on a phone is tens of milliseconds
// of the page's main thread.
type JSValuer interface {
	JSValue() (js.Value, error)
}

// ToJS converts v to a JavaScript value through JSON, so that only
// JSON-tagged boundary structs cross into JavaScript.
func ToJS(v any) (js.Value, error) {
	if s, ok := v.(string); ok {
		return js.ValueOf(s), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return js.Undefined(), err
	}
	return js.Global().Get("JSON").Call("parse", string(b)), nil
}

// Error returns a JavaScript Error with the message msg.
func Error(msg string) js.Value { return js.Global().Get("Error").New(msg) }

// StringArg returns argument i as a string; an object is converted with
// JSON.stringify, so callers may pass either.
func StringArg(args []js.Value, i int, what string) (string, error) {
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

// DecodeJSON unmarshals s into v, refusing unknown fields so that typos in
// a caller's options are reported rather than ignored, and anything after
// the value.
func DecodeJSON(s, what string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad %s: %v", what, err)
	}
	if dec.More() {
		return errors.New("bad " + what + ": trailing data after the JSON value")
	}
	return nil
}

// Install sets the global object name to api and calls the global
// function name+"Ready" with it when the page has defined one. It then
// blocks for ever: the module serves calls. (No version is published:
// reading the build information costs the first module 5 KB.)
func Install(name string, api js.Value) {
	js.Global().Set(name, api)
	if ready := js.Global().Get(name + "Ready"); ready.Type() == js.TypeFunction {
		ready.Invoke(api)
	}
	select {}
}

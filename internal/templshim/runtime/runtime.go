// Package runtime is the part of sipdisco's templ stand-in that generated
// code calls through the templruntime name: the component wrapper, the
// output buffer, constant strings, attribute values and spread
// attributes. See the package templ of this module.
package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/a-h/templ"
)

// GeneratedComponentInput is what a generated component function gets.
type GeneratedComponentInput struct {
	Context context.Context
	Writer  io.Writer
}

// GeneratedTemplate wraps a generated component function.
func GeneratedTemplate(f func(GeneratedComponentInput) error) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return f(GeneratedComponentInput{Context: ctx, Writer: w})
	})
}

// Buffer collects a component's output for its writer; nested components
// write into the same Buffer.
type Buffer struct {
	w   io.Writer
	buf []byte
}

// bufferSize is how much a Buffer holds before it writes through.
const bufferSize = 4 << 10

// Write appends p, writing through when the buffer is full.
func (b *Buffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if len(b.buf) >= bufferSize {
		if err := b.Flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// WriteString appends s, as Write.
func (b *Buffer) WriteString(s string) (int, error) {
	b.buf = append(b.buf, s...)
	if len(b.buf) >= bufferSize {
		if err := b.Flush(); err != nil {
			return 0, err
		}
	}
	return len(s), nil
}

// Flush writes what the buffer holds to its writer.
func (b *Buffer) Flush() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// GetBuffer returns w when it is a Buffer (existing true), or a new
// Buffer writing to w.
func GetBuffer(w io.Writer) (b *Buffer, existing bool) {
	if w == nil {
		return nil, false
	}
	if b, ok := w.(*Buffer); ok {
		return b, true
	}
	return &Buffer{w: w}, false
}

// ReleaseBuffer flushes w when it is a Buffer.
func ReleaseBuffer(w io.Writer) error {
	if b, ok := w.(*Buffer); ok {
		return b.Flush()
	}
	return nil
}

// WriteString writes a constant part of a template; index is its place
// in the template, which only templ's watch mode reads.
func WriteString(w io.Writer, index int, s string) error {
	_, err := io.WriteString(w, s)
	return err
}

type attributeValue interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr |
		~float32 | ~float64 | ~complex64 | ~complex128 | ~string | ~bool
}

// AttributeExpression is the value of an attribute expression and the
// errors it returned.
type AttributeExpression[T attributeValue] struct {
	Value T
	Err   error
}

// NewAttributeExpression returns v and the errors joined.
func NewAttributeExpression[T attributeValue](v T, errs ...error) AttributeExpression[T] {
	return AttributeExpression[T]{Value: v, Err: errors.Join(errs...)}
}

// Resolve returns the value as escaped attribute text.
func (e AttributeExpression[T]) Resolve(ctx context.Context) (string, error) {
	if e.Err != nil {
		return "", e.Err
	}
	return templ.EscapeString(fmt.Sprint(e.Value)), nil
}

// ResolveURL returns the value of a URL attribute, escaped: a
// templ.SafeURL as it is, any other value sanitized by templ.URL.
func (e AttributeExpression[T]) ResolveURL(ctx context.Context) (string, error) {
	if e.Err != nil {
		return "", e.Err
	}
	if u, ok := any(e.Value).(templ.SafeURL); ok {
		return templ.EscapeString(u), nil
	}
	return templ.EscapeString(templ.URL(fmt.Sprint(e.Value))), nil
}

// RenderAttributes writes spread attributes: text values of aria-* and
// data-* attributes, escaped, in the order of their names, and true
// booleans as bare names. Any other name or value type is an error.
func RenderAttributes(ctx context.Context, w io.Writer, scriptWriter io.Writer, elementName string, attributes templ.Attributer) error {
	for _, item := range attributes.Items() {
		if !plainName(item.Key) {
			return fmt.Errorf("templ shim: spread attribute %q is not supported", item.Key)
		}
		var s string
		switch v := item.Value.(type) {
		case string:
			s = " " + item.Key + `="` + templ.EscapeString(v) + `"`
		case bool:
			if v {
				s = " " + item.Key
			}
		default:
			return fmt.Errorf("templ shim: spread attribute %s of type %T is not supported", item.Key, v)
		}
		if _, err := io.WriteString(w, s); err != nil {
			return err
		}
	}
	return nil
}

// plainName reports whether name is an aria-* or data-* attribute name of
// lower-case letters and dashes whose value templ treats as plain text
// (not a URL, a script or a style).
func plainName(name string) bool {
	rest, ok := strings.CutPrefix(name, "aria-")
	if !ok {
		if rest, ok = strings.CutPrefix(name, "data-"); !ok {
			return false
		}
	}
	if rest == "" || strings.HasPrefix(rest, "on") || strings.Contains(rest, "src") || strings.Contains(rest, "uri") || strings.Contains(rest, "url") {
		return false
	}
	switch rest {
	case "action", "archive", "background", "cite", "classid", "codebase", "data", "formaction",
		"href", "icon", "longdesc", "manifest", "poster", "profile", "usemap", "xmlns", "style", "srcdoc":
		return false
	}
	for _, c := range rest {
		if (c < 'a' || c > 'z') && c != '-' {
			return false
		}
	}
	return true
}

package templ

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Component is anything that renders HTML to a writer.
type Component interface {
	Render(ctx context.Context, w io.Writer) error
}

// ComponentFunc is a function that renders as a Component.
type ComponentFunc func(ctx context.Context, w io.Writer) error

// Render calls f.
func (f ComponentFunc) Render(ctx context.Context, w io.Writer) error { return f(ctx, w) }

// NopComponent renders nothing.
var NopComponent = ComponentFunc(func(context.Context, io.Writer) error { return nil })

type ctxKey int

const (
	stateKey ctxKey = iota
	childrenKey
)

// renderState marks a context as initialised for rendering.
type renderState struct{}

// InitializeContext returns ctx marked as a rendering context.
func InitializeContext(ctx context.Context) context.Context {
	if _, ok := ctx.Value(stateKey).(*renderState); ok {
		return ctx
	}
	return context.WithValue(ctx, stateKey, &renderState{})
}

// WithChildren returns ctx carrying children for the next component to
// render with { children... }.
func WithChildren(ctx context.Context, children Component) context.Context {
	ctx = InitializeContext(ctx)
	return context.WithValue(ctx, childrenKey, &children)
}

// ClearChildren returns ctx without children.
func ClearChildren(ctx context.Context) context.Context {
	return context.WithValue(ctx, childrenKey, nil)
}

// GetChildren returns the children ctx carries, or NopComponent.
func GetChildren(ctx context.Context) Component {
	c, _ := ctx.Value(childrenKey).(*Component)
	if c == nil || *c == nil {
		return NopComponent
	}
	return *c
}

var escaper = strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;")

// EscapeString escapes s for HTML text and quoted attribute values: the
// five characters html.EscapeString escapes, the same way.
func EscapeString[T ~string](s T) string { return escaper.Replace(string(s)) }

type stringable interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr |
		~float32 | ~float64 | ~complex64 | ~complex128 | ~string | ~bool
}

// JoinStringErrs returns s as text and the errors joined.
func JoinStringErrs[T stringable](s T, errs ...error) (string, error) {
	return fmt.Sprint(s), errors.Join(errs...)
}

// Error is an error while rendering, with the template's position.
type Error struct {
	Err      error
	FileName string
	Line     int
	Col      int
}

// Error returns "FILE: error at line L, col C: ERR".
func (e Error) Error() string {
	name := e.FileName
	if name == "" {
		name = "templ"
	}
	return fmt.Sprintf("%s: error at line %d, col %d: %v", name, e.Line, e.Col, e.Err)
}

// Unwrap returns the underlying error.
func (e Error) Unwrap() error { return e.Err }

// KeyValue is a key and a value: a class name and whether it is on.
type KeyValue[K comparable, V any] struct {
	Key   K `json:"name"`
	Value V `json:"value"`
}

// KV returns the pair of key and value.
func KV[K comparable, V any](key K, value V) KeyValue[K, V] {
	return KeyValue[K, V]{Key: key, Value: value}
}

// unknownClass is the class a class list writes for a value it cannot
// read, as the real runtime does.
const unknownClass = "--templ-css-class-unknown-type"

// CSSClasses is an element's class list: strings, []string and
// KeyValue[string, bool] pairs.
type CSSClasses []any

// String returns the class names in order, each once, leaving out the
// pairs that are off (a later pair for the same name decides).
func (c CSSClasses) String() string {
	var names []string
	on := map[string]bool{}
	var add func(v any)
	add = func(v any) {
		switch v := v.(type) {
		case string:
			names, on[v] = append(names, v), true
		case []string:
			for _, s := range v {
				add(s)
			}
		case KeyValue[string, bool]:
			names, on[v.Key] = append(names, v.Key), v.Value
		case []KeyValue[string, bool]:
			for _, kv := range v {
				add(kv)
			}
		case CSSClasses:
			for _, x := range v {
				add(x)
			}
		default:
			names, on[unknownClass] = append(names, unknownClass), true
		}
	}
	for _, v := range c {
		add(v)
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if on[n] && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}

// RenderCSSItems writes the style elements of CSS components among
// classes. The templates use class names only, which write nothing; a
// CSS component is an error.
func RenderCSSItems(ctx context.Context, w io.Writer, classes ...any) error {
	for _, c := range classes {
		switch c := c.(type) {
		case string, []string, KeyValue[string, bool], []KeyValue[string, bool]:
		case CSSClasses:
			if err := RenderCSSItems(ctx, w, c...); err != nil {
				return err
			}
		default:
			return fmt.Errorf("templ shim: class value %T is not supported", c)
		}
	}
	return nil
}

// ComponentScript is a script component; the templates have none.
type ComponentScript struct {
	Name       string
	Function   string
	Call       string
	CallInline string
}

// RenderScriptItems writes the scripts of script components; the
// templates have none, so any is an error.
func RenderScriptItems(ctx context.Context, w io.Writer, scripts ...ComponentScript) error {
	if len(scripts) > 0 {
		return errors.New("templ shim: script components are not supported")
	}
	return nil
}

// Attributer is a set of spread attributes.
type Attributer interface {
	Items() []KeyValue[string, any]
}

// Attributes are spread attributes, written in the order of their names.
type Attributes map[string]any

// Items returns the attributes sorted by name.
func (a Attributes) Items() []KeyValue[string, any] {
	items := make([]KeyValue[string, any], 0, len(a))
	for k, v := range a {
		items = append(items, KeyValue[string, any]{Key: k, Value: v})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Key < items[j].Key })
	return items
}

// SafeURL is a URL written into an attribute without sanitizing.
type SafeURL string

// FailedSanitizationURL replaces a URL whose scheme is not allowed.
const FailedSanitizationURL = SafeURL("about:invalid#TemplFailedSanitizationURL")

// URL returns s, or FailedSanitizationURL when s has a scheme other than
// http, https, mailto, tel, ftp and ftps (a colon before any slash).
func URL(s string) SafeURL {
	i := strings.IndexByte(s, ':')
	if i < 0 || strings.IndexByte(s[:i], '/') >= 0 {
		return SafeURL(s)
	}
	switch strings.ToLower(s[:i]) {
	case "http", "https", "mailto", "tel", "ftp", "ftps":
		return SafeURL(s)
	}
	return FailedSanitizationURL
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// GetBuffer returns an empty buffer for one element.
func GetBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

// ReleaseBuffer empties b and returns it for reuse.
func ReleaseBuffer(b *bytes.Buffer) {
	b.Reset()
	buffers.Put(b)
}

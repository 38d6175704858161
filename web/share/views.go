package share

import (
	"fmt"
	"net/url"
	"strings"
)

// Views are the inputs of a side-by-side comparison (or a matrix): one
// address and client policy, checked through two resolvers — typically the
// internal DNS (an internal DoH server or planned zone) as A and the public
// DNS as B. B may be empty for a matrix of A alone.
type Views struct {
	URI      string `json:"uri"`
	Profile  string `json:"profile"`
	Strict   bool   `json:"strict"`
	AllowTCP bool   `json:"allowTCP"`
	A        View   `json:"a"`
	B        View   `json:"b"`
	// Matrix asks for every profile × strict naming off and on instead
	// of one report per view.
	Matrix bool `json:"matrix,omitempty"`
}

// View is one resolver of a comparison: a DoH URL, Local or Zone, and the
// planned zone text for Zone (never put in a link).
type View struct {
	DoH  string `json:"doh"`
	Zone string `json:"zone,omitempty"`
}

// Options returns the single check of v through w.
func (v Views) Options(w View) Options {
	o := DefaultOptions()
	o.URI, o.Profile, o.Strict, o.AllowTCP, o.DoH, o.Zone = v.URI, v.Profile, v.Strict, v.AllowTCP, w.DoH, w.Zone
	return o
}

// Query returns v as a link's query string: that of Options followed by
// "&a=…&b=…" and "&matrix=1" for a matrix. A planned zone's text is not in
// it: the link names "zone" and the recipient pastes the zone.
func (v Views) Query() string {
	o := v.Options(View{})
	var b strings.Builder
	b.WriteString(o.Query())
	if v.A.DoH != "" {
		b.WriteString("&a=" + url.QueryEscape(v.A.DoH))
	}
	if v.B.DoH != "" {
		b.WriteString("&b=" + url.QueryEscape(v.B.DoH))
	}
	if v.Matrix {
		b.WriteString("&matrix=1")
	}
	return b.String()
}

// ParseViews reads a comparison link's query string. ok is false when it
// holds no address. The common fields are read as ParseQuery reads them;
// "a" is required, "b" optional.
func ParseViews(raw string) (v Views, ok bool, err error) {
	o, ok, err := ParseQuery(raw)
	if err != nil || !ok {
		return Views{}, ok, err
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(raw, "?")) // ParseQuery checked it
	v = Views{URI: o.URI, Profile: o.Profile, Strict: o.Strict, AllowTCP: o.AllowTCP,
		A: View{DoH: q.Get("a")}, B: View{DoH: q.Get("b")}}
	if v.A.DoH == "" {
		return Views{}, false, fmt.Errorf("the link names no resolver for the first view (a=)")
	}
	switch m := q.Get("matrix"); m {
	case "", "0":
	case "1":
		v.Matrix = true
	default:
		return Views{}, false, fmt.Errorf("the link's \"matrix\" is %q; want 1 or 0", m)
	}
	return v, true, nil
}

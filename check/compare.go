package check

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// CompareOptions are the inputs of a side-by-side comparison (or a
// matrix): one address and client policy, checked through two resolvers,
// its sides A and B — typically the internal DNS (an internal DoH server
// or planned zone) as A and the public DNS as B. B may be empty for a
// matrix of A alone.
type CompareOptions struct {
	URI      string      `json:"uri"`
	Profile  string      `json:"profile"`
	Strict   bool        `json:"strict"`
	AllowTCP bool        `json:"allowTCP"`
	A        CompareSide `json:"a"`
	B        CompareSide `json:"b"`
	// Matrix asks for every profile × strict naming off and on instead
	// of one report per view.
	Matrix bool `json:"matrix,omitempty"`
	// More are further addresses for a matrix, one per element as typed
	// (one per line of the form's box): blank entries and # comments are
	// skipped. See MatrixAddresses.
	More []string `json:"more,omitempty"`
}

// MaxMatrixAddresses bounds the addresses of one matrix page, the first
// address included: each is 16 checks per view.
const MaxMatrixAddresses = 5

// MatrixAddresses returns the matrix's addresses: URI, then the entries of
// More that are not blank or # comments, without repeats. An entry that is
// not a sign-in address is an error naming its line of the box (its index
// in More plus one), as are more than MaxMatrixAddresses addresses.
func (v CompareOptions) MatrixAddresses() ([]string, error) {
	out := []string{strings.TrimSpace(v.URI)}
	seen := map[string]bool{out[0]: true}
	for i, m := range v.More {
		m = strings.TrimSpace(m)
		if m == "" || strings.HasPrefix(m, "#") || seen[m] {
			continue
		}
		if _, err := engine.ParseURI(m); err != nil {
			return nil, fmt.Errorf("more addresses, line %d: %v", i+1, err)
		}
		seen[m] = true
		out = append(out, m)
		if len(out) > MaxMatrixAddresses {
			return nil, fmt.Errorf("more addresses, line %d: a matrix takes at most %d addresses", i+1, MaxMatrixAddresses)
		}
	}
	return out, nil
}

// CompareSide is one side of a comparison: its resolver, a DoH URL,
// ResolverLocal or ResolverZone, and the planned zone text for
// ResolverZone (never put in a link).
type CompareSide struct {
	DoH  string `json:"doh"`
	Zone string `json:"zone,omitempty"`
}

// Options returns the single check of v through w, without the sign-in.
func (v CompareOptions) Options(w CompareSide) Options {
	o := Defaults()
	o.URI, o.Profile, o.Strict, o.AllowTCP, o.Resolver = v.URI, v.Profile, StrictOf(v.Strict), v.AllowTCP, ParseSource(w.DoH)
	if strings.TrimSpace(w.Zone) != "" {
		o.Zones = []Zone{{Name: PlannedZone, Text: w.Zone}}
	}
	return o
}

// Query returns v as a link's query string: that of Options followed by
// "&a=…&b=…", and "&matrix=1" for a matrix with "&more=…" for its further
// addresses, separated by spaces. A planned zone's text is not in
// it: the link names "zone" and the recipient pastes the zone.
func (v CompareOptions) Query() string {
	o := v.Options(CompareSide{})
	o.SignIn = true // the page's default: left out of the link
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
		if addrs, err := v.MatrixAddresses(); err == nil && len(addrs) > 1 {
			b.WriteString("&more=" + url.QueryEscape(strings.Join(addrs[1:], " ")))
		}
	}
	return b.String()
}

// ParseCompare reads a comparison link's query string. ok is false when it
// holds no address. The common fields are read as ParseQuery reads them;
// "a" is required, "b" optional.
func ParseCompare(raw string) (v CompareOptions, ok bool, err error) {
	o, ok, err := ParseQuery(raw)
	if err != nil || !ok {
		return CompareOptions{}, ok, err
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(raw, "?")) // ParseQuery checked it
	v = CompareOptions{URI: o.URI, Profile: o.Profile, Strict: o.StrictNaming(), AllowTCP: o.AllowTCP,
		A: CompareSide{DoH: q.Get("a")}, B: CompareSide{DoH: q.Get("b")}}
	if v.A.DoH == "" {
		return CompareOptions{}, false, fmt.Errorf("the link names no resolver for the first view (a=)")
	}
	switch m := q.Get("matrix"); m {
	case "", "0":
	case "1":
		v.Matrix = true
	default:
		return CompareOptions{}, false, fmt.Errorf("the link's \"matrix\" is %q; want 1 or 0", m)
	}
	if more := strings.Fields(q.Get("more")); len(more) > 0 {
		v.More = more
	}
	if len(v.More)+1 > MaxMatrixAddresses {
		return CompareOptions{}, false, fmt.Errorf("the link's \"more\" names %d addresses; a matrix takes at most %d in all", len(v.More), MaxMatrixAddresses)
	}
	return v, true, nil
}

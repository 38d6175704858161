package check

import (
	"fmt"
	"net/url"
	"strings"
)

// MaxField bounds each field of a link.
const MaxField = 1024

// MaxLinkQuery bounds a link's whole query string.
const MaxLinkQuery = 8 * MaxField

// Query returns o as a live link's query string, "?uri=…&profile=…&strict=0&tcp=1&doh=…",
// its parameters in the order of Fields: the address, the profile and
// the two policy flags always; every other parameter only when it differs
// from PageDefaults. Lists are comma-separated (offers by their lower-case
// names). Zone texts and certificates are never in it: see Reproducible.
func (o Options) Query() string {
	def := PageDefaults()
	var b strings.Builder
	for _, f := range fields {
		if !f.InLink {
			continue
		}
		vs := f.get(&o)
		if len(vs) == 0 || !f.Always && equal(vs, f.get(&def)) {
			continue
		}
		v := strings.Join(vs, ",")
		if f.Kind == KindMulti {
			v = strings.ToLower(v)
		}
		if b.Len() == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(f.Param)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ParseQuery reads a live link's query string (with or without the "?").
// ok is false when the query holds no "uri" at all (an ordinary visit).
// Parameters left out take PageDefaults; unknown ones are ignored; a known
// one with a bad value is an error naming it. offers may be given once per
// protocol, as a plain GET form sends its ticked boxes, or once as a
// comma-separated list. The address itself is checked later, by Run, so
// that its error can point at the offending character.
func ParseQuery(raw string) (o Options, ok bool, err error) {
	q, err := parseLinkQuery(raw)
	if err != nil || !q.Has("uri") {
		return Options{}, false, err
	}
	o, err = fromValues(q, false)
	if err != nil {
		return Options{}, false, err
	}
	return o, true, nil
}

// parseLinkQuery reads a link's query string, bounded in size.
func parseLinkQuery(raw string) (url.Values, error) {
	raw = strings.TrimPrefix(raw, "?")
	if len(raw) > MaxLinkQuery {
		return nil, fmt.Errorf("the link's query is %d bytes long; a sipdisco link is at most %d", len(raw), MaxLinkQuery)
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, fmt.Errorf("the link's query string is malformed: %v", err)
	}
	for k, vs := range q {
		// A plain GET form sends one offers= per ticked box.
		if f, ok := fieldByParam(k); !(ok && f.Kind == KindMulti) && len(vs) > 1 {
			return nil, fmt.Errorf("the link gives %q %d times", k, len(vs))
		}
		for _, v := range vs {
			if len(v) > MaxField {
				return nil, fmt.Errorf("the link's %q is longer than %d bytes", k, MaxField)
			}
		}
	}
	return q, nil
}

// fromValues reads the fields of q. A link (form false) carries only the
// InLink fields (parseLinkQuery has bounded them), and a field it leaves
// out keeps its default; a form carries every field on the page, so a
// check box it leaves out is unticked and a set of boxes with none ticked
// is empty. Neither carries the command line's own fields
// (GroupCommandLine, GroupConnect): a connect=1 in a link is ignored like
// any unknown parameter.
func fromValues(q url.Values, form bool) (Options, error) {
	o := PageDefaults()
	for _, f := range fields {
		if !f.onPage() || !form && !f.InLink {
			continue
		}
		vs, present := q[f.Param]
		if !present && !(form && (f.Kind == KindBool || f.Kind == KindMulti)) {
			continue
		}
		if err := f.set(&o, vs); err != nil {
			if form {
				return Options{}, &InputError{Field: f.Name, Err: err}
			}
			return Options{}, fmt.Errorf("the link's %q is %q: %v", f.Param, strings.Join(vs, ","), err)
		}
	}
	return o, nil
}

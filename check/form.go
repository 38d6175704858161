package check

import (
	"net/url"
	"slices"
)

// FormField is one control of the analyzer's form, ready to render: the
// field and its current value.
type FormField struct {
	Field
	// Value is a text, text area or select box's value.
	Value string
	// Checked is a check box's state; Ticked the values of a KindMulti
	// field's ticked boxes.
	Checked bool
	Ticked  []string
	// Other names the text control a select box's "custom" choice reads
	// (the resolver's custom URL).
	Other string
}

// FormGroup is one group of the form's controls.
type FormGroup struct {
	Group  Group
	Fields []FormField
}

// FormOptions are the parts of the form that depend on the page: the
// resolvers it offers, first the default.
type FormOptions struct {
	Resolvers []Resolver
}

// The resolver select's choices besides the page's resolvers, and the
// custom URL's control.
const (
	// CustomResolver is the resolver choice that reads CustomParam.
	CustomResolver = "custom"
	// CustomParam is the form control of a custom DoH URL.
	CustomParam = "customDoH"
)

var groupOrder = []Group{GroupAddress, GroupClient, GroupPolicy, GroupManual, GroupSignIn, GroupAnswers}

// Form returns the analyzer's form showing o, its controls in groups in
// the order the page shows them.
func Form(o Options, fo FormOptions) []FormGroup {
	current := o.Resolver.String()
	if current == "" && len(fo.Resolvers) > 0 {
		current = fo.Resolvers[0].URL
	}
	choices := resolverChoices(fo)
	resolver, custom := current, ""
	if !slices.ContainsFunc(choices, func(c Choice) bool { return c.Value == resolver }) {
		resolver, custom = CustomResolver, current
	}
	var out []FormGroup
	for _, g := range groupOrder {
		fg := FormGroup{Group: g}
		if g == GroupAnswers {
			fg.Fields = append(fg.Fields, customField(custom))
		}
		for _, f := range fields {
			if f.Group != g {
				continue
			}
			ff := FormField{Field: f}
			vs := f.get(&o)
			switch f.Kind {
			case KindBool:
				ff.Checked = first(vs) == "1"
			case KindMulti:
				ff.Ticked = ticked(f, vs)
			default:
				ff.Value = first(vs)
			}
			if f.Name == "Resolver" {
				ff.Choices, ff.Value, ff.Other = choices, resolver, CustomParam
			}
			fg.Fields = append(fg.Fields, ff)
		}
		out = append(out, fg)
	}
	return out
}

// customField is the custom DoH URL's control, first of GroupAnswers.
func customField(value string) FormField {
	return FormField{Field: Field{Param: CustomParam, ID: CustomParam, Label: "Custom DoH URL", Kind: KindText, Group: GroupAnswers,
		Placeholder: "https://dns.internal.contoso.com/dns-query",
		Help:        `Used when the resolver is "Custom DoH URL". The public site may only contact the resolvers in its list; a self-hosted copy can allow more.`},
		Value: value}
}

func resolverChoices(fo FormOptions) []Choice {
	var out []Choice
	for _, r := range fo.Resolvers {
		out = append(out, Choice{Value: r.URL, Label: r.Label})
	}
	return append(out,
		Choice{Value: CustomResolver, Label: "Custom DoH URL (below)"},
		Choice{Value: ResolverZone, Label: "Planned zone (below, no network)"})
}

// ticked returns a KindMulti field's ticked boxes for its values: every
// box when the values are the default (none).
func ticked(f Field, vs []string) []string {
	if len(vs) > 0 {
		return vs
	}
	var all []string
	for _, c := range f.Choices {
		all = append(all, c.Value)
	}
	return all
}

// FormValue is the state of one named control of the form, as the page's
// script reads it.
type FormValue struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Type    string `json:"type"`
	Checked bool   `json:"checked"`
}

// ReadForm returns the Options the form's controls hold. A check box
// counts only when ticked; the resolver's "custom" choice reads the
// custom URL. The error is an *InputError naming the field.
func ReadForm(state []FormValue) (Options, error) {
	q := url.Values{}
	for _, v := range state {
		if (v.Type == "checkbox" || v.Type == "radio") && !v.Checked {
			continue
		}
		q.Add(v.Name, v.Value)
	}
	if q.Get("doh") == CustomResolver {
		q.Set("doh", q.Get(CustomParam))
	}
	return fromValues(q, true)
}

// FormEntry is the value(s) of one of the form's controls, for the page's
// script to fill the form with: a text's or select box's value, or the
// values of the ticked boxes.
type FormEntry struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// FormValues returns o as the entries that fill the analyzer's form, and
// whether any of them is in the form's "More" section and differs from
// the defaults (the page then opens that section).
func FormValues(o Options) (entries []FormEntry, more bool) {
	def := PageDefaults()
	for _, f := range fields {
		if !f.onPage() {
			continue
		}
		vs := f.get(&o)
		switch f.Kind {
		case KindBool:
			if first(vs) != "1" {
				vs = []string{}
			}
		case KindMulti:
			vs = ticked(f, vs)
		}
		if vs == nil {
			vs = []string{}
		}
		entries = append(entries, FormEntry{Name: f.Param, Values: vs})
		inMore := f.Group == GroupManual || f.Group == GroupSignIn || f.Group == GroupAnswers
		if inMore && !equal(f.get(&o), f.get(&def)) {
			more = true
		}
	}
	return entries, more
}

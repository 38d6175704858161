//go:build !firstmodule

package check

import (
	"flag"
	"fmt"
	"slices"
)

// Binding holds the Options that a flag set's flags set; see Bind.
type Binding struct {
	o   Options
	env FlagEnv
	err error
}

// Bind adds to fs the flags of every field in groups (every field when
// none is named), starting from o. After fs.Parse, Options returns the
// result. A flag's value is checked by the same code that reads a link's
// parameter.
func Bind(fs *flag.FlagSet, o Options, env FlagEnv, groups ...Group) *Binding {
	return bind(fs, o, env, func(f Field) bool { return len(groups) == 0 || slices.Contains(groups, f.Group) })
}

// BindFields is Bind for the fields of the Options fields named (their
// Go names, "Zones"): a command that takes only some inputs of a check.
func BindFields(fs *flag.FlagSet, o Options, env FlagEnv, names ...string) *Binding {
	return bind(fs, o, env, func(f Field) bool { return slices.Contains(names, f.Name) })
}

func bind(fs *flag.FlagSet, o Options, env FlagEnv, want func(Field) bool) *Binding {
	b := &Binding{o: o, env: env}
	for _, f := range fields {
		if !want(f) {
			continue
		}
		for _, fl := range f.Flags {
			v := &flagValue{b: b, f: f, fl: fl}
			fs.Var(v, fl.Name, fl.Usage)
			if fl.Short != "" {
				// The same Value under a second name: help and
				// completion find the pair by it.
				fs.Var(v, fl.Short, fl.Usage)
			}
		}
	}
	return b
}

// Options returns the Options the parsed flags describe; the error names
// the first flag whose value cannot be used.
func (b *Binding) Options() (Options, error) { return b.o, b.err }

// flagValue is one flag of the table on a flag.FlagSet. It keeps the
// first error, so that parsing goes on and the error names its flag.
type flagValue struct {
	b  *Binding
	f  Field
	fl Flag
}

// String is empty: help shows no default for the table's flags.
func (v *flagValue) String() string { return "" }

func (v *flagValue) Set(s string) error {
	if v.b.err == nil {
		if err := v.f.apply(v.fl, &v.b.o, s, v.b.env); err != nil {
			v.b.err = fmt.Errorf("--%s: %v", v.fl.Name, err)
		}
	}
	return nil
}

// IsBoolFlag reports whether the flag takes no value (flag.Value's
// boolFlag).
func (v *flagValue) IsBoolFlag() bool { return v.fl.Arg == "" }

// Choices are the words the flag's value takes, for completion.
func (v *flagValue) Choices() []string { return v.f.Words(v.fl) }

// HelpGroup is the group the help lists the flag in: its field's.
func (v *flagValue) HelpGroup() HelpGroup { return v.f.HelpGroup }

// Chooser is a flag.Value whose value is one of a few words: completion
// offers them. The table's flags are Choosers, and so are the commands'
// own (a format, a view).
type Chooser interface {
	flag.Value
	Choices() []string
}

// OneOf is a string flag whose value is one of words: a command's own
// choice (an output format). Its default is *p; the command checks the
// value it is given, as before.
type OneOf struct {
	p     *string
	words []string
}

// NewOneOf returns the OneOf flag value setting *p, whose default is
// def.
func NewOneOf(p *string, def string, words ...string) *OneOf {
	*p = def
	return &OneOf{p: p, words: words}
}

func (w *OneOf) String() string {
	if w == nil || w.p == nil {
		return ""
	}
	return *w.p
}

func (w *OneOf) Set(s string) error { *w.p = s; return nil }

// Choices are the words.
func (w *OneOf) Choices() []string { return w.words }

// choiceFunc is a flag whose value set applies, offering words (nil:
// any value) for completion, listed in the help under group.
type choiceFunc struct {
	words []string
	group HelpGroup
	set   func(string) error
}

func (c *choiceFunc) String() string       { return "" }
func (c *choiceFunc) Set(s string) error   { return c.set(s) }
func (c *choiceFunc) Choices() []string    { return c.words }
func (c *choiceFunc) HelpGroup() HelpGroup { return c.group }

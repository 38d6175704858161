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
			apply := func(v string) error {
				if b.err == nil {
					if err := fl.set(&b.o, v, b.env); err != nil {
						b.err = fmt.Errorf("--%s: %v", fl.Name, err)
					}
				}
				return nil
			}
			if fl.Arg == "" {
				fs.BoolFunc(fl.Name, fl.Usage, apply)
			} else {
				fs.Func(fl.Name, fl.Usage, apply)
			}
		}
	}
	return b
}

// Options returns the Options the parsed flags describe; the error names
// the first flag whose value cannot be used.
func (b *Binding) Options() (Options, error) { return b.o, b.err }

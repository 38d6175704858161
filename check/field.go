package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/signin"
)

// Group places a field on the analyzer's form.
type Group string

// The form's groups, in the order the form shows them.
const (
	// GroupAddress is the address line.
	GroupAddress Group = "address"
	// GroupClient is the client and resolver row.
	GroupClient Group = "client"
	// GroupPolicy is the client policy's check boxes.
	GroupPolicy Group = "policy"
	// GroupManual: manual servers and trusted domains, under "More".
	GroupManual Group = "manual"
	// GroupSignIn: the simulated sign-in, under "More".
	GroupSignIn Group = "signin"
	// GroupAnswers: a custom resolver and a planned zone, under "More".
	GroupAnswers Group = "answers"
	// GroupCommandLine: inputs only the command line has, because a page
	// cannot do what they ask (speak plain DNS, open TCP or TLS
	// connections to observe the servers); links do not carry them, the
	// form has no control for them, and neither a link nor a form that
	// names them sets them. CommandLineOnly says why.
	GroupCommandLine Group = "command-line"
	// GroupConnect: the observation of the real servers (check
	// --connect), the command line's only like GroupCommandLine, and
	// check's only among the commands (an audit of many addresses does
	// not observe servers). The page shows an observation only when a
	// snapshot link the command line made carries one.
	GroupConnect Group = "connect"
)

// HelpGroup places a flag in the command line's help: the headings
// people look for (where to ask DNS, the client, the sign-in, the
// observation, the output). A field's flags are in its HelpGroup; a
// command's own flags (an output format, a listen address) name theirs
// where the command registers them.
type HelpGroup string

// The help's groups.
const (
	// HelpDeployment: what plan is given of a deployment.
	HelpDeployment HelpGroup = "Deployment"
	// HelpServing: where serve listens and what its page offers.
	HelpServing HelpGroup = "Serving"
	HelpDNS     HelpGroup = "Where to ask DNS"
	HelpClient  HelpGroup = "Client and policy"
	HelpSignIn  HelpGroup = "Sign-in simulation"
	HelpConnect HelpGroup = "Observation of the real servers"
	HelpOutput  HelpGroup = "Output"
)

// HelpGroups returns the help's groups in the order the help shows them:
// a command's own subject first (plan's deployment, serve's serving),
// then where to ask DNS, the client, the sign-in, the observation, and
// the output last.
func HelpGroups() []HelpGroup {
	return []HelpGroup{HelpDeployment, HelpServing, HelpDNS, HelpClient, HelpSignIn, HelpConnect, HelpOutput}
}

// onPage reports whether the page's form and links can carry f: every
// field but the command line's own (GroupCommandLine, GroupConnect).
func (f Field) onPage() bool { return f.Group != GroupCommandLine && f.Group != GroupConnect }

// Kind is a field's form control.
type Kind int

// The form controls.
const (
	KindText     Kind = iota // one line of text
	KindBool                 // a check box
	KindChoice               // a select box
	KindMulti                // a set of check boxes sharing the name
	KindLongText             // a text area
)

// Choice is one option of a KindChoice or KindMulti field.
type Choice struct {
	Value string
	Label string
}

// Implies is what setting a flag asks for besides its own field.
type Implies int8

// What a flag implies.
const (
	// ImpliesNothing: the flag sets its field only.
	ImpliesNothing Implies = iota
	// ImpliesSignIn: a flag of the sign-in asks for the sign-in
	// simulation.
	ImpliesSignIn
	// ImpliesConnect: a flag of the observation of the real servers asks
	// for the observation, and so for the simulated sign-in it is
	// compared with.
	ImpliesConnect
)

// Flag is one command-line flag of a field. A field may have several (the
// resolver's --doh and --demo, strict naming's --strict and --loose), or
// none (the address, which the command line takes as an argument).
//
// By default a flag with an Arg gives its value to the field's Value, as
// a link's parameter does, and a flag without one (a boolean flag) sets
// the field to 1, or to 0 when Invert is set. A flag that does more (reads
// a file, appends to a list, sets another word) names its own Set.
type Flag struct {
	// Name is the flag without its dashes ("manual-internal").
	Name string
	// Short is the flag's one-letter second name ("p" for -p), given
	// only to the flags people type most; empty for the others. A short
	// name means the same on every command that has it (ADR 0024).
	Short string
	// Arg names the flag's value in the help ("HOST[:PORT]"); empty for a
	// boolean flag. An Arg that says FILE completes to file names.
	Arg   string
	Usage string
	// Invert makes a boolean flag set its field to 0 (--no-tcp, --loose).
	Invert bool
	// Implies is what setting the flag asks for besides its field.
	Implies Implies
	// Choices are the words the flag's value takes, for completion and
	// help, when they are not the field's own Choices (--password's right
	// and wrong for a check box).
	Choices []string
	// Set, when not nil, applies the flag's value in place of the
	// field's Value.
	Set func(o *Options, v string, env FlagEnv) error
}

// Field is one input of a check: how a link, a form and the command line
// carry it. The table of Fields (fields.go) is data: one literal per
// input.
type Field struct {
	// Name is the Options field.
	Name string
	// Param is the link parameter and the form control's name.
	Param string
	// ID is the form control's element id.
	ID          string
	Label       string
	Help        string
	Placeholder string
	Kind        Kind
	Group       Group
	// HelpGroup places the field's flags in the command line's help.
	HelpGroup HelpGroup
	// InLink: live links carry the field. Zone texts and certificates do
	// not (too big, and not the recipient's to see).
	InLink bool
	// Always: every link writes the field, even at its default.
	Always bool
	// Choices are a KindChoice or KindMulti field's options (the
	// resolver's are the page's, given to Form). Their values are what
	// the field's flag completes to.
	Choices []Choice
	Flags   []Flag
	// SignInInput is the signin.Input field (its JSON name) the field
	// feeds: a sign-in input error naming it names this field.
	SignInInput string
	// CommandLineOnly, for a field of GroupCommandLine or GroupConnect,
	// says why the page and links cannot carry it.
	CommandLineOnly string
	// Value reads and writes the field's values in Options.
	Value Value
}

// Value binds a field to its Options field: Get returns the values a
// link or form writes, Set reads them. A form's KindMulti field gives one
// value per box ticked, a link's one comma-separated value. Text, Bit,
// Names and List make the common shapes from a pointer to the field.
type Value struct {
	Get func(o *Options) []string
	Set func(o *Options, vs []string) error
}

// Text is the Value of a line of text, trimmed.
func Text(p func(*Options) *string) Value {
	return Value{
		Get: func(o *Options) []string { return one(*p(o)) },
		Set: func(o *Options, vs []string) error { *p(o) = strings.TrimSpace(first(vs)); return nil },
	}
}

// Bit is the Value of a check box: 1 or 0.
func Bit(p func(*Options) *bool) Value {
	return Value{
		Get: func(o *Options) []string { return []string{bitText(*p(o))} },
		Set: func(o *Options, vs []string) error {
			b, err := parseBit(first(vs))
			*p(o) = b
			return err
		},
	}
}

// Names is the Value of a comma-separated list of names
// (signin.SplitNames).
func Names(p func(*Options) *[]string) Value {
	return Value{
		Get: func(o *Options) []string { return one(strings.Join(*p(o), ",")) },
		Set: func(o *Options, vs []string) error { *p(o) = signin.SplitNames(strings.Join(vs, ",")); return nil },
	}
}

// List is the Value of a repeatable flag: each value given, trimmed, is
// added to the list.
func List(p func(*Options) *[]string) Value {
	return Value{
		Get: func(o *Options) []string { return *p(o) },
		Set: func(o *Options, vs []string) error {
			for _, v := range vs {
				if v = strings.TrimSpace(v); v != "" {
					*p(o) = append(*p(o), v)
				}
			}
			return nil
		},
	}
}

// Parsed is the Value of a field whose text is checked by parse: get
// writes it, parse reads it into Options.
func Parsed(get func(o *Options) string, parse func(o *Options, v string) error) Value {
	return Value{
		Get: func(o *Options) []string { return one(get(o)) },
		Set: func(o *Options, vs []string) error { return parse(o, first(vs)) },
	}
}

// get and set are f's Value.
func (f Field) get(o *Options) []string           { return f.Value.Get(o) }
func (f Field) set(o *Options, vs []string) error { return f.Value.Set(o, vs) }

// apply sets the flag fl of f to v: what it implies, then its own Set or
// the field's Value.
func (f Field) apply(fl Flag, o *Options, v string, env FlagEnv) error {
	switch fl.Implies {
	case ImpliesConnect:
		o.Connect, o.SignIn = true, true
	case ImpliesSignIn:
		o.SignIn = true
	}
	switch {
	case fl.Set != nil:
		return fl.Set(o, v, env)
	case fl.Arg == "":
		// A bad value ("--strict=maybe") still sets the field, to 0, as
		// flag.BoolFunc's callers did; the error names the flag.
		b, parseErr := parseBit(v)
		if err := f.set(o, []string{bitText(b != fl.Invert)}); err != nil {
			return err
		}
		return parseErr
	}
	return f.set(o, []string{v})
}

// Words returns the words fl's value takes, for completion: its own
// Choices, else for a flag that gives its value to a KindChoice or
// KindMulti field the field's choices (a KindMulti's in lower case, as
// links write them); nil for a free value or a boolean flag.
func (f Field) Words(fl Flag) []string {
	if fl.Choices != nil || fl.Arg == "" || fl.Set != nil {
		return fl.Choices
	}
	if f.Kind != KindChoice && f.Kind != KindMulti {
		return nil
	}
	var out []string
	for _, c := range f.Choices {
		if c.Value == "" {
			continue
		}
		v := c.Value
		if f.Kind == KindMulti {
			v = strings.ToLower(v)
		}
		out = append(out, v)
	}
	return out
}

// Fields returns a copy of the table of inputs, in link order.
func Fields() []Field { return slices.Clone(fields) }

func fieldByName(name string) (Field, bool) {
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

func fieldByParam(param string) (Field, bool) {
	for _, f := range fields {
		if f.Param == param {
			return f, true
		}
	}
	return Field{}, false
}

// FlagEnv is what flags that name files need: a way to read them, and
// one to read a certificate.
type FlagEnv struct {
	ReadFile func(name string) ([]byte, error)
	// Certificates, when not nil, reads a --cert file as the flag is
	// set, so that a bad file is named at once; Run reads it in any case
	// (Env.Certificates).
	Certificates Certificates
}

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func bitText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// parseBit reads a check box or a link's flag: 1, true or on; 0, false,
// off or nothing.
func parseBit(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "on":
		return true, nil
	case "", "0", "false", "off":
		return false, nil
	}
	return false, fmt.Errorf("want 1 or 0")
}

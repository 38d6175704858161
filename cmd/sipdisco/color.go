//go:build !js

package main

import (
	"flag"
	"io"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/internal/console"
)

// The values of --color.
const (
	colorAuto   = "auto"
	colorAlways = "always"
	colorNever  = "never"
)

// registerColor adds --color to fs, setting *p.
func registerColor(fs *flag.FlagSet, p *string) {
	fs.Var(check.NewOneOf(p, colorAuto, colorAuto, colorAlways, colorNever), "color",
		"colour the text report `auto|always|never`: auto on a terminal, unless NO_COLOR is set or TERM=dumb; JSON and Markdown never")
}

// colorFor decides whether text written to w is coloured: always and
// never as they say (an explicit choice outranks NO_COLOR, as no-color.org
// asks), auto only on a terminal that takes ANSI sequences with neither
// NO_COLOR nor TERM=dumb (console.Detect).
func colorFor(mode string, w io.Writer) (bool, error) {
	switch mode {
	case colorAlways:
		return true, nil
	case colorNever:
		return false, nil
	case colorAuto, "":
		return console.Detect(w).Color, nil
	}
	return false, usagef("--color %q: want auto, always or never", mode)
}

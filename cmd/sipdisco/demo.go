//go:build !js

package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

func runDemo(args []string, stdout io.Writer) error {
	fs := newFlagSet("demo")
	pos, err := parseFlags(fs, args, stdout, usageOf("demo"))
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "list" {
		return usagef("want sipdisco demo list (run sipdisco demo -h for help)")
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TRY\tSHOWS")
	for _, s := range demo.Scenarios() {
		fmt.Fprintf(tw, "%s\t%s\n", s.Try, s.Description)
	}
	return tw.Flush()
}

func loadDemo() (*zone.Set, error) { return zone.Demo() }

//go:build !js

package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/sipdisco/sipdisco/dohclient/zone"
	"github.com/sipdisco/sipdisco/engine/demo"
)

func runDemo(args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "list" {
		return usagef("usage: sipdisco demo list")
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TRY\tSHOWS")
	for _, s := range demo.Scenarios() {
		fmt.Fprintf(tw, "%s\t%s\n", s.Try, s.Description)
	}
	return tw.Flush()
}

func loadDemo() (*zone.Set, error) { return zone.Demo() }

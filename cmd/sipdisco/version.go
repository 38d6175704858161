//go:build !js

package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/sipdisco/sipdisco/internal/buildinfo"
	"github.com/sipdisco/sipdisco/web"
)

// versionInfo is what sipdisco version prints: the build, and whether
// the site is built in.
type versionInfo struct {
	buildinfo.Info
	// Site is "built in" for a release binary and "built from the
	// source tree when needed" for a development build.
	Site string `json:"site"`
}

func readVersion() versionInfo {
	v := versionInfo{Info: buildinfo.Read(), Site: "built from the source tree when needed (development build)"}
	if web.Embedded() != nil {
		v.Site = "built in"
	}
	return v
}

type versionOptions struct{ json bool }

func (o *versionOptions) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.json, "json", false, "print JSON")
	shortFlag(fs, "json")
}

func runVersion(args []string, stdout io.Writer) error {
	var o versionOptions
	fs := newFlagSet("version")
	o.register(fs)
	pos, err := parseFlags(fs, args, stdout, usageOf("version"))
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (run sipdisco version -h for help)", pos[0])
	}
	v := readVersion()
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	return writeVersion(stdout, v)
}

// writeVersion prints v as "sipdisco VERSION" and aligned details.
func writeVersion(w io.Writer, v versionInfo) error {
	date := v.Date
	if date == "" {
		date = "unknown"
	}
	_, err := fmt.Fprintf(w, "sipdisco %s\ncommit:  %s\ndate:    %s\ngo:      %s %s\nsite:    %s\n",
		v.Version, v.ShortCommit(), date, v.Go, v.Platform, v.Site)
	return err
}

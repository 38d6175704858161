//go:build !js

package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Read returns the Info of the running binary.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return read(version, commit, date, bi)
}

// read combines the linker-stamped values with the build info the go
// command recorded; stamped values win.
func read(version, commit, date string, bi *debug.BuildInfo) Info {
	in := Info{Version: version, Commit: commit, Date: date, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		in.Go = bi.GoVersion
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = bi.Main.Version
		}
		if in.Commit == "" {
			in.Commit = settings["vcs.revision"]
			if in.Commit != "" && settings["vcs.modified"] == "true" {
				in.Commit += "-dirty"
			}
		}
		if in.Date == "" {
			in.Date = settings["vcs.time"]
		}
		if goos, goarch := settings["GOOS"], settings["GOARCH"]; goos != "" && goarch != "" {
			in.Platform = goos + "/" + goarch
		}
	}
	in.Version = strings.TrimPrefix(in.Version, "v")
	if in.Version == "" {
		in.Version = "devel"
	}
	return in
}

// Package buildinfo says which sipdisco this is: the version, the commit
// and the date it was built from, and the Go release that built it.
//
// A release build stamps them with the linker (see cmd/release):
//
//	-ldflags "-X github.com/sipdisco/sipdisco/internal/buildinfo.version=1.2.0
//	          -X github.com/sipdisco/sipdisco/internal/buildinfo.commit=0123abc...
//	          -X github.com/sipdisco/sipdisco/internal/buildinfo.date=2026-12-01T10:00:00Z"
//
// Without them, Read falls back to what the go command records in every
// binary (runtime/debug.ReadBuildInfo): the module version for
// "go install ...@v1.2.0", and the VCS revision, time and modified flag
// for a build in a git checkout; else "devel".
//
// In WebAssembly only the stamped values are read (the page's module is
// built with the version of the program that builds it, see
// web.BuildWASM), so that the module links no runtime/debug.
//
// What it deliberately does not do: contact anything to learn whether a
// newer version exists.
package buildinfo

import "strings"

// Set by the linker in release builds (-X); see the package comment.
var (
	version string
	commit  string
	date    string
)

// Info describes this binary.
type Info struct {
	// Version is the release version without a leading "v" ("1.2.0",
	// "1.2.0-3-g0123abc" between tags), or "devel".
	Version string `json:"version"`
	// Commit is the full git commit hash, "" if unknown; a "-dirty"
	// suffix marks a build from a modified tree.
	Commit string `json:"commit"`
	// Date is when the commit was made (RFC 3339, UTC), "" if unknown.
	// Release builds use the commit date, not the time of the build, so
	// that two builds of one commit are identical.
	Date string `json:"date"`
	// Go is the Go release that built the binary ("go1.26.8").
	Go string `json:"go"`
	// Platform is GOOS/GOARCH ("windows/amd64").
	Platform string `json:"platform"`
}

// ShortCommit returns the first 12 characters of the commit (and its
// -dirty mark), or "unknown".
func (in Info) ShortCommit() string {
	c, dirty := strings.CutSuffix(in.Commit, "-dirty")
	if c == "" {
		return "unknown"
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if dirty {
		c += "-dirty"
	}
	return c
}

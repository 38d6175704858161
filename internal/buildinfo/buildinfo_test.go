//go:build !js

package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestRead(t *testing.T) {
	vcs := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "GOOS", Value: "windows"}, {Key: "GOARCH", Value: "arm64"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-30T12:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	installed := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}}
	for _, tt := range []struct {
		name                  string
		version, commit, date string
		bi                    *debug.BuildInfo
		want                  Info
	}{
		{"stamped release wins", "v1.2.0", "fedcba", "2026-12-01T10:00:00Z", vcs,
			Info{Version: "1.2.0", Commit: "fedcba", Date: "2026-12-01T10:00:00Z", Go: "go1.26.8", Platform: "windows/arm64"}},
		{"git checkout", "", "", "", vcs,
			Info{Version: "devel", Commit: "0123456789abcdef0123456789abcdef01234567-dirty", Date: "2026-11-30T12:00:00Z", Go: "go1.26.8", Platform: "windows/arm64"}},
		{"go install @version", "", "", "", installed,
			Info{Version: "1.4.0", Go: "go1.26.8", Platform: runtime.GOOS + "/" + runtime.GOARCH}},
		{"no build info", "", "", "", nil,
			Info{Version: "devel", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}},
	} {
		if got := read(tt.version, tt.commit, tt.date, tt.bi); got != tt.want {
			t.Errorf("%s: read = %+v; want %+v", tt.name, got, tt.want)
		}
	}
}

func TestShortCommit(t *testing.T) {
	for in, want := range map[string]string{
		"":   "unknown",
		"ab": "ab",
		"0123456789abcdef0123456789abcdef01234567":       "0123456789ab",
		"0123456789abcdef0123456789abcdef01234567-dirty": "0123456789ab-dirty",
	} {
		if got := (Info{Commit: in}).ShortCommit(); got != want {
			t.Errorf("Info{Commit: %q}.ShortCommit() = %q; want %q", in, got, want)
		}
	}
}

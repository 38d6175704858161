package buildinfo

import "runtime"

// Read returns the Info of the running module: the values stamped by the
// linker, the Go release, and js/wasm. A module built without a version
// is "devel".
func Read() Info {
	in := Info{Version: version, Commit: commit, Date: date, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if in.Version == "" {
		in.Version = "devel"
	}
	return in
}

//go:build !unix

package logread

import "time"

// cpuTime is not measured here (WebAssembly has no getrusage): the
// benchmark's CPU metrics are then 0.
func cpuTime() time.Duration { return 0 }

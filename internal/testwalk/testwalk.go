// Package testwalk holds what tests that walk every demo zone, profile
// and policy share.
package testwalk

import (
	"runtime"
	"testing"
)

// SkipInWASM skips an exhaustive walk when the tests are compiled to
// WebAssembly (make test-wasm). A walk checks logic that is the same Go
// code on every platform over every demo zone, profile and policy; the
// native run (make test-go) covers it, and under Node the walks took
// 40–155 s each. The package's other tests still run there.
func SkipInWASM(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("an exhaustive walk of platform-independent logic: the native run covers it")
	}
}

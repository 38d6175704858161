//go:build !windows

package console

import "os"

// enableVT reports whether the terminal f takes ANSI control sequences:
// every Unix terminal emulator does.
func enableVT(f *os.File) bool { return true }

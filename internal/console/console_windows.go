//go:build windows

package console

import (
	"os"

	"golang.org/x/sys/windows"
)

// enableVT switches the console f to virtual-terminal processing, so that
// it interprets ANSI control sequences instead of printing them, and
// reports whether the console now does. Consoles older than Windows 10
// 1511, and the legacy console, refuse the flag (SetConsoleMode,
// "Console Virtual Terminal Sequences" in Microsoft's documentation).
func enableVT(f *os.File) bool {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}

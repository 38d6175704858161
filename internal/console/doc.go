// Package console describes where a command-line program writes: whether
// the stream is an interactive terminal, whether it takes ANSI (ECMA-48)
// control sequences, and whether colour is wanted; and it draws a status
// line — a progress bar — that is rewritten in place.
//
// Colour follows the NO_COLOR convention (https://no-color.org: a
// NO_COLOR variable that is present and not empty turns colour off) and
// TERM=dumb. A stream that is not a terminal (a file, a pipe, a CI log)
// gets no status line at all. On Windows, a console is switched to
// virtual-terminal processing (SetConsoleMode with
// ENABLE_VIRTUAL_TERMINAL_PROCESSING, Windows 10 1511 and later); where
// that is refused, as in the legacy console, the status line is redrawn
// with carriage returns and spaces only, so no "←[K" ever shows.
//
// What it deliberately does not do: pick colours or styles, read input,
// or handle terminal resizing while a line is shown (the width is read
// once, by Detect).
//
// The operating-system part is one function, enableVT, in
// console_windows.go and console_other.go.
package console

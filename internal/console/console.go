package console

import (
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// Caps are what a stream can show.
type Caps struct {
	// Terminal is set for an interactive terminal: a status line helps
	// there and does not end up in a log.
	Terminal bool
	// VT is set when the terminal takes ANSI control sequences (erase
	// line, colour).
	VT bool
	// Color is set when colour is wanted: VT, and neither NO_COLOR nor
	// TERM=dumb.
	Color bool
	// Width is the terminal's width in columns, 0 if unknown.
	Width int
}

// Detect returns the capabilities of w, reading the environment with
// os.Getenv. Only an *os.File can be a terminal. On Windows, Detect
// switches a console to virtual-terminal processing when it can.
func Detect(w io.Writer) Caps {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return Decide(false, false, 0, os.Getenv)
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		width = 0
	}
	return Decide(true, enableVT(f), width, os.Getenv)
}

// Decide returns the capabilities of a stream from what is known of it:
// whether it is a terminal, whether the terminal takes ANSI control
// sequences (always on Unix; after SetConsoleMode on Windows), its width,
// and the environment.
func Decide(terminal, vt bool, width int, getenv func(string) string) Caps {
	if !terminal {
		return Caps{}
	}
	dumb := getenv("TERM") == "dumb"
	c := Caps{Terminal: true, VT: vt && !dumb, Width: max(width, 0)}
	c.Color = c.VT && getenv("NO_COLOR") == ""
	return c
}

// Status is a one-line status (a progress bar) on a stream, rewritten in
// place. On a stream that is not a terminal its methods write nothing.
// A Status is not safe for concurrent use.
type Status struct {
	w     io.Writer
	caps  Caps
	shown int // columns of the line on screen
}

// NewStatus returns a status line on w with capabilities c (from Detect).
func NewStatus(w io.Writer, c Caps) *Status { return &Status{w: w, caps: c} }

// Show replaces the status line with line (one line; control characters
// are dropped). It is cut to the terminal's width, so that it never wraps
// (a wrapped line cannot be rewritten with a carriage return).
func (s *Status) Show(line string) {
	if s == nil || !s.caps.Terminal {
		return
	}
	b := s.render(line)
	io.WriteString(s.w, b)
}

// Clear removes the status line, leaving the cursor at the start of the
// empty line.
func (s *Status) Clear() {
	if s == nil || !s.caps.Terminal || s.shown == 0 {
		return
	}
	if s.caps.VT {
		io.WriteString(s.w, "\r\x1b[K")
	} else {
		io.WriteString(s.w, "\r"+strings.Repeat(" ", s.shown)+"\r")
	}
	s.shown = 0
}

// render returns the bytes that replace the line on screen with line.
func (s *Status) render(line string) string {
	line = printable(line)
	if w := s.caps.Width; w > 1 {
		line = cut(line, w-1)
	}
	n := utf8.RuneCountInString(line)
	var out string
	if s.caps.VT {
		out = "\r" + line + "\x1b[K"
	} else {
		// Plain carriage returns: overwrite what was there with spaces.
		out = "\r" + line
		if pad := s.shown - n; pad > 0 {
			out += strings.Repeat(" ", pad) + "\r" + line
		}
	}
	s.shown = n
	return out
}

// printable drops control characters, escape sequences included, so that
// a status line holding hostile text (a DNS name) cannot move the cursor.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}

// cut returns at most n runes of s.
func cut(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

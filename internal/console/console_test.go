package console

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestDecide(t *testing.T) {
	for _, tt := range []struct {
		name         string
		terminal, vt bool
		env          func(string) string
		want         Caps
	}{
		{"pipe", false, true, env(), Caps{}},
		{"pipe ignores the width", false, false, env("TERM", "xterm"), Caps{}},
		{"unix terminal", true, true, env("TERM", "xterm-256color"), Caps{Terminal: true, VT: true, Color: true, Width: 80}},
		{"NO_COLOR set", true, true, env("NO_COLOR", "1"), Caps{Terminal: true, VT: true, Width: 80}},
		{"NO_COLOR empty means unset", true, true, env("NO_COLOR", ""), Caps{Terminal: true, VT: true, Color: true, Width: 80}},
		{"TERM=dumb", true, true, env("TERM", "dumb"), Caps{Terminal: true, Width: 80}},
		{"legacy Windows console", true, false, env(), Caps{Terminal: true, Width: 80}},
	} {
		if got := Decide(tt.terminal, tt.vt, 80, tt.env); got != tt.want {
			t.Errorf("%s: Decide(%v, %v, 80) = %+v; want %+v", tt.name, tt.terminal, tt.vt, got, tt.want)
		}
	}
}

func TestStatus(t *testing.T) {
	for _, tt := range []struct {
		name  string
		caps  Caps
		lines []string
		clear bool
		want  string
	}{
		{"not a terminal", Caps{}, []string{"[##..] 1/2"}, true, ""},
		{"VT", Caps{Terminal: true, VT: true}, []string{"[#...] 1/4", "[##..] 2/4"}, true,
			"\r[#...] 1/4\x1b[K\r[##..] 2/4\x1b[K\r\x1b[K"},
		{"plain carriage returns overwrite a longer line", Caps{Terminal: true}, []string{"9/10 addresses", "10/10"}, true,
			"\r9/10 addresses\r10/10         \r10/10\r     \r"},
		{"plain, growing line", Caps{Terminal: true}, []string{"1", "22"}, false, "\r1\r22"},
		{"cut to the width less one", Caps{Terminal: true, VT: true, Width: 6}, []string{"abcdefghij"}, false, "\rabcde\x1b[K"},
		{"control bytes from hostile text dropped", Caps{Terminal: true, VT: true}, []string{"bob@\x1b[2Jx\r\n\x00\u009b.example"}, false, "\rbob@[2Jx.example\x1b[K"},
		{"clear with nothing shown", Caps{Terminal: true, VT: true}, nil, true, ""},
	} {
		var b bytes.Buffer
		s := NewStatus(&b, tt.caps)
		for _, l := range tt.lines {
			s.Show(l)
		}
		if tt.clear {
			s.Clear()
		}
		if got := b.String(); got != tt.want {
			t.Errorf("%s: wrote %q; want %q", tt.name, got, tt.want)
		}
		if tt.caps.VT == false && strings.Contains(b.String(), "\x1b") {
			t.Errorf("%s: a console without VT got an escape sequence: %q", tt.name, b.String())
		}
	}
	var nilStatus *Status
	nilStatus.Show("x") // a nil Status is a no-op, like a disabled bar
	nilStatus.Clear()
}

func TestDetectNotATerminal(t *testing.T) {
	f, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]any{"file": f, "pipe": w, "buffer": new(bytes.Buffer)} {
		var c Caps
		switch o := out.(type) {
		case *os.File:
			c = Detect(o)
		case *bytes.Buffer:
			c = Detect(o)
		}
		if c.Terminal || c.VT || c.Color {
			t.Errorf("Detect(%s) = %+v; want no terminal", name, c)
		}
	}
}

package logread

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead feeds the reader anything: it never panics, and what it keeps
// stays within its limits.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	// Found by the fuzzer: a server record the log ends inside, its
	// packet filed by the end of the log and again by the record's end.
	f.Add([]byte("$$begin_record\nStArt-Line:0\n0"))
	// Found by the fuzzer: a REGISTER's 200-range answer with a status
	// of four digits, no Call-ID, in plain SIP.
	f.Add([]byte("00000000000000000000000\nSIP/2.0 1000 \nCSeq:0 REGISTER"))
	lim := Limits{Line: 256, Message: 512, Messages: 4, PerCall: 3, Calls: 2, Evidence: 2, Problems: 2}
	f.Fuzz(func(t *testing.T, in []byte) {
		l, err := Read(context.Background(), bytes.NewReader(in), lim, nil)
		if err != nil {
			return
		}
		if len(l.Messages) > lim.Messages || len(l.Discovery.Evidence) > lim.Evidence || len(l.Problems) > lim.Problems || len(l.Diagnostics) > lim.Evidence {
			t.Fatalf("kept beyond the limits: %d messages, %d evidence, %d problems, %d diagnostics", len(l.Messages), len(l.Discovery.Evidence), len(l.Problems), len(l.Diagnostics))
		}
		if si := l.SignIn; si != nil {
			if len(si.Attempts) > lim.Calls {
				t.Fatalf("%d attempts; limit %d", len(si.Attempts), lim.Calls)
			}
			for _, a := range si.Attempts {
				if len(a.Steps) > lim.PerCall {
					t.Fatalf("%d steps; limit %d", len(a.Steps), lim.PerCall)
				}
				for _, s := range a.Steps {
					for _, h := range s.Headers {
						if len(h.Value) > lim.Message+1024 {
							t.Fatalf("a header of %d bytes kept", len(h.Value))
						}
					}
				}
			}
		}
		if l.SignIn != nil {
			// A link to any ladder the reader makes opens.
			frag, err := EncodeLink(l)
			if err == nil {
				if _, _, err := DecodeLink(frag); err != nil {
					t.Fatalf("the link to the log's ladder does not open: %v", err)
				}
			}
		}
		if l.Bytes != int64(len(in)) {
			t.Fatalf("Bytes = %d; read %d", l.Bytes, len(in))
		}
	})
}

// FuzzDecodeLink feeds the link decoder anything after "#l=": it never
// panics, and what it opens stays within the reader's limits.
func FuzzDecodeLink(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		l, err := Read(context.Background(), bytes.NewReader(b), DefaultLimits(), nil)
		if err != nil || l.SignIn == nil {
			continue
		}
		frag, err := EncodeLink(l)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(frag)
		f.Add(frag[:len(frag)/2])
	}
	f.Fuzz(func(t *testing.T, frag string) {
		l, lad, err := DecodeLink(frag)
		if err != nil {
			return
		}
		if err := lad.check(); err != nil || l.SignIn == nil || len(l.SignIn.Attempts) > DefaultLimits().Calls {
			t.Fatalf("opened a ladder the checks refuse: %v", err)
		}
	})
}

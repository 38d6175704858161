package logread

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScannerAgreesWithParser reads every sample, a generated client log
// and hostile variants of them twice: as Read does (the scanner files
// presence, instant messages and what lies beyond the limits, sipgo the
// ladder's REGISTER exchanges) and with every message parsed by sipgo.
// The two logs must be the same, in JSON, under the default limits and
// under limits small enough that every cut is taken.
func TestScannerAgreesWithParser(t *testing.T) {
	inputs := map[string][]byte{}
	files, _ := filepath.Glob("testdata/*")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(name)] = b
		// Unix line ends, and a log cut in the middle of a message.
		inputs[filepath.Base(name)+"/lf"] = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
		inputs[filepath.Base(name)+"/half"] = b[:len(b)/2]
		// Compact and lower-case header names, odd CSeq spacing.
		odd := bytes.ReplaceAll(b, []byte("Call-ID:"), []byte("i:"))
		odd = bytes.ReplaceAll(odd, []byte("CSeq: "), []byte("cseq:  "))
		inputs[filepath.Base(name)+"/odd"] = odd
	}
	var gen bytes.Buffer
	if err := writeUccApilog(&gen, 400<<10); err != nil {
		t.Fatal(err)
	}
	inputs["generated"] = gen.Bytes()
	limits := map[string]Limits{
		"default": DefaultLimits(),
		"small":   {Line: 4096, Message: 2048, Messages: 3, PerCall: 2, Calls: 2, Evidence: 2, Problems: 3},
	}
	for name, in := range inputs {
		for ln, lim := range limits {
			fast, err1 := read(context.Background(), bytes.NewReader(in), lim, nil, false)
			full, err2 := read(context.Background(), bytes.NewReader(in), lim, nil, true)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s, %s limits: errors %v and %v", name, ln, err1, err2)
			}
			if err1 != nil {
				continue
			}
			a, _ := json.MarshalIndent(fast, "", " ")
			b, _ := json.MarshalIndent(full, "", " ")
			if diff := cmp.Diff(string(b), string(a)); diff != "" {
				t.Errorf("%s, %s limits: the scanner's log differs from sipgo's (-sipgo +scanner):\n%s", name, ln, diff)
			}
			if name == "generated" && ln == "small" && (fast.Dropped.Calls == 0 || fast.Folded["NOTIFY"] == 0 || fast.Dropped.Messages == 0) {
				t.Errorf("the generated log took no shortcut: %+v, folded %v", fast.Dropped, fast.Folded)
			}
		}
	}
}

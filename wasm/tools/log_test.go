//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"syscall/js"
	"testing"

	"github.com/sipdisco/sipdisco/internal/jsasync"
	"github.com/sipdisco/sipdisco/logread"
)

// blobOf returns a JavaScript Blob holding b, as the page hands a file.
func blobOf(b []byte) js.Value {
	parts := js.Global().Get("Array").New()
	parts.Call("push", jsasync.Uint8Array(b))
	return js.Global().Get("Blob").New(parts)
}

// TestReadLog reads the redirect sample as the page does, from a Blob
// with no prediction: the ladders, the decoded 1003 and the progress
// reported; and no secret of the sample in the HTML or the JSON.
func TestReadLog(t *testing.T) {
	b, err := os.ReadFile("../../logread/testdata/uccapi-redirect-404.uccapilog")
	if err != nil {
		t.Fatal(err)
	}
	var last float64
	progress := js.FuncOf(func(_ js.Value, a []js.Value) any { last = a[0].Float(); return nil })
	defer progress.Release()
	got, err := call(t, readLog, blobOf(b), `{"doh":""}`, progress)
	if err != nil {
		t.Fatal(err)
	}
	var res struct{ HTML, JSON string }
	if err := json.Unmarshal([]byte(got), &res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data-format="uccapilog"`, `data-outcome="failed"`, "User does not exist.", "Attempt 2", "sip:pool02.healthy.example:5061;transport=tls"} {
		if !strings.Contains(res.HTML, want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	if !strings.Contains(res.JSON, `"finalStatus": 404`) || strings.Contains(res.JSON, `"comparison"`) {
		t.Errorf("the JSON lacks the 404 or has a comparison though none was asked:\n%s", res.JSON)
	}
	if strings.Contains(got, "S3CR3T") {
		t.Errorf("a secret of the sample is in the result")
	}
	if last != float64(len(b)) {
		t.Errorf("progress ended at %v; want %d", last, len(b))
	}
	if !strings.Contains(res.HTML, `href="#l=`) {
		t.Errorf("the HTML offers no link to the ladder")
	}
}

// TestOpenLogLink opens a link to the NTLM sample's ladder as the page
// does: the ladder with the notice that it is a redacted copy, no secret;
// a damaged link and a plain anchor are told apart.
func TestOpenLogLink(t *testing.T) {
	b, err := os.ReadFile("../../logread/testdata/uccapi-ntlm-403.uccapilog")
	if err != nil {
		t.Fatal(err)
	}
	l, err := logread.Read(t.Context(), bytes.NewReader(b), logread.DefaultLimits(), nil)
	if err != nil {
		t.Fatal(err)
	}
	frag, err := logread.EncodeLink(l)
	if err != nil {
		t.Fatal(err)
	}
	got, err := call(t, openLogLink, frag)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Found bool
		HTML  string
	}
	if err := json.Unmarshal([]byte(got), &res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data-testid="log-shared"`, "no log was uploaded", `data-outcome="failed"`, "Credentials provided are not authorized"} {
		if !res.Found || !strings.Contains(res.HTML, want) {
			t.Errorf("found %v; the HTML lacks %q", res.Found, want)
		}
	}
	if n := strings.Count(res.HTML, "<tr>") - 1; n != 6 {
		t.Errorf("%d ladder rows; want 6", n)
	}
	if strings.Contains(got, "S3CR3T") {
		t.Errorf("a secret of the sample is in the opened link")
	}
	if got, err := call(t, openLogLink, "#top"); err != nil || !strings.Contains(got, `"found":false`) {
		t.Errorf("an anchor: %s, %v; want found false", got, err)
	}
	if _, err := call(t, openLogLink, frag[:len(frag)-5]); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("a cut link: error %v; want it called damaged", err)
	}
}

func TestReadLogErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []any
		want string
	}{
		{"no blob", []any{"text", `{}`}, "takes a Blob"},
		{"binary", []any{blobOf([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0}), `{}`}, "not a text log"},
		{"bad form", []any{blobOf([]byte("x")), `{"doh":1}`}, "log form"},
	} {
		_, err := call(t, readLog, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

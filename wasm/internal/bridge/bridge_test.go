//go:build js && wasm

package bridge

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
)

func sampleSnapshot() check.Snapshot {
	return check.Snapshot{TakenAt: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), DoH: "local", Report: &engine.Report{
		URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile,
		Policy: engine.DefaultPolicy(), Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "sip.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sip._tls.contoso.com"},
		Steps:  []engine.Step{{Question: "_sip._tls.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 5061 sip.contoso.com."}, Round: 1}},
	}}
}

func jsonOf(t *testing.T, s check.Snapshot) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSnapshotCodecsAgree: a link the browser's compression writes opens
// with compress/gzip and the other way round; both refuse the same
// damaged links.
func TestSnapshotCodecsAgree(t *testing.T) {
	ctx := context.Background()
	s := sampleSnapshot()
	browser, err := EncodeSnapshot(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	native, err := snapshot.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	s.V = check.SnapshotVersion
	want := jsonOf(t, s)
	for name, frag := range map[string]string{"browser": browser, "native": native} {
		for dec, decode := range map[string]func(string) (check.Snapshot, error){
			"browser": func(f string) (check.Snapshot, error) { return DecodeSnapshot(ctx, f) },
			"native":  snapshot.Decode,
		} {
			got, err := decode(frag)
			if err != nil || jsonOf(t, got) != want {
				t.Errorf("a link written by the %s codec, read by the %s one: %v\n%s", name, dec, err, jsonOf(t, got))
			}
		}
	}

	// Damage: each one-character change to the browser's link, and the
	// links below, are read alike by both decoders.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	damaged := []string{browser + "AAAA", browser[:len(browser)-6], "#s=" + strings.Repeat("A", 40)}
	for i := 3; i < len(browser); i++ {
		c := alphabet[strings.IndexByte(alphabet, browser[i])^1]
		damaged = append(damaged, browser[:i]+string(c)+browser[i+1:])
	}
	var v1 bytes.Buffer
	w, _ := flate.NewWriter(&v1, flate.BestCompression)
	v1s := s
	v1s.V = 1
	w.Write([]byte(jsonOf(t, v1s)))
	w.Close()
	damaged = append(damaged, "#s="+base64.RawURLEncoding.EncodeToString(v1.Bytes()))
	differ := 0
	for _, f := range damaged {
		a, errA := DecodeSnapshot(ctx, f)
		b, errB := snapshot.Decode(f)
		if (errA == nil) != (errB == nil) || errA == nil && jsonOf(t, a) != jsonOf(t, b) {
			t.Errorf("the decoders disagree on %q: browser %v, native %v", f, errA, errB)
			continue
		}
		if errA != nil && errA.Error() != errB.Error() {
			differ++
		}
	}
	t.Logf("%d damaged links; %d refused in other words by the two decoders", len(damaged), differ)
}

// TestSnapshotBomb: a link whose data inflates without end is stopped at
// the limit.
func TestSnapshotBomb(t *testing.T) {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 20 {
		w.Write(zeros)
	}
	w.Close()
	frag := "#s=" + base64.RawURLEncoding.EncodeToString(b.Bytes())
	start := time.Now()
	_, err := DecodeSnapshot(context.Background(), frag)
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("a link inflating to 20 MiB: %v; want the size limit", err)
	}
	t.Logf("%d-byte link refused in %v", len(frag), time.Since(start))
}

// TestReadBodyStops reads a response whose body would be 100 MiB: the
// reading stops just past the 64 KiB the clients accept, having pulled
// only a few chunks from the stream.
func TestReadBodyStops(t *testing.T) {
	pulls := 0
	chunk := js.Global().Get("Uint8Array").New(16 << 10)
	pull := js.FuncOf(func(_ js.Value, a []js.Value) any {
		pulls++
		if pulls > 6400 {
			a[0].Call("close")
		} else {
			a[0].Call("enqueue", chunk)
		}
		return nil
	})
	defer pull.Release()
	src := js.Global().Get("Object").New()
	src.Set("pull", pull)
	stream := js.Global().Get("ReadableStream").New(src)
	resp := js.Global().Get("Response").New(stream)
	body, err := readBody(context.Background(), jsNew("AbortController"), resp, MaxFetchBody)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) != MaxFetchBody || pulls > 16 {
		t.Errorf("read %d bytes in %d pulls; want %d bytes and a handful of pulls", len(body), pulls, MaxFetchBody)
	}
}

func TestPanicRejects(t *testing.T) {
	f := Promise(func(context.Context, []js.Value) (any, error) { panic("boom") })
	defer f.Release()
	_, err := Await(context.Background(), jsNew("AbortController"), f.Invoke())
	if err == nil || !strings.Contains(err.Error(), "internal error in the analyzer: boom") {
		t.Errorf("panic: error %v; want a rejection naming it", err)
	}
}

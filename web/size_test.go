//go:build !js

package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// wasmDir holds the main.wasm that testWASM builds; TestMain removes it.
var wasmDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if wasmDir != "" {
		os.RemoveAll(wasmDir)
	}
	os.Exit(code)
}

var wasmOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sipdisco-wasm-")
	if err != nil {
		return "", err
	}
	wasmDir = dir
	out := filepath.Join(dir, "main.wasm")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return out, BuildWASM(ctx, "..", out)
})

// testWASM builds main.wasm once per test binary and returns its path.
func testWASM(t *testing.T) string {
	t.Helper()
	p, err := wasmOnce()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Sizes of main.wasm as served: raw, gzip -9 and brotli -q 11.
func compressedSizes(b []byte) (gz, br int) {
	var g, r bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&g, gzip.BestCompression)
	gw.Write(b)
	gw.Close()
	bw := brotli.NewWriterLevel(&r, brotli.BestCompression)
	bw.Write(b)
	bw.Close()
	return g.Len(), r.Len()
}

// TestWASMSize reports the size of main.wasm. SIPDISCO_WASM_BUDGET (bytes,
// brotli) makes it fail when the file is over that budget.
func TestWASMSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds main.wasm")
	}
	b, err := os.ReadFile(testWASM(t))
	if err != nil {
		t.Fatal(err)
	}
	gz, br := compressedSizes(b)
	t.Logf("main.wasm: raw %d bytes, gzip -9 %d bytes, brotli -q 11 %d bytes", len(b), gz, br)
	if s := os.Getenv("SIPDISCO_WASM_BUDGET"); s != "" {
		budget, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("SIPDISCO_WASM_BUDGET=%q: %v", s, err)
		}
		if br > budget {
			t.Errorf("main.wasm is %d bytes with brotli, over the budget of %d", br, budget)
		}
	}
}

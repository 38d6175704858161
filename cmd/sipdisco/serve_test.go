//go:build !js

package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/web"
)

// startBounded serves a stand-in site and the DoH handler over the demo
// zones on a loopback port with limits, as runServe does, and returns the
// address. The server stops when the test ends.
func startBounded(t *testing.T, limits serverLimits) string {
	t.Helper()
	return startBoundedB(t, limits)
}

// startBoundedB is startBounded for a test or a benchmark.
func startBoundedB(t testing.TB, limits serverLimits) string {
	t.Helper()
	zones, err := loadDemo()
	if err != nil {
		t.Fatal(err)
	}
	site := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>stand-in</title>")}}
	h := web.Handler(site, nil, server.NewHandler(zones, server.HandlerOptions{Timeout: 2 * time.Second}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveHTTP(ctx, ln, h, limits) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serveHTTP: %v", err)
		}
	})
	return ln.Addr().String()
}

// closedWithin reports how long the server took to close c (reads return
// an error), waiting at most max; ok is false if c was still open then.
// Whatever the server answered before closing is returned.
func closedWithin(c net.Conn, max time.Duration) (d time.Duration, answer string, ok bool) {
	start := time.Now()
	c.SetReadDeadline(start.Add(max))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return time.Since(start), string(b), false
	}
	return time.Since(start), string(b), true
}

// TestServeBoundsSlowClients holds connections the way a slow or hostile
// client does — a header sent a byte at a time, a body that never ends, an
// idle keep-alive connection, an oversized header, more connections than
// allowed — against the server runServe builds, with short limits, and
// checks that the server ends each one itself. Every wait is bounded, so
// the test stops by itself however the server behaves.
func TestServeBoundsSlowClients(t *testing.T) {
	limits := serverLimits{
		ReadHeader:     300 * time.Millisecond,
		Read:           600 * time.Millisecond,
		Write:          2 * time.Second,
		Idle:           400 * time.Millisecond,
		MaxHeaderBytes: 4 << 10,
		MaxConns:       4,
	}
	// A connection still open this long after its limit was not closed
	// by the server (the limits are ten times shorter).
	const grace = 5 * time.Second
	addr := startBounded(t, limits)
	dial := func(t *testing.T) net.Conn {
		t.Helper()
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// drip writes s a byte at a time every gap, until a write fails (the
	// server closed) or stop is closed.
	drip := func(c net.Conn, s string, gap time.Duration, stop <-chan struct{}) {
		for i := 0; i < len(s); i++ {
			select {
			case <-stop:
				return
			case <-time.After(gap):
			}
			c.SetWriteDeadline(time.Now().Add(time.Second))
			if _, err := c.Write([]byte{s[i]}); err != nil {
				return
			}
		}
	}

	t.Run("slow header", func(t *testing.T) {
		var wg sync.WaitGroup
		stop := make(chan struct{})
		defer func() { close(stop); wg.Wait() }()
		var mu sync.Mutex
		var open []int
		for i := range 3 {
			c := dial(t)
			wg.Add(2)
			go func() {
				defer wg.Done()
				drip(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "+strings.Repeat("a", 200)+"\r\n\r\n", 50*time.Millisecond, stop)
			}()
			go func() {
				defer wg.Done()
				if _, _, ok := closedWithin(c, limits.ReadHeader+grace); !ok {
					mu.Lock()
					open = append(open, i)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(open) > 0 {
			t.Errorf("connections %v sending their header a byte every 50 ms were still open %v after the header limit %v", open, grace, limits.ReadHeader)
		}
	})

	t.Run("slow body", func(t *testing.T) {
		c := dial(t)
		fmt.Fprintf(c, "POST /dns-query HTTP/1.1\r\nHost: x\r\nContent-Type: application/dns-message\r\nContent-Length: 1000\r\n\r\n")
		stop := make(chan struct{})
		defer close(stop)
		go drip(c, strings.Repeat("x", 1000), 50*time.Millisecond, stop)
		if _, _, ok := closedWithin(c, limits.Read+grace); !ok {
			t.Errorf("a body sent a byte every 50 ms was still being read %v after the read limit %v", grace, limits.Read)
		}
	})

	t.Run("idle keep-alive", func(t *testing.T) {
		c := dial(t)
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		br := bufio.NewReader(c)
		c.SetReadDeadline(time.Now().Add(grace))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Close {
			t.Fatalf("GET / = %d, close %v; want 200 on a kept-alive connection", resp.StatusCode, resp.Close)
		}
		start := time.Now()
		c.SetReadDeadline(start.Add(limits.Idle + grace))
		if _, err := br.ReadByte(); err == nil {
			t.Errorf("the server wrote on an idle connection")
		} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("an idle keep-alive connection was still open %v after the idle limit %v", grace, limits.Idle)
		}
	})

	t.Run("oversized header", func(t *testing.T) {
		c := dial(t)
		c.SetWriteDeadline(time.Now().Add(grace))
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 8*limits.MaxHeaderBytes))
		_, answer, ok := closedWithin(c, grace)
		if !ok || !strings.HasPrefix(answer, "HTTP/1.1 431 ") {
			t.Errorf("a %d-byte header (limit %d): closed %v, answer %.40q; want 431 and the connection closed", 8*limits.MaxHeaderBytes, limits.MaxHeaderBytes, ok, answer)
		}
	})

	t.Run("Expect 100-continue with an oversized body", func(t *testing.T) {
		c := dial(t)
		fmt.Fprintf(c, "POST /dns-query HTTP/1.1\r\nHost: x\r\nContent-Type: application/dns-message\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", 100<<20)
		_, answer, ok := closedWithin(c, grace)
		if !ok || !strings.HasPrefix(answer, "HTTP/1.1 413 ") || strings.Contains(answer, "100 Continue") {
			t.Errorf("100 MB announced with Expect: 100-continue: closed %v, answer %.60q; want 413 without 100 Continue", ok, answer)
		}
	})

	t.Run("connection cap", func(t *testing.T) {
		// Fill every slot with a connection that has sent half a
		// header; the next connection is answered 503 with
		// Retry-After at once, not left waiting for a slot; once the
		// server ends a held one (here: by the header limit), a new
		// connection is served.
		var held []net.Conn
		for range limits.MaxConns {
			c := dial(t)
			io.WriteString(c, "GET / HTTP/1.1\r\n")
			held = append(held, c)
		}
		time.Sleep(50 * time.Millisecond) // let the server accept them
		c := dial(t)
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(grace))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("the connection after %d held ones got no answer: %v", limits.MaxConns, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || int64(len(body)) != resp.ContentLength {
			t.Errorf("beyond the cap: %s, Retry-After %q, %d-byte body of %d; want 503 with Retry-After", resp.Status, resp.Header.Get("Retry-After"), len(body), resp.ContentLength)
		}
		for _, h := range held {
			if _, _, ok := closedWithin(h, limits.ReadHeader+grace); !ok {
				t.Errorf("a held half-header connection was never closed")
			}
		}
		c = dial(t)
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(grace))
		resp, err = http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("after the held connections ended, a new one was not served: %v %v", resp, err)
		}
		resp.Body.Close()
	})
}

// TestServeListensBeforeBuilding runs serve on an address in use: it must
// fail at once, naming the address, without building the site first.
func TestServeListensBeforeBuilding(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, stdout, stderr := runCLI(t, "serve", "--addr", ln.Addr().String())
	if code != exitError || !strings.Contains(stderr, "cannot listen on "+ln.Addr().String()) || strings.Contains(stderr, "building") {
		t.Errorf("serve on a port in use = exit %d, stdout %q, stderr %q; want exit 1 naming the address, and no build", code, stdout, stderr)
	}
}

// TestServeWithoutSite runs serve and build, from a development build (as
// tests are), in a folder outside the source tree: each must say how to
// get the site, not serve a placeholder.
func TestServeWithoutSite(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0"},
		{"build", "--out", "site"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitError {
			t.Errorf("sipdisco %s outside the source tree = exit %d; want 1", strings.Join(args, " "), code)
		}
		for _, want := range []string{"development build", "not inside the sipdisco source tree", "release binary", "make serve", "make release-host", "--site DIR"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("sipdisco %s outside the source tree: stderr does not say %q:\n%s", strings.Join(args, " "), want, stderr)
			}
		}
		if strings.Contains(stdout, "serving") {
			t.Errorf("sipdisco %s served something: %s", strings.Join(args, " "), stdout)
		}
	}
	if _, err := os.Stat("site"); err == nil {
		t.Errorf("build without a site left a site folder behind")
	}
}

func TestFindSource(t *testing.T) {
	root, ok := findSource()
	if !ok {
		t.Fatal("findSource from cmd/sipdisco did not find the module root")
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "sipdisco", "main.go")); err != nil {
		t.Errorf("findSource = %s, which is not the module root", root)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/other\n"), 0o644)
	os.MkdirAll(filepath.Join(other, "wasm"), 0o755)
	os.WriteFile(filepath.Join(other, "wasm", "main.go"), []byte("package main\n"), 0o644)
	if isSourceRoot(other) {
		t.Errorf("isSourceRoot accepts another module with a wasm folder")
	}
}

func TestBuildChecksWASMFile(t *testing.T) {
	dir := t.TempDir()
	notWASM := filepath.Join(dir, "passwd")
	os.WriteFile(notWASM, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o644)
	out := filepath.Join(dir, "site")
	code, _, stderr := runCLI(t, "build", "--wasm", notWASM, "--wasm-exec", notWASM, "--out", out)
	if code != exitUsage || !strings.Contains(stderr, notWASM) || !strings.Contains(stderr, "not a WebAssembly module") {
		t.Errorf("build --wasm %s = exit %d, %q; want exit 2 naming the file", notWASM, code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("build --wasm with a bad file created %s", out)
	}
	// A folder holding someone's files is refused the same way.
	mine := filepath.Join(dir, "mine")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("keep"), 0o644)
	code, _, stderr = runCLI(t, "build", "--wasm", notWASM, "--out", mine)
	if code != exitUsage || !strings.Contains(stderr, "notes.txt") {
		t.Errorf("build --out into a foreign folder = exit %d, %q; want exit 2 naming notes.txt", code, stderr)
	}
}

// BenchmarkServeBurst opens 500 connections at once against serve's
// limits (64 served at a time), each asking /dns-query one question
// over its own connection, and reports how many were answered and how
// many refused (503), and the slowest and the 99th-percentile time to
// an answer or a refusal: the goal is every client answered or refused
// within a second (issue 27).
func BenchmarkServeBurst(b *testing.B) {
	addr := startBoundedB(b, defaultLimits)
	q := new(dns.Msg)
	q.SetQuestion("_sipinternaltls._tcp.healthy.example.", dns.TypeSRV)
	wire, err := q.Pack()
	if err != nil {
		b.Fatal(err)
	}
	url := "http://" + addr + "/dns-query?dns=" + base64.RawURLEncoding.EncodeToString(wire)
	const clients = 500
	var answered, refused, failed int
	var times []time.Duration
	for b.Loop() {
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range clients {
			wg.Go(func() {
				<-start
				t0 := time.Now()
				c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Accept", "application/dns-message")
				resp, err := c.Do(req)
				d := time.Since(t0)
				mu.Lock()
				defer mu.Unlock()
				times = append(times, d)
				switch {
				case err != nil:
					failed++
				case resp.StatusCode == http.StatusOK:
					answered++
				case resp.StatusCode == http.StatusServiceUnavailable:
					refused++
				default:
					failed++
				}
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
		close(start)
		wg.Wait()
	}
	slices.Sort(times)
	n := float64(b.N)
	b.ReportMetric(float64(answered)/n, "answered")
	b.ReportMetric(float64(refused)/n, "refused")
	b.ReportMetric(float64(failed)/n, "failed")
	b.ReportMetric(float64(times[len(times)*99/100].Milliseconds()), "p99-ms")
	b.ReportMetric(float64(times[len(times)-1].Milliseconds()), "max-ms")
}

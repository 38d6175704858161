//go:build !js

package web

import (
	"bufio"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserAgainstServe drives the real `sipdisco serve` command, as a
// newcomer runs it with make serve: the binary is built, started on a
// loopback port with a site from Build, and Chromium types a demo address.
// (TestBrowser covers the page in depth over the same Handler in-process,
// where it can count and delay DoH requests.)
func TestBrowserAgainstServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds main.wasm and the CLI and drives Chromium")
	}
	chromium := chromiumPath(t)
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	if err := Build(site, BuildOptions{WASMPath: testWASM(t), ModuleDir: "..", LocalDoH: true}); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "sipdisco")
	build := exec.Command("go", "build", "-o", bin, "./cmd/sipdisco")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the CLI: %v\n%s", err, out)
	}
	serve := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--site", site)
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })

	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(30 * time.Second):
		t.Fatal("sipdisco serve did not say where it listens")
	}

	ctx := tab(t, browser(t, chromium), 30*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
		t.Fatal(err)
	}
	got, err := showReport(ctx, chromedp.SendKeys(chromedp.ID("uri"), "bob@fallback.example"+kb.Enter))
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != "connect" || got.Target != "sipinternal.fallback.example:5061" {
		t.Errorf("over sipdisco serve: outcome, target = %q, %q; want connect, sipinternal.fallback.example:5061", got.Outcome, got.Target)
	}
}

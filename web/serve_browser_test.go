//go:build !js

package web

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserAgainstServe drives the real `sipdisco serve` command in
// Chromium, in the two ways people get it: a release binary, downloaded
// into an empty folder on a machine without Go, and a development build
// serving a site from sipdisco build. (TestBrowser covers the page in
// depth over the same Handler in-process, where it can count and delay
// DoH requests.) One browser serves both.
func TestBrowserAgainstServe(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm and the CLI and drives Chromium")
	}
	chromium := chromiumPath(t)
	bctx := browser(t, chromium)

	t.Run("release binary in an empty folder without Go", func(t *testing.T) {
		t.Parallel()
		archive, version := releaseArchive(t)
		home := t.TempDir()
		bin := extractBinary(t, archive, home)
		// Nothing on PATH: no go command, no source tree, no site folder.
		env := []string{"PATH=" + filepath.Join(home, "no-such-folder"), "HOME=" + home, "TMPDIR=" + home}
		if runtime.GOOS == "windows" {
			env = append(env, "SYSTEMROOT="+os.Getenv("SYSTEMROOT"))
		}

		ver := exec.Command(bin, "version", "--json")
		ver.Dir, ver.Env = home, env
		out, err := ver.Output()
		if err != nil {
			t.Fatalf("%s version --json: %v", bin, err)
		}
		var v struct{ Version, Commit, Site string }
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("version --json: %v\n%s", err, out)
		}
		head, _ := exec.Command("git", "-C", "..", "rev-parse", "HEAD").Output()
		if v.Version != version || v.Site != "built in" || !strings.HasPrefix(v.Commit, strings.TrimSpace(string(head))) {
			t.Errorf("the release binary says version %q, commit %q, site %q; want %q, %s, built in", v.Version, v.Commit, v.Site, version, head)
		}

		base := startServe(t, home, env, bin, "serve", "--addr", "127.0.0.1:0")
		ctx := tab(t, bctx, 60*time.Second)
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitNotVisible(chromedp.ID("loading"))); err != nil {
			t.Fatal(err)
		}
		got, err := showReport(ctx, chromedp.SendKeys(chromedp.ID("uri"), "bob@healthy.example"+kb.Enter))
		if err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, "release-serve")
		if got.Outcome != "connect" || got.Target != "sip.healthy.example:5061" || got.Candidates == 0 || got.Steps == 0 || got.Register != "registered" || got.Share == "" {
			t.Errorf("over the release binary's serve: %+v; want a full report: connect to sip.healthy.example:5061 with candidates, steps, the sign-in and a share link", got)
		}
		entries, _ := os.ReadDir(home)
		for _, e := range entries {
			if e.Name() != filepath.Base(bin) {
				t.Errorf("serve wrote %s into the folder it ran in", e.Name())
			}
		}
	})

	t.Run("development build with --site", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		site := filepath.Join(dir, "site")
		if err := Build(site, BuildOptions{WASMPath: testWASM(t), ModuleDir: "..", LocalDoH: true}); err != nil {
			t.Fatal(err)
		}
		base := startServe(t, dir, os.Environ(), buildCLI(t), "serve", "--addr", "127.0.0.1:0", "--site", site)
		ctx := tab(t, bctx, 30*time.Second)
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
	})
}

// releaseArchive builds this machine's release archive with the release
// tool, as make release-host does (reusing the test's modules, and
// compressing them at a quality that takes seconds, not minutes), checks
// it against SHA256SUMS, and returns its path and version.
func releaseArchive(t *testing.T) (archive, version string) {
	t.Helper()
	out := t.TempDir()
	rel := exec.Command("go", "run", "./cmd/release", "-targets", "host", "-out", out, "-wasm", testWASM(t), "-brotli", "5")
	rel.Dir = ".."
	if b, err := rel.CombinedOutput(); err != nil {
		t.Fatalf("go run ./cmd/release: %v\n%s", err, b)
	}
	sums, err := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^([0-9a-f]{64})  (sipdisco_(.+)_` + runtime.GOOS + `_` + runtime.GOARCH + `\.(?:tar\.gz|zip))\n$`)
	m := re.FindStringSubmatch(string(sums))
	if m == nil {
		t.Fatalf("SHA256SUMS = %q; want one line for the %s/%s archive", sums, runtime.GOOS, runtime.GOARCH)
	}
	archive = filepath.Join(out, m[2])
	b, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != m[1] {
		t.Errorf("SHA256SUMS says %s for %s; the file's is %x", m[1], m[2], sum)
	}
	return archive, m[3]
}

// extractBinary takes the sipdisco binary out of a release archive into
// dir, as a user unpacking the download does.
func extractBinary(t *testing.T, archive, dir string) string {
	t.Helper()
	name := "sipdisco"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	var data []byte
	if strings.HasSuffix(archive, ".zip") {
		zr, err := zip.OpenReader(archive)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.Name == name {
				rc, _ := f.Open()
				data, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
	} else {
		b, _ := os.ReadFile(archive)
		gz, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err != nil {
				break
			}
			if h.Name == name {
				if h.Mode&0o111 == 0 {
					t.Errorf("%s in the archive is not executable (mode %o)", name, h.Mode)
				}
				data, _ = io.ReadAll(tr)
			}
		}
	}
	if len(data) == 0 {
		t.Fatalf("%s holds no %s", archive, name)
	}
	bin := filepath.Join(dir, name)
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// startServe starts bin with args in dir and env, and returns the base
// URL it says it serves; the process is killed when the test ends.
func startServe(t *testing.T, dir string, env []string, bin string, args ...string) string {
	t.Helper()
	serve := exec.Command(bin, args...)
	serve.Dir, serve.Env = dir, env
	var stderr bytes.Buffer
	serve.Stderr = &stderr
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
	select {
	case a := <-addr:
		return "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatalf("%s %s did not say where it listens; stderr:\n%s", bin, strings.Join(args, " "), stderr.String())
	}
	return ""
}

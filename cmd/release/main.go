// Command release builds sipdisco's release binaries: each one carries the
// site (the compiled analyzer, supplied to the build by an -overlay file
// so that nothing built is written into the source tree), is built with
// CGO_ENABLED=0 and -trimpath, and is stamped with the version from git
// describe. It writes archives named as GoReleaser names them
// (sipdisco_VERSION_OS_ARCH.tar.gz, .zip for Windows) and SHA256SUMS.
//
// Run it from the module root, as make release does:
//
//	go run ./cmd/release [-out dist] [-targets all|host|OS/ARCH,...] [-wasm FILE] [-version V]
//	go run ./cmd/release -engine-only -out bin/engine   (for .goreleaser.yaml)
//
// Without -version the version is git describe --tags --dirty without its
// "v", or, before the first tag, 0.0.0-SNAPSHOT-COMMIT as a GoReleaser
// snapshot names it. The build date stamped is the commit's date, so two
// builds of one commit are identical.
//
// What it deliberately does not do: sign, publish or upload anything.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sipdisco/sipdisco/web"
)

// project is the name of the binary and the archives' prefix.
const project = "sipdisco"

// buildinfoPkg is the package whose variables the linker stamps.
const buildinfoPkg = "github.com/sipdisco/sipdisco/internal/buildinfo"

// allTargets are the release platforms.
var allTargets = []target{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// extraFiles go into every archive beside the binary, when they exist
// (GoReleaser's default takes README*, LICENSE* and CHANGELOG* too).
var extraFiles = []string{"README.md", "LICENSE", "CHANGELOG.md"}

type target struct{ goos, goarch string }

func (t target) String() string { return t.goos + "/" + t.goarch }

// binary is the binary's file name on the target.
func (t target) binary() string {
	if t.goos == "windows" {
		return project + ".exe"
	}
	return project
}

// archiveName is GoReleaser's default archive name for version on t.
func archiveName(version string, t target) string {
	ext := ".tar.gz"
	if t.goos == "windows" {
		ext = ".zip"
	}
	return fmt.Sprintf("%s_%s_%s_%s%s", project, version, t.goos, t.goarch, ext)
}

// parseTargets reads -targets: "all", "host", or OS/ARCH pairs separated
// by commas.
func parseTargets(s string) ([]target, error) {
	switch s {
	case "", "all":
		return allTargets, nil
	case "host":
		return []target{{runtime.GOOS, runtime.GOARCH}}, nil
	}
	var ts []target
	for _, p := range strings.Split(s, ",") {
		goos, goarch, ok := strings.Cut(strings.TrimSpace(p), "/")
		if !ok || goos == "" || goarch == "" {
			return nil, fmt.Errorf("target %q: want OS/ARCH, e.g. windows/amd64", p)
		}
		ts = append(ts, target{goos, goarch})
	}
	return ts, nil
}

// versionFromDescribe turns git describe --tags --dirty --always output
// into a release version: the tag without "v" (and what describe adds
// after it, "1.2.0-3-g0123abc"), or, when no tag exists yet and describe
// gives only the abbreviated commit, 0.0.0-SNAPSHOT-COMMIT as GoReleaser
// names a snapshot.
func versionFromDescribe(describe string) string {
	d := strings.TrimSpace(describe)
	base, dirty := strings.CutSuffix(d, "-dirty")
	if base == "" || isHex(base) {
		v := "0.0.0-SNAPSHOT-" + base
		if dirty {
			v += "-dirty"
		}
		return v
	}
	return strings.TrimPrefix(d, "v")
}

func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return s != ""
}

// stamp is what the linker writes into buildinfo.
type stamp struct {
	version, commit string
	date            time.Time
}

func (s stamp) ldflags() string {
	return strings.Join([]string{
		"-s", "-w",
		"-X", buildinfoPkg + ".version=" + s.version,
		"-X", buildinfoPkg + ".commit=" + s.commit,
		"-X", buildinfoPkg + ".date=" + s.date.UTC().Format(time.RFC3339),
	}, " ")
}

func main() {
	out := flag.String("out", "dist", "output `folder` (emptied first)")
	targets := flag.String("targets", "all", "`targets`: all, host, or OS/ARCH,...")
	wasm := flag.String("wasm", "", "a prebuilt main.wasm `file`, with its tools.wasm beside it (default: build ./wasm and ./wasm/tools)")
	version := flag.String("version", "", "the `version` to stamp (default: from git describe)")
	quality := flag.Int("brotli", web.ReleaseBrotliQuality, "the brotli `quality` of the embedded modules (tests use a faster one)")
	engineOnly := flag.Bool("engine-only", false, "only write the compiled analyzer and overlay.json into -out (for GoReleaser)")
	noArchive := flag.Bool("no-archive", false, "leave the binaries in -out/OS_ARCH/ and write no archives")
	flag.Parse()
	brotliQuality = *quality
	if err := run(*out, *targets, *wasm, *version, *engineOnly, !*noArchive); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

func run(out, targetList, wasm, version string, engineOnly, archive bool) error {
	ts, err := parseTargets(targetList)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join("cmd", project, "main.go")); err != nil {
		return errors.New("run from the root of the sipdisco module (cmd/sipdisco/main.go not found)")
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	engineDir := filepath.Join(out, "engine")
	if engineOnly {
		engineDir = out
	}
	st, err := gitStamp(version)
	if err != nil {
		return err
	}
	overlay, err := writeEngine(engineDir, wasm, st.version)
	if err != nil {
		return err
	}
	if engineOnly {
		fmt.Printf("engine and %s written\n", overlay)
		return nil
	}
	fmt.Printf("sipdisco %s (commit %.12s, %s)\n", st.version, st.commit, st.date.UTC().Format(time.RFC3339))
	var sums []string
	for _, t := range ts {
		bin := filepath.Join(out, t.goos+"_"+t.goarch, t.binary())
		if err := goBuild(bin, t, overlay, st); err != nil {
			return err
		}
		fi, err := os.Stat(bin)
		if err != nil {
			return err
		}
		if !archive {
			fmt.Printf("  %-14s %s (%.1f MB)\n", t, bin, float64(fi.Size())/1e6)
			continue
		}
		name := archiveName(st.version, t)
		if err := writeArchive(filepath.Join(out, name), t, bin, st.date); err != nil {
			return err
		}
		sum, err := fileSHA256(filepath.Join(out, name))
		if err != nil {
			return err
		}
		sums = append(sums, sum+"  "+name)
		fmt.Printf("  %-14s %s (binary %.1f MB)\n", t, name, float64(fi.Size())/1e6)
	}
	if !archive {
		return nil
	}
	slices.SortFunc(sums, func(a, b string) int { return strings.Compare(a[66:], b[66:]) })
	text := strings.Join(sums, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(text), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s/SHA256SUMS:\n%s", out, text)
	return nil
}

// brotliQuality is the -brotli flag: the quality the modules are embedded
// at.
var brotliQuality = web.ReleaseBrotliQuality

// writeEngine writes the compiled analyzer (main.wasm.br and tools.wasm.br
// at brotli quality 11, and wasm_exec.js) into dir, from the prebuilt
// main.wasm wasm (with tools.wasm beside it) or a build of the modules,
// and the overlay file that puts them where package web embeds them from.
// It returns the overlay's path. The two modules are compressed at once,
// about two minutes in all.
func writeEngine(dir, wasm, version string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	src := filepath.Dir(wasm)
	if wasm == "" {
		src = filepath.Join(dir, "modules")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if err := web.BuildWASM(ctx, "", src, version); err != nil {
			return "", err
		}
		defer os.RemoveAll(src)
	}
	names := []string{web.EngineWASM, web.EngineTools}
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := filepath.Join(src, name)
			if name == web.EngineWASM && wasm != "" {
				path = wasm
			}
			b, err := os.ReadFile(path)
			if err != nil {
				errs[i] = err
				return
			}
			if err := web.CheckWASM(path, b); err != nil {
				errs[i] = err
				return
			}
			br, err := web.Brotli(b, brotliQuality)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = os.WriteFile(filepath.Join(dir, name+".br"), br, 0o644)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	execJS, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, web.EngineWASMExec), execJS, 0o644); err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	repl := map[string]string{}
	for _, name := range []string{web.EngineWASM + ".br", web.EngineTools + ".br", web.EngineWASMExec} {
		embedAt, err := filepath.Abs(filepath.Join("web", web.EmbedDir, name))
		if err != nil {
			return "", err
		}
		repl[embedAt] = filepath.Join(abs, name)
	}
	j, err := json.MarshalIndent(map[string]any{"Replace": repl}, "", "  ")
	if err != nil {
		return "", err
	}
	overlay := filepath.Join(abs, "overlay.json")
	return overlay, os.WriteFile(overlay, append(j, '\n'), 0o644)
}

// gitStamp reads the commit, its date and (unless given) the version from
// git.
func gitStamp(version string) (stamp, error) {
	git := func(args ...string) (string, error) {
		out, err := exec.Command("git", args...).Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(ee.Stderr))
			}
			return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out)), nil
	}
	var st stamp
	var err error
	if st.commit, err = git("rev-parse", "HEAD"); err != nil {
		return st, err
	}
	when, err := git("log", "-1", "--format=%cI", "HEAD")
	if err != nil {
		return st, err
	}
	if st.date, err = time.Parse(time.RFC3339, when); err != nil {
		return st, fmt.Errorf("commit date %q: %w", when, err)
	}
	describe, err := git("describe", "--tags", "--dirty", "--always")
	if err != nil {
		return st, err
	}
	if strings.HasSuffix(describe, "-dirty") {
		st.commit += "-dirty"
	}
	st.version = strings.TrimPrefix(version, "v")
	if st.version == "" {
		st.version = versionFromDescribe(describe)
	}
	return st, nil
}

// goBuild builds cmd/sipdisco for t into bin with the site embedded.
func goBuild(bin string, t target, overlay string, st stamp) error {
	cmd := exec.Command("go", "build", "-trimpath", "-tags", web.EmbedTag, "-overlay", overlay,
		"-ldflags", st.ldflags(), "-o", bin, "./cmd/"+project)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.goos, "GOARCH="+t.goarch, "GOFLAGS=-buildvcs=false")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", t, err, stderr.Bytes())
	}
	return nil
}

// writeArchive writes the archive for t holding bin and the extra files,
// every entry dated mod so that the archive depends only on the commit.
func writeArchive(name string, t target, bin string, mod time.Time) error {
	files := []archiveFile{{t.binary(), bin, 0o755}}
	for _, f := range extraFiles {
		if _, err := os.Stat(f); err == nil {
			files = append(files, archiveFile{f, f, 0o644})
		}
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if t.goos == "windows" {
		err = writeZip(f, files, mod)
	} else {
		err = writeTarGz(f, files, mod)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

type archiveFile struct {
	name, src string
	mode      int64
}

func writeTarGz(w io.Writer, files []archiveFile, mod time.Time) error {
	gz, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	gz.ModTime = mod
	tw := tar.NewWriter(gz)
	for _, f := range files {
		b, err := os.ReadFile(f.src)
		if err != nil {
			return err
		}
		h := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(b)), ModTime: mod, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, files []archiveFile, mod time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		b, err := os.ReadFile(f.src)
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: mod.UTC()}
		h.SetMode(os.FileMode(f.mode))
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(b); err != nil {
			return err
		}
	}
	return zw.Close()
}

func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

package engine

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestDependencies keeps the engine pure (STYLE rule 1): the same code runs
// natively and in the browser, and every report is reproducible.
func TestDependencies(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("runs the go command; checked by the host test run")
	}
	banned := map[string]string{
		"net/http":                               "engine does no I/O; DoH lives in package dohclient",
		"net":                                    "net's resolver does not work in js/wasm; use the Resolver interface",
		"os":                                     "engine does no I/O and must run in the browser",
		"os/exec":                                "engine does no I/O",
		"syscall/js":                             "only package wasm touches the browser",
		"github.com/miekg/dns":                   "miekg/dns is the server side's and the DNS sources' (resolve/wire converts its messages)",
		"math/rand":                              "randomness is injected through Config.Rand",
		"crypto/rand":                            "randomness is injected through Config.Rand",
		"github.com/a-h/templ":                   "rendering lives in package templates",
		"html/template":                          "rendering lives in package templates",
		"unsafe":                                 "no reason to need it",
		"github.com/sipdisco/sipdisco/dohclient": "engine must not depend on a DNS transport",
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	// The standard library itself imports some banned packages (fmt
	// pulls in os); check only the engine's own direct imports there,
	// and every transitive dependency outside the standard library.
	dirs := []string{"."}
	subs, _ := filepath.Glob("*/doc.go")
	for _, s := range subs {
		dirs = append(dirs, filepath.Dir(s))
	}
	for _, dir := range dirs {
		for imp := range directImports(t, dir) {
			if why, ok := banned[imp]; ok {
				t.Errorf("engine/%s imports %s: %s", dir, imp, why)
			}
		}
	}
	for _, d := range deps {
		if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") {
			if why, ok := banned[d]; ok {
				t.Errorf("engine depends on %s: %s", d, why)
			}
		}
	}
}

// TestArrows keeps the dependencies running one way (docs/architecture.md),
// for the native build and for the browser's (GOOS=js GOARCH=wasm), as
// Tailscale's deptest checks each GOOS/GOARCH: the engine does not
// depend on the sign-in simulation, which builds on it, nor on the
// application layer above both; templates render and depend on no web/
// package; the engine's packages never depend on a front end.
func TestArrows(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("runs the go command; checked by the host test run")
	}
	const mod = "github.com/sipdisco/sipdisco/"
	rules := []struct {
		pkg     string
		banned  []string
		because string
	}{
		{"engine", []string{"signin", "check", "certcheck", "plan", "audit", "probe"},
			"the engine is the bottom layer: the packages above it attach their parts to its report"},
		{"signin", []string{"check", "certcheck"}, "the sign-in simulation builds on the engine only"},
		{"check", []string{"templates", "web", "wasm", "cmd", "dohclient"},
			"the application layer neither renders nor speaks DNS: the front ends do"},
		{"templates", []string{"web", "wasm", "cmd", "dohclient"}, "templates only render"},
		{"check", []string{"probe"}, "the observation's parser, judge and X.509 code are the command line's: the application layer carries its data (engine.Probe), which Env.Probe fills"},
		{"dohclient", []string{"dohclient/server", "resolve"},
			"the DoH client is the browser's too: the /dns-query handler and the miekg/dns conversion build on it, never it on them"},
		{"templates", []string{"probe"}, "templates render the observation's data (engine.Probe); its parser and judge are the command line's"},
	}
	for _, env := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		for _, r := range rules {
			cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", mod+r.pkg)
			cmd.Env = append(os.Environ(), env...)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list -deps %s (%v): %v", r.pkg, env, err)
			}
			for _, d := range strings.Fields(string(out)) {
				rel, ok := strings.CutPrefix(d, mod)
				if !ok {
					continue
				}
				for _, b := range r.banned {
					if rel == b || strings.HasPrefix(rel, b+"/") {
						t.Errorf("%s depends on %s (%v): %s", r.pkg, rel, env, r.because)
					}
				}
			}
		}
	}
}

// TestNoClockNoGlobalRand rejects reads of the clock and the global random
// source anywhere in the engine's non-test code.
func TestNoClockNoGlobalRand(t *testing.T) {
	forbidden := []string{"time.Now(", "time.Since(", "time.Until(", "rand.IntN(", "rand.Intn(", "rand.Shuffle(", "rand.Int(", "rand.Perm("}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range forbidden {
			if strings.Contains(string(b), s) {
				t.Errorf("%s calls %s: the clock and randomness must be injected through Config", f, strings.TrimSuffix(s, "("))
			}
		}
	}
}

func directImports(t *testing.T, dir string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	imps := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range af.Imports {
			imps[strings.Trim(is.Path.Value, `"`)] = true
		}
	}
	return imps
}

package layers

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const module = "github.com/sipdisco/sipdisco"

// pkg is what go list says of one package of the module.
type pkg struct {
	rel     string   // path relative to the module root
	dir     string   // folder on disk
	imports []string // direct imports of its non-test files
	deps    []string // everything its non-test files link, transitively
	files   []string // its non-test Go files for this platform
}

// platforms are the builds the product ships: the layers hold in each.
var platforms = [][]string{
	nil,
	{"GOOS=js", "GOARCH=wasm"},
	{"GOOS=windows", "GOARCH=amd64"},
	{"GOOS=darwin", "GOARCH=arm64"},
}

func list(t *testing.T, env []string) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .Imports \" \"}}\t{{join .Deps \" \"}}\t{{join .GoFiles \" \"}}", module+"/...")
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list (%v): %v\n%s", env, err, stderr.String())
	}
	var ps []pkg
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 5 {
			t.Fatalf("go list line %q: want 5 fields", sc.Text())
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(f[0], module), "/")
		ps = append(ps, pkg{rel: rel, dir: f[1], imports: strings.Fields(f[2]), deps: strings.Fields(f[3]), files: strings.Fields(f[4])})
	}
	if len(ps) < 10 {
		t.Fatalf("go list (%v) found %d packages; want the whole module", env, len(ps))
	}
	return ps
}

// matches reports whether path is pattern, or with pattern "dir/..." is
// dir or lies below it, as the go command reads such patterns.
func matches(path, pattern string) bool {
	if dir, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == dir || strings.HasPrefix(path, dir+"/")
	}
	return path == pattern
}

// inModule returns an import path relative to the module root.
func inModule(path string) (string, bool) {
	if path == module {
		return "", true
	}
	return strings.CutPrefix(path, module+"/")
}

func skipInBrowser(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("runs the go command; checked by the host test run")
	}
}

// TestEveryPackageHasALayer fails for a package the table does not place,
// so that a new package's place is decided when it is added.
func TestEveryPackageHasALayer(t *testing.T) {
	skipInBrowser(t)
	for _, env := range platforms {
		for _, p := range list(t, env) {
			if _, ok := Of(p.rel); !ok {
				t.Errorf("package %s (%v) has no layer: add its folder to layers.Layers", p.rel, env)
			}
		}
	}
}

// TestArrows fails on any arrow up (a package importing a package of a
// higher layer), on an import of test support outside tests, and on any
// banned arrow, direct or through other packages, on every platform.
func TestArrows(t *testing.T) {
	skipInBrowser(t)
	for _, env := range platforms {
		for _, p := range list(t, env) {
			from, _ := Of(p.rel)
			for _, imp := range p.imports {
				rel, ok := inModule(imp)
				if !ok {
					continue
				}
				to, _ := Of(rel)
				switch {
				case to == TestSupport && from != TestSupport:
					t.Errorf("%s imports %s (%v): test support is for tests only", p.rel, rel, env)
				case to > from:
					t.Errorf("%s (%s) imports %s (%s) (%v): an arrow up; move the shared part down or the importer up", p.rel, from, rel, to, env)
				}
			}
			for _, b := range Bans {
				if !matches(p.rel, b.From) {
					continue
				}
				for _, d := range p.deps {
					target := d
					if rel, ok := inModule(d); ok {
						target = rel
					}
					if matches(target, b.To) {
						t.Errorf("%s depends on %s (%v): %s", p.rel, target, env, b.Because)
					}
				}
			}
		}
	}
}

// TestPureLayers keeps the pure layers free of I/O: none of their
// packages imports a banned package (the standard library's own imports
// do not count), links miekg/dns through anything, or calls the clock or
// the global random source in non-test code.
func TestPureLayers(t *testing.T) {
	skipInBrowser(t)
	for _, env := range platforms {
		for _, p := range list(t, env) {
			l, _ := Of(p.rel)
			if !Pure[l] {
				continue
			}
			for _, imp := range p.imports {
				if why, ok := PureBans[imp]; ok {
					t.Errorf("%s (%s) imports %s (%v): %s", p.rel, l, imp, env, why)
				}
			}
			for _, d := range p.deps {
				if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") {
					if why, ok := PureBans[d]; ok {
						t.Errorf("%s (%s) links %s (%v): %s", p.rel, l, d, env, why)
					}
				}
			}
			for _, f := range p.files {
				b, err := os.ReadFile(filepath.Join(p.dir, f))
				if err != nil {
					t.Fatal(err)
				}
				for _, call := range Clock {
					if bytes.Contains(b, []byte(call)) {
						t.Errorf("%s/%s (%s) calls %s: the clock and randomness are injected", p.rel, f, l, strings.TrimSuffix(call, "("))
					}
				}
			}
		}
	}
}

func TestMatches(t *testing.T) {
	for _, tt := range []struct {
		path, pattern string
		want          bool
	}{
		{"dohclient", "dohclient", true},
		{"dohclient/server", "dohclient", false},
		{"dohclient/server", "dohclient/...", true},
		{"dohclient", "dohclient/...", true},
		{"dohclientx", "dohclient/...", false},
	} {
		if got := matches(tt.path, tt.pattern); got != tt.want {
			t.Errorf("matches(%q, %q) = %v; want %v", tt.path, tt.pattern, got, tt.want)
		}
	}
}

// TestOf pins the longest-prefix rule the table relies on.
func TestOf(t *testing.T) {
	for _, tt := range []struct {
		rel  string
		want Layer
		ok   bool
	}{
		{"engine", Core, true},
		{"engine/idn", Domain, true},
		{"resolve/zone", DNS, true},
		{"wasm/internal/bridge", Delivery, true},
		{"wasm/tools", Programs, true},
		{"cmd/sipdisco/internal/prober", Programs, true},
		{"internal/newthing", 0, false},
		{"", 0, false},
	} {
		got, ok := Of(tt.rel)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Of(%q) = %v, %v; want %v, %v", tt.rel, got, ok, tt.want, tt.ok)
		}
	}
}

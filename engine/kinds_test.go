package engine

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// declaredKinds returns the Kind constants declared in kinds.go, read from
// its syntax so that a new constant cannot be forgotten by the test.
func declaredKinds(t *testing.T) map[string]Kind {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "kinds.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Kind{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Kind" {
				continue
			}
			for i, n := range vs.Names {
				lit := vs.Values[i].(*ast.BasicLit)
				out[n.Name] = Kind(strings.Trim(lit.Value, `"`))
			}
		}
	}
	return out
}

// TestKindDocs checks that every declared kind is explained exactly once,
// and that KindDocs explains nothing that is not declared.
func TestKindDocs(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("reads the package's source")
	}
	declared := declaredKinds(t)
	if len(declared) < 40 {
		t.Fatalf("found %d Kind constants in kinds.go; the parser missed them", len(declared))
	}
	byValue := map[Kind]string{}
	for name, k := range declared {
		if other, dup := byValue[k]; dup {
			t.Errorf("%s and %s are both %q", name, other, k)
		}
		byValue[k] = name
	}
	seen := map[Kind]bool{}
	for _, d := range KindDocs() {
		if _, ok := byValue[d.Kind]; !ok {
			t.Errorf("KindDocs explains %q, which is not a declared Kind", d.Kind)
		}
		if seen[d.Kind] {
			t.Errorf("KindDocs explains %q twice", d.Kind)
		}
		seen[d.Kind] = true
		if d.Title == "" || d.Meaning == "" || d.Fix == "" {
			t.Errorf("KindDocs entry %q lacks a title, meaning or fix", d.Kind)
		}
		if got, ok := LookupKind(d.Kind); !ok || got != d {
			t.Errorf("LookupKind(%q) = %v, %v", d.Kind, got, ok)
		}
	}
	for k, name := range byValue {
		if !seen[k] {
			t.Errorf("%s (%q) is not explained in KindDocs", name, k)
		}
	}
	// The meanings and fixes are a table of their own: each belongs to
	// exactly one titled kind, in the same order.
	if len(kindTexts) != len(kindHeads) {
		t.Errorf("%d kinds have titles and %d have explanations; want every kind in both tables", len(kindHeads), len(kindTexts))
	}
	for i, x := range kindTexts {
		if i < len(kindHeads) && kindHeads[i].kind != x.kind {
			t.Errorf("explanation %d is of %q, title %d of %q; want the tables in the same order", i, x.kind, i, kindHeads[i].kind)
		}
	}
}

// TestNoKindLiterals rejects a finding or failure built with a literal
// kind anywhere in the engine's packages: kinds are the constants of
// kinds.go, so that docs, renderers and tests can rely on them.
func TestNoKindLiterals(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("reads the packages' source")
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || path == "kinds.go" {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if key, ok := kv.Key.(*ast.Ident); ok && (key.Name == "Kind" || key.Name == "Failure") {
				if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					t.Errorf("%s: %s: %s built with the literal %s; use a Kind constant", fset.Position(kv.Pos()), path, key.Name, lit.Value)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

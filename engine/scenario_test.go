package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

var update = flag.Bool("update", false, "rewrite the -- report -- section of every scenario")

// TestScenarios runs every discovery scenario in testdata/scenarios. Each
// file is a txtar archive a reviewer can read alone: a comment saying what
// it shows, the -- input -- (key: value lines), one or more -- zone [ORIGIN] --
// sections in BIND syntax, and the expected -- report -- as JSON. Run with
// -update to regenerate the reports, then read the diff.
//
// Input keys: uri (required), profile, strict, tcp, manual-internal,
// manual-external, trusted (comma-separated), view (inside or outside:
// the side of split-brain DNS the zones are), "error: NAME TYPE text"
// (repeatable) to make the resolver fail outright for one question, as a
// timeout or a broken DoH response would, and "fixable-error: NAME TYPE
// text || fix" for an error that says how to fix it, as the DoH client's
// proxy errors do (its Fix method returns fix).
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/scenarios/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios found: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := runScenario(ar)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			idx := -1
			for i, f := range ar.Files {
				if f.Name == "report" {
					idx = i
				}
			}
			if *update {
				if idx < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: "report"})
					idx = len(ar.Files) - 1
				}
				ar.Files[idx].Data = got
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if idx < 0 {
				t.Fatalf("no -- report -- section; run go test -run TestScenarios -update")
			}
			if diff := cmp.Diff(string(got), string(ar.Files[idx].Data)); diff != "" {
				t.Errorf("report mismatch (-got +want):\n%s", diff)
			}
		})
	}
}

func runScenario(ar *txtar.Archive) (*engine.Report, error) {
	uri, cfg, err := scenarioConfig(ar)
	if err != nil {
		return nil, err
	}
	return engine.Discover(context.Background(), uri, cfg)
}

// scenarioConfig reads a scenario's input and zones into the address to
// check and the configuration, its resolver answering from the zones.
func scenarioConfig(ar *txtar.Archive) (engine.URI, engine.Config, error) {
	var input []byte
	for _, f := range ar.Files {
		if f.Name == "input" {
			input = f.Data
		}
	}
	if input == nil {
		return engine.URI{}, engine.Config{}, errors.New("no -- input -- section")
	}
	cfg := engine.Config{Policy: engine.DefaultPolicy()}
	var uri engine.URI
	type failure struct {
		q   engine.Question
		msg string
		fix string
	}
	var failures []failure
	for n, line := range strings.Split(string(input), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return uri, cfg, fmt.Errorf("input line %d: want key: value", n+1)
		}
		val = strings.TrimSpace(val)
		var err error
		switch strings.TrimSpace(key) {
		case "uri":
			uri, err = engine.ParseURI(val)
		case "profile":
			cfg.Profile = val
		case "strict":
			cfg.Policy.StrictNaming = val == "true"
		case "tcp":
			cfg.Policy.AllowTCP = val == "true"
		case "manual-internal":
			cfg.Policy.ManualInternal = val
		case "manual-external":
			cfg.Policy.ManualExternal = val
		case "trusted":
			cfg.Policy.TrustedDomains = strings.Split(val, ",")
		case "view":
			cfg.View, err = engine.ParseView(val)
		case "error", "fixable-error":
			f := strings.SplitN(val, " ", 3)
			if len(f) != 3 {
				return uri, cfg, fmt.Errorf("input line %d: want %s: NAME TYPE text", n+1, key)
			}
			var ty engine.Type
			ty, err = engine.ParseType(f[1])
			msg, fix, _ := strings.Cut(f[2], " || ")
			failures = append(failures, failure{engine.Question{Name: f[0], Type: ty}, msg, fix})
		default:
			return uri, cfg, fmt.Errorf("input line %d: unknown key %q", n+1, key)
		}
		if err != nil {
			return uri, cfg, fmt.Errorf("input line %d: %v", n+1, err)
		}
	}
	zones := new(zone.Set)
	for _, f := range ar.Files {
		origin, ok := strings.CutPrefix(f.Name, "zone")
		if !ok {
			continue
		}
		origin = strings.TrimSpace(origin)
		if origin == "" {
			origin = uri.Domain
		}
		if err := zones.Add(origin, string(f.Data), f.Name); err != nil {
			return uri, cfg, err
		}
	}
	cfg.Resolver = engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		for _, f := range failures {
			if f.q == q && f.fix != "" {
				return engine.Answer{}, fixableError{f.msg, f.fix}
			}
			if f.q == q {
				return engine.Answer{}, errors.New(f.msg)
			}
		}
		return zones.Resolve(ctx, q)
	})
	return uri, cfg, nil
}

// TestScenarioFilesAreDocumented keeps every scenario readable alone: it
// must start with a comment saying what it shows.
func TestScenarioFilesAreDocumented(t *testing.T) {
	files, _ := filepath.Glob("testdata/scenarios/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if len(bytes.TrimSpace(ar.Comment)) == 0 {
			t.Errorf("%s: no comment saying what the scenario shows", file)
		}
	}
}

// fixableError is an error that says how to fix it, like dohclient's
// ProxyError: the engine must give its Fix as the finding's fix.
type fixableError struct{ msg, fix string }

func (e fixableError) Error() string { return e.msg }

// Fix returns how to fix the error.
func (e fixableError) Fix() string { return e.fix }

// TestStandardDeployment runs the standard deployment's two zones
// (standard-deployment-inside and -outside: the records Microsoft's
// deployment documents publish, gg425884 and "Advanced Edge Server DNS
// planning for Skype for Business Server") for every Lync and Skype for
// Business profile: each connects to the pool inside and to the Access
// Edge on 443 outside, with no naming error and no trust prompt (issue 21).
func TestStandardDeployment(t *testing.T) {
	want := map[string]struct {
		host string
		port uint16
	}{
		"standard-deployment-inside":  {"pool01.contoso.com", 5061},
		"standard-deployment-outside": {"sip.contoso.com", 443},
	}
	for name, w := range want {
		ar, err := txtar.ParseFile(filepath.Join("testdata", "scenarios", name+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range engine.Profiles() {
			if p.Naming != engine.NamingTrustModel {
				continue
			}
			uri, cfg, err := scenarioConfig(ar)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Profile = p.Name
			rep, err := engine.Discover(context.Background(), uri, cfg)
			if err != nil {
				t.Fatalf("%s %s: %v", name, p.Name, err)
			}
			if rep.Outcome != engine.OutcomeConnect || rep.Target == nil || rep.Target.Host != w.host || rep.Target.Port != w.port {
				t.Errorf("%s %s: outcome %s, target %+v; want connect to %s:%d", name, p.Name, rep.Outcome, rep.Target, w.host, w.port)
			}
			for _, f := range rep.Findings {
				if f.Kind == engine.KindNamingRefused || f.Kind == engine.KindTrustPrompt || f.Severity == engine.SeverityError {
					t.Errorf("%s %s: %s %s: %s", name, p.Name, f.Kind, f.Subject, f.Message)
				}
			}
		}
	}
}

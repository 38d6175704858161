package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/sipdisco/sipdisco/engine"
)

//go:embed zones/*.example.zone
var zones embed.FS

// Scenario is one demo deployment: a zone for Domain built so that
// discovery for Try shows one rule of the client's behaviour.
type Scenario struct {
	// Name is the scenario's short name, the first label of Domain:
	// "healthy".
	Name string
	// Domain is the zone's origin without the trailing dot:
	// "healthy.example".
	Domain string
	// Description is one line saying what the scenario shows, from the
	// file's "; sipdisco-demo:" comment.
	Description string
	// Try is a sign-in address to type: "bob@healthy.example".
	Try string
	// Expect is the outcome every profile without a line in Profiles
	// (the default profile, communicator-2007-r2, among them) gives with
	// its default policy (loose naming, TCP allowed), from the file's
	// "; sipdisco-expect:" comment: "connect HOST:PORT TRANSPORT",
	// "connect" alone when the host is chosen at random (RFC 2782
	// weights), "fail" or "indeterminate".
	Expect string
	// Profiles are the outcomes of the profiles that differ from Expect,
	// by profile name (engine.Profiles), from the file's
	// "; sipdisco-expect PROFILE: OUTCOME" lines; ExpectFor reads them.
	Profiles map[string]string
	// Zone is the zone file's text.
	Zone string
	// View is the side of split-brain DNS the zone stands for, from the
	// file's optional third line "; sipdisco-view: outside"; a check of
	// Try through the demo zones uses it (check.Options.ViewOf). Empty for
	// a zone that is no view in particular.
	View engine.View
}

// ExpectFor returns the outcome the named profile gives with its default
// policy, in the scenario's view: its own "; sipdisco-expect PROFILE:"
// line, or Expect for a profile without one. The demo tests hold every
// profile to it.
func (s Scenario) ExpectFor(profile string) string {
	if e, ok := s.Profiles[profile]; ok {
		return e
	}
	return s.Expect
}

const (
	descPrefix   = "; sipdisco-demo:"
	expectPrefix = "; sipdisco-expect:"
	// profilePrefix starts a profile's own expectation:
	// "; sipdisco-expect lync-2013: connect ...".
	profilePrefix = "; sipdisco-expect "
	viewPrefix    = "; sipdisco-view:"
	suffix        = ".example.zone"
)

var load = sync.OnceValues(func() ([]Scenario, error) { return parse(zones) })

// Scenarios returns every demo scenario, "healthy" first and the rest in
// name order. The slice is the caller's to modify.
//
// Scenarios panics if an embedded file lacks its description or expected
// outcome comment; the package tests rule that out.
func Scenarios() []Scenario {
	s, err := load()
	if err != nil {
		panic(err)
	}
	return slices.Clone(s)
}

// parse reads every zones/<name>.example.zone file of fsys.
func parse(fsys fs.FS) ([]Scenario, error) {
	files, err := fs.Glob(fsys, "zones/*"+suffix)
	if err != nil {
		return nil, err
	}
	var out []Scenario
	for _, file := range files {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		s, err := parseFile(path.Base(file), string(b))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Scenario) int {
		switch {
		case a.Name == b.Name:
			return 0
		case a.Name == "healthy":
			return -1
		case b.Name == "healthy":
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// parseFile builds the scenario of one file called base
// ("healthy.example.zone"): its first line is the description, its second
// the default profile's outcome, then any profiles' own outcomes and
// optionally the view.
func parseFile(base, text string) (Scenario, error) {
	name := strings.TrimSuffix(base, suffix)
	s := Scenario{
		Name:   name,
		Domain: name + ".example",
		Try:    "bob@" + name + ".example",
		Zone:   text,
	}
	lines := strings.SplitN(text, "\n", 64)
	line := func(i int) string {
		if i < len(lines) {
			return strings.TrimSpace(lines[i])
		}
		return ""
	}
	desc, ok := strings.CutPrefix(line(0), descPrefix)
	if !ok || strings.TrimSpace(desc) == "" {
		return s, fmt.Errorf("demo: %s:1: the first line must be %q followed by a description", base, descPrefix+" ")
	}
	expect, ok := strings.CutPrefix(line(1), expectPrefix)
	if !ok || strings.TrimSpace(expect) == "" {
		return s, fmt.Errorf("demo: %s:2: the second line must be %q followed by the expected outcome", base, expectPrefix+" ")
	}
	s.Description = strings.TrimSpace(desc)
	s.Expect = strings.TrimSpace(expect)
	n := 2
	for ; ; n++ {
		rest, ok := strings.CutPrefix(line(n), profilePrefix)
		if !ok {
			break
		}
		prof, e, ok := strings.Cut(rest, ":")
		prof, e = strings.TrimSpace(prof), strings.TrimSpace(e)
		if p, err := engine.LookupProfile(prof); !ok || err != nil || p.Name != prof || e == "" {
			return s, fmt.Errorf("demo: %s:%d: %q must be followed by a client profile's name, a colon and its outcome", base, n+1, profilePrefix)
		}
		if _, dup := s.Profiles[prof]; dup {
			return s, fmt.Errorf("demo: %s:%d: a second outcome for %s", base, n+1, prof)
		}
		if s.Profiles == nil {
			s.Profiles = map[string]string{}
		}
		s.Profiles[prof] = e
	}
	if view, ok := strings.CutPrefix(line(n), viewPrefix); ok {
		v, err := engine.ParseView(view)
		if err != nil || v == engine.ViewUnknown {
			return s, fmt.Errorf("demo: %s:%d: %q must be followed by inside or outside", base, n+1, viewPrefix)
		}
		s.View = v
	}
	return s, nil
}

package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// DiffRow is one aspect of two reports.
type DiffRow struct {
	Aspect  string `json:"aspect"`
	A       string `json:"a"`
	B       string `json:"b"`
	Differs bool   `json:"differs"`
}

func targetText(r *engine.Report) string {
	if r.Target == nil {
		return "none"
	}
	return r.Target.Endpoint()
}

func candidateList(r *engine.Report, accepted bool) string {
	var out []string
	for _, c := range r.Candidates {
		if c.Accepted == accepted {
			out = append(out, c.Endpoint())
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

func findingKinds(r *engine.Report) string {
	var out []string
	for _, f := range r.Findings {
		if !slices.Contains(out, string(f.Kind)) {
			out = append(out, string(f.Kind))
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// stepKey names a step's question in a comparison: its name and type,
// or for the wildcard probe, whose random name differs from check to
// check, what it is.
func stepKey(s engine.Step) string {
	if s.Purpose == engine.PurposeWildcardProbe {
		return "wildcard probe (a random name) " + s.Type.String()
	}
	return s.Question + " " + s.Type.String()
}

// DiffReports compares two reports of the same address aspect by aspect:
// outcome, server, where it was found, accepted and refused candidates,
// finding kinds, then each DNS question either report asked, with its
// answer ("not asked" when only one asked it), the wildcard probes of the
// two as one question.
func DiffReports(a, b *engine.Report) []DiffRow {
	var rows []DiffRow
	add := func(aspect, x, y string) {
		rows = append(rows, DiffRow{Aspect: aspect, A: x, B: y, Differs: x != y})
	}
	add("Outcome", string(a.Outcome), string(b.Outcome))
	add("Server", targetText(a), targetText(b))
	src := func(r *engine.Report) string {
		if r.Target == nil {
			return "none"
		}
		return r.Target.Source
	}
	add("Found through", src(a), src(b))
	add("Accepted candidates", candidateList(a, true), candidateList(b, true))
	add("Refused candidates", candidateList(a, false), candidateList(b, false))
	add("Findings", findingKinds(a), findingKinds(b))

	answer := func(r *engine.Report, k string) string {
		for _, s := range r.Steps {
			if stepKey(s) == k {
				if s.Error != "" {
					return "error: " + s.Error
				}
				if len(s.Answers) == 0 {
					return s.RCode.String()
				}
				answers := s.Answers
				if s.Purpose == engine.PurposeWildcardProbe {
					answers = nil
					for _, a := range s.Answers {
						answers = append(answers, strings.ReplaceAll(a, s.Question+".", "(probe)."))
					}
				}
				return s.RCode.String() + ": " + strings.Join(answers, ", ")
			}
		}
		return "not asked"
	}
	// A resolver that could not answer at all (offline, refused by CORS,
	// a server that refuses the domain) fails every question alike: one
	// row says so, not one per question.
	ea, fa := OneFailure(a)
	eb, fb := OneFailure(b)
	if fa || fb {
		say := func(r *engine.Report, e string, failed bool) string {
			if failed {
				return fmt.Sprintf("all %d lookups failed: %s", len(r.Steps), e)
			}
			return fmt.Sprintf("%d lookups", len(r.Steps))
		}
		add("DNS questions", say(a, ea, fa), say(b, eb, fb))
		return rows
	}
	var keys []string
	for _, r := range []*engine.Report{a, b} {
		for _, s := range r.Steps {
			if k := stepKey(s); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	for _, k := range keys {
		add(k, answer(a, k), answer(b, k))
	}
	return rows
}

// oneFailure reports whether every DNS question of r failed the same way,
// and how: its error, or its RCode when the resolver answered one (a
// REFUSED from a server that does not serve the domain).
func OneFailure(r *engine.Report) (string, bool) {
	why := ""
	for i, s := range r.Steps {
		if !s.Failed() {
			return "", false
		}
		w := s.Error
		if w == "" {
			w = s.RCode.String()
		}
		if i > 0 && w != why {
			return "", false
		}
		why = w
	}
	return why, len(r.Steps) > 1
}

package engine

import "testing"

// TestProfileDocs: every profile has its sources and notes (the docs
// pages show them), each source with a title and an address.
func TestProfileDocs(t *testing.T) {
	for _, p := range Profiles() {
		if len(p.Sources()) == 0 || len(p.Notes()) == 0 {
			t.Errorf("%s: %d sources, %d notes; want both", p.Name, len(p.Sources()), len(p.Notes()))
		}
		for _, s := range p.Sources() {
			if s.Title == "" || s.URL == "" {
				t.Errorf("%s: source %+v lacks a title or an address", p.Name, s)
			}
		}
	}
}

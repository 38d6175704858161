// Package views says which side of split-brain DNS each demo scenario's
// zone stands for (its "; sipdisco-view:" line), without the zones
// themselves: check places a check through the demo zones on that
// side, and the browser's first WebAssembly module, which never reads a
// demo zone (this site's /dns-query answers from them), is spared the
// embedded files and their parser (docs/adr/0005-wasm-size.md).
// demo's TestViewsAgree holds the table to the zone files.
package views

import "github.com/sipdisco/sipdisco/engine"

// byDomain holds the scenarios whose zone declares a view; the others
// stand for no view in particular.
var byDomain = map[string]engine.View{
	"leaked-internal.example": engine.ViewOutside,
}

// Of returns the view the demo zone of domain declares, or
// engine.ViewUnknown.
func Of(domain string) engine.View { return byDomain[domain] }

// Domains returns how many demo domains declare a view, for the test that
// holds the table to the zones.
func Domains() int { return len(byDomain) }

//go:build !firstmodule

package templates

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/domainreport"
)

func init() {
	moreDocs[RecordsPath] = func(site Site) templ.Component { return RecordsPage(NewRecordsView(site)) }
}

// TestRecordsPage: the records page shows every record the domain report
// asks, with what it is for, what to do after Teams Only and at least one
// Microsoft document; and the report's records carry the same words.
func TestRecordsPage(t *testing.T) {
	site := Site{Base: "/", CSS: "/style.css", JS: "/app.js", WASM: "/main.wasm"}
	page := html.UnescapeString(render(t, RecordsPage(NewRecordsView(site))))
	// The names as shown: each code element's text, without the markup
	// that lets it wrap only at its dots (templates' breakable).
	shown := map[string]bool{}
	for _, m := range regexp.MustCompile(`<code class="name">(.*?)</code>`).FindAllStringSubmatch(page, -1) {
		shown[regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "")] = true
	}
	for _, e := range domainreport.Catalog() {
		name := e.Name + "." + ExampleDomain
		if !shown[name] {
			t.Errorf("the records page does not show %s", name)
		}
		if e.AfterTeamsOnly == "" || !strings.Contains(page, e.AfterTeamsOnly) {
			t.Errorf("%s: the page does not say what to do after Teams Only (%q)", name, e.AfterTeamsOnly)
		}
		if len(e.Sources) == 0 {
			t.Errorf("%s cites no document", name)
		}
		for _, s := range e.Sources {
			if !strings.HasPrefix(s.URL, "https://learn.microsoft.com/") || !strings.Contains(page, s.URL) {
				t.Errorf("%s: source %q (%s) is not a Microsoft Learn link shown on the page", name, s.Title, s.URL)
			}
		}
	}
}

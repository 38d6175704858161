package templates

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/sipdisco/sipdisco/engine"
)

// moreDocs are the docs pages that the analyzer's first module does not
// link (files with the build tag !firstmodule add theirs).
var moreDocs = map[string]func(Site) templ.Component{}

// docsPages renders every generated docs page.
func docsPages(t *testing.T) map[string]string {
	t.Helper()
	site := Site{Base: "/", CSS: "/style.css", JS: "/app.js", WASM: "/main.wasm"}
	pages := map[string]templ.Component{
		"docs/index.html": DocsIndexPage(NewDocsIndex(site)),
		FindingsPath:      FindingsPage(NewFindingsView(site)),
	}
	for _, p := range engine.Profiles() {
		pages[ProfileDocPath(p.Name)] = ProfileDocPage(NewProfileDoc(site, p))
	}
	for path, page := range moreDocs {
		pages[path] = page(site)
	}
	out := map[string]string{}
	for name, c := range pages {
		out[name] = html.UnescapeString(render(t, c))
	}
	return out
}

// TestDocsWords: the docs pages speak to users (issue 16 item 10): they
// say "Microsoft's documentation", never "the seed", and state no fact
// beside a "not verified"; they link the glossary, which explains the
// jargon findings use.
func TestDocsWords(t *testing.T) {
	seed := regexp.MustCompile(`(?i)\bseed\b`)
	for name, page := range docsPages(t) {
		if m := seed.FindString(page); m != "" {
			t.Errorf("%s says %q", name, m)
		}
		if strings.Contains(strings.ToLower(page), "not verified") {
			t.Errorf("%s says \"not verified\"", name)
		}
		if name != "docs/index.html" && !strings.Contains(page, `href="/docs/#glossary"`) {
			t.Errorf("%s does not link the glossary", name)
		}
	}
	index := docsPages(t)["docs/index.html"]
	for _, term := range []string{"Label boundary", "Namespace", "NODATA", "Indeterminate", "SERVFAIL", "Access Edge"} {
		if !strings.Contains(index, "<dt>"+term) {
			t.Errorf("the glossary does not explain %q", term)
		}
	}
}

// TestDocsSRVPorts: the SRV tables give each name's usual port (issue 16
// item 2): _sip._tls is the Access Edge's client port, 443; the TCP name
// is 5060.
func TestDocsSRVPorts(t *testing.T) {
	want := map[string]string{"_sipinternaltls._tcp." + ExampleDomain: "5061", "_sipinternal._tcp." + ExampleDomain: "5060", "_sip._tls." + ExampleDomain: "443"}
	for _, p := range engine.Profiles() {
		for _, r := range NewProfileDoc(Site{Base: "/"}, p).SRV {
			if w, ok := want[r.Name]; ok && r.Port != w {
				t.Errorf("%s: %s usual port %s; want %s", p.Name, r.Name, r.Port, w)
			}
		}
	}
}

// TestDocsCompare: the docs index sets every client side by side on the
// properties issue 11 asks for, each value from the profile data.
func TestDocsCompare(t *testing.T) {
	v := NewDocsIndex(Site{Base: "/"})
	if len(v.Compare.Clients) != len(engine.Profiles()) {
		t.Fatalf("%d clients compared; want %d", len(v.Compare.Clients), len(engine.Profiles()))
	}
	rows := map[string][]string{}
	for _, r := range v.Compare.Rows {
		if len(r.Values) != len(v.Compare.Clients) {
			t.Errorf("row %q has %d values for %d clients", r.Property, len(r.Values), len(v.Compare.Clients))
		}
		rows[r.Property] = r.Values
	}
	for i, p := range engine.Profiles() {
		for prop, want := range map[string]string{
			"Address families":                       map[bool]string{true: "A or AAAA: IPv4 and IPv6", false: "A only: IPv4"}[p.IPv6],
			"Strict naming applies to":               map[bool]string{true: "servers reached over TLS", false: "every discovered server, TLS and TCP"}[p.StrictTLSOnly],
			"After an SRV record that does not work": map[bool]string{true: "goes on to the host records, until one works", false: "stops: host records only when no SRV record exists"}[p.Persistence == engine.ContinueUntilOneWorks],
		} {
			if got := rows[prop]; len(got) <= i || got[i] != want {
				t.Errorf("%s: %q = %v; want %q", p.Name, prop, got, want)
			}
		}
	}
	page := docsPages(t)["docs/index.html"]
	if !strings.Contains(page, `data-testid="client-comparison"`) {
		t.Errorf("the docs index has no comparison table")
	}
	if !strings.Contains(page, "Lync 2013 / Skype for Business") || !strings.Contains(page, "keep going instead") {
		t.Errorf("the misunderstood rule does not say which clients keep going")
	}
}

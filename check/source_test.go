package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseSource: every word and URL a link or --doh names reads into
// its kind, and String writes it back byte for byte, so that links stay
// as they were.
func TestParseSource(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Source
	}{
		{"", Source{}},
		{"local", Source{Kind: SourceLocal}},
		{"upstream", Source{Kind: SourceUpstream}},
		{"demo", Source{Kind: SourceDemo}},
		{"zone", Source{Kind: SourceZone}},
		{"https://dns.google/dns-query", Source{Kind: SourceDoH, URL: "https://dns.google/dns-query"}},
		{"https://dns.example/dns-query?x=1&y=2", Source{Kind: SourceDoH, URL: "https://dns.example/dns-query?x=1&y=2"}},
		// Not a word: a URL, whose error dohclient.New names.
		{"Demo", Source{Kind: SourceDoH, URL: "Demo"}},
	} {
		got := ParseSource(tt.in)
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("ParseSource(%q) (-got +want):\n%s", tt.in, diff)
		}
		if s := got.String(); s != tt.in {
			t.Errorf("ParseSource(%q).String() = %q; want it back", tt.in, s)
		}
	}
}

// TestSourceKindsDescribed: every kind has its row in sourceKinds, and
// the words of the kinds a link names are distinct.
func TestSourceKindsDescribed(t *testing.T) {
	words := map[string]SourceKind{}
	for k := SourceDefault; k <= SourceSystem; k++ {
		d, ok := sourceKinds[k]
		if !ok {
			t.Errorf("SourceKind %d has no row in sourceKinds", k)
		}
		if d.word == "" {
			continue
		}
		if other, dup := words[d.word]; dup {
			t.Errorf("kinds %d and %d share the word %q", k, other, d.word)
		}
		words[d.word] = k
	}
	if len(sourceKinds) != int(SourceSystem)+1 {
		t.Errorf("sourceKinds has %d rows; want one per kind, %d", len(sourceKinds), SourceSystem+1)
	}
}

func TestResolverLabel(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "this server's /dns-query",
		"local":                        "this server's /dns-query",
		"upstream":                     UpstreamLabel,
		"demo":                         "the embedded demo zones",
		"zone":                         "planned zone",
		"https://dns.google/dns-query": "https://dns.google/dns-query",
	} {
		if got := ResolverLabel(in); got != want {
			t.Errorf("ResolverLabel(%q) = %q; want %q", in, got, want)
		}
	}
}

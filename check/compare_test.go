package check

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestViewsRoundTrip(t *testing.T) {
	for _, v := range []CompareOptions{
		{URI: "sip:bob@contoso.com", Profile: "lync-2013", Strict: true, AllowTCP: false, A: CompareSide{DoH: ResolverZone}, B: CompareSide{DoH: "https://dns.example/dns-query?x=1&y=2"}},
		{URI: "bob@contoso.com", Profile: "communicator-2007-r2", AllowTCP: true, A: CompareSide{DoH: ResolverLocal}, Matrix: true},
		{URI: "bob@contoso.com", Profile: "lync-2010", A: CompareSide{DoH: ResolverLocal}, Matrix: true, More: []string{"sip:alice@fabrikam.com", "carol@contoso.com"}},
	} {
		q := v.Query()
		got, ok, err := ParseCompare(q)
		if err != nil || !ok {
			t.Fatalf("ParseCompare(%q) = %v, %v", q, ok, err)
		}
		if d := cmp.Diff(got, v); d != "" {
			t.Errorf("ParseCompare(Query()) (-got +want):\n%s", d)
		}
	}
}

func TestParseViewsErrors(t *testing.T) {
	for _, tt := range []struct{ q, want string }{
		{"?uri=bob@contoso.com&b=local", "first view"},
		{"?uri=bob@contoso.com&a=local&matrix=yes", `"matrix"`},
		{"?uri=bob@contoso.com&a=local&strict=2", `"strict"`},
		{"?uri=bob@contoso.com&a=local&a=zone", `"a" 2 times`},
		{"?uri=bob@contoso.com&a=local&matrix=1&more=a@b.com+c@d.com+e@f.com+g@h.com+i@j.com", `"more" names 5 addresses`},
	} {
		_, _, err := ParseCompare(tt.q)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseCompare(%q) error = %v; want it to mention %s", tt.q, err, tt.want)
		}
	}
	if _, ok, err := ParseCompare(""); ok || err != nil {
		t.Errorf("ParseCompare(\"\") = %v, %v; want not ok, no error", ok, err)
	}
}

func TestMatrixAddresses(t *testing.T) {
	tests := []struct {
		name string
		more []string
		want []string
		err  string
	}{
		{"none", nil, []string{"bob@contoso.com"}, ""},
		{"blanks, comments, repeats", []string{"", "# fabrikam", " alice@fabrikam.com ", "bob@contoso.com", "alice@fabrikam.com"}, []string{"bob@contoso.com", "alice@fabrikam.com"}, ""},
		{"bad line", []string{"alice@fabrikam.com", "", "not an address"}, nil, "more addresses, line 3: "},
		{"too many", []string{"a@a.com", "b@b.com", "c@c.com", "d@d.com", "e@e.com"}, nil, "line 5: a matrix takes at most 5 addresses"},
	}
	for _, tt := range tests {
		got, err := CompareOptions{URI: "bob@contoso.com", More: tt.more}.MatrixAddresses()
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: MatrixAddresses() error = %v; want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: MatrixAddresses() error = %v", tt.name, err)
		}
		if d := cmp.Diff(got, tt.want); d != "" {
			t.Errorf("%s: MatrixAddresses() (-got +want):\n%s", tt.name, d)
		}
	}
}

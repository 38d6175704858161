package share

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestViewsRoundTrip(t *testing.T) {
	for _, v := range []Views{
		{URI: "sip:bob@contoso.com", Profile: "lync-2013", Strict: true, AllowTCP: false, A: View{DoH: Zone}, B: View{DoH: "https://dns.example/dns-query?x=1&y=2"}},
		{URI: "bob@contoso.com", Profile: "communicator-2007-r2", AllowTCP: true, A: View{DoH: Local}, Matrix: true},
	} {
		q := v.Query()
		got, ok, err := ParseViews(q)
		if err != nil || !ok {
			t.Fatalf("ParseViews(%q) = %v, %v", q, ok, err)
		}
		if d := cmp.Diff(got, v); d != "" {
			t.Errorf("ParseViews(Query()) (-got +want):\n%s", d)
		}
	}
}

func TestParseViewsErrors(t *testing.T) {
	for _, tt := range []struct{ q, want string }{
		{"?uri=bob@contoso.com&b=local", "first view"},
		{"?uri=bob@contoso.com&a=local&matrix=yes", `"matrix"`},
		{"?uri=bob@contoso.com&a=local&strict=2", `"strict"`},
		{"?uri=bob@contoso.com&a=local&a=zone", `"a" 2 times`},
	} {
		_, _, err := ParseViews(tt.q)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseViews(%q) error = %v; want it to mention %s", tt.q, err, tt.want)
		}
	}
	if _, ok, err := ParseViews(""); ok || err != nil {
		t.Errorf("ParseViews(\"\") = %v, %v; want not ok, no error", ok, err)
	}
}

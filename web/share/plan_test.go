package share

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlanRoundTrip(t *testing.T) {
	for _, p := range []Plan{
		{Domains: "contoso.com, fabrikam.com", Pool: "pool01.contoso.com", PoolIP: "10.0.0.10", Edge: "sip.contoso.com:443",
			Profiles: []string{"lync-2013"}, Strict: true},
		{Domains: "contoso.com", Pool: "", Director: "dir.contoso.com", WebInternal: "webint.contoso.com", WebExternal: "webext.contoso.com",
			Profiles: []string{"communicator-2007-r2", "communicator-2007", "lync-2010", "lync-2013"}, AllowTCP: true},
	} {
		q := p.Query()
		got, ok, err := ParsePlan(q)
		if err != nil || !ok {
			t.Fatalf("ParsePlan(%q) = %v, %v", q, ok, err)
		}
		if d := cmp.Diff(got, p); d != "" {
			t.Errorf("ParsePlan(%q) (-got +want):\n%s", q, d)
		}
	}
}

func TestParsePlanErrors(t *testing.T) {
	for _, tt := range []struct{ q, want string }{
		{"?domains=a.com&profiles=lync-3000", "profile"},
		{"?domains=a.com&tcp=maybe", `"tcp"`},
		{"?domains=a.com&domains=b.com", "2 times"},
		{"?domains=" + strings.Repeat("a", MaxField+1), "longer"},
	} {
		if _, _, err := ParsePlan(tt.q); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePlan(%.40q) error = %v; want it to mention %s", tt.q, err, tt.want)
		}
	}
	if _, ok, err := ParsePlan("?uri=bob@contoso.com"); ok || err != nil {
		t.Errorf("ParsePlan of an analyzer link = %v, %v; want not ok, no error", ok, err)
	}
}

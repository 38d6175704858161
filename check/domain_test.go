package check

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestDomainOptions(t *testing.T) {
	v := DomainOptions{Domains: []string{"# tenant", " Contoso.COM. ", "", "fabrikam.com", "contoso.com"}, DoH: "https://dns.example/dns-query?x=1&y"}
	got, err := v.List()
	if err != nil || !slices.Equal(got, []string{"contoso.com", "fabrikam.com"}) {
		t.Fatalf("List = %q, %v; want contoso.com fabrikam.com", got, err)
	}
	q := v.Query()
	if want := "?domains=contoso.com+fabrikam.com&doh=https%3A%2F%2Fdns.example%2Fdns-query%3Fx%3D1%26y"; q != want {
		t.Errorf("Query = %q; want %q", q, want)
	}
	back, ok, err := ParseDomainQuery(q)
	if err != nil || !ok || !slices.Equal(back.Domains, got) || back.DoH != v.DoH {
		t.Errorf("ParseDomainQuery(%q) = %+v, %v, %v; want the domains and resolver back", q, back, ok, err)
	}
	if v, ok, err := ParseDomainQuery("?domains=contoso.com"); !ok || err != nil || v.DoH != "" {
		t.Errorf("a link without a resolver: %+v, %v, %v; want the domain and no resolver", v, ok, err)
	}
	if _, ok, err := ParseDomainQuery("?doh=local"); ok || err != nil {
		t.Errorf("a link without domains: ok %v, err %v; want neither", ok, err)
	}

	for _, tt := range []struct {
		v    DomainOptions
		want string
	}{
		{DomainOptions{Domains: []string{"contoso.com", "bad domain"}}, "line 2"},
		{DomainOptions{Domains: []string{"", "# only a comment"}}, "at least one"},
		{DomainOptions{Domains: many(21)}, "line 21: the page reports on at most 20"},
	} {
		if _, err := tt.v.List(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("List(%q) = %v; want an error saying %q", tt.v.Domains, err, tt.want)
		}
	}
	if got, err := (DomainOptions{Domains: many(MaxDomains)}).List(); err != nil || len(got) != MaxDomains {
		t.Errorf("List of %d domains = %d, %v; want them all", MaxDomains, len(got), err)
	}
	for _, bad := range []string{"?domains=a%3Cb%3E.example&doh=local", "?domains=contoso.com&doh=zone", "?domains=contoso.com&doh=demo", "?domains=%ZZ"} {
		if _, ok, err := ParseDomainQuery(bad); ok || err == nil {
			t.Errorf("ParseDomainQuery(%q): ok %v, err %v; want an error", bad, ok, err)
		}
	}
}

// many returns n different domains.
func many(n int) []string {
	var out []string
	for i := range n {
		out = append(out, "d"+strconv.Itoa(i)+".example")
	}
	return out
}

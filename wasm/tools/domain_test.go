//go:build js && wasm

package main

import (
	"strings"
	"testing"
)

func TestDomainErrors(t *testing.T) {
	for _, tt := range []struct{ name, form, want string }{
		{"no resolver", `{"domains":["contoso.com"]}`, "choose a DNS resolver"},
		{"no domain", `{"domains":["# none",""],"doh":"local"}`, "at least one SIP domain"},
		{"bad domain", `{"domains":["contoso.com","<b>"],"doh":"local"}`, "domains, line 2"},
		{"planned zone", `{"domains":["contoso.com"],"doh":"zone"}`, "planned zone"},
		{"unknown field", `{"domains":["contoso.com"],"doh":"local","zone":"x"}`, "bad domain form"},
	} {
		_, err := call(t, domainFunc, tt.form)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestParseDomains(t *testing.T) {
	got, err := call(t, parseDomains, "?domains=contoso.com+fabrikam.com&doh=local")
	if err != nil || got != `{"found":true,"form":{"domains":["contoso.com","fabrikam.com"],"doh":"local"}}` {
		t.Errorf("parseDomains = %s, %v", got, err)
	}
	if got, err := call(t, parseDomains, "?uri=bob%40contoso.com"); err != nil || !strings.Contains(got, `"found":false`) {
		t.Errorf("a link without domains: %s, %v; want found false", got, err)
	}
	if _, err := call(t, parseDomains, "?domains=contoso.com&doh=zone"); err == nil {
		t.Error("a link naming the planned zone: no error")
	}
}

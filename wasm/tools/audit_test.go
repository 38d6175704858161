//go:build js && wasm

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
)

func TestAuditPlannedZone(t *testing.T) {
	list := "# planned\njeremy@contoso.com\nnot an address\nalice@contoso.com\nbob@fabrikam.com\n"
	form, _ := json.Marshal(check.AuditOptions{List: list, Profile: "communicator-2007-r2", AllowTCP: true, DoH: "zone", Zone: plannedZone})
	out, err := call(t, auditFunc, string(form))
	if err != nil {
		t.Fatalf("audit: %v", err)
	}
	var res auditResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if got := res.Summary.String(); got != "4 addresses: 2 connect (2 sign in, 0 with problems), 0 fail, 1 indeterminate, 1 bad input" {
		t.Errorf("summary = %q; want 2 connect, both signing in without problems, 1 indeterminate (fabrikam.com is outside the zone), 1 bad input", got)
	}
	csv := strings.Split(strings.TrimSpace(res.CSV), "\n")
	if len(csv) != 5 || !strings.HasPrefix(csv[1], "jeremy@contoso.com,contoso.com,") || !strings.HasPrefix(csv[2], "not an address,") {
		t.Errorf("CSV = %q; want a header and the four lines in input order", csv)
	}
	var rows []struct {
		Line    int    `json:"line"`
		Outcome string `json:"outcome"`
	}
	if err := json.Unmarshal([]byte(res.JSON), &rows); err != nil || len(rows) != 4 || rows[1].Line != 3 || rows[1].Outcome != "bad-input" {
		t.Errorf("JSON = %s (%v); want four rows, line 3 bad input", res.JSON, err)
	}
	// A planned zone is not in links: the rows link to snapshots.
	if n := strings.Count(res.HTML, `href="../#s=`); n != 3 {
		t.Errorf("%d snapshot links; want 3 (one per address)", n)
	}
}

func TestAuditErrors(t *testing.T) {
	for _, tt := range []struct{ name, form, want string }{
		{"empty", `{"list":"# nothing\n\n","doh":"zone","zone":"x"}`, "paste at least one"},
		{"no resolver", `{"list":"bob@contoso.com"}`, "choose a DNS resolver"},
		{"bad profile", `{"list":"bob@contoso.com","doh":"local","profile":"lync-3000"}`, "lync-3000"},
		{"too many", `{"list":"` + strings.Repeat(`b@c.com\n`, 2001) + `","doh":"zone","zone":"x"}`, "more than 2000 addresses"},
		{"unknown field", `{"list":"b@c.com","doh":"zone","zon":"x"}`, "bad audit form"},
	} {
		_, err := call(t, auditFunc, tt.form)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

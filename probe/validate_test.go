package probe

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
)

// sample is a result as the prober makes one: an answered attempt with a
// challenge and a failed one.
func sample(t *testing.T) Result {
	t.Helper()
	r, err := ParseResponse([]byte(lync401))
	if err != nil {
		t.Fatal(err)
	}
	res := Result{Address: "sip:bob@lync.loc", Client: engine.DefaultProfile, Started: "2026-11-25T14:41:59Z", Attempts: []Attempt{
		{Host: "sip.lync.loc", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.lync.loc", Reason: engine.ConnectionDiscovered, Outcome: Failed,
			Failure: &Failure{Stage: StageConnect, Kind: FailRefused, Message: "192.0.2.1:5061: connection refused"}},
		{Host: "pool.lync.loc", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.lync.loc", Reason: engine.ConnectionDiscovered, Outcome: Answered, Response: &r},
	}}
	for i := range res.Attempts {
		JudgeAttempt(&res.Attempts[i], res.Client)
	}
	Judge(&res)
	return res
}

func TestResultJSON(t *testing.T) {
	res := sample(t)
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(back, res); diff != "" {
		t.Errorf("JSON round trip (-got +want):\n%s", diff)
	}
	if err := back.Validate(); err != nil {
		t.Errorf("Validate(a prober's result) = %v", err)
	}
	for _, field := range []string{`"attempts":`, `"outcome":"answered"`, `"failure":{"stage":"connect","kind":"refused"`, `"challenges":[{"header":"WWW-Authenticate","scheme":"NTLM","protocol":"NTLM"`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("JSON lacks %s:\n%s", field, b)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(*Result)
		want   string
	}{
		{"unknown outcome", func(r *Result) { r.Attempts[0].Outcome = "pwned" }, `attempts[0].outcome: "pwned" is not answered, failed or skipped`},
		{"answered without a response", func(r *Result) { r.Attempts[1].Response = nil }, "attempts[1].response: an answered attempt has no response"},
		{"failed without a failure", func(r *Result) { r.Attempts[0].Failure = nil }, "attempts[0].failure: a failed attempt says nothing about why"},
		{"bad transport", func(r *Result) { r.Attempts[1].Transport = "UDP" }, `attempts[1].transport: "UDP" is not TLS or TCP`},
		{"bad severity", func(r *Result) { r.Attempts[1].Findings[0].Severity = "<b>" }, `attempts[1].findings[0].severity: "<b>" is not error, warning or info`},
		{"too many attempts", func(r *Result) { r.Attempts = make([]Attempt, MaxAttempts+1) }, "attempts: 33 attempts"},
		{"bad status", func(r *Result) { r.Attempts[1].Response.Status = 42 }, "attempts[1].response.status: 42 is not a SIP status code"},
		{"huge body", func(r *Result) { r.Attempts[1].Response.Body = strings.Repeat("x", MaxBodyBytes+1) }, "attempts[1].response.body: longer than"},
		{"bad stage", func(r *Result) { r.Attempts[0].Failure.Stage = "dns" }, `attempts[0].failure.stage: "dns" is not a stage`},
	}
	for _, tt := range tests {
		r := sample(t)
		tt.tamper(&r)
		if err := r.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate = %v; want %q", tt.name, err, tt.want)
		}
	}
}

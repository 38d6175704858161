package check

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
)

func sample() *engine.Report {
	return &engine.Report{URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile,
		Policy: engine.DefaultPolicy(), Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "sip.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sip._tls.contoso.com"},
		Steps:  []engine.Step{{Question: "_sip._tls.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 5061 sip.contoso.com."}, Round: 1}}}
}

func TestSnapshotRoundTrip(t *testing.T) {
	s := Snapshot{TakenAt: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), DoH: "local", Report: sample()}
	frag, err := EncodeSnapshot(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(frag, "#s=") {
		t.Fatalf("EncodeSnapshot = %q; want #s=…", frag)
	}
	got, err := DecodeSnapshot(frag)
	if err != nil {
		t.Fatalf("DecodeSnapshot: %v", err)
	}
	s.V = 1
	if diff := cmp.Diff(got, s); diff != "" {
		t.Errorf("DecodeSnapshot(EncodeSnapshot(s)) (-got +want):\n%s", diff)
	}
}

// sampleProbe is what a server answered, as the prober records it: one
// TLS attempt answered with a 401.
func sampleProbe() *engine.Probe {
	return &engine.Probe{Address: "sip:bob@contoso.com", Client: engine.DefaultProfile, Started: "2026-11-25T14:00:00Z",
		Attempts: []engine.ProbeAttempt{{Host: "sip.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sip._tls.contoso.com",
			Reason: engine.ConnectionDiscovered, Remote: "192.0.2.10:5061", Outcome: engine.ProbeAnswered,
			Response: &engine.SIPResponse{StartLine: "SIP/2.0 401 Unauthorized", Status: 401, Reason: "Unauthorized",
				Headers: []engine.Header{{Name: "WWW-Authenticate", Value: `NTLM realm="SIP Communications Service", targetname="sip.contoso.com", version=3`}},
				Challenges: []engine.SIPChallenge{{Header: "WWW-Authenticate", Scheme: "NTLM", Protocol: "NTLM", Realm: "SIP Communications Service",
					TargetName: "sip.contoso.com", Version: 3}}},
			Findings: []engine.Finding{{Kind: engine.KindProbeChallenge, Severity: engine.SeverityInfo, Subject: "sip.contoso.com:5061",
				Message: "The server challenges <b>the REGISTER</b>.", Fix: "Nothing to fix."}}}},
		Findings: []engine.Finding{}}
}

// TestSnapshotCarriesTheProbe: a report's probe travels in the snapshot
// as it is, and a probe whose shape is wrong makes the link invalid.
func TestSnapshotCarriesTheProbe(t *testing.T) {
	r := sample()
	r.Probe = sampleProbe()
	frag, err := EncodeSnapshot(Snapshot{Report: r})
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeSnapshot(frag)
	if err != nil {
		t.Fatalf("DecodeSnapshot: %v", err)
	}
	if diff := cmp.Diff(got.Report, r); diff != "" {
		t.Errorf("the snapshot's report (-got +want):\n%s", diff)
	}
	r.Probe.Attempts[0].Outcome = "teleported"
	bad, _ := EncodeSnapshot(Snapshot{Report: r})
	if _, err := DecodeSnapshot(bad); err == nil || !strings.Contains(err.Error(), `probe: attempts[0].outcome: "teleported" is not answered, failed or skipped`) {
		t.Errorf("a snapshot with a bad probe: %v; want the outcome named", err)
	}
}

func TestDecodeSnapshotTampered(t *testing.T) {
	frag, _ := EncodeSnapshot(Snapshot{Report: sample()})
	noTarget := sample()
	noTarget.Target = nil
	bad, _ := EncodeSnapshot(Snapshot{Report: noTarget})
	tests := []struct{ name, in, want string }{
		{"not a snapshot", "#x=1", "no snapshot"},
		{"empty", "#s=", "cut short"},
		{"truncated", frag[:len(frag)/2], "truncated or altered"},
		{"bad character", frag[:10] + "!" + frag[11:], "character 8"},
		{"altered byte", frag[:20] + flip(frag[20]) + frag[21:], ""},
		{"connect without target", bad, `"connect" without a target`},
	}
	for _, tt := range tests {
		_, err := DecodeSnapshot(tt.in)
		if err == nil {
			t.Errorf("%s: DecodeSnapshot succeeded; want an error", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

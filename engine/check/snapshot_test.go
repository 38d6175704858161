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

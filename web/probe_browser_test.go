//go:build linux

package web

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
)

// probeState is what the tests read off a rendered observation.
type probeState struct {
	Present  bool     `json:"present"`
	Answered string   `json:"answered"`
	Outcomes []string `json:"outcomes"`
	Kinds    []string `json:"kinds"`
	Text     string   `json:"text"`
	Response string   `json:"response"`
	Overflow bool     `json:"overflow"`
	Injected int      `json:"injected"`
}

const readProbe = `(() => {
	const p = document.querySelector('#result [data-testid="probe"]');
	if (!p) { return {present: false}; }
	return {
		present: true,
		answered: p.dataset.answered,
		outcomes: [...p.querySelectorAll('[data-testid="probe-attempt"]')].map(a => a.dataset.outcome),
		kinds: [...p.querySelectorAll('[data-kind]')].map(f => f.dataset.kind),
		text: p.textContent,
		response: p.querySelector('[data-testid="probe-response"]') ? p.querySelector('[data-testid="probe-response"]').textContent : '',
		overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
		injected: document.querySelectorAll('#result script, #result img, #result iframe, #result [onerror], #result a[href^="javascript"]').length,
	};
})()`

// TestBrowserProbeSnapshot: sipdisco check --connect --link observes a
// real SIP server (kamailio) and prints a snapshot link; the page opens
// it without asking any DNS question and shows what the server answered,
// on a phone and on a desktop screen. A snapshot whose server strings
// carry markup shows them as text.
func TestBrowserProbeSnapshot(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds main.wasm, starts kamailio and drives Chromium")
	}
	chromium := chromiumPath(t)
	k := siptest.StartKamailio(t)
	site := startSite(t)
	bctx := browser(t, chromium)

	dir := t.TempDir()
	zone := filepath.Join(dir, "kam.test.zone")
	text := fmt.Sprintf("$ORIGIN kam.test.\n$TTL 300\n_sipinternaltls._tcp SRV 0 0 %d sip\nsip A 127.0.0.1\n", k.TLS)
	ca := filepath.Join(dir, "kam-root.pem")
	if err := os.WriteFile(zone, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ca, k.CA.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(buildCLI(t), "check", "--connect", "--connect-timeout", "10s", "--zone", zone, "--ca", ca,
		"--link", "--link-base", site.URL+"/", "bob@kam.test")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Kamailio's Digest challenge is one no Microsoft client answers:
	// the client connects, with problems (exit status 5).
	if err := cmd.Run(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 5 {
		t.Fatalf("sipdisco check --connect --link: %v; want exit status 5\n%s\n%s\nkamailio log:\n%s", err, stdout.String(), stderr.String(), k.Log)
	}
	m := regexp.MustCompile(`what the servers answered\): (\S+#s=\S+)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no snapshot link in:\n%s", stdout.String())
	}
	link := m[1]

	for _, s := range []screen{phone, desktop} {
		t.Run(s.name, func(t *testing.T) {
			ctx := sizedFor(t, bctx, s, 30*time.Second)
			before := site.queries.Load()
			got, err := showReport(ctx, chromedp.Navigate(link))
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != "connect" || !strings.HasPrefix(got.Target, "sip.kam.test:") {
				t.Errorf("the snapshot shows %q %q; want connect to sip.kam.test", got.Outcome, got.Target)
			}
			// The observation's error makes the banner amber, and its
			// link leads to the observation.
			if got.State != string(engine.StateSignsInWithProblems) || got.Problems == 0 || got.First == "" {
				t.Errorf("the snapshot's banner: state %q, %d problems, first %q; want signs-in-with-problems naming the first", got.State, got.Problems, got.First)
			}
			// Issue 25's goal holds for an observation too (heightGoal).
			checkHeight(t, ctx, s.name, "a --connect snapshot", got.State)
			screenshotOf(t, ctx, "10-probe-snapshot-closed-"+strings.Fields(s.name)[0], "#result")
			if n := site.queries.Load() - before; n != 0 {
				t.Errorf("opening the snapshot made %d requests to /dns-query; want 0", n)
			}
			p, err := chromedp.Run(ctx, chromedp.Evaluate[probeState](readProbe))
			if err != nil {
				t.Fatal(err)
			}
			if !p.Present || p.Answered != "true" || len(p.Outcomes) != 1 || p.Outcomes[0] != "answered" {
				t.Fatalf("the observation = %+v; want one attempt, answered", p)
			}
			for _, want := range []string{"What the real servers answered", "SIP/2.0 401 Unauthorized", `WWW-Authenticate: Digest (realm "kam.test"`, "Server: kamailio"} {
				if !strings.Contains(p.Text, want) {
					t.Errorf("the observation lacks %q:\n%s", want, p.Text)
				}
			}
			if !strings.Contains(p.Response, "SIP/2.0 401 Unauthorized\nVia: SIP/2.0/TLS 127.0.0.1:") {
				t.Errorf("the response as received = %q", p.Response)
			}
			if !strings.Contains(strings.Join(p.Kinds, " "), string(engine.KindProbeNoCommonProtocol)) {
				t.Errorf("the observation's findings %v lack %s", p.Kinds, engine.KindProbeNoCommonProtocol)
			}
			if p.Overflow {
				t.Errorf("at %dx%d the page is wider than the screen", s.width, s.height)
			}
			if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="probe"]`)), chromedp.Click(chromedp.CSS(`[data-testid="probe-detail"] > summary`))); err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, "10-probe-snapshot-"+strings.Fields(s.name)[0])
			if dir := os.Getenv("SIPDISCO_SCREENSHOTS"); dir != "" {
				// The section itself, readable at its size.
				png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`[data-testid="probe"]`)))
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, "10-probe-section-"+strings.Fields(s.name)[0]+".png"), png, 0o644)
			}
		})
	}

	t.Run("hostile server strings", func(t *testing.T) {
		const evil = `<img src=x onerror=alert(1)><script>alert(2)</script>`
		r := &engine.Report{URI: "sip:bob@kam.test", Domain: "kam.test", Profile: engine.DefaultProfile, Policy: engine.DefaultPolicy(),
			Outcome: engine.OutcomeConnect, Target: &engine.Target{Host: "sip.kam.test", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.kam.test"},
			Probe: &engine.Probe{Address: "sip:bob@kam.test", Client: engine.DefaultProfile, Started: "2026-11-25T14:00:00Z",
				Attempts: []engine.ProbeAttempt{{Host: "sip.kam.test", Port: 5061, Transport: engine.TLS, Source: "_sipinternaltls._tcp.kam.test",
					Reason: engine.ConnectionDiscovered, Outcome: engine.ProbeAnswered,
					Response: &engine.SIPResponse{StartLine: "SIP/2.0 401 " + evil, Status: 401, Reason: evil, Server: evil,
						Headers:    []engine.Header{{Name: "Server", Value: evil}},
						Challenges: []engine.SIPChallenge{{Header: "WWW-Authenticate", Scheme: "NTLM", Protocol: "NTLM", Realm: evil}}},
					Findings: []engine.Finding{{Kind: engine.KindProbeChallenge, Severity: engine.SeverityInfo, Subject: evil, Message: evil, Fix: evil}}}},
				Findings: []engine.Finding{}}}
		frag, err := snapshot.Encode(context.Background(), check.Snapshot{TakenAt: time.Now(), Report: r})
		if err != nil {
			t.Fatal(err)
		}
		ctx := tab(t, bctx, 30*time.Second)
		if _, err := showReport(ctx, chromedp.Navigate(site.URL+"/"+frag)); err != nil {
			t.Fatal(err)
		}
		p, err := chromedp.Run(ctx, chromedp.Evaluate[probeState](readProbe))
		if err != nil {
			t.Fatal(err)
		}
		if !p.Present || p.Injected != 0 || !strings.Contains(p.Text, evil) {
			t.Errorf("the hostile observation: present %v, %d elements made from server strings, text shown: %v", p.Present, p.Injected, strings.Contains(p.Text, evil))
		}
	})
}

//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
)

// kamZone writes a zone for kam.test whose SRV records lead to kamailio's
// TLS and TCP ports on loopback, and the CA's certificate as a --ca file.
func kamZone(t *testing.T, k *siptest.Kamailio, tlsPort, tcpPort uint16) (zone, ca string) {
	t.Helper()
	dir := t.TempDir()
	zone = filepath.Join(dir, "kam.test.zone")
	text := fmt.Sprintf("$ORIGIN kam.test.\n$TTL 300\n_sipinternaltls._tcp SRV 0 0 %d sip\n_sipinternal._tcp SRV 0 0 %d sip\nsip A 127.0.0.1\n", tlsPort, tcpPort)
	if err := os.WriteFile(zone, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ca = filepath.Join(dir, "kam-root.pem")
	if err := os.WriteFile(ca, k.CA.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return zone, ca
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) uint16 {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	return port
}

// TestCheckConnectKamailio runs sipdisco check --connect against
// kamailio, a SIP server that is not ours, found through a zone file: the
// report carries what it answered (the certificate, trusted by --ca, its
// 401 Digest challenge) beside the simulated sign-in; the text report and
// its snapshot link carry the same observation; its Digest challenge
// makes the exit status 5 (signs in, with problems), and a server that
// does not answer 3.
func TestCheckConnectKamailio(t *testing.T) {
	k := siptest.StartKamailio(t)
	zone, ca := kamZone(t, k, k.TLS, k.TCP)
	args := []string{"check", "--connect", "--connect-timeout", "10s", "--zone", zone, "--ca", ca}

	code, out, stderr := runCLI(t, append(args, "--json", "bob@kam.test")...)
	var rep engine.Report
	// Kamailio answers, with a Digest challenge no Microsoft client can
	// answer: the client connects, with problems (exit 5).
	if err := decodeOne(out, &rep); err != nil || code != exitProblems || rep.State != engine.StateSignsInWithProblems {
		t.Fatalf("check --connect --json: exit %d, state %s, %v\n%s\nkamailio log:\n%s", code, rep.State, err, stderr, k.Log)
	}
	if rep.Register == nil {
		t.Error("--connect did not simulate the sign-in it is compared with")
	}
	p := rep.Probe
	if p == nil || len(p.Attempts) != 1 {
		t.Fatalf("probe = %+v; want one attempt (the client stops at the first server that answers)", p)
	}
	a := p.Attempts[0]
	if a.Outcome != engine.ProbeAnswered || a.Host != siptest.KamailioHost || a.Port != k.TLS || a.Transport != engine.TLS {
		t.Fatalf("attempt = %s %s:%d %s %+v\nkamailio log:\n%s", a.Outcome, a.Host, a.Port, a.Transport, a.Failure, k.Log)
	}
	if a.TLS == nil || !a.TLS.Covered || len(a.TLS.Trust) == 0 || !a.TLS.Trust[len(a.TLS.Trust)-1].Trusted || a.TLS.Trust[len(a.TLS.Trust)-1].Roots != "--ca "+ca {
		t.Errorf("TLS = %+v; want the certificate covering %s, trusted by --ca %s", a.TLS, siptest.KamailioHost, ca)
	}
	if a.Response == nil || a.Response.Status != 401 || len(a.Response.Challenges) != 1 || a.Response.Challenges[0].Protocol != "Digest" || a.Response.Challenges[0].Realm != siptest.KamailioDomain {
		t.Errorf("response = %+v; want kamailio's 401 Digest in realm kam.test", a.Response)
	}
	if !hasKind(p.AllFindings(), engine.KindProbeNoCommonProtocol) {
		t.Errorf("probe findings %v lack %s: a Microsoft client cannot answer Digest", kindsOf(p.AllFindings()), engine.KindProbeNoCommonProtocol)
	}
	if a.Request == nil || len(a.Request.Get("Authorization")) != 0 || !strings.HasPrefix(a.Request.StartLine, "REGISTER sip:kam.test ") {
		t.Errorf("request = %+v; want a REGISTER for kam.test without credentials", a.Request)
	}

	// Every candidate, TCP too.
	_, out, stderr = runCLI(t, append(args, "--json", "--connect-all", "bob@kam.test")...)
	var all engine.Report
	if err := decodeOne(out, &all); err != nil || all.Probe == nil || len(all.Probe.Attempts) != 2 || all.Probe.Attempts[1].Transport != engine.TCP || all.Probe.Attempts[1].Outcome != engine.ProbeAnswered {
		t.Errorf("--connect-all: %v, probe %+v; want the TLS and the TCP candidate answered\n%s", err, all.Probe, stderr)
	}

	// The text report and its links.
	code, out, stderr = runCLI(t, append(args, "--link", "--link-base", "http://127.0.0.1:9/sipdisco", "bob@kam.test")...)
	if code != exitProblems {
		t.Fatalf("check --connect --link: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"State: Signs in, with problems — ", "WHAT THE REAL SERVERS ANSWERED", "[answered] sip.kam.test:", "SIP/2.0 401 Unauthorized", `WWW-Authenticate: Digest (realm "kam.test"`, "Trust: trusted by the --ca " + ca, "ERROR probe-no-common-protocol"} {
		if !strings.Contains(out, want) {
			t.Errorf("the text report lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "no password or token is sent") {
		t.Errorf("stderr %q does not say that nothing secret is sent", stderr)
	}
	m := regexp.MustCompile(`what the servers answered\): (http://127\.0\.0\.1:9/sipdisco/(#s=\S+))`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no snapshot link in:\n%s", out)
	}
	snap, err := snapshot.Decode(context.Background(), m[2])
	if err != nil {
		t.Fatal(err)
	}
	if snap.Report.Probe == nil || len(snap.Report.Probe.Attempts) != 1 {
		t.Fatalf("the snapshot's report has no probe: %+v", snap.Report.Probe)
	}
	if diff := cmp.Diff(snap.Report.Probe.Attempts[0].Response.Challenges, a.Response.Challenges, cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".Nonce" || strings.HasSuffix(p.GoString(), ".Params")
	}, cmp.Ignore())); diff != "" {
		t.Errorf("the snapshot's challenge differs from the JSON run's (-snapshot +json):\n%s", diff)
	}

	// A redirect to a home pool that has no address: the client cannot
	// sign in, so the address fails.
	code, out, _ = runCLI(t, append(args, "--json", "moved@kam.test")...)
	var moved engine.Report
	if err := decodeOne(out, &moved); err != nil || code != exitFail || moved.Probe == nil || len(moved.Probe.Attempts) != 2 || !hasKind(moved.Probe.Findings, engine.KindProbeNoServerAnswered) {
		t.Errorf("a redirect to nowhere: exit %d, %v, probe %+v; want exit 3 and %s", code, err, moved.Probe, engine.KindProbeNoServerAnswered)
	}

	// Nothing answers: exit 3, and the report says so.
	deadZone, _ := kamZone(t, k, closedPort(t), closedPort(t))
	code, out, _ = runCLI(t, "check", "--connect", "--zone", deadZone, "--json", "bob@kam.test")
	var dead engine.Report
	if err := decodeOne(out, &dead); err != nil || code != exitFail || dead.Outcome != engine.OutcomeConnect || dead.Probe == nil || !hasKind(dead.Probe.Findings, engine.KindProbeNoServerAnswered) {
		t.Errorf("no server listening: exit %d, %v, probe %+v; want exit 3 and %s", code, err, dead.Probe, engine.KindProbeNoServerAnswered)
	}
}

// TestCheckConnectUsage: the observation's inputs are checked before any
// connection: a CA file that holds no certificate, a bad time limit, and
// --link beside --json.
func TestCheckConnectUsage(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("not a certificate"), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--ca", junk}, "junk.pem"},
		{[]string{"--ca", filepath.Join(dir, "missing.pem")}, "missing.pem"},
		{[]string{"--connect-timeout", "forever"}, "--connect-timeout"},
		{[]string{"--connect", "--json", "--link"}, "--json and --link are exclusive"},
		{[]string{"--link", "--link-base", "ftp://x/"}, "--link-base"},
	} {
		code, _, stderr := runCLI(t, append(append([]string{"check"}, tt.args...), "bob@healthy.example")...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("check %v: exit %d, %q; want a usage error naming %q", tt.args, code, stderr, tt.want)
		}
	}
}

// TestCheckConnectDemo: the demo zones' servers are at documentation
// addresses (RFC 5737), so --connect contacts nothing there and says so,
// and the address fails (exit 3): no server answered.
func TestCheckConnectDemo(t *testing.T) {
	code, out, _ := runCLI(t, "check", "--connect", "--json", "bob@healthy.example")
	var rep engine.Report
	if err := decodeOne(out, &rep); err != nil || rep.Probe == nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code != exitFail || len(rep.Probe.Attempts) == 0 || rep.Probe.Attempts[0].Outcome != engine.ProbeSkipped || !hasKind(rep.Probe.Findings, engine.KindProbeNoServerAnswered) {
		t.Errorf("exit %d, attempts %+v, findings %v; want every attempt skipped, exit 3", code, rep.Probe.Attempts, kindsOf(rep.Probe.Findings))
	}
}

func kindsOf(fs []engine.Finding) []engine.Kind {
	var out []engine.Kind
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

func hasKind(fs []engine.Finding, k engine.Kind) bool {
	for _, f := range fs {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// TestCheckConnectDeadline: six SIP servers on loopback that accept a
// connection and never start TLS, found through a zone file, hold check
// --connect only for --connect-deadline (issue 26); the report names the
// candidates it did not try, in the text and the JSON.
func TestCheckConnectDeadline(t *testing.T) {
	var text strings.Builder
	text.WriteString("$ORIGIN stall.test.\n$TTL 300\nsip A 127.0.0.1\n")
	for i := range 6 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				go func() { io.Copy(io.Discard, c); c.Close() }()
			}
		}()
		fmt.Fprintf(&text, "_sipinternaltls._tcp SRV %d 0 %d sip\n", i, l.Addr().(*net.TCPAddr).Port)
	}
	zone := filepath.Join(t.TempDir(), "stall.test.zone")
	if err := os.WriteFile(zone, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"check", "--connect-all", "--connect-timeout", "400ms", "--connect-deadline", "1s", "--zone", zone}
	_, out, stderr := runCLI(t, append(args, "--json", "bob@stall.test")...)
	var rep engine.Report
	if err := decodeOne(out, &rep); err != nil || rep.Probe == nil || len(rep.Probe.Attempts) != 6 {
		t.Fatalf("check --connect-deadline 1s --json: %v, probe %+v\n%s", err, rep.Probe, stderr)
	}
	notTried := 0
	for _, a := range rep.Probe.Attempts {
		if a.Failure != nil && a.Failure.Kind == "not-tried" {
			notTried++
		}
	}
	if notTried < 2 || !hasKind(rep.Probe.AllFindings(), engine.KindProbeOutOfTime) {
		t.Errorf("%d attempts not tried, findings %v; want at least 2 of 6 (400ms each in 1s) and %s", notTried, kindsOf(rep.Probe.AllFindings()), engine.KindProbeOutOfTime)
	}
	_, out, _ = runCLI(t, append(args, "bob@stall.test")...)
	if !strings.Contains(out, "The probe stopped before it tried") || !strings.Contains(out, "overall time limit of 1s ran out") {
		t.Errorf("text report lacks the candidates not tried:\n%s", out)
	}
}

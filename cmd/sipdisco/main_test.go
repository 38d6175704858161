//go:build !js

package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/buildinfo"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// decodeOne decodes the output of check --json for one address: an array
// of one report, into v.
func decodeOne(out string, v any) error {
	var reps []json.RawMessage
	if err := json.Unmarshal([]byte(out), &reps); err != nil {
		return fmt.Errorf("check --json is not an array: %v", err)
	}
	if len(reps) != 1 {
		return fmt.Errorf("check --json gave %d reports for one address", len(reps))
	}
	return json.Unmarshal(reps[0], v)
}

func TestCheckExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"check", "bob@healthy.example"}, exitConnect},
		{[]string{"check", "bob@invalid.example"}, exitFail},
		{[]string{"check", "bob@servfail.example"}, exitIndeterminate},
		{[]string{"check", "bob@healthy.example", "bob@servfail.example"}, exitIndeterminate},
		{[]string{"check", "bob@servfail.example", "bob@invalid.example"}, exitFail},
		{[]string{"check", "--no-tcp", "--strict", "bob@healthy.example", "--json"}, exitConnect},
		{[]string{"check", "bob@tcp-only.example"}, exitProblems},
		{[]string{"check", "bob@healthy.example", "bob@tcp-only.example"}, exitProblems},
		{[]string{"check", "bob@tcp-only.example", "bob@servfail.example"}, exitIndeterminate},
		{[]string{"check", "bob@tcp-only.example", "bob@invalid.example"}, exitFail},
		{[]string{"check", "--register", "--owner", `CONTOSO\alice`, "bob@healthy.example"}, exitProblems},
		{[]string{"check", "bob@contoso", "--demo"}, exitUsage},
		{[]string{"check"}, exitUsage},
		{[]string{"check", "--profile", "nope", "bob@healthy.example"}, exitUsage},
		{[]string{"check", "--json", "--md", "bob@healthy.example"}, exitUsage},
		{[]string{"check", "--manual-internal", "bad host:99999", "bob@healthy.example"}, exitUsage},
		{[]string{"check", "--doh", "ftp://x/dns-query", "bob@contoso.com"}, exitUsage},
		{[]string{"frobnicate"}, exitUsage},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != tt.code {
			t.Errorf("sipdisco %s = exit %d; want %d (stderr: %s)", strings.Join(tt.args, " "), code, tt.code, stderr)
		}
	}
}

func TestCheckBadURIPointsAtOffset(t *testing.T) {
	code, _, stderr := runCLI(t, "check", "sip:bob@contoso.com:5061")
	if code != exitUsage {
		t.Errorf("exit %d; want %d", code, exitUsage)
	}
	for _, want := range []string{"offset 19", "a port is not part of a sign-in address", "\n" + strings.Repeat(" ", 2+19) + "^"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not contain %q", stderr, want)
		}
	}
}

// TestCheckJSON: check --json is always an array, one report per address
// in the order given, each naming the tool and when it ran, with the
// field names of the public contract (docs/spec.md §7.3; README).
func TestCheckJSON(t *testing.T) {
	before := time.Now().UTC().Truncate(time.Second)
	_, out, _ := runCLI(t, "check", "--json", "bob@healthy.example")
	var rep engine.Report
	if err := decodeOne(out, &rep); err != nil {
		t.Fatalf("--json with one address: %v\n%s", err, out)
	}
	if rep.Outcome != engine.OutcomeConnect || rep.Target == nil || rep.Domain != "healthy.example" {
		t.Errorf("report = %+v; want connect for healthy.example", rep)
	}
	if rep.Tool == nil || rep.Tool.Name != "sipdisco" || rep.Tool.Version != buildinfo.Read().Version {
		t.Errorf("tool = %+v; want sipdisco %s", rep.Tool, buildinfo.Read().Version)
	}
	if at, err := time.Parse(time.RFC3339, rep.CheckedAt); err != nil || at.Before(before) || at.After(time.Now().Add(time.Second)) {
		t.Errorf("checkedAt = %q (%v); want the time of the check in RFC 3339", rep.CheckedAt, err)
	}
	var raws []map[string]any
	json.Unmarshal([]byte(out), &raws)
	raw := raws[0]
	for _, k := range []string{"tool", "checkedAt", "uri", "domain", "profile", "policy", "outcome", "target", "candidates", "steps", "findings"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
	_, signIn, _ := runCLI(t, "check", "--json", "--register", "bob@healthy.example")
	if strings.Contains(signIn, `\u003c`) || !strings.Contains(signIn, `"<sip:bob@healthy.example>"`) {
		t.Errorf("JSON output escapes < as \\u003c; want it as it is:\n%.400s", signIn)
	}
	pol := raw["policy"].(map[string]any)
	for _, k := range []string{"strictNaming", "allowTCP", "manualInternal", "manualExternal"} {
		if _, ok := pol[k]; !ok {
			t.Errorf("JSON policy lacks %q", k)
		}
	}

	_, out, _ = runCLI(t, "check", "--json", "bob@healthy.example", "bob@invalid.example")
	var reps []engine.Report
	if err := json.Unmarshal([]byte(out), &reps); err != nil || len(reps) != 2 {
		t.Fatalf("--json with two addresses is not an array of two: %v\n%s", err, out)
	}
	if reps[1].Outcome != engine.OutcomeFail || reps[1].Target != nil {
		t.Errorf("second report = %+v; want fail without target", reps[1])
	}
}

func TestCheckTextAndMarkdown(t *testing.T) {
	_, out, _ := runCLI(t, "check", "bob@invalid.example")
	for _, want := range []string{"FAIL:", "no-fallback", "Fix:"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI(t, "check", "--md", "bob@healthy.example")
	for _, want := range []string{"## sipdisco: sip:bob@healthy.example", "| # | Server |", "**CONNECT**"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown report lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckZoneFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "contoso.com.zone")
	os.WriteFile(good, []byte("$TTL 300\n_sipinternaltls._tcp SRV 0 0 5061 sip\nsip A 192.0.2.1\n"), 0o644)
	code, out, stderr := runCLI(t, "check", "--zone", good, "--json", "bob@contoso.com")
	if code != exitConnect {
		t.Fatalf("exit %d; want 0 (stderr %s)", code, stderr)
	}
	if !strings.Contains(out, `"host": "sip.contoso.com"`) {
		t.Errorf("report does not target sip.contoso.com:\n%s", out)
	}

	bad := filepath.Join(dir, "bad.zone")
	os.WriteFile(bad, []byte("$ORIGIN fabrikam.com.\n$TTL 300\n\n_sip._tls SRV 0 0 nonsense sip\n"), 0o644)
	code, _, stderr = runCLI(t, "check", "--zone", bad, "bob@fabrikam.com")
	if code != exitUsage || !regexp.MustCompile(`bad\.zone:4\b`).MatchString(stderr) {
		t.Errorf("bad zone: exit %d, stderr %q; want exit 2 naming bad.zone:4", code, stderr)
	}
}

// TestCheckWindowsExport reads a zone as Windows DNS exports it (origin
// from the file name, [AGE:n] stamps, a WINS record) and says in every
// format what it passed over.
func TestCheckWindowsExport(t *testing.T) {
	export := filepath.Join("..", "..", "resolve", "zone", "testdata", "contoso.com.dns")
	const note = "contoso.com.dns:24: WINS record skipped"
	code, out, stderr := runCLI(t, "check", "--zone", export, "--json", "bob@contoso.com")
	if code != exitConnect {
		t.Fatalf("exit %d; want %d (stderr %s)", code, exitConnect, stderr)
	}
	var r engine.Report
	if err := decodeOne(out, &r); err != nil {
		t.Fatal(err)
	}
	if r.Target == nil || r.Target.Host != "pool01.contoso.com" || r.Resolver == nil || len(r.Resolver.Notes) != 1 || !strings.Contains(r.Resolver.Notes[0], note) {
		t.Errorf("report: target %+v, resolver %+v; want pool01.contoso.com and the note %q", r.Target, r.Resolver, note)
	}
	for _, format := range [][]string{{}, {"--md"}} {
		args := append([]string{"check", "--zone", export}, append(format, "bob@contoso.com")...)
		if _, out, _ := runCLI(t, args...); !strings.Contains(out, note) {
			t.Errorf("check %q does not say %q:\n%s", format, note, out)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a server goroutine to write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCheckAgainstServe runs `sipdisco serve` on a loopback port and points
// `sipdisco check --doh` at its /dns-query endpoint: the two halves of the
// CLI interoperate over real HTTP.
func TestCheckAgainstServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	// A stand-in site folder: the real one (built by web.Build) is
	// exercised in Chromium by package web's browser tests.
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "index.html"), []byte("<!doctype html><title>stand-in</title>"), 0o644)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--site", site}, nil, &out, &out) }()
	defer func() { cancel(); <-done }()
	addrRE := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		t.Fatalf("serve did not start: %s", out.String())
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); resp.StatusCode != 200 || !strings.Contains(csp, "'wasm-unsafe-eval'") {
		t.Errorf("GET / = %d with CSP %q; want the site with its headers", resp.StatusCode, csp)
	}
	code, stdout, stderr := runCLI(t, "check", "--json", "--doh", "http://"+addr+"/dns-query", "bob@healthy.example")
	if code != exitConnect {
		t.Fatalf("check --doh = exit %d; want 0\nstderr: %s", code, stderr)
	}
	var rep engine.Report
	if err := decodeOne(stdout, &rep); err != nil {
		t.Fatal(err)
	}
	// The same check through the in-memory zones gives the same decision.
	_, direct, _ := runCLI(t, "check", "--json", "bob@healthy.example")
	var want engine.Report
	decodeOne(direct, &want)
	if rep.Target == nil || want.Target == nil || rep.Target.Host != want.Target.Host || len(rep.Steps) != len(want.Steps) {
		t.Errorf("over DoH: target %+v, %d steps; in memory: target %+v, %d steps", rep.Target, len(rep.Steps), want.Target, len(want.Steps))
	}
}

func TestServeNeedsABuiltSite(t *testing.T) {
	code, _, stderr := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--site", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "no index.html") {
		t.Errorf("serve --site EMPTY = exit %d, %q; want a usage error", code, stderr)
	}
}

func TestServeRefusesRemote(t *testing.T) {
	code, _, stderr := runCLI(t, "serve", "--addr", "0.0.0.0:8080")
	if code != exitUsage || !strings.Contains(stderr, "not a loopback address") {
		t.Errorf("serve on 0.0.0.0 = exit %d, %q; want a refusal", code, stderr)
	}
}

func TestDemoList(t *testing.T) {
	code, out, _ := runCLI(t, "demo", "list")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if n := strings.Count(out, ".example"); n < 10 {
		t.Errorf("demo list shows %d scenarios; want at least 10:\n%s", n, out)
	}
}

func TestCheckSignIn(t *testing.T) {
	tests := []struct {
		args    []string
		outcome string
		failure string
	}{
		{[]string{"--register"}, "registered", ""},
		{[]string{"--account", `CONTOSO\jeremy`, "--owner", `CONTOSO\jeremy`}, "registered", ""},
		{[]string{"--account", `CONTOSO\vadim`, "--owner", `CONTOSO\jeremy`, "--creds", "saved"}, "failed", "address-and-account-mismatch"},
		{[]string{"--account", `CONTOSO\jeremy`, "--password", "wrong", "--creds", "prompt"}, "failed", "wrong-account-or-password"},
		{[]string{"--creds", "none"}, "failed", "no-credentials"},
		{[]string{"--not-enabled", "--account", `CONTOSO\jeremy`}, "failed", "not-enabled-for-sip"},
	}
	for _, tt := range tests {
		args := append([]string{"check", "--json", "jeremy@healthy.example"}, tt.args...)
		_, out, stderr := runCLI(t, args...)
		var rep struct {
			Register *struct{ Outcome, Failure string } `json:"register"`
		}
		if err := decodeOne(out, &rep); err != nil || rep.Register == nil {
			t.Errorf("sipdisco %s: no register in the report (%v; stderr %s)", strings.Join(args, " "), err, stderr)
			continue
		}
		if rep.Register.Outcome != tt.outcome || rep.Register.Failure != tt.failure {
			t.Errorf("sipdisco %s: register %+v; want outcome %s failure %q", strings.Join(args, " "), *rep.Register, tt.outcome, tt.failure)
		}
	}
	if code, _, stderr := runCLI(t, "check", "jeremy@healthy.example", "--password", "maybe"); code != exitUsage || !strings.Contains(stderr, "right or wrong") {
		t.Errorf("--password maybe: exit %d, %q; want a usage error", code, stderr)
	}
	_, out, _ := runCLI(t, "check", "--json", "--register", "bob@invalid.example")
	if !strings.Contains(out, `"outcome": "not-sent"`) {
		t.Errorf("a failed discovery must say no REGISTER is sent:\n%s", out)
	}
}

// writeCert writes a self-signed PEM certificate for names into dir.
func writeCert(t *testing.T, dir string, names ...string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, names[0]+".pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestCheckCertificate(t *testing.T) {
	dir := t.TempDir()
	good := writeCert(t, dir, "sip.healthy.example", "pool01.healthy.example")
	wrong := writeCert(t, dir, "www.other.example")
	type rep struct {
		Findings []struct{ Kind string } `json:"findings"`
		Register *struct {
			Outcome, Failure string
			Connections      []struct {
				TLS *struct{ Status string } `json:"tls"`
			} `json:"connections"`
		} `json:"register"`
	}
	run := func(cert string) rep {
		_, out, stderr := runCLI(t, "check", "--json", "--cert", cert, "bob@healthy.example")
		var r rep
		if err := decodeOne(out, &r); err != nil || r.Register == nil || len(r.Register.Connections) == 0 {
			t.Fatalf("check --cert %s: %v\n%s\n%s", cert, err, out, stderr)
		}
		return r
	}
	if r := run(good); r.Register.Outcome != "registered" || r.Register.Connections[0].TLS == nil || r.Register.Connections[0].TLS.Status != "valid" {
		t.Errorf("good certificate: register %+v", r.Register)
	}
	r := run(wrong)
	if r.Register.Failure != "certificate-name-mismatch" {
		t.Errorf("wrong certificate: failure %q; want certificate-name-mismatch", r.Register.Failure)
	}
	kinds := ""
	for _, f := range r.Findings {
		kinds += f.Kind + " "
	}
	if !strings.Contains(kinds, "name-not-covered") {
		t.Errorf("wrong certificate: no certificate finding among %s", kinds)
	}
	os.WriteFile(filepath.Join(dir, "junk.pem"), []byte("not a certificate"), 0o644)
	if code, _, stderr := runCLI(t, "check", "--cert", filepath.Join(dir, "junk.pem"), "bob@healthy.example"); code != exitUsage || !strings.Contains(stderr, "junk.pem") {
		t.Errorf("junk certificate: exit %d, %q; want a usage error naming the file", code, stderr)
	}
}

// TestCheckState: the text's State line, the JSON's state field and the
// exit status say the same state (docs/adr/0019-four-states.md), with
// the count of problems and the first one's title, and the findings are
// listed errors first.
func TestCheckState(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		state engine.State
		line  string
		code  int
	}{
		{[]string{"bob@healthy.example"}, engine.StateSignsIn, "State: Signs in\n", exitConnect},
		{[]string{"bob@tcp-only.example"}, engine.StateSignsInWithProblems, "State: Signs in, with problems — 1 problem: Signing in over TCP\n", exitProblems},
		{[]string{"--register", "--owner", `CONTOSO\alice`, "bob@healthy.example"}, engine.StateSignsInWithProblems,
			"State: Signs in, with problems — 1 problem: Sign-in: ", exitProblems},
		{[]string{"--profile", "lync-2013", "bob@hostile.example"}, engine.StateSignsInWithProblems,
			"State: Signs in, with problems — 1 problem: SRV target refused by the naming rule\n", exitProblems},
		{[]string{"bob@leaked-internal.example"}, engine.StateSignsInWithProblems,
			"State: Signs in, with problems — 4 problems; the first: An address clients outside cannot reach\n", exitProblems},
		{[]string{"bob@invalid.example"}, engine.StateDoesNotSignIn, "State: Does not sign in — ", exitFail},
		{[]string{"bob@servfail.example"}, engine.StateUnknown, "State: Unknown — 1 problem: A failed lookup hides the answer\n", exitIndeterminate},
	} {
		name := strings.Join(tt.args, " ")
		code, out, stderr := runCLI(t, append([]string{"check"}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.line) {
			t.Errorf("check %s = exit %d; want %d and %q in:\n%s%s", name, code, tt.code, tt.line, out, stderr)
		}
		// The State line follows the outcome line, which stays second.
		if lines := strings.SplitN(out, "\n", 4); len(lines) < 3 || !strings.HasPrefix(lines[2], "State: ") {
			t.Errorf("check %s: the third line is not the state:\n%s", name, out)
		}
		if i, j, k := strings.Index(out, "  ERROR "), strings.Index(out, "  WARNING "), strings.Index(out, "  INFO "); i > j && j >= 0 || j > k && k >= 0 || i > k && k >= 0 && i >= 0 {
			t.Errorf("check %s: findings not in severity order (error at %d, warning at %d, info at %d)", name, i, j, k)
		}
		code, out, _ = runCLI(t, append([]string{"check", "--json"}, tt.args...)...)
		var rep engine.Report
		if err := decodeOne(out, &rep); err != nil || rep.State != tt.state || code != tt.code {
			t.Errorf("check --json %s: exit %d, state %q, %v; want %d, %q", name, code, rep.State, err, tt.code, tt.state)
		}
		code, out, _ = runCLI(t, append([]string{"check", "--md"}, tt.args...)...)
		if want := "- **State:** " + strings.TrimPrefix(tt.line, "State: "); code != tt.code || !strings.Contains(out, want) {
			t.Errorf("check --md %s: exit %d; want %q in:\n%s", name, code, want, out)
		}
	}
}

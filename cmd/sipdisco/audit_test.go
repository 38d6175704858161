//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/audit"
	"github.com/sipdisco/sipdisco/engine"
)

func runAuditCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"audit"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAudit(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		args    []string
		code    int
		rows    [][]string // address, outcome, target, port, source, state
		summary string
		stderr  []string
	}{
		{
			name:  "all connect",
			input: "# users\nbob@healthy.example\n\n  sip:alice@healthy.example   # trailing comment\r\nbob@fallback.example\n",
			code:  exitProblems, // the host-record fallback is a warning
			rows: [][]string{
				{"bob@healthy.example", "connect", "sip.healthy.example", "5061", "_sipinternaltls._tcp.healthy.example", "signs-in"},
				{"sip:alice@healthy.example", "connect", "sip.healthy.example", "5061", "_sipinternaltls._tcp.healthy.example", "signs-in"},
				{"bob@fallback.example", "connect", "sipinternal.fallback.example", "5061", "fallback", "signs-in-with-problems"},
			},
			summary: "3 addresses: 3 connect (2 sign in, 1 with problems), 0 fail, 0 indeterminate, 0 bad input",
		},
		{
			name:  "indeterminate, none fail",
			input: "bob@healthy.example\nbob@servfail.example",
			code:  exitIndeterminate,
			rows: [][]string{
				{"bob@healthy.example", "connect", "sip.healthy.example", "5061", "_sipinternaltls._tcp.healthy.example", "signs-in"},
				{"bob@servfail.example", "indeterminate", "", "", "", "unknown"},
			},
			summary: "2 addresses: 1 connect (1 sign in, 0 with problems), 0 fail, 1 indeterminate, 0 bad input",
		},
		{
			name:  "fail wins over indeterminate",
			input: "bob@servfail.example\nbob@invalid.example\n",
			code:  exitFail,
			rows: [][]string{
				{"bob@servfail.example", "indeterminate", "", "", "", "unknown"},
				{"bob@invalid.example", "fail", "", "", "", "does-not-sign-in"},
			},
			summary: "2 addresses: 0 connect (0 sign in, 0 with problems), 1 fail, 1 indeterminate, 0 bad input",
		},
		{
			name:  "bad lines are reported and the rest audited",
			input: "bob@healthy.example\nbob@\n=cmd|' /C calc'!A0\nbob@invalid.example\n",
			code:  exitUsage,
			rows: [][]string{
				{"bob@healthy.example", "connect", "sip.healthy.example", "5061", "_sipinternaltls._tcp.healthy.example", "signs-in"},
				{"bob@", "bad-input", "", "", "", ""},
				{"'=cmd|' /C calc'!A0", "bad-input", "", "", "", ""},
				{"bob@invalid.example", "fail", "", "", "", "does-not-sign-in"},
			},
			summary: "4 addresses: 1 connect (1 sign in, 0 with problems), 1 fail, 0 indeterminate, 2 bad input",
			stderr:  []string{"sipdisco audit: stdin:2: ", "sipdisco audit: stdin:3: "},
		},
		{
			name:  "policy flags as in check",
			input: "bob@healthy.example\n",
			args:  []string{"--strict", "--no-tcp", "--profile", "lync-2013"},
			code:  exitConnect,
			rows: [][]string{
				{"bob@healthy.example", "connect", "sip.healthy.example", "5061", "_sipinternaltls._tcp.healthy.example", "signs-in"},
			},
			summary: "1 addresses: 1 connect (1 sign in, 0 with problems), 0 fail, 0 indeterminate, 0 bad input",
		},
		{
			name:    "empty",
			input:   "# nothing\n\n",
			code:    exitConnect,
			summary: "0 addresses: 0 connect (0 sign in, 0 with problems), 0 fail, 0 indeterminate, 0 bad input",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runAuditCLI(t, tt.input, append(tt.args, "-")...)
			if code != tt.code {
				t.Errorf("exit %d; want %d (stderr %s)", code, tt.code, stderr)
			}
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatalf("output is not CSV: %v\n%s", err, out)
			}
			if diff := cmp.Diff(recs[0], audit.Header); diff != "" {
				t.Errorf("CSV header (-got +want):\n%s", diff)
			}
			var got [][]string
			for _, r := range recs[1:] {
				got = append(got, []string{r[0], r[3], r[4], r[5], r[7], r[len(r)-1]})
			}
			if diff := cmp.Diff(got, tt.rows); diff != "" {
				t.Errorf("rows (-got +want):\n%s", diff)
			}
			if !strings.HasSuffix(stderr, tt.summary+"\n") {
				t.Errorf("stderr %q does not end with the summary %q", stderr, tt.summary)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q lacks %q", stderr, s)
				}
			}
		})
	}
}

func TestAuditErrorColumn(t *testing.T) {
	_, out, _ := runAuditCLI(t, "bob@invalid.example\nbob@\n", "-")
	recs, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
	if !strings.HasPrefix(recs[1][8], "naming-refused: ") {
		t.Errorf("error column of a failing address = %q; want its first error finding", recs[1][8])
	}
	if !strings.Contains(recs[2][8], "bad sign-in address") {
		t.Errorf("error column of a bad line = %q; want the parse error", recs[2][8])
	}
}

func TestAuditJSON(t *testing.T) {
	for _, args := range [][]string{{"--format", "json", "-"}, {"--json", "-"}} {
		code, out, _ := runAuditCLI(t, "bob@healthy.example\nnope\n", args...)
		var rows []audit.Row
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("%v: not a JSON array: %v\n%s", args, err, out)
		}
		// The client rows are TestAuditClients's.
		want := []audit.Row{
			{Line: 1, Address: "bob@healthy.example", Domain: "healthy.example", Profile: "communicator-2007-r2", Outcome: "connect",
				Target: "sip.healthy.example", Port: 5061, Transport: "TLS", Source: "_sipinternaltls._tcp.healthy.example", State: "signs-in", Clients: rows[0].Clients},
			{Line: 2, Address: "nope", Outcome: "bad-input", Error: rows[1].Error},
		}
		if diff := cmp.Diff(rows, want); diff != "" || code != exitUsage {
			t.Errorf("%v: exit %d, rows (-got +want):\n%s", args, code, diff)
		}
	}
	// Characters are written as they are, as check --json writes them.
	_, out, _ := runAuditCLI(t, "<b>@contoso.com\n", "--format", "json", "-")
	if strings.Contains(out, `\u003c`) || !strings.Contains(out, "<b>") {
		t.Errorf("audit JSON escapes < as \\u003c: %s", out)
	}
	_, out, _ = runAuditCLI(t, "", "--format", "json", "-")
	if strings.TrimSpace(out) != "[\n]" {
		t.Errorf("no addresses as JSON = %q; want an empty array", out)
	}
}

// TestAuditOrder checks that rows come in input order whatever the
// concurrency, once per domain or per address.
func TestAuditOrder(t *testing.T) {
	domains := []string{"healthy.example", "fallback.example", "invalid.example", "servfail.example", "lync.example", "cname.example"}
	var in strings.Builder
	for i := range 300 {
		fmt.Fprintf(&in, "user%d@%s\n", i, domains[i*7%len(domains)])
	}
	_, want, _ := runAuditCLI(t, in.String(), "--concurrency", "1", "--per-address", "-")
	for _, args := range [][]string{{"--concurrency", "32"}, {"--concurrency", "32", "--per-address"}, {"--concurrency", "3"}} {
		_, got, _ := runAuditCLI(t, in.String(), append(args, "-")...)
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("%v: output differs from --concurrency 1 (-got +want):\n%s", args, diff)
		}
	}
	if n := strings.Count(want, "\n"); n != 301 {
		t.Errorf("%d lines of CSV; want 301", n)
	}
}

func TestAuditUsage(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "users.txt")
	os.WriteFile(file, []byte("bob@healthy.example\n"), 0o644)
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{file}, exitConnect, "1 addresses: 1 connect"},
		{[]string{"--concurrency", "2", file, "--format", "csv"}, exitConnect, ""},
		{nil, exitUsage, "give one FILE"},
		{[]string{file, file}, exitUsage, "give one FILE"},
		{[]string{filepath.Join(dir, "missing.txt")}, exitUsage, "no such file"},
		{[]string{"--format", "xml", file}, exitUsage, `--format "xml"`},
		{[]string{"--md", file}, exitUsage, "unknown flag --md"},
		{[]string{"--concurrency", "0", file}, exitUsage, "--concurrency 0"},
		{[]string{"--profile", "nope", file}, exitUsage, "unknown client profile"},
		{[]string{"--manual-internal", "bad host:99999", file}, exitUsage, "bad server"},
		{[]string{"--zone", filepath.Join(dir, "missing.zone"), file}, exitUsage, "no such file"},
	}
	for _, tt := range tests {
		code, _, stderr := runAuditCLI(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("sipdisco audit %v = exit %d, stderr %q; want exit %d containing %q", tt.args, code, stderr, tt.code, tt.stderr)
		}
	}
}

func TestAuditProgress(t *testing.T) {
	_, _, stderr := runAuditCLI(t, "bob@healthy.example\n", "--progress", "on", "-")
	// Not a terminal: plain carriage returns, the line erased with spaces.
	bar := "[##############################] 1/1 addresses"
	if !strings.Contains(stderr, "\r"+bar+"\r"+strings.Repeat(" ", len(bar))+"\r") {
		t.Errorf("--progress on: stderr %q lacks the bar and its erasure", stderr)
	}
	_, _, stderr = runAuditCLI(t, "bob@healthy.example\n", "-")
	if strings.Contains(stderr, "\r") {
		t.Errorf("progress drawn on a non-terminal stderr: %q", stderr)
	}
}

// TestAuditClients: each address's generation columns, in CSV and JSON,
// say what `check --profile` that generation says for the address, for
// addresses whose clients disagree (fallback-sip: Communicator 2007 R2
// fails where the others use sip.D; ipv6-only: the IPv4-only clients
// fail) and one where they agree.
func TestAuditClients(t *testing.T) {
	addrs := []string{"bob@fallback-sip.example", "bob@ipv6-only.example", "bob@healthy.example"}
	_, out, stderr := runAuditCLI(t, strings.Join(addrs, "\n"), "-")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != len(addrs)+1 {
		t.Fatalf("CSV: %v, %d records\n%s%s", err, len(recs), out, stderr)
	}
	_, jout, _ := runAuditCLI(t, strings.Join(addrs, "\n"), "--json", "-")
	var rows []audit.Row
	if err := json.Unmarshal([]byte(jout), &rows); err != nil {
		t.Fatal(err)
	}
	gens := audit.Generations()
	first := slices.Index(audit.Header, "error") + 1
	outcomes := map[string]bool{}
	for i, addr := range addrs {
		if len(rows[i].Clients) != len(gens) {
			t.Errorf("%s: %d JSON client rows; want %d", addr, len(rows[i].Clients), len(gens))
		}
		for j, g := range gens {
			code, cout, _ := run2(t, "check", "--json", "--profile", g, addr)
			var reps []engine.Report
			if err := json.Unmarshal([]byte(cout), &reps); err != nil || len(reps) != 1 {
				t.Fatalf("check %s %s: exit %d, %d reports, %v", g, addr, code, len(reps), err)
			}
			rep := reps[0]
			want := string(rep.Outcome)
			if rep.Target != nil {
				want += " " + rep.Target.Endpoint()
			}
			outcomes[want] = true
			if g == engine.DefaultProfile {
				// The audit's client (the default): its state is the
				// last column, and the JSON row's, as check says it.
				if got := recs[i+1][len(recs[i+1])-1]; got != string(rep.State) || rows[i].State != string(rep.State) || rep.State == "" {
					t.Errorf("%s: state column %q, JSON %q; want %q, as check says", addr, got, rows[i].State, rep.State)
				}
			}
			if got := recs[i+1][first+j]; got != want {
				t.Errorf("%s: CSV column %s = %q; want %q, as check --profile %s says", addr, g, got, want, g)
			}
			if j < len(rows[i].Clients) && (rows[i].Clients[j].Profile != g || rows[i].Clients[j].Outcome != rep.Outcome) {
				t.Errorf("%s: JSON client %d = %+v; want %s %s", addr, j, rows[i].Clients[j], g, rep.Outcome)
			}
		}
	}
	if !outcomes["fail"] {
		t.Error("no generation fails: the addresses no longer show clients disagreeing")
	}
}

// run2 runs the command line with args and no input.
func run2(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

//go:build !js

package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
	"golang.org/x/tools/txtar"
)

func TestPlanExitCodes(t *testing.T) {
	base := []string{"plan", "--domain", "contoso.com", "--pool", "pool01.contoso.com"}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // substring
	}{
		{"minimal", base, exitConnect, ""},
		{"check", append(slices.Clone(base), "--edge", "sip.contoso.com:443", "--strict", "--no-tcp", "--check"), exitConnect, ""},
		{"no flags", []string{"plan"}, exitUsage, "--domain and --pool are required"},
		{"no pool", []string{"plan", "--domain", "contoso.com"}, exitUsage, "--pool (pool.fqdn): required"},
		{"bad domain", []string{"plan", "--domain", "contoso.com,-bad.com", "--pool", "p.contoso.com"}, exitUsage, "--domain (domains[1]): label \"-bad\" starts or ends with '-'"},
		{"bad address", append(slices.Clone(base), "--pool-ip", "10.0.0.1,10.0.0"), exitUsage, "--pool-ip (pool.addresses[1])"},
		{"bad edge port", append(slices.Clone(base), "--edge", "sip.contoso.com:0"), exitUsage, "--edge (edge.fqdn): bad server"},
		{"unknown profile", append(slices.Clone(base), "--profile", "lync-2099"), exitUsage, "--profile (profiles[0]): unknown client profile"},
		{"bad format", append(slices.Clone(base), "--format", "yaml"), exitUsage, "--format \"yaml\""},
		{"bad view", append(slices.Clone(base), "--view", "dmz"), exitUsage, "--view \"dmz\""},
		{"positional", append(slices.Clone(base), "contoso.com"), exitUsage, "plan takes only flags"},
		{"alias", append(slices.Clone(base), "--alias", "dname"), exitUsage, "--alias (alias)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("sipdisco %s = exit %d, stderr %q; want exit %d containing %q", strings.Join(tt.args, " "), code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

// TestPlanZonesIntoCheck writes a plan with --out and checks addresses
// against the written zone files with sipdisco check --zone, as a
// consultant would: inside connects to the pool's sip.<domain> alias,
// outside to the Access Edge.
func TestPlanZonesIntoCheck(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, "plan", "--domain", "contoso.com", "--domain", "fabrikam.com", "--pool", "pool01.contoso.com",
		"--pool-ip", "10.0.0.5", "--edge", "sip.contoso.com", "--edge-ip", "198.51.100.7", "--strict", "--internal-zones", "whole", "--out", dir)
	if code != exitConnect {
		t.Fatalf("plan --out: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"internal-contoso.com.zone", "internal-fabrikam.com.zone", "external-contoso.com.zone", "internal-dns.ps1", "external-dns.ps1",
		"sipdisco-plan-records.csv", "sipdisco-plan-certificates.csv", "sipdisco-plan.md", "sipdisco-plan.json"} {
		if !strings.Contains(out, filepath.Join(dir, f)) {
			t.Errorf("plan --out did not list %s:\n%s", f, out)
		}
	}
	tests := []struct {
		view, addr, host string
		port             uint16
		addresses        []string
	}{
		{"internal", "bob@contoso.com", "sip.contoso.com", 5061, []string{"10.0.0.5"}},
		{"internal", "bob@fabrikam.com", "sip.fabrikam.com", 5061, []string{"10.0.0.5"}},
		{"external", "bob@contoso.com", "sip.contoso.com", 443, []string{"198.51.100.7"}},
		{"external", "bob@fabrikam.com", "sip.fabrikam.com", 443, []string{"198.51.100.7"}},
	}
	for _, tt := range tests {
		code, out, stderr := runCLI(t, "check", "--strict", "--json",
			"--zone", filepath.Join(dir, tt.view+"-contoso.com.zone"), "--zone", filepath.Join(dir, tt.view+"-fabrikam.com.zone"), tt.addr)
		var rep engine.Report
		if err := decodeOne(out, &rep); err != nil {
			t.Fatalf("check %s %s: exit %d, %v: %s", tt.view, tt.addr, code, err, stderr)
		}
		var got engine.Target
		if rep.Target != nil {
			got = *rep.Target
		}
		want := engine.Target{Host: tt.host, Port: tt.port, Transport: engine.TLS, Addresses: tt.addresses, Source: got.Source}
		if diff := cmp.Diff(got, want); diff != "" || code != exitConnect {
			t.Errorf("check %s %s: exit %d, target (-got +want):\n%s", tt.view, tt.addr, code, diff)
		}
	}
	certs, err := os.ReadFile(filepath.Join(dir, "sipdisco-plan-certificates.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(strings.NewReader(string(certs))).ReadAll()
	var names []string
	for _, r := range rows[1:] {
		if r[1] == plan.UseDefault || r[1] == plan.UseEdgeExternal {
			names = append(names, r[2]+" "+r[3])
		}
	}
	want := []string{
		"pool01.contoso.com pool01.contoso.com", "pool01.contoso.com sip.contoso.com", "pool01.contoso.com sip.fabrikam.com",
		"sip.contoso.com sip.contoso.com", "sip.contoso.com sip.fabrikam.com",
	}
	if diff := cmp.Diff(names, want); diff != "" {
		t.Errorf("certificates.csv subject+name (-got +want):\n%s", diff)
	}
}

func TestPlanFormats(t *testing.T) {
	base := []string{"plan", "--domain", "contoso.com", "--pool", "pool01.contoso.com", "--edge", "sip.contoso.com"}
	run := func(extra ...string) (string, string) {
		t.Helper()
		code, out, stderr := runCLI(t, append(slices.Clone(base), extra...)...)
		if code != exitConnect {
			t.Fatalf("%v: exit %d: %s", extra, code, stderr)
		}
		return out, stderr
	}

	out, _ := run("--format", "csv", "--view", "external")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("--format csv is not CSV: %v\n%s", err, out)
	}
	var got [][]string
	for _, r := range rows[1:] {
		got = append(got, r[:4])
	}
	want := [][]string{{"external", "contoso.com", "_sip._tls.contoso.com", "SRV"}, {"external", "contoso.com", "_sipfederationtls._tcp.contoso.com", "SRV"}, {"external", "contoso.com", "sip.contoso.com", "A"}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("CSV rows (-got +want):\n%s", diff)
	}

	out, _ = run("--format", "json", "--check")
	var p struct {
		Certificates []plan.Certificate `json:"certificates"`
	}
	// The Standard Edition server's Default, Web internal and Web
	// external certificates, and the Edge's external one.
	if err := json.Unmarshal([]byte(out), &p); err != nil || len(p.Certificates) != 4 {
		t.Errorf("--format json --check: %v, %d certificates; want clean JSON with 4\n%s", err, len(p.Certificates), out)
	}

	out, stderr := run("--format", "powershell", "--view", "internal")
	for _, want := range []string{
		"# Internal DNS: generated by sipdisco plan.\n# Run this script on a DNS server of the internal (Active Directory) DNS",
		"@{ Zone = 'contoso.com'; Name = '_sipinternaltls._tcp'; Type = 'SRV'; Data = '0 0 5061 pool01.contoso.com.'",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--format powershell lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "_sip._tls") || strings.Contains(out, "203.0.113.") || strings.Contains(out, "Certificate names") {
		t.Errorf("--view internal printed more than the internal script:\n%s", out)
	}
	if !strings.Contains(stderr, "--format md or --out DIR lists the certificate names") {
		t.Errorf("--format powershell stderr = %q; want where the certificate names are", stderr)
	}

	out, _ = run("--format", "md")
	if strings.Contains(out, "&lt;") || strings.Contains(out, "&gt;") {
		t.Errorf("--format md holds HTML entities:\n%s", out)
	}
	if !strings.HasPrefix(out, "# DNS and certificate plan for contoso.com\n") || !strings.Contains(out, "## External (public) DNS") {
		t.Errorf("--format md:\n%s", out)
	}

	out, _ = run("--check")
	for _, want := range []string{"$ORIGIN contoso.com.", "; Certificate names", "VIEW      DOMAIN", "internal  contoso.com  connect pool01.contoso.com:5061", "external  contoso.com  connect sip.contoso.com:443", fmt.Sprintf("every cell matches the plan (%d checks)", 2*len(engine.Profiles()))} {
		if !strings.Contains(out, want) {
			t.Errorf("--check output lacks %q:\n%s", want, out)
		}
	}
}

// TestPlanPowerShellOneViewAtATime: a PowerShell script is one view's, so
// --format powershell refuses both views at once and names the choices
// (issue 16, item 5).
func TestPlanPowerShellOneViewAtATime(t *testing.T) {
	for _, args := range [][]string{
		{"plan", "--domain", "contoso.com", "--pool", "pool01.contoso.com", "--edge", "sip.contoso.com", "--format", "powershell"},
		{"plan", "--domain", "contoso.com", "--pool", "pool01.contoso.com", "--format", "powershell", "--view", "both"},
	} {
		code, out, stderr := runCLI(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(stderr, "--view internal (run on the internal DNS) or --view external (run on the public DNS), or --out DIR to write both, as internal-dns.ps1 and external-dns.ps1") {
			t.Errorf("sipdisco %s = exit %d, stdout %q, stderr %q; want a usage error naming the views", strings.Join(args, " "), code, out, stderr)
		}
	}
}

// TestPlanTCPPublishesNoRecord: --tcp sets the clients' policy but
// publishes no _sipinternal._tcp, which a Lync Server or Skype for
// Business Server pool does not serve (issue 24).
func TestPlanTCPPublishesNoRecord(t *testing.T) {
	base := []string{"plan", "--domain", "contoso.com", "--pool", "pool01.contoso.com", "--format", "md"}
	for _, tt := range []struct {
		extra []string
		tcp   bool
	}{{nil, false}, {[]string{"--tcp"}, true}, {[]string{"--tcp", "--no-tcp"}, false}, {[]string{"--no-tcp"}, false}} {
		code, out, stderr := runCLI(t, slices.Concat(base, tt.extra)...)
		if code != exitConnect {
			t.Fatalf("%v: exit %d: %s", tt.extra, code, stderr)
		}
		if strings.Contains(out, "| _sipinternal._tcp.contoso.com |") {
			t.Errorf("plan %v publishes _sipinternal._tcp:\n%s", tt.extra, out)
		}
		if got := strings.Contains(out, "no _sipinternal._tcp record is published: Lync Server and Skype for Business Server pools take no client SIP over TCP"); got != tt.tcp {
			t.Errorf("plan %v: the TCP note = %v; want %v:\n%s", tt.extra, got, tt.tcp, out)
		}
	}
}

// TestPlanEdgeFederationPort: --edge NAME:5061 is planned as given, with a
// warning on standard error that 5061 is the federation port.
func TestPlanEdgeFederationPort(t *testing.T) {
	for _, tt := range []struct {
		edge string
		warn bool
	}{{"sip.contoso.com", false}, {"sip.contoso.com:443", false}, {"sip.contoso.com:5061", true}} {
		code, out, stderr := runCLI(t, "plan", "--domain", "contoso.com", "--pool", "pool01.contoso.com", "--edge", tt.edge, "--view", "external", "--check")
		// _sip._tls on 5061 fails the plan's own port rule.
		if want := map[bool]int{false: exitConnect, true: exitFail}[tt.warn]; code != want {
			t.Fatalf("--edge %s: exit %d; want %d: %s", tt.edge, code, want, stderr)
		}
		if tt.warn && !strings.Contains(out, "rule srv-port (external DNS): port 5061 is the federation port") {
			t.Errorf("--edge %s: --check passes _sip._tls on 5061:\n%s", tt.edge, out)
		}
		warned := strings.Contains(stderr, "sipdisco plan: warning: The Access Edge port is 5061, the federation port")
		if warned != tt.warn {
			t.Errorf("--edge %s: stderr %q; want a federation-port warning: %v", tt.edge, stderr, tt.warn)
		}
		if tt.warn && !strings.Contains(out, "_sip._tls\t3600\tIN\tSRV\t0 0 5061 sip.contoso.com.") {
			t.Errorf("--edge %s: the plan does not use the port given:\n%s", tt.edge, out)
		}
	}
}

// TestPlanCheckOtherClients: plan --check with some clients selected
// also prints every other client generation's outcome against the same
// zones, unjudged; with every client selected (the default) the matrix
// is the whole picture and nothing is added.
func TestPlanCheckOtherClients(t *testing.T) {
	base := []string{"plan", "--domain", "contoso.com", "--pool", "pool01.contoso.com", "--edge", "edge.contoso.com", "--check"}
	code, out, stderr := runCLI(t, append(slices.Clone(base), "--profile", "lync-2013")...)
	if code != exitConnect {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, rest, ok := strings.Cut(out, "other clients, not required by the plan")
	if !ok {
		t.Fatalf("no other clients after the matrix:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(rest), "\n")
	if len(lines) != 4 {
		t.Fatalf("other clients: %d lines; want the heading, a header and two views:\n%s", len(lines), rest)
	}
	if got, want := strings.Fields(lines[1]), []string{"VIEW", "DOMAIN", "communicator-2007-r2", "communicator-2007", "lync-2010", "skype-2016"}; !slices.Equal(got, want) {
		t.Errorf("header %v; want %v", got, want)
	}
	for i, want := range []string{"internal contoso.com" + strings.Repeat(" connect pool01.contoso.com:5061 TLS", 4), "external contoso.com" + strings.Repeat(" connect edge.contoso.com:443 TLS", 4)} {
		if got := strings.Join(strings.Fields(lines[2+i]), " "); got != want {
			t.Errorf("row %d = %q; want %q", i, got, want)
		}
	}
	_, out, _ = runCLI(t, base...)
	if strings.Contains(out, "other clients") {
		t.Errorf("every client selected, yet other clients are listed:\n%s", out)
	}
}

// TestPlanConsultantZonesThroughCheck: the consultant's plan
// (testdata/plan/consultant.txtar: two SIP domains, a DNS load balanced
// pool, a Director, an Edge, a reverse proxy, pin-point zones for the
// second domain) written with --out, and each view's zone files given to
// sipdisco check for every profile and domain, as an administrator would
// check them: every check gives the plan's own matrix cell (plan.Expect),
// under the client's own default naming (issue 24).
func TestPlanConsultantZonesThroughCheck(t *testing.T) {
	a, err := txtar.ParseFile(filepath.Join("testdata", "plan", "consultant.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Fields(string(section(a, "args")))
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, slices.Concat([]string{"plan"}, args, []string{"--out", dir})...); code != exitConnect {
		t.Fatalf("plan --out: exit %d: %s", code, stderr)
	}
	fs := newFlagSet("plan")
	var f planFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	p, err := f.plan.Generate()
	if err != nil {
		t.Fatal(err)
	}
	cells := 0
	for _, v := range []plan.View{plan.Internal, plan.External} {
		var zoneArgs []string
		for _, z := range p.View(v).Zones {
			zoneArgs = append(zoneArgs, "--zone", filepath.Join(dir, check.PlanZoneFile(v, z.Origin)))
		}
		side := map[plan.View]string{plan.Internal: "inside", plan.External: "outside"}[v]
		for _, d := range p.Input.Domains {
			for _, prof := range p.Profiles() {
				cargs := slices.Concat([]string{"check", "--json", "--profile", prof.Name, "--view", side}, zoneArgs, []string{"user@" + d})
				code, out, stderr := runCLI(t, cargs...)
				var rep engine.Report
				if err := decodeOne(out, &rep); err != nil {
					t.Fatalf("check %s %s %s: exit %d, %v: %s", v, d, prof.Name, code, err, stderr)
				}
				want := p.Expect(v, d, prof)
				if prob := plan.Compare(&rep, want); prob != "" {
					t.Errorf("check %s %s %s (exit %d): %s", v, d, prof.Name, code, prob)
				}
				cells++
			}
		}
	}
	if want := 2 * len(p.Input.Domains) * len(p.Profiles()); cells != want || cells == 0 {
		t.Fatalf("%d cells checked; want %d", cells, want)
	}
}

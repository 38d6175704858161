//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
)

const domainZoneHead = "$TTL 3600\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.53\n"

// domainZones writes a Teams Only domain and a blocked one as zone files
// and returns their --zone flags.
func domainZones(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	zones := map[string]string{
		"ready.test": domainZoneHead + "lyncdiscover CNAME webdir.online.lync.com.\n_sip._tls SRV 100 1 443 sipdir.online.lync.com.\n" +
			"_sipfederationtls._tcp SRV 100 1 5061 sipfed.online.lync.com.\n",
		"blocked.test": domainZoneHead + "lyncdiscover A 203.0.113.12\n_sipfederationtls._tcp SRV 0 0 5061 edge.fabrikam.test.\n",
	}
	var flags []string
	for d, text := range zones {
		file := filepath.Join(dir, d+".zone")
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		flags = append(flags, "--zone", d+"="+file)
	}
	return append(flags, "--view", "outside")
}

func runDomainCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"domain"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDomainCommand(t *testing.T) {
	zones := domainZones(t)

	code, out, stderr := runDomainCLI(t, "", append(zones, "ready.test")...)
	if code != exitConnect || !strings.Contains(out, "Teams Only: Ready") || !strings.Contains(out, "Federation: Works (sipfed.online.lync.com:5061, Microsoft 365)") {
		t.Errorf("ready.test: exit %d\n%s%s", code, out, stderr)
	}

	code, out, stderr = runDomainCLI(t, "", append(zones, "--json", "ready.test", "blocked.test")...)
	var reps []domainreport.Report
	if err := json.Unmarshal([]byte(out), &reps); err != nil || len(reps) != 2 {
		t.Fatalf("--json: %v, %d reports\n%s%s", err, len(reps), out, stderr)
	}
	if code != exitFail || reps[0].Domain != "ready.test" || !reps[0].TeamsOnly.Ready || reps[1].TeamsOnly.Ready ||
		reps[1].Federation.Outcome != domainreport.FederationFail || reps[1].Tool == nil || reps[1].Resolver == nil {
		t.Errorf("--json: exit %d, %+v", code, reps)
	}

	// A list with a comment, a blank line and a bad line: the bad line
	// is named, escaped, and the rest are reported, in order.
	list := "# tenant domains\nready.test\n\nbad\u202edomain\nBLOCKED.test.\n"
	code, out, stderr = runDomainCLI(t, list, append(zones, "--file", "-")...)
	if code != exitUsage || !strings.Contains(stderr, `stdin:4: "bad\u202edomain" is not a domain`) {
		t.Errorf("--file: exit %d, stderr %q", code, stderr)
	}
	if i, j := strings.Index(out, "ready.test: Teams Only ready"), strings.Index(out, "blocked.test: Teams Only blocked by lyncdiscover.blocked.test"); i < 0 || j < i {
		t.Errorf("--file: summaries missing or out of order:\n%s", out)
	}
	if !strings.Contains(out, "Teams Only for the tenant: Blocked: switching the tenant's users to Teams Only fails because of blocked.test.") {
		t.Errorf("--file: no verdict for the tenant as a whole:\n%s", out)
	}

	if code, _, stderr := runDomainCLI(t, ""); code != exitUsage || !strings.Contains(stderr, "give one or more domains") {
		t.Errorf("no domain: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runDomainCLI(t, "", "not a domain"); code != exitUsage || !strings.Contains(stderr, "is not a domain") {
		t.Errorf("bad domain: exit %d, %q", code, stderr)
	}
}

// TestDidYouMean: a mistyped command or flag is answered with the
// nearest one, and a word near nothing with no guess.
func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"chek", "bob@healthy.example"}, `unknown command "chek": did you mean check?`},
		{[]string{"help", "domian"}, `unknown command "domian": did you mean domain?`},
		{[]string{"check", "--stric", "bob@healthy.example"}, "unknown flag --stric: did you mean --strict?"},
		{[]string{"domain", "--jsn", "a.example"}, "unknown flag --jsn: did you mean --json?"},
		{[]string{"check", "--profile", "skyp-2016", "bob@healthy.example"}, "did you mean skype-2016?"},
		{[]string{"zzzz"}, `unknown command "zzzz" (run`},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), c.args, strings.NewReader(""), &out, &errb); code != exitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, errb.String(), c.want)
		}
	}
	// An alias is a profile, and the report names the profile itself.
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"check", "--json", "--profile", "sfb", "bob@healthy.example"}, strings.NewReader(""), &out, &errb); code != exitConnect || !strings.Contains(out.String(), `"profile": "skype-2016"`) {
		t.Errorf("--profile sfb: exit %d\n%s", code, errb.String())
	}
}

// TestDomainCompare reports a domain from both sides: the inside from a
// real DNS server (unbound, the internal view), the outside from a
// DoH endpoint (sipdisco serve over the external zone). The outside's
// on-premises lyncdiscover blocks Teams Only; the inside lists the
// internal records to remove; the scripts carry each fix under its DNS,
// public first, in PowerShell and in BIND form.
func TestDomainCompare(t *testing.T) {
	inside, _ := dnstest.StartViews(t, dnstest.ExternalView)
	zf := filepath.Join(t.TempDir(), dnstest.Domain+".zone")
	if err := os.WriteFile(zf, []byte(dnstest.ExternalView), 0o644); err != nil {
		t.Fatal(err)
	}
	outside := startServe(t, "--zone", dnstest.Domain+"="+zf)
	args := []string{"domain", "--compare", "--dns", inside.Addr.String(), "--doh", "http://" + outside + "/dns-query"}
	code, out, stderr := runCLI(t, append(append([]string{}, args...), "--json", dnstest.Domain)...)
	var got []domainComparison
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 || got[0].Inside == nil || got[0].Outside == nil {
		t.Fatalf("domain --compare --json: exit %d, %v: %s\n%s", code, err, stderr, out)
	}
	c := got[0]
	lync := "lyncdiscover." + dnstest.Domain
	if c.Outside.View != engine.ViewOutside || c.Outside.TeamsOnly.Ready || !slices.Equal(c.Outside.TeamsOnly.Blocking, []string{lync}) {
		t.Errorf("outside: view %s, Teams Only %+v; want %s blocking", c.Outside.View, c.Outside.TeamsOnly, lync)
	}
	internal := findingsOf(c.Inside.Findings, engine.KindTeamsOnlyInternal)
	if c.Inside.View != engine.ViewInside || len(internal) != 1 || !strings.Contains(internal[0].Message, "_sipinternaltls._tcp."+dnstest.Domain) {
		t.Errorf("inside: view %s, findings %+v; want the internal records to remove", c.Inside.View, c.Inside.Findings)
	}
	if code != exitFail {
		t.Errorf("exit %d; want %d (Teams Only blocked)", code, exitFail)
	}

	_, ps, _ := runCLI(t, append(append([]string{}, args...), "--format", "powershell", dnstest.Domain)...)
	pub, in, ok := strings.Cut(ps, "# sipdisco domain: the fixes for internal DNS")
	if !ok || !strings.HasPrefix(pub, "# sipdisco domain: the fixes for public DNS") ||
		!strings.Contains(pub, "Add-DnsServerResourceRecord -ZoneName 'contoso.example' -Name 'lyncdiscover' -CName -HostNameAlias 'webdir.online.lync.com.'") ||
		!strings.Contains(in, "Get-DnsServerResourceRecord -ZoneName 'contoso.example' -Name '_sipinternaltls._tcp' -RRType SRV") || strings.Contains(in, "Add-DnsServerResourceRecord") {
		t.Errorf("the PowerShell scripts do not carry each view's fixes under it:\n%s", ps)
	}
	_, zone, _ := runCLI(t, append(append([]string{}, args...), "--format", "bind", dnstest.Domain)...)
	pub, in, ok = strings.Cut(zone, "; sipdisco domain: the fixes for internal DNS")
	if !ok || !strings.Contains(pub, "\nlyncdiscover.contoso.example. 3600 IN CNAME webdir.online.lync.com.\n") || !strings.Contains(in, "\n; delete: _sipinternaltls._tcp.contoso.example. IN SRV\n") {
		t.Errorf("the BIND scripts do not carry each view's fixes under it:\n%s", zone)
	}
	// Inside, an on-premises lyncdiscover; outside, public DNS points to
	// Microsoft 365: the switch passes, since Microsoft asks public DNS,
	// and so does the exit status.
	const ready = "$TTL 3600\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.53\n" +
		"lyncdiscover CNAME webdir.online.lync.com.\n_sipfederationtls._tcp SRV 100 1 5061 sipfed.online.lync.com.\n"
	in2 := dnstest.StartUnbound(t, dnstest.Zone{Origin: "split.example", Text: strings.Replace(ready, "lyncdiscover CNAME webdir.online.lync.com.", "lyncdiscover A 10.0.0.12", 1)})
	zf2 := filepath.Join(t.TempDir(), "split.example.zone")
	if err := os.WriteFile(zf2, []byte(ready), 0o644); err != nil {
		t.Fatal(err)
	}
	out2 := startServe(t, "--zone", "split.example="+zf2)
	code, out, stderr = runCLI(t, "domain", "--compare", "--json", "--dns", in2.Addr.String(), "--doh", "http://"+out2+"/dns-query", "split.example")
	got = nil
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 || got[0].Inside.TeamsOnly.Ready || !got[0].Outside.TeamsOnly.Ready || code != exitConnect {
		t.Errorf("split.example --compare: exit %d (want %d), %v\n%s\n%s", code, exitConnect, err, stderr, out)
	}
	if code, _, stderr := runCLI(t, "domain", "--compare", "--connect", dnstest.Domain); code != exitUsage || !strings.Contains(stderr, "--compare") {
		t.Errorf("--compare --connect: exit %d, %q; want a usage error", code, stderr)
	}
}

// findingsOf returns the findings of kind k.
func findingsOf(fs []engine.Finding, k engine.Kind) []engine.Finding {
	var out []engine.Finding
	for _, f := range fs {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

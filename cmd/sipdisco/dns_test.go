//go:build !js

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
)

// TestCheckDNSViews asks two real DNS servers that are not ours (unbound
// inside, nsd outside) for one domain's two views of split-brain DNS:
// --dns gives each view's verdict, and the report says which servers
// answered, per report and per step.
func TestCheckDNSViews(t *testing.T) {
	inside, outside := dnstest.StartViews(t, dnstest.ExternalView)
	addr := "bob@" + dnstest.Domain
	report := func(args ...string) engine.Report {
		t.Helper()
		code, out, stderr := runCLI(t, append([]string{"check", "--json"}, append(args, addr)...)...)
		var rep engine.Report
		if err := decodeOne(out, &rep); err != nil {
			t.Fatalf("check %v: exit %d, %v: %s", args, code, err, stderr)
		}
		return rep
	}
	in := report("--dns", inside.Addr.String())
	if in.Outcome != engine.OutcomeConnect || in.Target.Host != "pool01."+dnstest.Domain || in.Target.Source != "_sipinternaltls._tcp."+dnstest.Domain {
		t.Errorf("inside: %s %+v; want the pool through _sipinternaltls._tcp", in.Outcome, in.Target)
	}
	if in.Resolver == nil || in.Resolver.Kind != engine.ResolverDNS || !strings.Contains(in.Resolver.Description, inside.Addr.Addr().String()) {
		t.Errorf("inside: resolver %+v; want the DNS server %s", in.Resolver, inside.Addr)
	}
	for _, s := range in.Steps {
		if !strings.Contains(s.Server, inside.Addr.Addr().String()) {
			t.Errorf("inside: step %s %s answered by %q; want %s", s.Question, s.Type, s.Server, inside.Addr)
		}
	}
	out := report("--dns", outside.Addr.String(), "--tcp")
	if out.Outcome != engine.OutcomeConnect || out.Target.Host != "sip."+dnstest.Domain || out.Target.Port != 443 {
		t.Errorf("outside: %s %+v; want the Access Edge on 443", out.Outcome, out.Target)
	}
	if !strings.Contains(out.Resolver.Description, "over TCP") || !strings.Contains(out.Steps[0].Server, "over TCP") {
		t.Errorf("outside over TCP: resolver %+v, first step from %q", out.Resolver, out.Steps[0].Server)
	}

	// A first server that does not answer, then the inside view: the
	// answer comes from the second, and the step says so.
	silent := dnstest.Silent(t)
	both := report("--dns", silent.String(), "--dns", inside.Addr.String(), "--timeout", "8s")
	if both.Outcome != engine.OutcomeConnect || !strings.Contains(both.Steps[0].Server, "after "+silent.Addr().String()) {
		t.Errorf("silent first server: %s, first step from %q; want connect, naming both servers", both.Outcome, both.Steps[0].Server)
	}

	// Text and Markdown say where the answers came from.
	_, text, _ := runCLI(t, "check", "--dns", inside.Addr.String(), addr)
	if !strings.Contains(text, "Answers from: the DNS server "+inside.Addr.String()) {
		t.Errorf("text report lacks its Answers from line:\n%s", text)
	}
	// audit asks the same servers, through the same flags.
	list := filepath.Join(t.TempDir(), "users.txt")
	os.WriteFile(list, []byte(addr+"\n"), 0o644)
	for server, target := range map[string]string{inside.Addr.String(): "pool01." + dnstest.Domain, outside.Addr.String(): "sip." + dnstest.Domain} {
		_, csv, stderr := runCLI(t, "audit", "--dns", server, list)
		if !strings.Contains(csv, ","+target+",") || !strings.Contains(stderr, "answering from the DNS server "+server) {
			t.Errorf("audit --dns %s: %q (stderr %q); want %s, naming the server", server, csv, stderr, target)
		}
	}
	if code, _, stderr := runCLI(t, "check", "--dns", "system", "--dns", "10.0.0.1", addr); code != exitUsage || !strings.Contains(stderr, "exclusive") {
		t.Errorf("--dns system with an IP: exit %d, %q; want a usage error", code, stderr)
	}
	if code, _, stderr := runCLI(t, "check", "--dns", "dns.contoso.com", addr); code != exitUsage || !strings.Contains(stderr, "--dns dns.contoso.com") {
		t.Errorf("--dns NAME: exit %d, %q; want a usage error naming it", code, stderr)
	}
}

// startServe runs sipdisco serve with args on a free loopback port, with a
// stand-in site folder, and returns its address.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "index.html"), []byte("<!doctype html><title>stand-in</title>"), 0o644)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--site", site}, args...), nil, &out, &out)
	}()
	t.Cleanup(func() { cancel(); <-done })
	addrRE := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("serve did not start: %s", out.String())
	return ""
}

// TestServeUpstream serves the internal view of a real DNS server (unbound)
// through serve --upstream: the page's /dns-query answers the questions
// discovery asks, refuses others, is never cached, and answers only for
// its own host name (DNS rebinding).
func TestServeUpstream(t *testing.T) {
	inside, _ := dnstest.StartViews(t, dnstest.ExternalView)
	addr := startServe(t, "--upstream", inside.Addr.String())
	doh, err := dohclient.New("http://"+addr+"/dns-query", dohclient.HTTPRoundTrip(nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := doh.Resolve(ctx, engine.Question{Name: "_sipinternaltls._tcp." + dnstest.Domain, Type: engine.TypeSRV})
	if err != nil || a.RCode != engine.RCodeSuccess || len(a.Records) != 1 || a.Records[0].Target != "pool01."+dnstest.Domain {
		t.Errorf("the internal SRV record through serve --upstream: %+v, %v", a, err)
	}
	if a, err := doh.Resolve(ctx, engine.Question{Name: "www." + dnstest.Domain, Type: engine.TypeA}); err != nil || a.RCode != engine.RCodeRefused {
		t.Errorf("a name discovery never asks: %+v, %v; want REFUSED", a, err)
	}
	// The whole check, as the page would run it (one check ID),
	// through the endpoint.
	code, out, stderr := runCLI(t, "check", "--json", "--doh", "http://"+addr+"/dns-query?check=cli1", "bob@"+dnstest.Domain)
	var rep engine.Report
	if err := decodeOne(out, &rep); err != nil || rep.Target == nil || rep.Target.Host != "pool01."+dnstest.Domain {
		t.Errorf("check through serve --upstream: exit %d, %v, target %+v: %s", code, err, rep.Target, stderr)
	}

	req, _ := http.NewRequest("GET", "http://"+addr+"/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB", nil)
	req.Header.Set("Accept", "application/dns-message")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q; want no-store for the live internal view", cc)
	}
	req.Host = "attacker.example"
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("Host: attacker.example = %d; want 421", resp.StatusCode)
	}
	zf := filepath.Join(t.TempDir(), "contoso.example.zone")
	os.WriteFile(zf, []byte(dnstest.ExternalView), 0o644)
	if code, _, stderr := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--upstream", "system", "--zone", zf); code != exitUsage || !strings.Contains(stderr, "exclusive") {
		t.Errorf("--upstream with --zone: exit %d, %q; want a usage error", code, stderr)
	}
}

// TestCheckCompare puts the two views of one domain side by side: the
// inside view from a real DNS server (unbound), the outside view from a
// public-style DoH endpoint (sipdisco serve over the external zone).
func TestCheckCompare(t *testing.T) {
	inside, _ := dnstest.StartViews(t, dnstest.ExternalView)
	zf := filepath.Join(t.TempDir(), dnstest.Domain+".zone")
	os.WriteFile(zf, []byte(dnstest.ExternalView), 0o644)
	outside := startServe(t, "--zone", dnstest.Domain+"="+zf)
	addr := "bob@" + dnstest.Domain
	args := []string{"check", "--compare", "--dns", inside.Addr.String(), "--doh", "http://" + outside + "/dns-query"}
	code, out, stderr := runCLI(t, append(append([]string{}, args...), "--json", addr)...)
	var got []comparison
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
		t.Fatalf("check --compare --json: exit %d, %v: %s", code, err, stderr)
	}
	c := got[0]
	if c.Inside.Target == nil || c.Inside.Target.Host != "pool01."+dnstest.Domain || c.Outside.Target == nil || c.Outside.Target.Port != 443 {
		t.Errorf("inside %+v, outside %+v; want the pool inside and the Access Edge outside", c.Inside.Target, c.Outside.Target)
	}
	differs := map[string]bool{}
	for _, d := range c.Differences {
		differs[d.Aspect] = d.Differs
	}
	if !differs["Server"] || !differs["_sipinternaltls._tcp."+dnstest.Domain+" SRV"] || differs["_sip._tls."+dnstest.Domain+" SRV"] {
		t.Errorf("differences %+v; want the server and the internal SRV record to differ, the external one not", c.Differences)
	}
	_, text, _ := runCLI(t, append(args, addr)...)
	for _, want := range []string{"Inside (the DNS server " + inside.Addr.String(), "Outside (http://" + outside, "≠ Server", "=== OUTSIDE"} {
		if !strings.Contains(text, want) {
			t.Errorf("check --compare lacks %q:\n%s", want, text)
		}
	}
}

// TestCheckViewChecks drives the two view checks against real DNS servers
// that are not ours (nsd holding a leaky external zone and a wildcard
// zone, unbound the internal view): check --dns and check --compare, the
// outside view asked through sipdisco serve --upstream, as a public
// resolver would be, so that its filter is shown to pass the probe and the
// internal-only names.
func TestCheckViewChecks(t *testing.T) {
	inside, leaky := dnstest.StartViews(t, dnstest.LeakyExternalView)
	wildcard := dnstest.StartNSD(t, dnstest.Zone{Origin: dnstest.Domain, Text: dnstest.WildcardView})
	addr := "bob@" + dnstest.Domain
	d := dnstest.Domain
	report := func(args ...string) engine.Report {
		t.Helper()
		code, out, stderr := runCLI(t, append([]string{"check", "--json"}, append(args, addr)...)...)
		var rep engine.Report
		if err := decodeOne(out, &rep); err != nil {
			t.Fatalf("check %v: exit %d, %v: %s", args, code, err, stderr)
		}
		return rep
	}
	kinds := func(r engine.Report, k engine.Kind) map[string]engine.Severity {
		out := map[string]engine.Severity{}
		for _, f := range r.Findings {
			if f.Kind == k {
				out[f.Subject] = f.Severity
			}
		}
		return out
	}
	probe := func(r engine.Report) engine.Step {
		for _, s := range r.Steps {
			if s.Purpose == engine.PurposeWildcardProbe {
				return s
			}
		}
		t.Fatalf("no wildcard probe among the steps %+v", r.Steps)
		return engine.Step{}
	}
	wantLeaks := map[string]engine.Severity{
		// pool01's only address is private, which a client on the
		// Internet cannot reach, so the client goes on to the Access
		// Edge and the leak is a warning (ADR 0017).
		"_sipinternaltls._tcp." + d: engine.SeverityWarning,
		"_sipinternal._tcp." + d:    engine.SeverityWarning,
		"sipinternal." + d:          engine.SeverityWarning,
		"lyncdiscoverinternal." + d: engine.SeverityWarning,
	}

	// --dns is the inside view: nothing is asked for the outside view's
	// check, and nothing leaks.
	in := report("--dns", leaky.Addr.String())
	if in.View != engine.ViewInside || len(kinds(in, engine.KindInternalNameOutside)) != 0 {
		t.Errorf("--dns: view %q, leaks %v; want the inside view, no leak findings", in.View, kinds(in, engine.KindInternalNameOutside))
	}
	if p := probe(in); p.RCode != engine.RCodeNameError || !strings.Contains(p.Server, leaky.Addr.Addr().String()) {
		t.Errorf("--dns: probe %+v; want NXDOMAIN from nsd", p)
	}
	// The user says it is the outside view.
	out := report("--dns", leaky.Addr.String(), "--view", "outside")
	if got := kinds(out, engine.KindInternalNameOutside); !cmp.Equal(got, wantLeaks) {
		t.Errorf("--dns --view outside: leaks %v; want %v", got, wantLeaks)
	}
	if got := kinds(out, engine.KindAddressNotGlobal); got["pool01."+d] != engine.SeverityError || out.Target == nil || out.Target.Source != "_sip._tls."+d {
		t.Errorf("--dns --view outside: target %+v, unreachable addresses %v; want the Access Edge, pool01's private address an error", out.Target, got)
	}
	for _, s := range out.Steps {
		if s.Question == "sipinternal."+d && s.Purpose != engine.PurposeInternalOnly {
			t.Errorf("sipinternal A: purpose %q; want it asked in round one for the check", s.Purpose)
		}
	}

	// The wildcard zone: the fallback host is a wildcard answer, in any
	// view.
	w := report("--dns", wildcard.Addr.String())
	if p := probe(w); p.RCode != engine.RCodeSuccess || len(p.Answers) != 1 {
		t.Errorf("wildcard zone: probe %+v; want the wildcard's address", p)
	}
	if got := kinds(w, engine.KindWildcardArtefact); got["*."+d] != engine.SeverityWarning || w.Target == nil || w.Target.Host != "sipinternal."+d {
		t.Errorf("wildcard zone: target %+v, wildcard findings %v; want sipinternal, with a warning", w.Target, got)
	}

	// The same zones as zone files give the same verdicts and findings
	// as the real server.
	dir := t.TempDir()
	for _, z := range []struct {
		text   string
		server *dnstest.Server
	}{{dnstest.LeakyExternalView, leaky}, {dnstest.WildcardView, wildcard}} {
		zf := filepath.Join(dir, "zone.txt")
		os.WriteFile(zf, []byte(z.text), 0o644)
		fromFile := report("--zone", d+"="+zf, "--view", "outside")
		fromServer := report("--dns", z.server.Addr.String(), "--view", "outside")
		summary := func(r engine.Report) []string {
			out := []string{string(r.Outcome)}
			if r.Target != nil {
				out = append(out, r.Target.Endpoint())
			}
			for _, f := range r.Findings {
				out = append(out, string(f.Severity)+" "+string(f.Kind)+" "+f.Subject)
			}
			return out
		}
		if diff := cmp.Diff(summary(fromFile), summary(fromServer)); diff != "" {
			t.Errorf("the zone file and %s differ (-file +server):\n%s", z.server.Program, diff)
		}
	}

	// --compare: inside from unbound, outside through serve --upstream in
	// front of each external zone.
	for _, tt := range []struct {
		name     string
		external *dnstest.Server
		leaks    map[string]engine.Severity
		wildcard bool
	}{
		{"leaky external zone", leaky, wantLeaks, false},
		{"wildcard external zone", wildcard, map[string]engine.Severity{}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// One check ID, as the page sends (serve answers an SRV
			// target's address only to the check it named it to).
			doh := "http://" + startServe(t, "--upstream", tt.external.Addr.String()) + "/dns-query?check=compare1"
			code, js, stderr := runCLI(t, "check", "--compare", "--json", "--dns", inside.Addr.String(), "--doh", doh, addr)
			var got []comparison
			if err := json.Unmarshal([]byte(js), &got); err != nil || len(got) != 1 {
				t.Fatalf("check --compare --json: exit %d, %v: %s", code, err, stderr)
			}
			c := got[0]
			if c.Inside.View != engine.ViewInside || c.Outside.View != engine.ViewOutside {
				t.Errorf("views %q, %q; want inside, outside", c.Inside.View, c.Outside.View)
			}
			if leaks := kinds(*c.Inside, engine.KindInternalNameOutside); len(leaks) != 0 {
				t.Errorf("inside: leaks %v; want none (the internal names belong there)", leaks)
			}
			if leaks := kinds(*c.Outside, engine.KindInternalNameOutside); !cmp.Equal(leaks, tt.leaks) {
				t.Errorf("outside: leaks %v; want %v", leaks, tt.leaks)
			}
			if _, ok := kinds(*c.Outside, engine.KindWildcardArtefact)["*."+d]; ok != tt.wildcard {
				t.Errorf("outside: wildcard finding %v; want %v", ok, tt.wildcard)
			}
			for _, s := range c.Outside.Steps {
				if s.RCode == engine.RCodeRefused {
					t.Errorf("outside: serve --upstream refused %s %s (%s)", s.Question, s.Type, s.Error)
				}
			}
			differs := map[string]bool{}
			for _, r := range c.Differences {
				differs[r.Aspect] = r.Differs
			}
			if !differs["Findings"] {
				t.Errorf("the findings do not differ between the views: %+v", c.Differences)
			}
			_, text, _ := runCLI(t, "check", "--compare", "--dns", inside.Addr.String(), "--doh", doh, addr)
			for _, want := range []string{"wildcard probe", "; the outside view", "; the inside view"} {
				if !strings.Contains(text, want) {
					t.Errorf("check --compare lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

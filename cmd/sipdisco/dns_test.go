//go:build !js

package main

import (
	"encoding/json"
	"strings"
	"testing"

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
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
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
	if code, _, stderr := runCLI(t, "check", "--dns", "system", "--dns", "10.0.0.1", addr); code != exitUsage || !strings.Contains(stderr, "exclusive") {
		t.Errorf("--dns system with an IP: exit %d, %q; want a usage error", code, stderr)
	}
	if code, _, stderr := runCLI(t, "check", "--dns", "dns.contoso.com", addr); code != exitUsage || !strings.Contains(stderr, "--dns dns.contoso.com") {
		t.Errorf("--dns NAME: exit %d, %q; want a usage error naming it", code, stderr)
	}
}

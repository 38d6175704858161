//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
)

// TestDomainConnectKamailio runs sipdisco domain --connect against
// kamailio, a SIP server that is not ours, as the federation server of
// three zones: one whose SRV record names kamailio by a name on its
// certificate, one by a name the certificate lacks, one naming a port
// nothing listens on. The report carries the handshake, the chain, the
// TLS versions kamailio accepts (its configuration allows TLS 1.2 only)
// and its answer to the OPTIONS (405: it takes only REGISTER), and it
// judges them: kamailio's test CA is no public root, so partners would
// refuse the certificate (ms-diagnostics 1010); the wrong name is named;
// the closed port is unreachable. Nothing secret is sent.
func TestDomainConnectKamailio(t *testing.T) {
	k := siptest.StartKamailio(t)
	dir := t.TempDir()
	ca := filepath.Join(dir, "kam-root.pem")
	if err := os.WriteFile(ca, k.CA.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	dead := closedPort(t)
	zone := func(name, target string, port uint16) string {
		p := filepath.Join(dir, name+".zone")
		text := fmt.Sprintf("$ORIGIN %s.\n$TTL 300\n_sipfederationtls._tcp SRV 0 0 %d %s\n%s A 127.0.0.1\n", name, port, target, strings.SplitN(target, ".", 2)[0])
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// sip.kam.test is on kamailio's certificate; edge.kam.test is not.
	good := zone("kam.test", "sip.kam.test.", k.TLS)
	run := func(zoneFile, domain string) (int, domainreport.Report, string) {
		t.Helper()
		code, out, stderr := runCLI(t, "domain", "--connect", "--connect-timeout", "5s", "--zone", zoneFile, "--ca", ca, "--json", domain)
		var reps []domainreport.Report
		if err := json.Unmarshal([]byte(out), &reps); err != nil || len(reps) != 1 {
			t.Fatalf("domain --connect --json: %v\n%s\n%s\nkamailio log:\n%s", err, out, stderr, k.Log)
		}
		return code, reps[0], stderr
	}

	code, rep, stderr := run(good, "kam.test")
	o := rep.Observed
	if o == nil || o.Federation == nil {
		t.Fatalf("no federation observation: %+v\n%s", o, stderr)
	}
	a := o.Federation.Attempt
	if a.Outcome != engine.ProbeAnswered || a.Response == nil || a.Response.Status != 405 {
		t.Fatalf("attempt %s %+v %+v; want kamailio's 405 to the OPTIONS\nkamailio log:\n%s", a.Outcome, a.Failure, a.Response, k.Log)
	}
	if a.Request == nil || !strings.HasPrefix(a.Request.StartLine, "OPTIONS sip:sip.kam.test:") || len(a.Request.Get("Authorization")) != 0 || a.Request.Body != "" {
		t.Errorf("request %+v; want an OPTIONS to sip.kam.test without credentials or body", a.Request)
	}
	var accepted []string
	for _, v := range o.Federation.TLS {
		if v.Accepted {
			accepted = append(accepted, v.Version)
		}
	}
	if len(o.Federation.TLS) != 4 || strings.Join(accepted, ",") != "TLS 1.2" {
		t.Errorf("TLS versions %+v; want 4 tried, TLS 1.2 alone accepted (kamailio's tls_method)", o.Federation.TLS)
	}
	if a.TLS == nil || !a.TLS.Covered {
		t.Errorf("TLS %+v; want the certificate covering sip.kam.test", a.TLS)
	}
	certs := findingsOf(rep.Findings, engine.KindFederationCertificate)
	if len(certs) != 1 || !strings.Contains(certs[0].Message, "1010") || strings.Contains(certs[0].Message, "does not name") {
		t.Errorf("certificate findings %+v; want one, for the root partners do not trust (1010), not for the name", certs)
	}
	if len(findingsOf(rep.Findings, engine.KindFederationTLS)) != 0 || len(findingsOf(rep.Findings, engine.KindFederationObserved)) != 1 {
		t.Errorf("findings %v; want no TLS version finding and one observation", kindsOf(rep.Findings))
	}
	if rep.Federation.Outcome != domainreport.FederationFail || code != exitFail {
		t.Errorf("federation %s, exit %d; want fail, %d", rep.Federation.Outcome, code, exitFail)
	}
	if !strings.Contains(stderr, "nothing secret is sent") {
		t.Errorf("stderr %q does not say that nothing secret is sent", stderr)
	}

	// A name the certificate does not carry.
	_, rep, _ = run(zone("edge.test", "edge.edge.test.", k.TLS), "edge.test")
	certs = findingsOf(rep.Findings, engine.KindFederationCertificate)
	if len(certs) != 1 || !strings.Contains(certs[0].Message, "does not name edge.edge.test") || !strings.Contains(certs[0].Fix, "edge.edge.test") {
		t.Errorf("certificate findings %+v; want the missing name edge.edge.test, and its fix", certs)
	}

	// Nothing listening.
	_, rep, _ = run(zone("dead.test", "sip.dead.test.", dead), "dead.test")
	if len(findingsOf(rep.Findings, engine.KindFederationUnreachable)) != 1 || rep.Observed.Federation.Attempt.TLS != nil || len(rep.Observed.Federation.TLS) != 0 {
		t.Errorf("findings %v, observed %+v; want the server unreachable and no version tried", kindsOf(rep.Findings), rep.Observed.Federation)
	}

	// The text report shows what was observed.
	_, out, _ := runCLI(t, "domain", "--connect", "--zone", good, "--ca", ca, "kam.test")
	for _, want := range []string{"Observed (--connect; nothing secret sent)", "Federation server sip.kam.test:", "TLS versions: TLS 1.0 refused, TLS 1.1 refused, TLS 1.2 accepted, TLS 1.3 refused", "OPTIONS: SIP/2.0 405 Method Not Allowed", "ERROR federation-certificate"} {
		if !strings.Contains(out, want) {
			t.Errorf("the text report lacks %q:\n%s", want, out)
		}
	}
}

// TestDomainConnectAutodiscover: domain --connect asks the Autodiscover
// web service at lyncdiscover for its root document, without a user or
// any credential (the stand-in records what it received), and the
// report carries the answer; a domain without the names is not asked.
func TestDomainConnectAutodiscover(t *testing.T) {
	ca := siptest.NewCA(t)
	a := siptest.StartAutodiscover(t, ca, []string{"lyncdiscover.ad.test"}, siptest.LyncAutodiscover("ad.test"))
	dir := t.TempDir()
	zone := filepath.Join(dir, "ad.test.zone")
	caFile := filepath.Join(dir, "root.pem")
	text := "$ORIGIN ad.test.\n$TTL 300\nlyncdiscover A 127.0.0.1\n"
	for name, data := range map[string][]byte{zone: []byte(text), caFile: ca.PEM()} {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := throughStandIn(a)
	var out, errb bytes.Buffer
	run(ctx, []string{"domain", "--connect", "--connect-timeout", "5s", "--zone", zone, "--ca", caFile, "--json", "ad.test"}, strings.NewReader(""), &out, &errb)
	var reps []domainreport.Report
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil || len(reps) != 1 || reps[0].Observed == nil {
		t.Fatalf("domain --connect --json: %v\n%s\n%s", err, out.String(), errb.String())
	}
	o := reps[0].Observed
	if o.Autodiscover == nil || len(o.Autodiscover.Requests) == 0 {
		t.Fatalf("observed %+v; want the Autodiscover requests", o)
	}
	// The client asks lyncdiscoverinternal first; it does not exist here.
	var got []string
	root := false
	for _, r := range o.Autodiscover.Requests {
		got = append(got, fmt.Sprintf("%s %d", r.URL, r.Status))
		root = root || r.URL == "https://lyncdiscover.ad.test/" && r.Status == 200 && r.Document != nil
	}
	if !root {
		t.Errorf("requests %q; want lyncdiscover's root document over https", got)
	}
	if len(o.Skipped) != 1 || !strings.HasPrefix(o.Skipped[0], "Federation: ") {
		t.Errorf("skipped %q; want the federation server alone not contacted (no record)", o.Skipped)
	}
	seen := a.Seen()
	if len(seen) == 0 {
		t.Fatal("the stand-in received nothing")
	}
	for _, s := range seen {
		if s.Query != "" && strings.Contains(s.Query, "sipuri") {
			t.Errorf("%s %s?%s names a user; the domain report has none", s.Scheme, s.Path, s.Query)
		}
		for _, h := range []string{"Authorization", "Cookie", "X-Ms-Webticket"} {
			if v := s.Header.Get(h); v != "" {
				t.Errorf("%s %s carried %s: %q", s.Scheme, s.Path, h, v)
			}
		}
	}

	// Without the names, nothing is asked.
	empty := filepath.Join(dir, "none.test.zone")
	if err := os.WriteFile(empty, []byte("$ORIGIN none.test.\n$TTL 300\nwww A 127.0.0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := len(a.Seen())
	out.Reset()
	run(ctx, []string{"domain", "--connect", "--zone", empty, "--json", "none.test"}, strings.NewReader(""), &out, &errb)
	reps = nil
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil || reps[0].Observed == nil || reps[0].Observed.Autodiscover != nil || len(reps[0].Observed.Skipped) != 2 || len(a.Seen()) != before {
		t.Errorf("a domain without lyncdiscover: %v, observed %+v; want both servers skipped and nothing asked", err, reps[0].Observed)
	}
}

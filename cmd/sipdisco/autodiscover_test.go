//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/siptest"
)

// TestCheckConnectAutodiscover runs sipdisco check --connect for a Lync
// 2013 client against an Autodiscover stand-in on loopback, found
// through a zone file whose lyncdiscoverinternal and webpool02 names
// resolve to 127.0.0.1 and whose SRV record names sip.ad.test, where
// nothing listens. The command line's own HTTP and TLS code asks the stand-in
// (only the TCP port is mapped: 443 and 80 to the stand-in's ports); the
// JSON report carries the root links, the redirect, each certificate
// (trusted by --ca) and the 401's web ticket location beside what DNS
// gave, the text and Markdown reports show them, and no request the
// stand-in received carries a credential.
func TestCheckConnectAutodiscover(t *testing.T) {
	ca := siptest.NewCA(t)
	a := siptest.StartAutodiscover(t, ca, []string{"lyncdiscoverinternal.ad.test", "webpool02.ad.test"}, siptest.LyncAutodiscover("ad.test"))
	dir := t.TempDir()
	zone := filepath.Join(dir, "ad.test.zone")
	text := fmt.Sprintf("$ORIGIN ad.test.\n$TTL 300\nlyncdiscoverinternal A 127.0.0.1\nwebpool02 A 127.0.0.1\n_sipinternaltls._tcp SRV 0 0 %d sip\nsip A 127.0.0.1\n", closedPort(t))
	caFile := filepath.Join(dir, "root.pem")
	for name, data := range map[string][]byte{zone: []byte(text), caFile: ca.PEM()} {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := throughStandIn(a)
	cli := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(ctx, append([]string{"check", "--connect", "--connect-timeout", "5s", "--zone", zone, "--ca", caFile, "--profile", "lync-2013"}, args...),
			strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}

	code, out, stderr := cli("--json", "bob@ad.test")
	var rep engine.Report
	if err := decodeOne(out, &rep); err != nil {
		t.Fatalf("check --connect --json: exit %d, %v\n%s", code, err, stderr)
	}
	if rep.Probe == nil || rep.Probe.Autodiscover == nil {
		t.Fatalf("probe = %+v; want the Autodiscover observation", rep.Probe)
	}
	ad := rep.Probe.Autodiscover
	var got []string
	for _, r := range ad.Requests {
		got = append(got, fmt.Sprintf("%s %s %d", r.Purpose, r.URL, r.Status))
	}
	want := []string{
		"root https://lyncdiscoverinternal.ad.test/?sipuri=bob@ad.test 200",
		"redirect https://webpool02.ad.test/Autodiscover/AutodiscoverService.svc/root?originalDomain=ad.test 200",
		"user https://webpool02.ad.test/Autodiscover/AutodiscoverService.svc/root/user?originalDomain=ad.test 401",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range ad.Requests {
		if r.TLS == nil || !r.TLS.Covered || len(r.TLS.Trust) == 0 || !r.TLS.Trust[len(r.TLS.Trust)-1].Trusted || r.TLS.Trust[len(r.TLS.Trust)-1].Roots != "--ca "+caFile {
			t.Errorf("%s: TLS = %+v; want the certificate naming %s, trusted by --ca", r.URL, r.TLS, r.Host)
		}
	}
	if w := ad.Requests[2].WebTicket; w == nil || w.URL != "https://webpool02.ad.test/WebTicket/WebTicketService.svc" || w.OAuthHref != "https://webpool02.ad.test/WebTicket/oauthtoken" {
		t.Errorf("web ticket = %+v", w)
	}
	if len(rep.Probe.Attempts) == 0 || rep.Probe.Attempts[0].Host != "sip.ad.test" {
		t.Errorf("SIP attempts = %+v; want sip.ad.test, the server DNS gives, tried after Autodiscover", rep.Probe.Attempts)
	}
	f, ok := findingOf(ad.Findings, engine.KindAutodiscoverAnswered)
	if !ok || !strings.Contains(f.Message, "DNS gives sip.ad.test:") {
		t.Errorf("findings %+v; want %s setting what the web service said beside what DNS gave", ad.Findings, engine.KindAutodiscoverAnswered)
	}

	_, out, stderr = cli("bob@ad.test")
	for _, w := range []string{
		"The Autodiscover web service (asked first, without credentials):",
		"[answered] root https://lyncdiscoverinternal.ad.test/?sipuri=bob@ad.test  127.0.0.1:443",
		"Link Redirect: https://webpool02.ad.test/Autodiscover/AutodiscoverService.svc/root?originalDomain=ad.test",
		"Link User: https://webpool02.ad.test/Autodiscover/AutodiscoverService.svc/root/user?originalDomain=ad.test",
		"Trust: trusted by the --ca " + caFile + " roots",
		"GET /Autodiscover/AutodiscoverService.svc/root/user?originalDomain=ad.test HTTP/1.1 → HTTP/1.1 401 Unauthorized",
		"Web ticket: X-MS-WebTicketURL https://webpool02.ad.test/WebTicket/WebTicketService.svc",
		"Web ticket: MsRtcOAuth href https://webpool02.ad.test/WebTicket/oauthtoken, grant_type urn:microsoft.rtc:windows, urn:microsoft.rtc:anonmeeting, password",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("the text report lacks %q:\n%s%s", w, out, stderr)
		}
	}
	if testing.Verbose() {
		t.Logf("text report:\n%s", out)
	}
	_, out, _ = cli("--md", "bob@ad.test")
	if !strings.Contains(out, "#### The Autodiscover web service") || !strings.Contains(out, "Web ticket: X-MS-WebTicketURL https://webpool02.ad.test/WebTicket/WebTicketService.svc") {
		t.Errorf("the Markdown report lacks the Autodiscover observation:\n%s", out)
	}

	// The snapshot link carries the observation to the page.
	_, out, stderr = cli("--link", "--link-base", "http://127.0.0.1:9/sipdisco", "bob@ad.test")
	m := regexp.MustCompile(`what the servers answered\): (http://127\.0\.0\.1:9/sipdisco/(#s=\S+))`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no snapshot link in:\n%s%s", out, stderr)
	}
	snap, err := snapshot.Decode(context.Background(), m[2])
	if err != nil {
		t.Fatal(err)
	}
	if p := snap.Report.Probe; p == nil || p.Autodiscover == nil || len(p.Autodiscover.Requests) != 3 || p.Autodiscover.Requests[2].WebTicket == nil ||
		p.Autodiscover.Requests[2].WebTicket.URL != "https://webpool02.ad.test/WebTicket/WebTicketService.svc" {
		t.Errorf("the snapshot's probe lacks the Autodiscover observation: %+v", snap.Report.Probe)
	}

	seen := a.Seen()
	if len(seen) != 12 {
		t.Errorf("the stand-in received %d requests; want 12 (three per check)", len(seen))
	}
	documented := map[string]bool{"/": true, "/Autodiscover/AutodiscoverService.svc/root": true, "/Autodiscover/AutodiscoverService.svc/root/user": true}
	for _, s := range seen {
		for name := range s.Header {
			n := strings.ToLower(name)
			if n == "authorization" || n == "proxy-authorization" || n == "cookie" || strings.Contains(n, "ticket") || strings.Contains(n, "token") {
				t.Errorf("%s://%s%s carried %s", s.Scheme, s.Host, s.Path, name)
			}
		}
		if !documented[s.Path] {
			t.Errorf("%s://%s%s was asked; it is not a documented path", s.Scheme, s.Host, s.Path)
		}
	}
}

// findingOf returns the first finding of kind in fs.
func findingOf(fs []engine.Finding, kind engine.Kind) (engine.Finding, bool) {
	for _, f := range fs {
		if f.Kind == kind {
			return f, true
		}
	}
	return engine.Finding{}, false
}

// throughStandIn returns a context whose dialFunc sends the prober's
// connections to ports 443 and 80 to the Autodiscover stand-in a, and
// every other connection where it is addressed.
func throughStandIn(a *siptest.Autodiscover) context.Context {
	var d net.Dialer
	dial := func(ctx context.Context, network, address string) (net.Conn, error) {
		if strings.HasSuffix(address, ":443") || strings.HasSuffix(address, ":80") {
			return a.Dial(ctx, network, address)
		}
		return d.DialContext(ctx, network, address)
	}
	return context.WithValue(context.Background(), dialKey{}, dialFunc(dial))
}

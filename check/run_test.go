package check

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/probe"
	"github.com/sipdisco/sipdisco/resolve/zone"
	"github.com/sipdisco/sipdisco/signin"
)

func demoEnv(t *testing.T) Env {
	t.Helper()
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return Env{Resolver: set, Now: func() time.Time { return time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC) }, Certificates: certcheck.PEM{}}
}

// TestRun checks the whole check: discovery, then the sign-in when asked
// for, and the live and snapshot links of the result.
func TestRun(t *testing.T) {
	o := PageDefaults()
	o.URI = "bob@healthy.example"
	res, err := Run(context.Background(), o, demoEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Outcome != engine.OutcomeConnect || res.Report.Register == nil || res.Report.Register.Outcome != engine.SignInRegistered {
		t.Errorf("Run = %s, register %+v; want connect and registered", res.Report.Outcome, res.Report.Register)
	}
	if q := res.Query(); q != o.Query() || q == "" {
		t.Errorf("Result.Query() = %q; want %q", q, o.Query())
	}
	if s := res.Snapshot(); !s.TakenAt.Equal(res.At) || s.Report != res.Report || s.DoH != o.Resolver.String() {
		t.Errorf("Result.Snapshot() = %+v", s)
	}
	if _, err := SnapshotJSON(res.Snapshot()); err != nil {
		t.Errorf("the snapshot cannot be a link: %v", err)
	}
	o.SignIn = false
	res, err = Run(context.Background(), o, demoEnv(t))
	if err != nil || res.Report.Register != nil {
		t.Errorf("Run without SignIn: register %+v, %v; want none", res.Report.Register, err)
	}
}

// TestRunConnect: a check with Connect asks Env.Probe to observe the
// report's candidates for the check's address, client and policy, and to
// compare them with the simulated sign-in, then attaches what the servers
// answered; without a prober (the page) Connect is refused.
func TestRunConnect(t *testing.T) {
	o := Defaults()
	o.URI, o.Connect, o.ConnectAll, o.ConnectTimeout, o.AllowTCP = "bob@healthy.example", true, true, 3*time.Second, false
	o.CA = CAFile{Name: "corp-root.pem", PEM: testCertPEM(t)}
	env := demoEnv(t)
	env.Tool = engine.Tool{Name: "sipdisco", Version: "1.2.0"}
	var got ProbeRequest
	env.Probe = func(ctx context.Context, r ProbeRequest) (engine.Probe, error) {
		got = r
		// An Office Communications Server 2007 pool answers: version 3,
		// where the simulated Office Communicator 2007 R2 with its own
		// server version expects 4.
		resp, err := probe.ParseResponse([]byte("SIP/2.0 401 Unauthorized\r\n" +
			`WWW-Authenticate: NTLM realm="SIP Communications Service", targetname="pool01.healthy.example", version=3` + "\r\n" +
			"Content-Length: 0\r\n\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		c := r.Candidates[0]
		a := probe.Attempt{Host: c.Host, Port: c.Port, Transport: c.Transport, Source: c.Source, Reason: engine.ConnectionDiscovered,
			Outcome: probe.Answered, Response: &resp}
		probe.JudgeAttempt(&a, r.Client)
		res := probe.Result{Address: r.Address, Client: r.Client, Attempts: []probe.Attempt{a}}
		probe.Judge(&res)
		res.Findings = append(res.Findings, probe.Compare(res, r.Simulated)...)
		return res, nil
	}
	res, err := Run(context.Background(), o, env)
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	if got.Address != "sip:bob@healthy.example" || got.Client != engine.DefaultProfile || got.AllowTCP || !got.All ||
		got.Timeout != 3*time.Second || got.CA != o.CA || got.CA.Label() != "--ca corp-root.pem" || got.Resolver == nil || got.Simulated != rep.Register {
		t.Errorf("the prober was asked %+v", got)
	}
	if diff := cmp.Diff(got.Candidates, rep.Candidates); diff != "" {
		t.Errorf("the prober's candidates are not the report's (-got +want):\n%s", diff)
	}
	if rep.Register == nil {
		t.Fatal("Connect did not simulate the sign-in it is compared with")
	}
	if rep.Probe == nil || len(rep.Probe.Attempts) != 1 {
		t.Fatalf("the report's probe is %+v", rep.Probe)
	}
	var kinds []engine.Kind
	for _, f := range rep.Probe.Findings {
		kinds = append(kinds, f.Kind)
	}
	if !slices.Contains(kinds, engine.KindProbeDiffersVersion) {
		t.Errorf("the probe's findings %v lack %s: the server's version 3 against the simulated 4", kinds, engine.KindProbeDiffersVersion)
	}
	if rep.Tool == nil || *rep.Tool != env.Tool || rep.CheckedAt != "2026-11-25T14:00:00Z" {
		t.Errorf("tool %+v, checkedAt %q; want sipdisco 1.2.0 at the clock's time", rep.Tool, rep.CheckedAt)
	}

	env.Probe = nil
	_, err = Run(context.Background(), o, env)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "Connect" || !strings.Contains(err.Error(), "cannot open TCP or TLS connections") {
		t.Errorf("Connect without a prober: %v; want an input error naming Connect", err)
	}
}

// TestRunInputErrors: every unusable input is an *InputError naming the
// field, whichever stage finds it.
func TestRunInputErrors(t *testing.T) {
	tests := []struct {
		name  string
		set   func(*Options)
		field string
	}{
		{"address", func(o *Options) { o.URI = "bob@@contoso.com" }, "URI"},
		{"profile", func(o *Options) { o.Profile = "lync-3000" }, "Profile"},
		{"manual internal server", func(o *Options) { o.ManualInternal = "a:b:c" }, "ManualInternal"},
		{"manual external server", func(o *Options) { o.ManualExternal = "host:0" }, "ManualExternal"},
		{"trusted domain", func(o *Options) { o.Trusted = []string{"bad..domain"} }, "Trusted"},
		{"certificate", func(o *Options) { o.CertificatePEM = "junk" }, "CertificatePEM"},
		{"account", func(o *Options) { o.Account = "<b>" }, "Account"},
		{"home pool", func(o *Options) { o.HomePool = "bad host" }, "HomePool"},
		{"owner", func(o *Options) { o.Owner = "x,y" }, "Owner"},
		{"certificate names", func(o *Options) { o.CertificateNames = []string{"a\"b"} }, "CertificateNames"},
		{"connection time limit", func(o *Options) { o.ConnectTimeout = time.Hour }, "ConnectTimeout"},
	}
	for _, tt := range tests {
		o := PageDefaults()
		o.URI = "bob@healthy.example"
		tt.set(&o)
		_, err := Run(context.Background(), o, demoEnv(t))
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != tt.field {
			t.Errorf("%s: error %v; want an InputError for %s", tt.name, err, tt.field)
			continue
		}
		if f, ok := fieldByName(tt.field); ok && f.Group == GroupSignIn && ie.FormMessage()[:9] != "sign-in, " {
			t.Errorf("%s: FormMessage %q does not name the sign-in box", tt.name, ie.FormMessage())
		}
		if ie.Flag() == tt.field && tt.field != "URI" {
			t.Errorf("%s: no flag named for %s", tt.name, tt.field)
		}
	}
}

// TestSignInInputFromCertificate: a pasted chain's leaf gives the
// simulation its names and validity, judged at the moment of the check;
// without one, the names typed are used.
func TestSignInInputFromCertificate(t *testing.T) {
	u, _ := engine.ParseURI("jeremy@contoso.com")
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	o := PageDefaults()
	o.CertificateNames = []string{"typed.contoso.com"}
	in := o.signInInput(u, nil, now)
	if !cmp.Equal(in.CertificateNames, []string{"typed.contoso.com"}) || !in.CertificateNotAfter.IsZero() {
		t.Errorf("without a chain: names %q, not after %v", in.CertificateNames, in.CertificateNotAfter)
	}
	block, _ := pem.Decode([]byte(testCertPEM(t)))
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	o.CertificatePEM = testCertPEM(t)
	cert, err := o.certificate(certcheck.PEM{})
	if err != nil {
		t.Fatal(err)
	}
	in = o.signInInput(u, cert, now)
	if !cmp.Equal(in.CertificateNames, []string{"sip.contoso.com"}) || !in.CertificateNotAfter.Equal(c.NotAfter) || !in.Now.Equal(now) {
		t.Errorf("with a chain: names %q, not after %v, now %v", in.CertificateNames, in.CertificateNotAfter, in.Now)
	}
	if in.Account != "jeremy@contoso.com" || in.Credentials != signin.CurrentCredentials || in.Directory != nil {
		t.Errorf("defaults: account %q, credentials %q, directory %v", in.Account, in.Credentials, in.Directory)
	}
}

// TestViewOf: the view a check is of comes from where its answers come
// from, unless the user says; only what sipdisco knows is placed.
func TestViewOf(t *testing.T) {
	doh := func(url string) engine.ResolverInfo {
		return engine.ResolverInfo{Kind: engine.ResolverDoH, Address: url, Description: url}
	}
	tests := []struct {
		name     string
		resolver string
		view     engine.View
		src      engine.ResolverInfo
		domain   string
		want     engine.View
	}{
		{"the machine's DNS", "", "", engine.ResolverInfo{Kind: engine.ResolverSystem}, "contoso.com", engine.ViewInside},
		{"plain DNS servers", "", "", engine.ResolverInfo{Kind: engine.ResolverDNS, Address: "10.0.0.5:53"}, "contoso.com", engine.ViewInside},
		{"serve --upstream, from the page", ResolverUpstream, "", engine.ResolverInfo{}, "contoso.com", engine.ViewInside},
		{"a public resolver, from the page", DefaultDoH, "", engine.ResolverInfo{}, "contoso.com", engine.ViewOutside},
		{"a public resolver, from the command line", DefaultDoH, "", doh(DefaultDoH), "contoso.com", engine.ViewOutside},
		{"Google's, too", "https://dns.google/dns-query", "", doh("https://dns.google/dns-query"), "contoso.com", engine.ViewOutside},
		{"a DoH URL sipdisco does not know", "https://doh.contoso.com/dns-query", "", doh("https://doh.contoso.com/dns-query"), "contoso.com", engine.ViewUnknown},
		{"the user says", "https://doh.contoso.com/dns-query", engine.ViewOutside, doh("https://doh.contoso.com/dns-query"), "contoso.com", engine.ViewOutside},
		{"the user says, over a known one", "", engine.ViewOutside, engine.ResolverInfo{Kind: engine.ResolverSystem}, "contoso.com", engine.ViewOutside},
		{"a zone file", ResolverZone, "", engine.ResolverInfo{Kind: engine.ResolverZone}, "contoso.com", engine.ViewUnknown},
		{"a zone file the user places", ResolverZone, engine.ViewInside, engine.ResolverInfo{Kind: engine.ResolverZone}, "contoso.com", engine.ViewInside},
		{"a demo zone", ResolverDemo, "", engine.ResolverInfo{Kind: engine.ResolverDemo}, "healthy.example", engine.ViewUnknown},
		{"the demo zone that is an external view", "", "", engine.ResolverInfo{Kind: engine.ResolverDemo}, "leaked-internal.example", engine.ViewOutside},
		{"the same through the page's /dns-query", ResolverLocal, "", engine.ResolverInfo{}, "leaked-internal.example", engine.ViewOutside},
		{"its name in a zone file says nothing", ResolverZone, "", engine.ResolverInfo{Kind: engine.ResolverZone}, "leaked-internal.example", engine.ViewUnknown},
	}
	for _, tt := range tests {
		o := Options{Resolver: ParseSource(tt.resolver), View: tt.view}
		if got := o.ViewOf(tt.src, tt.domain); got != tt.want {
			t.Errorf("%s: ViewOf = %q; want %q", tt.name, got, tt.want)
		}
	}
	// Run records it in the report, and the outside view asks the
	// internal-only names.
	o := Defaults()
	o.URI, o.Resolver = "bob@leaked-internal.example", Source{Kind: SourceDemo}
	res, err := Run(context.Background(), o, demoEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.View != engine.ViewOutside {
		t.Errorf("Run: view %q; want outside", res.Report.View)
	}
	n := 0
	for _, f := range res.Report.Findings {
		if f.Kind == engine.KindInternalNameOutside {
			n++
		}
	}
	if n != 3 {
		t.Errorf("Run: %d internal-name-outside findings; want 3 (_sipinternaltls._tcp, sipinternal, lyncdiscoverinternal)", n)
	}
}

package plan_test

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

func TestNormalizeErrors(t *testing.T) {
	ok := plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"}}
	tests := []struct {
		name string
		edit func(*plan.Input)
		want []string // "field: message" prefixes, in order
	}{
		{"no domains", func(in *plan.Input) { in.Domains = nil }, []string{"domains: at least one SIP domain"}},
		{"bad domain", func(in *plan.Input) { in.Domains = []string{"contoso.com", "bad_domain.com"} }, []string{`domains[1]: character "_" is not allowed`}},
		{"single label", func(in *plan.Input) { in.Domains = []string{"contoso"} }, []string{"domains[0]: domain \"contoso\" has a single label"}},
		{"duplicate domain", func(in *plan.Input) { in.Domains = []string{"contoso.com", "CONTOSO.com."} }, []string{"domains[1]: contoso.com is listed twice"}},
		{"no pool", func(in *plan.Input) { in.Pool = plan.Server{} }, []string{"pool.fqdn: required"}},
		{"bad address", func(in *plan.Input) { in.Pool.Addresses = []string{"192.0.2.300"} }, []string{`pool.addresses[0]: "192.0.2.300" is not an IPv4 or IPv6 address`}},
		{"loopback", func(in *plan.Input) { in.Pool.Addresses = []string{"127.0.0.1"} }, []string{"pool.addresses[0]: 127.0.0.1 is not a unicast server address"}},
		{"private Edge address", func(in *plan.Input) {
			in.Edge = plan.Server{FQDN: "sip.contoso.com", Addresses: []string{"203.0.113.4", "10.9.0.4"}}
		}, []string{"edge.addresses[1]: 10.9.0.4, a private address (RFC 1918), which clients on the Internet cannot reach"}},
		{"unique local external web services", func(in *plan.Input) {
			in.WebExternal = plan.Server{FQDN: "webext.contoso.com", Addresses: []string{"fd00::7"}}
		}, []string{"webExternal.addresses[0]: fd00::7, an IPv6 unique local address"}},
		{"addresses without name", func(in *plan.Input) { in.Director = plan.Server{Addresses: []string{"192.0.2.1"}} }, []string{"director.addresses: given without director.fqdn"}},
		{"director is pool", func(in *plan.Input) { in.Director = plan.Server{FQDN: "pool01.contoso.com"} }, []string{"director.fqdn: pool01.contoso.com is also the pool's name"}},
		{"edge is pool", func(in *plan.Input) { in.Edge = plan.Server{FQDN: "pool01.contoso.com"} }, []string{"edge.fqdn: pool01.contoso.com is also an internal server's name"}},
		{"port without edge", func(in *plan.Input) { in.EdgePort = 5061 }, []string{"edgePort: given without edge.fqdn"}},
		{"unknown profile", func(in *plan.Input) { in.Profiles = []string{"lync-2010", "lync-2099"} }, []string{`profiles[1]: unknown client profile "lync-2099"`}},
		{"alias", func(in *plan.Input) { in.Alias = "dname" }, []string{`alias: "dname" is not a, cname or empty`}},
		{"IPv6 only for Communicator", func(in *plan.Input) { in.Pool.Addresses = []string{"2001:db8::1"} }, []string{"pool.addresses: no IPv4 address: Office Communicator 2007 R2 looks up A records only"}},
		{"several at once", func(in *plan.Input) { in.Domains = []string{"-x.com"}; in.Pool.FQDN = "a..b" }, []string{"domains[0]:", "pool.fqdn:"}},
		{"web internal collides with the alias", func(in *plan.Input) {
			in.StrictNaming = true
			in.WebInternal = plan.Server{FQDN: "sip.contoso.com", Addresses: []string{"192.0.2.99"}}
		}, []string{"webInternal.fqdn: sip.contoso.com is needed in the internal DNS as a sip-alias record for the Front End pool"}},
		{"members of an Edge", func(in *plan.Input) {
			in.Edge = plan.Server{FQDN: "edge.contoso.com", Members: []string{"edge01.contoso.com"}}
		}, []string{"edge.members: only a pool"}},
		{"the pool as its own member", func(in *plan.Input) { in.Pool.Members = []string{"fe01.contoso.com", "POOL01.contoso.com"} },
			[]string{"pool.members[1]: pool01.contoso.com is the pool's own FQDN"}},
		{"Edge internal interface without an Edge", func(in *plan.Input) { in.EdgeInternal = plan.Server{FQDN: "edgeint.contoso.com"} },
			[]string{"edgeInternal.fqdn: given without edge.fqdn"}},
		{"Web Conferencing Edge without an Edge", func(in *plan.Input) { in.WebConfEdge = "webconf.contoso.com" },
			[]string{"webConfEdge: given without edge.fqdn"}},
		{"Edge internal interface named like the pool", func(in *plan.Input) {
			in.Edge = plan.Server{FQDN: "edge.contoso.com"}
			in.EdgeInternal = plan.Server{FQDN: "pool01.contoso.com"}
		}, []string{"edgeInternal.fqdn: pool01.contoso.com is also another server's name"}},
		{"shared name, other addresses", func(in *plan.Input) {
			in.Pool.Addresses = []string{"192.0.2.5"}
			in.WebInternal = plan.Server{FQDN: "pool01.contoso.com", Addresses: []string{"192.0.2.6"}}
		}, []string{"webInternal.addresses: pool01.contoso.com is also the name of the Front End pool"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			in.Pool.Addresses = nil
			tt.edit(&in)
			_, err := plan.Generate(in)
			if err == nil {
				t.Fatalf("Generate = nil error; want %q", tt.want)
			}
			var got []string
			for _, e := range unjoin(err) {
				var fe *plan.FieldError
				if !errors.As(e, &fe) {
					t.Errorf("error %v is not a *plan.FieldError", e)
				}
				got = append(got, e.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Generate errors = %q; want %d starting %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("error %d = %q; want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// row is a record reduced to what a reader checks.
type row struct{ View, Zone, Name, Type, Data string }

func rows(p *plan.Plan) []row {
	var out []row
	for _, vp := range []plan.ViewPlan{p.Internal, p.External} {
		for _, r := range vp.Records() {
			out = append(out, row{string(r.View), r.Zone, r.Name, r.Type.String(), r.Data()})
		}
	}
	return out
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		name  string
		in    plan.Input
		want  []row
		certs map[string][]string // subject -> SANs
	}{
		{
			name: "strict, one domain, Edge named sip.D",
			in: plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com", Addresses: []string{"10.0.0.5"}},
				Edge: plan.Server{FQDN: "sip.contoso.com"}, StrictNaming: true, AllowTCP: true, Profiles: []string{"communicator-2007-r2"}},
			want: []row{
				{"internal", "contoso.com", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 sip.contoso.com."},
				{"internal", "contoso.com", "_sipinternal._tcp.contoso.com", "SRV", "0 0 5060 sip.contoso.com."},
				{"internal", "contoso.com", "sip.contoso.com", "A", "10.0.0.5"},
				{"internal", "contoso.com", "pool01.contoso.com", "A", "10.0.0.5"},
				{"external", "contoso.com", "_sip._tls.contoso.com", "SRV", "0 0 443 sip.contoso.com."},
				{"external", "contoso.com", "sip.contoso.com", "A", "203.0.113.10"},
			},
			certs: map[string][]string{
				"pool01.contoso.com": {"pool01.contoso.com", "sip.contoso.com"},
				"sip.contoso.com":    {"sip.contoso.com"},
			},
		},
		{
			name: "loose, two domains, Director, pool in its own domain, CNAME aliases, Lync 2013",
			in: plan.Input{Domains: []string{"contoso.com", "fabrikam.com"}, Pool: plan.Server{FQDN: "pool01.corp.example.net"},
				Director: plan.Server{FQDN: "dir.contoso.com"}, Edge: plan.Server{FQDN: "edge.contoso.com"}, EdgePort: 5061,
				WebInternal: plan.Server{FQDN: "pool01.corp.example.net"}, WebExternal: plan.Server{FQDN: "web.contoso.com"},
				Alias: plan.AliasCNAME, Profiles: []string{"lync-2013"}},
			want: []row{
				{"internal", "contoso.com", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 dir.contoso.com."},
				{"internal", "contoso.com", "lyncdiscoverinternal.contoso.com", "CNAME", "pool01.corp.example.net."},
				{"internal", "contoso.com", "dir.contoso.com", "A", "192.0.2.11"},
				{"internal", "fabrikam.com", "_sipinternaltls._tcp.fabrikam.com", "SRV", "0 0 5061 sip.fabrikam.com."},
				// An SRV target is never a CNAME, whatever Alias says (RFC 2782).
				{"internal", "fabrikam.com", "sip.fabrikam.com", "A", "192.0.2.11"},
				{"internal", "fabrikam.com", "lyncdiscoverinternal.fabrikam.com", "CNAME", "pool01.corp.example.net."},
				{"internal", "corp.example.net", "pool01.corp.example.net", "A", "192.0.2.10"},
				{"external", "contoso.com", "_sip._tls.contoso.com", "SRV", "0 0 5061 edge.contoso.com."},
				{"external", "contoso.com", "sip.contoso.com", "CNAME", "edge.contoso.com."},
				{"external", "contoso.com", "lyncdiscover.contoso.com", "CNAME", "web.contoso.com."},
				{"external", "contoso.com", "edge.contoso.com", "A", "203.0.113.10"},
				{"external", "contoso.com", "web.contoso.com", "A", "203.0.113.11"},
				{"external", "fabrikam.com", "_sip._tls.fabrikam.com", "SRV", "0 0 5061 sip.fabrikam.com."},
				{"external", "fabrikam.com", "sip.fabrikam.com", "A", "203.0.113.10"},
				{"external", "fabrikam.com", "lyncdiscover.fabrikam.com", "CNAME", "web.contoso.com."},
			},
			certs: map[string][]string{
				"pool01.corp.example.net": {"pool01.corp.example.net", "lyncdiscoverinternal.contoso.com", "lyncdiscoverinternal.fabrikam.com", "lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"},
				"dir.contoso.com":         {"dir.contoso.com", "sip.fabrikam.com", "lyncdiscoverinternal.contoso.com", "lyncdiscoverinternal.fabrikam.com", "lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"},
				"edge.contoso.com":        {"edge.contoso.com", "sip.contoso.com", "sip.fabrikam.com"},
				"web.contoso.com":         {"web.contoso.com", "lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := plan.Generate(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rows(p), tt.want); diff != "" {
				t.Errorf("records (-got +want):\n%s", diff)
			}
			got := map[string][]string{}
			for _, c := range p.Certificates {
				for _, n := range c.Names {
					got[c.Subject] = append(got[c.Subject], n.Name)
				}
			}
			if diff := cmp.Diff(got, tt.certs); diff != "" {
				t.Errorf("certificate names (-got +want):\n%s", diff)
			}
		})
	}
}

func TestBIND(t *testing.T) {
	p, err := plan.Generate(plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com", Addresses: []string{"10.0.0.5", "2001:db8::5"}},
		StrictNaming: true, Profiles: []string{"lync-2010"}, TTL: 600})
	if err != nil {
		t.Fatal(err)
	}
	got := plan.BIND(plan.Internal, p.Internal.Zones[0], p.Input.TTL)
	want := `; Internal DNS, zone contoso.com: generated by sipdisco plan.
; The SOA and NS are placeholders; add the records below to your existing zone.
$ORIGIN contoso.com.
$TTL 600
@	IN	SOA	ns1.contoso.com. hostmaster.contoso.com. 1 3600 600 1209600 3600
@	IN	NS	ns1.contoso.com.

; internal clients of every profile ask _sipinternaltls._tcp.contoso.com first and sign in to its target over TLS on port 5061 (Office Communicator Sign-in and Discovery; TechNet dd572514, gg425884)
_sipinternaltls._tcp	600	IN	SRV	0 0 5061 sip.contoso.com.

; strict naming (EnableStrictDNSNaming) accepts only contoso.com and sip.contoso.com as the target of _sipinternaltls._tcp.contoso.com, so sip.contoso.com stands for pool01.contoso.com; as an SRV target it is a host record, never a CNAME (RFC 2782; Office Communicator Sign-in and Discovery)
sip	600	IN	A	10.0.0.5
sip	600	IN	AAAA	2001:db8::5

; host record of the Front End pool (or Standard Edition server); the servers may register it already, and it is listed so the planned zone is complete
pool01	600	IN	A	10.0.0.5
pool01	600	IN	AAAA	2001:db8::5
`
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("BIND (-got +want):\n%s", diff)
	}
	if _, err := zone.Parse("contoso.com", got, "contoso.zone"); err != nil {
		t.Errorf("zone.Parse(BIND) = %v", err)
	}
	// Without the origin the loader takes it from the SOA.
	if _, err := zone.Parse("", got, "contoso.zone"); err != nil {
		t.Errorf("zone.Parse(\"\", BIND) = %v", err)
	}
}

func TestPowerShell(t *testing.T) {
	p, err := plan.Generate(plan.Input{Domains: []string{"fabrikam.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com", Addresses: []string{"10.0.0.5", "2001:db8::5"}},
		WebInternal: plan.Server{FQDN: "pool01.contoso.com"}, Alias: plan.AliasCNAME, Profiles: []string{"lync-2013"}, TTL: 90000})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range strings.Split(plan.PowerShell(p.Internal), "\n") {
		if strings.HasPrefix(l, "Add-") {
			got = append(got, l)
		}
	}
	want := []string{
		"Add-DnsServerResourceRecord -ZoneName 'fabrikam.com' -Name '_sipinternaltls._tcp' -Srv -DomainName 'sip.fabrikam.com' -Priority 0 -Weight 0 -Port 5061 -TimeToLive 1.01:00:00",
		// sip.fabrikam.com is the SRV target: host records, not the CNAME asked for.
		"Add-DnsServerResourceRecord -ZoneName 'fabrikam.com' -Name 'sip' -A -IPv4Address '10.0.0.5' -TimeToLive 1.01:00:00",
		"Add-DnsServerResourceRecord -ZoneName 'fabrikam.com' -Name 'sip' -AAAA -IPv6Address '2001:db8::5' -TimeToLive 1.01:00:00",
		"Add-DnsServerResourceRecord -ZoneName 'fabrikam.com' -Name 'lyncdiscoverinternal' -CName -HostNameAlias 'pool01.contoso.com' -TimeToLive 1.01:00:00",
		"Add-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'pool01' -A -IPv4Address '10.0.0.5' -TimeToLive 1.01:00:00",
		"Add-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'pool01' -AAAA -IPv6Address '2001:db8::5' -TimeToLive 1.01:00:00",
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("PowerShell commands (-got +want):\n%s", diff)
	}
}

func TestCSVAndJSON(t *testing.T) {
	p, err := plan.Generate(plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"}, Edge: plan.Server{FQDN: "sip.contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(plan.CSV(p.Internal, p.External))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(recs[0], plan.CSVHeader); diff != "" {
		t.Errorf("CSV header (-got +want):\n%s", diff)
	}
	if want := len(p.Internal.Records()) + len(p.External.Records()) + 1; len(recs) != want {
		t.Errorf("CSV has %d rows; want %d", len(recs), want)
	}
	wantRow := []string{"internal", "contoso.com", "_sipinternaltls._tcp.contoso.com", "SRV", "3600", "0", "0", "5061", "0 0 5061 pool01.contoso.com.", "false", p.Internal.Records()[0].Reason}
	if diff := cmp.Diff(recs[1], wantRow); diff != "" {
		t.Errorf("CSV row 1 (-got +want):\n%s", diff)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"input":{"domains":["contoso.com"]`, `"name":"_sip._tls.contoso.com","type":"SRV","ttl":3600,"data":"0 0 443 sip.contoso.com."`, `"certificates":[{"role":"pool"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
	md := plan.Markdown(p, plan.Internal, plan.External)
	for _, want := range []string{"## Internal DNS", "| _sip._tls.contoso.com | SRV | 0 0 443 sip.contoso.com. |", "Subject: CN=sip.contoso.com", "(placeholder)"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestPowerShellScriptsSeparate: each view is a script of its own that says
// where it runs and where it must not, and neither holds the other view's
// names or addresses: the internal script run whole on the internal DNS
// never publishes the Access Edge's public address (issue 16, item 5).
func TestPowerShellScriptsSeparate(t *testing.T) {
	for _, in := range configs() {
		if refused(in) {
			continue
		}
		p, err := plan.Generate(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []plan.View{plan.Internal, plan.External} {
			script := plan.PowerShell(p.View(v))
			other := plan.Internal
			must := []string{"# Internal DNS: generated by sipdisco plan.", "# Run this script on a DNS server of the internal (Active Directory) DNS", "# Never run it on a DNS server that answers the Internet"}
			if v == plan.Internal {
				other = plan.External
			} else {
				must = []string{"# External (public) DNS: generated by sipdisco plan.", "# Run this script only on a Windows DNS server that answers the Internet", "# Never run it on the internal (Active Directory) DNS"}
			}
			for _, m := range append(must, "#Requires -Modules DnsServer") {
				if !strings.Contains(script, m) {
					t.Errorf("%s: the %s script lacks %q:\n%s", describe(in), v, m, script)
				}
			}
			mine := map[string]bool{}
			for _, r := range p.View(v).Records() {
				mine[r.Name] = true
				if r.Addr.IsValid() {
					mine[r.Addr.String()] = true
				}
			}
			for _, r := range p.View(other).Records() {
				if a := r.Addr; a.IsValid() && !mine[a.String()] && strings.Contains(script, "'"+a.String()+"'") {
					t.Errorf("%s: the %s script holds %s, an address of the %s view only", describe(in), v, a, other)
				}
				if !mine[r.Name] && strings.Contains(script, "-ZoneName '"+r.Zone+"' -Name '"+relName(r)+"' ") {
					t.Errorf("%s: the %s script publishes %s, a name of the %s view only", describe(in), v, r.Name, other)
				}
			}
		}
	}
}

func relName(r plan.Record) string {
	if r.Name == r.Zone {
		return "@"
	}
	return strings.TrimSuffix(r.Name, "."+r.Zone)
}

// TestTLSOnlyByDefault: _sipinternal._tcp is planned only when TCP is
// asked for (issue 16, item 6).
func TestTLSOnlyByDefault(t *testing.T) {
	for _, tcp := range []bool{false, true} {
		p, err := plan.Generate(plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"}, AllowTCP: tcp})
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(p.Internal.Records(), func(r plan.Record) bool { return r.Kind == plan.KindSRVInternalTCP })
		if got != tcp {
			t.Errorf("AllowTCP=%v: _sipinternal._tcp planned = %v", tcp, got)
		}
		if tcp {
			r := p.Internal.Records()[1]
			if r.Port != 5060 || !strings.Contains(r.Reason, "Office Communicator Sign-in and Discovery") || strings.Contains(r.Reason, "dd572514") {
				t.Errorf("the TCP record %s cites %q; want port 5060 and the sign-in and discovery document, which orders TLS before TCP", r.String(), r.Reason)
			}
		}
	}
}

// TestCertificateNames pins the names of every certificate of a plan with
// Front End servers, a Director, an Edge Server's internal interface, a
// Web Conferencing Edge and autodiscover, by role (issue 16, item 7):
// TechNet gg398094 (pool and server FQDNs, sip.<domain>), hh690044
// (lyncdiscover names on the Front End pool, the Director and the reverse
// proxy), gg413010 (the Edge's external names and its internal
// certificate).
func TestCertificateNames(t *testing.T) {
	p := twoDomains(t, func(in *plan.Input) {
		in.Pool.Members = []string{"fe01.contoso.com", "fe02.contoso.com"}
		in.Director.Members = []string{"dir01a.contoso.com"}
		in.WebConfEdge = "webconf.contoso.com"
		in.StrictNaming = true
	})
	type cert struct {
		Role    plan.Role
		Subject string
		Names   []string
	}
	var got []cert
	for _, c := range p.Certificates {
		cc := cert{c.Role, c.Subject, nil}
		for _, n := range c.Names {
			cc.Names = append(cc.Names, n.Name)
		}
		got = append(got, cc)
	}
	ad := []string{"lyncdiscoverinternal.contoso.com", "lyncdiscoverinternal.fabrikam.com", "lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"}
	want := []cert{
		{plan.RolePool, "pool01.contoso.com", append([]string{"pool01.contoso.com", "fe01.contoso.com"}, ad...)},
		{plan.RolePool, "pool01.contoso.com", append([]string{"pool01.contoso.com", "fe02.contoso.com"}, ad...)},
		{plan.RoleDirector, "dir01.contoso.com", append([]string{"dir01.contoso.com", "dir01a.contoso.com", "sip.contoso.com", "sip.fabrikam.com"}, ad...)},
		{plan.RoleEdge, "edge.contoso.com", []string{"edge.contoso.com", "webconf.contoso.com", "sip.contoso.com", "sip.fabrikam.com"}},
		{plan.RoleEdgeInternal, "edgeint.contoso.com", []string{"edgeint.contoso.com"}},
		{plan.RoleWebExternal, "webext.contoso.com", []string{"webext.contoso.com", "lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"}},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("certificates (-got +want):\n%s", diff)
	}
	// Each reason cites the page that says it, and only that.
	for _, c := range p.Certificates {
		for _, n := range c.Names {
			switch {
			case strings.Contains(n.Reason, "no Microsoft page"):
				t.Errorf("%s on %s: %q denies a source that exists (TechNet gg413010)", n.Name, c.Subject, n.Reason)
			case strings.HasPrefix(n.Name, "lyncdiscover") && (!strings.Contains(n.Reason, "hh690044") || strings.Contains(n.Reason, "gg398094")):
				t.Errorf("%s on %s: %q; want the mobility certificate page (hh690044), not gg398094, which says nothing of lyncdiscover", n.Name, c.Subject, n.Reason)
			case (c.Role == plan.RoleEdge || c.Role == plan.RoleEdgeInternal) && !strings.Contains(n.Reason, "gg413010"):
				t.Errorf("%s on %s: %q; want the Edge certificate page (gg413010)", n.Name, c.Subject, n.Reason)
			case (c.Role == plan.RolePool || c.Role == plan.RoleDirector) && !strings.HasPrefix(n.Name, "lyncdiscover") && !strings.Contains(n.Reason, "gg398094"):
				t.Errorf("%s on %s: %q; want the internal certificate page (gg398094)", n.Name, c.Subject, n.Reason)
			}
		}
	}
}

// TestEdgeFederationPortWarning: an Access Edge planned on 5061 is
// planned as given, with a warning that 5061 is the federation port.
func TestEdgeFederationPortWarning(t *testing.T) {
	for _, port := range []uint16{0, 443, 5061} {
		p, err := plan.Generate(plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"},
			Edge: plan.Server{FQDN: "sip.contoso.com"}, EdgePort: port})
		if err != nil {
			t.Fatal(err)
		}
		warned := slices.ContainsFunc(p.Warnings, func(w string) bool {
			return strings.Contains(w, "5061, the federation port") && strings.Contains(w, "443")
		})
		if warned != (port == 5061) {
			t.Errorf("EdgePort %d: warnings %q", port, p.Warnings)
		}
		if srv := p.External.Records()[0]; srv.Port != p.Input.EdgePort {
			t.Errorf("EdgePort %d: _sip._tls port %d", port, srv.Port)
		}
	}
}

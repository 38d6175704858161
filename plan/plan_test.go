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
				// No _sipinternal._tcp although TCP is allowed: the pool takes no client TCP.
				{"internal", "contoso.com", "sip.contoso.com", "A", "10.0.0.5"},
				{"internal", "contoso.com", "pool01.contoso.com", "A", "10.0.0.5"},
				{"external", "contoso.com", "_sip._tls.contoso.com", "SRV", "0 0 443 sip.contoso.com."},
				{"external", "contoso.com", "_sipfederationtls._tcp.contoso.com", "SRV", "0 0 5061 sip.contoso.com."},
				{"external", "contoso.com", "sip.contoso.com", "A", "203.0.113.10"},
			},
			certs: map[string][]string{
				"sip.contoso.com Edge external":   {"sip.contoso.com"},
				"pool01.contoso.com Default":      {"pool01.contoso.com", "sip.contoso.com"},
				"pool01.contoso.com Web internal": {"pool01.contoso.com"},
				"pool01.contoso.com Web external": {"pool01.contoso.com"},
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
				// With a Director, autodiscover leads to the Director.
				{"internal", "contoso.com", "lyncdiscoverinternal.contoso.com", "CNAME", "dir.contoso.com."},
				{"internal", "contoso.com", "dir.contoso.com", "A", "192.0.2.11"},
				// fabrikam.com, the second domain, in pin-point zones; an SRV
				// target is never a CNAME, whatever Alias says (RFC 2782),
				// nor is a pin-point zone's apex (RFC 1034).
				{"internal", "_sipinternaltls._tcp.fabrikam.com", "_sipinternaltls._tcp.fabrikam.com", "SRV", "0 0 5061 sip.fabrikam.com."},
				{"internal", "sip.fabrikam.com", "sip.fabrikam.com", "A", "192.0.2.11"},
				{"internal", "lyncdiscoverinternal.fabrikam.com", "lyncdiscoverinternal.fabrikam.com", "A", "192.0.2.11"},
				{"internal", "corp.example.net", "pool01.corp.example.net", "A", "192.0.2.10"},
				{"external", "contoso.com", "_sip._tls.contoso.com", "SRV", "0 0 5061 edge.contoso.com."},
				{"external", "contoso.com", "sip.contoso.com", "CNAME", "edge.contoso.com."},
				{"external", "contoso.com", "_sipfederationtls._tcp.contoso.com", "SRV", "0 0 5061 edge.contoso.com."},
				{"external", "contoso.com", "lyncdiscover.contoso.com", "CNAME", "web.contoso.com."},
				{"external", "contoso.com", "edge.contoso.com", "A", "203.0.113.10"},
				{"external", "contoso.com", "web.contoso.com", "A", "203.0.113.11"},
				{"external", "fabrikam.com", "_sip._tls.fabrikam.com", "SRV", "0 0 5061 sip.fabrikam.com."},
				{"external", "fabrikam.com", "sip.fabrikam.com", "A", "203.0.113.10"},
				{"external", "fabrikam.com", "_sipfederationtls._tcp.fabrikam.com", "SRV", "0 0 5061 sip.fabrikam.com."},
				{"external", "fabrikam.com", "lyncdiscover.fabrikam.com", "CNAME", "web.contoso.com."},
			},
			certs: map[string][]string{
				"pool01.corp.example.net Default":      {"pool01.corp.example.net"},
				"pool01.corp.example.net Web internal": {"pool01.corp.example.net", "lyncdiscoverinternal.contoso.com", "lyncdiscoverinternal.fabrikam.com"},
				"pool01.corp.example.net Web external": {"pool01.corp.example.net", "web.contoso.com", "lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"},
				"dir.contoso.com Default":              {"dir.contoso.com", "sip.fabrikam.com"},
				"dir.contoso.com Web internal":         {"dir.contoso.com", "lyncdiscoverinternal.contoso.com", "lyncdiscoverinternal.fabrikam.com"},
				"dir.contoso.com Web external":         {"dir.contoso.com", "lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"},
				"edge.contoso.com Edge external":       {"edge.contoso.com", "sip.contoso.com", "sip.fabrikam.com"},
				"web.contoso.com Reverse proxy":        {"web.contoso.com", "lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"},
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
					got[c.Subject+" "+c.Use] = append(got[c.Subject+" "+c.Use], n.Name)
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

; internal clients of every profile ask _sipinternaltls._tcp.contoso.com first and sign in to its target over TLS on port 5061; Microsoft: "Create only one SRV record for the designated server or pool" (DNS requirements for automatic client sign-in in Lync Server 2013; Office Communicator Sign-in and Discovery)
_sipinternaltls._tcp	600	IN	SRV	0 0 5061 sip.contoso.com.

; strict naming (Office Communicator's EnableStrictDNSNaming policy; for Lync and Skype for Business, a policy requiring strict DNS matching, as the DisableStrictDNSNaming policy text reads) accepts only contoso.com and sip.contoso.com as the target of _sipinternaltls._tcp.contoso.com, so sip.contoso.com stands for pool01.contoso.com; as an SRV target it is a host record, never a CNAME (RFC 2782; Office Communicator Sign-in and Discovery; Certificate requirements for internal servers in Lync Server 2013)
sip	600	IN	A	10.0.0.5
sip	600	IN	AAAA	2001:db8::5

; host record of the Front End pool (or Standard Edition server) (DNS requirements for Front End pools in Lync Server 2013)
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
	script := plan.PowerShell(p.Internal)
	var got []string
	for _, l := range strings.Split(script, "\n") {
		if strings.HasPrefix(l, "    [pscustomobject]@{ Zone = ") {
			got = append(got, strings.TrimSpace(l))
		}
	}
	want := []string{
		"[pscustomobject]@{ Zone = 'fabrikam.com'; Name = '_sipinternaltls._tcp'; Type = 'SRV'; Data = '0 0 5061 sip.fabrikam.com.'; Ttl = '1.01:00:00'; Placeholder = $false }",
		// sip.fabrikam.com is the SRV target: host records, not the CNAME asked for.
		"[pscustomobject]@{ Zone = 'fabrikam.com'; Name = 'sip'; Type = 'A'; Data = '10.0.0.5'; Ttl = '1.01:00:00'; Placeholder = $false }",
		"[pscustomobject]@{ Zone = 'fabrikam.com'; Name = 'sip'; Type = 'AAAA'; Data = '2001:db8::5'; Ttl = '1.01:00:00'; Placeholder = $false }",
		"[pscustomobject]@{ Zone = 'fabrikam.com'; Name = 'lyncdiscoverinternal'; Type = 'CNAME'; Data = 'pool01.contoso.com.'; Ttl = '1.01:00:00'; Placeholder = $false }",
		"[pscustomobject]@{ Zone = 'contoso.com'; Name = 'pool01'; Type = 'A'; Data = '10.0.0.5'; Ttl = '1.01:00:00'; Placeholder = $false }",
		"[pscustomobject]@{ Zone = 'contoso.com'; Name = 'pool01'; Type = 'AAAA'; Data = '2001:db8::5'; Ttl = '1.01:00:00'; Placeholder = $false }",
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("PowerShell records (-got +want):\n%s", diff)
	}
	// Each cmdlet takes the parameter set of its type.
	for _, want := range []string{
		"Add-DnsServerResourceRecord @common -A -IPv4Address $r.Data",
		"Add-DnsServerResourceRecord @common -AAAA -IPv6Address $r.Data",
		"Add-DnsServerResourceRecord @common -CName -HostNameAlias $r.Data",
		"Add-DnsServerResourceRecord @common -Srv -Priority ([int]$f[0]) -Weight ([int]$f[1]) -Port ([int]$f[2]) -DomainName $f[3]",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("the script lacks %q", want)
		}
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
	wantRow := []string{"internal", "contoso.com", "_sipinternaltls._tcp.contoso.com", "SRV", "3600", "0", "0", "5061", "0 0 5061 pool01.contoso.com.", "false", p.Internal.Records()[0].Needs, p.Internal.Records()[0].Reason}
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
	for _, want := range []string{"## Internal DNS", "| contoso.com | _sip._tls.contoso.com | SRV | 0 0 443 sip.contoso.com. | sign-in outside: every client |", "Subject: CN=sip.contoso.com", "(placeholder)"} {
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

// TestNoClientTCPRecord: _sipinternal._tcp is never planned, with or
// without --tcp, since Lync Server and Skype for Business Server pools
// take no client SIP over TCP; with --tcp a note says why (issue 24).
func TestNoClientTCPRecord(t *testing.T) {
	for _, tcp := range []bool{false, true} {
		p, err := plan.Generate(plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "pool01.contoso.com"}, AllowTCP: tcp})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range slices.Concat(p.Internal.Records(), p.External.Records()) {
			if strings.HasPrefix(r.Name, "_sipinternal._tcp.") {
				t.Errorf("AllowTCP=%v: %s planned", tcp, r.String())
			}
		}
		noted := slices.ContainsFunc(p.Notes, func(n string) bool {
			return strings.Contains(n, "no _sipinternal._tcp record is published") && strings.Contains(n, "Port and protocol requirements for servers")
		})
		if noted != tcp {
			t.Errorf("AllowTCP=%v: the note on client TCP given = %v", tcp, noted)
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
		in.Pool.Addresses = []string{"10.0.0.10", "10.0.0.11"}
		in.WebInternal = plan.Server{FQDN: "webint.contoso.com"}
		in.Director.Members = []string{"dir01a.contoso.com"}
		in.DirectorWebExternal = "webdirext.contoso.com"
		in.WebConfEdge = "webconf.contoso.com"
		in.SimpleURLs = true
		in.OfficeOnline = plan.Server{FQDN: "oos.contoso.com"}
		in.StrictNaming = true
	})
	type cert struct {
		Role         plan.Role
		Use, Subject string
		Names        []string
	}
	var got []cert
	for _, c := range p.Certificates {
		cc := cert{c.Role, c.Use, c.Subject, nil}
		for _, n := range c.Names {
			cc.Names = append(cc.Names, n.Name)
		}
		got = append(got, cc)
	}
	adInt := []string{"lyncdiscoverinternal.contoso.com", "lyncdiscoverinternal.fabrikam.com"}
	adExt := []string{"lyncdiscover.contoso.com", "lyncdiscover.fabrikam.com"}
	simpleInt := []string{"meet.contoso.com", "meet.fabrikam.com", "dialin.contoso.com", "admin.contoso.com"}
	simpleExt := []string{"meet.contoso.com", "meet.fabrikam.com", "dialin.contoso.com"}
	web := func(server, int string) []string { return slices.Concat([]string{server, int}, simpleInt, adInt) }
	webx := func(server, ext string) []string { return slices.Concat([]string{server, ext}, simpleExt, adExt) }
	want := []cert{
		// Each Front End server: Default (pool FQDN, its own), Web internal
		// and Web external (Certificate requirements for internal servers).
		{plan.RolePool, plan.UseDefault, "pool01.contoso.com", []string{"pool01.contoso.com", "fe01.contoso.com"}},
		{plan.RolePool, plan.UseWebInternal, "fe01.contoso.com", web("fe01.contoso.com", "webint.contoso.com")},
		{plan.RolePool, plan.UseWebExternal, "fe01.contoso.com", webx("fe01.contoso.com", "webext.contoso.com")},
		{plan.RolePool, plan.UseDefault, "pool01.contoso.com", []string{"pool01.contoso.com", "fe02.contoso.com"}},
		{plan.RolePool, plan.UseWebInternal, "fe02.contoso.com", web("fe02.contoso.com", "webint.contoso.com")},
		{plan.RolePool, plan.UseWebExternal, "fe02.contoso.com", webx("fe02.contoso.com", "webext.contoso.com")},
		// The Director signs clients in: sip.<domain> under strict naming.
		{plan.RoleDirector, plan.UseDefault, "dir01.contoso.com", []string{"dir01.contoso.com", "dir01a.contoso.com", "sip.contoso.com", "sip.fabrikam.com"}},
		{plan.RoleDirector, plan.UseWebInternal, "dir01a.contoso.com", web("dir01a.contoso.com", "dir01.contoso.com")},
		{plan.RoleDirector, plan.UseWebExternal, "dir01a.contoso.com", webx("dir01a.contoso.com", "webdirext.contoso.com")},
		{plan.RoleEdge, plan.UseEdgeExternal, "edge.contoso.com", []string{"edge.contoso.com", "webconf.contoso.com", "sip.contoso.com", "sip.fabrikam.com"}},
		{plan.RoleEdgeInternal, plan.UseEdgeInternal, "edgeint.contoso.com", []string{"edgeint.contoso.com"}},
		{plan.RoleWebExternal, plan.UseReverseProxy, "webext.contoso.com", slices.Concat([]string{"webext.contoso.com", "webdirext.contoso.com"}, simpleExt, []string{"oos.contoso.com"}, adExt)},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("certificates (-got +want):\n%s", diff)
	}
	// Each reason cites, by title, the page that says it.
	for _, c := range p.Certificates {
		for _, n := range c.Names {
			var page string
			switch {
			case strings.HasPrefix(n.Name, "lyncdiscover"):
				page = "Certificate requirements for mobility in Lync Server 2013"
			case c.Role == plan.RoleEdge || c.Role == plan.RoleEdgeInternal:
				page = "Plan for Edge Server certificates in Lync Server 2013"
			case c.Use == plan.UseReverseProxy:
				page = "reverse HTTP proxy in Lync Server 2013"
			case slices.Contains(simpleInt, n.Name):
				page = "Planning for simple URLs in Lync Server 2013"
			case n.Name == c.Subject:
				page = "RFC 2818"
			default:
				page = "Certificate requirements for internal servers in Lync Server 2013"
			}
			if !strings.Contains(n.Reason, page) {
				t.Errorf("%s on %s (%s): %q; want it to cite %q", n.Name, c.Subject, c.Use, n.Reason, page)
			}
			if strings.Contains(n.Reason, "subject or subject alternative name") {
				t.Errorf("%s on %s: %q; a SAN list overrides the subject", n.Name, c.Subject, n.Reason)
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
		if srv := p.External.Records()[0]; srv.Port != p.Input.EdgePort || srv.Kind != plan.KindSRVExternalTLS {
			t.Errorf("EdgePort %d: _sip._tls port %d", port, srv.Port)
		}
	}
}

package check

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

func TestPlanRoundTrip(t *testing.T) {
	for _, p := range []PlanOptions{
		{Domains: "contoso.com, fabrikam.com", Pool: "pool01.contoso.com", PoolIP: "10.0.0.10", Edge: "sip.contoso.com:443",
			Profiles: []string{"lync-2013"}, Strict: true},
		{Domains: "contoso.com", Pool: "", Director: "dir.contoso.com", WebInternal: "webint.contoso.com", WebExternal: "webext.contoso.com",
			Profiles: []string{"communicator-2007-r2", "communicator-2007", "lync-2010", "lync-2013"}, AllowTCP: true},
	} {
		q := p.Query()
		got, ok, err := ParsePlan(q)
		if err != nil || !ok {
			t.Fatalf("ParsePlan(%q) = %v, %v", q, ok, err)
		}
		if d := cmp.Diff(got, p); d != "" {
			t.Errorf("ParsePlan(%q) (-got +want):\n%s", q, d)
		}
	}
}

func TestParsePlanErrors(t *testing.T) {
	for _, tt := range []struct{ q, want string }{
		{"?domains=a.com&profiles=lync-3000", "profile"},
		{"?domains=a.com&tcp=maybe", `"tcp"`},
		{"?domains=a.com&domains=b.com", "2 times"},
		{"?domains=" + strings.Repeat("a", MaxField+1), "longer"},
	} {
		if _, _, err := ParsePlan(tt.q); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePlan(%.40q) error = %v; want it to mention %s", tt.q, err, tt.want)
		}
	}
	if _, ok, err := ParsePlan("?uri=bob@contoso.com"); ok || err != nil {
		t.Errorf("ParsePlan of an analyzer link = %v, %v; want not ok, no error", ok, err)
	}
}

func TestPlanErrorMessage(t *testing.T) {
	for field, want := range map[string][2]string{
		"domains[2]":        {"--domain (domains[2]): bad", "SIP domains: bad"},
		"pool.fqdn":         {"--pool (pool.fqdn): bad", "Front End pool: bad"},
		"pool.addresses[0]": {"--pool-ip (pool.addresses[0]): bad", "Pool addresses: bad"},
		"edgePort":          {"--edge (edgePort): bad", "Access Edge: bad"},
		"webExternal.fqdn":  {"--web-external (webExternal.fqdn): bad", "External web services: bad"},
		"profiles[1]":       {"--profile (profiles[1]): bad", "Clients: bad"},
		"alias":             {"--alias (alias): bad", "sip.<domain> aliases: bad"},
		"other":             {"other: bad", "other: bad"},
	} {
		err := &plan.FieldError{Field: field, Msg: "bad"}
		if got := PlanErrorMessage(err, true); got != want[0] {
			t.Errorf("PlanErrorMessage(%s, flags) = %q; want %q", field, got, want[0])
		}
		if got := PlanErrorMessage(err, false); got != want[1] {
			t.Errorf("PlanErrorMessage(%s, labels) = %q; want %q", field, got, want[1])
		}
	}
}

// TestBindPlan: the plan's flags fill PlanOptions as the form does.
func TestBindPlan(t *testing.T) {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	p := PlanDefaults()
	BindPlan(fs, &p)
	err := fs.Parse([]string{"--domain", "contoso.com", "--domain", "fabrikam.com,tailspin.com", "--pool", "pool01.contoso.com",
		"--pool-ip", "10.0.0.5", "--pool-ip", "10.0.0.6", "--edge", "sip.contoso.com:443", "--profile", "lync-2013", "--strict", "--no-tcp",
		"--alias", "cname", "--ttl", "300", "--web-internal-ip", "10.0.0.9"})
	if err != nil {
		t.Fatal(err)
	}
	want := PlanOptions{Domains: "contoso.com,fabrikam.com,tailspin.com", Pool: "pool01.contoso.com", PoolIP: "10.0.0.5,10.0.0.6",
		Edge: "sip.contoso.com:443", Profiles: []string{"lync-2013"}, Strict: true, Alias: "cname", TTL: "300", WebInternalIP: "10.0.0.9"}
	if diff := cmp.Diff(p, want); diff != "" {
		t.Errorf("BindPlan (-got +want):\n%s", diff)
	}
	in, err := p.Input()
	if err != nil || in.TTL != 300 || in.Alias != plan.AliasCNAME || len(in.Domains) != 3 || len(in.WebInternal.Addresses) != 1 {
		t.Errorf("Input() = %+v, %v", in, err)
	}
}

func TestPlanOptionsInput(t *testing.T) {
	tests := []struct {
		name    string
		in      PlanOptions
		want    plan.Input
		wantErr string
	}{
		{"lists and edge port",
			PlanOptions{Domains: " contoso.com,fabrikam.com\nlitware.com ", Pool: " pool01.contoso.com ", PoolIP: "10.0.0.10; 10.0.0.11",
				Edge: "sip.contoso.com:5061", Profiles: []string{"lync-2013"}, Strict: true, AllowTCP: true},
			plan.Input{Domains: []string{"contoso.com", "fabrikam.com", "litware.com"},
				Pool: plan.Server{FQDN: "pool01.contoso.com", Addresses: []string{"10.0.0.10", "10.0.0.11"}},
				Edge: plan.Server{FQDN: "sip.contoso.com"}, EdgePort: 5061,
				Profiles: []string{"lync-2013"}, StrictNaming: true, AllowTCP: true}, ""},
		{"edge without port", PlanOptions{Domains: "contoso.com", Pool: "p.contoso.com", Edge: "edge.contoso.com", Profiles: []string{"lync-2010"}},
			plan.Input{Domains: []string{"contoso.com"}, Pool: plan.Server{FQDN: "p.contoso.com"}, Edge: plan.Server{FQDN: "edge.contoso.com"}, EdgePort: 443, Profiles: []string{"lync-2010"}}, ""},
		{"bad edge port", PlanOptions{Domains: "contoso.com", Pool: "p.contoso.com", Edge: "edge.contoso.com:99999", Profiles: []string{"lync-2010"}}, plan.Input{}, "edge.fqdn"},
		{"no profile", PlanOptions{Domains: "contoso.com", Pool: "p.contoso.com"}, plan.Input{}, "profiles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Input()
			if tt.wantErr != "" {
				var fe *plan.FieldError
				if !errors.As(err, &fe) || fe.Field != tt.wantErr {
					t.Fatalf("Input() error = %v; want a FieldError for %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Input() error = %v", err)
			}
			if d := cmp.Diff(got, tt.want); d != "" {
				t.Errorf("Input() (-got +want):\n%s", d)
			}
		})
	}
}

func TestPlanErrorMessageLabels(t *testing.T) {
	in, _ := PlanOptions{Domains: "contoso..com", PoolIP: "10.0.0.1", Profiles: []string{"lync-2013"}}.Input()
	_, err := plan.Generate(in)
	if err == nil {
		t.Fatal("Generate accepted a plan without a pool")
	}
	got := PlanErrorMessage(err, false)
	for _, want := range []string{"SIP domains: ", "Front End pool: required"} {
		if !strings.Contains(got, want) {
			t.Errorf("PlanErrorMessage = %q; want it to contain %q", got, want)
		}
	}
}

func TestPlanFiles(t *testing.T) {
	p, err := PlanOptions{Domains: "contoso.com, fabrikam.com", Pool: "pool01.contoso.com", Edge: "sip.contoso.com", Profiles: []string{"lync-2013"}}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	files, err := PlanFiles(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{PlanZoneFile(plan.Internal, "contoso.com"), PlanZoneFile(plan.External, "fabrikam.com"), PlanScriptFile(plan.Internal),
		PlanCSVFile, PlanCertificatesFile, PlanMarkdownFile, PlanJSONFile} {
		if files[name] == "" {
			t.Errorf("PlanFiles lacks %s", name)
		}
	}
	for _, z := range PlanZones(p, plan.External) {
		if files[z.Name] != z.Text || !strings.Contains(z.Text, "$ORIGIN "+z.Origin+".") {
			t.Errorf("PlanZones %s does not match the file of its name", z.Name)
		}
	}
}

// planResolvers loads each view's generated zones of p.
func planResolvers(t *testing.T, p *plan.Plan) map[plan.View]engine.Resolver {
	t.Helper()
	out := map[plan.View]engine.Resolver{}
	for _, v := range []plan.View{plan.Internal, plan.External} {
		set := &zone.Set{}
		for _, z := range PlanZones(p, v) {
			if err := set.Add(z.Origin, z.Text, z.Name); err != nil {
				t.Fatal(err)
			}
		}
		out[v] = set
	}
	return out
}

// TestPlanGlance: a plan's at-a-glance rows say, for every client
// generation the plan checks, what plan.Verify's discovery says in that
// view (one verdict per zone, as issue 21 item 6 asks), for plans with
// and without strict naming, TCP, an Edge and autodiscover names; and
// with fewer profiles selected, Unplanned gives the others.
func TestPlanGlance(t *testing.T) {
	for _, po := range []PlanOptions{
		{Domains: "contoso.com, fabrikam.com", Pool: "pool01.contoso.com", Edge: "edge.contoso.com:443"},
		{Domains: "contoso.com", Pool: "pool01.contoso.com", Edge: "sip.contoso.com", Strict: true, AllowTCP: true},
		{Domains: "contoso.com", Pool: "pool01.contoso.com", Director: "dir.contoso.com", WebInternal: "webint.contoso.com", WebExternal: "webext.contoso.com"},
	} {
		po.Profiles = PlanDefaults().Profiles
		p, err := po.Generate()
		if err != nil {
			t.Fatal(err)
		}
		res := planResolvers(t, p)
		ver, err := plan.Verify(context.Background(), p, res)
		if err != nil {
			t.Fatal(err)
		}
		glance, err := PlanGlance(context.Background(), p, res)
		if err != nil {
			t.Fatal(err)
		}
		if len(glance) != 2*len(p.Input.Domains) {
			t.Fatalf("%s: %d view and domain rows; want %d", po.Query(), len(glance), 2*len(p.Input.Domains))
		}
		matched := 0
		for _, g := range glance {
			if len(g.Rows) != 5 || len(g.Unplanned(p)) != 0 {
				t.Errorf("%s %s: %d rows, %d unplanned; want 5 and none (every profile selected)", g.View, g.Domain, len(g.Rows), len(g.Unplanned(p)))
			}
			for _, row := range g.Rows {
				for _, r := range ver.Results {
					if r.View != g.View || r.Domain != g.Domain || r.Profile != row.Profile {
						continue
					}
					matched++
					target := ""
					if r.Target != nil {
						target = r.Target.Endpoint()
					}
					if row.Outcome != r.Outcome || row.Target != target {
						t.Errorf("%s %s %s: row %s %s; plan --check %s %s", g.View, g.Domain, row.Profile, row.Outcome, row.Target, r.Outcome, target)
					}
				}
			}
		}
		if matched != len(glance)*5 {
			t.Errorf("%s: %d rows compared; want %d", po.Query(), matched, len(glance)*5)
		}
	}

	po := PlanOptions{Domains: "contoso.com", Pool: "pool01.contoso.com", Profiles: []string{"skype-2016", "lync-2013"}}
	p, err := po.Generate()
	if err != nil {
		t.Fatal(err)
	}
	glance, err := PlanGlance(context.Background(), p, planResolvers(t, p))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range glance[0].Unplanned(p) {
		got = append(got, row.Profile)
	}
	if diff := cmp.Diff(got, []string{"communicator-2007-r2", "communicator-2007", "lync-2010"}); diff != "" {
		t.Errorf("Unplanned (-got +want):\n%s", diff)
	}
}

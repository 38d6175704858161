package plan

import (
	"context"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// TestConsultantPlanVerifies: the consultant's deployment, with each
// zone style and naming, loads, connects every profile as planned and
// keeps every rule; it publishes each record the consultant found
// missing (issue 24), each with what needs it.
func TestConsultantPlanVerifies(t *testing.T) {
	for _, zones := range []ZoneStyle{ZonesAuto, ZonesWhole, ZonesPinPoint} {
		for _, strict := range []bool{false, true} {
			in := consultantInput()
			in.InternalZones, in.StrictNaming = zones, strict
			p, err := Generate(in)
			if err != nil {
				t.Fatal(err)
			}
			res := map[View]engine.Resolver{}
			for _, vp := range []ViewPlan{p.Internal, p.External} {
				set := new(zone.Set)
				for _, z := range vp.Zones {
					if err := set.Add(z.Origin, BIND(vp.View, z, p.Input.TTL), z.Origin+".zone"); err != nil {
						t.Fatalf("%s %s: %v", zones, z.Origin, err)
					}
				}
				res[vp.View] = set
			}
			ver, err := Verify(context.Background(), p, res)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range ver.Results {
				if !r.OK {
					t.Errorf("%s strict=%v: %s %s %s: %s", zones, strict, r.View, r.Domain, r.Profile, r.Problem)
				}
			}
			for _, r := range ver.Rules {
				if !r.OK {
					t.Errorf("%s strict=%v: rule %s %s %s: %s", zones, strict, r.Rule, r.View, r.Name, r.Problem)
				}
			}
			has := func(v View, name string, k Kind) {
				t.Helper()
				for _, r := range p.View(v).Records() {
					if r.Name == name && r.Kind == k {
						if r.Needs == "" {
							t.Errorf("%s %s says nothing of what needs it", v, name)
						}
						return
					}
				}
				t.Errorf("%s strict=%v: no %s record %s in the %s DNS", zones, strict, k, name, v)
			}
			for _, d := range in.Domains {
				has(External, "_sipfederationtls._tcp."+d, KindSRVFederation)
				has(External, "_xmpp-server._tcp."+d, KindSRVXMPP)
				has(External, "meet."+d, KindSimpleURL)
				has(Internal, "meet."+d, KindSimpleURL)
			}
			has(External, "webconf.contoso.com", KindEdgeService)
			has(External, "av.contoso.com", KindEdgeService)
			has(External, "dialin.contoso.com", KindSimpleURL)
			has(Internal, "admin.contoso.com", KindSimpleURL)
			has(Internal, "pool01.contoso.com", KindPoolMember)
			has(Internal, "fe01.contoso.com", KindHost)
			has(Internal, "fe02.contoso.com", KindHost)
			has(External, "webdirext.contoso.com", KindWebServices)
			for _, r := range p.External.Records() {
				if strings.HasPrefix(r.Name, "admin.") {
					t.Errorf("the admin simple URL is published outside: %s", r.String())
				}
			}
			n := 0
			for _, r := range p.Internal.Records() {
				if r.Name == "pool01.contoso.com" {
					n++
				}
			}
			if n != 2 {
				t.Errorf("pool01.contoso.com has %d A records; want one per Front End server", n)
			}
			// Autodiscover through the Director.
			for _, r := range p.Internal.Records() {
				if strings.HasPrefix(r.Name, "lyncdiscoverinternal.") && r.Type == engine.TypeCNAME && r.Target != "webdirint.contoso.com" {
					t.Errorf("%s leads to %s; want the Director's web services", r.Name, r.Target)
				}
			}
			for _, r := range p.External.Records() {
				if strings.HasPrefix(r.Name, "lyncdiscover.") && r.Type == engine.TypeCNAME && r.Target != "webdirext.contoso.com" {
					t.Errorf("%s leads to %s; want the Director's external web services", r.Name, r.Target)
				}
			}
			pin := 0
			for _, z := range p.Internal.Zones {
				if z.PinPoint {
					pin++
					if strings.HasSuffix(z.Origin, ".contoso.com") && zones == ZonesAuto {
						t.Errorf("auto: %s, of the first domain, is a pin-point zone", z.Origin)
					}
				}
			}
			if (pin == 0) != (zones == ZonesWhole) {
				t.Errorf("%s: %d pin-point zones", zones, pin)
			}
		}
	}
}

//go:build !js

package dnstest_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
	"github.com/sipdisco/sipdisco/resolve/plain"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// TestViewsAgree loads each view into nsd and into our zone resolver and
// asks both every question discovery could ask: a real server and the
// zone file must give the same answers, so that a scenario reads the same
// through --zone and through a server.
func TestViewsAgree(t *testing.T) {
	var qs []engine.Question
	for _, h := range []string{"sipinternal", "sipexternal", "sip", "lyncdiscover", "lyncdiscoverinternal", "pool01", "nothere"} {
		for _, ty := range []engine.Type{engine.TypeA, engine.TypeAAAA} {
			qs = append(qs, engine.Question{Name: h + "." + dnstest.Domain, Type: ty})
		}
	}
	for _, s := range []string{"_sipinternaltls._tcp", "_sipinternal._tcp", "_sip._tls", "_sipinternaltls._tcp.big"} {
		qs = append(qs, engine.Question{Name: s + "." + dnstest.Domain, Type: engine.TypeSRV})
	}
	for name, text := range map[string]string{
		"internal": dnstest.InternalView, "external": dnstest.ExternalView,
		"leaky external": dnstest.LeakyExternalView, "wildcard": dnstest.WildcardView,
	} {
		t.Run(name, func(t *testing.T) {
			srv := dnstest.StartNSD(t, dnstest.Zone{Origin: dnstest.Domain, Text: text})
			c, err := plain.New(srv.Addr)
			if err != nil {
				t.Fatal(err)
			}
			set, err := zone.Parse(dnstest.Domain, text, name+".zone")
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range qs {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				got, err := c.Resolve(ctx, q)
				cancel()
				if err != nil {
					t.Fatalf("nsd: %v: %v\n%s", q, err, srv.Log())
				}
				want, err := set.Resolve(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(sorted(got), sorted(want)); diff != "" {
					t.Errorf("%v: nsd and the zone file differ (-nsd +zone):\n%s", q, diff)
				}
			}
		})
	}
}

func sorted(a engine.Answer) []string {
	out := []string{a.RCode.String()}
	for _, r := range a.Records {
		out = append(out, r.String())
	}
	slices.Sort(out[1:])
	return out
}

// TestViewsSay checks that each view says what its documentation
// promises.
func TestViewsSay(t *testing.T) {
	ask := func(text string, q engine.Question) engine.Answer {
		s, err := zone.Parse(dnstest.Domain, text, "")
		if err != nil {
			t.Fatal(err)
		}
		a, _ := s.Resolve(context.Background(), q)
		return a
	}
	srv := func(prefix string) engine.Question {
		return engine.Question{Name: prefix + "." + dnstest.Domain, Type: engine.TypeSRV}
	}
	a := func(host string) engine.Question {
		return engine.Question{Name: host + "." + dnstest.Domain, Type: engine.TypeA}
	}
	if got := ask(dnstest.ExternalView, srv("_sipinternaltls._tcp")); got.RCode != engine.RCodeNameError {
		t.Errorf("external view has _sipinternaltls._tcp: %v", got)
	}
	if got := ask(dnstest.LeakyExternalView, srv("_sipinternaltls._tcp")); len(got.Records) != 1 {
		t.Errorf("leaky external view lacks _sipinternaltls._tcp: %v", got)
	}
	if got := ask(dnstest.WildcardView, a("sipinternal")); len(got.Records) != 1 || got.Records[0].Addr.String() != "203.0.113.99" {
		t.Errorf("wildcard view: sipinternal A = %v; want the wildcard's address", got)
	}
	if got := ask(dnstest.WildcardView, srv("_sip._tls")); got.RCode != engine.RCodeSuccess || len(got.Records) != 0 {
		t.Errorf("wildcard view: _sip._tls SRV = %v; want NODATA", got)
	}
	if got := ask(dnstest.InternalView, srv("_sipinternaltls._tcp.big")); len(got.Records) != 40 {
		t.Errorf("internal view: %d records in the big set; want 40", len(got.Records))
	}
	if !strings.Contains(dnstest.ParentZone, "contoso  IN NS") {
		t.Error("ParentZone does not delegate contoso")
	}
}

package domainreport_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
	"github.com/sipdisco/sipdisco/resolve/plain"
)

// TestRealServer asks a real authoritative server (nsd, on loopback) for
// several domains in one run, as sipdisco domain does through plain DNS:
// the states of TestReportStates come out the same through a real
// server's wire answers (an out-of-zone CNAME answered without its
// target's records, a wildcard synthesised by the server itself), and
// each domain takes two rounds.
func TestRealServer(t *testing.T) {
	var zones []dnstest.Zone
	var domains []string
	for _, c := range cases {
		if c.view != "" {
			continue
		}
		d := c.name + ".test"
		domains = append(domains, d)
		zones = append(zones, dnstest.Zone{Origin: d, Text: strings.Replace(c.zone, "@ NS ns1", "@ NS ns1."+d+".", 1)})
	}
	srv := dnstest.StartNSD(t, zones...)
	client, err := plain.New(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	reps, err := domainreport.CheckAll(ctx, domains, func(string) engine.Config {
		return engine.Config{Resolver: client, View: engine.ViewOutside}
	}, len(domains))
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for _, c := range cases {
		if c.view != "" {
			continue
		}
		rep := reps[i]
		i++
		var kinds []engine.Kind
		for _, f := range rep.Findings {
			kinds = append(kinds, f.Kind)
		}
		if rep.TeamsOnly.Ready != c.ready || rep.Federation.Outcome != c.federation || !slices.Equal(kinds, c.kinds) {
			t.Errorf("%s through nsd: ready %v, federation %s, findings %v; want %v, %s, %v\n%s", rep.Domain,
				rep.TeamsOnly.Ready, rep.Federation.Outcome, kinds, c.ready, c.federation, c.kinds, srv.Log())
		}
		for prefix, want := range c.points {
			for _, r := range rep.Records {
				if r.Name == prefix+"."+rep.Domain && r.Points != want {
					t.Errorf("%s through nsd points %s, want %s (%v)", r.Name, r.Points, want, r.Answers)
				}
			}
		}
		for _, s := range rep.Steps {
			if s.Round > 2 {
				t.Errorf("%s: round %d", rep.Domain, s.Round)
			}
		}
	}
}

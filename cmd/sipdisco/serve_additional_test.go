//go:build !js

package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/engine"
)

// TestServeDemoOneRound checks a demo address over DoH from what serve
// answers /dns-query with (its resolver, the demo zones): the SRV answer
// carries its target's address in the additional section, as nsd's does,
// so discovery needs one round trip, and the report says which step was
// read from that section (issue 27).
func TestServeDemoOneRound(t *testing.T) {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	o.register(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	res, what, public, err := o.resolver()
	if err != nil || !public {
		t.Fatalf("resolver() = %s, public %v, %v; want the demo zones", what, public, err)
	}
	srv := httptest.NewServer(server.NewHandler(res, server.HandlerOptions{Authoritative: true}))
	defer srv.Close()
	c, err := dohclient.New(srv.URL+"/dns-query", dohclient.HTTPRoundTrip(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	u, err := engine.ParseURI("bob@healthy.example")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := engine.Discover(context.Background(), u, engine.Config{Resolver: c, Policy: engine.DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != engine.OutcomeConnect {
		t.Fatalf("outcome %s; want connect", rep.Outcome)
	}
	rounds, from := 0, 0
	var steps []string
	for _, s := range rep.Steps {
		rounds = max(rounds, s.Round)
		if s.From != "" {
			from++
		}
		steps = append(steps, fmt.Sprintf("round %d: %s %s (from %q)", s.Round, s.Question, s.Type, s.From))
	}
	if rounds != 1 || from == 0 {
		t.Errorf("%d rounds, %d steps from an additional section; want 1 round, the target's address from the SRV answer:\n%s", rounds, from, strings.Join(steps, "\n"))
	}
}

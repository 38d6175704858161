//go:build !js

package main

import (
	"context"

	"github.com/sipdisco/sipdisco/cmd/sipdisco/internal/prober"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/check"
)

// probeServers is check.Env.Probe on the command line: the prober, with
// the system's roots and the check's CA, one time limit for every stage
// when --connect-timeout gives one.
func probeServers(ctx context.Context, r check.ProbeRequest) (engine.Probe, error) {
	o := prober.Options{Address: r.Address, Client: r.Client, Candidates: r.Candidates, AllowTCP: r.AllowTCP, All: r.All,
		CA: r.CA, CALabel: r.CALabel, Resolver: r.Resolver}
	if r.Timeout > 0 {
		o.ConnectTimeout, o.HandshakeTimeout, o.ResponseTimeout = r.Timeout, r.Timeout, r.Timeout
	}
	return prober.Probe(ctx, o)
}

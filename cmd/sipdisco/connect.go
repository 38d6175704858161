//go:build !js

package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/cmd/sipdisco/internal/prober"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/probe"
)

// probeServers is check.Env.Probe on the command line: the prober, with
// the system's roots and the --ca file's, one time limit for every stage
// when --connect-timeout gives one and for the whole probe when
// --connect-deadline does, then the comparison with the
// simulated exchange (probe.Compare), whose findings join the probe's.
func probeServers(ctx context.Context, r check.ProbeRequest) (engine.Probe, error) {
	o, err := proberOptions(ctx, r.Resolver, r.CA, r.Timeout, r.Deadline)
	if err != nil {
		return engine.Probe{}, err
	}
	o.Address, o.Client, o.Candidates, o.AllowTCP, o.All = r.Address, r.Client, r.Candidates, r.AllowTCP, r.All
	res, err := prober.Probe(ctx, o)
	if err != nil {
		return engine.Probe{}, err
	}
	res.Findings = append(res.Findings, probe.Compare(res, r.Simulated)...)
	return res, nil
}

// proberOptions are the prober's options every observation shares: the
// resolver for the addresses it still needs, the --ca file's roots, one
// time limit for every stage of a connection (when timeout is set) and
// one for the whole observation, and the test's dialFunc, if the context
// carries one.
func proberOptions(ctx context.Context, resolver engine.Resolver, ca check.CAFile, timeout, deadline time.Duration) (prober.Options, error) {
	o := prober.Options{Resolver: resolver, Deadline: deadline}
	if d, ok := ctx.Value(dialKey{}).(dialFunc); ok {
		o.Dial = d
	}
	pool, err := caPool(ca)
	if err != nil {
		return prober.Options{}, err
	}
	if pool != nil {
		o.CA, o.CALabel = pool, ca.Label()
	}
	if timeout > 0 {
		o.ConnectTimeout, o.HandshakeTimeout, o.ResponseTimeout = timeout, timeout, timeout
	}
	return o, nil
}

// dialFunc opens a TCP connection to an address ("127.0.0.1:443").
type dialFunc = func(ctx context.Context, network, address string) (net.Conn, error)

// dialKey is the context key of the dialFunc the prober connects
// through in place of a net.Dialer. Only tests set it, to reach servers
// on loopback ports of their own where the client connects to 443 and
// 80 (the Autodiscover web service); the addresses asked are still the
// ones the check's resolver gave, and everything above TCP (TLS, HTTP,
// SIP) is the command line's own code.
type dialKey struct{}

// caPool reads a --ca file's certificates; nil when none was given. The
// error is an *check.InputError naming the file.
func caPool(ca check.CAFile) (*x509.CertPool, error) {
	if strings.TrimSpace(ca.PEM) == "" {
		return nil, nil
	}
	certs, err := certcheck.Parse([]byte(ca.PEM))
	if err != nil {
		return nil, &check.InputError{Field: "CA", Err: fmt.Errorf("%s: %v", ca.Label(), err)}
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

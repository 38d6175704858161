//go:build !js

package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"strings"

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
	o := prober.Options{Address: r.Address, Client: r.Client, Candidates: r.Candidates, AllowTCP: r.AllowTCP, All: r.All,
		Resolver: r.Resolver}
	if d, ok := ctx.Value(dialKey{}).(dialFunc); ok {
		o.Dial = d
	}
	pool, err := caPool(r.CA)
	if err != nil {
		return engine.Probe{}, err
	}
	if pool != nil {
		o.CA, o.CALabel = pool, r.CA.Label()
	}
	if r.Timeout > 0 {
		o.ConnectTimeout, o.HandshakeTimeout, o.ResponseTimeout = r.Timeout, r.Timeout, r.Timeout
	}
	o.Deadline = r.Deadline
	res, err := prober.Probe(ctx, o)
	if err != nil {
		return engine.Probe{}, err
	}
	res.Findings = append(res.Findings, probe.Compare(res, r.Simulated)...)
	return res, nil
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

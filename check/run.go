package check

import (
	"context"
	"errors"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

// Env is what a check takes from the world: the resolver that answers its
// DNS questions, the clock and the randomness. The front end builds it for
// the Options (Options.Resolver names the resolver).
type Env struct {
	// Resolver answers the DNS questions. Required.
	Resolver engine.Resolver
	// Now reads the clock: to time DNS steps and to judge a certificate's
	// validity. Nil records 0 ms and judges certificates at the zero
	// time.
	Now func() time.Time
	// Rand returns a uniform random int in [0, n) for the RFC 2782
	// weighted shuffle; nil is the engine's reproducible source.
	Rand func(n int) int
	// IDs supplies the sign-in's Call-IDs, tags and tokens; nil is a
	// signin.Counter, so that reports are reproducible.
	IDs signin.IDs
	// Limits bound the discovery; zero fields take the engine's.
	Limits engine.Limits
	// Source says where Resolver's answers come from, for the report's
	// resolver field; the zero value leaves it out.
	Source engine.ResolverInfo
	// Probe observes the real servers for a check with Options.Connect
	// set and compares them with the simulated exchange: the command
	// line's prober (cmd/sipdisco/internal/prober, then probe.Compare).
	// It is nil where no connection can be opened (the browser), and Run
	// then refuses Connect. Its error is for unusable inputs (an
	// *InputError, a CA file without certificates) or a cancelled
	// context: what the servers did is in the result.
	Probe func(ctx context.Context, r ProbeRequest) (engine.Probe, error)
	// Tool names the program for the report's tool field; the zero value
	// leaves the field out.
	Tool engine.Tool
	// Certificates reads a pasted certificate (Options.CertificatePEM);
	// nil makes a check with one an *InputError wrapping
	// ErrNoCertificates.
	Certificates Certificates
}

// ProbeRequest is what Env.Probe is asked to observe: the candidates of
// one discovery, for the check's address and client, under its policy.
type ProbeRequest struct {
	// Address is the sign-in address, the only thing about the user the
	// REGISTER carries; Client the client profile it is built as.
	Address string
	Client  string
	// Candidates are the report's, in the client's order; only the
	// accepted ones may be contacted.
	Candidates []engine.Candidate
	// AllowTCP is the policy's: TCP candidates are contacted only when
	// it is set. All is Options.ConnectAll.
	AllowTCP bool
	All      bool
	// CA is Options.CA: certificates in PEM form to trust besides the
	// system's roots (empty when none were given), named CA.Label() in
	// findings.
	CA CAFile
	// Simulated is the simulated sign-in exchange of the report, which
	// the observation is compared with.
	Simulated *engine.Exchange
	// Resolver is the check's, for the addresses of a redirect's target.
	Resolver engine.Resolver
	// Timeout is Options.ConnectTimeout: each stage's limit, zero for
	// the prober's own.
	Timeout time.Duration
	// Deadline is Options.ConnectDeadline: the whole probe's limit, zero
	// for the prober's own.
	Deadline time.Duration
}

// Result is a finished check.
type Result struct {
	// Options are the check's inputs, the profile's name canonical.
	Options Options
	Report  *engine.Report
	// At is when the check ran (Env.Now).
	At time.Time
}

// Run performs the check o describes: it parses the address, discovers
// the server (engine.Discover) and, from the same answers, the outcome of
// every other client generation (the report's Clients), simulates the sign-in against it when
// o.SignIn or o.Connect is set (signin.Attach), adds the findings of a
// pasted certificate checked against it (Env.Certificates), and, when
// o.Connect is set, observes the real servers through env.Probe and
// attaches what they answered as the report's probe, with the findings
// where they differ from the simulation. The report
// names env.Tool and the time the check ran, and its state
// (engine.StateOf) once all of that is attached. The error is an
// *InputError naming the input that cannot be used, or the context's
// when it was cancelled; everything DNS and the servers say is in the
// report.
func Run(ctx context.Context, o Options, env Env) (*Result, error) {
	if env.Resolver == nil {
		return nil, errors.New("check: Env.Resolver is nil")
	}
	u, err := o.address()
	if err != nil {
		return nil, err
	}
	p, err := o.prepare()
	if err != nil {
		return nil, err
	}
	if o.Connect && env.Probe == nil {
		return nil, &InputError{Field: "Connect", Err: errors.New("the servers cannot be observed from here: a browser cannot open TCP or TLS connections; sipdisco check --connect can, and its --link prints a snapshot link that shows what they answered")}
	}
	cert, err := o.certificate(env.Certificates)
	if err != nil {
		return nil, err
	}
	var now time.Time
	if env.Now != nil {
		now = env.Now()
	}
	// Every client's discovery asks through one shared resolver, with
	// its own source of the check's randomness (see glance).
	cfg := p.config(env)
	cfg.View = o.ViewOf(env.Source, u.Domain)
	rep, err := discoverWithRows(ctx, u, o, cfg, env.Rand)
	if err != nil {
		return nil, err
	}
	if env.Source.Kind != "" {
		src := env.Source
		rep.Resolver = &src
	} else if k := sourceKinds[o.Resolver.Kind].report; k != "" {
		// A front end that does not say (the page) gets the resolver
		// its options name, so that its report has the field
		// check --json's has, in the words the page shows.
		rep.Resolver = &engine.ResolverInfo{Kind: k, Address: o.Resolver.URL, Description: o.Resolver.AnswersFrom()}
	}
	if env.Tool.Name != "" {
		tool := env.Tool
		rep.Tool = &tool
	}
	if env.Now != nil {
		rep.CheckedAt = now.UTC().Format(time.RFC3339)
	}
	if o.SignIn || o.Connect {
		if err := signin.Attach(rep, o.signInInput(u, cert, now), env.IDs); err != nil {
			return nil, signInError(err)
		}
	}
	if cert != nil {
		if err := env.Certificates.AddFindings(rep, []byte(o.CertificatePEM), now); err != nil {
			return nil, err
		}
	}
	if o.Connect {
		res, err := env.Probe(ctx, ProbeRequest{Address: u.String(), Client: p.profile.Name, Candidates: rep.Candidates,
			AllowTCP: p.policy.AllowTCP, All: o.ConnectAll, CA: o.CA, Simulated: rep.Register,
			Resolver: env.Resolver, Timeout: o.ConnectTimeout, Deadline: o.ConnectDeadline})
		if err != nil {
			return nil, err
		}
		rep.Probe = &res
	}
	rep.State = engine.StateOf(rep)
	o.Profile = p.profile.Name
	return &Result{Options: o, Report: rep, At: now}, nil
}

// Config returns the engine configuration of o's discovery through env,
// for front ends that run engine.Discover themselves (an audit of many
// addresses), with the view of env.Source (ViewOf; a demo scenario's
// view needs its domain, so set View for those). The error is an
// *InputError naming the profile or policy setting that cannot be used.
func (o Options) Config(env Env) (engine.Config, error) {
	p, err := o.prepare()
	if err != nil {
		return engine.Config{}, err
	}
	cfg := p.config(env)
	cfg.View = o.ViewOf(env.Source, "")
	return cfg, nil
}

func (p prepared) config(env Env) engine.Config {
	return engine.Config{Profile: p.profile.Name, Policy: p.policy,
		Resolver: env.Resolver, Rand: env.Rand, Now: env.Now, Limits: env.Limits}
}

// Query returns the live link's query string that reruns the check, or ""
// when a link cannot reproduce it (Options.Reproducible).
func (r *Result) Query() string {
	if !r.Options.Reproducible() {
		return ""
	}
	return r.Options.Query()
}

// Snapshot returns what the check's snapshot link carries: the whole
// report, when it ran and through which resolver. check/snapshot
// encodes it with compress/gzip, the WebAssembly modules with the
// browser's compression.
func (r *Result) Snapshot() Snapshot {
	return Snapshot{TakenAt: r.At.UTC(), DoH: r.Options.Resolver.String(), Report: r.Report}
}

package check

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/sipdisco/sipdisco/engine"
)

// sharedResolver answers each question once for every discovery of a
// check: the first to ask a question sends it, those asking it while it
// is in flight wait for that answer (single flight), and later ones get
// it from the cache. The discoveries of the at-a-glance rows therefore
// add no question beyond the union of theirs, and their rounds overlap.
type sharedResolver struct {
	next engine.Resolver
	mu   sync.Mutex
	m    map[engine.Question]*flight
	// sent counts the questions passed to next.
	sent int
}

type flight struct {
	done chan struct{}
	ans  engine.Answer
	err  error
}

func newSharedResolver(next engine.Resolver) *sharedResolver {
	return &sharedResolver{next: next, m: map[engine.Question]*flight{}}
}

// Resolve returns next's answer to q, asking next only the first time.
// A caller whose context ends while another's question is in flight gets
// its context's error; the answer, or the error, of the one question
// sent is kept for the others, so that every row reads the same answers.
func (s *sharedResolver) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	s.mu.Lock()
	f, ok := s.m[q]
	if !ok {
		f = &flight{done: make(chan struct{})}
		s.m[q] = f
		s.sent++
		s.mu.Unlock()
		f.ans, f.err = s.next.Resolve(ctx, q)
		close(f.done)
	} else {
		s.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return engine.Answer{}, context.Cause(ctx)
		}
	}
	a := f.ans
	a.Records = slices.Clone(a.Records)
	return a, f.err
}

// discoveryRand returns a source of randomness for each discovery of a
// check, drawn from the check's (env.Rand): every discovery gets its own
// source with the same seed, so that they draw the same wildcard probe
// name (one question for all) and never share a source across
// goroutines. Nil, the engine's reproducible sources, when env.Rand is
// nil.
func discoveryRand(r func(n int) int) func() func(n int) int {
	if r == nil {
		return func() func(n int) int { return nil }
	}
	s1, s2 := uint64(r(math.MaxInt)), uint64(r(math.MaxInt))
	return func() func(n int) int { return rand.New(rand.NewPCG(s1, s2)).IntN }
}

// glance runs, concurrently with the check's own discovery (main), the
// discovery of every other at-a-glance client (engine.GlanceProfiles)
// for u under o's settings with only the profile changed, so that a row
// says what `check --profile X` with the same settings says: the policy
// set explicitly (TCP, trusted domains, manual servers, strict naming
// when chosen) applies to every client, and where naming is left to the
// default each client takes its own. It returns the rows, main's among
// them in its generation's place.
func glance(ctx context.Context, u engine.URI, o Options, cfg engine.Config, newRand func() func(n int) int, main func() (*engine.Report, error)) (*engine.Report, []engine.ClientRow, error) {
	profs := engine.GlanceProfiles(cfg.Profile)
	reps := make([]*engine.Report, len(profs))
	var wg sync.WaitGroup
	for i, p := range profs {
		if p.Name == cfg.Profile {
			continue
		}
		po := o
		po.Profile = p.Name
		pp, err := po.prepare()
		if err != nil {
			continue
		}
		c := cfg
		c.Profile, c.Policy, c.Rand = p.Name, pp.policy, newRand()
		wg.Go(func() {
			if rep, err := engine.Discover(ctx, u, c); err == nil {
				reps[i] = rep
			}
		})
	}
	rep, err := main()
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	rows := make([]engine.ClientRow, 0, len(profs))
	for i, p := range profs {
		switch {
		case p.Name == cfg.Profile:
			rows = append(rows, rep.Row())
		case reps[i] != nil:
			rows = append(rows, reps[i].Row())
		}
	}
	return rep, rows, nil
}

// discoverWithRows runs the discovery cfg describes for u and, from the
// same answers, every other at-a-glance client's (glance), and returns
// cfg's report with the rows as its Clients. Every discovery asks
// through one shared resolver in front of cfg.Resolver, with its own
// source of rnd's randomness (discoveryRand); cfg.Rand is not used.
func discoverWithRows(ctx context.Context, u engine.URI, o Options, cfg engine.Config, rnd func(n int) int) (*engine.Report, error) {
	newRand := discoveryRand(rnd)
	cfg.Resolver, cfg.Rand = newSharedResolver(cfg.Resolver), newRand()
	rep, rows, err := glance(ctx, u, o, cfg, newRand, func() (*engine.Report, error) { return engine.Discover(ctx, u, cfg) })
	if err != nil {
		return nil, err
	}
	rep.Clients = rows
	return rep, nil
}

// Discoverer returns the discovery of o's check for any address, for
// front ends that check many addresses with one client and policy (an
// audit): the report of o's client, through env, with the at-a-glance
// rows of every client generation as its Clients, computed as Run
// computes them (from the same answers: one shared resolver per
// address), and its state (engine.StateOf). The configuration is Config's, with the view of each
// address's domain, as Run takes it (a demo scenario's). The error is
// an *InputError naming the profile or policy setting that cannot be
// used.
func (o Options) Discoverer(env Env) (func(ctx context.Context, u engine.URI) (*engine.Report, error), error) {
	cfg, err := o.Config(env)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, u engine.URI) (*engine.Report, error) {
		c := cfg
		c.View = o.ViewOf(env.Source, u.Domain)
		rep, err := discoverWithRows(ctx, u, o, c, env.Rand)
		if err != nil {
			return nil, err
		}
		rep.State = engine.StateOf(rep)
		return rep, nil
	}, nil
}

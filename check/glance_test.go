package check

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/testwalk"
)

// TestGlanceRowsAgree: for every demo zone and every chosen client, each
// at-a-glance row says what a full check with that row's profile says
// (its default policy, the same answers); and with a policy set
// explicitly, what a full check with that policy says.
func TestGlanceRowsAgree(t *testing.T) {
	testwalk.SkipInWASM(t)
	for _, set := range []struct {
		name string
		edit func(*Options)
	}{
		{"defaults", func(*Options) {}},
		{"strict", func(o *Options) { o.Strict = StrictOn }},
		{"no TCP, trusted", func(o *Options) { o.AllowTCP, o.Trusted = false, []string{"example.net"} }},
		{"manual", func(o *Options) { o.ManualInternal = "pool01.lync.example" }},
	} {
		t.Run(set.name, func(t *testing.T) { rowsAgree(t, set.edit) })
	}
}

func rowsAgree(t *testing.T, edit func(*Options)) {
	env := demoEnv(t)
	for _, sc := range demo.Scenarios() {
		full := map[string]engine.ClientRow{}
		for _, p := range engine.Profiles() {
			o := Defaults()
			edit(&o)
			o.URI, o.Profile, o.Resolver = sc.Try, p.Name, Source{Kind: SourceDemo}
			res, err := Run(context.Background(), o, env)
			if err != nil {
				t.Fatalf("Run(%s, %s): %v", sc.Try, p.Name, err)
			}
			full[p.Name] = res.Report.Row()
		}
		for _, p := range engine.Profiles() {
			o := Defaults()
			edit(&o)
			o.URI, o.Profile, o.Resolver = sc.Try, p.Name, Source{Kind: SourceDemo}
			res, err := Run(context.Background(), o, env)
			if err != nil {
				t.Fatal(err)
			}
			rows := res.Report.Clients
			if len(rows) != 5 {
				t.Fatalf("%s %s: %d rows; want 5", sc.Name, p.Name, len(rows))
			}
			for _, row := range rows {
				if diff := cmp.Diff(row, full[row.Profile]); diff != "" {
					t.Errorf("%s, chosen %s: row %s (-got +want):\n%s", sc.Name, p.Name, row.Profile, diff)
				}
			}
			if got := rows[2].Profile; (p.Name == "lync-2010-cu") != (got == "lync-2010-cu") {
				t.Errorf("%s, chosen %s: Lync 2010 row is %s", sc.Name, p.Name, got)
			}
		}
	}
}

// countingResolver counts the questions sent to it.
type countingResolver struct {
	next engine.Resolver
	mu   sync.Mutex
	n    int
}

func (c *countingResolver) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.next.Resolve(ctx, q)
}

// TestGlanceQuestions: the rows ask each question once; a check asks
// the union of the five clients' questions, no more, and no more rounds
// than the slowest client's.
func TestGlanceQuestions(t *testing.T) {
	env := demoEnv(t)
	for _, try := range []string{"bob@healthy.example", "bob@lync.example"} {
		o := Defaults()
		o.URI, o.Profile = try, "skype-2016"
		union := map[engine.Question]bool{}
		sum, rounds := 0, 0
		for _, p := range engine.GlanceProfiles(o.Profile) {
			u, _ := engine.ParseURI(try)
			c := &countingResolver{next: env.Resolver}
			rep, err := engine.Discover(context.Background(), u, engine.Config{Profile: p.Name, Policy: p.DefaultPolicy(), Resolver: c})
			if err != nil {
				t.Fatal(err)
			}
			sum += c.n
			for _, s := range rep.Steps {
				union[engine.Question{Name: s.Question, Type: s.Type}] = true
				rounds = max(rounds, s.Round)
			}
		}
		c := &countingResolver{next: env.Resolver}
		e := env
		e.Resolver = c
		res, err := Run(context.Background(), o, e)
		if err != nil {
			t.Fatal(err)
		}
		one := &countingResolver{next: env.Resolver}
		u, _ := engine.ParseURI(try)
		alone, _ := engine.Discover(context.Background(), u, engine.Config{Profile: o.Profile, Resolver: one})
		if got, want := lastRound(res.Report), lastRound(alone); got != want {
			t.Errorf("%s: the check took %d rounds with the rows; %d alone", try, got, want)
		}
		if c.n != len(union) {
			t.Errorf("%s: a check asked %d questions; want %d, the union of the clients' (%d asked separately, %d for %s alone)", try, c.n, len(union), sum, one.n, o.Profile)
		}
		t.Logf("%s: %d questions for %s alone (%d rounds); %d for all five clients' rows (union, %d rounds at most); %d if asked separately", try, one.n, o.Profile, lastRound(alone), c.n, rounds, sum)
		if len(res.Report.Clients) != 5 {
			t.Errorf("%s: %d rows", try, len(res.Report.Clients))
		}
	}
}

func lastRound(r *engine.Report) int {
	n := 0
	for _, s := range r.Steps {
		n = max(n, s.Round)
	}
	return n
}

// TestGlanceRand: with the check's own randomness (a source that is not
// safe for concurrent use), every discovery draws from its own source,
// the wildcard probe is asked once, and the chosen client's row is the
// report's own target.
func TestGlanceRand(t *testing.T) {
	env := demoEnv(t)
	env.Rand = rand.New(rand.NewPCG(7, 7)).IntN
	var mu sync.Mutex
	probes := map[string]bool{}
	next := env.Resolver
	env.Resolver = engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		if strings.HasPrefix(q.Name, "sipdisco-probe-") {
			mu.Lock()
			probes[q.Name] = true
			mu.Unlock()
		}
		return next.Resolve(ctx, q)
	})
	o := Defaults()
	o.URI, o.Resolver = "bob@weighted.example", Source{Kind: SourceDemo}
	res, err := Run(context.Background(), o, env)
	if err != nil {
		t.Fatal(err)
	}
	if len(probes) != 1 {
		t.Errorf("wildcard probes asked: %v; want one name for every client", probes)
	}
	if diff := cmp.Diff(res.Report.Clients[0], res.Report.Row()); diff != "" {
		t.Errorf("the chosen client's row (-got +want):\n%s", diff)
	}
}

// TestDiscovererRows: the discovery an audit runs for each address
// (Options.Discoverer) gives the report a check of that address with
// the same client and policy gives, at-a-glance rows and view included,
// for every demo zone and every client chosen.
func TestDiscovererRows(t *testing.T) {
	env := demoEnv(t)
	for _, p := range engine.Profiles() {
		o := Defaults()
		o.Profile, o.Resolver = p.Name, Source{Kind: SourceDemo}
		discover, err := o.Discoverer(env)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range demo.Scenarios() {
			u, err := engine.ParseURI(sc.Try)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := discover(context.Background(), u)
			if err != nil {
				t.Fatalf("%s %s: %v", p.Name, sc.Try, err)
			}
			co := o
			co.URI = sc.Try
			res, err := Run(context.Background(), co, env)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Clients) != 5 {
				t.Errorf("%s, %s: %d rows; want 5", p.Name, sc.Name, len(rep.Clients))
			}
			// The check's report adds only when it ran, and the
			// resolver its options name (an audit's rows say theirs).
			want := *res.Report
			want.CheckedAt, want.Resolver = "", nil
			if diff := cmp.Diff(rep, &want); diff != "" {
				t.Errorf("%s, %s: the audit's report differs from the check's (-audit +check):\n%s", p.Name, sc.Name, diff)
			}
		}
	}
}

// TestGlanceSRVOrder: where an SRV name has several records at one
// priority (the weighted demo zone: pool01 and pool02 at 3:1), every row
// of a check names the same target, each client's full check with the
// same randomness orders the candidates the same way, and over many
// checks with their own randomness the weights show (pool01 about three
// times in four, RFC 2782).
func TestGlanceSRVOrder(t *testing.T) {
	testwalk.SkipInWASM(t)
	env := demoEnv(t)
	const checks = 200
	first := map[string]int{}
	for seed := range uint64(checks) {
		var orders [][]string
		for _, p := range engine.GlanceProfiles("") {
			e := env
			e.Rand = rand.New(rand.NewPCG(seed, 21)).IntN
			o := Defaults()
			o.URI, o.Profile, o.Resolver = "bob@weighted.example", p.Name, Source{Kind: SourceDemo}
			res, err := Run(context.Background(), o, e)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Report
			for _, row := range r.Clients {
				if row.Target != r.Target.Endpoint() {
					t.Fatalf("seed %d, %s: row %s names %s; the report's target is %s", seed, p.Name, row.Profile, row.Target, r.Target.Endpoint())
				}
			}
			var order []string
			for _, c := range r.Candidates {
				if c.Source == "_sipinternaltls._tcp.weighted.example" {
					order = append(order, c.Host)
				}
			}
			orders = append(orders, order)
			if p.Name == engine.DefaultProfile {
				first[r.Target.Host]++
			}
		}
		for i, o := range orders[1:] {
			if diff := cmp.Diff(o, orders[0]); diff != "" {
				t.Fatalf("seed %d: %s orders the SRV records differently from %s (-got +want):\n%s", seed, engine.GlanceProfiles("")[i+1].Name, engine.DefaultProfile, diff)
			}
		}
	}
	// pool01 has weight 60 of 80: 150 of 200 expected, σ ≈ 6.1.
	t.Logf("targets over %d checks: %v", checks, first)
	if n := first["pool01.weighted.example"]; n < 120 || n > 180 || n+first["pool02.weighted.example"] != checks {
		t.Errorf("targets over %d checks: %v; want pool01 about 150 times, pool02 the rest", checks, first)
	}
}

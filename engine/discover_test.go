package engine

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeDNS answers from a map keyed by "name TYPE"; missing keys are NXDOMAIN.
type fakeDNS map[string]Answer

func (f fakeDNS) Resolve(ctx context.Context, q Question) (Answer, error) {
	if a, ok := f[q.String()]; ok {
		return a, nil
	}
	return Answer{RCode: RCodeNameError}, nil
}

func srvAnswer(name string, targets ...string) Answer {
	var a Answer
	for i, t := range targets {
		a.Records = append(a.Records, Record{Name: name, Type: TypeSRV, Priority: uint16(i), Port: 5061, Target: t})
	}
	return a
}

func aAnswer(name, addr string) Answer {
	return Answer{Records: []Record{{Name: name, Type: TypeA, Addr: netip.MustParseAddr(addr)}}}
}

func mustURI(t *testing.T, s string) URI {
	t.Helper()
	u, err := ParseURI(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestRoundOneIsParallel proves the SRV questions are in flight together:
// the resolver lets no answer out until all three questions have arrived.
func TestRoundOneIsParallel(t *testing.T) {
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	r := ResolverFunc(func(ctx context.Context, q Question) (Answer, error) {
		if q.Type == TypeSRV {
			mu.Lock()
			arrived++
			if arrived == 3 {
				close(all)
			}
			mu.Unlock()
			select {
			case <-all:
			case <-ctx.Done():
				return Answer{}, ctx.Err()
			}
		}
		return Answer{RCode: RCodeNameError}, nil
	})
	cfg := Config{Resolver: r, Policy: DefaultPolicy(), Limits: Limits{Timeout: 5 * time.Second}}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Steps {
		if s.Error != "" {
			t.Fatalf("step %s %s: %s; the SRV questions were not asked concurrently", s.Question, s.Type, s.Error)
		}
	}
	if rep.Outcome != OutcomeFail {
		t.Errorf("Outcome = %s; want fail", rep.Outcome)
	}
}

func TestTimeoutIsIndeterminate(t *testing.T) {
	r := ResolverFunc(func(ctx context.Context, q Question) (Answer, error) {
		<-ctx.Done()
		return Answer{}, ctx.Err()
	})
	cfg := Config{Resolver: r, Policy: DefaultPolicy(), Limits: Limits{Timeout: 30 * time.Millisecond}}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatalf("Discover error = %v; a timeout is an outcome, not an error", err)
	}
	if rep.Outcome != OutcomeIndeterminate || rep.Steps[0].Error != "timed out" {
		t.Errorf("Outcome = %s, first step %+v; want indeterminate with a timed-out step", rep.Outcome, rep.Steps[0])
	}
}

func TestCancelledContextIsAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := ResolverFunc(func(c context.Context, q Question) (Answer, error) {
		cancel()
		<-c.Done()
		return Answer{}, c.Err()
	})
	_, err := Discover(ctx, mustURI(t, "bob@contoso.com"), Config{Resolver: r})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Discover with a cancelled context = %v; want context.Canceled", err)
	}
}

func TestQuestionLimit(t *testing.T) {
	dns := fakeDNS{}
	cfg := Config{Resolver: dns, Policy: DefaultPolicy(), Limits: Limits{MaxQuestions: 2}}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	for _, s := range rep.Steps {
		if s.Error == "" {
			asked++
		} else if !strings.Contains(s.Error, "limit of 2 questions") {
			t.Errorf("step error %q does not name the limit", s.Error)
		}
	}
	if asked != 2 || rep.Outcome != OutcomeIndeterminate {
		t.Errorf("asked %d questions, outcome %s; want 2 and indeterminate", asked, rep.Outcome)
	}
}

func TestRecordLimit(t *testing.T) {
	var targets []string
	for i := range 100 {
		targets = append(targets, fmt.Sprintf("pool%02d.contoso.com", i))
	}
	dns := fakeDNS{
		"_sipinternaltls._tcp.contoso.com SRV": srvAnswer("_sipinternaltls._tcp.contoso.com", targets...),
		"pool00.contoso.com A":                 aAnswer("pool00.contoso.com", "192.0.2.1"),
	}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), Config{Resolver: dns, Policy: DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rep.Candidates); n != DefaultLimits.MaxRecords {
		t.Errorf("%d candidates; want the limit %d", n, DefaultLimits.MaxRecords)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || f.Kind == "too-many-records"
	}
	if !found || rep.Outcome != OutcomeConnect {
		t.Errorf("too-many-records finding %v, outcome %s; want the finding and connect", found, rep.Outcome)
	}
}

func TestResolverPanicIsAFailedLookup(t *testing.T) {
	r := ResolverFunc(func(ctx context.Context, q Question) (Answer, error) { panic("boom") })
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), Config{Resolver: r})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != OutcomeIndeterminate || !strings.Contains(rep.Steps[0].Error, "boom") {
		t.Errorf("outcome %s, step %+v; want indeterminate naming the panic", rep.Outcome, rep.Steps[0])
	}
}

func TestStepTiming(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(0, 0)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(7 * time.Millisecond)
		return now
	}
	rep, err := Discover(context.Background(), mustURI(t, "bob@contoso.com"), Config{Resolver: fakeDNS{}, Now: clock, Policy: DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Steps {
		if s.MS <= 0 || s.MS%7 != 0 {
			t.Errorf("step %s ms = %d; want a positive multiple of the fake clock's 7 ms tick", s.Question, s.MS)
		}
	}
}

func TestDiscoverBadInput(t *testing.T) {
	u := mustURI(t, "bob@contoso.com")
	for _, cfg := range []Config{
		{},
		{Resolver: fakeDNS{}, Profile: "nope"},
		{Resolver: fakeDNS{}, Policy: Policy{ManualInternal: "pool:notaport"}},
		{Resolver: fakeDNS{}, Policy: Policy{ManualExternal: "[2001:db8::1"}},
		{Resolver: fakeDNS{}, Policy: Policy{TrustedDomains: []string{"not a domain"}}},
	} {
		if _, err := Discover(context.Background(), u, cfg); err == nil {
			t.Errorf("Discover(%+v) succeeded; want an error", cfg)
		}
	}
	if _, err := Discover(context.Background(), URI{}, Config{Resolver: fakeDNS{}}); err == nil {
		t.Errorf("Discover(URI{}) succeeded; want an error")
	}
}

func TestParseHostPort(t *testing.T) {
	tests := []struct {
		in   string
		host string
		port uint16
		bad  bool
	}{
		{"pool01.contoso.com", "pool01.contoso.com", 5061, false},
		{"POOL01.contoso.com:443", "pool01.contoso.com", 443, false},
		{"192.0.2.1:5060", "192.0.2.1", 5060, false},
		{"[2001:db8::1]:443", "2001:db8::1", 443, false},
		{"2001:db8::1", "2001:db8::1", 5061, false},
		{"pool:0", "", 0, true},
		{"pool.contoso.com:70000", "", 0, true},
		{"", "", 0, true},
		{"bad host", "", 0, true},
		{"[pool]:5061", "", 0, true},
	}
	for _, tt := range tests {
		h, p, err := ParseHostPort(tt.in, 5061)
		if (err != nil) != tt.bad || h != tt.host || p != tt.port {
			t.Errorf("ParseHostPort(%q) = %q, %d, %v; want %q, %d, bad=%v", tt.in, h, p, err, tt.host, tt.port, tt.bad)
		}
	}
}

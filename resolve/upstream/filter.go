package upstream

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// The defaults of Options.
const (
	// DefaultTargetTTL is how long an SRV target stays askable after an
	// answer through the Filter named it.
	DefaultTargetTTL = 5 * time.Minute
	// DefaultMaxTargets bounds the SRV targets remembered.
	DefaultMaxTargets = 4096
)

// Options configures a Filter. The zero value passes exactly what the
// profiles ask.
type Options struct {
	// Labels are more host labels to pass A, AAAA and CNAME questions
	// for under any domain, beside the profiles' fallback and
	// autodiscover hosts. A label ending in "*" matches every label
	// that starts with the rest ("probe-*").
	Labels []string
	// Names are more names, exact, to pass A, AAAA and CNAME questions
	// for (manually configured servers).
	Names []string
	// TargetTTL is how long an SRV target stays askable; 0 means
	// DefaultTargetTTL.
	TargetTTL time.Duration
	// MaxTargets bounds the SRV targets remembered; 0 means
	// DefaultMaxTargets. When full, the one that expires first is
	// forgotten.
	MaxTargets int
	// Now reads the clock; nil means time.Now.
	Now func() time.Time
}

// Filter is an engine.Resolver that passes on to Next only the questions
// discovery and the domain report ask, as the package documentation describes, and refuses the
// rest. It is safe for concurrent use.
type Filter struct {
	next     engine.Resolver
	services map[string]bool
	labels   map[string]bool
	prefixes []string // labels given with a trailing "*"
	names    map[string]bool
	ttl      time.Duration
	max      int
	now      func() time.Time

	mu      sync.Mutex
	targets map[string]time.Time // SRV target -> when it stops being askable
}

// New returns a Filter in front of next.
func New(next engine.Resolver, opts Options) *Filter {
	f := &Filter{
		next: next, services: map[string]bool{}, labels: map[string]bool{}, names: map[string]bool{},
		ttl: opts.TargetTTL, max: opts.MaxTargets, now: opts.Now, targets: map[string]time.Time{},
	}
	if f.ttl <= 0 {
		f.ttl = DefaultTargetTTL
	}
	if f.max <= 0 {
		f.max = DefaultMaxTargets
	}
	if f.now == nil {
		f.now = time.Now
	}
	for _, p := range engine.Profiles() {
		for _, l := range p.SRV {
			f.services[l.Service] = true
		}
		for _, h := range p.Autodiscover {
			f.labels[h] = true
		}
		for _, h := range p.Fallback {
			f.labels[h.Prefix] = true
		}
	}
	// The domain report's names (its SRV names and host labels).
	for _, q := range domainreport.Asked() {
		if q.Type == engine.TypeSRV {
			f.services[q.Name] = true
		} else {
			f.labels[q.Name] = true
		}
	}
	for _, l := range opts.Labels {
		l = strings.ToLower(l)
		if p, ok := strings.CutSuffix(l, "*"); ok {
			f.prefixes = append(f.prefixes, p)
		} else {
			f.labels[l] = true
		}
	}
	for _, n := range opts.Names {
		f.names[canonical(n)] = true
	}
	return f
}

// RefusedError is a question the Filter does not pass on. It is a
// wire.ExtendedError with INFO-CODE 18, Prohibited (RFC 8914 §4.19),
// and its RCode is REFUSED.
type RefusedError struct {
	Question engine.Question
	// Why says what makes the question one discovery never asks.
	Why string
}

// Error returns "sipdisco answers only the questions sign-in discovery
// and the domain report ask; " and why.
func (e *RefusedError) Error() string {
	return "sipdisco answers only the questions sign-in discovery and the domain report ask; " + e.Why
}

// EDE returns Prohibited and the error's text.
func (e *RefusedError) EDE() (code uint16, text string) {
	return wire.EDEProhibited, e.Error()
}

// RCode returns REFUSED, the response code for a query a server will not
// answer by policy (RFC 1035 §4.1.1).
func (e *RefusedError) RCode() engine.RCode { return engine.RCodeRefused }

// Resolve passes q to Next when discovery asks such questions, and
// remembers the targets of the SRV records it returns; otherwise it
// refuses q with a *RefusedError. A reply that contradicts itself is a
// *ContradictionError, and its targets are not remembered.
func (f *Filter) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	q.Name = canonical(q.Name)
	if why := f.Check(q); why != "" {
		return engine.Answer{}, &RefusedError{Question: q, Why: why}
	}
	a, err := f.next.Resolve(ctx, q)
	if err != nil {
		return a, err
	}
	if why := a.Contradiction(); why != "" {
		return engine.Answer{}, &ContradictionError{Question: q, Why: why}
	}
	if q.Type == engine.TypeSRV {
		f.remember(a)
	}
	return a, nil
}

// ContradictionError is an upstream reply the Filter does not pass on
// because it contradicts itself (engine.Answer.Contradiction): an
// NXDOMAIN that carries records. It is a wire.ExtendedError with
// INFO-CODE 23, Network Error (RFC 8914 §4.24: the server asked answered
// with an error), so the handler answers SERVFAIL saying why.
type ContradictionError struct {
	Question engine.Question
	Why      string
}

// Error returns "the upstream server " and why.
func (e *ContradictionError) Error() string {
	return "the upstream server " + e.Why
}

// EDE returns Network Error and the error's text.
func (e *ContradictionError) EDE() (code uint16, text string) {
	return wire.EDENetworkError, e.Error()
}

// Check returns why q is refused, or "" when it passes. q.Name must be in
// engine's spelling (lower case, no trailing dot).
func (f *Filter) Check(q engine.Question) string {
	first, rest, _ := strings.Cut(q.Name, ".")
	switch q.Type {
	case engine.TypeSRV:
		second, domain, _ := strings.Cut(rest, ".")
		if f.services[first+"."+second] && domain != "" {
			return ""
		}
		return q.String() + " is not an SRV name a Microsoft SIP client looks up"
	case engine.TypeA, engine.TypeAAAA, engine.TypeCNAME:
		if rest != "" && f.label(first) || f.names[q.Name] || f.isTarget(q.Name) {
			return ""
		}
		if q.Type == engine.TypeA && rest != "" && engine.IsProbeLabel(first) {
			return "" // the wildcard probe: a random name that should not exist
		}
		return q.String() + " is neither a host the client builds from the sign-in domain nor the target of an SRV record answered here recently"
	}
	return q.String() + ": discovery never asks for " + q.Type.String() + " records"
}

func (f *Filter) label(l string) bool {
	if f.labels[l] {
		return true
	}
	for _, p := range f.prefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func (f *Filter) isTarget(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	exp, ok := f.targets[name]
	return ok && f.now().Before(exp)
}

// remember records the SRV targets of a, bounded by MaxTargets.
func (f *Filter) remember(a engine.Answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	exp := now.Add(f.ttl)
	for _, r := range a.Records {
		if r.Type != engine.TypeSRV || r.Target == "" || r.Target == "." {
			continue
		}
		t := canonical(r.Target)
		if _, ok := f.targets[t]; !ok && len(f.targets) >= f.max {
			f.evict(now)
		}
		f.targets[t] = exp
	}
}

// evict forgets the expired targets, or if none has expired the one that
// expires first.
func (f *Filter) evict(now time.Time) {
	var first string
	var firstExp time.Time
	for t, exp := range f.targets {
		if !now.Before(exp) {
			delete(f.targets, t)
			continue
		}
		if first == "" || exp.Before(firstExp) {
			first, firstExp = t, exp
		}
	}
	if len(f.targets) >= f.max {
		delete(f.targets, first)
	}
}

// canonical spells a name as engine does: lower case, no trailing dot.
func canonical(name string) string { return wire.EngineName(name) }

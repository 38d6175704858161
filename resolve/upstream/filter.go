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
	// DefaultTargetTTL is how long a check's SRV targets stay askable,
	// from the check's first question: a check's questions all come
	// within seconds (each waits at most serve's 10 s timeout).
	DefaultTargetTTL = 2 * time.Minute
	// DefaultMaxTargets bounds the SRV targets remembered, over all
	// checks.
	DefaultMaxTargets = 4096
	// DefaultMaxChecks bounds the checks remembered.
	DefaultMaxChecks = 1024
	// MaxCheckTargets bounds the SRV targets one check can make
	// askable: its SRV answers' first targets, in order.
	MaxCheckTargets = 32
	// MaxCheckID bounds a check ID's length.
	MaxCheckID = 64
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
	// TargetTTL is how long a check's SRV targets stay askable, from
	// the check's first question; 0 means DefaultTargetTTL.
	TargetTTL time.Duration
	// MaxTargets bounds the SRV targets remembered over all checks; 0
	// means DefaultMaxTargets. When full, the check that expires first
	// is forgotten.
	MaxTargets int
	// MaxChecks bounds the checks remembered; 0 means
	// DefaultMaxChecks. When full, the check that expires first is
	// forgotten.
	MaxChecks int
	// Now reads the clock; nil means time.Now.
	Now func() time.Time
}

// Filter is an engine.Resolver that passes on to Next only the questions
// discovery and the domain report ask, as the package documentation describes, and refuses the
// rest. It is safe for concurrent use.
type Filter struct {
	next      engine.Resolver
	services  map[string]bool
	labels    map[string]bool
	prefixes  []string // labels given with a trailing "*"
	names     map[string]bool
	ttl       time.Duration
	max       int
	maxChecks int
	now       func() time.Time

	mu      sync.Mutex
	checks  map[string]*checkState // check ID -> what it may ask
	targets int                    // the targets of all checks
}

// checkState is what the Filter holds of one check: the domain it asks
// about, the SRV targets its answers named, and when both are forgotten.
type checkState struct {
	domain  string
	targets map[string]bool
	expires time.Time
}

// New returns a Filter in front of next.
func New(next engine.Resolver, opts Options) *Filter {
	f := &Filter{
		next: next, services: map[string]bool{}, labels: map[string]bool{}, names: map[string]bool{},
		ttl: opts.TargetTTL, max: opts.MaxTargets, now: opts.Now, checks: map[string]*checkState{},
	}
	if f.ttl <= 0 {
		f.ttl = DefaultTargetTTL
	}
	if f.max <= 0 {
		f.max = DefaultMaxTargets
	}
	if f.maxChecks = opts.MaxChecks; f.maxChecks <= 0 {
		f.maxChecks = DefaultMaxChecks
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

type checkKey struct{}

// WithCheck returns ctx carrying id, the check that asks the questions
// Resolve gets with it: the page draws one at random for each check and
// sends it with each question (serve's /dns-query?check=ID). An ID names
// a check, nothing more; it is not a secret and grants nothing beyond
// the check's own SRV targets.
func WithCheck(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, checkKey{}, id)
}

// CheckID returns the check ID ctx carries, or "".
func CheckID(ctx context.Context) string {
	id, _ := ctx.Value(checkKey{}).(string)
	return id
}

// ValidCheckID reports whether id can name a check: 1 to MaxCheckID
// ASCII letters, digits, "-" or "_".
func ValidCheckID(id string) bool {
	if id == "" || len(id) > MaxCheckID {
		return false
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Resolve passes q to Next when discovery asks such questions for the
// check ctx names (WithCheck), and remembers for that check the targets
// of the SRV records it returns; otherwise it refuses q with a
// *RefusedError. A reply that contradicts itself is a
// *ContradictionError, and its targets are not remembered.
func (f *Filter) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	q.Name = canonical(q.Name)
	id := CheckID(ctx)
	if why := f.check(id, q, true); why != "" {
		return engine.Answer{}, &RefusedError{Question: q, Why: why}
	}
	a, err := f.next.Resolve(ctx, q)
	if err != nil {
		return a, err
	}
	if why := a.Contradiction(); why != "" {
		return engine.Answer{}, &ContradictionError{Question: q, Why: why}
	}
	if q.Type == engine.TypeSRV && id != "" {
		f.remember(id, q, a)
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

// Check returns why the check id's question q is refused, or "" when it
// passes, without asking it (id "" is a question sent without a check
// ID). q.Name must be in engine's spelling (lower case, no trailing dot).
func (f *Filter) Check(id string, q engine.Question) string {
	return f.check(id, q, false)
}

// check is Check; with start, a question of a check not yet known starts
// it, bound to the domain q is built from.
func (f *Filter) check(id string, q engine.Question, start bool) string {
	first, rest, _ := strings.Cut(q.Name, ".")
	domain := ""
	switch q.Type {
	case engine.TypeSRV:
		second, d, _ := strings.Cut(rest, ".")
		if !f.services[first+"."+second] || d == "" {
			return q.String() + " is not an SRV name a Microsoft SIP client looks up"
		}
		domain = d
	case engine.TypeA, engine.TypeAAAA, engine.TypeCNAME:
		switch {
		case rest != "" && f.label(first):
			domain = rest
		case q.Type == engine.TypeA && rest != "" && engine.IsProbeLabel(first):
			domain = rest // the wildcard probe: a random name that should not exist
		case f.names[q.Name]:
			return ""
		case id == "":
			return q.String() + " is neither a host the client builds from the sign-in domain nor, without a check (/dns-query?check=ID), the target of an SRV record"
		case !f.isTarget(id, q.Name):
			return q.String() + " is neither a host the client builds from the sign-in domain nor the target of an SRV record of this check's domain answered here in the last " + f.ttl.String()
		default:
			return ""
		}
	default:
		return q.String() + ": discovery never asks for " + q.Type.String() + " records"
	}
	if id != "" && start {
		f.bind(id, domain)
	}
	return ""
}

// bind starts the check id, bound to domain, unless it is known: a
// check's domain is that of its first question, and only SRV answers
// about that domain name targets it may ask for.
func (f *Filter) bind(id, domain string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if c := f.checks[id]; c != nil && now.Before(c.expires) {
		return
	}
	f.forget(id)
	for len(f.checks) >= f.maxChecks && f.evict(id) {
	}
	f.checks[id] = &checkState{domain: domain, targets: map[string]bool{}, expires: now.Add(f.ttl)}
}

func (f *Filter) isTarget(id, name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.checks[id]
	return c != nil && c.targets[name] && f.now().Before(c.expires)
}

// remember records the SRV targets of a, the answer to q, for the check
// id, bounded by MaxCheckTargets for the check and MaxTargets over all
// checks. Only an answer about the check's own domain counts.
func (f *Filter) remember(id string, q engine.Question, a engine.Answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.checks[id]
	_, rest, _ := strings.Cut(q.Name, ".")
	_, domain, _ := strings.Cut(rest, ".")
	if c == nil || !f.now().Before(c.expires) || domain != c.domain {
		return
	}
	for _, r := range a.Records {
		if r.Type != engine.TypeSRV || r.Target == "" || r.Target == "." {
			continue
		}
		t := canonical(r.Target)
		if c.targets[t] || len(c.targets) >= MaxCheckTargets {
			continue
		}
		for f.targets >= f.max && f.evict(id) {
		}
		if f.targets >= f.max {
			return
		}
		c.targets[t] = true
		f.targets++
	}
}

// evict forgets the expired checks, or if none has expired the other
// check that expires first; it reports whether it forgot any.
func (f *Filter) evict(keep string) bool {
	now := f.now()
	var first string
	var firstExp time.Time
	forgot := false
	for id, c := range f.checks {
		if !now.Before(c.expires) && id != keep {
			f.forget(id)
			forgot = true
			continue
		}
		if id != keep && (first == "" || c.expires.Before(firstExp)) {
			first, firstExp = id, c.expires
		}
	}
	if !forgot && first != "" {
		f.forget(first)
		forgot = true
	}
	return forgot
}

// forget drops the check id.
func (f *Filter) forget(id string) {
	if c := f.checks[id]; c != nil {
		f.targets -= len(c.targets)
		delete(f.checks, id)
	}
}

// canonical spells a name as engine does: lower case, no trailing dot.
func canonical(name string) string { return wire.EngineName(name) }

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

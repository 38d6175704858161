package engine

import "context"

// LookupStatus says what one lookup established.
type LookupStatus string

// The statuses of a lookup.
const (
	// LookupPresent: records of the asked type exist.
	LookupPresent LookupStatus = "present"
	// LookupAbsent: definitely none (NXDOMAIN, or NOERROR without data).
	LookupAbsent LookupStatus = "absent"
	// LookupFailed: unknown — SERVFAIL, REFUSED, a timeout, a bad
	// response, a CNAME loop or a limit reached.
	LookupFailed LookupStatus = "failed"
)

// Lookup is one question's answer as discovery reads it: the CNAME chain
// followed, the records of the asked type at its end.
type Lookup struct {
	Question Question
	Status   LookupStatus
	// Records are the records of the question's type at the end of the
	// CNAME chain.
	Records []Record
	// Chain is the CNAME chain followed, each link "a -> b".
	Chain []string
	// Why says, for an absent or failed lookup, what the answer was
	// ("NXDOMAIN", "SERVFAIL", "no answer: timeout").
	Why string
	// Fix says how to make a failed lookup answer.
	Fix string
}

// End returns the name the lookup's CNAME chain ends at: the question's
// name when there is no chain.
func (l Lookup) End() string {
	if len(l.Chain) == 0 {
		return l.Question.Name
	}
	return chainEnd(l.Chain)
}

// Asker asks rounds of questions as discovery does, for reports other than
// a sign-in's (the domain report): every question of a round at once,
// CNAME chains followed within each answer, bounded by the Config's
// Limits, each question recorded as a Step. Its methods may be called
// from one goroutine at a time.
type Asker struct {
	a *asker
}

// NewAsker returns an Asker for cfg's resolver, clock and limits.
func NewAsker(cfg Config) *Asker {
	return &Asker{a: &asker{cfg: cfg.withDefaults()}}
}

// Ask asks qs in one round and returns their lookups in the same order;
// purposes, when given, are the steps' Step.Purpose.
func (k *Asker) Ask(ctx context.Context, qs []Question, purposes []string) []Lookup {
	res := k.a.askFor(ctx, qs, purposes)
	out := make([]Lookup, len(res))
	for i, r := range res {
		st := LookupPresent
		switch r.status {
		case absent:
			st = LookupAbsent
		case failed:
			st = LookupFailed
		}
		out[i] = Lookup{Question: r.q, Status: st, Records: r.records, Chain: r.chain, Why: r.why}
		if st == LookupFailed {
			out[i].Fix = failureFix(r.q.Name, r)
		}
	}
	return out
}

// Steps returns every question asked so far, in rounds.
func (k *Asker) Steps() []Step {
	k.a.mu.Lock()
	defer k.a.mu.Unlock()
	return append([]Step{}, k.a.steps...)
}

// WildcardProbe returns the random name under d that discovery asks to
// detect a wildcard record (Step.Purpose PurposeWildcardProbe), drawn
// from cfg's randomness (the same name for the same Config), or "" when
// d is too long for one.
func WildcardProbe(d string, cfg Config) string {
	return probeName(d, cfg.withDefaults().probeRand)
}

// SameAnswer reports whether two present lookups found the same
// addresses, or CNAME chains ending at the same name: what a wildcard
// record (RFC 4592) gives every name it answers for.
func SameAnswer(a, b Lookup) bool {
	toResult := func(l Lookup) result {
		r := result{q: l.Question, records: l.Records, chain: l.Chain, status: absent}
		if l.Status == LookupPresent {
			r.status = present
		}
		return r
	}
	return sameAnswer(toResult(a), toResult(b))
}

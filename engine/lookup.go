package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// status classifies what one lookup established.
type status int

const (
	// present: records of the asked type exist.
	present status = iota
	// absent: definitely none (NXDOMAIN, or NOERROR without data).
	absent
	// failed: unknown — SERVFAIL, REFUSED, timeout, bad response,
	// a CNAME loop or a limit reached.
	failed
)

// result is what discovery learned from one question, CNAMEs followed.
type result struct {
	q       Question
	status  status
	records []Record // records of q.Type at the end of the CNAME chain
	// why says, for absent and failed, what the answer was
	// ("NXDOMAIN", "SERVFAIL", "no answer: timeout").
	why string
	// chain is the CNAME chain followed, "a -> b -> c".
	chain []string
	// truncated counts records dropped by Limits.MaxRecords.
	truncated int
	// cause classifies a failed lookup, for its fix.
	cause cause
	// fix is, when the resolver's error says how to fix it (a proxy
	// that wants credentials), that fix.
	fix string
	// additional are the address records of the answer's additional
	// section (Answer.Additional), not yet checked against the answer.
	additional []Record
	// round and ms are the step's round and time.
	round int
	ms    int64
}

// cause is why a lookup failed, which decides what fixes it.
type cause int

const (
	// The zero cause: no answer was obtained (the resolver's error).
	_ cause = iota
	// causeTimeout: the time allowed for the check ran out.
	causeTimeout
	// causeServer: the DNS server answered with a failure RCode.
	causeServer
	// causeCNAMELoop: the CNAME chain comes back to a name in it.
	causeCNAMELoop
	// causeCNAMEDepth: the CNAME chain is longer than the limit.
	causeCNAMEDepth
	// causeLimit: sipdisco's question limit stopped the lookup.
	causeLimit
)

// fixer is an error that says how to fix what it reports, as the DoH
// client's proxy errors do; the engine reads it through this interface
// and imports no resolver.
type fixer interface{ Fix() string }

// asker sends questions concurrently and records every one as a Step.
type asker struct {
	cfg   Config
	mu    sync.Mutex
	steps []Step
	asked int
	round int
}

// askFor sends every question at once and returns their results in the
// same order, each question's step recording its purpose (Step.Purpose;
// purposes may be nil or shorter than qs). CNAME chains are followed
// within each answer: a recursive resolver returns the whole chain (RFC
// 1034 §4.3.2 step 3a), and so does the zone resolver within its zones, so
// a chain that ends without data is NODATA and costs no further round trip.
func (a *asker) askFor(ctx context.Context, qs []Question, purposes []string) []result {
	out := make([]result, len(qs))
	answers, errs, round, ms := a.round1(ctx, qs, purposes)
	for i, q := range qs {
		out[i] = result{q: q, round: round, ms: ms[i]}
		if errs[i] != nil {
			out[i].status, out[i].why = failed, "no answer: "+errs[i].Error()
			var f fixer
			switch {
			case errors.As(errs[i], &f):
				out[i].fix = f.Fix()
			case errors.Is(errs[i], errTimedOut):
				out[i].cause = causeTimeout
			case errors.Is(errs[i], errLimit):
				out[i].cause = causeLimit
			}
			continue
		}
		a.follow(&out[i], answers[i])
		out[i].additional = answers[i].Additional
	}
	return out
}

// follow reads one answer into r, following the CNAME chain from the
// question name with loop detection and Limits.MaxCNAMEDepth.
func (a *asker) follow(r *result, ans Answer) {
	cur := r.q.Name
	seen := map[string]bool{cur: true}
	for {
		var data []Record
		var cname string
		for _, rec := range ans.Records {
			switch {
			case rec.Name != cur:
			case rec.Type == r.q.Type:
				data = append(data, rec)
			case rec.Type == TypeCNAME && cname == "":
				cname = rec.Target
			}
		}
		if len(data) > 0 {
			if n := a.cfg.Limits.MaxRecords; len(data) > n {
				r.truncated = len(data) - n
				data = data[:n]
			}
			r.status, r.records = present, data
			return
		}
		if cname == "" || r.q.Type == TypeCNAME {
			break
		}
		r.chain = append(r.chain, cur+" -> "+cname)
		if seen[cname] {
			r.status, r.why, r.cause = failed, "CNAME loop at "+cname, causeCNAMELoop
			return
		}
		if len(r.chain) > a.cfg.Limits.MaxCNAMEDepth {
			r.status, r.cause = failed, causeCNAMEDepth
			r.why = fmt.Sprintf("CNAME chain longer than %d links", a.cfg.Limits.MaxCNAMEDepth)
			return
		}
		seen[cname] = true
		cur = cname
	}
	suffix := ""
	if len(r.chain) > 0 {
		suffix = " at the end of the CNAME chain"
	}
	switch ans.RCode {
	case RCodeNameError:
		r.status, r.why = absent, "NXDOMAIN"+suffix
	case RCodeSuccess:
		r.status, r.why = absent, "no "+r.q.Type.String()+" record (NODATA)"+suffix
	default:
		r.status, r.why, r.cause = failed, ans.RCode.String(), causeServer
	}
}

// round1 sends one round of questions concurrently, records them as steps
// in the order given, and returns the answers, errors and times by index
// and the round's number.
func (a *asker) round1(ctx context.Context, qs []Question, purposes []string) ([]Answer, []error, int, []int64) {
	a.mu.Lock()
	a.round++
	round := a.round
	a.mu.Unlock()
	answers := make([]Answer, len(qs))
	errs := make([]error, len(qs))
	ms := make([]int64, len(qs))
	var start time.Time
	if a.cfg.Now != nil {
		start = a.cfg.Now()
	}
	var wg sync.WaitGroup
	for i, q := range qs {
		a.mu.Lock()
		over := a.asked >= a.cfg.Limits.MaxQuestions
		if !over {
			a.asked++
		}
		a.mu.Unlock()
		if over {
			errs[i] = fmt.Errorf("not asked: the limit of %d questions per check was reached%w", a.cfg.Limits.MaxQuestions, errLimit)
			continue
		}
		wg.Go(func() {
			answers[i], errs[i] = a.resolve(ctx, q)
			if a.cfg.Now != nil {
				ms[i] = a.cfg.Now().Sub(start).Milliseconds()
			}
		})
	}
	wg.Wait()
	steps := make([]Step, len(qs))
	for i, q := range qs {
		st := Step{Question: q.Name, Type: q.Type, RCode: NoRCode, Answers: []string{}, MS: ms[i], Round: round}
		if i < len(purposes) {
			st.Purpose = purposes[i]
		}
		if errs[i] != nil {
			st.Error = errs[i].Error()
		} else {
			st.RCode, st.Server = answers[i].RCode, answers[i].Server
			for j, rec := range answers[i].Records {
				if j == a.cfg.Limits.MaxRecords*2 {
					st.Answers = append(st.Answers, fmt.Sprintf("... %d more records not shown", len(answers[i].Records)-j))
					break
				}
				st.Answers = append(st.Answers, rec.String())
			}
		}
		steps[i] = st
	}
	a.mu.Lock()
	a.steps = append(a.steps, steps...)
	a.mu.Unlock()
	return answers, errs, round, ms
}

// supplied records the step of an answer read from the additional section
// of the answer to from, r's round and time those of that answer.
func (a *asker) supplied(r result, from string) {
	st := Step{Question: r.q.Name, Type: r.q.Type, RCode: RCodeSuccess, Answers: []string{}, MS: r.ms, Round: r.round, From: from}
	for _, rec := range r.records {
		st.Answers = append(st.Answers, rec.String())
	}
	a.mu.Lock()
	a.steps = append(a.steps, st)
	a.mu.Unlock()
}

// resolve asks one question, turning a panic in the resolver into an error
// and a context cancellation into a plain reason.
func (a *asker) resolve(ctx context.Context, q Question) (ans Answer, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("resolver failed: %v", p)
		}
	}()
	if err := ctx.Err(); err != nil {
		return Answer{}, timeoutReason(err)
	}
	ans, err = a.cfg.Resolver.Resolve(ctx, q)
	if err != nil {
		if ctx.Err() != nil {
			return Answer{}, timeoutReason(ctx.Err())
		}
		return Answer{}, err
	}
	ans.Records = canonicalRecords(ans.Records)
	ans.Additional = canonicalRecords(ans.Additional)
	return ans, nil
}

// canonicalRecords returns a copy of recs with names and targets in
// canonical form.
func canonicalRecords(recs []Record) []Record {
	recs = slices.Clone(recs)
	for i := range recs {
		recs[i].Name = canonical(recs[i].Name)
		if recs[i].Target != "" {
			recs[i].Target = canonical(recs[i].Target)
		}
	}
	return recs
}

// errTimedOut and errLimit mark, for the fix, a lookup stopped by the
// check's time budget or question limit; their text is empty so that the
// reasons read as before.
var (
	errTimedOut = quietError("timed out")
	errLimit    = quietError("")
)

// quietError is a sentinel error with the given text.
type quietError string

func (e quietError) Error() string { return string(e) }

func timeoutReason(err error) error {
	if err == context.DeadlineExceeded {
		return errTimedOut
	}
	return fmt.Errorf("cancelled")
}

// canonical lower-cases a name and drops its trailing dot, keeping the
// root as ".".
func canonical(name string) string {
	if name == "." || name == "" {
		return "."
	}
	b := []byte(name)
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

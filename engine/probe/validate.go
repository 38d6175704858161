package probe

import (
	"fmt"
	"slices"

	"github.com/sipdisco/sipdisco/engine"
)

// Limits on a Result read from outside (a pasted JSON, a snapshot link),
// which may have been made by hand: a little more than a prober ever
// produces.
const (
	// MaxAttempts is the most attempts a result may hold.
	MaxAttempts = 32
	// MaxFindings is the most findings of one attempt, or of the whole.
	MaxFindings = 128
	// maxField is the longest single string accepted.
	maxField = 4 << 10
)

// Validate checks a Result decoded from JSON someone else produced before
// a page renders it: its sizes are within what a prober produces, its
// enumerations (outcome, stage, transport, severity) are known values and
// every attempt that answered has a response. The error names the first
// offending field, as "attempts[2].outcome: ...". It does not re-judge
// anything: the findings are shown as they came, escaped by the renderer.
func Validate(r Result) error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
	}
	if len(r.Attempts) > MaxAttempts {
		return bad("attempts", "%d attempts; a probe makes at most %d", len(r.Attempts), MaxAttempts)
	}
	if err := checkFindings("findings", r.Findings); err != nil {
		return err
	}
	for _, s := range []struct{ name, v string }{{"address", r.Address}, {"client", r.Client}, {"userAgent", r.UserAgent}, {"started", r.Started}} {
		if len(s.v) > maxField {
			return bad(s.name, "longer than %d bytes", maxField)
		}
	}
	for i, a := range r.Attempts {
		f := fmt.Sprintf("attempts[%d]", i)
		if a.Transport != engine.TLS && a.Transport != engine.TCP {
			return bad(f+".transport", "%s is not TLS or TCP", quote(string(a.Transport)))
		}
		if !slices.Contains([]Outcome{Answered, Failed, Skipped}, a.Outcome) {
			return bad(f+".outcome", "%s is not answered, failed or skipped", quote(string(a.Outcome)))
		}
		if a.Outcome == Answered && a.Response == nil {
			return bad(f+".response", "an answered attempt has no response")
		}
		if a.Outcome != Answered && a.Failure == nil {
			return bad(f+".failure", "a %s attempt says nothing about why", a.Outcome)
		}
		if a.Failure != nil && !slices.Contains([]Stage{StageResolve, StageConnect, StageTLS, StageSend, StageResponse}, a.Failure.Stage) {
			return bad(f+".failure.stage", "%s is not a stage", quote(string(a.Failure.Stage)))
		}
		for _, s := range []struct{ name, v string }{{"host", a.Host}, {"source", a.Source}, {"remote", a.Remote}} {
			if len(s.v) > maxField {
				return bad(f+"."+s.name, "longer than %d bytes", maxField)
			}
		}
		if err := checkFindings(f+".findings", a.Findings); err != nil {
			return err
		}
		if a.Request != nil && len(a.Request.Headers) > MaxHeaderFields {
			return bad(f+".request.headers", "more than %d header fields", MaxHeaderFields)
		}
		if t := a.TLS; t != nil && (len(t.Chain) > 16 || len(t.Trust) > 4) {
			return bad(f+".tls", "%d certificates and %d trust results; a server sends a handful", len(t.Chain), len(t.Trust))
		}
		if resp := a.Response; resp != nil {
			switch {
			case len(resp.Headers) > MaxHeaderFields:
				return bad(f+".response.headers", "more than %d header fields", MaxHeaderFields)
			case len(resp.Body) > MaxBodyBytes:
				return bad(f+".response.body", "longer than %d bytes", MaxBodyBytes)
			case resp.Status < 100 || resp.Status > 699:
				return bad(f+".response.status", "%d is not a SIP status code", resp.Status)
			case len(resp.Challenges) > MaxHeaderFields || len(resp.Diagnostics) > MaxHeaderFields:
				return bad(f+".response", "more challenges or diagnostics than header fields")
			}
		}
	}
	return nil
}

func checkFindings(field string, fs []engine.Finding) error {
	if len(fs) > MaxFindings {
		return fmt.Errorf("%s: %d findings; at most %d", field, len(fs), MaxFindings)
	}
	for i, f := range fs {
		if !slices.Contains([]engine.Severity{engine.SeverityError, engine.SeverityWarning, engine.SeverityInfo}, f.Severity) {
			return fmt.Errorf("%s[%d].severity: %s is not error, warning or info", field, i, quote(string(f.Severity)))
		}
		if len(f.Message) > maxField || len(f.Fix) > maxField || len(f.Subject) > maxField || len(f.Kind) > 64 {
			return fmt.Errorf("%s[%d]: a field longer than %d bytes", field, i, maxField)
		}
	}
	return nil
}

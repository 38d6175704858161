package templates

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// FlowNode is one box of the decision path.
type FlowNode struct {
	Label string
	Full  string // the whole detail; its names wrap only after dots
	// State colours the box: "info", "ok", "warn", "bad" or "unknown".
	State string
}

// Flow is the SVG diagram of the decision path a report took.
type Flow struct {
	Nodes []FlowNode
	// Summary is the whole path as one sentence.
	Summary string
}

// NewFlow returns the decision path of r as diagram boxes: the address, the
// lookups, how candidates were judged, the fallback (or why there was
// none), and the outcome.
func NewFlow(r *engine.Report) Flow {
	var nodes []FlowNode
	add := func(label, detail, state string) {
		nodes = append(nodes, FlowNode{Label: label, Full: detail, State: state})
	}
	add("Sign-in address", fmt.Sprintf("%s → domain %s", r.URI, r.Domain), "info")
	if r.Policy.Manual() {
		add("Manual configuration", fmt.Sprintf("internal %s, external %s; no DNS discovery",
			orNone(r.Policy.ManualInternal), orNone(r.Policy.ManualExternal)), "info")
	} else {
		flowDiscovery(r, add)
	}
	switch r.Outcome {
	case engine.OutcomeConnect:
		d := "a server"
		if t := r.Target; t != nil {
			d = fmt.Sprintf("%s:%d over %s", t.Host, t.Port, t.Transport)
		}
		add("Signs in", d, "ok")
	case engine.OutcomeFail:
		add("Cannot sign in", "no usable server", "bad")
	default:
		add("Indeterminate", "a failed lookup hides the answer", "unknown")
	}

	parts := make([]string, len(nodes))
	for i := range nodes {
		parts[i] = nodes[i].Label + ": " + nodes[i].Full
	}
	return Flow{
		Nodes:   nodes,
		Summary: "Decision path. " + strings.Join(parts, ". Then ") + ".",
	}
}

// flowDiscovery adds the boxes of automatic configuration: the
// autodiscover and SRV lookups, a failed lookup, how the SRV targets were
// judged, and the host-record fallback or why there was none.
func flowDiscovery(r *engine.Report, add func(label, detail, state string)) {
	var fromSRV, fromFallback []engine.Candidate
	for _, c := range r.Candidates {
		if c.Source == engine.SourceFallback {
			fromFallback = append(fromFallback, c)
		} else {
			fromSRV = append(fromSRV, c)
		}
	}
	auto := autodiscoverNames(r)
	var autoSteps, srv []engine.Step
	for _, s := range r.Steps {
		switch {
		case s.Purpose != "":
			// Asked to check the DNS, not by the client.
		case auto[s.Question]:
			autoSteps = append(autoSteps, s)
		case s.Type == engine.TypeSRV:
			srv = append(srv, s)
		}
	}
	if len(autoSteps) > 0 {
		n := countSteps(autoSteps, engine.Step.HasRecords)
		add("Autodiscover names", fmt.Sprintf("%d of %d lookups answered", n, len(autoSteps)), okIf(n > 0, "ok", "warn"))
	}
	with := countSteps(srv, engine.Step.HasRecords)
	add("SRV lookups, in parallel", fmt.Sprintf("%d asked, %d with records", len(srv), with), okIf(with > 0, "ok", "warn"))
	if s, ok := failedStep(r); ok {
		add("A lookup failed", fmt.Sprintf("%s %s: %s", s.Question, s.Type, failedWhy(s)), "unknown")
	}
	switch {
	case srvExists(r):
		acc := countAccepted(fromSRV)
		add("SRV targets judged", fmt.Sprintf("%d accepted, %d refused (%s naming)", acc, len(fromSRV)-acc,
			okIf(r.Policy.StrictNaming, "strict", "loose")), okIf(acc > 0, "ok", "bad"))
		switch {
		case len(fromFallback) > 0 && (r.Target == nil || r.Target.Source == engine.SourceFallback):
			// A client that continues until one works: the engine
			// added the host records after the SRV targets.
			hostRecordsBox(r, fromFallback, add)
		case acc == 0 && len(fromFallback) == 0:
			add("No fallback", "SRV records exist, so host records are not tried", "bad")
		}
	case len(srv) > 0 && countSteps(srv, engine.Step.Failed) == 0:
		add("No SRV record at all", "the client falls back to host (A) records", "warn")
		hostRecordsBox(r, fromFallback, add)
	}
}

// hostRecordsBox adds the box of the host records the client tried, when
// it tried any.
func hostRecordsBox(r *engine.Report, fromFallback []engine.Candidate, add func(label, detail, state string)) {
	if len(fromFallback) == 0 {
		return
	}
	acc := countAccepted(fromFallback)
	add("Host-record fallback", fmt.Sprintf("%s: %d usable", strings.Join(hostRecordsTried(r), ", "), acc), okIf(acc > 0, "ok", "bad"))
}

// countSteps counts the steps for which f holds.
func countSteps(ss []engine.Step, f func(engine.Step) bool) int {
	n := 0
	for _, s := range ss {
		if f(s) {
			n++
		}
	}
	return n
}

func countAccepted(cs []engine.Candidate) int {
	n := 0
	for _, c := range cs {
		if c.Accepted {
			n++
		}
	}
	return n
}

func okIf(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// autodiscoverNames returns the autodiscover names the report's profile
// asks before SRV discovery (none for an unknown profile).
func autodiscoverNames(r *engine.Report) map[string]bool {
	names := map[string]bool{}
	if p, err := engine.LookupProfile(r.Profile); err == nil {
		for _, prefix := range p.Autodiscover {
			names[prefix+"."+r.Domain] = true
		}
	}
	return names
}

// failedWhy says why a failed step failed: the error, or the RCode.
func failedWhy(s engine.Step) string {
	if s.Error != "" {
		return s.Error
	}
	return s.RCode.String()
}

package engine

import (
	"fmt"
	"slices"
	"strings"
)

// View is the side of split-brain DNS a resolver answers for. Microsoft's
// "Determine DNS requirements for Lync Server 2013" (TechNet gg398758)
// describes two zones of one namespace, "one DNS zone services
// internal-only requests, and the other DNS zone services external-only
// requests", with many records in one and not the other.
type View string

// The views.
const (
	// ViewUnknown: a zone file, the demo zones or a resolver sipdisco
	// does not know; nothing is assumed.
	ViewUnknown View = ""
	// ViewInside: the internal DNS, as a client inside the network sees
	// it (the machine's own resolvers, an AD DNS server).
	ViewInside View = "inside"
	// ViewOutside: the public DNS, as a client on the Internet sees it
	// (a public resolver, a plan's external zone).
	ViewOutside View = "outside"
)

// ParseView reads a view as a flag or link gives it: "inside",
// "outside", or "" (and "unknown") for ViewUnknown.
func ParseView(s string) (View, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "", "unknown":
		return ViewUnknown, nil
	case string(ViewInside), string(ViewOutside):
		return View(v), nil
	}
	return ViewUnknown, fmt.Errorf("view %q: want inside or outside", s)
}

// probePrefix starts the wildcard probe's label; ProbeLabel says the rest.
const probePrefix = "sipdisco-probe-"

// probeAlphabet and probeLength make the random part of the label.
const (
	probeAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	probeLength   = 10
)

// IsProbeLabel reports whether label is one the wildcard probe asks:
// "sipdisco-probe-" and ten lower-case letters or digits. A DNS endpoint
// that passes only discovery's questions (resolve/upstream) lets
// exactly these through, for A.
func IsProbeLabel(label string) bool {
	rest, ok := strings.CutPrefix(label, probePrefix)
	if !ok || len(rest) != probeLength {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if strings.IndexByte(probeAlphabet, rest[i]) < 0 {
			return false
		}
	}
	return true
}

// probeName draws the wildcard probe's name under d from rand: a label no
// one publishes, so that any address it has comes from a wildcard. It is
// "" when the name would be longer than DNS allows.
func probeName(d string, rand func(int) int) string {
	b := []byte(probePrefix)
	for range probeLength {
		b = append(b, probeAlphabet[rand(len(probeAlphabet))])
	}
	name := string(b) + "." + d
	if len(name) > 253 {
		return ""
	}
	return name
}

// internalOnly are the names the clients ask that Microsoft's documents
// put in internal DNS only: the internal SRV records ("Required DNS
// Records for Automatic Client Sign-In", OCS 2007, TechNet bb663700: "an
// internal DNS SRV record"), sipinternal ("resolvable only on the
// internal network") and lyncdiscoverinternal ("must be defined on an
// internal DNS server"), both in "Determine DNS requirements for Lync
// Server 2013" (gg398758).
var (
	internalOnlySRV   = []SRVLookup{srvInternalTLS, srvInternalTCP}
	internalOnlyHosts = []string{"sipinternal", "lyncdiscoverinternal"}
)

// viewQuestions returns the questions round one asks besides the
// client's (asked), with their purposes: in the outside view the
// internal-only names the client does not ask in round one, and always
// the wildcard probe.
func (w *walk) viewQuestions(asked []Question) ([]Question, []string) {
	var qs []Question
	var ps []string
	add := func(q Question, p string) {
		if !slices.Contains(asked, q) && !slices.Contains(qs, q) {
			qs, ps = append(qs, q), append(ps, p)
		}
	}
	if w.cfg.View == ViewOutside {
		for _, l := range internalOnlySRV {
			add(Question{Name: l.Service + "." + w.d, Type: TypeSRV}, PurposeInternalOnly)
		}
		for _, h := range internalOnlyHosts {
			for _, q := range w.addrQuestions(h + "." + w.d) {
				add(q, PurposeInternalOnly)
			}
		}
	}
	if w.probe = probeName(w.d, w.cfg.probeRand); w.probe != "" {
		add(Question{Name: w.probe, Type: TypeA}, PurposeWildcardProbe)
	}
	return qs, ps
}

// checkViews adds the findings of the two checks the questions of
// viewQuestions make: internal-only names the outside view answers, and
// answers that may come from a wildcard. It runs after decide, so that
// it can say whether the target is among them.
func (w *walk) checkViews() {
	probe, ok := w.seen[Question{Name: w.probe, Type: TypeA}]
	wild := w.wildcardLike
	if w.cfg.View == ViewOutside {
		w.internalOnlyFindings(wild)
	}
	if ok && probe.status == present {
		w.wildcardFinding(probe, wild)
	}
}

// internalOnlyFindings reports every internal-only name the outside view
// answers with records of its own (a wildcard's answer leaks nothing).
func (w *walk) internalOnlyFindings(wild func(string) bool) {
	d, t := w.d, w.rep.Target
	for _, l := range internalOnlySRV {
		name := l.Service + "." + d
		r := w.seen[Question{Name: name, Type: TypeSRV}]
		if r.status != present {
			continue
		}
		var targets []string
		for _, rec := range r.records {
			if rec.Target != "." {
				targets = append(targets, Endpoint(rec.Target, rec.Port, l.Transport))
			}
		}
		if len(targets) == 0 {
			continue // "." says the service is not offered, and names no server
		}
		sev, then := SeverityWarning, ""
		if t != nil && t.Source == name {
			sev, then = SeverityError, fmt.Sprintf(" Here it gives the server the client picks, at an address that is not private: outside the network the client signs in to %s only if that address leads to it from the Internet, and otherwise waits for it to fail first.", t.Host)
		}
		del := deleteRecord(name, TypeSRV, "", FixExternal)
		w.find(Finding{Kind: KindInternalNameOutside, Severity: sev, Subject: name,
			Message: fmt.Sprintf("The public DNS this check asked answers %s (%s), a record Microsoft's documentation puts in internal DNS only (\"Required DNS Records for Automatic Client Sign-In\": \"an internal DNS SRV record\"). Anyone on the Internet can read the internal server names it gives, and clients outside the network are sent to servers they cannot reach.%s", name, strings.Join(targets, ", "), then),
			Fix:     fmt.Sprintf("Delete %s from the external (public) zone; keep it in internal DNS only.", del), Records: []FixRecord{del}})
	}
	for _, h := range internalOnlyHosts {
		name := h + "." + d
		if wild(name) {
			continue // reported with the wildcard
		}
		var addrs, types []string
		for _, q := range w.addrQuestions(name) {
			r, ok := w.seen[q]
			if !ok || r.status != present {
				continue
			}
			for _, rec := range r.records {
				addrs = append(addrs, rec.Addr.String())
			}
			ty := q.Type.String()
			if len(r.chain) > 0 && strings.HasPrefix(r.chain[0], name+" -> ") {
				ty = TypeCNAME.String()
			}
			if !slices.Contains(types, ty) {
				types = append(types, ty)
			}
		}
		if len(types) == 0 {
			continue
		}
		var dels []FixRecord
		for _, ty := range types {
			t, _ := ParseType(ty)
			dels = append(dels, deleteRecord(name, t, "", FixExternal))
		}
		what := fmt.Sprintf("a host record \"resolvable only on the internal network\" (\"Determine DNS requirements for Lync Server 2013\"). Anyone on the Internet can read the internal server's address, and a client outside the network that reaches the host records tries %s first, though it cannot reach it.", name)
		if h == "lyncdiscoverinternal" {
			what = "the internal autodiscover name, which \"must be defined on an internal DNS server\" (\"Determine DNS requirements for Lync Server 2013\"). Anyone on the Internet can read the internal web services' address, and Lync clients outside the network ask them first, though they cannot reach them."
		}
		sev, then := SeverityWarning, ""
		if t != nil && t.Host == name {
			sev, then = SeverityError, fmt.Sprintf(" Here it is the server the client picks, at an address that is not private: outside the network the client signs in to %s only if that address leads to it from the Internet, and otherwise waits for it to fail first.", name)
		}
		w.find(Finding{Kind: KindInternalNameOutside, Severity: sev, Subject: name,
			Message: fmt.Sprintf("The public DNS this check asked answers %s (%s): %s%s", name, strings.Join(addrs, ", "), what, then),
			Fix:     fmt.Sprintf("Delete %s from the external (public) zone; keep it in internal DNS only.", recordList(dels)), Records: dels})
	}
}

// wildcardFinding reports, when a host the client tries up to the server
// it signs in to (all of them when it finds none) has the probe's
// addresses, every answer that has them: those hosts, and any other name
// asked.
func (w *walk) wildcardFinding(probe result, wild func(string) bool) {
	d := w.d
	var tried, fallback []string
	last := len(w.rep.Candidates) - 1
	if t := w.rep.Target; w.rep.Outcome == OutcomeConnect && t != nil {
		last = slices.IndexFunc(w.rep.Candidates, func(c Candidate) bool {
			return c.Host == t.Host && c.Port == t.Port && c.Transport == t.Transport && c.Source == t.Source
		})
	}
	for i, c := range w.rep.Candidates {
		if i > last || !wild(c.Host) || slices.Contains(tried, c.Host) {
			continue
		}
		tried = append(tried, c.Host)
		if c.Source == SourceFallback {
			fallback = append(fallback, c.Host)
		}
	}
	if len(tried) == 0 {
		return
	}
	all := slices.Clone(tried)
	for _, st := range w.ask.steps {
		if st.Type == TypeA && st.Question != w.probe && wild(st.Question) && !slices.Contains(all, st.Question) {
			all = append(all, st.Question)
		}
	}
	var addrs []string
	for _, rec := range probe.records {
		addrs = append(addrs, rec.Addr.String())
	}
	msg := fmt.Sprintf("%s, a random name under %s that should not exist, resolves (%s): %s has a wildcard record (RFC 4592), which answers for every name that has no records of its own. These answers have the same addresses and may be made up by it: %s.", w.probe, d, strings.Join(addrs, ", "), d, strings.Join(all, ", "))
	var recs []FixRecord
	if len(fallback) > 0 {
		msg += fmt.Sprintf(" The client reaches %s only because every name under %s resolves, so it may sign in to whatever the wildcard points at.", strings.Join(fallback, ", "), d)
		recs = w.viewSRV()
	} else {
		msg += fmt.Sprintf(" The SRV records name %s, which has no address record of its own, so the client connects to whatever the wildcard points at.", strings.Join(tried, ", "))
		for _, h := range tried {
			for _, c := range w.rep.Candidates {
				if c.Host == h {
					role, view := w.sourceRole(c.Source, c.Host)
					recs = append(recs, supplyAddr(h, view, role))
					break
				}
			}
		}
	}
	fix := fmt.Sprintf("Do not rely on the wildcard *.%s: publish %s. A name with records of its own is not answered by the wildcard (RFC 4592 §2.2.1).", d, inViews(recs))
	w.find(Finding{Kind: KindWildcardArtefact, Severity: SeverityWarning, Subject: "*." + d, Message: msg, Fix: fix, Records: recs})
}

// wildcardLike reports whether name's address lookup has the wildcard
// probe's addresses (round one asked both).
func (w *walk) wildcardLike(name string) bool {
	probe, ok := w.seen[Question{Name: w.probe, Type: TypeA}]
	return ok && w.probe != "" && sameAnswer(w.seen[Question{Name: name, Type: TypeA}], probe)
}

// sameAnswer reports whether two address lookups found the same
// addresses, or CNAME chains ending at the same name: what a wildcard
// gives every name it answers for.
func sameAnswer(a, b result) bool {
	if a.status != present || b.status != present {
		return false
	}
	if len(a.chain) > 0 && len(b.chain) > 0 && chainEnd(a.chain) == chainEnd(b.chain) {
		return true
	}
	return slices.Equal(addressSet(a), addressSet(b))
}

func chainEnd(chain []string) string {
	l := chain[len(chain)-1]
	return l[strings.LastIndex(l, " -> ")+4:]
}

func addressSet(r result) []string {
	var out []string
	for _, rec := range r.records {
		out = append(out, rec.Addr.String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

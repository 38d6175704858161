package logread

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Verdict says how a point of the log compares with the prediction.
type Verdict string

// The verdicts.
const (
	Agrees  Verdict = "agrees"
	Differs Verdict = "differs"
	// Note is something the prediction does not cover, shown beside it.
	Note Verdict = "note"
)

// Point is one thing the log and the prediction are compared on.
type Point struct {
	// Kind is "outcome", "server", "port", "redirect" or "scheme".
	Kind    string  `json:"kind"`
	Verdict Verdict `json:"verdict"`
	// Log is what the client did, Predicted what the report expects.
	Log       string `json:"log"`
	Predicted string `json:"predicted,omitempty"`
	// Means says what the difference means.
	Means string `json:"means"`
}

// Comparison sets a log's sign-in beside sipdisco's prediction for its
// address.
type Comparison struct {
	Address string `json:"address"`
	Profile string `json:"profile"`
	// Outcome and Target are the prediction's.
	Outcome engine.Outcome `json:"outcome"`
	Target  string         `json:"target,omitempty"`
	// Addresses are the target's addresses.
	Addresses []string `json:"addresses"`
	Points    []Point  `json:"points"`
}

// ProfileFor returns the client profile whose client wrote a User-Agent,
// from its "OC/major.minor" product token: 3.5 is Office Communicator
// 2007 R2, 2.0 Communicator 2007, 4.0 Lync 2010, 15.0 Lync 2013 and Skype
// for Business 2015, 16.0 Skype for Business 2016 and later; "" when the
// User-Agent names none of them.
func ProfileFor(userAgent string) string {
	i := strings.Index(userAgent, "OC/")
	if i < 0 {
		return ""
	}
	v := userAgent[i+3:]
	switch {
	case strings.HasPrefix(v, "2.0."):
		return "communicator-2007"
	case strings.HasPrefix(v, "3.5."):
		return "communicator-2007-r2"
	case strings.HasPrefix(v, "4.0."):
		return "lync-2010"
	case strings.HasPrefix(v, "15.0."):
		return "lync-2013"
	case strings.HasPrefix(v, "16.0."):
		return "skype-2016"
	}
	return ""
}

// Compare sets the log's sign-in beside rep, the report of a check of the
// log's sign-in address. It compares only what a client's own log can
// show: a server trace or a log without a sign-in gives a comparison with
// no points but a note saying so.
func Compare(l *Log, rep *engine.Report) *Comparison {
	c := &Comparison{Address: rep.URI, Profile: rep.Profile, Outcome: rep.Outcome, Addresses: []string{}, Points: []Point{}}
	if t := rep.Target; t != nil {
		c.Target = t.Endpoint()
		c.Addresses = append(c.Addresses, t.Addresses...)
	}
	si := l.SignIn
	if si == nil || len(si.Attempts) == 0 {
		c.Points = append(c.Points, Point{Kind: "outcome", Verdict: Note, Log: "no sign-in (REGISTER) in the log", Predicted: string(rep.Outcome), Means: "the log holds nothing to compare with the prediction"})
		return c
	}
	if l.Perspective == "server" {
		c.Points = append(c.Points, Point{Kind: "outcome", Verdict: Note, Log: "a server's view of the sign-in (" + string(si.Outcome) + ")", Predicted: string(rep.Outcome), Means: "a server's log does not say which server the client chose; only the outcome is shown beside the prediction"})
		return c
	}
	first := si.Attempts[0]
	reached := first.FinalStatus != 0 || len(first.Steps) > 1
	switch {
	case rep.Outcome == engine.OutcomeConnect && reached:
		c.Points = append(c.Points, Point{Kind: "outcome", Verdict: Agrees, Log: "the client reached a server and it answered (" + string(si.Outcome) + ")", Predicted: "discovery finds a server", Means: "discovery and the client agree that there is a server to sign in to"})
	case rep.Outcome != engine.OutcomeConnect && reached:
		c.Points = append(c.Points, Point{Kind: "outcome", Verdict: Differs, Log: "the client reached a server and it answered (" + string(si.Outcome) + ")", Predicted: "no server (" + string(rep.Outcome) + ")", Means: "the client found its server another way than the DNS answers sipdisco asked: a manually configured server, other DNS answers (the other side of split-brain DNS) or a server it remembered"})
	case rep.Outcome == engine.OutcomeConnect:
		c.Points = append(c.Points, Point{Kind: "outcome", Verdict: Differs, Log: "the client's REGISTER had no answer in the log", Predicted: "discovery finds a server", Means: "the server discovery finds did not answer the client, or the log ends too early"})
	}
	if t := rep.Target; t != nil && first.Server != "" {
		c.Points = append(c.Points, serverPoints(first.Server, t, rep.Candidates)...)
	}
	if len(si.Redirects) > 0 {
		c.Points = append(c.Points, Point{Kind: "redirect", Verdict: Note, Log: "redirected (3xx) to " + strings.Join(si.Redirects, ", "), Predicted: "where the client starts; discovery does not foresee a redirect",
			Means: "the first server sent the client to another one, as a Director or a pool that is not the user's home sends it to the user's home pool; the prediction stops at the first server"})
	}
	if si.Chosen != "" {
		p := Point{Kind: "scheme", Verdict: Note, Log: si.Chosen + " chosen from " + strings.Join(si.Offered, ", "), Means: "the scheme the client chose among those the server offered"}
		if rep.Register != nil && rep.Register.Protocol != "" {
			p.Predicted = rep.Register.Protocol
			p.Verdict = Agrees
			p.Means = "the simulated sign-in chose the same scheme"
			if !strings.EqualFold(rep.Register.Protocol, si.Chosen) {
				p.Verdict = Differs
				p.Means = "the client chose another scheme than the simulated sign-in: the server offered other schemes, or the client's credentials or policy differ from the simulation's"
			}
		}
		c.Points = append(c.Points, p)
	}
	return c
}

// serverPoints compares the server the client first sent to (ip:port)
// with the predicted target and the other candidates.
func serverPoints(remote string, t *engine.Target, cands []engine.Candidate) []Point {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return []Point{{Kind: "server", Verdict: Note, Log: remote, Predicted: t.Endpoint(), Means: "the log names the server by a name or an address sipdisco cannot compare"}}
	}
	ip := ap.Addr().Unmap().String()
	port := strconv.Itoa(int(ap.Port()))
	var out []Point
	switch {
	case slices.Contains(t.Addresses, ip):
		out = append(out, Point{Kind: "server", Verdict: Agrees, Log: ip, Predicted: t.Host + " (" + strings.Join(t.Addresses, ", ") + ")", Means: "the client went where discovery leads"})
	default:
		other := ""
		for _, cd := range cands {
			if cd.Host != t.Host && slices.Contains(cd.Addresses, ip) {
				other = cd.Endpoint()
				break
			}
		}
		p := Point{Kind: "server", Verdict: Differs, Log: ip, Predicted: t.Host + " (" + strings.Join(t.Addresses, ", ") + ")"}
		if other != "" {
			p.Means = fmt.Sprintf("the client used another candidate, %s: the predicted one did not answer it, or its DNS answers ordered them differently", other)
		} else {
			p.Means = "discovery does not lead to this address: the client found its server another way (a manually configured server, other DNS answers, a server it remembered)"
		}
		out = append(out, p)
	}
	v, means := Agrees, "the client used the port discovery gives"
	if port != strconv.Itoa(int(t.Port)) {
		v, means = Differs, "the client used another port than the SRV record gives: a manually configured server, or another record"
	}
	out = append(out, Point{Kind: "port", Verdict: v, Log: port, Predicted: strconv.Itoa(int(t.Port)), Means: means})
	return out
}

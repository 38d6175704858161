package logread

import "slices"

// Outcome is how a log's sign-in ended.
type Outcome string

// The outcomes.
const (
	// SignedIn: the last REGISTER was answered 2xx.
	SignedIn Outcome = "signed-in"
	// Failed: it was answered with a final error (not 401 or 407).
	Failed Outcome = "failed"
	// Challenged: the last answer asked for credentials (401 or 407)
	// and the log shows no more.
	Challenged Outcome = "challenged"
	// Redirected: an attempt was sent elsewhere (3xx); only an attempt
	// has this outcome, the sign-in's is that of the attempt after it.
	Redirected Outcome = "redirected"
	// Unknown: no final answer is in the log.
	Unknown Outcome = "unknown"
)

// Attempt is one sign-in attempt: the REGISTER messages of one Call-ID
// and their answers, as a ladder.
type Attempt struct {
	CallID string `json:"callId"`
	// Address is the From URI of its first REGISTER: the sign-in
	// address.
	Address string `json:"address,omitempty"`
	// Server is where its first REGISTER went (the remote ip:port), in
	// a client's log.
	Server string `json:"server,omitempty"`
	// Peer is, in a server's trace, where its first REGISTER came from:
	// the client or the previous hop.
	Peer  string    `json:"peer,omitempty"`
	Steps []Message `json:"steps"`
	// Offered are the authentication schemes the answers offered
	// (WWW-Authenticate, Proxy-Authenticate), in order, each once.
	Offered []string `json:"offered"`
	// Chosen is the scheme of the last REGISTER's Authorization.
	Chosen      string `json:"chosen,omitempty"`
	FinalStatus int    `json:"finalStatus,omitempty"`
	FinalReason string `json:"finalReason,omitempty"`
	// Redirect is the Contact of a 3xx answer.
	Redirect string `json:"redirect,omitempty"`
	// SignOut is set for a REGISTER with Expires: 0.
	SignOut bool    `json:"signOut,omitempty"`
	Outcome Outcome `json:"outcome"`
	// Dropped counts the messages beyond Limits.PerCall.
	Dropped int `json:"dropped,omitempty"`
}

// SignIn is the sign-in a log shows: its attempts, and the outcome of the
// last one that is not a sign-out.
type SignIn struct {
	Outcome     Outcome   `json:"outcome"`
	Address     string    `json:"address,omitempty"`
	Server      string    `json:"server,omitempty"`
	Peer        string    `json:"peer,omitempty"`
	Offered     []string  `json:"offered"`
	Chosen      string    `json:"chosen,omitempty"`
	FinalStatus int       `json:"finalStatus,omitempty"`
	FinalReason string    `json:"finalReason,omitempty"`
	Redirects   []string  `json:"redirects"`
	Attempts    []Attempt `json:"attempts"`
}

// ladder adds a REGISTER or an answer to one to its Call-ID's attempt.
func (rd *reader) ladder(m Message) {
	a, ok := rd.calls[m.CallID]
	if !ok {
		if len(rd.calls) >= rd.lim.Calls {
			rd.log.Dropped.Calls++
			return
		}
		a = &Attempt{CallID: m.CallID, Steps: []Message{}, Offered: []string{}}
		rd.calls[m.CallID] = a
		rd.callOrder = append(rd.callOrder, m.CallID)
	}
	if m.Status == 0 {
		if a.Address == "" {
			a.Address = m.from
		}
		if a.Server == "" {
			a.Server = m.Remote
		}
		if m.chosen != "" {
			a.Chosen = m.chosen
		}
		a.SignOut = m.expires == "0"
	} else {
		for _, s := range m.offered {
			if !slices.Contains(a.Offered, s) && len(a.Offered) < 8 {
				a.Offered = append(a.Offered, s)
			}
		}
		if m.Status >= 200 {
			a.FinalStatus = m.Status
			a.FinalReason = clip(reasonOf(m.StartLine), 120)
			if m.Status < 400 && len(m.contacts) > 0 {
				a.Redirect = clip(m.contacts[0].value, 300)
			}
		}
	}
	if len(a.Steps) >= rd.lim.PerCall {
		a.Dropped++
		rd.log.Dropped.CallMessages++
		return
	}
	a.Steps = append(a.Steps, m)
}

// reasonOf returns a status line's reason phrase.
func reasonOf(start string) string {
	// SIP/2.0 403 Forbidden
	if len(start) > 12 {
		return start[12:]
	}
	return ""
}

// outcomeOf is an attempt's outcome from its final status.
func outcomeOf(a *Attempt) Outcome {
	switch s := a.FinalStatus; {
	case s == 0:
		for i := len(a.Steps) - 1; i >= 0; i-- {
			if st := a.Steps[i].Status; st == 401 || st == 407 {
				return Challenged
			}
		}
		return Unknown
	case s < 300:
		return SignedIn
	case s < 400:
		return Redirected
	case s == 401 || s == 407:
		return Challenged
	default:
		return Failed
	}
}

// finish completes the log: each attempt's outcome, and the sign-in.
func (rd *reader) finish() *Log {
	if len(rd.callOrder) == 0 {
		return &rd.log
	}
	si := &SignIn{Offered: []string{}, Redirects: []string{}, Attempts: []Attempt{}, Outcome: Unknown}
	var last *Attempt
	for _, id := range rd.callOrder {
		a := rd.calls[id]
		a.Outcome = outcomeOf(a)
		if rd.log.Perspective == "server" {
			a.Server, a.Peer = "", a.Server
		}
		if a.Redirect != "" {
			si.Redirects = append(si.Redirects, a.Redirect)
		}
		if si.Address == "" {
			si.Address = a.Address
		}
		if !a.SignOut {
			last = a
		}
		si.Attempts = append(si.Attempts, *a)
	}
	if last != nil {
		si.Server, si.Peer, si.Chosen, si.FinalStatus, si.FinalReason = last.Server, last.Peer, last.Chosen, last.FinalStatus, last.FinalReason
		si.Offered = append(si.Offered, last.Offered...)
		si.Outcome = last.Outcome
		if si.Outcome == Redirected {
			// The log ends before the client signs in where it was sent.
			si.Outcome = Unknown
		}
	}
	rd.log.SignIn = si
	return &rd.log
}

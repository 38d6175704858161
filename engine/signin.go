package engine

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine/register"
)

// SignIn asks Discover to simulate the sign-in that follows discovery: the
// unauthenticated REGISTER, the server's challenge and the client's answer
// (package register), against the target discovery found.
type SignIn struct {
	// Input describes the account, credentials and server; Discover fills
	// in the client, the address and the server's name, port, transport
	// and challenge version from the profile and the target.
	Input register.Input
	// IDs supplies Call-IDs, tags, branches and tokens; nil uses a
	// deterministic counter so that reports are reproducible.
	IDs register.IDs
}

// NotSent is the register outcome when discovery found no server, so no
// REGISTER is sent at all.
const NotSent = "not-sent"

// simulateSignIn attaches the REGISTER exchange to rep.
func simulateSignIn(rep *Report, prof *Profile, s *SignIn) error {
	if rep.Outcome != OutcomeConnect {
		why := "discovery found no server the client can use"
		if rep.Outcome == OutcomeIndeterminate {
			why = "a DNS lookup failed, so it is unknown which server the client would use"
		}
		rep.Register = &register.Exchange{
			Client: prof.Name, Messages: []register.Message{}, Outcome: NotSent,
			Explanation: fmt.Sprintf("No REGISTER is sent: %s. The client reports that it cannot sign in because the server is unavailable, before any credentials are asked for.", why),
			Fix:         "Fix the discovery findings above first; the sign-in exchange starts once a server is found.",
		}
		return nil
	}
	in := s.Input
	in.Client = prof.Name
	in.Address = rep.URI
	in.Server.FQDN = rep.Target.Host
	in.Server.Port = int(rep.Target.Port)
	in.Server.Transport = strings.ToLower(string(rep.Target.Transport))
	if in.Server.ChallengeVersion == 0 {
		in.Server.ChallengeVersion = prof.ChallengeVersion
	}
	ids := s.IDs
	if ids == nil {
		ids = new(register.Counter)
	}
	ex, err := register.Simulate(in, ids)
	if err != nil {
		return err
	}
	rep.Register = &ex
	return nil
}

package signin

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Attach simulates the sign-in that follows the discovery rep reports and
// sets rep.Register. in describes the sign-in address, the account, the
// credentials and what the server offers (Settings.Input builds it);
// Attach fills in the client from rep's profile, and the server's name,
// port, transport and challenge version from rep's target. ids supplies Call-IDs, tags, branches and tokens; nil
// uses a Counter, so that reports are reproducible.
//
// When discovery found no server (or a failed lookup makes it unknown),
// no REGISTER is sent: the exchange has no message and says why.
func Attach(rep *engine.Report, in Input, ids IDs) error {
	prof, err := engine.LookupProfile(rep.Profile)
	if err != nil {
		return err
	}
	if rep.Outcome != engine.OutcomeConnect || rep.Target == nil {
		why := "discovery found no server the client can use"
		if rep.Outcome == engine.OutcomeIndeterminate {
			why = "a DNS lookup failed, so it is unknown which server the client would use"
		}
		rep.Register = &engine.Exchange{
			Client: prof.Name, Messages: []engine.Message{}, Outcome: engine.SignInNotSent,
			Explanation: fmt.Sprintf("No REGISTER is sent: %s. The client reports that it cannot sign in because the server is unavailable, before any credentials are asked for.", why),
			Fix:         "Fix the discovery findings above first; the sign-in exchange starts once a server is found.",
		}
		return nil
	}
	if rep.Target.Source == engine.SourceAutodiscover {
		// The target is the Autodiscover web service, a prediction: the
		// SIP server is what the web service's user document names,
		// which DNS does not show ("Understanding Autodiscover in Lync
		// Server 2013", TechNet JJ945654).
		rep.Register = &engine.Exchange{
			Client: prof.Name, Messages: []engine.Message{}, Outcome: engine.SignInNotSent,
			Explanation: "No REGISTER is simulated: the client takes its SIP server from the Autodiscover web service's answer for the user, which DNS does not show and the simulation cannot know.",
			Fix:         "Observe the web service with sipdisco check --connect; publish the SRV records so that the server is known from DNS as well.",
		}
		return nil
	}
	in.Client = prof.Name
	in.Server.FQDN = rep.Target.Host
	in.Server.Port = int(rep.Target.Port)
	in.Server.Transport = strings.ToLower(string(rep.Target.Transport))
	if ids == nil {
		ids = new(Counter)
	}
	ex, err := Simulate(in, ids)
	if err != nil {
		return err
	}
	rep.Register = &ex
	return nil
}

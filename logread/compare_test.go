package logread

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sipdisco/sipdisco/engine"
)

// healthy is a report as sipdisco's check makes it for healthy.example's
// demo zone: sip.healthy.example:5061 TLS at 192.0.2.10.
func healthy() *engine.Report {
	return &engine.Report{URI: "sip:bob@healthy.example", Profile: "skype-2016", Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "sip.healthy.example", Port: 5061, Transport: "TLS", Addresses: []string{"192.0.2.10"}},
		Candidates: []engine.Candidate{
			{Host: "sip.healthy.example", Port: 5061, Transport: "TLS", Accepted: true, Addresses: []string{"192.0.2.10"}},
			{Host: "sipbackup.healthy.example", Port: 5061, Transport: "TLS", Accepted: true, Addresses: []string{"192.0.2.30"}},
		}}
}

func verdicts(c *Comparison) []string {
	var out []string
	for _, p := range c.Points {
		out = append(out, p.Kind+" "+string(p.Verdict)+" "+p.Log)
	}
	return out
}

func TestCompare(t *testing.T) {
	noServer := healthy()
	noServer.Outcome, noServer.Target = engine.OutcomeFail, nil
	withRegister := healthy()
	withRegister.Register = &engine.Exchange{Protocol: "Kerberos"}
	tests := []struct {
		name string
		file string
		rep  *engine.Report
		edit func(*Log)
		want []string
	}{
		{"agrees", "uccapi-tlsdsk-signin.uccapilog", healthy(), nil, []string{
			"outcome agrees the client reached a server and it answered (signed-in)",
			"server agrees 192.0.2.10", "port agrees 5061",
			"scheme note TLS-DSK chosen from NTLM, Kerberos, TLS-DSK"}},
		{"redirect", "uccapi-redirect-404.uccapilog", healthy(), nil, []string{
			"outcome agrees the client reached a server and it answered (failed)",
			"server agrees 192.0.2.10", "port agrees 5061",
			"redirect note redirected (3xx) to sip:pool02.healthy.example:5061;transport=tls",
			"scheme note Kerberos chosen from NTLM, Kerberos"}},
		{"scheme simulated", "uccapi-ntlm-403.uccapilog", withRegister, nil, []string{
			"outcome agrees the client reached a server and it answered (failed)",
			"server agrees 192.0.2.10", "port agrees 5061",
			"scheme differs NTLM chosen from NTLM, Kerberos"}},
		{"another candidate and port", "uccapi-ntlm-403.uccapilog", healthy(), func(l *Log) { l.SignIn.Attempts[0].Server = "192.0.2.30:443" }, []string{
			"outcome agrees the client reached a server and it answered (failed)",
			"server differs 192.0.2.30", "port differs 443",
			"scheme note NTLM chosen from NTLM, Kerberos"}},
		{"no server predicted", "uccapi-ntlm-403.uccapilog", noServer, nil, []string{
			"outcome differs the client reached a server and it answered (failed)",
			"scheme note NTLM chosen from NTLM, Kerberos"}},
		{"server trace", "server-1010.log", healthy(), nil, []string{"outcome note a server's view of the sign-in (failed)"}},
		{"no sign-in", "eventlog.txt", healthy(), nil, []string{"outcome note no sign-in (REGISTER) in the log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := readFile(t, tt.file, DefaultLimits())
			if tt.edit != nil {
				tt.edit(l)
			}
			c := Compare(l, tt.rep)
			if diff := cmp.Diff(verdicts(c), tt.want); diff != "" {
				t.Errorf("Compare (-got +want):\n%s", diff)
			}
			for _, p := range c.Points {
				if p.Means == "" {
					t.Errorf("point %+v says nothing of what it means", p)
				}
			}
		})
	}
}

package signin_test

import (
	"fmt"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

// The example of "Office Communicator Sign-in and Discovery": Jeremy's
// sign-in address with Vadim's account and password.
func ExampleSimulate() {
	jeremy, _ := engine.ParseURI("sip:jeremy@contoso.com")
	vadim, _ := engine.ParseURI("sip:vadim@contoso.com")
	ex, err := signin.Simulate(signin.Input{
		Address:     jeremy,
		Account:     `CONTOSO\vadim`,
		Credentials: signin.PromptCredentials,
		Server:      signin.Server{FQDN: "ocs1.contoso.com", Offers: []string{"NTLM", "Kerberos"}},
		Directory: []signin.User{
			{Account: `CONTOSO\jeremy`, Address: jeremy},
			{Account: `CONTOSO\vadim`, Address: vadim},
		},
	}, new(signin.Counter))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range ex.Messages {
		fmt.Println(m.Label)
	}
	fmt.Println(ex.Outcome, ex.Failure)
	fmt.Println(ex.Messages[len(ex.Messages)-1].Get("ms-diagnostics-public")[0])
	// Output:
	// REGISTER (CSeq 1)
	// 401 Unauthorized
	// REGISTER (CSeq 2)
	// 401 Unauthorized
	// REGISTER (CSeq 3)
	// 403 Forbidden
	// failed address-and-account-mismatch
	// 4004;reason="Credentials provided are not authorized to act as specified from URI."
}

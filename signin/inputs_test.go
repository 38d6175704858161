package signin

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDirectory: the directory a sign-in implies holds the owner of the
// address and the other accounts in play, without inventing an address
// for them; a UPN with the owner's user name is the owner's (issue 16,
// item 9).
func TestDirectory(t *testing.T) {
	addr := uri("sip:jeremy@contoso.com")
	tests := []struct {
		name                    string
		account, desktop, owner string
		notEnabled              bool
		want                    []User
	}{
		{"the account owns the address", "jeremy@contoso.com", "", "", false, nil},
		{"mismatch: vadim's address is not invented", `CONTOSO\vadim`, "", `CONTOSO\jeremy`, false, []User{
			{Account: `CONTOSO\jeremy`, Address: addr},
			{Account: `CONTOSO\vadim`, AddressUnknown: true}}},
		{"the address as UPN is the owner's", "jeremy@contoso.com", "", `CONTOSO\jeremy`, false, []User{
			{Account: `CONTOSO\jeremy`, UPN: "jeremy@contoso.com", Address: addr}}},
		{"the Windows logon of another domain user", "jeremy@contoso.com", `CONTOSO\vadim`, `CONTOSO\jeremy`, false, []User{
			{Account: `CONTOSO\jeremy`, UPN: "jeremy@contoso.com", Address: addr},
			{Account: `CONTOSO\vadim`, AddressUnknown: true}}},
		{"the Windows logon is the owner's", "jeremy@contoso.com", `contoso\JEREMY`, `CONTOSO\jeremy`, false, []User{
			{Account: `CONTOSO\jeremy`, UPN: "jeremy@contoso.com", Address: addr}}},
		{"not enabled", "jeremy@contoso.com", "", "", true, []User{
			{Account: "jeremy@contoso.com", UPN: "jeremy@contoso.com"}}},
		{"another UPN", "vadim@contoso.com", "", `CONTOSO\jeremy`, false, []User{
			{Account: `CONTOSO\jeremy`, Address: addr},
			{Account: "vadim@contoso.com", UPN: "vadim@contoso.com", AddressUnknown: true}}},
	}
	for _, tt := range tests {
		got := Directory(addr, tt.account, tt.desktop, tt.owner, tt.notEnabled)
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("%s: Directory (-got +want):\n%s", tt.name, diff)
		}
		// Every directory it builds is one Simulate accepts.
		in := Input{Address: addr, Account: tt.account, DesktopAccount: tt.desktop, Credentials: CurrentCredentials, Server: Server{FQDN: "pool01.contoso.com"}, Directory: got}
		if _, err := Simulate(in, new(Counter)); err != nil {
			t.Errorf("%s: Simulate with the directory: %v", tt.name, err)
		}
	}
}

func TestParseSettings(t *testing.T) {
	for in, want := range map[string]string{"": CurrentCredentials, "Windows": CurrentCredentials, "saved": SavedCredentials, " PROMPT ": PromptCredentials, "none": NoCredentials} {
		if got, err := ParseCredentials(in); got != want || err != nil {
			t.Errorf("ParseCredentials(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseCredentials("stolen"); err == nil || !strings.Contains(err.Error(), `"stolen"`) {
		t.Errorf("ParseCredentials(stolen) error = %v; want it to name the value", err)
	}
	got, err := ParseOffers("tls-dsk, NTLM,ntlm,kerberos")
	if diff := cmp.Diff(got, []string{TLSDSK, NTLM, Kerberos}); diff != "" || err != nil {
		t.Errorf("ParseOffers = %v (%v) (-got +want):\n%s", got, err, diff)
	}
	for _, bad := range []string{"", ",", "digest", "ntlm,basic"} {
		if _, err := ParseOffers(bad); err == nil {
			t.Errorf("ParseOffers(%q) succeeded; want an error", bad)
		}
	}
	if got := SplitNames(" sip.contoso.com, pool01.contoso.com ,,x"); !cmp.Equal(got, []string{"sip.contoso.com", "pool01.contoso.com", "x"}) {
		t.Errorf("SplitNames = %q", got)
	}
}

package register

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSettingsInput(t *testing.T) {
	tests := []struct {
		name string
		s    Settings
		want Input
	}{
		{"defaults", Settings{},
			Input{Account: "jeremy@contoso.com", Credentials: CurrentCredentials}},
		{"mismatch", Settings{Account: `CONTOSO\vadim`, Owner: `CONTOSO\jeremy`, Credentials: SavedCredentials},
			Input{Account: `CONTOSO\vadim`, Credentials: SavedCredentials, Directory: []User{
				{Account: `CONTOSO\jeremy`, Address: uri("sip:jeremy@contoso.com")},
				{Account: `CONTOSO\vadim`, Address: uri("sip:vadim@contoso.com")}}}},
		{"not enabled", Settings{Account: "jeremy@contoso.com", NotEnabled: true},
			Input{Account: "jeremy@contoso.com", Credentials: CurrentCredentials, Directory: []User{
				{Account: "jeremy@contoso.com", UPN: "jeremy@contoso.com"}}}},
		{"server", Settings{Offers: []string{Kerberos}, Compression: true, HomePool: "pool02.contoso.com", CertificateNames: []string{"sip.contoso.com"}},
			Input{Account: "jeremy@contoso.com", Credentials: CurrentCredentials, Compression: true, HomePool: "pool02.contoso.com",
				CertificateNames: []string{"sip.contoso.com"}, Server: Server{Offers: []string{Kerberos}}}},
	}
	for _, tt := range tests {
		addr := uri("sip:jeremy@contoso.com")
		got := tt.s.Input(addr)
		want := tt.want
		want.Address = addr
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("%s: Settings.Input (-got +want):\n%s", tt.name, diff)
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

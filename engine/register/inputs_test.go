package register

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDirectory(t *testing.T) {
	addr := uri("sip:jeremy@contoso.com")
	tests := []struct {
		name           string
		account, owner string
		notEnabled     bool
		want           []User
	}{
		{"the account owns the address", "jeremy@contoso.com", "", false, nil},
		{"mismatch", `CONTOSO\vadim`, `CONTOSO\jeremy`, false, []User{
			{Account: `CONTOSO\jeremy`, Address: uri("sip:jeremy@contoso.com")},
			{Account: `CONTOSO\vadim`, Address: uri("sip:vadim@contoso.com")}}},
		{"not enabled", "jeremy@contoso.com", "", true, []User{
			{Account: "jeremy@contoso.com", UPN: "jeremy@contoso.com"}}},
		{"odd account name", `CONTOSO\o'brien&co`, `CONTOSO\jeremy`, false, []User{
			{Account: `CONTOSO\jeremy`, Address: uri("sip:jeremy@contoso.com")},
			{Account: `CONTOSO\o'brien&co`, Address: uri("sip:o'brienco@contoso.com")}}},
	}
	for _, tt := range tests {
		got := Directory(addr, tt.account, tt.owner, tt.notEnabled)
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("%s: Directory (-got +want):\n%s", tt.name, diff)
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

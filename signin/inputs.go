package signin

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Directory returns the directory a sign-in to address u implies, when
// the address is owned by owner (empty: by account) and notEnabled says
// whether that owner is enabled for SIP. account is the account the
// client is configured with, desktop the Windows account logged on (empty
// when not given). It is nil when the account owns the address and is
// enabled: the directory Simulate assumes without one.
//
// Besides the owner, the directory holds account and desktop when they
// are other accounts: domain accounts the server can authenticate (the
// Windows account is one the user logged on with) whose SIP addresses are
// not known, so no address is invented for them. A UPN and a DOMAIN\user
// with the same user name are taken to be one account, the owner's: the
// address's own UPN, jeremy@contoso.com, is CONTOSO\jeremy's. So
// jeremy@contoso.com signing in as CONTOSO\vadim is the mismatch
// Microsoft's "Office Communicator Sign-in and Discovery" describes.
func Directory(u engine.URI, account, desktop, owner string, notEnabled bool) []User {
	if owner == "" && !notEnabled {
		return nil
	}
	if owner == "" {
		owner = account
	}
	du := User{Account: owner, Address: engine.URI{Scheme: "sip", User: u.User, Domain: u.Domain}}
	if strings.Contains(owner, "@") {
		du.UPN = owner
	}
	if notEnabled {
		du.Address = engine.URI{}
	}
	dir := []User{du}
	for _, a := range []string{account, desktop} {
		switch {
		case a == "" || knows(dir, a):
		case du.UPN == "" && strings.Contains(a, "@") && sameUserName(owner, a):
			dir[0].UPN = a
		case sameUserName(owner, a):
			// Another spelling of the owner's account (CONTOSO\jeremy for
			// jeremy@contoso.com).
		default:
			other := User{Account: a, AddressUnknown: true}
			if strings.Contains(a, "@") {
				other.UPN = a
			}
			dir = append(dir, other)
		}
	}
	return dir
}

// knows reports whether a directory entry has account a, by account or
// UPN.
func knows(dir []User, a string) bool {
	for _, u := range dir {
		if sameAccount(u.Account, a) || sameAccount(u.UPN, a) {
			return true
		}
	}
	return false
}

// sameUserName reports whether a DOMAIN\user and a UPN user@domain (in
// either order) name the same user.
func sameUserName(a, b string) bool {
	name := func(s string) (string, bool) {
		if _, u, ok := strings.Cut(s, `\`); ok {
			return u, false
		}
		u, _, _ := strings.Cut(s, "@")
		return u, true
	}
	na, upnA := name(a)
	nb, upnB := name(b)
	return upnA != upnB && strings.EqualFold(na, nb)
}

// ParseCredentials reads a credential source as people type it: current
// (or windows, the Windows logon), saved, prompt or none, in any case;
// empty is current.
func ParseCredentials(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", CurrentCredentials, "windows":
		return CurrentCredentials, nil
	case SavedCredentials:
		return SavedCredentials, nil
	case PromptCredentials:
		return PromptCredentials, nil
	case NoCredentials:
		return NoCredentials, nil
	}
	return "", fmt.Errorf("credential source %q is not current, saved, prompt or none", s)
}

// ParseOffers reads a comma-separated list of authentication protocols
// (ntlm, kerberos, tls-dsk, in any case; tlsdsk too) and returns them by
// their header names (NTLM, Kerberos, TLS-DSK), each once, in the order
// given. An empty list is an error: a server offers at least one.
func ParseOffers(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		var name string
		switch strings.ToLower(strings.TrimSpace(p)) {
		case "ntlm":
			name = NTLM
		case "kerberos":
			name = Kerberos
		case "tls-dsk", "tlsdsk":
			name = TLSDSK
		case "":
			continue
		default:
			return nil, fmt.Errorf("unknown authentication protocol %q (ntlm, kerberos, tls-dsk)", strings.TrimSpace(p))
		}
		dup := false
		for _, o := range out {
			dup = dup || o == name
		}
		if !dup {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no authentication protocol in %q: the server offers at least one of ntlm, kerberos, tls-dsk", s)
	}
	return out, nil
}

// SplitNames splits a comma- or space-separated list of names, such as
// certificate names typed into a form, dropping empty entries.
func SplitNames(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

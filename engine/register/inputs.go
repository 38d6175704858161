package register

import (
	"fmt"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Directory returns the directory a sign-in to address u by account
// implies, when the address is owned by owner (empty: by the account) and
// notEnabled says whether that owner is enabled for SIP. It is nil when the
// account owns the address and is enabled: the directory Simulate assumes
// without one. When owner differs from the account, the directory holds
// both users, the signing-in account with an address of its own:
// jeremy@contoso.com signing in as CONTOSO\vadim, the mismatch Microsoft's
// "Office Communicator Sign-in and Discovery" describes.
func Directory(u engine.URI, account, owner string, notEnabled bool) []User {
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
	if !strings.EqualFold(owner, account) {
		name := account
		if i := strings.LastIndexByte(name, '\\'); i >= 0 {
			name = name[i+1:]
		}
		name, _, _ = strings.Cut(name, "@")
		other := User{Account: account, Address: engine.URI{Scheme: "sip", User: addressUser(name), Domain: u.Domain}}
		if strings.Contains(account, "@") {
			other.UPN = account
		}
		dir = append(dir, other)
	}
	return dir
}

// addressUser returns the user part of the SIP URI a directory would give
// an account named name: its letters, digits and RFC 3261 marks (and
// '+'), so that an account such as CONTOSO\o'brien&co still gets an
// address; "user" if none is left.
func addressUser(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if c := name[i]; '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte("-_.!~*'()+", c) >= 0 {
			b.WriteByte(c)
		}
	}
	if b.Len() == 0 {
		return "user"
	}
	return b.String()
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

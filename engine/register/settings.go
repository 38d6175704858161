package register

import (
	"fmt"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// Settings are the sign-in choices a person makes, in the words of the
// command line's flags (sipdisco check --account, --creds, --owner ...)
// and of the analyzer's form and share link. Settings.Input turns them
// into an Input the one way both front ends use, so that a command line
// and a link with the same choices give the same ladder.
type Settings struct {
	// Account is the account signing in, DOMAIN\user or a UPN; empty
	// means the address's user@domain as UPN.
	Account string
	// DesktopAccount is the account logged on to Windows; empty means
	// Account.
	DesktopAccount string
	// Credentials is a credential source as ParseCredentials returns it;
	// empty means CurrentCredentials.
	Credentials   string
	WrongPassword bool
	// Offers are the protocols the server offers, as ParseOffers returns
	// them; empty means all three.
	Offers []string
	// Owner is the account that owns the sign-in address in the
	// directory; empty means Account (the directory Simulate assumes)
	// unless NotEnabled is set.
	Owner string
	// NotEnabled: the owner exists but is not enabled for SIP.
	NotEnabled  bool
	Compression bool
	// HomePool is the user's home pool FQDN when the discovered server is
	// a Director or another pool.
	HomePool string
	// CertificateNames, CertificateNotAfter and Now describe the server's
	// certificate as Input's fields of the same names do.
	CertificateNames    []string
	CertificateNotAfter time.Time
	Now                 time.Time
}

// Input returns the Input of signing in to the address u with s. Client
// and Server's name, port and transport are left for the caller (Attach
// fills them in from the report's target). When Owner
// differs from the account signing in, the directory holds both users, the
// signing-in account with an address of its own: the seed's
// jeremy@contoso.com / CONTOSO\vadim mismatch. Input checks nothing;
// Simulate does.
func (s Settings) Input(u engine.URI) Input {
	in := Input{
		Address: u,
		Account: s.Account, DesktopAccount: s.DesktopAccount,
		Credentials: s.Credentials, WrongPassword: s.WrongPassword,
		Compression: s.Compression, HomePool: s.HomePool,
		CertificateNames: s.CertificateNames, CertificateNotAfter: s.CertificateNotAfter, Now: s.Now,
	}
	if in.Credentials == "" {
		in.Credentials = CurrentCredentials
	}
	if in.Account == "" {
		in.Account = u.User + "@" + u.Domain
	}
	if len(s.Offers) > 0 {
		in.Server.Offers = append([]string(nil), s.Offers...)
	}
	if s.Owner == "" && !s.NotEnabled {
		return in
	}
	addr := engine.URI{Scheme: "sip", User: u.User, Domain: u.Domain}
	owner := s.Owner
	if owner == "" {
		owner = in.Account
	}
	du := User{Account: owner, Address: addr}
	if strings.Contains(owner, "@") {
		du.UPN = owner
	}
	if s.NotEnabled {
		du.Address = engine.URI{}
	}
	in.Directory = []User{du}
	if !strings.EqualFold(owner, in.Account) {
		name := in.Account
		if i := strings.LastIndexByte(name, '\\'); i >= 0 {
			name = name[i+1:]
		}
		name, _, _ = strings.Cut(name, "@")
		other := User{Account: in.Account, Address: engine.URI{Scheme: "sip", User: addressUser(name), Domain: u.Domain}}
		if strings.Contains(in.Account, "@") {
			other.UPN = in.Account
		}
		in.Directory = append(in.Directory, other)
	}
	return in
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

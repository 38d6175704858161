package signin

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/sipdisco/sipdisco/engine"
)

// Limits on what Simulate accepts. Anything longer is an input error, not
// a long header.
const (
	maxAccount   = 256 // DOMAIN\user or a UPN
	maxFQDN      = 253 // RFC 1035 §2.3.4, without the trailing dot
	maxDirectory = 1000
)

// InputError is the error Simulate returns for unusable input. Field
// names the Input field (as its JSON name) and Reason says what is wrong
// with it in words a person can act on.
type InputError struct {
	Field  string
	Value  string
	Reason string
}

// Error returns the input in words, its value (quoted, so a line break
// shows as \n, and left out when empty) and the reason: "sign-in, the
// account "a b": ...".
func (e *InputError) Error() string {
	what := fieldWords[e.Field]
	if what == "" {
		what = e.Field
	}
	if e.Value == "" {
		return fmt.Sprintf("sign-in, %s: %s", what, e.Reason)
	}
	return fmt.Sprintf("sign-in, %s %q: %s", what, e.Value, e.Reason)
}

// fieldWords name the Input fields in words.
var fieldWords = map[string]string{
	"client": "the client", "address": "the sign-in address", "account": "the account",
	"desktopAccount": "the Windows account logged on", "credentials": "the credential source",
	"wrongPassword": "the password", "server.fqdn": "the server", "server.name": "the server's own name",
	"server.webServices": "the web services name", "server.transport": "the transport", "server.port": "the port",
	"server.offers": "the protocols the server offers", "server.challengeVersion": "the challenge version",
	"directory": "the directory", "certificateNames": "the certificate names",
	"homePoolCertificateNames": "the home pool's certificate names", "homePool": "the home pool",
	"now": "the current time", "clientAddress": "the client's address",
}

func inputErr(field, value, format string, args ...any) *InputError {
	if len(value) > 80 {
		value = value[:80] + "…"
	}
	return &InputError{Field: field, Value: value, Reason: fmt.Sprintf(format, args...)}
}

// checkText rejects control characters (CR and LF above all: they would
// end a header early and let the rest of the value forge new ones) and
// values longer than max bytes.
func checkText(field, v string, max int) error {
	if len(v) > max {
		return inputErr(field, v, "longer than %d bytes", max)
	}
	if !utf8.ValidString(v) {
		return inputErr(field, v, "not valid UTF-8")
	}
	for i, r := range v {
		if r < 0x20 || r == 0x7f || (0x80 <= r && r < 0xa0) {
			return inputErr(field, v, "control character %U at byte %d (line breaks could forge SIP headers)", r, i)
		}
	}
	return nil
}

// address is a sign-in address as the exchange writes it: its address of
// record, sip:user@domain, whatever scheme and parameters it was typed
// with.
type address struct {
	User, Domain string
}

func (a address) String() string { return "sip:" + a.User + "@" + a.Domain }

// addressOf returns the address of record of u. engine.ParseURI has
// checked it: the user part is RFC 3261 user characters and the domain a
// lower-case DNS name, so neither can break the header it is written in.
func addressOf(u engine.URI) address { return address{User: u.User, Domain: u.Domain} }

// hostName checks a host name given for field (a server, a home pool, a
// UPN suffix) by the rule for names from DNS, engine.CheckHostName, and
// returns it in lower case without a trailing dot.
func hostName(field, h string) (string, error) {
	if err := checkText(field, h, maxFQDN+1); err != nil {
		return "", err
	}
	name := strings.ToLower(strings.TrimSuffix(h, "."))
	if err := engine.CheckHostName(name); err != nil {
		return "", inputErr(field, h, "%v", err)
	}
	return name, nil
}

// account is a parsed Windows account: DOMAIN\user or a UPN user@domain.
type account struct {
	raw          string
	Domain, User string // NetBIOS domain and SAM name, or UPN parts
	UPN          bool
}

// parseAccount accepts DOMAIN\user (a NetBIOS domain of at most 15
// characters) or a UPN user@dns.domain. Quotes, angle brackets, commas and
// further backslashes are refused: an account never needs them, and
// refusing them keeps every value that quotes it well-formed.
func parseAccount(field, s string) (account, error) {
	if err := checkText(field, s, maxAccount); err != nil {
		return account{}, err
	}
	if strings.ContainsAny(s, "\"<>,;:/[]|=+*?% ") {
		return account{}, inputErr(field, s, `an account may not contain spaces or any of "<>,;:/[]|=+*?%%`)
	}
	if dom, user, ok := strings.Cut(s, `\`); ok {
		switch {
		case dom == "" || user == "":
			return account{}, inputErr(field, s, `want DOMAIN\user with both parts`)
		case len(dom) > 15:
			return account{}, inputErr(field, s, "NetBIOS domain %q is longer than 15 characters", dom)
		case strings.ContainsAny(user, `\@`):
			return account{}, inputErr(field, s, `want DOMAIN\user or user@domain, not both`)
		}
		return account{raw: s, Domain: dom, User: user}, nil
	}
	user, dom, ok := strings.Cut(s, "@")
	if !ok || user == "" {
		return account{}, inputErr(field, s, `want DOMAIN\user (CONTOSO\jeremy) or a UPN (jeremy@contoso.com)`)
	}
	d, err := hostName(field, dom)
	if err != nil {
		return account{}, err
	}
	return account{raw: s, Domain: d, User: user, UPN: true}, nil
}

// sameAccount reports whether a and b name the same account text, case
// ignored as Windows ignores it.
func sameAccount(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

// parseClientAddress accepts an IP address and port ("192.0.2.10:49152",
// "[2001:db8::1]:49152").
func parseClientAddress(s string) (netip.AddrPort, error) {
	if err := checkText("clientAddress", s, 64); err != nil {
		return netip.AddrPort{}, err
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil || ap.Port() == 0 || ap.Addr().Zone() != "" {
		return netip.AddrPort{}, inputErr("clientAddress", s, "want IP:port, such as 192.0.2.10:49152 or [2001:db8::10]:49152")
	}
	return ap, nil
}

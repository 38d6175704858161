package probe

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

// Authentication protocols a challenge can name, beside signin.NTLM,
// signin.Kerberos and signin.TLSDSK.
const (
	// Digest is RFC 3261 §22.4's HTTP Digest; Office Communicator and
	// Lync do not sign in with it ([MS-SIPAE] defines NTLM, Kerberos and
	// TLS-DSK).
	Digest = "Digest"
	// Basic is RFC 7617's Basic scheme, forbidden in SIP (RFC 3261
	// §22.1).
	Basic = "Basic"
)

// maxParams is the most parameters one challenge may carry.
const maxParams = 32

// Param is one auth-param of a challenge, its value unquoted
// (engine.SIPParam).
type Param = engine.SIPParam

// Challenge is one WWW-Authenticate or Proxy-Authenticate header field
// read as RFC 3261 §25.1's challenge (scheme, then comma-separated
// name=value parameters, a value a token or a quoted string), with the
// parameters [MS-SIPAE] §2.2.2 gives the Microsoft protocols picked out
// (engine.SIPChallenge). Its Protocol is signin.NTLM,
// signin.Kerberos, signin.TLSDSK, Digest, Basic, or the scheme
// itself when sipdisco does not know it.
type Challenge = engine.SIPChallenge

// ParseChallenge reads the value of a WWW-Authenticate or
// Proxy-Authenticate header field named header. A value that does not
// follow the grammar gives a Challenge whose Error says where and why;
// one header field holds one challenge (RFC 3261 §7.3.1 lists these
// fields among those that cannot be combined with commas).
func ParseChallenge(header, value string) Challenge {
	c := Challenge{Header: header}
	s := strings.TrimSpace(value)
	i := 0
	for i < len(s) && s[i] != ' ' && s[i] != '\t' {
		i++
	}
	c.Scheme = s[:i]
	if !isToken(c.Scheme) {
		c.Error = fmt.Sprintf("the scheme %s is not a token", quote(c.Scheme))
		return c
	}
	c.Protocol = protocolName(c.Scheme)
	params, err := parseParams(s[i:], ',', len(value)-len(strings.TrimLeft(value, " \t"))+i)
	c.Params = params
	for _, p := range params {
		switch strings.ToLower(p.Name) {
		case "realm":
			c.Realm = p.Value
		case "targetname":
			c.TargetName = p.Value
		case "version":
			if v, convErr := strconv.Atoi(p.Value); convErr == nil && v > 0 && v < 1000 {
				c.Version = v
			} else if err == nil {
				err = fmt.Errorf("version %s is not a small number", quote(p.Value))
			}
		case "sts-uri":
			c.StsURI = p.Value
		case "opaque":
			c.Opaque = p.Value
		case "nonce":
			c.Nonce = p.Value
		case "algorithm":
			c.Algorithm = p.Value
		case "qop":
			c.QOP = p.Value
		}
	}
	if err != nil {
		c.Error = err.Error()
	}
	return c
}

// protocolName maps a scheme, in any case, to its canonical name.
func protocolName(scheme string) string {
	switch strings.ToLower(scheme) {
	case "ntlm":
		return signin.NTLM
	case "kerberos":
		return signin.Kerberos
	case "tls-dsk":
		return signin.TLSDSK
	case "digest":
		return Digest
	case "basic":
		return Basic
	}
	return scheme
}

// parseParams reads name=value parameters separated by sep (',' for a
// challenge, ';' for ms-diagnostics), each value a token-like run or a
// quoted string with backslash escapes (RFC 3261 §25.1 quoted-pair).
// White space around names, values and separators is ignored. It returns
// the parameters read before any error; columns in errors count from the
// start of the header value, s starting base bytes into it.
func parseParams(s string, sep byte, base int) ([]Param, error) {
	p := paramScanner{s: s, sep: sep, base: base}
	var out []Param
	for {
		p.skip()
		if p.done() {
			return out, nil
		}
		if len(out) > 0 {
			if err := p.separator(); err != nil {
				return out, err
			}
		}
		param, err := p.param()
		if err != nil {
			return out, err
		}
		out = append(out, param)
		if len(out) > maxParams {
			return out[:maxParams], fmt.Errorf("more than %d parameters", maxParams)
		}
	}
}

// paramScanner reads parseParams' input: s from position i, parameters
// separated by sep, columns in errors counted from base.
type paramScanner struct {
	s    string
	i    int
	sep  byte
	base int
}

func (p *paramScanner) done() bool { return p.i == len(p.s) }

// column is the 1-based column of position i in the header value.
func (p *paramScanner) column(i int) int { return p.base + i + 1 }

// skip passes white space.
func (p *paramScanner) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// separator reads the separator before a parameter other than the first.
func (p *paramScanner) separator() error {
	if p.s[p.i] != p.sep {
		return fmt.Errorf("at column %d: want %q between parameters, found %s", p.column(p.i), p.sep, quote(p.s[p.i:]))
	}
	p.i++
	p.skip()
	if p.done() {
		return fmt.Errorf("a %q with no parameter after it", p.sep)
	}
	return nil
}

// param reads one parameter: a name, and "=" and a value unless it is a
// flag.
func (p *paramScanner) param() (Param, error) {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != '=' && p.s[p.i] != p.sep && p.s[p.i] != ' ' && p.s[p.i] != '\t' {
		p.i++
	}
	name := p.s[start:p.i]
	if !isToken(name) {
		return Param{}, fmt.Errorf("at column %d: the parameter name %s is not a token", p.column(start), quote(name))
	}
	p.skip()
	if p.done() || p.s[p.i] != '=' {
		return Param{Name: name}, nil // a parameter without a value (a flag)
	}
	p.i++
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		v, err := p.quoted(name)
		return Param{Name: name, Value: v}, err
	}
	v, err := p.unquoted(name)
	return Param{Name: name, Value: v}, err
}

// quoted reads a quoted string with backslash escapes (RFC 3261 §25.1
// quoted-pair), from its opening quote.
func (p *paramScanner) quoted(name string) (string, error) {
	var b strings.Builder
	p.i++
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '\\' && p.i+1 < len(p.s) {
			b.WriteByte(p.s[p.i+1])
			p.i += 2
			continue
		}
		p.i++
		if c == '"' {
			return b.String(), nil
		}
		b.WriteByte(c)
	}
	return "", fmt.Errorf("the quoted value of %s has no closing quote", name)
}

// unquoted reads a value up to the separator or white space.
func (p *paramScanner) unquoted(name string) (string, error) {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != p.sep && p.s[p.i] != ' ' && p.s[p.i] != '\t' {
		if p.s[p.i] == '"' {
			return "", fmt.Errorf("at column %d: a quote inside the unquoted value of %s", p.column(p.i), name)
		}
		p.i++
	}
	return p.s[start:p.i], nil
}

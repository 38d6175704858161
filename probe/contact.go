package probe

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Redirect is where a 301 or 302 sends the client: the first Contact of
// the response ([MS-SIPREGE]: a Director, or a pool that does not home
// the user, names the home pool, as
// "<sip:pool01.contoso.com:5061;transport=tls>").
//
// Its data type is engine.SIPRedirect.
type Redirect = engine.SIPRedirect

// ParseRedirect reads the target of a redirect from a Contact header
// value (RFC 3261 §20.10, §19.1.1): the name-addr's URI in angle
// brackets, or a bare URI up to its header parameters. Only sip and sips
// URIs with a DNS name or an IP address are usable, over TLS or TCP; the
// Error of the result says what else was found.
func ParseRedirect(contact string) Redirect {
	r := Redirect{Contact: contact}
	v := strings.TrimSpace(contact)
	if v == "" {
		r.Error = "the redirect has no Contact header, so it names no server"
		return r
	}
	if i := strings.IndexByte(v, '<'); i >= 0 {
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			r.Error = "the Contact's URI has no closing >"
			return r
		}
		v = v[i+1 : i+j]
	} else if k := strings.IndexByte(v, ';'); k >= 0 {
		v = v[:k]
	} else if k := strings.IndexByte(v, ','); k >= 0 {
		v = v[:k]
	}
	r.URI = v
	scheme, rest, ok := strings.Cut(v, ":")
	switch s := strings.ToLower(scheme); {
	case !ok:
		r.Error = fmt.Sprintf("the Contact %s is not a SIP URI", quote(v))
		return r
	case s == "sips":
		r.Transport = engine.TLS
	case s != "sip":
		r.Error = fmt.Sprintf("the Contact names a %s URI, not sip or sips", quote(scheme))
		return r
	}
	hostport, params, _ := strings.Cut(rest, ";")
	if at := strings.LastIndexByte(hostport, '@'); at >= 0 {
		hostport = hostport[at+1:]
	}
	hostport, _, _ = strings.Cut(hostport, "?")
	host, port, err := splitHostPort(hostport)
	if err != nil {
		r.Error = fmt.Sprintf("the Contact's host %s: %v", quote(hostport), err)
		return r
	}
	r.Host, r.Port = host, port
	for _, p := range strings.Split(params, ";") {
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "transport") {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(value)) {
		case "tls":
			r.Transport = engine.TLS
		case "tcp":
			if r.Transport != engine.TLS {
				r.Transport = engine.TCP
			}
		default:
			r.Error = fmt.Sprintf("the Contact asks for transport %s; Microsoft SIP clients sign in over TLS or TCP only", quote(value))
		}
	}
	return r
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port",
// checking the host as a DNS name or an IP address.
func splitHostPort(hp string) (string, uint16, error) {
	host, portText := hp, ""
	if strings.HasPrefix(hp, "[") {
		end := strings.IndexByte(hp, ']')
		if end < 0 {
			return "", 0, fmt.Errorf("an IPv6 address without its closing ]")
		}
		host = hp[1:end]
		if _, err := netip.ParseAddr(host); err != nil {
			return "", 0, fmt.Errorf("not an IPv6 address")
		}
		portText, _ = strings.CutPrefix(hp[end+1:], ":")
		if hp[end+1:] != "" && !strings.HasPrefix(hp[end+1:], ":") {
			return "", 0, fmt.Errorf("characters after the IPv6 address")
		}
	} else if i := strings.LastIndexByte(hp, ':'); i >= 0 {
		host, portText = hp[:i], hp[i+1:]
	}
	if host == "" {
		return "", 0, fmt.Errorf("no host")
	}
	var port uint16
	if portText != "" {
		n, err := strconv.Atoi(portText)
		if err != nil || n < 1 || n > 65535 || !allDigits(portText) {
			return "", 0, fmt.Errorf("the port %s is not 1 to 65535", quote(portText))
		}
		port = uint16(n)
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return host, port, nil
	}
	h, err := engine.NormalizeDomain(host)
	if err != nil {
		return "", 0, err
	}
	if err := engine.CheckHostName(h); err != nil {
		return "", 0, err
	}
	return h, port, nil
}

package signin

import (
	"fmt"
	"strings"
	"time"
)

// maxCertificateNames is the most names one certificate may be given
// with: a pool certificate carries a sip.<domain> name per SIP domain, so
// lists run long, but not this long.
const maxCertificateNames = 256

// MatchCertificateName reports whether the presented certificate name
// pattern (a DNS subject alternative name or a common name) covers host,
// ignoring case and a trailing dot. A wildcard counts only as the complete
// left-most label ("*."), covers exactly one label, and must leave at least
// two labels ("*.com" covers nothing): RFC 6125 §6.4.3 and §7.2. Partial
// wildcards ("f*.contoso.com") are not honoured. When a wildcard does not
// match, reason says why.
//
// It lives here, the leaf package, so that the simulated TLS step and
// package certcheck (which imports the engine, which imports this package)
// apply one rule.
func MatchCertificateName(pattern, host string) (ok bool, reason string) {
	p := strings.ToLower(strings.TrimSuffix(pattern, "."))
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if p == "" || h == "" {
		return false, ""
	}
	if !strings.Contains(p, "*") {
		return p == h, ""
	}
	rest, ok := strings.CutPrefix(p, "*.")
	if !ok || strings.Contains(rest, "*") {
		return false, fmt.Sprintf("%s has a wildcard other than a whole left-most label, which clients do not honour (RFC 6125 §6.4.3)", pattern)
	}
	if !strings.Contains(rest, ".") {
		return false, fmt.Sprintf("%s covers a whole top-level domain and is never honoured (RFC 6125 §7.2)", pattern)
	}
	label, parent, found := strings.Cut(h, ".")
	switch {
	case !found || parent != rest:
		if strings.HasSuffix(h, "."+rest) {
			return false, fmt.Sprintf("%s covers one label only, not %s (RFC 6125 §6.4.3)", pattern, h)
		}
		return false, ""
	case label == "":
		return false, ""
	}
	return true, ""
}

// coveredBy returns the first of names that covers host, or, when none
// does, why not: the names and any wildcard near miss.
func coveredBy(names []string, host string) (by, why string) {
	for _, n := range names {
		if ok, _ := MatchCertificateName(n, host); ok {
			return n, ""
		}
	}
	why = "its names are " + strings.Join(names, ", ")
	if len(names) == 1 {
		why = "its only name is " + names[0]
	}
	for _, n := range names {
		if _, reason := MatchCertificateName(n, host); reason != "" {
			why += "; " + reason
		}
	}
	return "", why
}

// parseCertificateNames checks the names a certificate is given with:
// DNS names made of letters, digits, hyphens and dots, with the
// wildcard "*" allowed (MatchCertificateName says whether it counts). Anything else
// (spaces, quotes, line breaks) is an input error, so that no name can
// break the text it is quoted in.
func parseCertificateNames(field string, names []string) ([]string, error) {
	if len(names) > maxCertificateNames {
		return nil, inputErr(field, fmt.Sprintf("%d names", len(names)), "at most %d names", maxCertificateNames)
	}
	var out []string
	for i, n := range names {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := checkText(f, n, maxFQDN+1); err != nil {
			return nil, err
		}
		n = strings.TrimSuffix(n, ".")
		if n == "" {
			return nil, inputErr(f, names[i], "empty name")
		}
		for j := 0; j < len(n); j++ {
			c := n[j]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '.' || c == '*') {
				return nil, inputErr(f, names[i], "character %q is not allowed in a certificate's DNS name (want letters, digits, hyphens, dots and the wildcard *)", c)
			}
		}
		out = append(out, strings.ToLower(n))
	}
	return out, nil
}

// stampText shows a moment as certcheck does: "2026-11-25 14:41 UTC".
func stampText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

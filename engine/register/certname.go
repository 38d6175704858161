package register

import (
	"fmt"
	"strings"
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

// parseStamp reads a moment in UTC, "2026-11-25" (midnight) or
// "2026-11-25T14:41:59Z" (fractional seconds allowed and dropped), and
// returns it as "2026-11-25T14:41:59Z": in that form, string order is
// time order. Only UTC is accepted: the package has no clock and no time
// zones (it does not import time), and a caller holding a time.Time
// passes t.UTC().Format(time.RFC3339).
func parseStamp(field, v string) (string, error) {
	if err := checkText(field, v, 40); err != nil {
		return "", err
	}
	bad := func() (string, error) {
		return "", inputErr(field, v, "want a UTC date, 2026-11-25, or date and time, 2026-11-25T14:41:59Z")
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, s != ""
	}
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return bad()
	}
	y, ok1 := num(v[0:4])
	m, ok2 := num(v[5:7])
	d, ok3 := num(v[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return bad()
	}
	clock := "00:00:00"
	if len(v) > 10 {
		rest := v[10:]
		if len(rest) < 10 || rest[0] != 'T' || rest[3] != ':' || rest[6] != ':' || rest[len(rest)-1] != 'Z' {
			return bad()
		}
		hh, ok1 := num(rest[1:3])
		mm, ok2 := num(rest[4:6])
		ss, ok3 := num(rest[7:9])
		if !ok1 || !ok2 || !ok3 || hh > 23 || mm > 59 || ss > 59 {
			return bad()
		}
		if frac := rest[9 : len(rest)-1]; frac != "" {
			if _, ok := num(strings.TrimPrefix(frac, ".")); !ok || frac[0] != '.' {
				return bad()
			}
		}
		clock = rest[1:9]
	}
	return v[0:10] + "T" + clock + "Z", nil
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// stampText shows a parsed stamp as certcheck does: "2026-11-25 14:41 UTC".
func stampText(s string) string { return s[0:10] + " " + s[11:16] + " UTC" }

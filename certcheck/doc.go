// Package certcheck reads a pasted PEM certificate or chain and says
// whether a SIP client would accept it for the server it discovered: is the
// host name covered, is the certificate within its validity dates, may it
// authenticate a TLS server, and who issued it.
//
// The name rules are those of RFC 6125 §6.4 as a client of the Office
// Communicator and Lync era applied them: subject alternative names of
// type DNS first; the subject common name only when the certificate has no
// DNS name at all (RFC 2818 §3.1, which Windows' SSL certificate policy
// followed; current browsers and Go's crypto/x509 no longer read the CN,
// so a finding says so); a wildcard only as the whole left-most label,
// matching exactly one label, and never over a single-label suffix such as
// *.com (RFC 6125 §6.4.3, §7.2).
//
// The package is pure: it uses crypto/x509 and encoding/pem to parse and
// verify, reads no clock (the caller passes now) and opens nothing. Check
// verifies only that each certificate of a chain is signed by the next
// one; Verify builds a path to a set of trusted roots, but the caller
// brings the roots (x509.SystemCertPool, a CA file): the package reads no
// trust store. What it deliberately does not do: check revocation, or
// fetch a certificate from a server (the CLI's --connect does that).
package certcheck

package certcheck

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// Trust is the result of building a certification path from a chain a
// server presented to one set of trusted root certificates (RFC 5280
// §6): whether it leads to one of them, by which certificates, and if
// not, why. Its data type is engine.CertTrust, so that a report can
// carry it.
type Trust = engine.CertTrust

// Why a chain is not trusted.
const (
	// TrustUnknownAuthority: no path leads to any of the roots: the
	// issuing CA is not trusted, or the server does not send the
	// intermediate certificates between its own and the root.
	TrustUnknownAuthority = "unknown-authority"
	// TrustExpired: a certificate on the path is outside its validity
	// dates.
	TrustExpired = "expired"
	// TrustUsage: a certificate on the path may not be used for TLS
	// server authentication.
	TrustUsage = "usage"
	// TrustInvalid: any other reason (a CA certificate that may not sign,
	// a name constraint, too many intermediates).
	TrustInvalid = "invalid"
)

// Verify builds a path from chain (the server's certificate first, the
// rest as intermediates, in the order the server sent them) to one of
// roots, at the time now, for TLS server authentication. It does not
// check the host name — Check does, with the rules of the clients of the
// Office Communicator and Lync era, which crypto/x509 no longer applies
// (the subject common name). roots must not be nil: the package reads no
// trust store itself, so a caller that wants the system's passes
// x509.SystemCertPool's.
func Verify(chain []*x509.Certificate, roots *x509.CertPool, label string, now time.Time) Trust {
	t := Trust{Roots: label}
	switch {
	case len(chain) == 0:
		t.Problem, t.Error = TrustInvalid, "no certificate"
		return t
	case roots == nil:
		t.Problem, t.Error = TrustInvalid, "no roots given"
		return t
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	paths, err := chain[0].Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		t.Error = err.Error()
		var ua x509.UnknownAuthorityError
		var ci x509.CertificateInvalidError
		switch {
		case errors.As(err, &ua):
			t.Problem = TrustUnknownAuthority
		case errors.As(err, &ci) && ci.Reason == x509.Expired:
			t.Problem = TrustExpired
		case errors.As(err, &ci) && ci.Reason == x509.IncompatibleUsage:
			t.Problem = TrustUsage
		default:
			t.Problem = TrustInvalid
		}
		return t
	}
	t.Trusted = true
	for _, c := range paths[0] {
		t.Path = append(t.Path, c.Subject.String())
	}
	return t
}

// Explain says in a sentence what t found.
func Explain(t Trust) string {
	if t.Trusted {
		return fmt.Sprintf("trusted by the %s roots, through %d certificates", t.Roots, len(t.Path))
	}
	switch t.Problem {
	case TrustUnknownAuthority:
		return fmt.Sprintf("not trusted by the %s roots: the chain does not lead to any of them", t.Roots)
	case TrustExpired:
		return fmt.Sprintf("not trusted by the %s roots: a certificate on the path is outside its validity dates", t.Roots)
	case TrustUsage:
		return fmt.Sprintf("not trusted by the %s roots: a certificate on the path may not authenticate a TLS server", t.Roots)
	}
	return fmt.Sprintf("not trusted by the %s roots: %s", t.Roots, t.Error)
}

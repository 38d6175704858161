package certcheck

import (
	"crypto/x509"
	"errors"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// Trust is the result of building a certification path from a chain a
// server presented to one set of trusted root certificates (RFC 5280
// §6): whether it leads to one of them, by which certificates, and if
// not, why. Its data type is engine.CertTrust, so that a report can
// carry it.
type Trust = engine.CertTrust

// Why a chain is not trusted (engine's, which Trust.String words).
const (
	TrustUnknownAuthority = engine.TrustUnknownAuthority
	TrustExpired          = engine.TrustExpired
	TrustUsage            = engine.TrustUsage
	TrustInvalid          = engine.TrustInvalid
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

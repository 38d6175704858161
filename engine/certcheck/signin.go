package certcheck

import (
	"crypto/x509"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// LeafNames returns the names a client matches the certificate c
// against: its DNS subject alternative names, or, when it has none, its
// subject common name (RFC 2818 §3.1; see the package comment).
func LeafNames(c *x509.Certificate) []string {
	if len(c.DNSNames) > 0 {
		return c.DNSNames
	}
	if c.Subject.CommonName != "" {
		return []string{c.Subject.CommonName}
	}
	return nil
}

// AddFindings appends to rep the findings of Check for the chain and the
// server discovery found; it does nothing without a chain or a target.
func AddFindings(rep *engine.Report, chain []*x509.Certificate, now time.Time) error {
	if len(chain) == 0 || rep.Target == nil {
		return nil
	}
	res, err := Check(chain, rep.Target.Host, now)
	if err != nil {
		return err
	}
	rep.Findings = append(rep.Findings, res.Findings...)
	return nil
}

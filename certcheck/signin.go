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

// PEM is the certificate check of pasted PEM text as a check uses it
// (check's Certificates): Parse, then LeafNames and AddFindings.
type PEM struct{}

// Leaf returns the leaf's LeafNames and the end of its validity.
func (PEM) Leaf(text []byte) (names []string, notAfter time.Time, err error) {
	chain, err := Parse(text)
	if err != nil {
		return nil, time.Time{}, err
	}
	if len(chain) == 0 {
		return nil, time.Time{}, &ParseError{Msg: "no certificate"}
	}
	return LeafNames(chain[0]), chain[0].NotAfter, nil
}

// AddFindings parses text and adds the findings of its chain for rep's
// target (the function AddFindings).
func (PEM) AddFindings(rep *engine.Report, text []byte, now time.Time) error {
	chain, err := Parse(text)
	if err != nil {
		return err
	}
	return AddFindings(rep, chain, now)
}

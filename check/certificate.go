package check

import (
	"errors"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// Certificates reads a pasted server certificate (Options.CertificatePEM)
// and judges it against the server a check discovered.
// certcheck.PEM implements it over crypto/x509.
//
// It is an interface, given in Env, so that this package does not link
// crypto/x509: the analyzer's first WebAssembly module has no
// certificate code (about a third of a megabyte, docs/adr/0005-wasm-size.md)
// and hands a check with a certificate to its second module, as
// crypto.RegisterHash keeps hash implementations out of programs that do
// not use them.
type Certificates interface {
	// Leaf returns the names a client matches on the leaf (first)
	// certificate of the PEM text and the end of its validity, or an
	// error naming the block that is not a certificate.
	Leaf(pem []byte) (names []string, notAfter time.Time, err error)
	// AddFindings adds to rep the findings of the chain in the PEM text
	// judged at now for rep's target; nothing without a target.
	AddFindings(rep *engine.Report, pem []byte, now time.Time) error
}

// ErrNoCertificates is the error, wrapped in an *InputError for
// CertificatePEM, of a check with a certificate run without
// Env.Certificates.
var ErrNoCertificates = errors.New("this build cannot read certificates")

// leaf is a pasted certificate's leaf as the simulated sign-in uses it.
type leaf struct {
	names    []string
	notAfter time.Time
}

// certificate reads o's pasted certificate through certs: nil when there
// is none.
func (o Options) certificate(certs Certificates) (*leaf, error) {
	if strings.TrimSpace(o.CertificatePEM) == "" {
		return nil, nil
	}
	if certs == nil {
		return nil, &InputError{Field: "CertificatePEM", Err: ErrNoCertificates}
	}
	names, notAfter, err := certs.Leaf([]byte(o.CertificatePEM))
	if err != nil {
		return nil, &InputError{Field: "CertificatePEM", Err: err}
	}
	return &leaf{names: names, notAfter: notAfter}, nil
}

package siptest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"
)

// CA is a certificate authority a test creates: the root an internal CA
// would be, for check --connect --ca.
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
	// Pool holds Cert alone.
	Pool *x509.CertPool
}

// NewCA creates a root certificate valid from an hour ago for a day.
func NewCA(t testing.TB) *CA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sipdisco test root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &CA{Cert: cert, Key: key, Pool: pool}
}

// PEM returns the root certificate in PEM form, as a --ca file holds it.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// Valid issues a server certificate for names, valid now, for TLS server
// authentication; its chain is the certificate and the root.
func (ca *CA) Valid(t testing.TB, names ...string) tls.Certificate {
	return ca.Leaf(t, names, time.Now().Add(-time.Hour), time.Now().Add(12*time.Hour))
}

// Leaf issues an ECDSA server certificate for names, valid from notBefore
// to notAfter (an expired one, for a test of the probe's judgement).
func (ca *CA) Leaf(t testing.TB, names []string, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return ca.issue(t, key, &key.PublicKey, names, notBefore, notAfter, x509.KeyUsageDigitalSignature)
}

// RSALeaf issues a server certificate with an RSA key, valid now, as a
// server of the OCS 2007 era has, for key-exchange suites without ECDHE.
func (ca *CA) RSALeaf(t testing.TB, names ...string) tls.Certificate {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return ca.issue(t, key, &key.PublicKey, names, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0),
		x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment)
}

// issue signs a server certificate for names with pub, and returns it
// with its private key and the root as its chain.
func (ca *CA) issue(t testing.TB, key crypto.Signer, pub any, names []string, notBefore, notAfter time.Time, usage x509.KeyUsage) tls.Certificate {
	t.Helper()
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: usage, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, pub, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key, Leaf: leaf}
}

// chainPEM returns a certificate's chain in PEM form.
func chainPEM(c tls.Certificate) []byte {
	var b bytes.Buffer
	for _, der := range c.Certificate {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	return b.Bytes()
}

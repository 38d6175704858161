//go:build js && wasm

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// certPEM returns a self-signed server certificate for names, valid from
// notBefore to notAfter, in PEM form.
func certPEM(t *testing.T, notBefore, notAfter time.Time, names ...string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestCheckCertificate(t *testing.T) {
	now := time.Now()
	year := 365 * 24 * time.Hour
	tests := []struct {
		name, pem string
		outcome   engine.SignInOutcome
		failure   engine.Kind
		tls       string
		finding   string
	}{
		{"covers the pool", certPEM(t, now.Add(-time.Hour), now.Add(year), "pool01.contoso.com"), "registered", "", "valid", "name-covered"},
		{"other name", certPEM(t, now.Add(-time.Hour), now.Add(year), "sip.fabrikam.com"), "failed", "certificate-name-mismatch", "name-mismatch", "name-not-covered"},
		{"expired", certPEM(t, now.Add(-2*year), now.Add(-year), "pool01.contoso.com"), "failed", "certificate-expired", "expired", "expired"},
	}
	for _, tt := range tests {
		o := plannedCheck()
		o.CertificatePEM = tt.pem
		out, err := call(t, checkFunc, formState(o))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var res bridge.CheckResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		ex := res.Report.Register
		if ex == nil || len(ex.Connections) == 0 || ex.Connections[0].TLS == nil {
			t.Fatalf("%s: no TLS connection in the exchange", tt.name)
		}
		if ex.Outcome != tt.outcome || ex.Failure != tt.failure || ex.Connections[0].TLS.Status != tt.tls {
			t.Errorf("%s: %s %q, TLS %s; want %s %q, TLS %s", tt.name, ex.Outcome, ex.Failure, ex.Connections[0].TLS.Status, tt.outcome, tt.failure, tt.tls)
		}
		kinds := map[string]bool{}
		for _, f := range res.Report.Findings {
			kinds[string(f.Kind)] = true
		}
		if tt.finding != "" && !kinds[tt.finding] {
			t.Errorf("%s: findings %v lack the certificate check's %s", tt.name, kinds, tt.finding)
		}
		if res.Query != "" || !strings.HasPrefix(res.Snapshot, "#s=") || strings.Contains(res.Snapshot, "BEGIN") {
			t.Errorf("%s: live link %q, snapshot %.20q; want no live link (the certificate is not in links) and a snapshot", tt.name, res.Query, res.Snapshot)
		}
	}
}

func TestCheckCertificateError(t *testing.T) {
	o := plannedCheck()
	o.CertificatePEM = "junk\n-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n"
	_, err := call(t, checkFunc, formState(o))
	if err == nil || !strings.Contains(err.Error(), "sign-in, Server certificate (PEM): line 2") {
		t.Errorf("broken PEM: error %v; want it to name the box and line 2", err)
	}
}

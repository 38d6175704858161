package check

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/certcheck"
)

// TestCertificatesFromEnv: a pasted certificate is read through
// Env.Certificates; without one the check says this build cannot read
// it, never runs as if none was pasted.
func TestCertificatesFromEnv(t *testing.T) {
	o := PageDefaults()
	o.URI, o.CertificatePEM = "bob@healthy.example", testCertPEM(t)
	env := demoEnv(t)
	res, err := Run(context.Background(), o, env)
	if err != nil {
		t.Fatalf("Run with certcheck.PEM: %v", err)
	}
	if got := res.Report.Register; got == nil {
		t.Fatal("Run with a certificate: no sign-in")
	}
	env.Certificates = nil
	_, err = Run(context.Background(), o, env)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "CertificatePEM" || !errors.Is(err, ErrNoCertificates) {
		t.Errorf("Run without Env.Certificates: %v; want an InputError for CertificatePEM wrapping ErrNoCertificates", err)
	}
}

// TestCertFlag: with FlagEnv.Certificates, --cert names a bad file at
// once; without, the flag only reads it and Run judges it.
func TestCertFlag(t *testing.T) {
	files := map[string]string{"bad.pem": "not a certificate\n"}
	read := func(name string) ([]byte, error) { return []byte(files[name]), nil }
	for _, tt := range []struct {
		certs Certificates
		want  string
	}{
		{certcheck.PEM{}, "--cert: bad.pem: "},
		{nil, ""},
	} {
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		b := Bind(fs, Defaults(), FlagEnv{ReadFile: read, Certificates: tt.certs})
		if err := fs.Parse([]string{"--cert", "bad.pem"}); err != nil {
			t.Fatal(err)
		}
		o, err := b.Options()
		switch {
		case tt.want == "" && (err != nil || o.CertificatePEM != files["bad.pem"]):
			t.Errorf("--cert without Certificates: %v, PEM %q; want the file read", err, o.CertificatePEM)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("--cert with Certificates: %v; want an error starting %q", err, tt.want)
		}
	}
}

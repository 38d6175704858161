package check

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
)

// TestFieldsCoverOptions fails when an Options field has no Field in the
// table, or a Field lacks a link parameter or a flag: every input the
// command line has, the page and its links have, and the reverse. The
// exceptions are named here with their reason.
func TestFieldsCoverOptions(t *testing.T) {
	noFlag := map[string]string{"URI": "the command line takes addresses as arguments"}
	notInLink := map[string]string{
		"Zones":          "a zone text is too big for a link and not the recipient's to see",
		"CertificatePEM": "a certificate is too big for a link",
	}
	byName := map[string]Field{}
	params := map[string]string{}
	flags := map[string]string{}
	for _, f := range fields {
		if _, dup := byName[f.Name]; dup {
			t.Errorf("two fields for Options.%s", f.Name)
		}
		byName[f.Name] = f
		if other, dup := params[f.Param]; dup {
			t.Errorf("%s and %s share the parameter %q", f.Name, other, f.Param)
		}
		params[f.Param] = f.Name
		for _, fl := range f.Flags {
			if other, dup := flags[fl.Name]; dup {
				t.Errorf("%s and %s share the flag --%s", f.Name, other, fl.Name)
			}
			flags[fl.Name] = f.Name
		}
		if f.Label == "" || f.ID == "" || f.Value.Get == nil || f.Value.Set == nil {
			t.Errorf("field %s lacks a label, an element id or its get and set", f.Name)
		}
		if len(f.Flags) > 0 && f.HelpGroup == "" {
			t.Errorf("field %s has flags but no HelpGroup to list them under", f.Name)
		}
	}
	typ := reflect.TypeOf(Options{})
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		f, ok := byName[name]
		switch {
		case !ok:
			t.Errorf("Options.%s has no Field: add its flag, link parameter and form control to fields.go", name)
			continue
		case len(f.Flags) == 0 && noFlag[name] == "":
			t.Errorf("Options.%s has no command-line flag", name)
		case f.Param == "":
			t.Errorf("Options.%s has no link parameter or form name", name)
		case !f.InLink && notInLink[name] == "" && f.CommandLineOnly == "":
			t.Errorf("Options.%s is not carried by links", name)
		case !f.onPage() && (f.CommandLineOnly == "" || f.InLink):
			t.Errorf("Options.%s is the command line's only, but says not why or is in links", name)
		}
		delete(byName, name)
	}
	for name := range byName {
		t.Errorf("Field %s names no Options field", name)
	}
}

// TestFlagsSetWhatLinksSet: for every field, the same value given as a
// flag and as a link parameter gives the same Options.
func TestFlagsSetWhatLinksSet(t *testing.T) {
	files := map[string]string{"zone.txt": "$ORIGIN contoso.com.\n", "cert.pem": testCertPEM(t)}
	env := FlagEnv{ReadFile: func(name string) ([]byte, error) { return []byte(files[name]), nil }}
	tests := []struct {
		args  []string
		query string // "" for inputs a link does not carry
		want  func(*Options)
	}{
		{[]string{"--profile", "lync-2013"}, "profile=lync-2013", func(o *Options) { o.Profile = "lync-2013" }},
		{[]string{"--strict"}, "strict=1", func(o *Options) { o.Strict = StrictOn }},
		{[]string{"--loose"}, "strict=0", func(o *Options) { o.Strict = StrictOff }},
		{[]string{"--no-tcp"}, "tcp=0", func(o *Options) { o.AllowTCP = false }},
		{[]string{"--manual-internal", "pool01.contoso.com:5061"}, "internal=pool01.contoso.com:5061", func(o *Options) { o.ManualInternal = "pool01.contoso.com:5061" }},
		{[]string{"--manual-external", "sip.contoso.com"}, "external=sip.contoso.com", func(o *Options) { o.ManualExternal = "sip.contoso.com" }},
		{[]string{"--trusted", "fabrikam.com,contoso.net"}, "trusted=fabrikam.com,contoso.net", func(o *Options) { o.Trusted = []string{"fabrikam.com", "contoso.net"} }},
		{[]string{"--doh", "https://dns.example/dns-query"}, "doh=https://dns.example/dns-query", func(o *Options) { o.Resolver = DoH("https://dns.example/dns-query") }},
		{[]string{"--register"}, "register=1", func(o *Options) { o.SignIn = true }},
		{[]string{"--register", "--no-register"}, "register=0", func(o *Options) { o.SignIn = false }},
		{[]string{"--account", `CONTOSO\vadim`}, `account=CONTOSO\vadim`, func(o *Options) { o.SignIn, o.Account = true, `CONTOSO\vadim` }},
		{[]string{"--creds", "saved"}, "cred=saved", func(o *Options) { o.SignIn, o.Credentials = true, "saved" }},
		{[]string{"--desktop-account", `CONTOSO\kim`}, `desktop=CONTOSO\kim`, func(o *Options) { o.SignIn, o.DesktopAccount = true, `CONTOSO\kim` }},
		{[]string{"--password", "wrong"}, "badpw=1", func(o *Options) { o.SignIn, o.WrongPassword = true, true }},
		{[]string{"--offers", "kerberos"}, "offers=kerberos", func(o *Options) { o.SignIn, o.Offers = true, []string{"Kerberos"} }},
		{[]string{"--owner", `CONTOSO\jeremy`}, `owner=CONTOSO\jeremy`, func(o *Options) { o.SignIn, o.Owner = true, `CONTOSO\jeremy` }},
		{[]string{"--not-enabled"}, "notenabled=1", func(o *Options) { o.SignIn, o.NotEnabled = true, true }},
		{[]string{"--compression"}, "compression=1", func(o *Options) { o.SignIn, o.Compression = true, true }},
		{[]string{"--home-pool", "pool02.contoso.com"}, "homepool=pool02.contoso.com", func(o *Options) { o.SignIn, o.HomePool = true, "pool02.contoso.com" }},
		{[]string{"--cert-names", "sip.contoso.com"}, "certnames=sip.contoso.com", func(o *Options) { o.SignIn, o.CertificateNames = true, []string{"sip.contoso.com"} }},
		{[]string{"--home-pool-cert-names", "pool02.contoso.com"}, "homecertnames=pool02.contoso.com", func(o *Options) {
			o.SignIn, o.HomePoolCertificateNames = true, []string{"pool02.contoso.com"}
		}},
		{[]string{"--zone", "contoso.com=zone.txt"}, "", func(o *Options) {
			o.Resolver, o.Zones = Source{Kind: SourceZone}, []Zone{{Origin: "contoso.com", Name: "zone.txt", Text: files["zone.txt"]}}
		}},
		{[]string{"--demo"}, "doh=demo", func(o *Options) { o.Resolver = Source{Kind: SourceDemo} }},
		{[]string{"--view", "outside"}, "view=outside", func(o *Options) { o.View = engine.ViewOutside }},
		{[]string{"--dns", "system", "--dns", "[2001:db8::53]:5353"}, "", func(o *Options) { o.DNS = []string{"system", "[2001:db8::53]:5353"} }},
		{[]string{"--tcp"}, "", func(o *Options) { o.DNSTCP = true }},
		{[]string{"--cert", "cert.pem"}, "", func(o *Options) { o.SignIn, o.CertificatePEM = true, files["cert.pem"] }},
		// The command line's own inputs: each implies --connect, which
		// implies the simulated sign-in.
		{[]string{"--connect"}, "", func(o *Options) { o.Connect, o.SignIn = true, true }},
		{[]string{"--connect-all"}, "", func(o *Options) { o.ConnectAll, o.Connect, o.SignIn = true, true, true }},
		{[]string{"--ca", "cert.pem"}, "", func(o *Options) {
			o.CA, o.Connect, o.SignIn = CAFile{Name: "cert.pem", PEM: files["cert.pem"]}, true, true
		}},
		{[]string{"--connect-timeout", "3s"}, "", func(o *Options) { o.ConnectTimeout, o.Connect, o.SignIn = 3*time.Second, true, true }},
		{[]string{"--connect-deadline", "90s"}, "", func(o *Options) { o.ConnectDeadline, o.Connect, o.SignIn = 90*time.Second, true, true }},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		b := Bind(fs, Defaults(), env)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		got, err := b.Options()
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		want := Defaults()
		tt.want(&want)
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("flags %v (-got +want):\n%s", tt.args, diff)
		}
		for _, a := range tt.args {
			seen[strings.TrimPrefix(a, "--")] = true
		}
		if tt.query == "" {
			continue
		}
		q := "uri=&" + tt.query
		if !want.SignIn && !strings.Contains(q, "register=") {
			q += "&register=0" // flags start from Defaults, links from PageDefaults
		}
		fromLink, _, err := ParseQuery(q)
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", tt.query, err)
		}
		if diff := cmp.Diff(fromLink, want); diff != "" {
			t.Errorf("link %q (-got +want), against flags %v:\n%s", tt.query, tt.args, diff)
		}
	}
	for _, f := range fields {
		for _, fl := range f.Flags {
			if !seen[fl.Name] {
				t.Errorf("--%s is not tested against its link parameter", fl.Name)
			}
		}
	}
}

func TestFlagErrorsNameTheFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--profile", "nope"}, "--profile: unknown client profile"},
		{[]string{"--creds", "stolen"}, `--creds: credential source "stolen"`},
		{[]string{"--password", "maybe"}, `--password: must be right or wrong, not "maybe"`},
		{[]string{"--offers", "digest"}, `--offers: unknown authentication protocol "digest"`},
		{[]string{"--strict=maybe"}, "--strict: want 1 or 0"},
		{[]string{"--connect-timeout", "soon"}, `--connect-timeout: "soon" is not a duration`},
		{[]string{"--connect-timeout", "1h"}, `--connect-timeout: "1h" is not a duration from 1ms to 2m0s`},
		{[]string{"--connect-deadline", "later"}, `--connect-deadline: "later" is not a duration`},
		{[]string{"--connect-deadline", "1h"}, `--connect-deadline: "1h" is not a duration from 1ms to 10m0s`},
		{[]string{"--ca", "missing.pem"}, "--ca: missing.pem: no such file"},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		b := Bind(fs, Defaults(), FlagEnv{ReadFile: func(name string) ([]byte, error) { return nil, fmt.Errorf("%s: no such file", name) }})
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Options(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("flags %v: error %v; want %q", tt.args, err, tt.want)
		}
	}
}

// TestPageNeverConnects: the page's form has no control for the command
// line's own inputs, and neither a link nor a form that names them turns
// the observation on.
func TestPageNeverConnects(t *testing.T) {
	for _, g := range Form(PageDefaults(), FormOptions{}) {
		for _, f := range g.Fields {
			if !f.onPage() {
				t.Errorf("the form has a control for %s", f.Name)
			}
		}
	}
	o, _, err := ParseQuery("uri=bob@contoso.com&connect=1&connectall=1&connecttimeout=1s&connectdeadline=1s")
	if err != nil || o.Connect || o.ConnectAll || o.ConnectTimeout != 0 || o.ConnectDeadline != 0 {
		t.Errorf("ParseQuery with connect=1 = %+v, %v; want no observation", o, err)
	}
	o, err = ReadForm([]FormValue{{Name: "uri", Value: "bob@contoso.com"}, {Name: "offers", Value: "NTLM", Type: "checkbox", Checked: true}, {Name: "connect", Value: "1", Type: "checkbox", Checked: true}})
	if err != nil || o.Connect {
		t.Errorf("ReadForm with a connect box = %+v, %v; want no observation", o, err)
	}
	entries, _ := FormValues(Options{Connect: true, ConnectAll: true})
	for _, e := range entries {
		if f, _ := fieldByParam(e.Name); !f.onPage() {
			t.Errorf("FormValues fills %s", e.Name)
		}
	}
}

// testCertPEM returns a self-signed certificate for sip.contoso.com in PEM.
func testCertPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sip.contoso.com"}, DNSNames: []string{"sip.contoso.com"},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

package share

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/register"
)

func TestQueryRoundTrip(t *testing.T) {
	tests := []Options{
		DefaultOptions(),
		{URI: "sip:bob@contoso.com", Profile: "lync-2013", Strict: true, AllowTCP: false, DoH: "https://dns.google/dns-query"},
		{URI: "bob&x=<y>@contoso.com", Profile: engine.DefaultProfile, AllowTCP: true, ManualInternal: "pool01.contoso.com:5061", DoH: Local},
		{URI: "jeremy@contoso.com", Profile: engine.DefaultProfile, Account: `CONTOSO\vadim`, Credentials: "saved", DesktopAccount: `CONTOSO\jeremy`, WrongPassword: true},
		{URI: "jeremy@contoso.com", Profile: engine.DefaultProfile, AllowTCP: true, Account: `CONTOSO\vadim`, Owner: `CONTOSO\jeremy`, NotEnabled: true,
			Offers: []string{register.Kerberos, register.TLSDSK}, Compression: true, HomePool: "pool02.contoso.com", CertificateNames: "sip.contoso.com,*.contoso.com"},
		{URI: "a&b@contoso.com", Profile: engine.DefaultProfile, Account: `<img src=x onerror=alert(1)>`, Owner: "x&y=z#w", HomePool: "a b"},
	}
	for _, o := range tests {
		if o.URI == "" {
			o.URI = "bob@contoso.com"
		}
		q := o.Query()
		got, ok, err := ParseQuery(q)
		if err != nil || !ok {
			t.Fatalf("ParseQuery(%q) = %v, %v", q, ok, err)
		}
		if diff := cmp.Diff(got, o); diff != "" {
			t.Errorf("ParseQuery(%q) (-got +want):\n%s", q, diff)
		}
	}
	if q := (Options{URI: "bob@contoso.com", Profile: "lync-2010", Strict: true, DoH: "local"}).Query(); q != "?uri=bob%40contoso.com&profile=lync-2010&strict=1&tcp=0&doh=local" {
		t.Errorf("Query() = %q", q)
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"uri=a@b.c&strict=maybe", `"strict" is "maybe"`},
		{"uri=a@b.c&profile=nope", "unknown client profile"},
		{"uri=a@b.c&uri=d@e.f", `"uri" 2 times`},
		{"uri=%zz", "malformed"},
		{"uri=a@b.c&cred=stolen", `"cred" is "stolen"`},
		{"uri=a@b.c&offers=digest", `"offers" is "digest": unknown authentication protocol "digest"`},
		{"uri=a@b.c&offers=", `"offers" is "": no authentication protocol`},
		{"uri=a@b.c&notenabled=maybe", `"notenabled" is "maybe"; want 1 or 0`},
		{"uri=a@b.c&compression=2", `"compression" is "2"`},
		{"uri=a@b.c&owner=x&owner=y", `"owner" 2 times`},
	}
	for _, tt := range tests {
		_, _, err := ParseQuery(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseQuery(%q) error = %v; want it to contain %q", tt.in, err, tt.want)
		}
	}
	if _, ok, err := ParseQuery(""); ok || err != nil {
		t.Errorf("ParseQuery(\"\") = %v, %v; want false, nil", ok, err)
	}
}

// TestQuerySignIn checks the sign-in parameters' spelling in a link, the
// defaults a link leaves out and the plain GET form's repeated offers.
func TestQuerySignIn(t *testing.T) {
	o := Options{URI: "jeremy@contoso.com", Profile: engine.DefaultProfile, AllowTCP: true, Account: `CONTOSO\vadim`, Owner: `CONTOSO\jeremy`,
		Credentials: "saved", Offers: []string{register.NTLM}, NotEnabled: true, Compression: true, HomePool: "pool02.contoso.com", CertificateNames: " sip.contoso.com  pool01.contoso.com,"}
	want := "?uri=jeremy%40contoso.com&profile=communicator-2007-r2&strict=0&tcp=1&account=CONTOSO%5Cvadim&cred=saved&offers=ntlm&owner=CONTOSO%5Cjeremy&notenabled=1&compression=1&homepool=pool02.contoso.com&certnames=sip.contoso.com%2Cpool01.contoso.com"
	if got := o.Query(); got != want {
		t.Errorf("Query() = %q; want %q", got, want)
	}
	all := o
	all.Offers = []string{register.TLSDSK, register.NTLM, register.Kerberos}
	if got := all.Query(); strings.Contains(got, "offers") {
		t.Errorf("Query() with every protocol offered = %q; want no offers parameter", got)
	}
	got, ok, err := ParseQuery("uri=a@contoso.com&offers=ntlm&offers=KERBEROS")
	if err != nil || !ok || !cmp.Equal(got.Offers, []string{register.NTLM, register.Kerberos}) {
		t.Errorf("ParseQuery(offers twice) = %q, %v, %v; want [NTLM Kerberos]", got.Offers, ok, err)
	}
	got, _, _ = ParseQuery("uri=a@contoso.com&offers=ntlm,kerberos,tls-dsk")
	if got.Offers != nil {
		t.Errorf("ParseQuery(every protocol).Offers = %q; want nil (the default)", got.Offers)
	}
}

func TestOptionsSignIn(t *testing.T) {
	o := Options{Account: `CONTOSO\vadim`, Owner: `CONTOSO\jeremy`, Credentials: "saved", Offers: []string{"NTLM", "kerberos"}, CertificateNames: "a.contoso.com, b.contoso.com"}
	s, err := o.SignIn()
	if err != nil {
		t.Fatal(err)
	}
	want := register.Settings{Account: `CONTOSO\vadim`, Owner: `CONTOSO\jeremy`, Credentials: register.SavedCredentials,
		Offers: []string{register.NTLM, register.Kerberos}, CertificateNames: []string{"a.contoso.com", "b.contoso.com"}}
	if diff := cmp.Diff(s, want); diff != "" {
		t.Errorf("SignIn() (-got +want):\n%s", diff)
	}
	for _, bad := range []Options{{Offers: []string{}}, {Offers: []string{"basic"}}, {Credentials: "stolen"}} {
		if _, err := bad.SignIn(); err == nil || !strings.HasPrefix(err.Error(), "sign-in: ") {
			t.Errorf("%+v.SignIn() error = %v; want a sign-in error", bad, err)
		}
	}
}

func sample() *engine.Report {
	return &engine.Report{URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile,
		Policy: engine.DefaultPolicy(), Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "sip.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sip._tls.contoso.com"},
		Steps:  []engine.Step{{Question: "_sip._tls.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 5061 sip.contoso.com."}, Round: 1}}}
}

func TestSnapshotRoundTrip(t *testing.T) {
	s := Snapshot{TakenAt: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), DoH: "local", Report: sample()}
	frag, err := EncodeSnapshot(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(frag, "#s=") || !IsSnapshot(frag) {
		t.Fatalf("EncodeSnapshot = %q; want #s=…", frag)
	}
	got, err := DecodeSnapshot(frag)
	if err != nil {
		t.Fatalf("DecodeSnapshot: %v", err)
	}
	s.V = 1
	if diff := cmp.Diff(got, s); diff != "" {
		t.Errorf("DecodeSnapshot(EncodeSnapshot(s)) (-got +want):\n%s", diff)
	}
}

func TestDecodeSnapshotTampered(t *testing.T) {
	frag, _ := EncodeSnapshot(Snapshot{Report: sample()})
	noTarget := sample()
	noTarget.Target = nil
	bad, _ := EncodeSnapshot(Snapshot{Report: noTarget})
	tests := []struct{ name, in, want string }{
		{"not a snapshot", "#x=1", "no snapshot"},
		{"empty", "#s=", "cut short"},
		{"truncated", frag[:len(frag)/2], "truncated or altered"},
		{"bad character", frag[:10] + "!" + frag[11:], "character 8"},
		{"altered byte", frag[:20] + flip(frag[20]) + frag[21:], ""},
		{"connect without target", bad, `"connect" without a target`},
	}
	for _, tt := range tests {
		_, err := DecodeSnapshot(tt.in)
		if err == nil {
			t.Errorf("%s: DecodeSnapshot succeeded; want an error", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

package check

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

func TestQueryRoundTrip(t *testing.T) {
	page := PageDefaults()
	with := func(f func(*Options)) Options {
		o := page
		o.URI = "bob@contoso.com"
		f(&o)
		return o
	}
	tests := []Options{
		with(func(o *Options) {}),
		with(func(o *Options) {
			o.URI, o.Profile, o.Strict, o.AllowTCP, o.Resolver = "sip:bob@contoso.com", "lync-2013", StrictOn, false, DoH("https://dns.google/dns-query")
		}),
		with(func(o *Options) {
			o.URI, o.ManualInternal, o.Resolver = "bob&x=<y>@contoso.com", "pool01.contoso.com:5061", Source{Kind: SourceLocal}
		}),
		with(func(o *Options) {
			o.URI, o.Account, o.Credentials, o.DesktopAccount, o.WrongPassword = "jeremy@contoso.com", `CONTOSO\vadim`, "saved", `CONTOSO\jeremy`, true
		}),
		with(func(o *Options) {
			o.Account, o.Owner, o.NotEnabled = `CONTOSO\vadim`, `CONTOSO\jeremy`, true
			o.Offers, o.Compression, o.HomePool = []string{signin.Kerberos, signin.TLSDSK}, true, "pool02.contoso.com"
			o.CertificateNames, o.HomePoolCertificateNames = []string{"sip.contoso.com", "*.contoso.com"}, []string{"pool02.contoso.com"}
		}),
		with(func(o *Options) {
			o.URI, o.Account, o.Owner, o.HomePool = "a&b@contoso.com", `<img src=x onerror=alert(1)>`, "x&y=z#w", "a b"
		}),
		with(func(o *Options) { o.Trusted, o.Profile = []string{"fabrikam.com", "contoso.net"}, "lync-2010" }),
		with(func(o *Options) { o.SignIn = false }),
	}
	for _, o := range tests {
		q := o.Query()
		got, ok, err := ParseQuery(q)
		if err != nil || !ok {
			t.Fatalf("ParseQuery(%q) = %v, %v", q, ok, err)
		}
		// A link names the naming the check used: the client's default
		// comes back as the setting it stood for.
		want := o
		want.Strict = StrictOf(o.StrictNaming())
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("ParseQuery(%q) (-got +want):\n%s", q, diff)
		}
	}
	o := Options{URI: "bob@contoso.com", Profile: "lync-2010", Strict: StrictOn, Resolver: Source{Kind: SourceLocal}, SignIn: true}
	if q := o.Query(); q != "?uri=bob%40contoso.com&profile=lync-2010&strict=1&tcp=0&doh=local" {
		t.Errorf("Query() = %q", q)
	}
}

// TestQueryLeavesOutWhatLinksCannotCarry: zone texts and certificates are
// never in a link, and such a check has no live link at all.
func TestQueryLeavesOutWhatLinksCannotCarry(t *testing.T) {
	o := PageDefaults()
	o.URI, o.Resolver = "bob@contoso.com", Source{Kind: SourceZone}
	o.Zones = []Zone{{Name: PlannedZone, Text: "secret.contoso.com A 10.0.0.1"}}
	o.CertificatePEM = "-----BEGIN CERTIFICATE-----"
	if q := o.Query(); strings.Contains(q, "secret") || strings.Contains(q, "BEGIN") {
		t.Errorf("Query() = %q; it carries a zone or a certificate", q)
	}
	if o.Reproducible() {
		t.Error("a check with a planned zone is Reproducible")
	}
	r := &Result{Options: o}
	if q := r.Query(); q != "" {
		t.Errorf("Result.Query() = %q; want none", q)
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"uri=a@b.c&strict=maybe", `"strict" is "maybe": want 1 or 0`},
		{"uri=a@b.c&profile=nope", "unknown client profile"},
		{"uri=a@b.c&uri=d@e.f", `"uri" 2 times`},
		{"uri=%zz", "malformed"},
		{"uri=a@b.c&cred=stolen", `"cred" is "stolen"`},
		{"uri=a@b.c&offers=digest", `"offers" is "digest": unknown authentication protocol "digest"`},
		{"uri=a@b.c&offers=", `"offers" is "": no authentication protocol`},
		{"uri=a@b.c&notenabled=maybe", `"notenabled" is "maybe": want 1 or 0`},
		{"uri=a@b.c&compression=2", `"compression" is "2"`},
		{"uri=a@b.c&owner=x&owner=y", `"owner" 2 times`},
		{"uri=a@b.c&register=perhaps", `"register" is "perhaps"`},
		{"uri=a@b.c&account=" + strings.Repeat("x", MaxField+1), `"account" is longer than`},
		{strings.Repeat("x", MaxLinkQuery+1), "at most"},
	}
	for _, tt := range tests {
		_, _, err := ParseQuery(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseQuery(%.40q) error = %v; want it to contain %q", tt.in, err, tt.want)
		}
	}
	if _, ok, err := ParseQuery(""); ok || err != nil {
		t.Errorf("ParseQuery(\"\") = %v, %v; want false, nil", ok, err)
	}
}

// TestQuerySignIn checks the sign-in parameters' spelling in a link, the
// defaults a link leaves out and the plain GET form's repeated offers.
func TestQuerySignIn(t *testing.T) {
	o := PageDefaults()
	o.URI, o.Account, o.Owner = "jeremy@contoso.com", `CONTOSO\vadim`, `CONTOSO\jeremy`
	o.Credentials, o.Offers, o.NotEnabled, o.Compression = "saved", []string{signin.NTLM}, true, true
	o.HomePool, o.CertificateNames = "pool02.contoso.com", []string{"sip.contoso.com", "pool01.contoso.com"}
	want := "?uri=jeremy%40contoso.com&profile=communicator-2007-r2&strict=0&tcp=1&account=CONTOSO%5Cvadim&cred=saved&offers=ntlm&owner=CONTOSO%5Cjeremy&notenabled=1&compression=1&homepool=pool02.contoso.com&certnames=sip.contoso.com%2Cpool01.contoso.com"
	if got := o.Query(); got != want {
		t.Errorf("Query() = %q; want %q", got, want)
	}
	all := o
	all.Offers = []string{signin.TLSDSK, signin.NTLM, signin.Kerberos}
	if got := all.Query(); strings.Contains(got, "offers") {
		t.Errorf("Query() with every protocol offered = %q; want no offers parameter", got)
	}
	got, ok, err := ParseQuery("uri=a@contoso.com&offers=ntlm&offers=KERBEROS")
	if err != nil || !ok || !cmp.Equal(got.Offers, []string{signin.NTLM, signin.Kerberos}) {
		t.Errorf("ParseQuery(offers twice) = %q, %v, %v; want [NTLM Kerberos]", got.Offers, ok, err)
	}
	got, _, _ = ParseQuery("uri=a@contoso.com&offers=ntlm,kerberos,tls-dsk")
	if got.Offers != nil {
		t.Errorf("ParseQuery(every protocol).Offers = %q; want nil (the default)", got.Offers)
	}
	got, _, _ = ParseQuery("uri=a@contoso.com&certnames=+sip.contoso.com++pool01.contoso.com,")
	if !cmp.Equal(got.CertificateNames, []string{"sip.contoso.com", "pool01.contoso.com"}) {
		t.Errorf("ParseQuery(certnames).CertificateNames = %q", got.CertificateNames)
	}
}

func TestParseQueryDefaults(t *testing.T) {
	got, ok, err := ParseQuery("?uri=bob%40contoso.com")
	want := PageDefaults()
	want.URI = "bob@contoso.com"
	if err != nil || !ok {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("a link with only an address (-got +want):\n%s", diff)
	}
	if got.Profile != engine.DefaultProfile || !got.SignIn || !got.AllowTCP {
		t.Errorf("defaults = %+v", got)
	}
}

// TestOldLyncLinksRerunStrict: a link made when Lync was taken to be
// strict by default carries strict=1 and reruns strict; a new check of a
// Lync or Skype for Business client is loose unless told
// (docs/adr/0016-lync-and-skype-naming.md), and its link says strict=0.
func TestOldLyncLinksRerunStrict(t *testing.T) {
	o, ok, err := ParseQuery("?uri=bob%40contoso.com&profile=lync-2013&strict=1&tcp=1")
	if err != nil || !ok {
		t.Fatalf("ParseQuery: %v, %v", ok, err)
	}
	if !o.StrictNaming() || !o.Policy().StrictNaming {
		t.Errorf("an old Lync link with strict=1 runs loose")
	}
	if q := o.Query(); !strings.Contains(q, "&strict=1&") {
		t.Errorf("its link is %q; want strict=1 kept", q)
	}
	for _, profile := range []string{"lync-2010", "lync-2013", "skype-2016"} {
		n := PageDefaults()
		n.URI, n.Profile = "bob@contoso.com", profile
		if n.StrictNaming() {
			t.Errorf("%s: strict by default", profile)
		}
		if q := n.Query(); !strings.Contains(q, "&strict=0&") {
			t.Errorf("%s: link %q; want strict=0", profile, q)
		}
	}
}

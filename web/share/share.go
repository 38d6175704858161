// Package share encodes what a sipdisco link carries: the check's inputs in
// a query string (a live link that reruns the check) and a whole report in
// a URL fragment (a snapshot that shows exactly what the sender saw).
//
// It is pure (encoding only, no I/O) so that the WebAssembly analyzer, the
// site builder and the tests use one implementation. Decoding treats every
// link as hostile: sizes are capped, and a malformed, truncated or tampered
// link is an error that says what is wrong, never a partial result.
package share

import (
	"bytes"
	"compress/flate"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/certcheck"
	"github.com/sipdisco/sipdisco/engine/register"
)

// Options are the inputs of one check, the fields of a live share link.
type Options struct {
	URI            string `json:"uri"`
	Profile        string `json:"profile"`
	Strict         bool   `json:"strict"`
	AllowTCP       bool   `json:"allowTCP"`
	ManualInternal string `json:"manualInternal,omitempty"`
	ManualExternal string `json:"manualExternal,omitempty"`
	// DoH is the resolver: an RFC 8484 endpoint URL, Local (this site's
	// /dns-query) or Zone (the planned zone given in Zone).
	DoH string `json:"doh,omitempty"`
	// Zone is planned zone text (BIND syntax) used when DoH is Zone. It is
	// never put in a link.
	Zone string `json:"zone,omitempty"`
	// The simulated sign-in (engine/register Input): the account, the
	// credential source ("current", "saved", "prompt", "none"), the
	// Windows account logged on, and a wrong password.
	Account        string `json:"account,omitempty"`
	Credentials    string `json:"credentials,omitempty"`
	DesktopAccount string `json:"desktopAccount,omitempty"`
	WrongPassword  bool   `json:"wrongPassword,omitempty"`
	// Offers are the authentication protocols the server offers, by
	// header name (register.NTLM, Kerberos, TLS-DSK); nil means all
	// three. An empty, non-nil list (every box unticked) is an error of
	// SignIn.
	Offers []string `json:"offers,omitempty"`
	// Owner is the account that owns the address in the directory;
	// NotEnabled says it is not enabled for SIP.
	Owner      string `json:"owner,omitempty"`
	NotEnabled bool   `json:"notEnabled,omitempty"`
	// Compression: the client negotiates compression after TLS.
	Compression bool `json:"compression,omitempty"`
	// HomePool is the user's home pool FQDN when the discovered server is
	// a Director or another pool.
	HomePool string `json:"homePool,omitempty"`
	// CertificateNames are the names on the server's certificate as
	// typed: comma- or space-separated; empty means not simulated.
	CertificateNames string `json:"certificateNames,omitempty"`
	// CertificatePEM is the server's certificate (or chain) in PEM form:
	// its leaf's names and end of validity feed the simulated TLS step,
	// in place of CertificateNames, and its check against the discovered
	// server adds findings. Like Zone it is never put in a link (too
	// big); only a snapshot carries the report it produced.
	CertificatePEM string `json:"certificatePEM,omitempty"`
}

// The resolver names that are not URLs.
const (
	Local = "local"
	Zone  = "zone"
)

// DefaultOptions are the inputs of an empty form: the default profile,
// loose naming, TCP allowed.
func DefaultOptions() Options {
	return Options{Profile: engine.DefaultProfile, AllowTCP: true}
}

// Policy returns the engine policy o describes.
func (o Options) Policy() engine.Policy {
	return engine.Policy{StrictNaming: o.Strict, AllowTCP: o.AllowTCP,
		ManualInternal: o.ManualInternal, ManualExternal: o.ManualExternal}
}

// Query returns o as a live link's query string, "?uri=…&profile=…&strict=0&tcp=1&doh=…",
// in that order; empty optional fields are left out. The simulated
// sign-in follows: account, cred (left out when current), desktop, badpw,
// offers (lower case, comma-separated; left out when all three), owner,
// notenabled, compression, homepool and certnames (comma-separated).
func (o Options) Query() string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	add("uri", o.URI)
	if o.Profile != "" {
		add("profile", o.Profile)
	}
	add("strict", bit(o.Strict))
	add("tcp", bit(o.AllowTCP))
	if o.ManualInternal != "" {
		add("internal", o.ManualInternal)
	}
	if o.ManualExternal != "" {
		add("external", o.ManualExternal)
	}
	if o.DoH != "" {
		add("doh", o.DoH)
	}
	if o.Account != "" {
		add("account", o.Account)
	}
	if o.Credentials != "" && o.Credentials != "current" {
		add("cred", o.Credentials)
	}
	if o.DesktopAccount != "" {
		add("desktop", o.DesktopAccount)
	}
	if o.WrongPassword {
		add("badpw", "1")
	}
	if len(o.Offers) > 0 && !allOffers(o.Offers) {
		names := make([]string, len(o.Offers))
		for i, p := range o.Offers {
			names[i] = strings.ToLower(p)
		}
		add("offers", strings.Join(names, ","))
	}
	if o.Owner != "" {
		add("owner", o.Owner)
	}
	if o.NotEnabled {
		add("notenabled", "1")
	}
	if o.Compression {
		add("compression", "1")
	}
	if o.HomePool != "" {
		add("homepool", o.HomePool)
	}
	if names := register.SplitNames(o.CertificateNames); len(names) > 0 {
		add("certnames", strings.Join(names, ","))
	}
	return b.String()
}

// allOffers reports whether offers names all three protocols, the
// default a link leaves out.
func allOffers(offers []string) bool {
	n := 0
	for _, p := range []string{register.NTLM, register.Kerberos, register.TLSDSK} {
		for _, o := range offers {
			if strings.EqualFold(o, p) {
				n++
				break
			}
		}
	}
	return n == 3
}

// SignIn returns the sign-in settings o describes, for
// register.Settings.Input. The error names the field that is wrong.
func (o Options) SignIn() (register.Settings, error) {
	s := register.Settings{
		Account: o.Account, DesktopAccount: o.DesktopAccount, WrongPassword: o.WrongPassword,
		Owner: o.Owner, NotEnabled: o.NotEnabled, Compression: o.Compression, HomePool: o.HomePool,
		CertificateNames: register.SplitNames(o.CertificateNames),
	}
	var err error
	if s.Credentials, err = register.ParseCredentials(o.Credentials); err != nil {
		return register.Settings{}, fmt.Errorf("sign-in: %v", err)
	}
	if o.Offers != nil {
		if s.Offers, err = register.ParseOffers(strings.Join(o.Offers, ",")); err != nil {
			return register.Settings{}, fmt.Errorf("sign-in: %v", err)
		}
	}
	return s, nil
}

// Certificate parses CertificatePEM: nil without one. The error names the
// form's box and the offending line ("sign-in, Certificate (PEM): line 3:
// …").
func (o Options) Certificate() ([]*x509.Certificate, error) {
	if strings.TrimSpace(o.CertificatePEM) == "" {
		return nil, nil
	}
	chain, err := certcheck.Parse([]byte(o.CertificatePEM))
	if err != nil {
		return nil, fmt.Errorf("sign-in, Certificate (PEM): %v", err)
	}
	return chain, nil
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// MaxField bounds each field of a link.
const MaxField = 1024

// ParseQuery reads a live link's query string (with or without the "?").
// ok is false when the query holds no "uri" at all (an ordinary visit).
// Unknown parameters are ignored; a known one with a bad value is an error
// naming it. offers may be given once per protocol, as a plain GET form
// sends its ticked boxes, or once as a comma-separated list. The sign-in address itself is checked later, by
// engine.ParseURI, so that its error can point at the offending character.
func ParseQuery(raw string) (o Options, ok bool, err error) {
	raw = strings.TrimPrefix(raw, "?")
	if len(raw) > 8*MaxField {
		return Options{}, false, fmt.Errorf("the link's query is %d bytes long; a sipdisco link is at most %d", len(raw), 8*MaxField)
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return Options{}, false, fmt.Errorf("the link's query string is malformed: %v", err)
	}
	if !q.Has("uri") {
		return Options{}, false, nil
	}
	o = DefaultOptions()
	for k, vs := range q {
		if k == "offers" {
			// A plain GET form sends one offers= per ticked box.
			vs = []string{strings.Join(vs, ",")}
			q[k] = vs
		}
		if len(vs) > 1 {
			return Options{}, false, fmt.Errorf("the link gives %q %d times", k, len(vs))
		}
		if len(vs[0]) > MaxField {
			return Options{}, false, fmt.Errorf("the link's %q is longer than %d bytes", k, MaxField)
		}
	}
	o.URI = q.Get("uri")
	if p := q.Get("profile"); p != "" {
		prof, err := engine.LookupProfile(p)
		if err != nil {
			return Options{}, false, fmt.Errorf("the link names an %v", err)
		}
		o.Profile = prof.Name
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"strict", &o.Strict}, {"tcp", &o.AllowTCP}, {"badpw", &o.WrongPassword},
		{"notenabled", &o.NotEnabled}, {"compression", &o.Compression}} {
		if !q.Has(f.name) {
			continue
		}
		switch q.Get(f.name) {
		case "1", "true", "on":
			*f.dst = true
		case "0", "false", "off":
			*f.dst = false
		default:
			return Options{}, false, fmt.Errorf("the link's %q is %q; want 1 or 0", f.name, q.Get(f.name))
		}
	}
	o.ManualInternal = q.Get("internal")
	o.ManualExternal = q.Get("external")
	o.DoH = q.Get("doh")
	o.Account = q.Get("account")
	o.DesktopAccount = q.Get("desktop")
	switch c := q.Get("cred"); c {
	case "", "current":
	case "saved", "prompt", "none":
		o.Credentials = c
	default:
		return Options{}, false, fmt.Errorf("the link's \"cred\" is %q; want current, saved, prompt or none", c)
	}
	if q.Has("offers") {
		offers, err := register.ParseOffers(q.Get("offers"))
		if err != nil {
			return Options{}, false, fmt.Errorf("the link's \"offers\" is %q: %v", q.Get("offers"), err)
		}
		if !allOffers(offers) {
			o.Offers = offers
		}
	}
	o.Owner = q.Get("owner")
	o.HomePool = q.Get("homepool")
	o.CertificateNames = strings.Join(register.SplitNames(q.Get("certnames")), ",")
	return o, true, nil
}

// Snapshot is what a snapshot link carries: a whole report, when it was
// taken and through which resolver.
type Snapshot struct {
	// V is the format version, 1.
	V       int            `json:"v"`
	TakenAt time.Time      `json:"takenAt"`
	DoH     string         `json:"doh,omitempty"`
	Report  *engine.Report `json:"report"`
}

// Limits on snapshot links: the encoded fragment and the JSON it inflates
// to.
const (
	MaxSnapshotLink = 256 << 10
	MaxSnapshotJSON = 1 << 20
)

// snapshotPrefix starts a snapshot fragment.
const snapshotPrefix = "s="

// EncodeSnapshot returns the fragment of a snapshot link, "#s=…": the JSON
// of s, deflated (RFC 1951) and base64url-encoded without padding.
func EncodeSnapshot(s Snapshot) (string, error) {
	if s.Report == nil {
		return "", errors.New("share: snapshot without a report")
	}
	s.V = 1
	js, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(js)
	if err := w.Close(); err != nil {
		return "", err
	}
	return "#" + snapshotPrefix + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// IsSnapshot reports whether fragment (with or without "#") is a snapshot.
func IsSnapshot(fragment string) bool {
	return strings.HasPrefix(strings.TrimPrefix(fragment, "#"), snapshotPrefix)
}

// DecodeSnapshot reads a snapshot fragment ("#s=…", "s=…"). The error says
// in plain words whether the link is not a snapshot, was cut short or
// altered, or holds something that is not a sipdisco report.
func DecodeSnapshot(fragment string) (Snapshot, error) {
	f := strings.TrimPrefix(fragment, "#")
	data, ok := strings.CutPrefix(f, snapshotPrefix)
	if !ok {
		return Snapshot{}, errors.New("this link has no snapshot: a snapshot link ends in #s= followed by the report")
	}
	if data == "" {
		return Snapshot{}, errors.New("the snapshot link is empty after #s=; it was probably cut short when copied")
	}
	if len(data) > MaxSnapshotLink {
		return Snapshot{}, fmt.Errorf("the snapshot link is %d bytes long, more than the %d a sipdisco snapshot can be", len(data), MaxSnapshotLink)
	}
	raw, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) >= len(data)-len(data)%4 {
			return Snapshot{}, errors.New("the snapshot link is truncated or altered: it ends in the middle of its data; it was probably cut short when copied")
		}
		if errors.As(err, &ce) {
			return Snapshot{}, fmt.Errorf("the snapshot link is damaged: character %d after #s= cannot be part of a snapshot", int64(ce)+1)
		}
		return Snapshot{}, fmt.Errorf("the snapshot link is damaged: %v", err)
	}
	js, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), MaxSnapshotJSON+1))
	if err != nil {
		return Snapshot{}, errors.New("the snapshot link is truncated or altered: its compressed data does not decode")
	}
	if len(js) > MaxSnapshotJSON {
		return Snapshot{}, fmt.Errorf("the snapshot expands to more than %d bytes; it is not a sipdisco snapshot", MaxSnapshotJSON)
	}
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(js))
	if err := dec.Decode(&s); err != nil {
		return Snapshot{}, fmt.Errorf("the snapshot link does not hold a sipdisco report: %v", err)
	}
	if err := s.check(); err != nil {
		return Snapshot{}, fmt.Errorf("the snapshot link holds an invalid report: %v", err)
	}
	return s, nil
}

func (s Snapshot) check() error {
	switch {
	case s.V != 1:
		return fmt.Errorf("format version %d is not one this page reads (1)", s.V)
	case s.Report == nil:
		return errors.New("no report")
	case s.Report.URI == "" || s.Report.Domain == "":
		return errors.New("no sign-in address")
	}
	switch s.Report.Outcome {
	case engine.OutcomeConnect:
		if s.Report.Target == nil {
			return errors.New(`outcome "connect" without a target`)
		}
	case engine.OutcomeFail, engine.OutcomeIndeterminate:
		if s.Report.Target != nil {
			return fmt.Errorf("outcome %q with a target", s.Report.Outcome)
		}
	default:
		return fmt.Errorf("unknown outcome %q", s.Report.Outcome)
	}
	return nil
}

// Resolver is a public DNS-over-HTTPS endpoint the site offers.
type Resolver struct {
	URL   string
	Label string
}

// PublicResolvers are the DoH endpoints the public site offers and its
// Content-Security-Policy allows. Each must serve RFC 8484 GET with
// application/dns-message and answer cross-origin requests:
//
//   - RFC 8484 GET and POST: documented by both (Cloudflare's "Using DNS
//     Wireformat" page of its 1.1.1.1 docs; Google Public DNS's "DNS-over-
//     HTTPS (DoH)" page, which names https://dns.google/dns-query).
//   - CORS: neither vendor page found says so; it rests on field reports
//     ("Cloudflare and Google both respond with Access-Control-Allow-Origin:
//     *", dat-ecosystem-archive/dat-dns issue 16) and on browser DoH
//     libraries (dohjs, dns-query) using them from web pages. Others were
//     left out for lack of such evidence (OpenDNS is reported not to send
//     CORS headers, logos-messaging/logos-delivery-js pull request 1131).
//
// The browser tests cannot reach them from the build machine; a resolver
// that stops allowing CORS shows as "no response … (CORS)" in the page.
var PublicResolvers = []Resolver{
	{URL: "https://cloudflare-dns.com/dns-query", Label: "Cloudflare (1.1.1.1)"},
	{URL: "https://dns.google/dns-query", Label: "Google Public DNS"},
}

package certcheck

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/signin"
)

// Limits on pasted input.
const (
	// MaxPEMBytes is the most PEM text Parse reads: 64 KiB, ample for a
	// chain of a few certificates.
	MaxPEMBytes = 64 << 10
	// MaxCertificates is the most certificates one chain may hold.
	MaxCertificates = 8
	// ExpirySoon is how close to its end a certificate's validity must
	// be for a warning.
	ExpirySoon = 30 * 24 * time.Hour
)

// ParseError is pasted text that is not a usable PEM certificate chain.
// Line is the 1-based line of the offending block, 0 when the whole text
// is at fault.
type ParseError struct {
	Line int
	Msg  string
}

// Error returns "line N: message", or the message alone.
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Parse reads the certificates of a pasted PEM text in order, the server's
// own first (as servers send them, RFC 8446 §4.4.2). Text outside the PEM
// blocks is ignored, as openssl ignores it, so the output of
// "openssl s_client -showcerts" can be pasted whole; anything inside a
// block must be a well-formed CERTIFICATE. Errors name the block's line:
// a private key or a certificate request instead of a certificate, a
// block whose base64 or END line is broken, a certificate crypto/x509
// cannot parse, binary (DER) input, or no block at all.
func Parse(text []byte) ([]*x509.Certificate, error) {
	if len(text) > MaxPEMBytes {
		return nil, &ParseError{Msg: fmt.Sprintf("the text is %d bytes; the limit is %d (64 KiB)", len(text), MaxPEMBytes)}
	}
	if len(text) > 0 && text[0] == 0x30 {
		return nil, &ParseError{Msg: "this looks like a binary (DER) certificate; paste the PEM form (openssl x509 -inform der -in cert.cer) that starts with -----BEGIN CERTIFICATE-----"}
	}
	var certs []*x509.Certificate
	rest := text
	for {
		start := bytes.Index(rest, []byte("-----BEGIN "))
		if start < 0 {
			break
		}
		line := 1 + bytes.Count(text[:len(text)-len(rest)+start], []byte("\n"))
		// Judge the type from the BEGIN line first, so that a private key
		// is named as one even when its block is damaged.
		broken := &ParseError{Line: line, Msg: "the PEM block starting here is broken: its base64 is not valid or its -----END line is missing or does not match"}
		typ, _, _ := bytes.Cut(rest[start+len("-----BEGIN "):], []byte("-----"))
		if len(typ) > 64 || bytes.ContainsAny(typ, "\r\n") {
			return nil, broken
		}
		if err := blockType(string(typ), line); err != nil {
			return nil, err
		}
		// Decode this block alone: pem.Decode would skip a broken
		// block and return the next good one.
		end := len(rest)
		if n := bytes.Index(rest[start+1:], []byte("-----BEGIN ")); n >= 0 {
			end = start + 1 + n
		}
		block, tail := pem.Decode(rest[start:end])
		if block == nil {
			return nil, broken
		}
		rest = rest[end-len(tail):]
		if len(certs) == MaxCertificates {
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("more than %d certificates; paste the server's certificate and its issuers only", MaxCertificates)}
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("certificate %d cannot be read: %v", len(certs)+1, err)}
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		if len(bytes.TrimSpace(text)) == 0 {
			return nil, &ParseError{Msg: "no certificate given"}
		}
		return nil, &ParseError{Msg: "no PEM certificate found: paste the text that starts with -----BEGIN CERTIFICATE-----"}
	}
	return certs, nil
}

// blockType refuses every PEM block type but a certificate.
func blockType(typ string, line int) error {
	switch {
	case typ == "CERTIFICATE" || typ == "X509 CERTIFICATE":
		return nil
	case strings.HasSuffix(typ, "PRIVATE KEY"):
		return &ParseError{Line: line, Msg: fmt.Sprintf("this is a %s, not a certificate. Never paste or share a private key; if it has been shared, replace the key and certificate", typ)}
	case typ == "CERTIFICATE REQUEST" || typ == "NEW CERTIFICATE REQUEST":
		return &ParseError{Line: line, Msg: "this is a certificate request (CSR), not the certificate the CA issued for it"}
	}
	return &ParseError{Line: line, Msg: fmt.Sprintf("this is a %q block; only CERTIFICATE blocks can be checked", typ)}
}

// Summary is one certificate as a person reads it (engine.CertSummary, so
// that a report can carry the chain a server presented). JSON field names
// are the page's.
type Summary = engine.CertSummary

// Summarize describes c.
func Summarize(c *x509.Certificate) Summary {
	s := Summary{
		Subject:      c.Subject.String(),
		CommonName:   c.Subject.CommonName,
		Issuer:       c.Issuer.String(),
		SerialNumber: fmt.Sprintf("%X", c.SerialNumber),
		DNSNames:     slices.Clone(c.DNSNames),
		NotBefore:    c.NotBefore.UTC(),
		NotAfter:     c.NotAfter.UTC(),
		KeyUsage:     keyUsages(c.KeyUsage),
		ExtKeyUsage:  extKeyUsages(c),
		PublicKey:    publicKey(c),
		IsCA:         c.IsCA,
		SelfSigned:   selfSigned(c),
	}
	if s.DNSNames == nil {
		s.DNSNames = []string{}
	}
	return s
}

var keyUsageNames = []struct {
	u    x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"}, {x509.KeyUsageContentCommitment, "contentCommitment"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"}, {x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"}, {x509.KeyUsageCertSign, "keyCertSign"},
	{x509.KeyUsageCRLSign, "cRLSign"}, {x509.KeyUsageEncipherOnly, "encipherOnly"}, {x509.KeyUsageDecipherOnly, "decipherOnly"},
}

func keyUsages(u x509.KeyUsage) []string {
	out := []string{}
	for _, k := range keyUsageNames {
		if u&k.u != 0 {
			out = append(out, k.name)
		}
	}
	return out
}

var extKeyUsageNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny: "any", x509.ExtKeyUsageServerAuth: "serverAuth", x509.ExtKeyUsageClientAuth: "clientAuth",
	x509.ExtKeyUsageCodeSigning: "codeSigning", x509.ExtKeyUsageEmailProtection: "emailProtection",
	x509.ExtKeyUsageTimeStamping: "timeStamping", x509.ExtKeyUsageOCSPSigning: "OCSPSigning",
}

func extKeyUsages(c *x509.Certificate) []string {
	out := []string{}
	for _, u := range c.ExtKeyUsage {
		if n, ok := extKeyUsageNames[u]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("eku%d", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return out
}

func publicKey(c *x509.Certificate) string {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d bits", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return c.PublicKeyAlgorithm.String()
}

// Result is the verdict on a chain for one host name.
type Result struct {
	Host string `json:"host"`
	// Covered: the server certificate names Host; By says which of its
	// names matched ("DNS:*.contoso.com", "CN=sip.contoso.com").
	Covered bool   `json:"covered"`
	By      string `json:"by,omitempty"`
	// InValidity: now is within the server certificate's validity dates.
	InValidity bool `json:"inValidity"`
	// ServerAuth: the key usage and extended key usage allow a TLS
	// server.
	ServerAuth bool `json:"serverAuth"`
	// OK is Covered && InValidity && ServerAuth and a consistent chain.
	OK bool `json:"ok"`
	// Issuer is the server certificate's issuer.
	Issuer string `json:"issuer"`
	// Chain summarizes every certificate, the server's first.
	Chain    []Summary        `json:"chain"`
	Findings []engine.Finding `json:"findings"`
}

// Check judges chain (the server's certificate first, as Parse returns
// it) for host — the name the client connected to, as discovery reported
// it — at the time now.
func Check(chain []*x509.Certificate, host string, now time.Time) (Result, error) {
	if len(chain) == 0 {
		return Result{}, fmt.Errorf("certcheck: no certificate")
	}
	h, err := engine.NormalizeDomain(strings.TrimSpace(host))
	if err != nil {
		return Result{}, fmt.Errorf("certcheck: host name %q: %v", host, err)
	}
	leaf := chain[0]
	r := Result{Host: h, Issuer: leaf.Issuer.String(), Findings: []engine.Finding{}}
	for _, c := range chain {
		r.Chain = append(r.Chain, Summarize(c))
	}
	find := func(f engine.Finding) { r.Findings = append(r.Findings, f) }

	// Names (RFC 6125 §6.4).
	m := MatchHost(leaf, h)
	r.Covered, r.By = m.Covered, m.By
	switch {
	case m.Covered && m.ByCN:
		find(engine.Finding{Kind: engine.KindCNFallback, Severity: engine.SeverityWarning, Subject: h,
			Message: fmt.Sprintf("The certificate has no DNS subject alternative name, so %s is matched against the subject common name, as Windows clients of the Office Communicator and Lync era did (RFC 2818 §3.1). Current clients and browsers ignore the common name.", h),
			Fix:     fmt.Sprintf("Reissue the certificate with %s (and every other name the server answers to) as subject alternative names.", h)})
	case m.Covered && m.Wildcard:
		find(engine.Finding{Kind: engine.KindWildcard, Severity: engine.SeverityWarning, Subject: h,
			Message: fmt.Sprintf("%s is covered only by the wildcard %s. Microsoft's certificate planning for Lync Server supports wildcards for simple URLs and reverse proxies, not for pool, Director or Access Edge SIP names (not verified from a page sipdisco cites); some clients refuse them.", h, strings.TrimPrefix(m.By, "DNS:")),
			Fix:     fmt.Sprintf("Add %s as its own subject alternative name.", h)})
	case m.Covered:
		find(engine.Finding{Kind: engine.KindNameCovered, Severity: engine.SeverityInfo, Subject: h,
			Message: fmt.Sprintf("The certificate names %s (%s).", h, m.By), Fix: "Nothing to fix."})
	default:
		find(engine.Finding{Kind: engine.KindNameNotCovered, Severity: engine.SeverityError, Subject: h,
			Message: fmt.Sprintf("The certificate does not name %s: %s. The client refuses the connection.", h, m.Why),
			Fix:     fmt.Sprintf("Reissue the certificate with %s as a subject alternative name, or point the SRV record at a name the certificate carries.", h)})
	}

	// Validity dates (RFC 5280 §4.1.2.5).
	switch {
	case now.Before(leaf.NotBefore):
		find(engine.Finding{Kind: engine.KindNotYetValid, Severity: engine.SeverityError, Subject: h,
			Message: fmt.Sprintf("The certificate is valid only from %s; it is now %s.", stamp(leaf.NotBefore), stamp(now)),
			Fix:     "Wait until it is valid, or check the server's and the CA's clocks."})
	case now.After(leaf.NotAfter):
		find(engine.Finding{Kind: engine.KindExpired, Severity: engine.SeverityError, Subject: h,
			Message: fmt.Sprintf("The certificate expired on %s; it is now %s.", stamp(leaf.NotAfter), stamp(now)),
			Fix:     "Renew the certificate and assign it to the server."})
	default:
		r.InValidity = true
		if leaf.NotAfter.Sub(now) < ExpirySoon {
			find(engine.Finding{Kind: engine.KindExpiresSoon, Severity: engine.SeverityWarning, Subject: h,
				Message: fmt.Sprintf("The certificate expires on %s, in less than %d days.", stamp(leaf.NotAfter), int(ExpirySoon.Hours()/24)),
				Fix:     "Renew it before then."})
		}
	}
	for i, c := range chain[1:] {
		if now.Before(c.NotBefore) || now.After(c.NotAfter) {
			find(engine.Finding{Kind: engine.KindIssuerOutOfValidity, Severity: engine.SeverityError, Subject: c.Subject.String(),
				Message: fmt.Sprintf("Certificate %d of the chain (%s) is valid only from %s to %s; it is now %s.", i+2, c.Subject, stamp(c.NotBefore), stamp(c.NotAfter), stamp(now)),
				Fix:     "Install the CA's current intermediate certificate on the server."})
		}
	}

	// Key usage (RFC 5280 §4.2.1.3, §4.2.1.12).
	r.ServerAuth = true
	if why := serverAuthProblem(leaf); why != "" {
		r.ServerAuth = false
		find(engine.Finding{Kind: engine.KindNotServerAuth, Severity: engine.SeverityError, Subject: h,
			Message: "The certificate may not authenticate a TLS server: " + why + ".",
			Fix:     "Request the certificate from a web server (server authentication) template."})
	}
	if leaf.IsCA {
		find(engine.Finding{Kind: engine.KindCACertificate, Severity: engine.SeverityWarning, Subject: h,
			Message: "The first certificate is a CA certificate; the server's own certificate must come first.",
			Fix:     "Paste the server's certificate first, then its issuers."})
	}

	// Chain: each certificate signed by the next.
	chainOK := true
	for i := 0; i+1 < len(chain); i++ {
		if err := chain[i].CheckSignatureFrom(chain[i+1]); err != nil {
			chainOK = false
			find(engine.Finding{Kind: engine.KindChainBroken, Severity: engine.SeverityError, Subject: chain[i].Subject.String(),
				Message: fmt.Sprintf("Certificate %d (%s) is not signed by certificate %d (%s): %v.", i+1, chain[i].Subject, i+2, chain[i+1].Subject, err),
				Fix:     "Paste the chain in order: the server's certificate, then the CA that issued it, and so on."})
		}
	}
	last := chain[len(chain)-1]
	switch {
	case len(chain) == 1 && selfSigned(last):
		find(engine.Finding{Kind: engine.KindSelfSigned, Severity: engine.SeverityWarning, Subject: h,
			Message: "The certificate is self-signed: clients trust it only if it is installed in their trusted root store.",
			Fix:     "Use a certificate from the enterprise CA (inside) or a public CA (Access Edge, reverse proxy)."})
	case selfSigned(last):
		find(engine.Finding{Kind: engine.KindIssuer, Severity: engine.SeverityInfo, Subject: last.Subject.String(),
			Message: fmt.Sprintf("The chain ends with the root CA %s; clients must trust it (sipdisco has no trust store and does not check it).", last.Subject),
			Fix:     "Nothing to fix if the root CA is in the clients' trusted root store."})
	default:
		find(engine.Finding{Kind: engine.KindIssuer, Severity: engine.SeverityInfo, Subject: last.Issuer.String(),
			Message: fmt.Sprintf("The chain ends with a certificate issued by %s; clients must trust that CA (sipdisco has no trust store and does not check it).", last.Issuer),
			Fix:     "Nothing to fix if the CA is in the clients' trusted root store."})
	}
	r.OK = r.Covered && r.InValidity && r.ServerAuth && chainOK
	return r, nil
}

// selfSigned reports whether c is issued by itself with its own key. It
// checks the signature directly: CheckSignatureFrom would refuse a
// self-signed certificate that is not a CA.
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// serverAuthProblem returns why c cannot authenticate a TLS server, or "".
// An absent extension means no restriction (RFC 5280 §4.2.1.3, §4.2.1.12).
func serverAuthProblem(c *x509.Certificate) string {
	var whys []string
	if c.KeyUsage != 0 {
		need := x509.KeyUsageDigitalSignature
		words := "digitalSignature"
		if _, ok := c.PublicKey.(*rsa.PublicKey); ok {
			need |= x509.KeyUsageKeyEncipherment
			words = "digitalSignature or keyEncipherment"
		}
		if c.KeyUsage&need == 0 {
			whys = append(whys, fmt.Sprintf("its key usage (%s) lacks %s", strings.Join(keyUsages(c.KeyUsage), ", "), words))
		}
	}
	if len(c.ExtKeyUsage)+len(c.UnknownExtKeyUsage) > 0 &&
		!slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageServerAuth) && !slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageAny) {
		whys = append(whys, fmt.Sprintf("its extended key usage (%s) lacks server authentication", strings.Join(extKeyUsages(c), ", ")))
	}
	return strings.Join(whys, "; ")
}

// Match is how a certificate's names meet a host name.
type Match struct {
	Covered bool
	// By is the name that matched: "DNS:<san>" or "CN=<common name>".
	By string
	// ByCN: matched by the subject common name (no DNS SANs present).
	ByCN bool
	// Wildcard: matched by a wildcard name.
	Wildcard bool
	// Why explains a miss, listing the names the certificate has.
	Why string
}

// MatchHost reports whether c names host (lower case, no trailing dot).
// DNS subject alternative names are compared first; the subject common
// name is compared only when the certificate has no DNS name at all (RFC
// 6125 §6.4.4; RFC 2818 §3.1 as Windows clients of the Office Communicator
// and Lync era applied it).
func MatchHost(c *x509.Certificate, host string) Match {
	if len(c.DNSNames) > 0 {
		for _, n := range c.DNSNames {
			if ok, _ := MatchName(n, host); ok {
				return Match{Covered: true, By: "DNS:" + n, Wildcard: strings.HasPrefix(n, "*")}
			}
		}
		why := fmt.Sprintf("its DNS names are %s", strings.Join(c.DNSNames, ", "))
		for _, n := range c.DNSNames {
			if _, reason := MatchName(n, host); reason != "" {
				why += "; " + reason
			}
		}
		if cn := c.Subject.CommonName; cn != "" {
			if ok, _ := MatchName(cn, host); ok {
				why += fmt.Sprintf("; the subject common name %s matches, but a client reads the common name only when there is no DNS name", cn)
			}
		}
		return Match{Why: why}
	}
	cn := c.Subject.CommonName
	if cn == "" {
		return Match{Why: "it has neither a DNS subject alternative name nor a subject common name"}
	}
	if ok, _ := MatchName(cn, host); ok {
		return Match{Covered: true, By: "CN=" + cn, ByCN: true, Wildcard: strings.HasPrefix(cn, "*")}
	}
	_, reason := MatchName(cn, host)
	why := fmt.Sprintf("it has no DNS subject alternative name and its subject common name is %s", cn)
	if reason != "" {
		why += "; " + reason
	}
	return Match{Why: why}
}

// MatchName reports whether the presented name pattern (a DNS SAN or a
// common name) matches host: signin.MatchCertificateName, the rule the
// simulated TLS step applies too (RFC 6125 §6.4.3, §7.2: a wildcard only
// as the whole left-most label, one label, never "*.com"). When a wildcard
// does not match, reason says why.
func MatchName(pattern, host string) (ok bool, reason string) {
	return signin.MatchCertificateName(pattern, host)
}

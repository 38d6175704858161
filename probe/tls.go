package probe

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/engine"
)

// Roots is one set of trusted root certificates to verify a presented
// chain against, with the label findings name it by.
type Roots struct {
	Label string
	Pool  *x509.CertPool
}

// Handshake is what a TLS handshake gave, as the prober saw it.
type Handshake struct {
	// ServerName is the SNI sent.
	ServerName string
	// Version is the negotiated version's number (0x0303 for TLS 1.2),
	// CipherSuite the negotiated suite's name.
	Version     uint16
	CipherSuite string
	// InsecureCipher marks a suite crypto/tls lists as insecure (RC4,
	// 3DES, CBC with SHA-256); the prober offers them only so that an
	// old server completes the handshake and the finding can say so.
	InsecureCipher bool
	HandshakeMS    int64
	// Chain is the certificates the server presented, its own first.
	Chain []*x509.Certificate
}

// TLS versions by number (RFC 8446 §4.2.1, RFC 5246 §1.2, RFC 4346,
// RFC 2246).
const (
	VersionTLS10 = 0x0301
	VersionTLS11 = 0x0302
	VersionTLS12 = 0x0303
	VersionTLS13 = 0x0304
)

// VersionName returns "TLS 1.0" to "TLS 1.3", or the number in hex.
func VersionName(v uint16) string {
	switch v {
	case VersionTLS10:
		return "TLS 1.0"
	case VersionTLS11:
		return "TLS 1.1"
	case VersionTLS12:
		return "TLS 1.2"
	case VersionTLS13:
		return "TLS 1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}

// OldClientsCaveat ends the fix of a TLS finding that pushes TLS 1.2:
// Microsoft's "Disable TLS 1.0/1.1 in Skype for Business Server 2015"
// lists Lync 2010 and Lync Phone Edition (and older clients, such as
// Office Communicator 2007/R2) as out of scope, not working once TLS 1.0
// and 1.1 are turned off.
const OldClientsCaveat = " Keep TLS 1.0 enabled while Office Communicator 2007/R2, Lync 2010 or Lync Phone Edition clients sign in: Microsoft lists them as out of scope, not working, once TLS 1.0 and 1.1 are disabled (Disable TLS 1.0/1.1 in Skype for Business Server 2015)."

// NewTLS describes a handshake with host (the name discovery found) for
// the sign-in domain, at the time now: the negotiated parameters, the
// chain checked with package certcheck's rules (the names against host,
// validity, key usage, order) and verified against each set of roots,
// with a finding for every problem. The findings' subject is
// host:port. The certificate's own problems keep the kinds of package
// certcheck (engine.KindNameNotCovered, engine.KindExpired, ...), so that
// a pasted certificate and an observed one say the same thing the same
// way; certcheck's KindIssuer is replaced by the verification against
// roots.
func NewTLS(h Handshake, host string, port uint16, domain string, roots []Roots, now time.Time) (*TLSInfo, []engine.Finding) {
	subject := fmt.Sprintf("%s:%d", host, port)
	info := &TLSInfo{ServerName: h.ServerName, Version: VersionName(h.Version), CipherSuite: h.CipherSuite, HandshakeMS: h.HandshakeMS,
		Chain: []certcheck.Summary{}, Trust: []certcheck.Trust{}}
	var fs []engine.Finding
	add := func(kind engine.Kind, sev engine.Severity, msg, fix string) {
		fs = append(fs, engine.Finding{Kind: kind, Severity: sev, Subject: subject, Message: msg, Fix: fix})
	}
	add(engine.KindProbeTLS, engine.SeverityInfo,
		fmt.Sprintf("TLS with %s: %s, %s, in %d ms (SNI %s).", subject, info.Version, h.CipherSuite, h.HandshakeMS, h.ServerName), "Nothing to fix.")
	if h.Version != 0 && h.Version < VersionTLS12 {
		add(engine.KindProbeTLSOldVersion, engine.SeverityWarning,
			fmt.Sprintf("The server negotiated %s, which RFC 8996 deprecates; clients and servers where TLS 1.0 and 1.1 are turned off cannot connect to it.", info.Version),
			"Enable TLS 1.2 on the server (and keep the clients able to use it)."+OldClientsCaveat)
	}
	if h.InsecureCipher {
		add(engine.KindProbeTLSWeakCipher, engine.SeverityWarning,
			fmt.Sprintf("The server chose the cipher suite %s, which is known to be weak (RFC 7465 forbids RC4; RFC 9325 §4.2 recommends ECDHE with AES-GCM); clients that no longer offer it cannot connect.", h.CipherSuite),
			"Enable TLS 1.2 with ECDHE and AES-GCM cipher suites on the server."+OldClientsCaveat)
	}
	if len(h.Chain) == 0 {
		add(engine.KindProbeCertificateMissing, engine.SeverityError, "The server presented no certificate; the client cannot validate it and does not sign in.",
			"Assign a certificate to the server's SIP (TLS) listener.")
		return info, fs
	}
	for _, c := range h.Chain {
		info.Chain = append(info.Chain, certcheck.Summarize(c))
	}
	res, err := certcheck.Check(h.Chain, host, now)
	if err != nil {
		add(engine.KindProbeCertificateUnreadable, engine.SeverityError, fmt.Sprintf("The certificate could not be checked for %s: %v.", host, err), "Check the host name discovery gave.")
		return info, fs
	}
	info.Covered, info.By, info.InValidity, info.ServerAuth = res.Covered, res.By, res.InValidity, res.ServerAuth
	info.ChainOK = true
	for i := 0; i+1 < len(h.Chain); i++ {
		if h.Chain[i].CheckSignatureFrom(h.Chain[i+1]) != nil {
			info.ChainOK = false
		}
	}
	for _, f := range res.Findings {
		if f.Kind == engine.KindIssuer {
			// certcheck has no trust store and says so; the probe
			// verifies against real roots below instead.
			continue
		}
		f.Subject = subject
		fs = append(fs, f)
	}

	// sip.<domain>: the name a certificate needs for clients that find
	// the server by it (strict naming, the A-record fallback of Lync),
	// per "Certificate requirements for internal servers in Lync Server
	// 2013" (TechNet gg398094).
	if domain != "" {
		info.SIPDomain = "sip." + domain
		m := certcheck.MatchHost(h.Chain[0], info.SIPDomain)
		info.SIPDomainCovered = m.Covered
		if !m.Covered && host != info.SIPDomain {
			add(engine.KindProbeCertificateNoSIPDomain, engine.SeverityInfo,
				fmt.Sprintf("The certificate does not name %s. That is fine while clients find this server as %s; clients that look for %s (strict naming, the A-record fallback) would refuse it.", info.SIPDomain, host, info.SIPDomain),
				fmt.Sprintf("Add %s as a subject alternative name only if clients reach this server by that name: it is their automatic sign-in server and strict DNS matching is required by policy (\"Certificate requirements for internal servers\", Lync Server 2013, gg398094), or %s resolves to it for the host-record fallback.", info.SIPDomain, info.SIPDomain))
		}
	}

	// Trust (RFC 5280 §6).
	var trusted []string
	var custom bool
	for _, r := range roots {
		t := certcheck.Verify(h.Chain, r.Pool, r.Label, now)
		info.Trust = append(info.Trust, t)
		if t.Trusted {
			trusted = append(trusted, r.Label)
		}
		if r.Label != RootsSystem {
			custom = true
		}
	}
	switch {
	case len(roots) == 0:
	case len(trusted) > 0:
		add(engine.KindProbeCertificateTrusted, engine.SeverityInfo,
			fmt.Sprintf("The chain leads to a trusted root (%s roots): %s.", strings.Join(trusted, ", "), strings.Join(info.Trust[indexTrusted(info.Trust)].Path, " → ")),
			"Nothing to fix, if the clients trust the same root.")
	default:
		var whys []string
		for _, t := range info.Trust {
			whys = append(whys, t.String())
		}
		sev := engine.SeverityWarning
		fix := "If the clients trust an enterprise CA that issued this certificate, check again with that CA's certificate (sipdisco check --connect --ca FILE). Otherwise use a certificate from a CA the clients trust, and have the server send its intermediate certificates."
		if custom {
			sev = engine.SeverityError
			fix = "Have the server send the intermediate certificates between its own and the root, and make sure the clients trust the root (an enterprise CA through Group Policy; a public CA for the Access Edge)."
		}
		add(engine.KindProbeCertificateUntrusted, sev, fmt.Sprintf("The chain is %s. The client must trust the issuing CA, or it refuses the certificate and does not sign in.", strings.Join(whys, "; ")), fix)
	}
	return info, fs
}

// RootsSystem is the label of the system's roots.
const RootsSystem = "system"

func indexTrusted(ts []certcheck.Trust) int {
	for i, t := range ts {
		if t.Trusted {
			return i
		}
	}
	return 0
}

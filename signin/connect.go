package signin

import (
	"fmt"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// header returns the header field name: value.
func header(name, value string) engine.Header { return engine.Header{Name: name, Value: value} }

// compressionAlgorithm is the only algorithm of [MS-SIPCOMP]: LZ77 with an
// 8 KB history, as the Compression header names it.
const compressionAlgorithm = "LZ77-8K"

// redirectExpires is the Expires of the 301 that sends the client to its
// home pool, as in the Skype for Business trace (30 days).
const redirectExpires = 2592000

// defaultPort is the port of a transport: 5061 for TLS, 5060 for TCP.
func defaultPort(transport string) int {
	if transport == "tcp" {
		return 5060
	}
	return 5061
}

// connect opens the connection to s.fqdn:s.port: TCP, for TLS the
// certificate check against names (and, when expiry is set, the
// certificate's end date), then compression if asked for. It records the
// Connection and sets s.connNote, the words the first REGISTER's note
// starts with. It returns false when the certificate is refused, with ex
// failed.
func (s *sim) connect(ex *engine.Exchange, reason string, names []string, expiry bool) bool {
	c := engine.Connection{Host: s.fqdn, Port: s.port, Transport: s.transport, Reason: reason, FirstMessage: len(s.msgs), Steps: []engine.ConnectionStep{}}
	where := fmt.Sprintf("%s:%d", s.fqdn, s.port)
	text := fmt.Sprintf("The client opens a TCP connection to %s, the server that discovery found.", where)
	if reason == engine.ConnectionRedirected {
		text = fmt.Sprintf("The client opens a new TCP connection to %s, its home pool, as the 301's Contact says.", where)
	}
	if s.transport == "tls" {
		text += " It starts TLS, and the server presents its certificate."
	} else {
		text += " The transport is TCP: no TLS, no certificate, and SIP travels in clear text."
	}
	c.Steps = append(c.Steps, engine.ConnectionStep{Kind: engine.StepConnect, Status: engine.StepOK, Text: text})
	s.connNote = fmt.Sprintf("Connected to %s over TCP", where)
	// The server numbers the connection; its responses name it in
	// ms-received-cid.
	s.cid = s.next(ConnectionID)

	if s.transport == "tls" {
		t, step, ok := s.checkCertificate(names, expiry)
		c.TLS = &t
		c.Steps = append(c.Steps, step)
		if !ok {
			s.conns = append(s.conns, c)
			s.certificateFailure(ex, t)
			return false
		}
		switch t.Status {
		case engine.CertAssumed:
			s.connNote = fmt.Sprintf("Connected to %s over TLS (having validated the server's certificate, which \"Office Communicator Sign-in and Discovery\" requires; not simulated here)", where)
		default:
			s.connNote = fmt.Sprintf("Connected to %s over TLS (its certificate checked: %s)", where, s.certSummary(t, s.fqdn))
		}
	}

	if s.compression {
		if s.transport != "tls" {
			c.Steps = append(c.Steps, engine.ConnectionStep{Kind: engine.StepCompression, Status: engine.StepSkipped,
				Text: "Compression is negotiated only over TLS (\"Office Communicator Sign-in and Discovery\": \"if using TLS over TCP\"), so none is negotiated on this TCP connection."})
		} else {
			c.Compression = true
			c.Steps = append(c.Steps, engine.ConnectionStep{Kind: engine.StepCompression, Status: engine.StepOK,
				Text: "The client negotiates compression: a NEGOTIATE request with Compression: " + compressionAlgorithm + ", which the server accepts with 200 OK ([MS-SIPCOMP]). From then on, both sides compress the SIP messages on this connection; the ladder shows them decompressed."})
			s.negotiate()
			s.connNote += " and having negotiated compression"
		}
	}
	s.conns = append(s.conns, c)
	return true
}

// certSummary says in a few words what the check of host found.
func (s *sim) certSummary(t engine.TLSCheck, host string) string {
	var parts []string
	switch t.MatchedBy {
	case "":
	case host:
		parts = append(parts, "it names "+host)
	default:
		parts = append(parts, "it names "+host+" by "+t.MatchedBy)
	}
	if t.MatchedBy == "" {
		parts = append(parts, "names not given, so not checked")
	}
	if t.NotAfter != "" {
		parts = append(parts, "valid until "+stampText(s.notAfter))
	}
	return strings.Join(parts, ", ")
}

// checkCertificate checks the certificate names against s.fqdn and, when
// expiry is set and an end date was given, the end date against s.now.
// The name is checked first: a certificate that names another server is
// refused whatever its dates.
func (s *sim) checkCertificate(names []string, expiry bool) (engine.TLSCheck, engine.ConnectionStep, bool) {
	t := engine.TLSCheck{Status: engine.CertAssumed, Names: names}
	step := engine.ConnectionStep{Kind: engine.StepCertificate}
	host := s.fqdn
	checkExpiry := expiry && !s.notAfter.IsZero()
	if len(names) == 0 && !checkExpiry {
		step.Status = engine.StepAssumed
		step.Text = fmt.Sprintf("The client must validate the certificate before it continues (Office Communicator Sign-in and Discovery). No certificate names were given, so the check is not simulated: the certificate is assumed to name %s and to be valid.", host)
		return t, step, true
	}
	var said []string
	if len(names) > 0 {
		by, why := coveredBy(names, host)
		if by == "" {
			t.Status = engine.CertNameMismatch
			s.certWhy = why
			step.Status = engine.StepFailed
			step.Text = fmt.Sprintf("The certificate does not name %s: %s. The client refuses the certificate and closes the connection without sending a SIP message.", host, why)
			if checkExpiry && s.now.After(s.notAfter) {
				step.Text += fmt.Sprintf(" (It has also expired, on %s.)", stampText(s.notAfter))
			}
			return t, step, false
		}
		t.MatchedBy = by
		if by == host {
			said = append(said, fmt.Sprintf("The certificate names %s", host))
		} else {
			said = append(said, fmt.Sprintf("The certificate names %s by the wildcard %s", host, by))
		}
	} else {
		said = append(said, fmt.Sprintf("No certificate names were given, so the name check is not simulated (the certificate is assumed to name %s)", host))
	}
	if checkExpiry {
		t.NotAfter = s.notAfter.Format(time.RFC3339)
		if s.now.After(s.notAfter) {
			t.Status = engine.CertExpired
			step.Status = engine.StepFailed
			step.Text = fmt.Sprintf("%s, but it expired on %s; it is now %s. The client refuses the certificate and closes the connection without sending a SIP message.", said[0], stampText(s.notAfter), stampText(s.now))
			return t, step, false
		}
		said = append(said, fmt.Sprintf("it is valid until %s (it is now %s)", stampText(s.notAfter), stampText(s.now)))
	}
	t.Status = engine.CertValid
	step.Status = engine.StepOK
	step.Text = strings.Join(said, ", and ") + ". The client accepts it and continues."
	return t, step, true
}

// certificateFailure fails the exchange for a refused certificate.
func (s *sim) certificateFailure(ex *engine.Exchange, t engine.TLSCheck) {
	host := s.fqdn
	which := "the server that discovery found"
	if len(s.conns) > 1 {
		which = "its home pool, where the 301 redirect sent it"
	}
	// What the user sees: Communicator and Lync report that there was a
	// problem verifying the certificate from the server; their exact
	// wording is unverified.
	// Certificate requirements for internal servers (Lync Server 2013,
	// gg398094) ask for sip.<domain> only "if this pool is the
	// auto-logon server for clients and strict DNS matching is required
	// in group policy": the certificate needs the name DNS gives, and
	// sip.<domain> where clients sign in by that name.
	fix := fmt.Sprintf("Reissue the server's certificate with %s as a subject alternative name, or point the SRV record at a name the certificate carries. Automatic sign-in connects to the name DNS gives (the SRV target or the host record), so that is the name the certificate needs; sip.<SIP domain> is needed on a pool's certificate where clients sign in to it by that name: where strict DNS matching is required by policy, or through the sip.<domain> host record (\"Certificate requirements for internal servers\", gg398094).", host)
	if len(s.conns) > 1 {
		fix = fmt.Sprintf("Reissue the home pool's certificate with its pool FQDN %s as a subject alternative name: that is the name the Director (or other pool) redirects clients to.", host)
	}
	switch t.Status {
	case engine.CertNameMismatch:
		fail(ex, engine.KindCertificateNameMismatch,
			fmt.Sprintf("%s connected over TLS to %s, %s, and the server's certificate does not name it: %s. The client must validate the certificate before it continues (Office Communicator Sign-in and Discovery), so it refuses the connection, and no REGISTER is sent. The client reports a problem verifying the server's certificate.", s.client.Title, host, which, s.certWhy),
			fix)
	case engine.CertExpired:
		fail(ex, engine.KindCertificateExpired,
			fmt.Sprintf("%s connected over TLS to %s, %s; the certificate names it, but it expired on %s, and it is now %s (RFC 5280 §4.1.2.5). The client must validate the certificate before it continues (Office Communicator Sign-in and Discovery), so it refuses the connection, and no REGISTER is sent.", s.client.Title, host, which, stampText(s.notAfter), stampText(s.now)),
			fmt.Sprintf("Renew the certificate of %s (with the same names) and assign it to the server's SIP service.", host))
	}
}

// negotiate appends the compression negotiation: a NEGOTIATE request on
// the new connection, with its own Call-ID and From tag, that names the
// server's and the client's addresses rather than a user, and the
// server's 200 OK. The form is that of the open-source Viproy toolkit,
// which talks to Lync this way (Max-Forwards 0: the request is hop by
// hop); the header name and value are [MS-SIPCOMP]'s. The Via has no
// branch, as in every Microsoft client's REGISTER.
func (s *sim) negotiate() {
	callID, tag := s.next(CallID), s.next(Tag)
	server := fmt.Sprintf("sip:%s:%d", s.fqdn, s.port)
	req := engine.Message{
		Direction: engine.ClientToServer,
		Label:     "NEGOTIATE (compression)",
		StartLine: "NEGOTIATE " + server + " SIP/2.0",
		Headers: []engine.Header{
			header("Via", "SIP/2.0/TLS "+s.local.String()),
			header("Max-Forwards", "0"),
			header("From", fmt.Sprintf("<sip:%s>;tag=%s", s.local, tag)),
			header("To", "<"+server+">"),
			header("Call-ID", callID),
			header("CSeq", "1 NEGOTIATE"),
			header("Compression", compressionAlgorithm),
		},
		Note: fmt.Sprintf("Before registering, the client offers to compress the SIP traffic on this TLS connection ([MS-SIPCOMP]): NEGOTIATE, addressed to the server itself, with Compression: %s.", compressionAlgorithm),
	}
	s.msgs = append(s.msgs, req)
	s.mark("the NEGOTIATE's form (that of the Viproy toolkit, which talks to Lync)")
	s.response(req, 200, "OK", nil, []engine.Header{header("Compression", compressionAlgorithm)},
		"The server accepts the algorithm: from the next message on, each side compresses what it sends on this connection (the ladder shows the messages decompressed).")
}

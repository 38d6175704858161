// Package prober observes the real sign-in servers for sipdisco check
// --connect: it connects to the candidates discovery found, in the
// client's order and as the client would (the port and transport
// discovery chose; TLS with SNI the discovered host name; TCP only when
// the policy allows it), records the TLS handshake and the certificate
// chain the server presents, sends a REGISTER that carries no
// credentials, and reads the answer. Package probe, which is pure,
// parses and judges what this package brings back; this package only
// opens connections, reads the clock and draws random identifiers.
//
// It lives under cmd/sipdisco/internal because only the command line may
// use it: a browser cannot open TCP or TLS sockets, and the engine does
// no I/O (ADR 1). dohclient is the model: a thin adapter from the
// network to the engine's types, with every limit explicit.
//
// # What it sends
//
// The REGISTER is the first message of signin.Simulate for the same
// client generation, sign-in address and server, with Credentials
// NoCredentials, the connection's own address in Via and Contact, and a
// Call-ID, tags, branch, epid and +sip.instance drawn fresh from
// crypto/rand through signin.RandIDs. Before anything is written,
// checkNoSecret refuses a message that is not a bodiless REGISTER or that
// has an Authorization or Proxy-Authorization header or a security
// token. The probe never answers a challenge: no password, NTLM message
// or Kerberos ticket can be sent, and nothing about the user but the
// sign-in address the caller gave.
//
// # The Autodiscover web service
//
// For a client that asks it first (a profile with Autodiscover names:
// Lync 2013, Skype for Business), the web service is asked before the
// SIP candidates ("Understanding Autodiscover in Lync Server 2013",
// TechNet JJ945654): lyncdiscoverinternal.<domain> then
// lyncdiscover.<domain>, https then http, GET /?sipuri=<address>, then
// the root document's Redirect and User links. The requests carry Host,
// User-Agent and Accept only, through an HTTP client with no cookie jar
// and no proxy; checkNoCredentials refuses anything else. Package probe
// parses the documents, decides which links may be followed
// (probe.CheckLink) and judges; the certificates are judged as the SIP
// side's. docs/adr/0014-autodiscover-observed-without-credentials.md
// gives the choices and the bounds.
//
// # Limits
//
// It contacts only the candidates it is given that discovery accepted
// (at most MaxCandidates, each at most MaxAddresses addresses tried in
// turn, one connection each) and, once, the server a 301 or 302 names.
// Each stage has its own time limit (connect, handshake, response; see
// the Default constants), and a response is read at most to
// probe.MaxHeadBytes of head and probe.MaxBodyBytes of body, so a server
// that never ends its answer costs at most the response timeout. A stage
// that runs out of time fails as a timeout, saying how many bytes arrived
// and how they start; only a first line that is complete, or that cannot
// become "SIP/2.0 ", makes it a server that does not speak SIP.
//
// # What it deliberately does not do
//
// It does not authenticate, negotiate compression, keep a registration
// or send anything after the response; it does not fetch the Certificate
// Provisioning service a TLS-DSK challenge names, or the web ticket
// service the Autodiscover user resource names. It does not check
// revocation.
package prober

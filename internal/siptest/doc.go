// Package siptest runs a real SIP server on loopback for tests, as
// net/http/httptest runs an HTTP one: Debian's kamailio (packages
// "kamailio" and "kamailio-tls-modules"), a server that is not ours, on
// two free loopback ports (TCP and TLS) with a configuration, key and
// certificate written to the test's temporary directory. The probe's
// tests (cmd/sipdisco/internal/prober), the command line's (check
// --connect) and the browser's (a snapshot link carrying what kamailio
// answered) all observe the same server.
//
// Without kamailio the tests that need it skip, unless SIPDISCO_CI=1,
// where a missing server fails them.
//
// It also runs a stand-in for the Autodiscover web service of Lync Server
// 2013 and Skype for Business Server (StartAutodiscover, with the
// answers of LyncAutodiscover or a test's own handler): an HTTPS and an
// HTTP server from net/http/httptest on loopback, recording every
// request, reached through its Dial.
//
// What it deliberately does not do: answer the way Office Communications
// Server or Lync do (NTLM, Kerberos and TLS-DSK challenges); the probe's
// own tests script those answers.
package siptest

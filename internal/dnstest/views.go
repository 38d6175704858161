//go:build !js

package dnstest

import (
	"fmt"
	"strings"
	"testing"
)

// The zones below describe one domain, contoso.example, as the two views
// of split-brain DNS hold it, and the broken variants the checks look for.
// Addresses are documentation ranges (RFC 5737) and 10.0.0.0/8.

// InternalView is contoso.example as the AD DNS servers inside the
// network hold it: the internal SRV records pointing at the pool, the
// Access Edge for _sip._tls, sipinternal for the A-record fallback, and
// under big.contoso.example a set of 40 SRV records too large for a
// 1232-octet UDP reply.
var InternalView = func() string {
	var b strings.Builder
	b.WriteString(soa + `_sipinternaltls._tcp IN SRV 0 0 5061 pool01
_sipinternal._tcp    IN SRV 0 0 5060 pool01
_sip._tls            IN SRV 0 0 443  sip
lyncdiscoverinternal IN A   10.0.0.12
pool01               IN A   10.0.0.10
sip                  IN A   192.0.2.10
sipinternal          IN A   10.0.0.10
`)
	for i := range 40 {
		fmt.Fprintf(&b, "_sipinternaltls._tcp.big IN SRV 0 %d 5061 sip-pool-%02d.frontend.datacenter-west\n", i, i)
	}
	return b.String()
}()

// ExternalView is contoso.example as the Internet sees it: only the
// Access Edge and the external autodiscover name.
const ExternalView = soa + `_sip._tls    IN SRV 0 0 443 sip
sip          IN A   203.0.113.10
lyncdiscover IN A   203.0.113.12
`

// LeakyExternalView is ExternalView with the internal-only names
// published outside as well: internal server names and addresses any
// client on the Internet can read, and an internal SRV record that sends
// outside clients to a host they cannot reach.
const LeakyExternalView = ExternalView + `_sipinternaltls._tcp IN SRV 0 0 5061 pool01
_sipinternal._tcp    IN SRV 0 0 5060 pool01
pool01               IN A   10.0.0.10
sipinternal          IN A   10.0.0.10
lyncdiscoverinternal IN A   10.0.0.12
`

// WildcardView is a zone with a wildcard address record and no SRV
// records: every SRV question is NODATA, so the client falls back to A
// records, and sipinternal.contoso.example "exists" only because every
// name does.
const WildcardView = soa + `*            IN A   203.0.113.99
www          IN A   203.0.113.80
`

// ParentZone is the zone example. delegating contoso.example to servers
// elsewhere: a server holding only it answers questions under
// contoso.example with a referral (NOERROR, no answer, no AA, the NS
// records in the authority section).
const ParentZone = `$TTL 300
@        IN SOA ns hostmaster 1 3600 600 86400 300
@        IN NS  ns
ns       IN A   127.0.0.1
contoso  IN NS  ns1.contoso.elsewhere.test.
`

const soa = `$TTL 300
@          IN SOA ns1 hostmaster 1 3600 600 86400 300
@          IN NS  ns1
ns1        IN A   127.0.0.1
`

// Domain is the domain the views describe.
const Domain = "contoso.example"

// StartViews starts the two views of Domain on two servers that are not
// ours, each on its own loopback address: unbound holding InternalView and
// nsd holding external (ExternalView, LeakyExternalView or WildcardView).
func StartViews(t testing.TB, external string) (inside, outside *Server) {
	t.Helper()
	return StartUnbound(t, Zone{Origin: Domain, Text: InternalView}),
		StartNSD(t, Zone{Origin: Domain, Text: external})
}

// Package plan generates the DNS records and certificate names a Microsoft
// SIP deployment (Office Communications Server 2007/R2, Lync, Skype for
// Business) needs for automatic client sign-in, before any DNS exists.
//
// Generate takes an Input — the SIP domains, the Front End pool (or
// Standard Edition server), an optional Director, the Access Edge and its
// port, the web services names Lync 2013 autodiscover uses, the client
// profiles that must work, strict naming and the TCP policy — and returns
// a Plan: the records for the internal and the external DNS separately,
// each with the reason it exists (citing the Microsoft document by title)
// and the clients or feature that need it, and the subject and subject
// alternative names each certificate must carry, as Microsoft's
// certificate tables list them. Besides sign-in the plan covers
// federation (_sipfederationtls._tcp, _xmpp-server._tcp), the Edge's Web
// Conferencing and A/V names, the simple URLs, DNS load balancing, the
// Director's web services (where autodiscover leads when there is a
// Director) and Office Online Server; a SIP domain the internal DNS does
// not host goes into pin-point zones. docs/adr/0021 records the choices
// of issue 24. The renderers turn a view
// into BIND zone text (one zone per domain, loadable by
// resolve/zone.Set.Add), a PowerShell script (one per view, saying where
// it runs) that checks every record before it adds any and can be run
// twice, CSV, or Markdown; DiscoverAll runs engine.Discover for every selected
// profile against resolvers built from the generated zones and compares
// each result with Expect, and Verify adds the rules discovery does not
// show (SRV targets, one-view names, certificate coverage).
//
// The records follow the Microsoft documents the engine's profiles cite:
// "Office Communicator Sign-in and Discovery" and the OCS 2007 R2 "Client
// DNS Queries Drilldown" (TechNet dd572514) for the SRV names and the
// naming policy, "DNS requirements for automatic client sign-in in Lync
// Server 2013" (TechNet gg425884) for the single internal TLS record,
// "Determine DNS requirements for Lync Server 2013" (TechNet gg398758) for
// sip.<domain>, lyncdiscoverinternal and lyncdiscover and for the rule
// that an SRV target's host record is in the SRV record's own domain, and
// RFC 2782 for SRV targets that are never aliases. The certificate names
// follow "Certificate requirements for internal servers in Lync Server
// 2013" (TechNet gg398094), "Certificate requirements for mobility in Lync
// Server 2013" (TechNet hh690044) and "Plan for Edge Server certificates
// in Lync Server 2013" (TechNet gg413010). docs/adr/0004-planning.md
// records the choices.
//
// The package is pure like engine: no I/O, no clock, no random source.
// What it deliberately does not do: parse zone text or resolve names (the
// caller loads the rendered zones into a resolver of its choice and passes
// it to Check), talk to a DNS server, or check a certificate (package
// certcheck does).
package plan

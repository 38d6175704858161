// Package plan generates the DNS records and certificate names a Microsoft
// SIP deployment (Office Communications Server 2007/R2, Lync, Skype for
// Business) needs for automatic client sign-in, before any DNS exists.
//
// Generate takes an Input — the SIP domains, the Front End pool (or
// Standard Edition server), an optional Director, the Access Edge and its
// port, the web services names Lync 2013 autodiscover uses, the client
// profiles that must work, strict naming and the TCP policy — and returns
// a Plan: the records for the internal and the external DNS separately,
// each with the reason it exists, and the subject and subject alternative
// names each server's certificate must carry. The renderers turn a view
// into BIND zone text (one zone per domain, loadable by
// resolve/zone.Set.Add), a PowerShell script of
// Add-DnsServerResourceRecord commands (one per view, saying where it
// runs), CSV, or Markdown; DiscoverAll runs engine.Discover for every selected
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

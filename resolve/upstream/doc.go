// Package upstream holds what "sipdisco serve --upstream" puts between the
// page's DNS-over-HTTPS questions and the resolver that answers them (the
// machine's own, or a plain DNS server): a [Filter] that passes on only the
// questions discovery and the domain report (package domainreport) ask, so
// that the endpoint is not an open resolver.
//
// # What passes
//
// The names and types come from the client profiles (engine.Profiles), so
// a new profile is covered without touching this package:
//
//   - SRV for a profile's service under any domain: "_sipinternaltls._tcp.D",
//     "_sipinternal._tcp.D", "_sip._tls.D";
//   - A, AAAA and CNAME for the hosts a profile builds from the sign-in
//     domain: the A-record fallback and autodiscover hosts
//     ("sipinternal.D", "sipexternal.D", "sip.D", "lyncdiscoverinternal.D",
//     "lyncdiscover.D"), and any extra labels the caller adds;
//   - the domain report's names (domainreport.Asked): SRV for
//     "_sipfederationtls._tcp.D" and "_xmpp-server._tcp.D" (federation,
//     XMPP), and A, AAAA and CNAME for its host labels ("meet.D",
//     "dialin.D", "webconf.D", "av.D" beside the profiles' own);
//   - A for the wildcard probe, a random label under any domain in the
//     one form discovery draws ("sipdisco-probe-" and ten lower-case
//     letters or digits, engine.IsProbeLabel): an answer shows that the
//     domain has a wildcard record (RFC 4592);
//   - A, AAAA and CNAME for an SRV target that this Filter itself passed
//     back in an SRV answer to the same check (WithCheck) about the
//     check's own domain, within TargetTTL (2 minutes) of the check's
//     first question. That is how a target outside the sign-in domain
//     ("pool01.contoso.net", which Lync's trust model accepts after a
//     prompt) can be resolved without the filter answering A questions
//     for any name: only a name that a real SRV record of the domain
//     being checked returned to this check can be asked, by this check.
//
// # Checks
//
// A check is what one page run asks: the page draws a random ID for
// each and sends it with each question (serve's /dns-query?check=ID),
// and serve passes it to Resolve with WithCheck. A check is bound to the
// domain of its first question (the SRV service's or host label's
// domain); only its SRV answers about that domain make targets askable,
// at most MaxCheckTargets of them, and only for it. A question without a
// check gets no target's address. So one check's answers open nothing
// to another check, another tab or a script, and a check about
// attacker.example cannot ask for names under other domains' SRV
// answers; checks remembered are bounded (MaxChecks, MaxTargets). An ID
// is not a secret: anyone who can ask can start a check, and then learn
// the addresses of what their own domain's SRV records name, as
// discovery of that domain would (docs/adr/0022-upstream-targets-belong-to-a-check.md).
//
// Everything else, TXT and every other type included, is refused: the
// error is a *RefusedError, a wire.ExtendedError with INFO-CODE 18,
// Prohibited (RFC 8914 §4.19), naming the question, that NewHandler sends
// as an Extended DNS Error.
//
// # What it deliberately doesn't do
//
// It does not bound the rate of questions, look at who asks (the HTTP
// server's loopback binding and Host check do that), cache answers, or
// follow CNAMEs: an upstream recursive resolver returns the whole chain in
// its answer, and discovery reads it there. Names a user types as manual
// servers are not discovery's to ask; a caller that wants them passed adds
// them with Options.Names.
package upstream

package engine

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/sipdisco/sipdisco/internal/suggest"
)

// Adding a client profile (three files):
//
//  1. profile.go: write a Profile value below with a doc comment naming
//     the public document it follows, and list every source in Sources.
//     Where sources disagree, pick one, and say which and why in Notes.
//     Append it to profiles; the docs pages, the command line's
//     --profile, its help and completions, the page's Client select and
//     the plan's matrix pick it up from there.
//  2. signin/forms.go: its sign-in forms, the server generation it signs
//     in to (serverForms) and how it writes its Contact (contactForms);
//     TestFormsCoverProfiles fails until they are there.
//  3. A scenario under testdata/scenarios exercising what is new
//     (go test -run TestScenarios -update writes its report).
//
// Nothing else: the tests that count or name profiles take them from
// Profiles, and the help and plan golden files do not list them.

// NamingModel is how a client decides whether a discovered server may be
// used for the sign-in domain.
type NamingModel string

// The naming models of Microsoft's clients.
const (
	// NamingStrictOrLoose is Office Communicator's rule: the
	// EnableStrictDNSNaming policy selects strict (D or sip.D) or loose
	// (D or any name under D) naming; anything else is refused.
	NamingStrictOrLoose NamingModel = "strict-or-loose"
	// NamingTrustModel is the rule of Lync and Skype for Business: a
	// server named under the sign-in domain is accepted (the deployment
	// documents publish _sipinternaltls._tcp.D → pool01.D, gg425884,
	// gg425900); a server outside it is not refused outright: unless its
	// domain is trusted (TrustModelData, or the documented default list)
	// the user is asked whether to trust it. Strict naming, where a
	// policy requires it, refuses anything but D and sip.D over TLS
	// (docs/adr/0016-lync-and-skype-naming.md).
	NamingTrustModel NamingModel = "trust-model"
)

// SRVLookup is one SRV name a client asks for.
type SRVLookup struct {
	// Service is the owner name prefix, "_sipinternaltls._tcp".
	Service   string
	Transport Transport
	// Port is the port the record usually gives: 5061 on a pool's TLS
	// listener, 5060 on its TCP listener, 443 on the Access Edge's
	// client listener ("Port summary - Single consolidated edge with
	// public IP addresses", Lync Server 2013: SIP/TLS 443 is client to
	// server, 5061 is federation).
	Port uint16
	// Purpose says what the record is for, in a few words.
	Purpose string
	// NeedsTCP marks the lookup asked only when the policy allows TCP.
	NeedsTCP bool
}

// FallbackHost is a host name the client tries when discovery reaches the
// host records.
type FallbackHost struct {
	// Prefix is the left-most label, "sipinternal"; the host is
	// Prefix + "." + D.
	Prefix string
	// Ports are the TLS ports tried in order.
	Ports []uint16
	// TLSOnly marks a host the client reaches only over TLS: an Access
	// Edge, which takes no unencrypted client connections ("TLS over
	// TCP is forced through an Edge Server", Office Communicator
	// Sign-in and Discovery). Other hosts are also tried over TCP on
	// 5060 when the policy allows TCP.
	TLSOnly bool
}

// Persistence is how far a client goes past a record that does not lead
// to a server.
type Persistence string

// The two rules Microsoft's documents give.
const (
	// StopAtSRV is Office Communicator's rule: once any SRV record
	// exists, only SRV targets are tried; the host records are used
	// only when no SRV record exists at all ("Client DNS Queries
	// Drilldown": "The client does not try any other SRV records";
	// Office Communicator Sign-in and Discovery: "not if they are not
	// valid; only if they do not exist at all").
	StopAtSRV Persistence = "stop-at-srv"
	// ContinueUntilOneWorks is the rule of Lync's updated clients: "the
	// DNS query process continues until a successful query is returned,
	// or the list of possible DNS records is exhausted" ("Determine DNS
	// requirements for Lync Server 2013"), so the host records follow
	// the SRV targets even when an SRV record exists.
	ContinueUntilOneWorks Persistence = "continue-until-one-works"
)

// Source is a public document a profile follows.
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Profile is one client's discovery behaviour as data: what it asks, in
// which order it tries what it finds, and how it judges names.
type Profile struct {
	Name    string
	Title   string
	Summary string
	// Autodiscover are host prefixes looked up (A/AAAA, CNAMEs followed)
	// before SRV discovery: the Lync autodiscover web service names. Only
	// DNS is checked; the web service itself is not fetched.
	Autodiscover []string
	// SRV lists the SRV lookups in the order the client asks them. The
	// order it tries the candidates is TryOrder.
	SRV []SRVLookup
	// Fallback lists the host-record fallback hosts in order.
	Fallback []FallbackHost
	// Persistence says whether the fallback hosts are tried only when no
	// SRV record exists (StopAtSRV) or after every SRV target that does
	// not work (ContinueUntilOneWorks).
	Persistence Persistence
	// IPv6 makes address lookups ask AAAA as well as A; a client without
	// it connects over IPv4 only.
	IPv6   bool
	Naming NamingModel
	// StrictPolicy is the name the client's documents give the strict
	// naming policy: "EnableStrictDNSNaming" (Communicator: on means
	// strict) or "DisableStrictDNSNaming" (Lync: on means suffix
	// matching).
	StrictPolicy string
	// StrictByDefault marks a client whose naming is strict when no
	// policy is set. No profile has it: Communicator's
	// EnableStrictDNSNaming is off unless set, and Lync and Skype for
	// Business accept a pool named under the sign-in domain, as the
	// deployment documents' required record (gg425884, gg425900) and
	// the certificate requirements (gg398094: sip.D "if ... strict DNS
	// matching is required in group policy") show; the DisableStrictDNSNaming
	// policy text's strict reading is offered as --strict
	// (docs/adr/0016-lync-and-skype-naming.md).
	StrictByDefault bool
	// StrictTLSOnly marks a client whose strict naming applies only to
	// servers found by automatic configuration and reached over TLS (the
	// Lync policy text: it "takes effect only if Microsoft Lync uses
	// 'automatic configuration' ... and only if Microsoft Lync
	// communicates with the SIP server using the TLS transport"). A TCP
	// candidate of such a client is judged as with suffix matching.
	StrictTLSOnly bool
	// DefaultTrusted are the domains the client trusts without a prompt
	// when the TrustModelData policy is not set. Setting the policy
	// replaces them. Only the Skype for Business 2016 policy text
	// documents such a list ("lync.com, outlook.com,
	// lync.glbdns.microsoft.com, and microsoftonline.com").
	DefaultTrusted []string
	// ClientTCP marks a client whose servers take client connections
	// over TCP: Office Communications Server 2007 and 2007 R2 pools
	// (TCP 5060 when the policy allows it). Lync Server and Skype for
	// Business Server pools listen on TCP 5060 only for static routes to
	// trusted services ("Port and protocol requirements for servers",
	// Skype for Business Server), so the Lync and Skype for Business profiles never sign
	// in over TCP.
	ClientTCP bool
	// TLSDSK marks clients that can authenticate with TLS-DSK, fetching a
	// client certificate from the server's Certificate Provisioning
	// service first ([MS-SIPAE] §3.3.5.1, [MS-OCAUTHWS]).
	TLSDSK bool
	// UserAgent is the User-Agent header of the client's REGISTER. The
	// build numbers are the products' release builds as they appear in
	// public traces; the build a given installation sends varies with its
	// updates.
	UserAgent string
	// Supported are the values of the client's Supported headers, one
	// header per element, as seen in public traces of each generation;
	// which option tags a given build sends is unverified.
	Supported []string
}

// TryOrder returns the SRV lookups in the order the client tries their
// candidates: every TLS lookup before any TCP one, otherwise in asking
// order (Office Communicator Sign-in and Discovery: "If TLS fails, then
// and only then" TCP).
func (p *Profile) TryOrder() []SRVLookup {
	// Two passes rather than a stable sort: the same order, without a
	// sort's code in the page's first WebAssembly module
	// (docs/adr/0005-wasm-size.md).
	out := make([]SRVLookup, 0, len(p.SRV))
	for _, tls := range []bool{true, false} {
		for _, l := range p.SRV {
			if (l.Transport == TLS) == tls {
				out = append(out, l)
			}
		}
	}
	return out
}

// DefaultPolicy returns the policy of this client with no policy set:
// its documented default naming, TCP allowed, automatic configuration.
func (p *Profile) DefaultPolicy() Policy {
	return Policy{StrictNaming: p.StrictByDefault, AllowTCP: true}
}

// NamingPolicy says which naming the client uses, in the words of its
// documents: Communicator's strict naming is the EnableStrictDNSNaming
// policy, off unless set. For Lync and Skype for Business a server under
// the sign-in domain is accepted by default (gg425884, gg398094); strict
// naming is the DisableStrictDNSNaming policy text's reading, in force
// where a policy requires strict DNS matching
// (docs/adr/0016-lync-and-skype-naming.md).
func (p *Profile) NamingPolicy(strict bool) string {
	switch {
	case p.StrictPolicy == "DisableStrictDNSNaming" && strict:
		return "strict (required by policy, as the DisableStrictDNSNaming policy text reads: only D or sip.D over TLS)"
	case p.StrictPolicy == "DisableStrictDNSNaming":
		return "loose (the default, as deployments run it: a server under the sign-in domain is accepted, others prompt; the DisableStrictDNSNaming policy text's strict reading is not applied)"
	case strict:
		return "strict (EnableStrictDNSNaming set)"
	}
	return "loose (EnableStrictDNSNaming not set)"
}

// StrictApplies reports whether strict naming, when pol has it, judges a
// candidate reached over t.
func (p *Profile) StrictApplies(pol Policy, t Transport) bool {
	return pol.StrictNaming && (t == TLS || !p.StrictTLSOnly)
}

// DefaultProfile is the profile used when none is named: Office
// Communicator 2007 R2 as "Office Communicator Sign-in and Discovery"
// describes it.
const DefaultProfile = "communicator-2007-r2"

var (
	srvInternalTLS = SRVLookup{Service: "_sipinternaltls._tcp", Transport: TLS, Port: 5061, Purpose: "internal pool or server, TLS"}
	srvInternalTCP = SRVLookup{Service: "_sipinternal._tcp", Transport: TCP, Port: 5060, Purpose: "internal pool or server, TCP", NeedsTCP: true}
	srvExternalTLS = SRVLookup{Service: "_sip._tls", Transport: TLS, Port: 443, Purpose: "Access Edge server, TLS from the Internet"}
	srvExternalTCP = SRVLookup{Service: "_sip._tcp", Transport: TCP, Port: 5060, Purpose: "external server, TCP (preliminary Communicator 2007 text only)", NeedsTCP: true}
)

// The sources the profiles cite. Each is a Microsoft document (or, where
// none exists, a Microsoft engineer's or field report) read for the
// statement the profile takes from it.
var (
	ocsR2Drilldown = Source{
		Title: "Client DNS Queries Drilldown (Office Communications Server 2007 R2, TechNet dd572514)",
		URL:   "https://technet.microsoft.com/zh-tw/library/dd572514(v=office.13)",
	}
	ocSignIn = Source{
		Title: "Office Communicator Sign-in and Discovery (Office Communications Server 2007 R2)",
		URL:   "https://docs.microsoft.com/en-us/previous-versions/office/communications-server/dd637152(v=office.13)",
	}
	ocs2007Preliminary = Source{
		Title: "How Client DNS Queries Work (Office Communications Server 2007 R2 preliminary documentation, TechNet cc816291)",
		URL:   "https://technet.microsoft.com/en-us/library/cc816291(v=office.12)",
	}
	lync13DNS = Source{
		Title: "Determine DNS requirements for Lync Server 2013 (TechNet gg398758)",
		URL:   "https://technet.microsoft.com/en-us/library/Gg398758(v=OCS.15)",
	}
	lync13AutoSignIn = Source{
		Title: "DNS requirements for automatic client sign-in in Lync Server 2013 (TechNet gg425884)",
		URL:   "https://technet.microsoft.com/en-us/library/Gg425884(v=OCS.15)",
	}
	lync13Bootstrap = Source{
		Title: "Configuring client bootstrapping policies in Lync Server 2013 (TechNet gg425941)",
		URL:   "https://technet.microsoft.com/en-us/library/Gg425941(v=OCS.15)",
	}
	lyncStrictPolicy = Source{
		Title: "Lync Group Policy text of the strict DNS naming policy (DisableStrictDNSNaming)",
		URL:   "https://uitranslation.com/?term=95b248ad4ce1",
	}
	lyncEdgePorts = Source{
		Title: "Port summary - Single consolidated edge with public IP addresses in Lync Server 2013 (TechNet JJ204756)",
		URL:   "https://technet.microsoft.com/en-us/library/JJ204756(v=OCS.15)",
	}
	lyncTrust = Source{
		Title: "Lync cannot verify that the server is trusted for your sign-in address (Jens Trier Rasmussen, Microsoft, 2011)",
		URL:   "https://blogs.technet.microsoft.com/jenstr/2011/02/10/lync-cannot-verify-that-the-server-is-trusted-for-your-sign-in-address/",
	}
	lync10IPv4 = Source{
		Title: "[MS-E911WS]: Web Service for E911 Support Protocol, Appendix B: Product Behavior, note 1 (Lync Server 2010 and Lync 2010 support only IPv4)",
		URL:   "https://learn.microsoft.com/en-us/openspecs/office_protocols/ms-e911ws/",
	}
	lync10Network = Source{
		Title: "Network Infrastructure Requirements (Lync Server 2010, TechNet gg412848)",
		URL:   "https://technet.microsoft.com/en-us/library/gg412848(v=ocs.14)",
	}
	lync10OldProcess = Source{
		Title: "Lync Client Discovery Process (ITPro Today)",
		URL:   "http://www.itprotoday.com/conferencing/lync-client-discovery-process",
	}
	lync10Auth = Source{
		Title: "Lync 2010 Client Authentication (NextHop, Microsoft, 2012): Kerberos v5, TLS-DSK and NTLM v2",
		URL:   "http://blogs.technet.com/b/nexthop/archive/2012/11/28/lync-2010-client-authentication.aspx",
	}
	lync10SEDNS = Source{
		Title: "DNS Requirements for Standard Edition Servers (Lync Server 2010, TechNet gg425900)",
		URL:   "https://technet.microsoft.com/en-us/library/gg425900(v=ocs.14)",
	}
	lync13Certs = Source{
		Title: "Certificate requirements for internal servers in Lync Server 2013 (TechNet gg398094)",
		URL:   "https://technet.microsoft.com/en-us/library/Gg398094(v=OCS.15)",
	}
	sfbPorts = Source{
		Title: "Port and protocol requirements for servers (Skype for Business Server): TCP 5060 only for static routes to trusted services; 5061 for client connections (TLS)",
		URL:   "https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/network-requirements/ports-and-protocols",
	}
	lyncSchertz = Source{
		Title: "Lync Phone Edition CU7 Registration Issues (Jeff Schertz, 2013): Lync 2010 prompts and connects; Lync Phone Edition from CU7 refuses",
		URL:   "http://blog.schertz.name/2013/08/lync-phone-edition-cu7-registration-issues/",
	}
	sfbEdgeDNS = Source{
		Title: "Advanced Edge Server DNS planning for Skype for Business Server",
		URL:   "https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/edge-server-deployments/advanced-edge-server-dns",
	}
	sfbBootstrap = Source{
		Title: "Configure client bootstrapping policies in Skype for Business Server",
		URL:   "https://learn.microsoft.com/en-us/skypeforbusiness/deploy/deploy-clients/configure-client-bootstrapping-policies",
	}
	sfbTrustADMX = Source{
		Title: "Skype for Business 2016 administrative template (ADMX), policy \"Trusted Domain List\" (TrustModelData): the default list when not configured",
		URL:   "https://policypicker.app/policy/microsoftoffice/skype-for-business-2016/microsoft-lync-feature-policies/trusted-domain-list-cf7d8ff1cc76",
	}
	sfbUserAgent = Source{
		Title: "Microsoft Graph callRecords clientUserAgent (example headerValue of a Skype for Business client)",
		URL:   "https://learn.microsoft.com/en-us/graph/api/resources/callrecords-clientuseragent",
	}
	sipae = Source{
		Title: "[MS-SIPAE]: Session Initiation Protocol (SIP) Authentication Extensions, §3.3.5.1",
		URL:   "https://msdn.microsoft.com/en-us/library/dd944123(v=office.12).aspx",
	}
)

// Host-record fallbacks. Office Communicator's documents give no ports
// for the desktop client. Its sipinternal.D (and Communicator 2007's
// sip.D) take the SIP default, TLS 5061 (5060 TCP when allowed), the
// pool's client port. Its sipexternal.D is the Access Edge, as "Office
// Communicator Sign-in and Discovery" describes the last try (the
// external server), whose client listener is TLS on 443 while 5061 there
// is federation ("Port summary", JJ204756); the only Microsoft text that
// gives fallback ports, Communicator Phone Edition (R2), tries 443 on
// each host after 5061, and pidgin-sipe, an open client citing KB
// 2619522, uses sipexternal.D:443. Lync's documents give each host a
// role ("Determine DNS requirements for Lync Server 2013"): sipinternal.D
// the internal pool or Director, sip.D that or the Access Edge,
// sipexternal.D the Access Edge (docs/adr/0003-naming-and-fallback-choices.md).
var (
	fallbackR2 = []FallbackHost{{Prefix: "sipinternal", Ports: []uint16{5061}}, {Prefix: "sipexternal", Ports: []uint16{443}}}
	fallback07 = []FallbackHost{
		{Prefix: "sipinternal", Ports: []uint16{5061}},
		{Prefix: "sip", Ports: []uint16{5061}},
		{Prefix: "sipexternal", Ports: []uint16{443}, TLSOnly: true},
	}
	fallbackLync = []FallbackHost{
		{Prefix: "sipinternal", Ports: []uint16{5061}},
		{Prefix: "sip", Ports: []uint16{5061, 443}},
		{Prefix: "sipexternal", Ports: []uint16{443}, TLSOnly: true},
	}
)

// communicator2007R2 is Office Communicator 2007 R2 exactly as "Office
// Communicator Sign-in and Discovery" describes it: SRV for
// _sipinternaltls._tcp, _sipinternal._tcp (only when TCP is allowed) and
// _sip._tls, TLS tried before TCP, and only when no SRV record exists at
// all the hosts sipinternal.D then sipexternal.D.
var communicator2007R2 = &Profile{
	Name:         "communicator-2007-r2",
	Title:        "Office Communicator 2007 R2",
	Summary:      "Asks three SRV names at once, tries TLS before TCP, falls back to sipinternal and sipexternal host records only when no SRV record exists at all.",
	SRV:          []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS},
	Fallback:     fallbackR2,
	Persistence:  StopAtSRV,
	Naming:       NamingStrictOrLoose,
	StrictPolicy: "EnableStrictDNSNaming",
	ClientTCP:    true,
	// The release build of public traces.
	UserAgent: "UCCAPI/3.5.6907.0 OC/3.5.6907.0 (Microsoft Office Communicator 2007 R2)",
	Supported: []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking"},
}

// communicator2007 is Office Communicator 2007 (before R2). The OCS 2007
// planning text (cc816291, published as preliminary R2 documentation)
// lists a fourth SRV name, _sip._tcp, and the host records sip.D,
// sipinternal.D, sipexternal.D; a field test with Communicator 2007
// (event log IDs 1 and 3) observed the host records in the order
// sipinternal.D, sip.D, sipexternal.D, which is followed here.
var communicator2007 = &Profile{
	Name:         "communicator-2007",
	Title:        "Office Communicator 2007",
	Summary:      "R2's SRV discovery plus _sip._tcp when TCP is allowed; the host-record fallback adds sip.D between sipinternal.D and sipexternal.D.",
	SRV:          []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS, srvExternalTCP},
	Fallback:     fallback07,
	Persistence:  StopAtSRV,
	Naming:       NamingStrictOrLoose,
	StrictPolicy: "EnableStrictDNSNaming",
	ClientTCP:    true,
	// As in the [MS-SIPAE] §4.1 example, whose header is misspelt
	// "UserAgent"; the standard name is used here.
	UserAgent: "UCCP/2.0.6362.0 OC/2.0.6362.0 (Microsoft Office Communicator)",
	Supported: []string{"gruu-10"},
}

// lyncNotes are the notes every Lync and Skype for Business profile
// shares (docs/adr/0016-lync-and-skype-naming.md).
var lyncNotes = []string{
	"Naming: a server found automatically and named under the sign-in domain (pool01.D for D) is accepted. Microsoft's deployment documents give _sipinternaltls._tcp.D → the pool's own name as the required record (\"DNS requirements for automatic client sign-in\", gg425884; \"DNS Requirements for Standard Edition Servers\", gg425900), and ask for sip.D on the pool's certificate only \"if ... strict DNS matching is required in group policy\" (gg398094); deployments follow them.",
	"The other reading: the DisableStrictDNSNaming policy text says that with the policy disabled or not configured the client talks TLS only to a server named D or sip.D. sipdisco applies that reading when strict naming is chosen (--strict, the form's \"Strict DNS naming\" box: a policy that requires strict DNS matching) and otherwise says, as a note in the report, which servers it would refuse.",
	"Strict naming applies only to servers found automatically and reached over TLS (the policy text).",
	"A server outside the sign-in domain is not refused: the client asks \"cannot verify that the server is trusted for your sign-in address\" and connects after consent, unless the server's domain is in TrustModelData (Jens Trier Rasmussen's description of the trust check; Jeff Schertz's 2013 field report of Lync 2010). gg398758 says an SRV record for one domain pointing at a pool in another \"will not work for automatic configuration\"; the field reports are followed.",
	"Manually configured servers are trusted: \"Servers specified manually in the Lync client are assumed trusted\" (Jens Trier Rasmussen).",
	"No TCP sign-in: Lync Server and Skype for Business Server pools take client connections on TLS 5061 only; TCP 5060 is \"optionally used ... for static routes to trusted services\" (\"Port and protocol requirements for servers\"). A TCP candidate is reported, not used.",
	"Lync Phone Edition has no profile: from its January 2013 update (4.0.7577.4363) it refuses a server whose SRV and host records are not in the same namespace, where the desktop client prompts (Jeff Schertz, 2013); its discovery order is not documented.",
}

// lync2010 is Lync 2010 as first released: Communicator's SRV discovery,
// the host records sipinternal.D, sip.D, sipexternal.D ("Lync Client
// Discovery Process", the process before the cumulative updates), IPv4
// only ([MS-E911WS] Appendix B; gg412848), and the trust model of the
// Lync client bootstrapping policies (TrustModelData) in place of loose
// naming.
var lync2010 = &Profile{
	Name:          "lync-2010",
	Title:         "Lync 2010",
	Summary:       "Communicator's SRV discovery over IPv4, then sip.D among the host records, going on past records that fail; servers outside the sign-in domain prompt the user unless trusted by TrustModelData.",
	SRV:           []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS},
	Fallback:      fallbackLync,
	Persistence:   ContinueUntilOneWorks,
	Naming:        NamingTrustModel,
	StrictPolicy:  "DisableStrictDNSNaming",
	StrictTLSOnly: true,
	TLSDSK:        true,
	UserAgent:     "UCCAPI/4.0.7577.0 OC/4.0.7577.0 (Microsoft Lync 2010)",
	Supported:     []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
}

// lync2010CU is Lync 2010 with its cumulative updates: "Cumulative
// updates to the desktop clients change the DNS location process" and
// the updated client, like Lync 2013, asks lyncdiscoverinternal.D and
// lyncdiscover.D first ("Determine DNS requirements for Lync Server
// 2013"). Everything else is as lync2010.
var lync2010CU = &Profile{
	Name:          "lync-2010-cu",
	Title:         "Lync 2010 (with cumulative updates)",
	Summary:       "Lync 2010 updated: the autodiscover names lyncdiscoverinternal.D and lyncdiscover.D first, then Lync 2010's SRV and host records over IPv4, going on past records that fail.",
	Autodiscover:  []string{"lyncdiscoverinternal", "lyncdiscover"},
	SRV:           lync2010.SRV,
	Fallback:      fallbackLync,
	Persistence:   ContinueUntilOneWorks,
	Naming:        NamingTrustModel,
	StrictPolicy:  "DisableStrictDNSNaming",
	StrictTLSOnly: true,
	TLSDSK:        true,
	UserAgent:     lync2010.UserAgent,
	Supported:     lync2010.Supported,
}

// lync2013 is Lync 2013 and the Skype for Business 2015 client (Lync
// 2013 updated with the Skype for Business look): the autodiscover
// records lyncdiscoverinternal.D and lyncdiscover.D first, then SRV
// discovery and the host records, continuing past records that fail
// ("Determine DNS requirements for Lync Server 2013", gg398758), over IPv4
// and IPv6 (the same document: Lync Server 2013 supports IPv6 and AAAA
// records).
var lync2013 = &Profile{
	Name:          "lync-2013",
	Title:         "Lync 2013 / Skype for Business 2015",
	Summary:       "Looks up the autodiscover names lyncdiscoverinternal.D and lyncdiscover.D first, then the SRV and host records over IPv4 and IPv6, going on past records that fail; signs in over TLS only; supports TLS-DSK.",
	Autodiscover:  []string{"lyncdiscoverinternal", "lyncdiscover"},
	SRV:           []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS},
	Fallback:      fallbackLync,
	Persistence:   ContinueUntilOneWorks,
	IPv6:          true,
	Naming:        NamingTrustModel,
	StrictPolicy:  "DisableStrictDNSNaming",
	StrictTLSOnly: true,
	TLSDSK:        true,
	UserAgent:     "UCCAPI/15.0.4420.1017 OC/15.0.4420.1017 (Microsoft Lync)",
	Supported:     []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
}

// skype2016 is the Skype for Business 2016–2024 desktop client (2016,
// 2019, 2021, LTSC 2024), the default client of Skype for Business Server
// 2015, 2019 and Subscription Edition, as "Advanced Edge Server DNS
// planning for Skype for Business Server" lists its lookups:
// lyncdiscoverinternal.D, lyncdiscover.D, _sipinternaltls._tcp.D,
// _sip._tls.D, sipinternal.D, sip.D, sipexternal.D — no _sipinternal._tcp
// — with "The Autodiscover service is always favored". Its trusted domains
// when TrustModelData is not set are those of the Skype for Business 2016
// policy text.
var skype2016 = &Profile{
	Name:           "skype-2016",
	Title:          "Skype for Business 2016–2024",
	Summary:        "The Skype for Business Server list: the autodiscover names first, then _sipinternaltls._tcp and _sip._tls, then sipinternal.D, sip.D and sipexternal.D, over IPv4 and IPv6 and TLS only, going on past records that fail; Microsoft's online domains trusted without a prompt unless TrustModelData is set.",
	Autodiscover:   []string{"lyncdiscoverinternal", "lyncdiscover"},
	SRV:            []SRVLookup{srvInternalTLS, srvExternalTLS},
	Fallback:       fallbackLync,
	Persistence:    ContinueUntilOneWorks,
	IPv6:           true,
	Naming:         NamingTrustModel,
	StrictPolicy:   "DisableStrictDNSNaming",
	StrictTLSOnly:  true,
	DefaultTrusted: []string{"lync.com", "outlook.com", "lync.glbdns.microsoft.com", "microsoftonline.com"},
	TLSDSK:         true,
	UserAgent:      "UCCAPI/16.0.12527.20122 OC/16.0.12527.20194 (Skype for Business)",
	Supported:      []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
}

var profiles = []*Profile{communicator2007R2, communicator2007, lync2010, lync2010CU, lync2013, skype2016}

// Profiles returns every client profile, the default first.
func Profiles() []*Profile { return slices.Clone(profiles) }

// LookupProfile returns the profile called name ("" is DefaultProfile).
func LookupProfile(name string) (*Profile, error) {
	if name == "" {
		name = DefaultProfile
	}
	key := aliasKey(name)
	for _, p := range profiles {
		if aliasKey(p.Name) == key {
			return p, nil
		}
	}
	for _, a := range profileAliases {
		if slices.Contains(a.names, key) {
			return LookupProfile(a.profile)
		}
	}
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.Name
	}
	hint := ""
	if s := suggest.Closest(name, names); s != "" {
		hint = fmt.Sprintf("did you mean %s? ", s)
	}
	return nil, fmt.Errorf("unknown client profile %q (%sknown: %s; short names such as sfb, lync2013, lync2010, oc work too)", name, hint, strings.Join(names, ", "))
}

// profileAliases are the names people type for the clients (compared
// without case, hyphens, dots, spaces or underscores: aliasKey): the
// product's short names and the releases each profile stands for. Lync
// alone is ambiguous and is not one.
var profileAliases = []struct {
	profile string
	names   []string
}{
	{"skype-2016", []string{"sfb", "skype", "skypeforbusiness", "sfb2016", "skype2016", "sfb2019", "skype2019", "sfb2021", "skype2021", "sfb2024", "skype2024", "sfbltsc"}},
	{"lync-2013", []string{"lync2013", "lync15", "sfb2015", "skype2015"}},
	{"lync-2010", []string{"lync2010", "lync14"}},
	{"communicator-2007-r2", []string{"oc", "ocs", "communicator", "oc2007r2", "ocs2007r2", "communicatorr2", "r2"}},
	{"communicator-2007", []string{"oc2007", "ocs2007", "communicator2007"}},
}

// aliasKey is name as profile names are compared: lower case, without
// hyphens, dots, spaces or underscores.
func aliasKey(name string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '.', ' ', '_':
			return -1
		}
		return unicode.ToLower(r)
	}, name)
}

// profileDoc is one profile's sources and notes.
type profileDoc struct {
	sources []Source
	notes   []string
}

// docsOf returns the sources and notes of the profile called name. They
// are built here, not kept in the profiles or in package variables, so
// that the browser's first module, which runs profiles but never explains
// them, does not link their texts (docs/adr/0005-wasm-size.md).
func docsOf(name string) profileDoc {
	switch name {
	case communicator2007R2.Name:
		return profileDoc{
			sources: []Source{ocSignIn, ocsR2Drilldown, sipae},
			notes: []string{
				"The R2 Client DNS Queries Drilldown (dd572514) lists the A-record fallback as sipinternal.D, sip.D, sipexternal.D; the sign-in and discovery document (followed here, ADR 0003) names only sipinternal.D then sipexternal.D. Both are Microsoft's R2 documents: an R2 client that behaves as the drilldown says would also try sip.D, so where only sip.D resolves it would sign in where this profile fails. The communicator-2007 profile uses the drilldown's order.",
				"A pre-release R2 page listed a fourth SRV name, _sip._tcp; the released documents say the client never looks for an external TCP server, so it is not asked.",
				"Fallback hosts are built by the client from the sign-in domain, not discovered, so the naming policy is not applied to them.",
				"The documents give no ports for the fallback hosts. sipinternal.D, the internal pool, is tried on the SIP defaults: TLS on 5061 and, when TCP is allowed, TCP on 5060. sipexternal.D, the Access Edge, is tried over TLS on 443, its client port (5061 there is federation: \"Port summary\", JJ204756); the Communicator Phone Edition document, the only Microsoft text with fallback ports, tries 443 on each host after 5061, and the pidgin-sipe client, citing KB 2619522, uses sipexternal.D:443. TCP towards it stays on 5060 when allowed: the sign-in and discovery document says TLS is forced through an Edge Server, but not whether the client still tries TCP towards sipexternal.D.",
				"Communicator Phone Edition (R2) has no profile of its own: its document gives the SRV order _sipinternaltls._tcp, _sip._tls, _sipinternal._tcp and each host record on 5061 then 443, but not its naming policy, whether it stops at the first SRV record, or its transports.",
			},
		}
	case communicator2007.Name:
		return profileDoc{
			sources: []Source{ocs2007Preliminary, ocSignIn, ocsR2Drilldown, sipae},
			notes: []string{
				"The OCS 2007 planning page (cc816291, marked preliminary) lists _sip._tcp as a fourth SRV name; it is asked here, only when TCP is allowed, as for _sipinternal._tcp. The released R2 documents dropped it.",
				"The same page puts sip.D before sipinternal.D in the host-record fallback; a field test with the 2007 client (event log IDs 1 and 3: \"No DNS SRV records exist for domain\", \"unable to resolve the DNS hostname of the login server\") observed sipinternal.D, sip.D, sipexternal.D, which is followed. The R2 Client DNS Queries Drilldown (dd572514), an R2 document, gives the same order for the R2 client; the default R2 profile follows \"Office Communicator Sign-in and Discovery\" instead (its notes, ADR 0003).",
				"No port is documented for the desktop client's fallback hosts: sipinternal.D and sip.D on TLS 5061, and TCP 5060 when allowed; sipexternal.D, the Access Edge, over TLS on 443 only, its client port (5061 there is federation: \"Port summary\", JJ204756; Communicator Phone Edition tries 443 on each host after 5061, and pidgin-sipe, citing KB 2619522, uses sipexternal.D:443).",
			},
		}
	case lync2010.Name:
		return profileDoc{
			sources: []Source{lync13DNS, lync10OldProcess, lync13AutoSignIn, lync10SEDNS, lync13Certs, lync13Bootstrap, lyncStrictPolicy, lyncTrust, lyncSchertz, lyncEdgePorts, sfbPorts, lync10IPv4, lync10Network, lync10Auth, sipae},
			notes: append([]string{
				"No document says whether the first release of Lync 2010 stopped at the first SRV record, as Communicator did. gg398758 describes Lync 2010, Lync 2013 and Lync Mobile together and says that \"for all clients\" the process continues until one works or the list is exhausted; that rule is followed here.",
				"Lync 2010 connects over IPv4 only: [MS-E911WS] Appendix B says \"Lync Server 2010, Lync 2010: These product versions support only Internet Protocol version 4 (IPv4)\", and the Lync Server 2010 network requirements say the same. AAAA records are not asked.",
				"Lync 2010 signs in with Kerberos, TLS-DSK or NTLM (\"Lync 2010 Client Authentication\"; Test-CsClientAuth signs in with a certificate against Lync Server 2010).",
				"Port of the host records: TLS 5061 to sipinternal.D; 5061 then 443 to sip.D, which is the pool inside and the Access Edge outside; 443 only to sipexternal.D, the Access Edge, over TLS only (its client port; 5061 there is federation).",
				"_sipinternal._tcp is still asked when TCP is allowed (gg398758 lists it \"only if TCP is allowed\"); a Lync Server pool does not take the client's TCP connection, so a record there is reported and not used.",
			}, lyncNotes...),
		}
	case lync2010CU.Name:
		return profileDoc{
			sources: docsOf(lync2010.Name).sources,
			notes: append([]string{
				"gg398758 says cumulative updates to the desktop clients change the DNS location process and lists lyncdiscoverinternal.D and lyncdiscover.D first for Lync 2010, Lync 2013 and Lync Mobile. It does not name the update that made the change; the profile stands for a Lync 2010 client with current updates.",
				"The autodiscover web service returns the user's home pool (\"Understanding Autodiscover in Lync Server 2013\", JJ945654); without --connect sipdisco checks only that its DNS names resolve and predicts the result, and check --connect asks it without credentials (ADR 13, ADR 14).",
			}, docsOf(lync2010.Name).notes...),
		}
	case lync2013.Name:
		return profileDoc{
			sources: []Source{lync13DNS, lync13AutoSignIn, lync13Certs, lync13Bootstrap, lyncStrictPolicy, lyncTrust, lyncSchertz, lyncEdgePorts, sfbPorts, sipae},
			notes: append([]string{
				"The autodiscover web service returns the user's home pool (\"Understanding Autodiscover in Lync Server 2013\", JJ945654). Without --connect sipdisco checks only that its DNS names resolve and predicts: the target shown is the one the SRV and host records give, which the web service normally names too; when only the autodiscover names exist, the sign-in is predicted through the web service (connect, source autodiscover). check --connect asks the web service without credentials and shows its answer (ADR 13, ADR 14).",
				"gg398758 lists, in order, lyncdiscoverinternal.D, lyncdiscover.D, _sipinternaltls._tcp.D, _sipinternal._tcp.D (only if TCP is allowed), _sip._tls.D, sipinternal.D, sip.D, sipexternal.D, and says the process continues until one works or the list is exhausted; a 2014 field trace (ucsorted.com) shows a present but wrong SRV record not stopping it.",
				"_sipinternal._tcp is asked when TCP is allowed, as gg398758 lists it; a Lync Server or Skype for Business Server pool does not take the client's TCP connection, so a record there is reported and not used. The Skype for Business Server document drops the name (see the skype-2016 profile).",
				"Lync 2013 documents require an SRV target's host record to be in the same domain as the SRV record; sipdisco reports targets outside the sign-in domain under the trust model.",
				"Port of the host records: TLS 5061 to sipinternal.D; 5061 then 443 to sip.D, which is the pool inside and the Access Edge outside; 443 only to sipexternal.D, the Access Edge (its client port; 5061 there is federation).",
				"TrustModelData: the Skype for Business 2016 policy text documents a default list of trusted domains; no Lync 2013 text was found, so this profile trusts no domain beyond the sign-in domain unless TrustModelData is given.",
			}, lyncNotes...),
		}
	case skype2016.Name:
		return profileDoc{
			sources: []Source{sfbEdgeDNS, lync13DNS, lync13AutoSignIn, lync13Certs, sfbBootstrap, sfbTrustADMX, lyncStrictPolicy, lyncTrust, lyncSchertz, lyncEdgePorts, sfbPorts, sfbUserAgent, sipae},
			notes: append([]string{
				"\"Advanced Edge Server DNS planning for Skype for Business Server\" lists, in order, lyncdiscoverinternal.D, lyncdiscover.D, _sipinternaltls._tcp.D, _sip._tls.D, sipinternal.D, sip.D, sipexternal.D; \"The Autodiscover service is always favored ... the others are fallback methods.\" _sipinternal._tcp, which the Lync 2013 list has \"only if TCP is allowed\", is not in it and is not asked.",
				"The autodiscover web service returns the user's home pool; sipdisco checks only that its DNS names resolve and does not fetch it, so the target shown is the one the SRV and host records give.",
				"The process continues past records that fail, as gg398758 says \"for all clients\"; the Skype for Business document calls the records after Autodiscover fallback methods.",
				"Port of the host records: TLS 5061 to sipinternal.D; 5061 then 443 to sip.D, which is the pool inside and the Access Edge outside; 443 only to sipexternal.D, the Access Edge (its client port; 5061 there is federation).",
				"TrustModelData: the Skype for Business 2016 policy text (\"Trusted Domain List\") says that when it is not configured the client trusts lync.com, outlook.com, lync.glbdns.microsoft.com and microsoftonline.com, and that setting it replaces that list. sipdisco trusts those four unless trusted domains are given.",
				"The User-Agent is an example build from Microsoft's Graph callRecords documentation; each installation sends its own build number.",
			}, lyncNotes...),
		}
	}
	return profileDoc{}
}

// Sources returns the documents the profile's behaviour comes from.
func (p *Profile) Sources() []Source { return docsOf(p.Name).sources }

// Notes record where the sources disagree and which was followed.
func (p *Profile) Notes() []string { return docsOf(p.Name).notes }

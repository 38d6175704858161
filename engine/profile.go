package engine

import (
	"fmt"
	"slices"
	"strings"
)

// Adding a client profile:
//
//  1. Write a Profile value below with a doc comment naming the public
//     document it follows, and list every source in Sources.
//  2. Where sources disagree, pick one, and say which and why in Notes.
//  3. Append it to profiles; the docs pages and `sipdisco check --profile`
//     pick it up from there.
//  4. Add a scenario under testdata/scenarios exercising what is new.

// NamingModel is how a client decides whether a discovered server may be
// used for the sign-in domain.
type NamingModel string

// The naming models of Microsoft's clients.
const (
	// NamingStrictOrLoose is Office Communicator's rule: the
	// EnableStrictDNSNaming policy selects strict (D or sip.D) or loose
	// (D or any name under D) naming; anything else is refused.
	NamingStrictOrLoose NamingModel = "strict-or-loose"
	// NamingTrustModel is Lync's rule: names outside the sign-in
	// domain's namespace are not refused outright; unless the domain is
	// trusted (TrustModelData) the user is asked whether to trust the
	// server. Strict naming, when set, still refuses.
	NamingTrustModel NamingModel = "trust-model"
)

// SRVLookup is one SRV name a client asks for.
type SRVLookup struct {
	// Service is the owner name prefix, "_sipinternaltls._tcp".
	Service   string
	Transport Transport
	// Purpose says what the record is for, in a few words.
	Purpose string
	// NeedsTCP marks the lookup asked only when the policy allows TCP.
	NeedsTCP bool
}

// FallbackHost is a host name the client tries when no SRV record exists.
type FallbackHost struct {
	// Prefix is the left-most label, "sipinternal"; the host is
	// Prefix + "." + D.
	Prefix string
	// Ports are the TLS ports tried in order (TCP uses 5060 when allowed).
	Ports []uint16
}

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
	Sources []Source
	// Notes record where sources disagree and which was followed.
	Notes []string
	// Autodiscover are host prefixes looked up (A/AAAA, CNAMEs followed)
	// before SRV discovery: the Lync autodiscover web service names. Only
	// DNS is checked; the web service itself is not fetched.
	Autodiscover []string
	// SRV lists the SRV lookups in the order the client asks them. The
	// order it tries the candidates is TryOrder.
	SRV []SRVLookup
	// Fallback lists the A-record fallback hosts in order, used only when
	// no SRV record exists at all.
	Fallback []FallbackHost
	// IPv6 makes address lookups ask AAAA as well as A.
	IPv6   bool
	Naming NamingModel
	// ChallengeVersion is the version parameter of the server's
	// WWW-Authenticate headers ([MS-SIPAE] §3.3.5.1) for this client
	// generation: 3 for OCS 2007/R2, 4 for Lync and later.
	ChallengeVersion int
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
// order (the seed: "If TLS fails, then and only then" TCP).
func (p *Profile) TryOrder() []SRVLookup {
	out := slices.Clone(p.SRV)
	slices.SortStableFunc(out, func(a, b SRVLookup) int {
		return transportRank(a.Transport) - transportRank(b.Transport)
	})
	return out
}

func transportRank(t Transport) int {
	if t == TLS {
		return 0
	}
	return 1
}

// DefaultProfile is the profile used when none is named: Office
// Communicator 2007 R2 as the seed describes it.
const DefaultProfile = "communicator-2007-r2"

var (
	srvInternalTLS = SRVLookup{Service: "_sipinternaltls._tcp", Transport: TLS, Purpose: "internal pool or server, TLS"}
	srvInternalTCP = SRVLookup{Service: "_sipinternal._tcp", Transport: TCP, Purpose: "internal pool or server, TCP", NeedsTCP: true}
	srvExternalTLS = SRVLookup{Service: "_sip._tls", Transport: TLS, Purpose: "Access Edge server, TLS from the Internet"}
)

var (
	ocsR2Drilldown = Source{
		Title: "Client DNS Queries Drilldown (Office Communications Server 2007 R2, TechNet dd572514)",
		URL:   "https://technet.microsoft.com/zh-tw/library/dd572514(v=office.13)",
	}
	ocSignIn = Source{
		Title: "Office Communicator Sign-in and Discovery (Office Communications Server 2007 R2)",
		URL:   "https://docs.microsoft.com/en-us/previous-versions/office/communications-server/dd637152(v=office.13)",
	}
	lync13DNS = Source{
		Title: "Determine DNS requirements for Lync Server 2013 (TechNet gg398758)",
		URL:   "https://technet.microsoft.com/en-us/library/Gg398758(v=OCS.15)",
	}
	lync13Bootstrap = Source{
		Title: "Configuring client bootstrapping policies in Lync Server 2013 (TechNet gg425941)",
		URL:   "https://technet.microsoft.com/en-us/library/Gg425941(v=OCS.15)",
	}
	sipae = Source{
		Title: "[MS-SIPAE]: Session Initiation Protocol (SIP) Authentication Extensions, §3.3.5.1",
		URL:   "https://msdn.microsoft.com/en-us/library/dd944123(v=office.12).aspx",
	}
)

// communicator2007R2 is Office Communicator 2007 R2 exactly as "Office
// Communicator Sign-in and Discovery" (the seed) describes it: SRV for
// _sipinternaltls._tcp, _sipinternal._tcp (only when TCP is allowed) and
// _sip._tls, TLS tried before TCP, and only when no SRV record exists at
// all the hosts sipinternal.D then sipexternal.D.
var communicator2007R2 = &Profile{
	Name:    "communicator-2007-r2",
	Title:   "Office Communicator 2007 R2",
	Summary: "Asks three SRV names at once, tries TLS before TCP, falls back to sipinternal and sipexternal host records only when no SRV record exists at all.",
	Sources: []Source{ocSignIn, ocsR2Drilldown, sipae},
	Notes: []string{
		"The R2 Client DNS Queries Drilldown lists the A-record fallback as sipinternal.D, sip.D, sipexternal.D; the sign-in and discovery document (followed here) names only sipinternal.D then sipexternal.D.",
		"A pre-release R2 page listed a fourth SRV name, _sip._tcp; the released documents say the client never looks for an external TCP server, so it is not asked.",
		"Fallback hosts are built by the client from the sign-in domain, not discovered, so the naming policy is not applied to them.",
	},
	SRV:              []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS},
	Fallback:         []FallbackHost{{Prefix: "sipinternal", Ports: []uint16{5061}}, {Prefix: "sipexternal", Ports: []uint16{5061}}},
	Naming:           NamingStrictOrLoose,
	ChallengeVersion: 3,
	// The release build of public traces.
	UserAgent: "UCCAPI/3.5.6907.0 OC/3.5.6907.0 (Microsoft Office Communicator 2007 R2)",
	Supported: []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking"},
}

// communicator2007 is Office Communicator 2007 (before R2). A field test
// with Communicator 2007 (event log IDs 1 and 3) observed the A-record
// fallback sipinternal.D, sip.D, sipexternal.D; SRV discovery and naming
// are as in R2 (Office Communications Server 2007 deployment guides).
var communicator2007 = &Profile{
	Name:    "communicator-2007",
	Title:   "Office Communicator 2007",
	Summary: "Same SRV discovery and naming policy as R2; the observed A-record fallback adds sip.D between sipinternal.D and sipexternal.D.",
	Sources: []Source{ocSignIn, ocsR2Drilldown, sipae},
	Notes: []string{
		"The fallback order sipinternal, sip, sipexternal comes from field reports (client event log IDs 1 and 3) and agrees with the R2 drilldown; no Microsoft document for the 2007 client alone was found.",
	},
	SRV:              []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS},
	Fallback:         []FallbackHost{{Prefix: "sipinternal", Ports: []uint16{5061}}, {Prefix: "sip", Ports: []uint16{5061}}, {Prefix: "sipexternal", Ports: []uint16{5061}}},
	Naming:           NamingStrictOrLoose,
	ChallengeVersion: 3,
	// As in the [MS-SIPAE] §4.1 example, whose header is misspelt
	// "UserAgent"; the standard name is used here.
	UserAgent: "UCCP/2.0.6362.0 OC/2.0.6362.0 (Microsoft Office Communicator)",
	Supported: []string{"gruu-10"},
}

// lync2010 is Lync 2010: SRV discovery as Communicator, the A-record
// fallback sipinternal.D, sip.D, sipexternal.D, and the trust model of
// the Lync client bootstrapping policies (TrustModelData) in place of
// loose naming.
var lync2010 = &Profile{
	Name:    "lync-2010",
	Title:   "Lync 2010",
	Summary: "Communicator's SRV discovery with sip.D added to the fallback; servers outside the sign-in domain prompt the user unless trusted by TrustModelData.",
	Sources: []Source{lync13Bootstrap, ocsR2Drilldown, sipae},
	Notes: []string{
		"Lync's policy is named DisableStrictDNSNaming and strict naming is its default; sipdisco keeps the --strict switch explicit for every profile so that reports compare like with like.",
		"A server outside the trusted domains is not refused: the client asks \"cannot verify that the server is trusted for your sign-in address\". sipdisco accepts it with a warning.",
	},
	SRV:              []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS},
	Fallback:         []FallbackHost{{Prefix: "sipinternal", Ports: []uint16{5061}}, {Prefix: "sip", Ports: []uint16{5061}}, {Prefix: "sipexternal", Ports: []uint16{5061}}},
	IPv6:             true,
	Naming:           NamingTrustModel,
	ChallengeVersion: 4,
	TLSDSK:           false,
	UserAgent:        "UCCAPI/4.0.7577.0 OC/4.0.7577.0 (Microsoft Lync 2010)",
	Supported:        []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
}

// lync2013 is Lync 2013 and Skype for Business: the autodiscover records
// lyncdiscoverinternal.D and lyncdiscover.D first, then the Lync 2010 SRV
// discovery, continuing past records that fail (DNS requirements for Lync
// Server 2013).
var lync2013 = &Profile{
	Name:    "lync-2013",
	Title:   "Lync 2013 / Skype for Business",
	Summary: "Looks up the autodiscover names lyncdiscoverinternal.D and lyncdiscover.D first, then SRV discovery as Lync 2010; supports TLS-DSK.",
	Sources: []Source{lync13DNS, lync13Bootstrap, sipae},
	Notes: []string{
		"The autodiscover web service returns the sign-in server; sipdisco checks only that its DNS names resolve and does not fetch it, so the target shown is the one SRV discovery gives.",
		"Lync 2013 documents require an SRV target's host record to be in the same domain as the SRV record; sipdisco reports targets outside the sign-in domain under the trust model.",
	},
	Autodiscover:     []string{"lyncdiscoverinternal", "lyncdiscover"},
	SRV:              []SRVLookup{srvInternalTLS, srvInternalTCP, srvExternalTLS},
	Fallback:         []FallbackHost{{Prefix: "sipinternal", Ports: []uint16{5061}}, {Prefix: "sip", Ports: []uint16{5061}}, {Prefix: "sipexternal", Ports: []uint16{5061}}},
	IPv6:             true,
	Naming:           NamingTrustModel,
	ChallengeVersion: 4,
	TLSDSK:           true,
	UserAgent:        "UCCAPI/15.0.4420.1017 OC/15.0.4420.1017 (Microsoft Lync)",
	Supported:        []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
}

var profiles = []*Profile{communicator2007R2, communicator2007, lync2010, lync2013}

// Profiles returns every client profile, the default first.
func Profiles() []*Profile { return slices.Clone(profiles) }

// LookupProfile returns the profile called name ("" is DefaultProfile).
func LookupProfile(name string) (*Profile, error) {
	if name == "" {
		name = DefaultProfile
	}
	for _, p := range profiles {
		if p.Name == strings.ToLower(name) {
			return p, nil
		}
	}
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.Name
	}
	return nil, fmt.Errorf("unknown client profile %q (known: %s)", name, strings.Join(names, ", "))
}

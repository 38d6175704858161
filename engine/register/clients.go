package register

import "strings"

// Client is one client generation as the REGISTER exchange sees it: how
// it names itself and which authentication it can do. The names are the
// engine's profile names, so a report passes its profile's name through.
type Client struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// UserAgent is the User-Agent header the client sends. The build
	// numbers are the products' release builds as they appear in public
	// traces; the exact build a given installation sends varies with its
	// updates.
	UserAgent string `json:"userAgent"`
	// ChallengeVersion is the version parameter of the challenges this
	// generation is given and answers with ([MS-SIPAE] §3.3.5.1): 3 for
	// Office Communicator 2007 and 2007 R2 (OCS 2007/R2), 4 for Lync.
	ChallengeVersion int `json:"challengeVersion"`
	// TLSDSK marks a client that can authenticate with TLS-DSK, fetching a
	// client certificate from the server's Certificate Provisioning
	// service first ([MS-SIPAE] §3.3.5.1, [MS-OCAUTHWS]).
	TLSDSK bool `json:"tlsDsk"`
	// Supported are the values of the client's Supported headers, one
	// header per element.
	Supported []string `json:"supported"`
}

// clients lists the generations in the engine's order. The Supported sets
// are the ones seen in public traces of each generation; which option tags
// a given build sends is unverified.
var clients = []Client{
	{
		Name:  "communicator-2007-r2",
		Title: "Office Communicator 2007 R2",
		// The brief's and public traces' R2 release build.
		UserAgent:        "UCCAPI/3.5.6907.0 OC/3.5.6907.0 (Microsoft Office Communicator 2007 R2)",
		ChallengeVersion: 3,
		Supported:        []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking"},
	},
	{
		Name:  "communicator-2007",
		Title: "Office Communicator 2007",
		// As in the [MS-SIPAE] §4.1 example, whose header is misspelt
		// "UserAgent"; the standard name is used here.
		UserAgent:        "UCCP/2.0.6362.0 OC/2.0.6362.0 (Microsoft Office Communicator)",
		ChallengeVersion: 3,
		Supported:        []string{"gruu-10"},
	},
	{
		Name:             "lync-2010",
		Title:            "Lync 2010",
		UserAgent:        "UCCAPI/4.0.7577.0 OC/4.0.7577.0 (Microsoft Lync 2010)",
		ChallengeVersion: 4,
		// The engine's lync-2010 profile has TLS-DSK off, and so does this
		// table: whether the Lync 2010 desktop client uses TLS-DSK for SIP
		// is unverified here.
		TLSDSK:    false,
		Supported: []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
	},
	{
		Name:             "lync-2013",
		Title:            "Lync 2013",
		UserAgent:        "UCCAPI/15.0.4420.1017 OC/15.0.4420.1017 (Microsoft Lync)",
		ChallengeVersion: 4,
		TLSDSK:           true,
		Supported:        []string{"gruu-10, adhoclist, msrtc-event-categories", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
	},
}

// DefaultClient is the generation Simulate assumes when Input.Client is
// empty: Office Communicator 2007 R2, the client of the seed.
const DefaultClient = "communicator-2007-r2"

// Clients returns the client generations Simulate knows, in a new slice.
func Clients() []Client {
	out := make([]Client, len(clients))
	copy(out, clients)
	return out
}

// LookupClient returns the generation named name (case-insensitive).
func LookupClient(name string) (Client, bool) {
	for _, c := range clients {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Client{}, false
}

func clientNames() string {
	names := make([]string, len(clients))
	for i, c := range clients {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

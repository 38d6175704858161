package engine

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"
)

// Policy is the client configuration that changes discovery: the policies
// an administrator pushes (EnableStrictDNSNaming, the TCP policy, manual
// servers, Lync's TrustModelData) as one value.
type Policy struct {
	// StrictNaming is strict naming in force: Communicator's
	// EnableStrictDNSNaming, or for Lync and Skype for Business a policy
	// requiring strict DNS matching, as the DisableStrictDNSNaming policy
	// text reads (docs/adr/0016-lync-and-skype-naming.md): an SRV target
	// must be the sign-in domain itself or sip.<domain>.
	StrictNaming bool `json:"strictNaming"`
	// AllowTCP lets the client ask for and use _sipinternal._tcp and TCP
	// connections. When false the TCP question is never asked.
	AllowTCP bool `json:"allowTCP"`
	// ManualInternal and ManualExternal are manually configured servers
	// as host[:port]; when either is set, DNS discovery is not used.
	ManualInternal string `json:"manualInternal"`
	ManualExternal string `json:"manualExternal"`
	// TrustedDomains are extra domains the Lync trust model accepts
	// without a prompt (the TrustModelData policy).
	TrustedDomains []string `json:"trustedDomains,omitempty"`
}

// DefaultPolicy returns the policy of a client with no policies set: loose
// naming, TCP allowed, automatic configuration.
func DefaultPolicy() Policy { return Policy{AllowTCP: true} }

// Manual reports whether p configures servers manually.
func (p Policy) Manual() bool { return p.ManualInternal != "" || p.ManualExternal != "" }

// Limits bound the work one discovery may do; DNS data is hostile.
type Limits struct {
	// MaxQuestions caps the DNS questions asked in total.
	MaxQuestions int
	// MaxRecords caps the records used from one answer; the rest are
	// ignored with a finding.
	MaxRecords int
	// MaxCNAMEDepth caps how many CNAMEs are followed for one name.
	MaxCNAMEDepth int
	// Timeout caps the whole discovery (the context may be shorter).
	Timeout time.Duration
}

// DefaultLimits are generous for any real deployment and small enough that
// hostile DNS data cannot make a check slow or large.
var DefaultLimits = Limits{MaxQuestions: 64, MaxRecords: 32, MaxCNAMEDepth: 8, Timeout: 10 * time.Second}

// Config is everything Discover needs besides the address.
type Config struct {
	// Profile names the client profile; "" means DefaultProfile.
	Profile string
	Policy  Policy
	// Resolver answers the DNS questions. Required.
	Resolver Resolver
	// Rand returns a uniform random int in [0, n); it drives the RFC 2782
	// weighted shuffle and draws the wildcard probe's label. Nil uses
	// deterministic sources (seeded with 1 for the shuffle, 2 for the
	// label, so that the shuffle is the same with or without a probe),
	// and reports are reproducible unless the caller asks otherwise.
	// The shuffle takes one draw, first: each SRV name's records are
	// ordered by a source of their own seeded from it and the name
	// (srvRand), so that discoveries whose Rand starts alike order the
	// same answers alike whatever else each asked before (the
	// at-a-glance rows of every client).
	Rand func(n int) int
	// Now reads the clock to time each DNS step; nil records 0 ms.
	Now func() time.Time
	// Limits; zero fields take the DefaultLimits value.
	Limits Limits
	// View is which side of split-brain DNS Resolver answers for:
	// ViewInside, ViewOutside or ViewUnknown. In the outside view the
	// names that belong in internal DNS only are asked too, so that a
	// report can say when public DNS publishes them. The application
	// layer sets it from where the answers come from; it is not the
	// client's policy.
	View View

	// probeRand draws the probe's label: Rand, or its own deterministic
	// source when Rand is nil.
	probeRand func(n int) int
	// srvSeed is the shuffle's draw from Rand (srvRand).
	srvSeed uint64
}

// srvRand returns the source that orders the records of the SRV name:
// a PCG seeded with the shuffle's draw (srvSeed) and the name's FNV-1a
// hash. Two discoveries whose Rand gives the same first draw (each row
// of a check has its own source with the check's seed) order the same
// records at name the same way, however many draws each made for other
// names, so the rows cannot contradict each other by chance; across
// checks with real randomness the draw, and so the order, varies as
// RFC 2782 asks.
func (c Config) srvRand(name string) func(n int) int {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(c.srvSeed, h.Sum64())).IntN
}

func (c Config) withDefaults() Config {
	if c.Rand == nil {
		r := rand.New(rand.NewPCG(1, 1))
		c.Rand = r.IntN
		c.probeRand = rand.New(rand.NewPCG(2, 2)).IntN
	}
	if c.probeRand == nil {
		c.probeRand = c.Rand
	}
	c.srvSeed = uint64(c.Rand(math.MaxInt))
	if c.Limits.MaxQuestions <= 0 {
		c.Limits.MaxQuestions = DefaultLimits.MaxQuestions
	}
	if c.Limits.MaxRecords <= 0 {
		c.Limits.MaxRecords = DefaultLimits.MaxRecords
	}
	if c.Limits.MaxCNAMEDepth <= 0 {
		c.Limits.MaxCNAMEDepth = DefaultLimits.MaxCNAMEDepth
	}
	if c.Limits.Timeout <= 0 {
		c.Limits.Timeout = DefaultLimits.Timeout
	}
	return c
}

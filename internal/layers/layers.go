package layers

import "strings"

// Layer is a rank: a package may import packages of the same or a lower
// Layer.
type Layer int

// The layers, from the bottom up.
const (
	Base Layer = iota
	Core
	Domain
	DNS
	Application
	Rendering
	Delivery
	Programs
	// TestSupport marks packages only tests may import.
	TestSupport
)

var names = [...]string{"base", "core", "domain", "dns", "application", "rendering", "delivery", "programs", "test support"}

func (l Layer) String() string { return names[l] }

// Layers gives each folder of the module (a path relative to the module
// root) its layer; a package takes the layer of the longest folder that
// is its path or a parent of it.
var Layers = map[string]Layer{
	"internal/textenc":   Base,
	"internal/buildinfo": Base,
	"internal/suggest":   Base,

	"engine": Core,

	"engine/idn": Domain,
	"signin":     Domain,
	"certcheck":  Domain,
	"plan":       Domain,
	"probe":      Domain,
	"audit":      Domain,
	// The domain report: a SIP domain's records, Teams Only and
	// federation (issue 22).
	"domainreport": Domain,
	"demo":         Domain,
	// The log reader: what a client really did (issue 23).
	"logread": Domain,

	"dohclient": DNS,
	"resolve":   DNS,

	"check": Application,
	// The snapshot codec compresses through the browser's Compression
	// Streams in WebAssembly: it touches the browser, so it stands with
	// the front ends that use it.
	"check/snapshot": Delivery,

	"templates": Rendering,

	"web":                  Delivery,
	"internal/console":     Delivery,
	"internal/jsasync":     Delivery,
	"wasm/internal/bridge": Delivery,

	"cmd":  Programs,
	"wasm": Programs,

	"internal/dnstest":  TestSupport,
	"internal/siptest":  TestSupport,
	"internal/layers":   TestSupport,
	"internal/testwalk": TestSupport,
	// The tests' own rule for a report's state, shared by the walks of
	// every demo × profile on the command line and on the page.
	"internal/statetest": TestSupport,
}

// Pure is the set of layers whose packages do no I/O and read neither
// the clock nor a global random source.
var Pure = map[Layer]bool{Base: true, Core: true, Domain: true, Application: true, Rendering: true}

// Ban is an arrow the layers would allow that a package must not have,
// directly or through another package.
type Ban struct {
	From    string // a package, or with "/..." a folder: the package and those below it
	To      string // the same, in the module or outside it
	Because string
}

// Bans lists the arrows the layers alone would allow but the design
// forbids.
var Bans = []Ban{
	{"check/...", "dohclient/...", "the application layer speaks no DNS: the front ends build the resolver"},
	{"check/...", "resolve/...", "the application layer speaks no DNS: the front ends build the resolver"},
	{"check/...", "probe", "the observation's parser, judge and X.509 code are the command line's: the application layer carries its data (engine.Probe), which Env.Probe fills"},
	{"templates/...", "probe", "templates render the observation's data (engine.Probe); its parser and judge are the command line's"},
	{"templates/...", "dohclient/...", "templates only render"},
	{"templates/...", "resolve/...", "templates only render"},
	{"signin", "certcheck", "the sign-in simulation builds on the engine only; certificates are judged beside it"},
	{"dohclient", "resolve/...", "the DoH client is the browser's: it must not drag in plain DNS, zone files or miekg/dns"},
	{"dohclient", "dohclient/server", "the /dns-query handler builds on the client's types, never the client on the handler"},
	{"dohclient", "github.com/miekg/dns/...", "the browser's DoH client reads the wire itself: miekg/dns links crypto/tls, about half a megabyte brotli (ADR 0005)"},
	{"wasm/...", "resolve/plain", "a browser cannot send plain DNS"},
	{"wasm/...", "resolve/system", "a browser cannot read the machine's resolvers"},
	{"wasm/...", "resolve/upstream", "the upstream filter is the local server's"},
	{"wasm/...", "cmd/...", "the browser's modules share no code with the command line's main"},
	{"web", "wasm/...", "the site builds the modules with the go command; it does not link them"},
	{"engine/...", "github.com/a-h/templ/...", "rendering lives in package templates"},
	{"engine/...", "html/template", "rendering lives in package templates"},
	{"check/...", "github.com/a-h/templ/...", "the application layer renders nothing"},
}

// PureBans lists the imports no package of a pure layer may have, with
// the reason (docs/adr/0001-engine-is-pure.md).
var PureBans = map[string]string{
	"net":                  "net's resolver does not work in js/wasm; DNS reaches the core through the Resolver interface",
	"net/http":             "no I/O: DoH lives in package dohclient",
	"os":                   "no I/O: the same code runs in the browser",
	"os/exec":              "no I/O",
	"syscall/js":           "only the delivery layer touches the browser",
	"github.com/miekg/dns": "the wire format belongs to the dns layer",
	"crypto/rand":          "randomness is injected (engine.Config.Rand, signin's ID sources)",
	"unsafe":               "no reason to need it",
}

// Clock lists the calls no non-test file of a pure layer may make: the
// clock and the global random source are injected.
var Clock = []string{"time.Now(", "time.Since(", "time.Until(", "rand.IntN(", "rand.Intn(", "rand.Shuffle(", "rand.Int(", "rand.Perm(", "rand.Float64(", "rand.N("}

// Of returns the layer of the package at path rel (relative to the module
// root) and whether the table places it.
func Of(rel string) (Layer, bool) {
	for p := rel; ; {
		if l, ok := Layers[p]; ok {
			return l, true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return 0, false
		}
		p = p[:i]
	}
}

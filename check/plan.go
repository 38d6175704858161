package check

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
)

// PlanOptions are the inputs of a deployment plan as the plan page's form
// and its link carry them: the text of each field as typed (lists
// separated by commas, semicolons or white space) and the chosen client
// profiles. Input reads them into a plan.Input; the command line's flags
// set the same fields.
type PlanOptions struct {
	Domains          string `json:"domains"`
	Pool             string `json:"pool"`
	PoolIP           string `json:"poolIP,omitempty"`
	PoolServers      string `json:"poolServers,omitempty"`
	Director         string `json:"director,omitempty"`
	DirectorIP       string `json:"directorIP,omitempty"`
	DirectorServers  string `json:"directorServers,omitempty"`
	Edge             string `json:"edge,omitempty"` // FQDN[:port]
	EdgeIP           string `json:"edgeIP,omitempty"`
	EdgeInternal     string `json:"edgeInternal,omitempty"`
	EdgeInternalIP   string `json:"edgeInternalIP,omitempty"`
	WebConfEdge      string `json:"webConfEdge,omitempty"`
	WebConfEdgeIP    string `json:"webConfEdgeIP,omitempty"`
	AVEdge           string `json:"avEdge,omitempty"`
	AVEdgeIP         string `json:"avEdgeIP,omitempty"`
	DirectorWebInt   string `json:"directorWebInternal,omitempty"`
	DirectorWebIntIP string `json:"directorWebInternalIP,omitempty"`
	DirectorWebExt   string `json:"directorWebExternal,omitempty"`
	OfficeOnline     string `json:"officeOnline,omitempty"`
	OfficeOnlineIP   string `json:"officeOnlineIP,omitempty"`
	// InternalZones is plan.ZonesAuto (""), ZonesWhole or ZonesPinPoint.
	InternalZones string   `json:"internalZones,omitempty"`
	WebInternal   string   `json:"webInternal,omitempty"`
	WebInternalIP string   `json:"webInternalIP,omitempty"`
	WebExternal   string   `json:"webExternal,omitempty"`
	WebExternalIP string   `json:"webExternalIP,omitempty"`
	Profiles      []string `json:"profiles,omitempty"`
	Strict        bool     `json:"strict"`
	AllowTCP      bool     `json:"allowTCP"`
	SimpleURLs    bool     `json:"simpleURLs,omitempty"`
	XMPP          bool     `json:"xmpp,omitempty"`
	NoFederation  bool     `json:"noFederation,omitempty"`
	// Alias is how sip.<domain> aliases are published: plan.AliasA (the
	// default, "") or plan.AliasCNAME.
	Alias string `json:"alias,omitempty"`
	// TTL is the records' TTL in seconds as typed; "" is plan.DefaultTTL.
	TTL string `json:"ttl,omitempty"`
}

// planField is one input of a plan: its link parameter, its command-line
// flag, its form label, the plan.FieldError fields it explains, and its
// text.
type planField struct {
	param, flag, label string
	errs               []string
	get                func(*PlanOptions) *string
	usage              string
	// list: the input is a list, and a repeated flag adds to it.
	list bool
	// choices are the words the flag takes, for completion.
	choices []string
}

// planFields are a plan's text inputs in link order, one entry each;
// the profiles, strict naming and TCP follow them in a link.
var planFields = []planField{
	{param: "domains", flag: "domain", label: "SIP domains", errs: []string{"domains"}, get: func(p *PlanOptions) *string { return &p.Domains }, usage: "SIP `domain` (repeatable or comma-separated; the first is the default)", list: true},
	{param: "pool", flag: "pool", label: "Front End pool", errs: []string{"pool.fqdn"}, get: func(p *PlanOptions) *string { return &p.Pool }, usage: "Front End pool or Standard Edition server `FQDN` (required)"},
	{param: "poolip", flag: "pool-ip", label: "Pool addresses", errs: []string{"pool.addresses"}, get: func(p *PlanOptions) *string { return &p.PoolIP }, usage: "pool `addresses` (repeatable; default a 192.0.2.x placeholder)", list: true},
	{param: "poolservers", flag: "pool-server", label: "Front End servers", errs: []string{"pool.members"}, get: func(p *PlanOptions) *string { return &p.PoolServers }, usage: "Front End server `FQDN` of an Enterprise Edition pool, for its certificate (repeatable; default: a Standard Edition server)", list: true},
	{param: "director", flag: "director", label: "Director", errs: []string{"director.fqdn"}, get: func(p *PlanOptions) *string { return &p.Director }, usage: "Director pool `FQDN` (internal SRV records point at it)"},
	{param: "directorip", flag: "director-ip", label: "Director addresses", errs: []string{"director.addresses"}, get: func(p *PlanOptions) *string { return &p.DirectorIP }, usage: "Director `addresses`", list: true},
	{param: "directorservers", flag: "director-server", label: "Director servers", errs: []string{"director.members"}, get: func(p *PlanOptions) *string { return &p.DirectorServers }, usage: "Director server `FQDN` of a Director pool, for its certificate (repeatable)", list: true},
	{param: "edge", flag: "edge", label: "Access Edge", errs: []string{"edge.fqdn", "edgePort"}, get: func(p *PlanOptions) *string { return &p.Edge }, usage: "Access Edge external `FQDN[:PORT]` (port default 443, the client port; 5061 is federation's)"},
	{param: "edgeip", flag: "edge-ip", label: "Access Edge addresses", errs: []string{"edge.addresses"}, get: func(p *PlanOptions) *string { return &p.EdgeIP }, usage: "Access Edge external `addresses` (default a 203.0.113.x placeholder)", list: true},
	{param: "edgeint", flag: "edge-internal", label: "Edge internal interface", errs: []string{"edgeInternal.fqdn"}, get: func(p *PlanOptions) *string { return &p.EdgeInternal }, usage: "Edge Server internal interface `FQDN` (an internal host record and its own certificate)"},
	{param: "edgeintip", flag: "edge-internal-ip", label: "Edge internal addresses", errs: []string{"edgeInternal.addresses"}, get: func(p *PlanOptions) *string { return &p.EdgeInternalIP }, usage: "Edge Server internal interface `addresses` (default a 192.0.2.x placeholder)", list: true},
	{param: "webconf", flag: "edge-webconf", label: "Web Conferencing Edge", errs: []string{"webConfEdge"}, get: func(p *PlanOptions) *string { return &p.WebConfEdge }, usage: "Web Conferencing Edge external `FQDN` (a name on the Access Edge's certificate)"},
	{param: "webconfip", flag: "edge-webconf-ip", label: "Web Conferencing Edge addresses", errs: []string{"webConfEdge.addresses"}, get: func(p *PlanOptions) *string { return &p.WebConfEdgeIP }, usage: "Web Conferencing Edge external `addresses` (default a 203.0.113.x placeholder)", list: true},
	{param: "av", flag: "edge-av", label: "A/V Edge", errs: []string{"avEdge.fqdn"}, get: func(p *PlanOptions) *string { return &p.AVEdge }, usage: "A/V Edge external `FQDN` (a host record in the external DNS)"},
	{param: "avip", flag: "edge-av-ip", label: "A/V Edge addresses", errs: []string{"avEdge.addresses"}, get: func(p *PlanOptions) *string { return &p.AVEdgeIP }, usage: "A/V Edge external `addresses` (default a 203.0.113.x placeholder)", list: true},
	{param: "webint", flag: "web-internal", label: "Internal web services", errs: []string{"webInternal.fqdn"}, get: func(p *PlanOptions) *string { return &p.WebInternal }, usage: "internal web services `FQDN` for lyncdiscoverinternal (Lync 2013)"},
	{param: "webintip", flag: "web-internal-ip", label: "Internal web services addresses", errs: []string{"webInternal.addresses"}, get: func(p *PlanOptions) *string { return &p.WebInternalIP }, usage: "internal web services `addresses`", list: true},
	{param: "webext", flag: "web-external", label: "External web services", errs: []string{"webExternal.fqdn"}, get: func(p *PlanOptions) *string { return &p.WebExternal }, usage: "external web services (reverse proxy) `FQDN` for lyncdiscover (Lync 2013)"},
	{param: "webextip", flag: "web-external-ip", label: "External web services addresses", errs: []string{"webExternal.addresses"}, get: func(p *PlanOptions) *string { return &p.WebExternalIP }, usage: "external web services `addresses`", list: true},
	{param: "dirwebint", flag: "director-web-internal", label: "Director internal web services", errs: []string{"directorWebInternal.fqdn"}, get: func(p *PlanOptions) *string { return &p.DirectorWebInt }, usage: "the Director's internal web services `FQDN` (default the Director's FQDN; lyncdiscoverinternal points at it)"},
	{param: "dirwebintip", flag: "director-web-internal-ip", label: "Director internal web services addresses", errs: []string{"directorWebInternal.addresses"}, get: func(p *PlanOptions) *string { return &p.DirectorWebIntIP }, usage: "the Director's internal web services `addresses` (its load balancer's virtual IP)", list: true},
	{param: "dirwebext", flag: "director-web-external", label: "Director external web services", errs: []string{"directorWebExternal"}, get: func(p *PlanOptions) *string { return &p.DirectorWebExt }, usage: "the Director's external web services `FQDN`, published by the reverse proxy (lyncdiscover points at it)"},
	{param: "oos", flag: "oos", label: "Office Online Server", errs: []string{"officeOnline.fqdn"}, get: func(p *PlanOptions) *string { return &p.OfficeOnline }, usage: "Office Online Server (Office Web Apps Server) `FQDN`"},
	{param: "oosip", flag: "oos-ip", label: "Office Online Server addresses", errs: []string{"officeOnline.addresses"}, get: func(p *PlanOptions) *string { return &p.OfficeOnlineIP }, usage: "Office Online Server internal `addresses`", list: true},
	{param: "zones", flag: "internal-zones", label: "Internal zones", errs: []string{"internalZones"}, get: func(p *PlanOptions) *string { return &p.InternalZones }, usage: "how the internal DNS holds each SIP domain, `STYLE`: auto (the first domain a whole zone, the others pin-point zones), whole or pinpoint", choices: []string{string(plan.ZonesAuto), string(plan.ZonesWhole), string(plan.ZonesPinPoint)}},
	{param: "alias", flag: "alias", label: "sip.<domain> aliases", errs: []string{"alias"}, get: func(p *PlanOptions) *string { return &p.Alias }, usage: "publish sip.<domain> aliases as `a` records or as a cname (default a)", choices: []string{string(plan.AliasA), string(plan.AliasCNAME)}},
	{param: "ttl", flag: "ttl", label: "TTL", errs: []string{"ttl"}, get: func(p *PlanOptions) *string { return &p.TTL }, usage: "record TTL in `seconds` (default 3600)"},
}

// The plan inputs that are not text.
var planOther = []planField{
	{param: "profiles", flag: "profile", label: "Clients", errs: []string{"profiles"}, list: true},
}

// PlanDefaults are the inputs of an empty plan form: every profile, loose
// naming, TLS only (plan.Input.AllowTCP).
func PlanDefaults() PlanOptions {
	var p PlanOptions
	for _, prof := range engine.Profiles() {
		p.Profiles = append(p.Profiles, prof.Name)
	}
	return p
}

// splitList splits a typed list on commas, semicolons and white space.
// An empty list is nil.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(f) == 0 {
		return nil
	}
	return f
}

// Input returns the plan.Input p describes. The error, a *plan.FieldError,
// is for an Access Edge whose port, a TTL or an alias style that cannot be
// read, or no profile; everything else is left to plan.Normalize.
func (p PlanOptions) Input() (plan.Input, error) {
	in := plan.Input{
		Domains:              splitList(p.Domains),
		Pool:                 plan.Server{FQDN: strings.TrimSpace(p.Pool), Addresses: splitList(p.PoolIP), Members: splitList(p.PoolServers)},
		Director:             plan.Server{FQDN: strings.TrimSpace(p.Director), Addresses: splitList(p.DirectorIP), Members: splitList(p.DirectorServers)},
		Edge:                 plan.Server{Addresses: splitList(p.EdgeIP)},
		EdgeInternal:         plan.Server{FQDN: strings.TrimSpace(p.EdgeInternal), Addresses: splitList(p.EdgeInternalIP)},
		WebConfEdge:          strings.TrimSpace(p.WebConfEdge),
		WebConfEdgeAddresses: splitList(p.WebConfEdgeIP),
		AVEdge:               plan.Server{FQDN: strings.TrimSpace(p.AVEdge), Addresses: splitList(p.AVEdgeIP)},
		DirectorWebInternal:  plan.Server{FQDN: strings.TrimSpace(p.DirectorWebInt), Addresses: splitList(p.DirectorWebIntIP)},
		DirectorWebExternal:  strings.TrimSpace(p.DirectorWebExt),
		OfficeOnline:         plan.Server{FQDN: strings.TrimSpace(p.OfficeOnline), Addresses: splitList(p.OfficeOnlineIP)},
		InternalZones:        plan.ZoneStyle(strings.ToLower(strings.TrimSpace(p.InternalZones))),
		SimpleURLs:           p.SimpleURLs,
		XMPP:                 p.XMPP,
		NoFederation:         p.NoFederation,
		WebInternal:          plan.Server{FQDN: strings.TrimSpace(p.WebInternal), Addresses: splitList(p.WebInternalIP)},
		WebExternal:          plan.Server{FQDN: strings.TrimSpace(p.WebExternal), Addresses: splitList(p.WebExternalIP)},
		Profiles:             p.Profiles,
		StrictNaming:         p.Strict,
		AllowTCP:             p.AllowTCP,
		Alias:                plan.AliasStyle(strings.ToLower(strings.TrimSpace(p.Alias))),
	}
	if e := strings.TrimSpace(p.Edge); e != "" {
		host, port, err := engine.ParseHostPort(e, plan.DefaultEdgePort)
		if err != nil {
			return in, &plan.FieldError{Field: "edge.fqdn", Msg: err.Error()}
		}
		in.Edge.FQDN, in.EdgePort = host, port
	}
	if t := strings.TrimSpace(p.TTL); t != "" {
		n, err := strconv.ParseUint(t, 10, 32)
		if err != nil || n > 1<<31-1 {
			return in, &plan.FieldError{Field: "ttl", Msg: fmt.Sprintf("%q is not a number of seconds from 0 to 2147483647", t)}
		}
		in.TTL = uint32(n)
	}
	if len(p.Profiles) == 0 {
		return in, &plan.FieldError{Field: "profiles", Msg: "choose at least one client that must work"}
	}
	return in, nil
}

// Generate reads p and generates its plan.
func (p PlanOptions) Generate() (*plan.Plan, error) {
	in, err := p.Input()
	if err != nil {
		return nil, err
	}
	return plan.Generate(in)
}

// PlanErrorMessage turns the error of PlanOptions.Input or plan.Generate
// into one message naming each input at fault, by its form label
// ("Front End pool: required"), or by its flag when flags is set
// ("--pool (pool.fqdn): required").
func PlanErrorMessage(err error, flags bool) string {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var msgs []string
	for _, e := range errs {
		var fe *plan.FieldError
		if !errors.As(e, &fe) {
			msgs = append(msgs, e.Error())
			continue
		}
		f, ok := planFieldOf(fe.Field)
		switch {
		case !ok:
			msgs = append(msgs, fe.Field+": "+fe.Msg)
		case flags:
			msgs = append(msgs, fmt.Sprintf("--%s (%s): %s", f.flag, fe.Field, fe.Msg))
		default:
			msgs = append(msgs, f.label+": "+fe.Msg)
		}
	}
	sep := "; "
	if flags {
		sep = "\n  "
	}
	return strings.Join(msgs, sep)
}

// planFieldOf names the input behind a plan.FieldError field
// ("pool.addresses[1]").
func planFieldOf(field string) (planField, bool) {
	for _, f := range append(planFields[:len(planFields):len(planFields)], planOther...) {
		for _, e := range f.errs {
			if field == e || strings.HasPrefix(field, e+"[") {
				return f, true
			}
		}
	}
	return planField{}, false
}

// Query returns p as the plan page's query string:
// "?domains=…&pool=…[&poolip=…&director=…&directorip=…&edge=…&edgeip=…&webint=…&webext=…]&profiles=a,b&strict=0&tcp=1".
// Empty fields are left out; profiles are left out when they are all of
// them.
func (p PlanOptions) Query() string {
	var b strings.Builder
	for _, f := range planFields {
		v := strings.TrimSpace(*f.get(&p))
		if v == "" && f.param != "domains" && f.param != "pool" {
			continue
		}
		if b.Len() == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(f.param + "=" + url.QueryEscape(v))
	}
	if len(p.Profiles) > 0 && len(p.Profiles) < len(engine.Profiles()) {
		b.WriteString("&profiles=" + url.QueryEscape(strings.Join(p.Profiles, ",")))
	}
	b.WriteString("&strict=" + bitText(p.Strict) + "&tcp=" + bitText(p.AllowTCP))
	for _, f := range []struct {
		key string
		on  bool
	}{{"simple", p.SimpleURLs}, {"xmpp", p.XMPP}, {"nofed", p.NoFederation}} {
		if f.on {
			b.WriteString("&" + f.key + "=1")
		}
	}
	return b.String()
}

// ParsePlan reads a plan link's query string. ok is false when it has no
// "domains" (an ordinary visit). The names themselves are checked later,
// by plan.Normalize, so that its errors name the field.
func ParsePlan(raw string) (p PlanOptions, ok bool, err error) {
	q, err := parseLinkQuery(raw)
	if err != nil || !q.Has("domains") {
		return PlanOptions{}, false, err
	}
	for k, vs := range q {
		if len(vs) > 1 {
			return PlanOptions{}, false, fmt.Errorf("the link gives %q %d times", k, len(vs))
		}
		if len(vs[0]) > MaxField {
			return PlanOptions{}, false, fmt.Errorf("the link's %q is longer than %d bytes", k, MaxField)
		}
	}
	p = PlanDefaults()
	for _, f := range planFields {
		*f.get(&p) = q.Get(f.param)
	}
	if s := q.Get("profiles"); s != "" {
		p.Profiles = nil
		for _, name := range strings.Split(s, ",") {
			prof, err := engine.LookupProfile(strings.TrimSpace(name))
			if err != nil {
				return PlanOptions{}, false, fmt.Errorf("the link's \"profiles\" names an %v", err)
			}
			p.Profiles = append(p.Profiles, prof.Name)
		}
	}
	for _, f := range []struct {
		key string
		dst *bool
	}{{"strict", &p.Strict}, {"tcp", &p.AllowTCP}, {"simple", &p.SimpleURLs}, {"xmpp", &p.XMPP}, {"nofed", &p.NoFederation}} {
		if !q.Has(f.key) {
			continue
		}
		b, err := parseBit(q.Get(f.key))
		if err != nil {
			return PlanOptions{}, false, fmt.Errorf("the link's %q is %q; want 1 or 0", f.key, q.Get(f.key))
		}
		*f.dst = b
	}
	return p, true, nil
}

// The file names of a plan's downloads, the page's and the command
// line's --out alike.

// PlanZoneFile is the file name of a generated zone.
func PlanZoneFile(v plan.View, origin string) string { return string(v) + "-" + origin + ".zone" }

// PlanScriptFile is the file name of a view's PowerShell commands.
func PlanScriptFile(v plan.View) string { return string(v) + "-dns.ps1" }

// The file names of the whole plan.
const (
	PlanCSVFile          = "sipdisco-plan-records.csv"
	PlanCertificatesFile = "sipdisco-plan-certificates.csv"
	PlanMarkdownFile     = "sipdisco-plan.md"
	PlanJSONFile         = "sipdisco-plan.json"
)

// PlanZones returns the generated zones of view v, each named by its file
// name, to load as a planned zone is loaded.
func PlanZones(p *plan.Plan, v plan.View) []Zone {
	var out []Zone
	for _, z := range p.View(v).Zones {
		out = append(out, Zone{Origin: z.Origin, Name: PlanZoneFile(v, z.Origin), Text: plan.BIND(v, z, p.Input.TTL)})
	}
	return out
}

// PlanCheckOptions returns the check plan --check makes of one cell,
// as sipdisco check's Options: user@domain, the client profile, the
// plan's policy (the profile's default naming unless the plan asks for
// strict naming, TCP as the plan allows it; plan.Plan.Policy), the view
// v's generated zones (PlanZones) and its side of split-brain DNS. Run
// with these options and a resolver holding those zones gives the
// verdict plan.DiscoverAll gives.
func PlanCheckOptions(p *plan.Plan, v plan.View, domain, profile string) Options {
	o := Defaults()
	o.URI, o.Profile = "user@"+domain, profile
	o.Strict = StrictDefault // the profile's own default naming
	if p.Input.StrictNaming {
		o.Strict = StrictOn
	}
	o.AllowTCP = p.Input.AllowTCP
	o.Resolver = Source{Kind: SourceZone}
	o.Zones = PlanZones(p, v)
	o.View = v.EngineView()
	return o
}

// PlanFiles returns every file of p by name: each zone, each view's
// PowerShell, the records as CSV, the certificate names as CSV, the
// Markdown export and the JSON.
func PlanFiles(p *plan.Plan) (map[string]string, error) {
	files := map[string]string{}
	for _, view := range []plan.View{plan.Internal, plan.External} {
		for _, z := range PlanZones(p, view) {
			files[z.Name] = z.Text
		}
		files[PlanScriptFile(view)] = plan.PowerShell(p.View(view))
	}
	files[PlanCSVFile] = plan.CSV(p.Internal, p.External)
	var cb strings.Builder
	cw := csv.NewWriter(&cb)
	cw.Write([]string{"server", "use", "subject", "name", "reason"})
	for _, c := range p.Certificates {
		for _, n := range c.Names {
			cw.Write([]string{c.Server, c.Use, c.Subject, n.Name, n.Reason})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	files[PlanCertificatesFile] = cb.String()
	files[PlanMarkdownFile] = plan.Markdown(p, plan.Internal, plan.External)
	j, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	files[PlanJSONFile] = string(j) + "\n"
	return files, nil
}

// PlanClients are every client generation's at-a-glance row for one
// view and domain of a plan, from its generated zones.
type PlanClients struct {
	View   plan.View
	Domain string
	Rows   []engine.ClientRow
}

// PlanGlance returns, for each view that has a resolver in resolvers
// (internal first) and each planned domain, the at-a-glance rows of
// every client generation for user@<domain> against that view's
// generated zones, under the plan's naming and TCP policy: the rows a
// check of that address with that policy shows (Run's discovery, one
// shared resolver for the rows). plan.Verify judges the selected
// profiles against the plan; these rows add the generations the plan
// does not require, so that `plan --check` and the Plan page show every
// client, as a check does. The error is the context's, or Discover's for
// an input it refuses.
func PlanGlance(ctx context.Context, p *plan.Plan, resolvers map[plan.View]engine.Resolver) ([]PlanClients, error) {
	o := Defaults()
	o.Strict, o.AllowTCP = StrictDefault, p.Input.AllowTCP // each client's own default naming
	if p.Input.StrictNaming {
		o.Strict = StrictOn
	}
	if ps := p.Profiles(); len(ps) > 0 {
		o.Profile = ps[0].Name
	}
	var out []PlanClients
	for _, v := range []plan.View{plan.Internal, plan.External} {
		r := resolvers[v]
		if r == nil {
			continue
		}
		cfg, err := o.Config(Env{Resolver: r})
		if err != nil {
			return nil, err
		}
		cfg.View = v.EngineView()
		for _, d := range p.Input.Domains {
			u, err := engine.ParseURI("user@" + d)
			if err != nil {
				return nil, err
			}
			rep, err := discoverWithRows(ctx, u, o, cfg, nil)
			if err != nil {
				return nil, err
			}
			out = append(out, PlanClients{View: v, Domain: d, Rows: rep.Clients})
		}
	}
	return out, nil
}

// Unplanned returns the rows of c whose client p does not require (not
// among its profiles), in c's order.
func (c PlanClients) Unplanned(p *plan.Plan) []engine.ClientRow {
	var out []engine.ClientRow
	for _, row := range c.Rows {
		if !slices.ContainsFunc(p.Profiles(), func(pr *engine.Profile) bool { return pr.Name == row.Profile }) {
			out = append(out, row)
		}
	}
	return out
}

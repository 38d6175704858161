//go:build !js

package main

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/plain"
	"github.com/sipdisco/sipdisco/resolve/system"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

// resolverFor builds the resolver o names, and says where its answers
// come from: plain DNS servers or the machine's own (--dns), zone files
// (with the demo zones when o.Resolver is demo), the demo zones, or
// DNS-over-HTTPS. With none named, addresses that are all under .example
// are answered from the demo zones and others by the machine's own
// resolvers, as the client asks them (docs/adr/0009).
func resolverFor(o check.Options, uris []engine.URI) (engine.Resolver, engine.ResolverInfo, error) {
	src, err := sourceOf(o, allUnderExample(uris))
	if err != nil {
		return nil, engine.ResolverInfo{}, err
	}
	return newResolver(src, o)
}

// newResolver builds the resolver of src, one case per kind; o gives a
// SourceZone its zones.
func newResolver(src check.Source, o check.Options) (engine.Resolver, engine.ResolverInfo, error) {
	switch src.Kind {
	case check.SourceZone:
		return zoneFiles(o)
	case check.SourceDemo:
		set, err := zone.Demo()
		if err != nil {
			return nil, engine.ResolverInfo{}, err
		}
		return set, engine.ResolverInfo{Kind: engine.ResolverDemo, Description: "the embedded demo zones (run sipdisco demo list)"}, nil
	case check.SourceDoH:
		c, err := dohclient.New(src.URL, dohclient.HTTPRoundTrip(nil))
		if err != nil {
			return nil, engine.ResolverInfo{}, usageError{err.Error()}
		}
		return c, engine.ResolverInfo{Kind: engine.ResolverDoH, Address: src.URL, Description: src.URL}, nil
	case check.SourceSystem:
		res, err := system.New()
		if err != nil {
			return nil, engine.ResolverInfo{}, err
		}
		if src.TCP {
			c, ok := res.(*plain.Client)
			if !ok {
				return nil, engine.ResolverInfo{}, usagef("--tcp: %s cannot be asked over TCP only; give --dns IP", res)
			}
			c.TCP = true
		}
		return res, engine.ResolverInfo{Kind: engine.ResolverSystem, Description: res.String()}, nil
	case check.SourceDNS:
		var servers []netip.AddrPort
		for _, s := range src.Servers {
			a, err := plain.ParseServer(s)
			if err != nil {
				return nil, engine.ResolverInfo{}, usagef("--dns %s: %v", s, err)
			}
			servers = append(servers, a)
		}
		c, err := plain.New(servers...)
		if err != nil {
			return nil, engine.ResolverInfo{}, usagef("--dns: %v", err)
		}
		c.TCP = src.TCP
		return c, engine.ResolverInfo{Kind: engine.ResolverDNS, Address: strings.Join(src.Servers, ", "), Description: c.String()}, nil
	}
	// SourceLocal, SourceUpstream: a page's.
	return nil, engine.ResolverInfo{}, usagef("--doh %s names a page's resolver; give a DoH URL, --dns, --zone FILE or --demo", src)
}

// sourceOf returns where o's answers come from, the command line's
// default resolved, or why o names more than one source.
func sourceOf(o check.Options, allDemo bool) (check.Source, error) {
	if err := oneSource(o, allDemo); err != nil {
		return check.Source{}, err
	}
	named := o.Resolver.Kind
	switch {
	case len(o.Zones) > 0:
		return check.Source{Kind: check.SourceZone}, nil
	case named == check.SourceDemo || named == check.SourceDefault && len(o.DNS) == 0 && allDemo:
		return check.Source{Kind: check.SourceDemo}, nil
	case named == check.SourceDefault:
		return dnsSource(o.DNS, o.DNSTCP)
	case named == check.SourceDoH:
		return o.Resolver, nil
	}
	return check.Source{}, usagef("--doh %s names a page's resolver; give a DoH URL, --dns, --zone FILE or --demo", o.Resolver)
}

// oneSource says why o names more than one source: --dns, --doh, --zone
// and --demo are exclusive (--demo adds the demo zones to --zone's), and
// --tcp needs --dns. allDemo says every address is under .example.
func oneSource(o check.Options, allDemo bool) error {
	named := o.Resolver.Kind
	other := named == check.SourceDoH || named == check.SourceDemo || len(o.Zones) > 0
	dns := len(o.DNS) > 0
	switch {
	case dns && other:
		return usagef("--dns, --doh, --zone and --demo choose where answers come from: give one of them")
	case o.DNSTCP && !dns && (other || allDemo):
		return usagef("--tcp asks plain DNS servers over TCP: give --dns too")
	case len(o.Zones) > 0 && named == check.SourceDoH:
		return usagef("--zone and --doh are exclusive: zone files answer without any network")
	}
	return nil
}

// dnsSource reads --dns: the machine's own resolvers for "system" (and
// when none is given), else the servers given, in order; tcp asks them
// over TCP only.
func dnsSource(specs []string, tcp bool) (check.Source, error) {
	var servers []string
	useSystem := len(specs) == 0
	for _, s := range specs {
		if strings.EqualFold(s, check.SystemDNS) {
			useSystem = true
			continue
		}
		a, err := plain.ParseServer(s)
		if err != nil {
			return check.Source{}, usagef("--dns %s: %v", s, err)
		}
		servers = append(servers, plain.FormatServer(a))
	}
	if useSystem && len(servers) > 0 {
		return check.Source{}, usagef("--dns system and --dns IP are exclusive: the machine's resolvers, or the servers given")
	}
	if useSystem {
		return check.Source{Kind: check.SourceSystem, TCP: tcp}, nil
	}
	return check.Source{Kind: check.SourceDNS, Servers: servers, TCP: tcp}, nil
}

// allUnderExample reports whether every address is under .example, the
// demo zones' domain.
func allUnderExample(uris []engine.URI) bool {
	for _, u := range uris {
		if !strings.HasSuffix(u.Domain, ".example") {
			return false
		}
	}
	return true
}

// zoneFiles loads o's zone files (with the demo zones for --demo) and
// names them.
func zoneFiles(o check.Options) (engine.Resolver, engine.ResolverInfo, error) {
	set, err := loadZones(o.Zones, o.Resolver.Kind == check.SourceDemo)
	if err != nil {
		return nil, engine.ResolverInfo{}, err
	}
	var names []string
	for _, z := range o.Zones {
		names = append(names, z.Name)
	}
	list := strings.Join(names, ", ")
	return set, engine.ResolverInfo{Kind: engine.ResolverZone, Address: list, Description: "zone files " + list,
		Notes: firstNotes(set.Notes(), maxNotes)}, nil
}

// dnsResolver builds the plain-DNS resolver of --dns (dnsSource).
func dnsResolver(specs []string, tcp bool) (engine.Resolver, engine.ResolverInfo, error) {
	src, err := dnsSource(specs, tcp)
	if err != nil {
		return nil, engine.ResolverInfo{}, err
	}
	return newResolver(src, check.Options{})
}

// maxNotes is how many of a zone's notes a report carries.
const maxNotes = 10

// firstNotes returns the first max notes, and in place of the rest one
// saying how many there were.
func firstNotes(notes []string, max int) []string {
	if len(notes) <= max {
		return notes
	}
	return append(notes[:max:max], fmt.Sprintf("and %d more lines passed over", len(notes)-max))
}

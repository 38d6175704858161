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
	src, err := answerSource(o, allUnderExample(uris))
	if err != nil {
		return nil, engine.ResolverInfo{}, err
	}
	switch src {
	case engine.ResolverZone:
		return zoneFiles(o)
	case engine.ResolverDemo:
		set, err := zone.Demo()
		if err != nil {
			return nil, engine.ResolverInfo{}, err
		}
		return set, engine.ResolverInfo{Kind: engine.ResolverDemo, Description: "the embedded demo zones (run sipdisco demo list)"}, nil
	case engine.ResolverDoH:
		c, err := dohclient.New(o.Resolver, dohclient.HTTPRoundTrip(nil))
		if err != nil {
			return nil, engine.ResolverInfo{}, usageError{err.Error()}
		}
		return c, engine.ResolverInfo{Kind: engine.ResolverDoH, Address: o.Resolver, Description: o.Resolver}, nil
	}
	return dnsResolver(o.DNS, o.DNSTCP)
}

// answerSource says which kind of resolver o asks for (an engine.Resolver*
// kind; ResolverDNS for --dns and for the machine's own resolvers), or
// why o names more than one. allDemo says every address is under
// .example.
func answerSource(o check.Options, allDemo bool) (string, error) {
	demo, zones, dns := o.Resolver == check.ResolverDemo, len(o.Zones) > 0, len(o.DNS) > 0
	page := o.Resolver == check.ResolverLocal || o.Resolver == check.ResolverUpstream
	url := o.Resolver != "" && !demo && o.Resolver != check.ResolverZone && !page
	switch {
	case dns && (url || zones || demo):
		return "", usagef("--dns, --doh, --zone and --demo choose where answers come from: give one of them")
	case o.DNSTCP && !dns && (url || zones || demo || allDemo):
		return "", usagef("--tcp asks plain DNS servers over TCP: give --dns too")
	case zones && url:
		return "", usagef("--zone and --doh are exclusive: zone files answer without any network")
	case zones:
		return engine.ResolverZone, nil
	case demo || o.Resolver == "" && !dns && allDemo:
		return engine.ResolverDemo, nil
	case page || o.Resolver == check.ResolverZone:
		return "", usagef("--doh %s names a page's resolver; give a DoH URL, --dns, --zone FILE or --demo", o.Resolver)
	case url:
		return engine.ResolverDoH, nil
	}
	return engine.ResolverDNS, nil
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
	set, err := loadZones(o.Zones, o.Resolver == check.ResolverDemo)
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

// dnsResolver builds the plain-DNS resolver of --dns: the machine's own
// resolvers for "system" (and when none is given), else the servers
// given, in order.
func dnsResolver(specs []string, tcp bool) (engine.Resolver, engine.ResolverInfo, error) {
	var servers []netip.AddrPort
	useSystem := len(specs) == 0
	for _, s := range specs {
		if strings.EqualFold(s, check.SystemDNS) {
			useSystem = true
			continue
		}
		a, err := plain.ParseServer(s)
		if err != nil {
			return nil, engine.ResolverInfo{}, usagef("--dns %s: %v", s, err)
		}
		servers = append(servers, a)
	}
	if useSystem && len(servers) > 0 {
		return nil, engine.ResolverInfo{}, usagef("--dns system and --dns IP are exclusive: the machine's resolvers, or the servers given")
	}
	if useSystem {
		res, err := system.New()
		if err != nil {
			return nil, engine.ResolverInfo{}, err
		}
		if tcp {
			c, ok := res.(*plain.Client)
			if !ok {
				return nil, engine.ResolverInfo{}, usagef("--tcp: %s cannot be asked over TCP only; give --dns IP", res)
			}
			c.TCP = true
		}
		return res, engine.ResolverInfo{Kind: engine.ResolverSystem, Description: res.String()}, nil
	}
	c, err := plain.New(servers...)
	if err != nil {
		return nil, engine.ResolverInfo{}, usagef("--dns: %v", err)
	}
	c.TCP = tcp
	var addrs []string
	for _, s := range servers {
		addrs = append(addrs, plain.FormatServer(s))
	}
	return c, engine.ResolverInfo{Kind: engine.ResolverDNS, Address: strings.Join(addrs, ", "), Description: c.String()}, nil
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

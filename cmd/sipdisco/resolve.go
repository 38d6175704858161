//go:build !js

package main

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/plain"
	"github.com/sipdisco/sipdisco/dohclient/system"
	"github.com/sipdisco/sipdisco/dohclient/zone"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/engine/check"
)

// resolverFor builds the resolver o names, and says where its answers
// come from: plain DNS servers or the machine's own (--dns), zone files
// (with the demo zones when o.Resolver is demo), the demo zones, or
// DNS-over-HTTPS. With none named, addresses that are all under .example
// are answered from the demo zones and others by the machine's own
// resolvers, as the client asks them (docs/adr/0009).
func resolverFor(o check.Options, uris []engine.URI) (engine.Resolver, engine.ResolverInfo, error) {
	allDemo := true
	for _, u := range uris {
		if !strings.HasSuffix(u.Domain, ".example") {
			allDemo = false
		}
	}
	url := o.Resolver != "" && o.Resolver != check.ResolverZone && o.Resolver != check.ResolverDemo && o.Resolver != check.ResolverLocal
	switch {
	case len(o.DNS) > 0 && (url || len(o.Zones) > 0 || o.Resolver == check.ResolverDemo):
		return nil, engine.ResolverInfo{}, usagef("--dns, --doh, --zone and --demo choose where answers come from: give one of them")
	case o.DNSTCP && len(o.DNS) == 0 && (url || len(o.Zones) > 0 || o.Resolver == check.ResolverDemo || allDemo):
		return nil, engine.ResolverInfo{}, usagef("--tcp asks plain DNS servers over TCP: give --dns too")
	case len(o.Zones) > 0 && url:
		return nil, engine.ResolverInfo{}, usagef("--zone and --doh are exclusive: zone files answer without any network")
	case len(o.Zones) > 0:
		set, err := loadZones(o.Zones, o.Resolver == check.ResolverDemo)
		if err != nil {
			return nil, engine.ResolverInfo{}, err
		}
		var names []string
		for _, z := range o.Zones {
			names = append(names, z.Name)
		}
		return set, engine.ResolverInfo{Kind: engine.ResolverZone, Address: strings.Join(names, ", "), Description: "zone files " + strings.Join(names, ", "),
			Notes: firstNotes(set.Notes(), maxNotes)}, nil
	case o.Resolver == check.ResolverDemo || o.Resolver == "" && len(o.DNS) == 0 && allDemo:
		set, err := zone.Demo()
		if err != nil {
			return nil, engine.ResolverInfo{}, err
		}
		return set, engine.ResolverInfo{Kind: engine.ResolverDemo, Description: "the embedded demo zones (run sipdisco demo list)"}, nil
	case o.Resolver == check.ResolverLocal || o.Resolver == check.ResolverZone:
		return nil, engine.ResolverInfo{}, usagef("--doh %s names a page's resolver; give a DoH URL, --dns, --zone FILE or --demo", o.Resolver)
	case url:
		c, err := dohclient.New(o.Resolver, dohclient.HTTPRoundTrip(nil))
		if err != nil {
			return nil, engine.ResolverInfo{}, usageError{err.Error()}
		}
		return c, engine.ResolverInfo{Kind: engine.ResolverDoH, Address: o.Resolver, Description: o.Resolver}, nil
	}
	return dnsResolver(o.DNS, o.DNSTCP)
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

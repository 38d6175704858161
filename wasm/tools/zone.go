//go:build js && wasm

package main

import (
	"context"
	"errors"
	"strings"
	"syscall/js"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// errEmptyZone is the error of a check with the planned zone chosen and
// no zone text.
var errEmptyZone = errors.New("the planned zone is empty: paste a zone in BIND syntax or choose a resolver")

// zoneResolver answers from zone texts: a planned zone pasted into the
// page, or a plan's generated zones. A zone without an origin of its own
// takes domain, the sign-in domain; with neither, the text must set its
// own with an SOA.
func zoneResolver(zones []check.Zone, domain string) (*zone.Set, error) {
	set := new(zone.Set)
	for _, z := range zones {
		if strings.TrimSpace(z.Text) == "" {
			return nil, errEmptyZone
		}
		origin := z.Origin
		if origin == "" {
			origin = domain
		}
		if err := set.Add(origin, z.Text, z.Name); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// zoneResult is what parseZone resolves to.
type zoneResult struct {
	OK    bool     `json:"ok"`
	Zones []string `json:"zones"`
}

// parseZone checks planned zone text: parseZone(text[, signInAddress]).
// The zone's origin is the address's domain when one is given and valid.
// It rejects with the line number of the first bad line.
func parseZone(ctx context.Context, args []js.Value) (any, error) {
	s, err := bridge.StringArg(args, 0, "zone text")
	if err != nil {
		return nil, err
	}
	origin := ""
	if len(args) > 1 && args[1].Type() == js.TypeString {
		if u, err := engine.ParseURI(args[1].String()); err == nil {
			origin = u.Domain
		}
	}
	set, err := zoneResolver([]check.Zone{{Name: check.PlannedZone, Text: s}}, origin)
	if err != nil {
		return nil, err
	}
	return zoneResult{OK: true, Zones: set.Zones()}, nil
}

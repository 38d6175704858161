//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/sipdisco/sipdisco/dohclient/zone"
	"github.com/sipdisco/sipdisco/engine"
)

// planned names the pasted zone in error messages ("planned zone:7: …").
const planned = "planned zone"

// zoneResolver answers from planned zone text for the sign-in domain
// origin. With an empty origin the text must set its own with an SOA.
func zoneResolver(text, origin string) (*zone.Set, error) {
	if text == "" {
		return nil, errors.New("the planned zone is empty: paste a zone in BIND syntax or choose a resolver")
	}
	return zone.Parse(origin, text, planned)
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
	s, err := stringArg(args, 0, "zone text")
	if err != nil {
		return nil, err
	}
	origin := ""
	if len(args) > 1 && args[1].Type() == js.TypeString {
		if u, err := engine.ParseURI(args[1].String()); err == nil {
			origin = u.Domain
		}
	}
	set, err := zoneResolver(s, origin)
	if err != nil {
		return nil, err
	}
	return zoneResult{OK: true, Zones: set.Zones()}, nil
}

//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/sipdisco/sipdisco/engine"
)

// zoneResolver answers from planned zone text.
func zoneResolver(text string) (engine.Resolver, error) {
	if text == "" {
		return nil, errors.New("the planned zone is empty: paste a zone in BIND syntax or choose a resolver")
	}
	return nil, errors.New("planned zones are not supported by this build yet")
}

// zoneResult is what parseZone resolves to.
type zoneResult struct {
	OK      bool `json:"ok"`
	Records int  `json:"records"`
}

// parseZone checks planned zone text.
func parseZone(ctx context.Context, args []js.Value) (any, error) {
	s, err := stringArg(args, 0, "zone text")
	if err != nil {
		return nil, err
	}
	if _, err := zoneResolver(s); err != nil {
		return nil, err
	}
	return zoneResult{OK: true}, nil
}

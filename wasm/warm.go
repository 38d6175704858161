//go:build js && wasm

package main

import (
	"context"
	"io"
	"net/netip"
	"syscall/js"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/templates"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// warm runs one check of warm.example, answered from memory (nothing
// leaves the page), through the engine, the sign-in simulation, the
// rendering, the snapshot link and the Markdown export, so that the
// browser has optimised that code before the first real check: it starts
// in the baseline compiler (V8's Liftoff) and is recompiled once it has
// run a while (TurboFan). The page calls it when the module is ready and
// no link is waiting to be checked (a link's check must not wait for
// it); it resolves to the milliseconds it took. web.TestFirstCheck
// measures the first check without it.
func warm(ctx context.Context, args []js.Value) (any, error) {
	start := time.Now()
	o := check.PageDefaults()
	o.URI = "sip:bob@warm.example"
	r, err := check.Run(ctx, o, check.Env{Resolver: engine.ResolverFunc(warmAnswer), Now: time.Now})
	if err != nil {
		return nil, err
	}
	res, err := bridge.Finish(ctx, r)
	if err != nil {
		return nil, err
	}
	if _, err := snapshot.Decode(ctx, res.Snapshot); err != nil {
		return nil, err
	}
	if _, err := res.JSValue(); err != nil {
		return nil, err
	}
	if err := templates.WriteMarkdown(io.Discard, r.Report); err != nil {
		return nil, err
	}
	return time.Since(start).Milliseconds(), nil
}

// warmAnswer is warm.example's DNS: a pool by SRV and its address;
// nothing else exists.
func warmAnswer(ctx context.Context, q engine.Question) (engine.Answer, error) {
	switch q {
	case engine.Question{Name: "_sipinternaltls._tcp.warm.example", Type: engine.TypeSRV}:
		return engine.Answer{Records: []engine.Record{{Name: q.Name, Type: engine.TypeSRV, TTL: 300, Port: 5061, Target: "pool01.warm.example"}}}, nil
	case engine.Question{Name: "pool01.warm.example", Type: engine.TypeA}:
		return engine.Answer{Records: []engine.Record{{Name: q.Name, Type: engine.TypeA, TTL: 300, Addr: netip.AddrFrom4([4]byte{192, 0, 2, 10})}}}, nil
	case engine.Question{Name: "pool01.warm.example", Type: engine.TypeAAAA}:
		return engine.Answer{}, nil
	}
	return engine.Answer{RCode: engine.RCodeNameError}, nil
}

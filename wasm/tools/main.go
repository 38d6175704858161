//go:build js && wasm

// Command tools is the analyzer's second WebAssembly module (tools.wasm):
// everything the analyzer page does not need for a live check, a snapshot
// or the sign-in ladder. The Plan, Compare, Audit and Domain pages load it; the
// analyzer loads it only when a check uses a planned zone or a pasted
// certificate, which need the zone-file parser (miekg/dns) and
// crypto/x509.
//
// It installs one global object, sipdiscoTools, whose functions each
// return a Promise and do their work in a goroutine:
//
//	sipdiscoTools.check(input[, onStep])  → {report, html, query, snapshot, form, more}
//	sipdiscoTools.decodeShare(fragment)   → as the first module's, a probe's report too
//	sipdiscoTools.render(reportJSON)      → html
//	sipdiscoTools.markdown(reportJSON)    → the report as Markdown
//	sipdiscoTools.parseZone(text[, uri])  → {ok, zones}
//	sipdiscoTools.plan(form)              → {html, files, analyze, ok, checks, query}
//	sipdiscoTools.parsePlan(search)       → {found, form}
//	sipdiscoTools.checkCert(pem, host)    → {html, result}
//	sipdiscoTools.compare(views)          → {html, query}
//	sipdiscoTools.matrix(views)           → {html, query}
//	sipdiscoTools.parseViews(search)      → {found, views}
//	sipdiscoTools.audit(form[, onProgress]) → {html, csv, json, summary}
//	sipdiscoTools.domain(form)            → {html, query, json}
//	sipdiscoTools.parseDomains(search)    → {found, form}
//	sipdiscoTools.readLog(blob, form[, onProgress]) → {html, json}
//	sipdiscoTools.openLogLink(fragment) → {found, html}
//
// check takes what the first module's check takes (see package wasm) and
// adds the planned zone, the certificate and internationalized names. Bad arguments, failures and
// panics reject the promise with an Error whose message says what was
// wrong.
package main

import (
	"context"
	"syscall/js"
	"time"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

func main() {
	api := js.Global().Get("Object").New()
	for name, h := range map[string]bridge.Handler{
		"decodeShare": func(ctx context.Context, args []js.Value) (any, error) { return bridge.DecodeShare(ctx, args, nil) },
		"render":      func(ctx context.Context, args []js.Value) (any, error) { return bridge.Render(ctx, args, nil) },
		"markdown":    func(ctx context.Context, args []js.Value) (any, error) { return bridge.Markdown(ctx, args, nil) },
		"check":       checkFunc, "parseZone": parseZone, "audit": auditFunc,
		"plan": planFunc, "checkCert": checkCert, "parsePlan": parsePlan,
		"compare": compare, "matrix": matrix, "parseViews": parseViews,
		"domain": domainFunc, "parseDomains": parseDomains,
		"readLog": readLog, "openLogLink": openLogLink,
	} {
		api.Set(name, bridge.Promise(h))
	}
	bridge.Install("sipdiscoTools", api)
}

// checkFunc runs one check: check(input[, onStep]), as the first module's
// check does, with planned zones and pasted certificates.
func checkFunc(ctx context.Context, args []js.Value) (any, error) {
	o, err := bridge.ReadInput(args)
	if err != nil {
		return nil, err
	}
	u, err := engine.ParseURI(o.URI)
	if err != nil {
		return nil, &bridge.LinkedError{Err: err, Query: o.Query()}
	}
	res, err := resolver(o, u.Domain)
	if err != nil {
		return nil, &bridge.LinkedError{Err: err, Query: o.Query()}
	}
	res = bridge.Progress(res, bridge.OnStep(args, 1))
	ctx, cancel := context.WithTimeout(ctx, bridge.CheckTimeout)
	defer cancel()
	r, err := check.Run(ctx, o, env(res))
	if err != nil {
		return nil, &bridge.LinkedError{Err: bridge.FormError(err), Query: o.Query()}
	}
	return bridge.Finish(ctx, r)
}

// env is the check environment of this module: the clock and the
// certificate check. No Rand: the engine's reproducible order of weighted
// SRV records, as on the command line and in the first module
// (docs/adr/0023-links-reproduce-the-check.md).
func env(r engine.Resolver) check.Env {
	return check.Env{Resolver: r, Now: time.Now, Certificates: certcheck.PEM{}, Tool: bridge.Tool()}
}

// resolver returns the resolver o names; a planned zone without $ORIGIN
// takes the sign-in domain domain.
func resolver(o check.Options, domain string) (engine.Resolver, error) {
	if o.Resolver.Kind == check.SourceZone {
		if len(o.Zones) == 0 {
			return nil, errEmptyZone
		}
		return zoneResolver(o.Zones, domain)
	}
	return bridge.DoH(o)
}

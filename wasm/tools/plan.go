//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/plan"
	"github.com/sipdisco/sipdisco/templates"
	"github.com/sipdisco/sipdisco/templates/certview"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// planResult is what plan resolves to.
type planResult struct {
	HTML string `json:"html"`
	// Files are the downloads by file name (zones, PowerShell, CSV,
	// Markdown).
	Files map[string]string `json:"files"`
	// Analyze are the hand-offs of the "Analyze this zone" buttons: the
	// analyzer's form filled with the zone (check.FormValues).
	Analyze [][]check.FormEntry `json:"analyze"`
	OK      bool                `json:"ok"`
	Checks  int                 `json:"checks"`
	// Query is the plan's share link, "?domains=…".
	Query string `json:"query"`
}

// planTimeout bounds the discovery runs of one plan (all in memory).
const planTimeout = 20 * time.Second

func planFunc(ctx context.Context, args []js.Value) (any, error) {
	s, err := bridge.StringArg(args, 0, "plan form")
	if err != nil {
		return nil, err
	}
	var f check.PlanOptions
	if err := bridge.DecodeJSON(s, "plan form", &f); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, planTimeout)
	defer cancel()
	return makePlan(ctx, f, time.Now())
}

// makePlan generates the plan f describes, loads each view's generated
// zones as the planned-zone analyzer would, runs every selected profile
// against them and renders the result.
func makePlan(ctx context.Context, f check.PlanOptions, now time.Time) (planResult, error) {
	p, err := f.Generate()
	if err != nil {
		return planResult{}, errors.New(check.PlanErrorMessage(err, false))
	}
	resolvers := map[plan.View]engine.Resolver{}
	for _, v := range []plan.View{plan.Internal, plan.External} {
		set, err := zoneResolver(check.PlanZones(p, v), "")
		if err != nil {
			return planResult{}, fmt.Errorf("internal error: a generated zone does not load: %v", err)
		}
		resolvers[v] = set
	}
	// As sipdisco plan --check: discovery for every profile, then the
	// SRV target, one-view and certificate rules.
	ver, err := plan.Verify(ctx, p, resolvers)
	if err != nil {
		return planResult{}, err
	}
	// Every other client generation against the same zones, as the
	// command line's plan --check lists them.
	clients, err := check.PlanGlance(ctx, p, resolvers)
	if err != nil {
		return planResult{}, err
	}
	results := ver.Results
	links := make([]string, len(results))
	for i, r := range results {
		snap, err := snapshot.Encode(ctx, check.Snapshot{TakenAt: now.UTC(), DoH: check.ResolverZone, Report: r.Report})
		if err != nil {
			return planResult{}, err
		}
		// The plan page is one folder below the analyzer.
		links[i] = "../" + snap
	}

	files, err := check.PlanFiles(p)
	if err != nil {
		return planResult{}, err
	}
	res := planResult{Files: files, OK: true, Checks: len(results), Query: f.Query()}
	for _, r := range results {
		res.OK = res.OK && r.OK
	}
	for _, r := range ver.Rules {
		res.OK = res.OK && r.OK
	}
	profile := engine.DefaultProfile
	if ps := p.Profiles(); len(ps) > 0 {
		profile = ps[0].Name
	}
	handoff := map[string]int{}
	isDomain := map[string]bool{}
	for _, d := range p.Input.Domains {
		isDomain[d] = true
	}
	for _, v := range []plan.View{plan.Internal, plan.External} {
		for _, z := range p.View(v).Zones {
			if !isDomain[z.Origin] || len(z.Records) == 0 {
				continue
			}
			handoff[string(v)+" "+z.Origin] = len(res.Analyze)
			o := check.PageDefaults()
			o.URI, o.Profile, o.Strict, o.AllowTCP = "user@"+z.Origin, profile, check.StrictOf(p.Input.StrictNaming), p.Input.AllowTCP
			o.Resolver, o.Zones = check.Source{Kind: check.SourceZone}, []check.Zone{{Name: check.PlannedZone, Text: files[check.PlanZoneFile(v, z.Origin)]}}
			o.View = v.EngineView()
			form, _ := check.FormValues(o)
			res.Analyze = append(res.Analyze, form)
		}
	}
	analyze := func(v plan.View, origin string) int {
		if i, ok := handoff[string(v)+" "+origin]; ok {
			return i
		}
		return -1
	}
	res.HTML, err = bridge.RenderComponent(templates.PlanResult(templates.NewPlanResultView(p, results, links, analyze).WithRules(ver.Rules).WithClients(p, clients)))
	if err != nil {
		return planResult{}, err
	}
	return res, nil
}

// planQueryResult is what parsePlan resolves to.
type planQueryResult struct {
	// Found is false for a query string without a plan in it.
	Found bool              `json:"found"`
	Form  check.PlanOptions `json:"form"`
}

// parsePlan reads a plan link's query string (location.search).
func parsePlan(ctx context.Context, args []js.Value) (any, error) {
	q, err := bridge.StringArg(args, 0, "query string")
	if err != nil {
		return nil, err
	}
	p, ok, err := check.ParsePlan(q)
	if err != nil {
		return nil, err
	}
	return planQueryResult{Found: ok, Form: p}, nil
}

// certResult is what checkCert resolves to.
type certResult struct {
	HTML   string           `json:"html"`
	Result certcheck.Result `json:"result"`
}

// checkCert judges a pasted PEM certificate (chain) for a host name:
// checkCert(pem, host). Text that is not a certificate rejects with the
// line of the offending block.
func checkCert(ctx context.Context, args []js.Value) (any, error) {
	pem, err := bridge.StringArg(args, 0, "certificate (PEM)")
	if err != nil {
		return nil, err
	}
	host, err := bridge.StringArg(args, 1, "server name")
	if err != nil {
		return nil, err
	}
	return certCheck(pem, host, time.Now())
}

func certCheck(pem, host string, now time.Time) (certResult, error) {
	if host == "" {
		return certResult{}, errors.New("type the server name the client connects to (for example sip.contoso.com)")
	}
	chain, err := certcheck.Parse([]byte(pem))
	if err != nil {
		return certResult{}, fmt.Errorf("certificate: %v", err)
	}
	r, err := certcheck.Check(chain, host, now)
	if err != nil {
		return certResult{}, err
	}
	html, err := bridge.RenderComponent(templates.CertCheck(certview.New(r)))
	if err != nil {
		return certResult{}, err
	}
	return certResult{HTML: html, Result: r}, nil
}

//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall/js"
	"time"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/templates"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// The domain report page's functions, domain and parseDomains: form is
// the JSON (string or object) of check.DomainOptions.

// domainResult is what domain resolves to.
type domainResult struct {
	HTML string `json:"html"`
	// Query is the page's share link, "?domains=…&doh=…".
	Query string `json:"query"`
	// JSON is the reports as sipdisco domain --json prints them: an
	// array, one object per domain in the order given.
	JSON string `json:"json"`
}

// domainParallel bounds the domains asked at once.
const domainParallel = 4

func domainFunc(ctx context.Context, args []js.Value) (any, error) {
	s, err := bridge.StringArg(args, 0, "domain form")
	if err != nil {
		return nil, err
	}
	var v check.DomainOptions
	if err := bridge.DecodeJSON(s, "domain form", &v); err != nil {
		return nil, err
	}
	if v.DoH == "" {
		return nil, errors.New("choose a DNS resolver")
	}
	domains, err := v.List()
	if err != nil {
		return nil, err
	}
	o := v.Options()
	if _, err := bridge.DoH(o); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, bridge.CheckTimeout)
	defer cancel()
	tool := bridge.Tool()
	now := time.Now().UTC().Format(time.RFC3339)
	reports := make([]*domainreport.Report, len(domains))
	errs := make([]error, len(domains))
	sem := make(chan struct{}, domainParallel)
	var wg sync.WaitGroup
	for i, d := range domains {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("internal error in the analyzer: %v", r)
				}
			}()
			sem <- struct{}{}
			defer func() { <-sem }()
			// One resolver, so one check, per domain: sipdisco serve
			// --upstream answers an SRV target's address only to the
			// check of the domain whose SRV answer named it.
			res, err := bridge.DoH(o)
			if err != nil {
				errs[i] = err
				return
			}
			cfg := engine.Config{Resolver: res, View: o.ViewOf(engine.ResolverInfo{}, d), Now: time.Now} // no Rand: reproducible (ADR 0023)
			rep, err := domainreport.Check(ctx, d, cfg)
			if err != nil {
				errs[i] = fmt.Errorf("%s: %v", d, err)
				return
			}
			rep.Tool, rep.CheckedAt = &tool, now
			reports[i] = rep
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	html, err := bridge.RenderComponent(templates.DomainResult(templates.NewDomainResultView(reports, o.Resolver.String())))
	if err != nil {
		return nil, err
	}
	var j strings.Builder
	enc := json.NewEncoder(&j)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(reports); err != nil {
		return nil, err
	}
	v.Domains = domains
	return domainResult{HTML: html, Query: v.Query(), JSON: j.String()}, nil
}

// domainQueryResult is what parseDomains resolves to.
type domainQueryResult struct {
	Found bool                `json:"found"`
	Form  check.DomainOptions `json:"form"`
}

func parseDomains(ctx context.Context, args []js.Value) (any, error) {
	q, err := bridge.StringArg(args, 0, "query string")
	if err != nil {
		return nil, err
	}
	v, ok, err := check.ParseDomainQuery(q)
	if err != nil {
		return nil, err
	}
	return domainQueryResult{Found: ok, Form: v}, nil
}

//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

// TestRenderProbe: what sipdisco check --connect --json prints for one
// address renders in this module with what the servers answered, escaped, and so does a
// snapshot that carries it.
func TestRenderProbe(t *testing.T) {
	render := func(ctx context.Context, args []js.Value) (any, error) { return bridge.Render(ctx, args, nil) }
	decodeShare := func(ctx context.Context, args []js.Value) (any, error) { return bridge.DecodeShare(ctx, args, nil) }
	const cli = `[{"tool":{"name":"sipdisco","version":"1.2.0"},"checkedAt":"2026-11-25T14:00:00Z","uri":"sip:bob@contoso.com","domain":"contoso.com",
	"profile":"communicator-2007-r2","policy":{"strictNaming":false,"allowTCP":true,"manualInternal":"","manualExternal":""},"outcome":"fail","candidates":[],"steps":[],"findings":[],
	"probe":{"address":"sip:bob@contoso.com","client":"communicator-2007-r2","userAgent":"","started":"2026-11-25T14:00:00Z",
	"attempts":[{"host":"sip.contoso.com","port":5061,"transport":"TLS","source":"_sip._tls.contoso.com","reason":"discovered","connectMs":3,
	"response":{"startLine":"SIP/2.0 401 Unauthorized","status":401,"reason":"Unauthorized","headers":[{"name":"Server","value":"<script>alert(1)</script>"}],"contentLength":0,"server":"<script>alert(1)</script>"},
	"outcome":"answered","findings":[]}],"findings":[]}}]`
	out, err := call(t, render, cli)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	if !strings.Contains(out, `data-testid="probe"`) || strings.Contains(out, "<script>") || !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("render = %.600s", out)
	}
	var reports []engine.Report
	if err := json.Unmarshal([]byte(cli), &reports); err != nil {
		t.Fatal(err)
	}
	snap, err := snapshot.Encode(context.Background(), check.Snapshot{Report: &reports[0]})
	if err != nil {
		t.Fatal(err)
	}
	out, err = call(t, decodeShare, snap)
	if err != nil {
		t.Fatalf("decodeShare: %v", err)
	}
	if !strings.Contains(out, "What the real servers answered") {
		t.Errorf("decodeShare = %.300s", out)
	}
}

// TestRenderProbeRefusesBadProbe: the first module hands a report with an
// observation here without reading it; this module checks its shape and
// refuses one that is not well formed, naming the field.
func TestRenderProbeRefusesBadProbe(t *testing.T) {
	render := func(ctx context.Context, args []js.Value) (any, error) { return bridge.Render(ctx, args, nil) }
	const bad = `[{"uri":"sip:bob@contoso.com","domain":"contoso.com","profile":"communicator-2007-r2","outcome":"fail","probe":{"attempts":[{"transport":"TLS","outcome":"teleported"}]}}]`
	if _, err := call(t, render, bad); err == nil || !strings.Contains(err.Error(), "bad report: probe: attempts[0].outcome") {
		t.Errorf("render of a report with a bad probe: %v; want it refused, naming attempts[0].outcome", err)
	}
}

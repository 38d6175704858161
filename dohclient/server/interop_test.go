//go:build !js

package server

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
)

// TestInteropCurlHandler checks NewHandler against an independent DoH
// client: curl's --doh-url (curl 7.62 or later, Debian package "curl")
// resolves a host name through the handler and fetches a page from the
// address it got.
func TestInteropCurlHandler(t *testing.T) {
	bin := dnstest.NeedBinary(t, "curl", "curl", "SIPDISCO_CURL")
	var mu sync.Mutex
	var asked []engine.Question
	zone := engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		mu.Lock()
		asked = append(asked, q)
		mu.Unlock()
		switch {
		case q == engine.Question{Name: "sip.contoso.example", Type: engine.TypeA}:
			return engine.Answer{Records: []engine.Record{{Name: q.Name, Type: engine.TypeA, TTL: 60, Addr: netip.MustParseAddr("127.0.0.1")}}}, nil
		case q.Name == "sip.contoso.example":
			return engine.Answer{}, nil // NODATA for AAAA
		}
		return engine.Answer{RCode: engine.RCodeNameError}, nil
	})
	doh := httptest.NewUnstartedServer(NewHandler(zone, HandlerOptions{Timeout: 5 * time.Second}))
	doh.EnableHTTP2 = true
	doh.StartTLS()
	defer doh.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: doh.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s", r.Host)
	}))
	defer web.Close()
	_, port, _ := net.SplitHostPort(web.Listener.Addr().String())

	curl := func(host string) (string, int) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "--silent", "--show-error", "--max-time", "10", "--noproxy", "*",
			"--doh-url", doh.URL+"/dns-query", "--cacert", caFile,
			"http://"+net.JoinHostPort(host, port)+"/")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			return stderr.String(), ee.ExitCode()
		case err != nil:
			t.Fatalf("running curl: %v", err)
		}
		return string(out), 0
	}

	if out, code := curl("sip.contoso.example"); code != 0 || out != "hello from sip.contoso.example:"+port {
		t.Errorf("curl via our DoH handler: exit %d, output %q; want 0 and the page", code, out)
	}
	// curl exits 6, "Couldn't resolve host", on NXDOMAIN.
	if out, code := curl("nx.contoso.example"); code != 6 {
		t.Errorf("curl for an NXDOMAIN name: exit %d, output %q; want 6 (could not resolve host)", code, out)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(asked, engine.Question{Name: "sip.contoso.example", Type: engine.TypeA}) ||
		!slices.Contains(asked, engine.Question{Name: "nx.contoso.example", Type: engine.TypeA}) {
		t.Errorf("the handler's resolver was asked %v; want the A questions for both names", asked)
	}
}

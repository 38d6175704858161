//go:build !js

package zone

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"golang.org/x/tools/txtar"

	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// agreeCase is one set of zones and the checks to run against it both
// ways.
type agreeCase struct {
	name  string
	set   *Set
	runs  []agreeRun
	fails map[engine.Question]string // resolver errors, client side
}

// agreeRun is one discovery: an address and a configuration.
type agreeRun struct {
	uri     string
	profile string
	policy  engine.Policy
	view    engine.View
}

// TestZoneAndDoHAgree is the property that "sipdisco check --zone" and
// "sipdisco serve --zone" + "check --doh" must share: for every test zone
// (this package's, the demo zones, the engine's scenario zones, and
// generated zones of 1,002 SRV records and of an answer too large for any
// DNS message), discovery through the in-memory Set and discovery through
// NewHandler(set) and the DoH Client over loopback HTTP give the same
// report, for every profile and policy, for the zone's own sign-in domain
// and for every other owner name that is a valid sign-in domain.
//
// miekg/dns's reading of the same replies (miekgDoH, what the command
// line's client was before dohclient's own reader replaced it) is a third
// way: it must give the same reports as dohclient's Client.
//
// The one difference allowed is the source an error names: the Client's
// errors start with "dohclient: ENDPOINT: ", the rest of the text must be
// the same.
func TestZoneAndDoHAgree(t *testing.T) {
	cases := append(agreeLocalZones(t), agreeDemoZones(t))
	cases = append(cases, agreeScenarioZones(t)...)
	cases = append(cases, agreeGeneratedZones(t)...)
	runs := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(server.NewHandler(c.set, server.HandlerOptions{Authoritative: true}))
			defer srv.Close()
			endpoint := srv.URL + "/dns-query"
			client, err := dohclient.New(endpoint, dohclient.HTTPRoundTrip(srv.Client()))
			if err != nil {
				t.Fatal(err)
			}
			ways := map[string]engine.Resolver{"zone": c.set, "doh": client, "miekg": miekgDoH(endpoint, srv.Client())}
			for i, r := range c.runs {
				// Under the race detector (make test-race), every
				// fourth discovery: the property is checked whole
				// without it (make test-go); the race detector needs
				// the handler and the clients under load, not every
				// case again ten times slower.
				if raceDetector && i%4 != 0 {
					continue
				}
				u, err := engine.ParseURI(r.uri)
				if err != nil {
					t.Fatalf("ParseURI(%q): %v", r.uri, err)
				}
				reports := map[string]string{}
				for way, res := range ways {
					rep, err := engine.Discover(context.Background(), u, engine.Config{
						Profile: r.profile, Policy: r.policy, Resolver: failing(res, c.fails), View: r.view,
					})
					if err != nil {
						t.Fatalf("%s: Discover(%q): %v", way, r.uri, err)
					}
					b, err := json.MarshalIndent(rep, "", " ")
					if err != nil {
						t.Fatal(err)
					}
					reports[way] = strings.ReplaceAll(string(b), "dohclient: "+endpoint+": ", "")
				}
				if reports["zone"] != reports["doh"] {
					t.Errorf("%s, profile %s, %+v: the zone and DoH reports differ:\n%s", r.uri, r.profile, r.policy, lineDiff(reports["zone"], reports["doh"]))
				}
				if reports["miekg"] != reports["doh"] {
					t.Errorf("%s, profile %s, %+v: the DoH reports read by miekg/dns and by dohclient differ:\n%s", r.uri, r.profile, r.policy, lineDiff(reports["doh"], reports["miekg"]))
				}
				runs++
			}
		})
	}
	t.Logf("%d zone sets, %d discoveries each way", len(cases), runs)
}

// miekgDoH is a DoH client that reads the replies with miekg/dns: the
// query dohclient sends, the reply unpacked whole and checked
// (wire.CheckCounts, wire.CheckReply), a truncated one failed with the
// error dohclient gives.
func miekgDoH(endpoint string, hc *http.Client) engine.Resolver {
	return engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		query := wire.QuestionMsg(q)
		packed, err := wire.Pad(query, dohclient.QueryPadBlock)
		if err != nil {
			return engine.Answer{}, err
		}
		req, err := http.NewRequestWithContext(ctx, "GET", endpoint+"?dns="+base64.RawURLEncoding.EncodeToString(packed), nil)
		if err != nil {
			return engine.Answer{}, err
		}
		req.Header.Set("Accept", dohclient.MediaType)
		resp, err := hc.Do(req)
		if err != nil {
			return engine.Answer{}, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return engine.Answer{}, err
		}
		fail := func(why string, err error) error {
			return &dohclient.ResponseError{Endpoint: endpoint, Status: resp.StatusCode, Reason: why, Err: err}
		}
		m := new(dns.Msg)
		if err := m.Unpack(body); err != nil {
			return engine.Answer{}, fail(err.Error(), err)
		}
		if why := wire.CheckCounts(m, body); why != "" {
			return engine.Answer{}, fail(why, nil)
		}
		if why := wire.CheckReply(query, m); why != "" {
			return engine.Answer{}, fail(why, nil)
		}
		if m.Truncated {
			te := &dohclient.TruncatedError{Answer: wire.ToAnswer(m), Sent: len(m.Answer)}
			return engine.Answer{}, fail(te.Error(), te)
		}
		return wire.ToAnswer(m), nil
	})
}

// failing wraps r so that the questions in fails get an error: a failure
// of the transport, made on the client's side of both ways.
func failing(r engine.Resolver, fails map[engine.Question]string) engine.Resolver {
	if len(fails) == 0 {
		return r
	}
	return engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		if msg, ok := fails[q]; ok {
			return engine.Answer{}, errors.New(msg)
		}
		return r.Resolve(ctx, q)
	})
}

// lineDiff returns the first lines where a and b differ, with context.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		x, y := "", ""
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  zone: %s\n  doh:  %s", i+1, x, y)
		}
	}
	return "(no line differs)"
}

// everyConfig returns runs of uri for every profile under the default,
// strict and no-TCP policies.
func everyConfig(uri string) []agreeRun {
	policies := []engine.Policy{
		engine.DefaultPolicy(),
		{StrictNaming: true, AllowTCP: true},
		{AllowTCP: false},
	}
	var out []agreeRun
	for _, p := range engine.Profiles() {
		for _, pol := range policies {
			out = append(out, agreeRun{uri: uri, profile: p.Name, policy: pol})
		}
	}
	return out
}

// ownerRuns returns a default-configuration run for every owner name in s
// that is a valid sign-in domain other than the zones' origins.
func ownerRuns(s *Set) []agreeRun {
	var out []agreeRun
	for _, z := range s.zones {
		var names []string
		for n := range z.names {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			d := wire.EngineName(n)
			if n == z.origin {
				continue
			}
			if _, err := engine.ParseURI("bob@" + d); err == nil {
				out = append(out, agreeRun{uri: "bob@" + d, policy: engine.DefaultPolicy()})
			}
		}
	}
	return out
}

func agreeLocalZones(t *testing.T) []agreeCase {
	s := testSet(t)
	runs := append(everyConfig("bob@contoso.com"), everyConfig("bob@eu.contoso.com")...)
	return []agreeCase{{name: "contoso.com and eu.contoso.com", set: s, runs: append(runs, ownerRuns(s)...)}}
}

func agreeDemoZones(t *testing.T) agreeCase {
	s, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	var runs []agreeRun
	for _, sc := range demo.Scenarios() {
		runs = append(runs, everyConfig(sc.Try)...)
	}
	return agreeCase{name: "demo zones", set: s, runs: append(runs, ownerRuns(s)...)}
}

// agreeScenarioZones loads the zones and inputs of the engine's scenario
// files (engine/testdata/scenarios, read as TestScenarios reads them).
func agreeScenarioZones(t *testing.T) []agreeCase {
	files, err := filepath.Glob("../../engine/testdata/scenarios/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files found: %v", err)
	}
	var out []agreeCase
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ar := txtar.Parse(data)
		c := agreeCase{name: "scenario " + strings.TrimSuffix(filepath.Base(file), ".txtar"), set: new(Set), fails: map[engine.Question]string{}}
		run := agreeRun{policy: engine.DefaultPolicy()}
		for _, f := range ar.Files {
			if f.Name == "input" {
				parseScenarioInput(t, file, string(f.Data), &run, c.fails)
			}
		}
		u, err := engine.ParseURI(run.uri)
		if err != nil {
			t.Fatalf("%s: uri: %v", file, err)
		}
		for _, f := range ar.Files {
			origin, ok := strings.CutPrefix(f.Name, "zone")
			if !ok {
				continue
			}
			if origin = strings.TrimSpace(origin); origin == "" {
				origin = u.Domain
			}
			if err := c.set.Add(origin, string(f.Data), f.Name); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
		}
		c.runs = append(append([]agreeRun{run}, everyConfig(run.uri)...), ownerRuns(c.set)...)
		out = append(out, c)
	}
	return out
}

// parseScenarioInput reads the "key: value" lines of a scenario's input.
func parseScenarioInput(t *testing.T, file, text string, run *agreeRun, fails map[engine.Question]string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, _ := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(key) {
		case "uri":
			run.uri = val
		case "profile":
			run.profile = val
		case "strict":
			run.policy.StrictNaming = val == "true"
		case "tcp":
			run.policy.AllowTCP = val == "true"
		case "manual-internal":
			run.policy.ManualInternal = val
		case "manual-external":
			run.policy.ManualExternal = val
		case "trusted":
			run.policy.TrustedDomains = strings.Split(val, ",")
		case "view":
			v, err := engine.ParseView(val)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			run.view = v
		case "error", "fixable-error":
			// A fixable error (one with a Fix method) fails the lookup
			// the same way on both paths; its text is before " || ".
			f := strings.SplitN(val, " ", 3)
			if len(f) != 3 {
				t.Fatalf("%s: bad error line %q", file, line)
			}
			ty, err := engine.ParseType(f[1])
			if err != nil {
				t.Fatalf("%s: bad error line %q", file, line)
			}
			msg, _, _ := strings.Cut(f[2], " || ")
			fails[engine.Question{Name: f[0], Type: ty}] = msg
		default:
			t.Fatalf("%s: unknown input key %q", file, key)
		}
	}
}

// agreeGeneratedZones returns two generated zones: gen.example with 1,002
// SRV records at _sipinternaltls._tcp (the reply that overflowed before
// compression, which must now connect both ways), and a zone under a long
// origin whose 1,900 SRV records cannot fit in any DNS message (both ways
// must fail the lookup for the same reason).
func agreeGeneratedZones(t *testing.T) []agreeCase {
	var b strings.Builder
	b.WriteString("$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.53\n")
	for i := range 1002 {
		fmt.Fprintf(&b, "_sipinternaltls._tcp SRV %d %d %d pool%d\n", i%4, i%7, 5061+i, i%5)
	}
	for i := range 5 {
		fmt.Fprintf(&b, "pool%d A 192.0.2.%d\n", i, 10+i)
	}
	b.WriteString("_sip._tls SRV 0 0 443 sip\nsip A 203.0.113.5\n")
	gen, err := Parse("gen.example", b.String(), "gen.zone")
	if err != nil {
		t.Fatal(err)
	}
	q := engine.Question{Name: "_sipinternaltls._tcp.gen.example", Type: engine.TypeSRV}
	if a, err := gen.Resolve(context.Background(), q); err != nil || len(a.Records) != 1002 {
		t.Fatalf("gen.example: %s has %d records, %v; want 1002", q, len(a.Records), err)
	}

	long := strings.Repeat("l", 60) + "." + strings.Repeat("m", 60) + "." + strings.Repeat("n", 60) + ".big.example"
	b.Reset()
	b.WriteString("$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.53\nsip A 192.0.2.10\n")
	b.WriteString("_sipinternaltls._tcp SRV 0 0 5060 sip\n")
	for i := range 1900 {
		fmt.Fprintf(&b, " SRV 0 %d %d sip\n", i%100, 5061+i) // the owner above
	}
	big, err := Parse(long, b.String(), "big.zone")
	if err != nil {
		t.Fatal(err)
	}
	q = engine.Question{Name: "_sipinternaltls._tcp." + long, Type: engine.TypeSRV}
	if _, err := big.Resolve(context.Background(), q); !errors.Is(err, dohclient.ErrTruncated) {
		t.Fatalf("big zone: %s = %v; want ErrTruncated", q, err)
	}
	return []agreeCase{
		{name: "1,002 SRV records", set: gen, runs: everyConfig("bob@gen.example")},
		{name: "an answer too large for DNS", set: big, runs: everyConfig("bob@" + long)},
	}
}

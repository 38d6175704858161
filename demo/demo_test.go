package demo

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// expectRE is the grammar of Scenario.Expect.
var expectRE = regexp.MustCompile(`^(connect( [a-z0-9.-]+:[0-9]+ (TLS|TCP))?|fail|indeterminate)$`)

func TestScenarios(t *testing.T) {
	all := Scenarios()
	if len(all) < 12 {
		t.Errorf("len(Scenarios()) = %d; want at least 12", len(all))
	}
	if all[0].Name != "healthy" {
		t.Errorf("Scenarios()[0].Name = %q; want healthy", all[0].Name)
	}
	if !slices.IsSortedFunc(all[1:], func(a, b Scenario) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("Scenarios()[1:] are not in name order")
	}
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			if s.Domain != s.Name+".example" || s.Try != "bob@"+s.Domain {
				t.Errorf("Domain, Try = %q, %q; want %q, %q", s.Domain, s.Try, s.Name+".example", "bob@"+s.Name+".example")
			}
			if strings.ContainsAny(s.Description, "\n\r") || !strings.HasSuffix(s.Description, ".") {
				t.Errorf("Description %q: want one line ending in a full stop", s.Description)
			}
			if !expectRE.MatchString(s.Expect) {
				t.Errorf("Expect %q does not match %s", s.Expect, expectRE)
			}
			for _, want := range []string{"\n$ORIGIN " + s.Domain + ".\n", "\n$TTL ", " SOA ", " NS "} {
				if !strings.Contains(s.Zone, want) {
					t.Errorf("zone text lacks %q", want)
				}
			}
		})
	}
}

// TestExpectFor: a profile's own line wins, the others take Expect, and
// each outcome follows the grammar.
func TestExpectFor(t *testing.T) {
	s, err := parseFile("x.example.zone", "; sipdisco-demo: X.\n; sipdisco-expect: fail\n; sipdisco-expect lync-2013: connect sip.x.example:5061 TLS\n; sipdisco-view: outside\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ExpectFor("lync-2013"); got != "connect sip.x.example:5061 TLS" {
		t.Errorf("ExpectFor(lync-2013) = %q", got)
	}
	if got := s.ExpectFor("lync-2010"); got != "fail" {
		t.Errorf("ExpectFor(lync-2010) = %q; want fail", got)
	}
	if s.View != "outside" {
		t.Errorf("View = %q; want outside", s.View)
	}
	for _, sc := range Scenarios() {
		for p, e := range sc.Profiles {
			if !expectRE.MatchString(e) {
				t.Errorf("%s: outcome of %s %q does not match %s", sc.Name, p, e, expectRE)
			}
		}
	}
}

// TestDescriptionsNameTheClients: where the outcome depends on the client
// (a "; sipdisco-expect PROFILE:" line), the description the demo list
// shows says which clients do what, so that it cannot state one client's
// outcome as every client's.
func TestDescriptionsNameTheClients(t *testing.T) {
	for _, sc := range Scenarios() {
		if len(sc.Profiles) == 0 {
			continue
		}
		if !strings.Contains(sc.Description, "Communicator") || !strings.Contains(sc.Description, "Lync") {
			t.Errorf("%s: outcomes differ by client (%v), but the description %q does not name Communicator and Lync", sc.Name, sc.Profiles, sc.Description)
		}
	}
}

func TestScenariosCopy(t *testing.T) {
	a := Scenarios()
	a[0].Name = "changed"
	if Scenarios()[0].Name != "healthy" {
		t.Errorf("modifying the result of Scenarios changed the next result")
	}
}

func TestParseBadFiles(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"no description", "$ORIGIN x.example.\n",
			`demo: x.example.zone:1: the first line must be "; sipdisco-demo: " followed by a description`},
		{"empty description", "; sipdisco-demo:   \n; sipdisco-expect: fail\n",
			`demo: x.example.zone:1: the first line must be "; sipdisco-demo: " followed by a description`},
		{"no expectation", "; sipdisco-demo: X.\n$ORIGIN x.example.\n",
			`demo: x.example.zone:2: the second line must be "; sipdisco-expect: " followed by the expected outcome`},
		{"bad view", "; sipdisco-demo: X.\n; sipdisco-expect: fail\n; sipdisco-view: sideways\n",
			`demo: x.example.zone:3: "; sipdisco-view:" must be followed by inside or outside`},
		{"unknown profile", "; sipdisco-demo: X.\n; sipdisco-expect: fail\n; sipdisco-expect lync-2099: fail\n",
			`demo: x.example.zone:3: "; sipdisco-expect " must be followed by a client profile's name, a colon and its outcome`},
		{"second outcome", "; sipdisco-demo: X.\n; sipdisco-expect: fail\n; sipdisco-expect lync-2013: fail\n; sipdisco-expect lync-2013: connect\n",
			`demo: x.example.zone:4: a second outcome for lync-2013`},
		{"bad view after profiles", "; sipdisco-demo: X.\n; sipdisco-expect: fail\n; sipdisco-expect lync-2013: fail\n; sipdisco-view: sideways\n",
			`demo: x.example.zone:4: "; sipdisco-view:" must be followed by inside or outside`},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{"zones/x.example.zone": {Data: []byte(tt.text)}}
		_, err := parse(fsys)
		if diff := cmp.Diff(errString(err), tt.want); diff != "" {
			t.Errorf("%s: parse error mismatch (-got +want):\n%s", tt.name, diff)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

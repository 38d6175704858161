package engine

import (
	"strings"
	"testing"
)

// TestProfileAliases: the names people type find their client, whatever
// the case and punctuation, and every alias names a profile; a near miss
// gets a suggestion, "lync" alone (2010 or 2013?) does not guess.
func TestProfileAliases(t *testing.T) {
	for typed, want := range map[string]string{
		"sfb": "skype-2016", "Skype for Business": "skype-2016", "SfB_2019": "skype-2016",
		"lync2013": "lync-2013", "Lync 2013": "lync-2013", "sfb-2015": "lync-2013",
		"LYNC-2010": "lync-2010", "lync.2010": "lync-2010", "OC": "communicator-2007-r2",
		"ocs2007r2": "communicator-2007-r2", "oc2007": "communicator-2007", "lync-2010-cu": "lync-2010-cu",
	} {
		p, err := LookupProfile(typed)
		if err != nil || p.Name != want {
			t.Errorf("LookupProfile(%q) = %v, %v; want %s", typed, p, err, want)
		}
	}
	for _, a := range profileAliases {
		if _, err := LookupProfile(a.profile); err != nil {
			t.Errorf("alias target %s: %v", a.profile, err)
		}
		for _, n := range a.names {
			if n != aliasKey(n) {
				t.Errorf("alias %q is not in its compared form %q", n, aliasKey(n))
			}
		}
	}
	for typed, hint := range map[string]string{"skyp-2016": "did you mean skype-2016?", "lync": "", "comunicator-2007": "did you mean communicator-2007?"} {
		_, err := LookupProfile(typed)
		if err == nil {
			t.Fatalf("LookupProfile(%q) found a profile", typed)
		}
		if got := strings.Contains(err.Error(), "did you mean"); got != (hint != "") || hint != "" && !strings.Contains(err.Error(), hint) {
			t.Errorf("LookupProfile(%q): %v; want hint %q", typed, err, hint)
		}
	}
}

package engine

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSRVRandPerName: the order of one SRV name's records depends only
// on the discovery's first draw and the name, not on how many draws the
// discovery made for other names, so two clients' discoveries seeded
// alike (the at-a-glance rows) order the same answers alike even when
// one of them shuffled another name first; and across seeds the order
// still varies.
func TestSRVRandPerName(t *testing.T) {
	recs := []Record{srvRec(10, 60, "pool01"), srvRec(10, 20, "pool02"), srvRec(10, 20, "pool03")}
	const name = "_sipinternaltls._tcp.contoso.com"
	firsts := map[string]bool{}
	for seed := range uint64(50) {
		a := Config{Rand: rand.New(rand.NewPCG(seed, 9)).IntN}.withDefaults()
		b := Config{Rand: rand.New(rand.NewPCG(seed, 9)).IntN}.withDefaults()
		// b's client sorts another name first, drawing from b's source.
		SortSRV([]Record{srvRec(0, 1, "x"), srvRec(0, 1, "y"), srvRec(0, 1, "z")}, b.srvRand("_sip._tls.contoso.com"))
		b.Rand(7)
		got, want := targets(SortSRV(recs, b.srvRand(name))), targets(SortSRV(recs, a.srvRand(name)))
		if diff := cmp.Diff(got, want); diff != "" {
			t.Fatalf("seed %d: the order depends on other names' draws (-after +alone):\n%s", seed, diff)
		}
		firsts[got[0]] = true
	}
	if len(firsts) != 3 {
		t.Errorf("first records over 50 seeds: %v; want each of the three", firsts)
	}
}

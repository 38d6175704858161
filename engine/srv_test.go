package engine

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func srvRec(prio, weight uint16, target string) Record {
	return Record{Type: TypeSRV, Priority: prio, Weight: weight, Port: 5061, Target: target}
}

func targets(rs []Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Target)
	}
	return out
}

func TestSortSRVPriority(t *testing.T) {
	in := []Record{srvRec(20, 0, "c"), srvRec(10, 0, "a"), srvRec(30, 0, "d"), srvRec(10, 0, "b")}
	got := targets(SortSRV(in, func(int) int { panic("no weights, no randomness") }))
	if diff := cmp.Diff(got, []string{"a", "b", "c", "d"}); diff != "" {
		t.Errorf("SortSRV mismatch (-got +want):\n%s", diff)
	}
	if in[0].Target != "c" {
		t.Errorf("SortSRV modified its input")
	}
}

func TestSortSRVZeroWeightLast(t *testing.T) {
	in := []Record{srvRec(0, 0, "zero"), srvRec(0, 5, "five")}
	for i := range 50 {
		r := rand.New(rand.NewPCG(uint64(i), 0))
		if got := targets(SortSRV(in, r.IntN)); got[0] != "five" {
			t.Fatalf("SortSRV = %v; a zero-weight record must not come before a weighted one", got)
		}
	}
}

// TestSortSRVWeights checks the RFC 2782 distribution: within a priority,
// each record is first with probability weight/sum.
func TestSortSRVWeights(t *testing.T) {
	in := []Record{srvRec(0, 60, "a"), srvRec(0, 30, "b"), srvRec(0, 10, "c"), srvRec(1, 100, "z")}
	const n = 20000
	r := rand.New(rand.NewPCG(7, 7))
	first := map[string]int{}
	for range n {
		out := SortSRV(in, r.IntN)
		first[out[0].Target]++
		if out[3].Target != "z" {
			t.Fatalf("SortSRV = %v; priority 1 must come last", targets(out))
		}
	}
	for target, weight := range map[string]float64{"a": 0.6, "b": 0.3, "c": 0.1} {
		got := float64(first[target]) / n
		// 5 standard deviations of a binomial proportion.
		tol := 5 * math.Sqrt(weight*(1-weight)/n)
		if math.Abs(got-weight) > tol {
			t.Errorf("%s first in %.3f of orderings; want %.2f ± %.3f", target, got, weight, tol)
		}
	}
}

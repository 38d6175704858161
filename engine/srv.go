package engine

import "slices"

// SortSRV returns the SRV records in the order RFC 2782 ("Usage rules")
// tells a client to try them: ascending priority, and within one priority
// a weighted random order where each record's chance of coming next is
// proportional to its weight. randIntn returns a uniform int in [0, n); it
// is passed in so that callers (and tests) control the randomness. The
// input is not modified.
//
// The weighted selection follows the same scheme as the Go standard
// library's net/dnsclient.go: repeatedly pick a running-sum threshold in
// [0, sum) and move the first record whose running sum exceeds it to the
// front. Zero-weight records come last within their priority, in the order
// given, since they have no chance while a weighted one remains.
func SortSRV(records []Record, randIntn func(int) int) []Record {
	out := slices.Clone(records)
	slices.SortStableFunc(out, func(a, b Record) int { return int(a.Priority) - int(b.Priority) })
	for start := 0; start < len(out); {
		end := start + 1
		for end < len(out) && out[end].Priority == out[start].Priority {
			end++
		}
		shuffleByWeight(out[start:end], randIntn)
		start = end
	}
	return out
}

func shuffleByWeight(group []Record, randIntn func(int) int) {
	sum := 0
	for _, r := range group {
		sum += int(r.Weight)
	}
	for sum > 0 && len(group) > 1 {
		threshold := randIntn(sum)
		running := 0
		for i := range group {
			running += int(group[i].Weight)
			if running > threshold {
				// Move the pick to the front, keeping the rest in order.
				pick := group[i]
				copy(group[1:i+1], group[:i])
				group[0] = pick
				break
			}
		}
		sum -= int(group[0].Weight)
		group = group[1:]
	}
}

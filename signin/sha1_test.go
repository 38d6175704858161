package signin

import (
	"crypto/sha1"
	"math/rand/v2"
	"testing"
)

// TestSHA1 holds sha1Sum to crypto/sha1 on every length around the block
// boundaries and on random inputs split at random places.
func TestSHA1(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		cut := 0
		if n > 0 {
			cut = r.IntN(n + 1)
		}
		if got, want := sha1Sum(b[:cut], b[cut:]), sha1.Sum(b); got != want {
			t.Fatalf("%d bytes: sha1Sum = %x; crypto/sha1 says %x", n, got, want)
		}
	}
}

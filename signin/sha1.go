package signin

import (
	"encoding/binary"
	"math/bits"
)

// sha1Sum returns the SHA-1 digest (FIPS 180-4 §6.1) of the parts joined.
// The name-based UUID of [MS-SIPRE] §3.3.3 is the only use, and it needs
// no security from the hash; written here because crypto/sha1 brings the
// FIPS 140 module's initialisation (its DRBG, AES and the self-test
// tables) into the browser's first WebAssembly module, about 100 KB
// brotli (docs/adr/0005-wasm-size.md). TestSHA1 holds it to crypto/sha1.
func sha1Sum(parts ...[]byte) [20]byte {
	var msg []byte
	for _, p := range parts {
		msg = append(msg, p...)
	}
	n := uint64(len(msg)) * 8
	msg = append(msg, 0x80)
	for len(msg)%64 != 56 {
		msg = append(msg, 0)
	}
	msg = binary.BigEndian.AppendUint64(msg, n)
	h := [5]uint32{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}
	var w [80]uint32
	for ; len(msg) > 0; msg = msg[64:] {
		for i := 0; i < 16; i++ {
			w[i] = binary.BigEndian.Uint32(msg[4*i:])
		}
		for i := 16; i < 80; i++ {
			w[i] = bits.RotateLeft32(w[i-3]^w[i-8]^w[i-14]^w[i-16], 1)
		}
		a, b, c, d, e := h[0], h[1], h[2], h[3], h[4]
		for i := 0; i < 80; i++ {
			var f, k uint32
			switch {
			case i < 20:
				f, k = b&c|^b&d, 0x5A827999
			case i < 40:
				f, k = b^c^d, 0x6ED9EBA1
			case i < 60:
				f, k = b&c|b&d|c&d, 0x8F1BBCDC
			default:
				f, k = b^c^d, 0xCA62C1D6
			}
			a, b, c, d, e = bits.RotateLeft32(a, 5)+f+e+k+w[i], a, bits.RotateLeft32(b, 30), c, d
		}
		h[0] += a
		h[1] += b
		h[2] += c
		h[3] += d
		h[4] += e
	}
	var out [20]byte
	for i, v := range h {
		binary.BigEndian.PutUint32(out[4*i:], v)
	}
	return out
}

package eku

import (
	"math/rand/v2"
	"testing"
)

// TestValidOIDShort compares the OID check of the fast path with validOID
// on every string of up to 6 bytes over an alphabet of the bytes that matter
// (arc ends, continuation bytes, 0x80) and on longer ones: validOIDShort may
// only accept what validOID accepts, and must accept every valid OID whose
// arcs have at most four bytes.
func TestValidOIDShort(t *testing.T) {
	alphabet := []byte{0x00, 0x01, 0x2b, 0x7f, 0x80, 0x81, 0xff}
	var checked, accepted int
	var try func(oid []byte)
	check := func(oid []byte) {
		got := validOIDShort(oid)
		want := validOID(oid)
		short := want && maxArcLen(oid) <= 4
		if got && !want || short && !got {
			t.Fatalf("validOIDShort(% x) = %v; validOID = %v, longest arc %d bytes", oid, got, want, maxArcLen(oid))
		}
		checked++
		if got {
			accepted++
		}
	}
	try = func(oid []byte) {
		check(oid)
		if len(oid) == 6 {
			return
		}
		for _, c := range alphabet {
			try(append(oid, c))
		}
	}
	try(nil)
	// Longer OIDs: a valid prefix repeated up to 17 bytes.
	for n := 1; n <= 17; n++ {
		oid := make([]byte, n)
		for i := range oid {
			oid[i] = []byte{0x81, 0x82, 0x03}[i%3]
		}
		check(oid)
	}
	// Lengths 7 to 16 (the word-at-a-time check, one or two words, and the
	// byte loop beyond 12 bytes): random strings over the alphabet, in a
	// slice with and without capacity beyond the OID.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300000 {
		n := 7 + rng.IntN(10)
		buf := make([]byte, n, n+rng.IntN(9))
		for i := range buf {
			buf[i] = alphabet[rng.IntN(len(alphabet))]
		}
		check(buf)
		buf = append(buf[:n:n], 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)[:n] // bytes after the OID that must not count
		check(buf)
	}
	t.Logf("%d OIDs checked, %d accepted", checked, accepted)
}

// maxArcLen returns the number of bytes of the longest arc of oid.
func maxArcLen(oid []byte) int {
	longest, run := 0, 0
	for _, c := range oid {
		run++
		if c < 0x80 {
			longest, run = max(longest, run), 0
		}
	}
	return max(longest, run)
}

// TestCommonOID: every OID commonOID accepts without a validity check is
// valid, and it accepts the extnIDs it names (AIA, the SCT list).
func TestCommonOID(t *testing.T) {
	accepted := 0
	for _, prefix := range [][]byte{
		{0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01},             // id-pe
		{0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04}, // 1.3.6.1.4.1.11129.2.4
		{0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03},             // id-kp: not an extnID family here
	} {
		for x := range 256 {
			oid := append(append([]byte{}, prefix...), byte(x))
			if !commonOID(oid) {
				continue
			}
			accepted++
			if !validOID(oid) {
				t.Errorf("commonOID accepts the invalid OID % x", oid)
			}
		}
	}
	if accepted != 256 {
		t.Errorf("commonOID accepted %d OIDs, want 256 (id-pe.0-127 and 1.3.6.1.4.1.11129.2.4.0-127)", accepted)
	}
	for _, oid := range [][]byte{
		{0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01},             // authorityInfoAccess
		{0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02}, // SCT list
	} {
		if !commonOID(oid) {
			t.Errorf("commonOID(% x) = false", oid)
		}
	}
}

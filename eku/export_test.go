package eku

// ParseFastForTest runs only the fast path of Parse.
func ParseFastForTest(der []byte) (Set, bool) { return parseFast(der) }

// ParseSlowForTest runs only the reference (cryptobyte) parser of Parse.
func ParseSlowForTest(der []byte) (Set, error) { return parseSlow(der) }

// SameSet reports whether a and b are identical, down to the position of Raw
// in the parsed input.
func SameSet(a, b Set) bool {
	return a.known == b.known && a.seq == b.seq && a.meta == b.meta
}

// ParsePEMReferenceForTest is ParsePEM on the reference path: every block
// decoded whole by decodeBase64, no sparse decoding.
func ParsePEMReferenceForTest(bundle, buf []byte, sets []Set) ([]Set, []byte, error) {
	sc := ScanPEM(bundle, buf)
	sc.ref = true
	return sc.parseAll(sets)
}

// ScanPEMReferenceForTest is ScanPEM on the reference path.
func ScanPEMReferenceForTest(bundle, buf []byte) PEMScanner {
	sc := ScanPEM(bundle, buf)
	sc.ref = true
	return sc
}

// ParsePEMSparseForTest is ParsePEM that also returns how many
// certificates were parsed from their sparse decoding.
func ParsePEMSparseForTest(bundle, buf []byte, sets []Set) ([]Set, int, error) {
	sc := ScanPEM(bundle, buf)
	sets, _, err := sc.parseAll(sets)
	return sets, sc.sparse, err
}

// B64LineValidForTest reports whether the 64 bytes of line are all base64
// alphabet characters, by the word-at-a-time check.
func B64LineValidForTest(line []byte) bool {
	good, or := b64Line((*[64]byte)(line))
	return (^good|or)&lanes80 == 0
}

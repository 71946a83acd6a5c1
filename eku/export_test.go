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

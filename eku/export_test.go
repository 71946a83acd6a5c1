package eku

// ParseFastForTest runs only the fast path of Parse.
func ParseFastForTest(der []byte) (Set, bool) {
	var s Set
	ok := parseFast(&s, der)
	return s, ok
}

// ParseSlowForTest runs only the reference (cryptobyte) parser of Parse.
func ParseSlowForTest(der []byte) (Set, error) { return parseSlow(der) }

// SameSet reports whether a and b are identical, down to the position of Raw
// in the parsed input.
func SameSet(a, b Set) bool {
	return a.known == b.known && a.count == b.count && a.unknown == b.unknown && a.ku == b.ku && a.flags == b.flags &&
		(a.raw == nil) == (b.raw == nil) && len(a.raw) == len(b.raw) && cap(a.raw) == cap(b.raw)
}

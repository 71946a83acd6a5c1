package eku

import "math/bits"

// PurposeSet is a set of known purposes, a bitset indexed by [Purpose].
// The zero value is the empty set.
type PurposeSet struct {
	// Two words, not an array: the compiler keeps a struct in registers
	// only without arrays of two or more elements (see [Set]).
	lo, hi uint64
}

// PurposeSetOf returns the set of the known purposes ps. Unknown and
// out-of-range values are ignored.
func PurposeSetOf(ps ...Purpose) PurposeSet {
	var s PurposeSet
	for _, p := range ps {
		s.add(p)
	}
	return s
}

func (s *PurposeSet) add(p Purpose) {
	switch {
	case !p.Known():
	case p < 64:
		s.lo |= 1 << p
	default:
		s.hi |= 1 << (p & 63)
	}
}

func (s *PurposeSet) remove(p Purpose) {
	if p < 64 {
		s.lo &^= 1 << p
	} else {
		s.hi &^= 1 << (p & 63)
	}
}

// words returns the bitset as words, Purpose p at bit p%64 of word p/64.
func (s PurposeSet) words() [2]uint64 { return [2]uint64{s.lo, s.hi} }

// Has reports whether p is in s. It is false for [Unknown].
func (s PurposeSet) Has(p Purpose) bool {
	// A shift by 64 or more gives 0, so exactly one word contributes.
	return p.Known() && (s.lo>>uint(p)|s.hi>>(uint(p)-64))&1 != 0
}

// Len returns the number of purposes in s.
func (s PurposeSet) Len() int { return bits.OnesCount64(s.lo) + bits.OnesCount64(s.hi) }

// IsEmpty reports whether s has no purpose.
func (s PurposeSet) IsEmpty() bool { return s.lo|s.hi == 0 }

// Intersect returns the purposes in both s and o.
func (s PurposeSet) Intersect(o PurposeSet) PurposeSet {
	return PurposeSet{s.lo & o.lo, s.hi & o.hi}
}

// Union returns the purposes in s or o.
func (s PurposeSet) Union(o PurposeSet) PurposeSet {
	return PurposeSet{s.lo | o.lo, s.hi | o.hi}
}

// AppendTo appends the purposes of s to dst in increasing Purpose order.
func (s PurposeSet) AppendTo(dst []Purpose) []Purpose {
	for w, word := range s.words() {
		for word != 0 {
			i := bits.TrailingZeros64(word)
			word &= word - 1
			dst = append(dst, Purpose(w*64+i))
		}
	}
	return dst
}

// AppendText appends the names of the purposes of s, in increasing Purpose
// order and separated by ", ", to dst.
func (s PurposeSet) AppendText(dst []byte) []byte {
	first := true
	for w, word := range s.words() {
		for word != 0 {
			i := bits.TrailingZeros64(word)
			word &= word - 1
			if !first {
				dst = append(dst, ", "...)
			}
			first = false
			dst = append(dst, Purpose(w*64+i).String()...)
		}
	}
	return dst
}

// String returns the names of the purposes, for example
// "serverAuth, clientAuth", or "none" for the empty set.
func (s PurposeSet) String() string {
	if s.IsEmpty() {
		return "none"
	}
	return string(s.AppendText(nil))
}

package eku

import "math/bits"

// PurposeSet is a set of known purposes, a bitset indexed by [Purpose].
// The zero value is the empty set.
type PurposeSet struct{ bits [2]uint64 }

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
	if p.Known() {
		s.bits[p>>6] |= 1 << (p & 63)
	}
}

// Has reports whether p is in s. It is false for [Unknown].
func (s PurposeSet) Has(p Purpose) bool {
	return p.Known() && s.bits[p>>6]&(1<<(p&63)) != 0
}

// Len returns the number of purposes in s.
func (s PurposeSet) Len() int { return bits.OnesCount64(s.bits[0]) + bits.OnesCount64(s.bits[1]) }

// IsEmpty reports whether s has no purpose.
func (s PurposeSet) IsEmpty() bool { return s.bits == [2]uint64{} }

// Intersect returns the purposes in both s and o.
func (s PurposeSet) Intersect(o PurposeSet) PurposeSet {
	return PurposeSet{[2]uint64{s.bits[0] & o.bits[0], s.bits[1] & o.bits[1]}}
}

// Union returns the purposes in s or o.
func (s PurposeSet) Union(o PurposeSet) PurposeSet {
	return PurposeSet{[2]uint64{s.bits[0] | o.bits[0], s.bits[1] | o.bits[1]}}
}

// AppendTo appends the purposes of s to dst in increasing Purpose order.
func (s PurposeSet) AppendTo(dst []Purpose) []Purpose {
	for w, word := range s.bits {
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
	for w, word := range s.bits {
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

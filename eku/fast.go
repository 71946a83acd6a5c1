package eku

import (
	"encoding/binary"
	"math/bits"
)

// This file holds the fast path of [Parse]. parseFast walks the same
// structure as the reference parser in parse.go (parseSlow, cryptobyte
// throughout) with a small header reader, but it only ever answers "done"
// for input that parseSlow accepts, and then with the same Set. Whenever it
// meets something it does not handle (any error, a length field of three or
// more bytes, a pathLenConstraint over 127, a duplicate extension, more than
// maxOtherExts extensions outside id-ce) it gives up and Parse runs
// parseSlow, which decides and produces the error kind and offset. So errors,
// offsets and every unusual encoding keep the behaviour of the cryptobyte
// parser; only the common, valid case is fast.
//
// TestFastAgreesWithSlow (benchmark shapes, generated certificates, hostile
// seeds, every single-byte mutation and truncation of the benchmark shapes),
// TestDifferential (every corpus certificate) and FuzzFastSlow check the
// contract: parseFast succeeds only where parseSlow succeeds, with an
// identical Set.

// elem reads the header of the DER element with tag that starts at der[i]
// and must end by lim (lim <= len(der)) if it has a short-form length, and
// returns the offsets of its contents, der[body:end]. For anything else it
// returns end < 0, and the caller tries elemAny. It is small enough to be
// inlined.
func elem(der []byte, i, lim int, tag byte) (body, end int) {
	if i+2 <= lim && der[i] == tag && der[i+1] < 0x80 && i+2+int(der[i+1]) <= lim {
		return i + 2, i + 2 + int(der[i+1])
	}
	return 0, -1
}

// elem82 is elem for the two-byte long form (0x82, no leading zero byte:
// lengths 256..65535, minimal), the form of the large elements of a typical
// certificate. It is small enough to be inlined.
func elem82(der []byte, i, lim int, tag byte) (body, end int) {
	if i+4 <= lim && der[i] == tag && der[i+1] == 0x82 && der[i+2] != 0 {
		if end = i + 4 + (int(der[i+2])<<8 | int(der[i+3])); end <= lim {
			return i + 4, end
		}
	}
	return 0, -1
}

// elemAny is elem for all lengths the fast path handles: the DER length forms
// cryptobyte accepts up to 65535 bytes: short form, 0x81 with a value of at
// least 128, 0x82 without a leading zero byte (all minimal). Anything else —
// longer lengths, non-minimal or indefinite lengths, a truncated element, a
// different tag — reports end < 0; the caller then leaves the decision to
// parseSlow. tag must be a low-tag-number tag (tag&0x1f != 0x1f), which
// cryptobyte requires of the input as well.
func elemAny(der []byte, i, lim int, tag byte) (body, end int) {
	if lim-i < 2 || der[i] != tag {
		return 0, -1
	}
	var n int
	switch {
	case der[i+1] < 0x80:
		n, body = int(der[i+1]), i+2
	case der[i+1] == 0x81 && lim-i >= 3 && der[i+2] >= 0x80:
		n, body = int(der[i+2]), i+3
	case der[i+1] == 0x82 && lim-i >= 4 && der[i+2] != 0:
		n, body = int(der[i+2])<<8|int(der[i+3]), i+4
	default:
		return 0, -1
	}
	if lim-body < n {
		return 0, -1
	}
	return body, body + n
}

// validOIDShort reports whether der is an OBJECT IDENTIFIER that validOID
// accepts, for the common case of arcs of at most four bytes (values below
// 2^28). It reports false for a valid OID with a longer arc; callers fall
// back to validOID or to parseSlow.
func validOIDShort(der []byte) bool {
	if len(der) == 0 || der[len(der)-1] >= 0x80 {
		return false // empty, or the last arc is unterminated
	}
	run := 0 // continuation bytes read in the current arc
	for _, c := range der {
		if c < 0x80 {
			run = 0
			continue
		}
		if run == 0 && c == 0x80 {
			return false // leading 0x80: not minimal
		}
		run++
		if run > 3 {
			return false
		}
	}
	return true
}

// idkpPrefix is 1.3.6.1.5.5.7.3 (id-kp) as the first seven DER bytes of an
// OBJECT IDENTIFIER, little-endian in a uint64.
const idkpPrefix = 0x0003_0705_0501_062b

// idkpPurpose maps the last arc x < 128 of id-kp.x to its Purpose, built from
// the generated table (purposeFromDER), so there is still one table.
var idkpPurpose = func() (t [128]Purpose) {
	var oid [8]byte
	binary.LittleEndian.PutUint64(oid[:], idkpPrefix)
	for x := range t {
		oid[7] = byte(x)
		t[x] = purposeFromDER(oid[:])
	}
	return t
}()

// maxOtherExts is how many extensions outside id-ce (2.5.29.x) parseFast
// tracks for duplicates; certificates with more go to parseSlow.
const maxOtherExts = 8

// parseFast fills s and reports true if der is a Certificate that parseSlow
// accepts and it could parse it completely on the fast path. On false, s is
// unspecified and the caller must use parseSlow.
func parseFast(s *Set, der []byte) bool {
	body, end := elem82(der, 0, len(der), 0x30) // Certificate
	if end < 0 {
		body, end = elemAny(der, 0, len(der), 0x30)
	}
	if end != len(der) {
		return false // error or trailing data
	}
	certEnd := end
	tbs, tbsEnd := elem82(der, body, certEnd, 0x30)
	if tbsEnd < 0 {
		if tbs, tbsEnd = elemAny(der, body, certEnd, 0x30); tbsEnd < 0 {
			return false
		}
	}
	_, i := elem(der, tbsEnd, certEnd, 0x30) // signatureAlgorithm
	if i < 0 {
		if _, i = elemAny(der, tbsEnd, certEnd, 0x30); i < 0 {
			return false
		}
	}
	// signatureValue, a BIT STRING with DER padding; the rest is ignored, as
	// in parseSlow.
	sig, end := elem82(der, i, certEnd, 0x03)
	if end < 0 {
		sig, end = elemAny(der, i, certEnd, 0x03)
	}
	if end < 0 || !validBitString(der[sig:end]) {
		return false
	}

	i = tbs
	version := byte(0)
	if i < tbsEnd && der[i] == 0xa0 {
		// [0] EXPLICIT INTEGER of one byte, 0..2; anything else to parseSlow.
		if tbsEnd-i < 5 || der[i+1] != 3 || der[i+2] != 0x02 || der[i+3] != 1 || der[i+4] > 2 {
			return false
		}
		version, i = der[i+4], i+5
	}
	if _, j := elem(der, i, tbsEnd, 0x02); j >= 0 { // serialNumber
		i = j
	} else if _, i = elemAny(der, i, tbsEnd, 0x02); i < 0 {
		return false
	}
	for range 5 { // signature, issuer, validity, subject, subjectPublicKeyInfo
		if _, j := elem(der, i, tbsEnd, 0x30); j >= 0 {
			i = j
		} else if _, j := elem82(der, i, tbsEnd, 0x30); j >= 0 {
			i = j
		} else if _, i = elemAny(der, i, tbsEnd, 0x30); i < 0 {
			return false
		}
	}
	if version == 0 {
		return true
	}
	if i < tbsEnd && der[i] == 0x81 { // issuerUniqueID
		if _, i = elemAny(der, i, tbsEnd, 0x81); i < 0 {
			return false
		}
	}
	if i < tbsEnd && der[i] == 0x82 { // subjectUniqueID
		if _, i = elemAny(der, i, tbsEnd, 0x82); i < 0 {
			return false
		}
	}
	if version != 2 || i >= tbsEnd || der[i] != 0xa3 {
		return true
	}
	if j, e := elem82(der, i, tbsEnd, 0xa3); e >= 0 {
		i, end = j, e
	} else if i, end = elemAny(der, i, tbsEnd, 0xa3); end < 0 {
		return false
	}
	if j, e := elem82(der, i, end, 0x30); e >= 0 {
		i, end = j, e
	} else if i, end = elemAny(der, i, end, 0x30); end < 0 {
		return false
	}
	return fastExtensions(s, der, i, end)
}

// idceMask and idcePattern match the first eight bytes of an Extension
// whose extnID is in id-ce (2.5.29.x, x < 128) with short-form lengths,
// little-endian: 30 <80 06 03 55 1d <80, the eighth byte ignored.
const (
	idceMask    = 0x0080_ffff_ffff_80ff
	idcePattern = 0x0000_1d55_0306_0030
)

// fastExtensions is extensions of parse.go on the fast path, for the
// Extension elements in der[i:end].
func fastExtensions(s *Set, der []byte, i, end int) bool {
	var seenCE [2]uint64           // id-ce arcs seen
	var other [maxOtherExts]uint64 // start<<32 | end of the extnIDs outside id-ce
	nOther := 0
	for i < end {
		var o, j, extEnd int
		if i+8 <= len(der) && binary.LittleEndian.Uint64(der[i:])&idceMask == idcePattern &&
			der[i+1] >= 5 && i+2+int(der[i+1]) <= end {
			// The common case in one compare: SEQUENCE, short length,
			// OBJECT IDENTIFIER 2.5.29.x with x < 128, inside the Extension.
			o, j, extEnd = i+4, i+7, i+2+int(der[i+1])
		} else {
			j, extEnd = elem(der, i, end, 0x30)
			if extEnd < 0 {
				if j, extEnd = elemAny(der, i, end, 0x30); extEnd < 0 {
					return false
				}
			}
			if o, j = elem(der, j, extEnd, 0x06); j < 0 { // OIDs are short
				return false
			}
		}
		i = extEnd
		oid := der[o:j]
		critical := false
		if j < extEnd && der[j] == 0x01 {
			if extEnd-j < 3 || der[j+1] != 1 || (der[j+2] != 0 && der[j+2] != 0xff) {
				return false
			}
			critical, j = der[j+2] == 0xff, j+3
		}
		v, vEnd := elem(der, j, extEnd, 0x04)
		if vEnd < 0 {
			if v, vEnd = elemAny(der, j, extEnd, 0x04); vEnd < 0 {
				return false
			}
		}
		if len(oid) == 3 && oid[0] == 0x55 && oid[1] == 0x1d && oid[2] < 0x80 {
			w, b := oid[2]>>6, uint64(1)<<(oid[2]&63)
			if seenCE[w]&b != 0 {
				return false
			}
			seenCE[w] |= b
			ok := true
			switch oid[2] {
			case 37:
				ok = fastEKU(s, der[v:vEnd], critical)
			case 15:
				ok = fastKeyUsage(s, der[v:vEnd])
			case 19:
				ok = fastBasicConstraints(s, der[v:vEnd])
			}
			if !ok {
				return false
			}
			continue
		}
		if !validOIDShort(oid) || nOther == maxOtherExts {
			return false
		}
		for _, seen := range other[:nOther] {
			if string(der[seen>>32:uint32(seen)]) == string(oid) {
				return false
			}
		}
		other[nOther] = uint64(o)<<32 | uint64(o+len(oid))
		nOther++
	}
	return true
}

// validBitString reports whether b is the contents of a BIT STRING that
// cryptobyte's ReadASN1BitString accepts: a padding count 0..7, no padding
// without data, padding bits zero.
func validBitString(b []byte) bool {
	return len(b) > 0 && b[0] <= 7 && (len(b) > 1 || b[0] == 0) && b[len(b)-1]&(1<<b[0]-1) == 0
}

// fastEKU is extKeyUsage of parse.go on the fast path.
func fastEKU(s *Set, val []byte, critical bool) bool {
	i, end := elemAny(val, 0, len(val), 0x30)
	if end < 0 {
		return false
	}
	s.raw = val[i:end]
	s.flags |= flagPresent
	if critical {
		s.flags |= flagCritical
	}
	for i < end {
		o, j := elem(val, i, end, 0x06) // OIDs are short
		if j < 0 {
			return false
		}
		oid := val[o:j]
		var pu Purpose
		if len(oid) == 8 && oid[7] < 0x80 && binary.LittleEndian.Uint64(oid)&0x00ff_ffff_ffff_ffff == idkpPrefix {
			pu = idkpPurpose[oid[7]] // id-kp.x: valid by construction
		} else if validOID(oid) {
			pu = purposeFromDER(oid)
		} else {
			return false
		}
		i = j
		s.count++
		if pu != Unknown {
			s.known.add(pu)
		} else {
			s.unknown++
		}
	}
	return true
}

// fastKeyUsage is keyUsage of parse.go on the fast path: a BIT STRING with
// DER padding (unused bits zero), of which the first nine bits count.
func fastKeyUsage(s *Set, val []byte) bool {
	i, end := elemAny(val, 0, len(val), 0x03)
	if end < 0 || !validBitString(val[i:end]) {
		return false
	}
	b := val[i:end]
	// Bit i of KeyUsage is bit 7-i%8 of content byte i/8; the padding bits
	// are zero, so no bit beyond the BIT STRING's length is set.
	var ku KeyUsage
	if len(b) > 1 {
		ku = KeyUsage(bits.Reverse8(b[1]))
	}
	if len(b) > 2 {
		ku |= KeyUsage(b[2]>>7) << 8
	}
	s.ku = ku
	s.flags |= flagKUPresent
	return true
}

// fastBasicConstraints is basicConstraints of parse.go on the fast path; a
// pathLenConstraint other than one byte 0..127 goes to parseSlow.
func fastBasicConstraints(s *Set, val []byte) bool {
	i, end := elemAny(val, 0, len(val), 0x30)
	if end < 0 {
		return false
	}
	seq := val[i:end]
	isCA := false
	if len(seq) > 0 && seq[0] == 0x01 {
		if len(seq) < 3 || seq[1] != 1 || (seq[2] != 0 && seq[2] != 0xff) {
			return false
		}
		isCA, seq = seq[2] == 0xff, seq[3:]
	}
	if len(seq) > 0 && seq[0] == 0x02 {
		if len(seq) < 3 || seq[1] != 1 || seq[2] >= 0x80 {
			return false
		}
	}
	s.flags |= flagBCPresent
	if isCA {
		s.flags |= flagCA
	}
	return true
}

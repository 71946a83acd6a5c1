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
// The work is split so that the common case runs in functions that call
// nothing (Go keeps no register across a call, so a call in a loop costs
// spills on every iteration): certHeaders walks to the extensions for the
// usual length forms and hands anything else to certHeadersAny (every form
// the fast path reads); extState.scan walks the usual id-ce Extensions and
// hands each other one to extState.slowExt.
//
// Two facts keep the checks few without dropping any:
//
//   - Consecutive elements inside one container: each element ends after it
//     starts, so offsets only grow, and if the end of the last element is
//     within the container, so is every earlier one. The walks over the
//     TBSCertificate fields and over the Extensions therefore check each
//     header's own form but the container bound once, after the last
//     element. Reads beyond the container stay inside der (every index is
//     bounds-checked against der), and their result is discarded by that
//     final check.
//   - Most Extensions are id-ce (2.5.29.x) with short lengths: their first
//     eight bytes are compared with one 64-bit mask, and the BOOLEAN and the
//     OCTET STRING header with a second load. Their extnValues are parsed
//     after the loop (at most one each of extKeyUsage, keyUsage and
//     basicConstraints, since a duplicate fails).
//
// Parse is latency-bound: each element's offset depends on the previous
// element's length, so the walk is a chain of dependent loads. skip and the
// extension scan read short-form lengths with byte loads of their own (a
// wider load and a shift is one step longer; where that measured no better,
// as for the serialNumber and the key's 0x82 length, the wider load stays),
// and the result is a [Set] small enough to come back in registers.
//
// TestFastAgreesWithSlow (benchmark shapes, generated certificates, hostile
// seeds, every single-byte mutation and truncation of the benchmark shapes),
// TestDifferential (every corpus certificate) and FuzzFastSlow check the
// contract: parseFast succeeds only where parseSlow succeeds, with an
// identical Set.

// The header readers below are written so that the compiler proves every
// index in bounds (i >= 0 && i < len(der)-(n-1) before reading der[i:i+n]):
// a bounds check per byte read costs more instructions than the read
// itself.

// elem reads the header of the DER element with tag that starts at der[i]
// and must end by lim (lim <= len(der)) if it has a short-form length, and
// returns the offsets of its contents, der[body:end]. For anything else it
// returns end < 0, and the caller tries elemAny. It is small enough to be
// inlined.
func elem(der []byte, i, lim int, tag byte) (body, end int) {
	if i >= 0 && i < len(der)-1 && lim <= len(der) {
		h := uint16(der[i]) | uint16(der[i+1])<<8
		if h&0x80ff == uint16(tag) {
			if end = i + 2 + int(h>>8); end <= lim {
				return i + 2, end
			}
		}
	}
	return 0, -1
}

// elem82 is elem for the two-byte long form (0x82, no leading zero byte:
// lengths 256..65535, minimal), the form of the large elements of a typical
// certificate. It is small enough to be inlined.
func elem82(der []byte, i, lim int, tag byte) (body, end int) {
	if i >= 0 && i < len(der)-3 && lim <= len(der) {
		h := binary.BigEndian.Uint32(der[i:])
		if h>>16 == uint32(tag)<<8|0x82 && h&0xff00 != 0 {
			if end = i + 4 + int(h&0xffff); end <= lim {
				return i + 4, end
			}
		}
	}
	return 0, -1
}

// skip returns the end of the element with tag and a short-form length that
// starts at der[i], or -1 (also for i < 0, so that calls can be chained). It
// does not check the end against a container: the caller checks the end of
// the last element of a run (see above). It is small enough to be inlined.
func skip(der []byte, i int, tag byte) int {
	// The length is a byte load of its own: the offset of the next element
	// depends on it, and a load is one step shorter than a wider load and a
	// shift (the walk is a chain of such steps).
	if i >= 0 && i < len(der)-1 && der[i] == tag && der[i+1] < 0x80 {
		return i + 2 + int(der[i+1])
	}
	return -1
}

// skip81 is skip for the short form and the 0x81 form (lengths 128-255,
// minimal). It is small enough to be inlined.
func skip81(der []byte, i int, tag byte) int {
	if i >= 0 && i < len(der)-2 && der[i] == tag {
		if l := der[i+1]; l < 0x80 {
			return i + 2 + int(l)
		} else if l == 0x81 && der[i+2] >= 0x80 {
			return i + 3 + int(der[i+2])
		}
	}
	return -1
}

// skipAny is skip for every length form elemAny reads, with the container
// bound lim.
func skipAny(der []byte, i, lim int, tag byte) int {
	_, end := elemAny(der, i, lim, tag)
	return end
}

// elemAny is elem for all lengths the fast path handles: the DER length forms
// cryptobyte accepts up to 65535 bytes: short form, 0x81 with a value of at
// least 128, 0x82 without a leading zero byte (all minimal). Anything else —
// longer lengths, non-minimal or indefinite lengths, a truncated element, a
// different tag — reports end < 0; the caller then leaves the decision to
// parseSlow. tag must be a low-tag-number tag (tag&0x1f != 0x1f), which
// cryptobyte requires of the input as well.
func elemAny(der []byte, i, lim int, tag byte) (body, end int) {
	if i < 0 || lim > len(der) || lim-i < 2 || der[i] != tag {
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
// back to validOID or to parseSlow. OIDs of 8 to 12 bytes (most extnIDs
// outside id-ce, such as 1.3.6.1.4.1.x.y) are checked two words at a time
// (validOIDWords), without a branch per byte; slowExt does that without a
// call (the byte loop and its call cost the typical leaf about a tenth of
// its time).
func validOIDShort(der []byte) bool {
	n := len(der)
	if n < 8 || n > 12 {
		return validOIDBytes(der)
	}
	return validOIDWords(der)
}

// validOIDWords is validOIDShort for 8 to 12 bytes (false for other
// lengths), in two words, [0,8) and [n-8,n): every run of four bytes lies
// in one of them. For 8 bytes the second word is the first, checked again
// with a prev that can only relax its first byte's test, which the first
// check made. slowExt has it written out.
func validOIDWords(der []byte) bool {
	n := len(der)
	return n >= 8 && n <= 12 && der[n-1] < 0x80 && oidWordOK(binary.LittleEndian.Uint64(der), 0) &&
		oidWordOK(binary.LittleEndian.Uint64(der[n-8:]), uint64(der[max(n-9, 0)])&0x80)
}

// oidWordOK checks eight bytes of an OBJECT IDENTIFIER (byte k in bits
// 8k..8k+7): no arc starts with 0x80 (not minimal) and no four bytes in a
// row have the high bit set (an arc of more than four bytes). prev is 0x80
// if the byte before the word has the high bit set (so that the word's
// first byte continues an arc), else 0.
func oidWordOK(x, prev uint64) bool {
	hi := x & lanes80
	t := x ^ lanes80 // zero where x is 0x80
	// Exact for the lowest zero byte; a byte above it can be flagged only
	// if it is 0x81 right after 0x80s, and such a byte continues an arc, so
	// the arc-start mask below removes it.
	is80 := (t - lanes1) &^ t & lanes80
	lead := is80 &^ (hi<<8 | prev)
	run := hi & (hi << 8) & (hi << 16) & (hi << 24)
	return lead|run == 0
}

// validOIDBytes is validOIDShort a byte at a time, for any length. (It is
// not inlined, so that slowExt's common path holds no loop.)
//
//go:noinline
func validOIDBytes(der []byte) bool {
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

// commonOID reports whether der is one of the extnIDs outside id-ce that
// nearly every Web PKI certificate carries, which are valid by construction:
// id-pe.x (1.3.6.1.5.5.7.1.x, x < 128: authorityInfoAccess, and
// subjectInfoAccess, qcStatements, TLS feature) and 1.3.6.1.4.1.11129.2.4.x
// (x < 128: the Certificate Transparency SCT list and poison). It saves the
// byte-by-byte validOIDShort for them.
func commonOID(der []byte) bool {
	switch len(der) {
	case 8: // 2b 06 01 05 05 07 01 x
		return binary.LittleEndian.Uint64(der)&0x80ff_ffff_ffff_ffff == 0x0001_0705_0501_062b
	case 10: // 2b 06 01 04 01 d6 79 02 04 x
		return binary.LittleEndian.Uint64(der) == 0x0279_d601_0401_062b && der[8] == 0x04 && der[9] < 0x80
	}
	return false
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

// parseFast returns the Set and true if der is a Certificate that parseSlow
// accepts and it could parse it completely on the fast path. On false the
// caller must use parseSlow.
func parseFast(der []byte) (Set, bool) {
	i, end, ok := certHeaders(der)
	if !ok {
		if i, end, ok = certHeadersAny(der); !ok {
			return Set{}, false
		}
	}
	return fastExtensions(der, i, end)
}

// certHeaders reads the headers of Certificate and TBSCertificate as
// parseSlow does, up to the Extensions, and returns the offsets of the
// Extension elements, der[i:end] (empty for a v1 or v2 certificate or one
// without extensions). It handles the length forms of nearly every
// certificate (short, and 0x82 for the large elements) and no optional
// unique identifiers, and calls nothing, so that its values stay in
// registers; for anything else it reports !ok, and certHeadersAny decides.
func certHeaders(der []byte) (i, end int, ok bool) {
	// Certificate and TBSCertificate headers, both 0x82: 30 82 c c 30 82 t t,
	// from one load.
	if len(der) < 16 {
		return 0, -1, false
	}
	h := binary.BigEndian.Uint64(der)
	if h&0xffff_0000_ffff_0000 != 0x3082_0000_3082_0000 || h&0x0000_ff00_0000_0000 == 0 || h&0x0000_0000_0000_ff00 == 0 {
		return 0, -1, false
	}
	certEnd, tbsEnd := 4+int(h>>32&0xffff), 8+int(h&0xffff)
	if certEnd != len(der) || tbsEnd > certEnd {
		return 0, -1, false
	}
	_, j := elem(der, tbsEnd, certEnd, 0x30)     // signatureAlgorithm
	sig, sigEnd := elem82(der, j, certEnd, 0x03) // RSA
	if sigEnd < 0 {
		sig, sigEnd = elem(der, j, certEnd, 0x03) // ECDSA, Ed25519
	}
	if j < 0 || sigEnd < 0 || !validBitString(der[sig:sigEnd]) {
		return 0, -1, false
	}
	// version (a0 03 02 01 v, v <= 2) and the serialNumber header, from one
	// load at the start of the TBSCertificate.
	w := binary.LittleEndian.Uint64(der[8:])
	i, version := 8, byte(0)
	if byte(w) == 0xa0 {
		if uint32(w) != 0x0102_03a0 || byte(w>>32) > 2 {
			return 0, -1, false
		}
		i, version, w = 13, byte(w>>32), w>>40
	}
	if uint16(w)&0x80ff != 0x02 {
		return 0, -1, false
	}
	i += 2 + int(byte(w>>8))
	// signature, issuer, validity, subject and subjectPublicKeyInfo; tbsEnd
	// is checked after the last one.
	// Names of 128-255 bytes (0x81 lengths) are common; a key of that
	// size (RSA-1024) is rare but cheap to accept here too.
	i = skip(der, i, 0x30)
	i = skip81(der, i, 0x30)
	i = skip(der, i, 0x30)
	i = skip81(der, i, 0x30)
	if _, e := elem82(der, i, tbsEnd, 0x30); e >= 0 {
		i = e
	} else {
		i = skip81(der, i, 0x30)
	}
	if i < 0 || i > tbsEnd {
		return 0, -1, false
	}
	if version == 0 || i == tbsEnd {
		return 0, 0, true // v1 (nothing further is read), or no extensions
	}
	if version != 2 || der[i] != 0xa3 {
		return 0, -1, false // unique identifiers: certHeadersAny
	}
	// extensions [3] and the Extensions SEQUENCE, both short, both 0x81
	// (the extensions of small certificates, such as ECDSA CA
	// certificates, often take 128-255 bytes) or both 0x82, from one load.
	if i < len(der)-7 {
		x := binary.BigEndian.Uint64(der[i:])
		switch {
		case x&0x00ff_80ff_ff80_0000 == 0x0081_8030_8180_0000: // a3 81 n 30 81 m, n and m >= 0x80
			outer, inner := i+3+int(x>>40&0xff), i+6+int(x>>16&0xff)
			if outer <= tbsEnd && inner <= outer {
				return i + 6, inner, true
			}
		case x&0x0080_ff80_0000_0000 == 0x0000_3000_0000_0000: // a3 n 30 m
			outer, inner := i+2+int(x>>48&0xff), i+4+int(x>>32&0xff)
			if outer <= tbsEnd && inner <= outer {
				return i + 4, inner, true
			}
		case x&0x00ff_0000_ffff_0000 == 0x0082_0000_3082_0000 && x&0x0000_ff00_0000_0000 != 0 && x&0x0000_0000_0000_ff00 != 0: // a3 82 n n 30 82 m m
			outer, inner := i+4+int(x>>32&0xffff), i+8+int(x&0xffff)
			if outer <= tbsEnd && inner <= outer {
				return i + 8, inner, true
			}
		}
	}
	if j, e := elem(der, i, tbsEnd, 0xa3); e >= 0 {
		i, end = j, e
	} else if i, end = elem82(der, i, tbsEnd, 0xa3); end < 0 {
		return 0, -1, false
	}
	if j, e := elem(der, i, end, 0x30); e >= 0 {
		return j, e, true
	}
	if i, end = elem82(der, i, end, 0x30); end < 0 {
		return 0, -1, false
	}
	return i, end, true
}

// certHeadersAny is certHeaders for every length form the fast path reads
// (elemAny) and the optional unique identifiers.
func certHeadersAny(der []byte) (i, end int, ok bool) {
	body, end := elem82(der, 0, len(der), 0x30) // Certificate
	if end < 0 {
		body, end = elemAny(der, 0, len(der), 0x30)
	}
	if end != len(der) {
		return 0, -1, false // error or trailing data
	}
	certEnd := end
	tbs, tbsEnd := elem82(der, body, certEnd, 0x30)
	if tbsEnd < 0 {
		if tbs, tbsEnd = elemAny(der, body, certEnd, 0x30); tbsEnd < 0 {
			return 0, -1, false
		}
	}
	_, i = elem(der, tbsEnd, certEnd, 0x30) // signatureAlgorithm
	if i < 0 {
		if _, i = elemAny(der, tbsEnd, certEnd, 0x30); i < 0 {
			return 0, -1, false
		}
	}
	// signatureValue, a BIT STRING with DER padding; the rest is ignored, as
	// in parseSlow.
	sig, end := elem82(der, i, certEnd, 0x03)
	if end < 0 {
		sig, end = elemAny(der, i, certEnd, 0x03)
	}
	if end < 0 || !validBitString(der[sig:end]) {
		return 0, -1, false
	}

	i = tbs
	version := byte(0)
	if i < tbsEnd && der[i] == 0xa0 {
		// [0] EXPLICIT INTEGER of one byte, 0..2; anything else to parseSlow.
		if tbsEnd-i < 5 || der[i+1] != 3 || der[i+2] != 0x02 || der[i+3] != 1 || der[i+4] > 2 {
			return 0, -1, false
		}
		version, i = der[i+4], i+5
	}
	// serialNumber, signature, issuer, validity, subject and
	// subjectPublicKeyInfo: only their headers are read, as in parseSlow.
	// The bound tbsEnd is checked after the last one.
	if j := skip(der, i, 0x02); j >= 0 {
		i = j
	} else if i = skipAny(der, i, tbsEnd, 0x02); i < 0 {
		return 0, -1, false
	}
	for range 4 { // signature, issuer, validity, subject
		if j := skip(der, i, 0x30); j >= 0 {
			i = j
		} else if i = skipAny(der, i, tbsEnd, 0x30); i < 0 {
			return 0, -1, false
		}
	}
	if _, j := elem82(der, i, tbsEnd, 0x30); j >= 0 {
		i = j
	} else if j := skip(der, i, 0x30); j >= 0 {
		i = j
	} else if i = skipAny(der, i, tbsEnd, 0x30); i < 0 {
		return 0, -1, false
	}
	if i > tbsEnd {
		return 0, -1, false
	}
	if version == 0 {
		return 0, 0, true
	}
	if i < tbsEnd && der[i] == 0x81 { // issuerUniqueID
		if _, i = elemAny(der, i, tbsEnd, 0x81); i < 0 {
			return 0, -1, false
		}
	}
	if i < tbsEnd && der[i] == 0x82 { // subjectUniqueID
		if _, i = elemAny(der, i, tbsEnd, 0x82); i < 0 {
			return 0, -1, false
		}
	}
	if version != 2 || i >= tbsEnd || der[i] != 0xa3 {
		return 0, 0, true
	}
	if j, e := elem(der, i, tbsEnd, 0xa3); e >= 0 {
		i, end = j, e
	} else if j, e := elem82(der, i, tbsEnd, 0xa3); e >= 0 {
		i, end = j, e
	} else if i, end = elemAny(der, i, tbsEnd, 0xa3); end < 0 {
		return 0, -1, false
	}
	if j, e := elem(der, i, end, 0x30); e >= 0 {
		i, end = j, e
	} else if j, e := elem82(der, i, end, 0x30); e >= 0 {
		i, end = j, e
	} else if i, end = elemAny(der, i, end, 0x30); end < 0 {
		return 0, -1, false
	}
	return i, end, true
}

// idceMask and idcePattern match the first eight bytes of an Extension
// whose extnID is in id-ce (2.5.29.x, x < 64: every id-ce extension in
// use) with short-form lengths, little-endian: 30 <80 06 03 55 1d <40, the
// eighth byte ignored.
const (
	idceMask    = 0x00c0_ffff_ffff_80ff
	idcePattern = 0x0000_1d55_0306_0030
)

// Slots of extState.val: the id-ce extensions whose extnValue parseFast
// reads. Slot 0 takes the others and is not read.
const (
	slotEKU = 1 + iota
	slotKU
	slotBC
)

// ceSlot maps an id-ce arc x < 128 to its slot in extState.val.
var ceSlot = [128]uint8{37: slotEKU, 15: slotKU, 19: slotBC}

// maxOtherExts is how many extensions outside id-ce (2.5.29.x) parseFast
// tracks for duplicates; certificates with more go to parseSlow.
const maxOtherExts = 8

// extState is what the extension walk of the fast path remembers.
type extState struct {
	seen   uint64               // id-ce arcs below 64 seen (bit x for 2.5.29.x)
	seenHi uint64               // id-ce arcs 64..127 seen (bit x-64; slowExt only)
	fail   uint64               // nonzero if an id-ce arc was seen twice or an extnValue overran its Extension
	val    [4]uint64            // by slot: v<<32 | vEnd<<1 | critical, der[v:vEnd] the extnValue contents
	other  [maxOtherExts]uint64 // start<<32 | end of the extnIDs outside id-ce
	nOther int
}

// fastExtensions is extensions of parse.go on the fast path, for the
// Extension elements in der[i:end]. The loop checks the structure of each
// Extension and notes where the extnValues of extKeyUsage, keyUsage and
// basicConstraints are; they are parsed after it.
func fastExtensions(der []byte, i, end int) (Set, bool) {
	var st extState
	for {
		if i = st.scan(der, i, end); i >= end {
			break
		}
		if i = st.slowExt(der, i, end); i < 0 {
			return Set{}, false
		}
	}
	if i != end || st.fail != 0 {
		return Set{}, false
	}
	var flags uint8
	var seq *byte
	var k0, k1 uint64
	var hdr, n int
	if x := st.val[slotEKU]; x != 0 {
		var ok bool
		if k0, k1, hdr, n, ok = fastEKU(der, int(x>>32), int(uint32(x)>>1)); !ok {
			return Set{}, false
		}
		seq = &der[int(x>>32)] // fastEKU read the SEQUENCE there
		flags = flagPresent | uint8(x&1)*flagCritical
	}
	var ku KeyUsage
	if x := st.val[slotKU]; x != 0 {
		v, vEnd := int(x>>32), int(uint32(x)>>1)
		// 03 02 p b: one content byte b with p <= 7 zero padding bits.
		k := uint32(0)
		if vEnd-v >= 4 && v >= 0 && v < len(der)-3 {
			k = binary.LittleEndian.Uint32(der[v:])
		}
		if k&0xf8ffff == 0x0203 && byte(k>>24)&(1<<byte(k>>16)-1) == 0 {
			ku = KeyUsage(bits.Reverse8(byte(k >> 24)))
		} else {
			var ok bool
			if ku, ok = fastKeyUsage(der, v, vEnd); !ok {
				return Set{}, false
			}
		}
		flags |= flagKUPresent
	}
	if x := st.val[slotBC]; x != 0 {
		v, vEnd := int(x>>32), int(uint32(x)>>1)
		b := uint64(0)
		if v >= 0 && v < len(der)-7 {
			b = binary.LittleEndian.Uint64(der[v:])
		}
		switch {
		case vEnd-v >= 2 && uint16(b) == 0x0030: // SEQUENCE {}
			flags |= flagBCPresent
		case vEnd-v >= 5 && b&0xff_ffff_ffff == 0xff_0101_0330: // SEQUENCE { TRUE }
			flags |= flagBCPresent | flagCA
		default:
			isCA, ok := fastBasicConstraints(der, v, vEnd)
			if !ok {
				return Set{}, false
			}
			flags |= flagBCPresent
			if isCA {
				flags |= flagCA
			}
		}
	}
	return Set{known: PurposeSet{k0, k1}, seq: seq, meta: packMeta(flags, ku, hdr, n)}, true
}

// scan reads the Extensions from der[i] on (inside der[:end]) while they
// are the common case, and returns where it stopped: at end or beyond (the
// caller checks), or at an Extension for slowExt. The common case is
// SEQUENCE, short length, OBJECT IDENTIFIER 2.5.29.x with x < 64; then at
// i+7 an optional BOOLEAN (01 01 00|ff) and the OCTET STRING header, short
// form: two loads and a few compares. scan calls nothing, so that its
// values stay in registers.
func (st *extState) scan(der []byte, i, end int) int {
	var fail uint64 // nonzero: a duplicate, or an extnValue overrunning its Extension
	seen := st.seen
	for i < end && i >= 0 && i < len(der)-15 {
		w := binary.LittleEndian.Uint64(der[i:])
		u := binary.LittleEndian.Uint64(der[i+7:])
		h, crit := 7, uint64(0) // h: Extension contents before the extnValue contents
		if byte(u) == 0x01 {
			// BOOLEAN: 01 01 00 or 01 01 ff (b+1 wraps to 0 for ff).
			b := byte(u >> 16)
			if uint16(u) != 0x0101 || b+1 > 1 {
				break // malformed: slowExt gives up
			}
			crit, h, u = uint64(b&1), 10, u>>24
		}
		if w&idceMask != idcePattern || u&0x80ff != 0x04 {
			break
		}
		x := byte(w>>48) & 0x3f
		m := uint64(1) << x
		n := int(byte(u >> 8))
		fail |= seen&m | uint64((int(byte(w>>8))-h-n)>>63)
		seen |= m
		if slot := ceSlot[x] & 3; slot != 0 {
			v := i + 2 + h
			st.val[slot] = uint64(v)<<32 | uint64(v+n)<<1 | crit
		}
		i += 2 + int(der[i+1]) // a byte load: see skip
	}
	st.seen = seen
	st.fail |= fail
	return i
}

// slowExt reads the Extension at der[i] (inside der[:end]) that the compare in
// fastExtensions does not match: long lengths, or an extnID outside id-ce
// (checked for validity and duplicates). It returns the Extension's end, or
// -1 to give up.
func (st *extState) slowExt(der []byte, i, end int) int {
	if i < 0 || end > len(der) || i >= end-8 {
		return -1 // (an Extension has at least eight bytes)
	}
	d := der[i:end]
	// The Extension SEQUENCE header (short, 0x81 or 0x82 form, minimal)
	// and the extnID header after it, from one load.
	w := binary.BigEndian.Uint64(d)
	var j, extEnd int
	switch l, l2 := byte(w>>48), byte(w>>40); {
	case w>>56 != 0x30:
		return -1
	case l < 0x80:
		j, extEnd = 2, 2+int(l)
	case l == 0x81 && l2 >= 0x80:
		j, extEnd = 3, 3+int(l2)
	case l == 0x82 && l2 != 0:
		j, extEnd = 4, 4+int(uint16(w>>32))
	default:
		return -1
	}
	// extnID: OBJECT IDENTIFIER, short form: bytes j and j+1 of w.
	oh := uint16(w >> (48 - 8*j))
	ol := int(byte(oh))
	if extEnd > len(d) || oh>>8 != 0x06 || ol >= 0x80 || j+2+ol > extEnd {
		return -1
	}
	d = d[:extEnd]
	oid := d[j+2 : j+2+ol]
	j += 2 + len(oid)
	crit := uint64(0)
	if j < len(d) && d[j] == 0x01 { // critical BOOLEAN
		if j+3 > len(d) || d[j+1] != 1 || (d[j+2] != 0 && d[j+2] != 0xff) {
			return -1
		}
		crit = uint64(d[j+2] & 1)
		j += 3
	}
	// extnValue: OCTET STRING, short, 0x81 or 0x82 form, minimal.
	if j+2 > len(d) || d[j] != 0x04 {
		return -1
	}
	var v, n int
	switch l := d[j+1]; {
	case l < 0x80:
		v, n = j+2, int(l)
	case l == 0x81 && j+3 <= len(d) && d[j+2] >= 0x80:
		v, n = j+3, int(d[j+2])
	case l == 0x82 && j+4 <= len(d) && d[j+2] != 0:
		v, n = j+4, int(d[j+2])<<8|int(d[j+3])
	default:
		return -1
	}
	if v+n > len(d) {
		return -1
	}
	v += i // offsets in der from here on
	if len(oid) == 3 && oid[0] == 0x55 && oid[1] == 0x1d && oid[2] < 0x80 {
		x := oid[2] & 0x7f
		m := uint64(1) << (x & 63)
		if x < 64 {
			st.fail |= st.seen & m
			st.seen |= m
		} else {
			st.fail |= st.seenHi & m
			st.seenHi |= m
		}
		st.val[ceSlot[x]] = uint64(v)<<32 | uint64(v+n)<<1 | crit
		return i + extEnd
	}
	// The extnID's validity: validOIDShort, with its two-word check written
	// out here (a call would spill slowExt's values around it).
	if !commonOID(oid) {
		if n := len(oid); n < 8 || n > 12 {
			if !validOIDBytes(oid) {
				return -1
			}
		} else if oid[n-1] >= 0x80 || !oidWordOK(binary.LittleEndian.Uint64(oid), 0) ||
			!oidWordOK(binary.LittleEndian.Uint64(oid[n-8:]), uint64(oid[max(n-9, 0)])&0x80) {
			return -1 // (validOIDWords, written out: it is too large to be inlined)
		}
	}
	if st.nOther == maxOtherExts {
		return -1
	}
	for _, seen := range st.other[:st.nOther] {
		if string(der[seen>>32:uint32(seen)]) == string(oid) {
			return -1
		}
	}
	start := cap(der) - cap(oid) // offset of oid in der
	st.other[st.nOther] = uint64(start)<<32 | uint64(start+len(oid))
	st.nOther++
	return i + extEnd
}

// validBitString reports whether b is the contents of a BIT STRING that
// cryptobyte's ReadASN1BitString accepts: a padding count 0..7, no padding
// without data, padding bits zero.
func validBitString(b []byte) bool {
	return len(b) > 0 && b[0] <= 7 && (len(b) > 1 || b[0] == 0) && b[len(b)-1]&(1<<b[0]-1) == 0
}

// idkpElem is the first eight bytes of an id-kp KeyPurposeId element,
// 06 08 2b 06 01 05 05 07 (then 03 x), little-endian.
const idkpElem = 0x0705_0501_062b_0806

// fastEKU is extKeyUsage of parse.go on the fast path, for the extnValue
// der[i:end]. It returns the known purposes (the words of a PurposeSet) and
// the lengths of the SEQUENCE's header and contents.
func fastEKU(der []byte, i, end int) (k0, k1 uint64, hdr, n int, ok bool) {
	start := i
	if j, e := elem(der, i, end, 0x30); e >= 0 {
		i, end = j, e
	} else if i, end = elemAny(der, i, end, 0x30); end < 0 {
		return 0, 0, 0, 0, false
	}
	hdr, n = i-start, end-i
	for i < end {
		var pu Purpose
		var w uint64
		var t uint16
		if i >= 0 && i < len(der)-9 {
			w, t = binary.LittleEndian.Uint64(der[i:]), binary.LittleEndian.Uint16(der[i+8:])
		}
		if w == idkpElem && t&0x80ff == 0x03 && i+10 <= end {
			pu, i = idkpPurpose[t>>8&0x7f], i+10 // id-kp.x: valid by construction
		} else {
			o, j := elem(der, i, end, 0x06) // OIDs are short
			if j < 0 || !validOID(der[o:j]) {
				return 0, 0, 0, 0, false
			}
			pu, i = purposeFromDER(der[o:j]), j
		}
		switch {
		case !pu.Known():
		case pu < 64:
			k0 |= 1 << pu
		default:
			k1 |= 1 << (pu & 63)
		}
	}
	return k0, k1, hdr, n, true
}

// fastKeyUsage is keyUsage of parse.go on the fast path, for the extnValue
// der[i:end]: a BIT STRING with DER padding (unused bits zero), of which the
// first nine bits count.
func fastKeyUsage(der []byte, i, end int) (KeyUsage, bool) {
	if j, e := elem(der, i, end, 0x03); e >= 0 {
		i, end = j, e
	} else if i, end = elemAny(der, i, end, 0x03); end < 0 {
		return 0, false
	}
	b := der[i:end]
	if !validBitString(b) {
		return 0, false
	}
	// Bit i of KeyUsage is bit 7-i%8 of content byte i/8; the padding bits
	// are zero, so no bit beyond the BIT STRING's length is set.
	var ku KeyUsage
	if len(b) > 1 {
		ku = KeyUsage(bits.Reverse8(b[1]))
	}
	if len(b) > 2 {
		ku |= KeyUsage(b[2]>>7) << 8
	}
	return ku, true
}

// fastBasicConstraints is basicConstraints of parse.go on the fast path, for
// the extnValue der[i:end]; a pathLenConstraint other than one byte 0..127
// goes to parseSlow. It returns cA.
func fastBasicConstraints(der []byte, i, end int) (isCA, ok bool) {
	if j, e := elem(der, i, end, 0x30); e >= 0 {
		i, end = j, e
	} else if i, end = elemAny(der, i, end, 0x30); end < 0 {
		return false, false
	}
	seq := der[i:end]
	if len(seq) > 0 && seq[0] == 0x01 {
		if len(seq) < 3 || seq[1] != 1 || (seq[2] != 0 && seq[2] != 0xff) {
			return false, false
		}
		isCA, seq = seq[2] == 0xff, seq[3:]
	}
	if len(seq) > 0 && seq[0] == 0x02 {
		if len(seq) < 3 || seq[1] != 1 || seq[2] >= 0x80 {
			return false, false
		}
	}
	return isCA, true
}

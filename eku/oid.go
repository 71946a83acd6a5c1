package eku

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"
	cryptobyte_asn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// OIDIter walks the KeyPurposeIds of a [Set] in the order the certificate
// lists them, known and unknown, without allocating:
//
//	it := s.OIDs()
//	for it.Next() {
//		buf = it.AppendText(buf[:0]) // "1.3.6.1.5.5.7.3.1"
//		_ = it.Purpose()             // eku.ServerAuth, or eku.Unknown
//	}
type OIDIter struct {
	rest cryptobyte.String
	cur  []byte
}

// OIDs returns an iterator over the KeyPurposeIds listed in s. It yields
// nothing when the extension is absent or empty.
func (s Set) OIDs() OIDIter { return OIDIter{rest: s.Raw()} }

// Next advances to the next KeyPurposeId and reports whether there is one.
func (it *OIDIter) Next() bool {
	var oid cryptobyte.String
	if len(it.rest) == 0 || !it.rest.ReadASN1(&oid, cryptobyte_asn1.OBJECT_IDENTIFIER) {
		it.rest, it.cur = nil, nil
		return false
	}
	it.cur = oid
	return true
}

// DER returns the current KeyPurposeId's OBJECT IDENTIFIER contents (without
// tag and length). It aliases the certificate and must not be modified.
func (it *OIDIter) DER() []byte { return it.cur }

// Purpose returns the current KeyPurposeId as a known [Purpose], or [Unknown].
func (it *OIDIter) Purpose() Purpose { return purposeFromDER(it.cur) }

// AppendText appends the dotted form of the current KeyPurposeId to dst.
func (it *OIDIter) AppendText(dst []byte) []byte { return AppendOID(dst, it.cur) }

// AppendOID appends the dotted form ("1.3.6.1.5.5.7.3.2") of the OBJECT
// IDENTIFIER whose DER contents (without tag and length) are der. It does not
// allocate when dst has room. Input that is not a valid OID, or has an arc of
// 64 bits or more, is appended as "invalid-oid:" followed by its hex bytes.
func AppendOID(dst []byte, der []byte) []byte {
	if !validOIDAnySize(der) {
		dst = append(dst, "invalid-oid:"...)
		const hex = "0123456789abcdef"
		for _, c := range der {
			dst = append(dst, hex[c>>4], hex[c&15])
		}
		return dst
	}
	first := true
	for len(der) > 0 {
		var v uint64
		for {
			c := der[0]
			der = der[1:]
			v = v<<7 | uint64(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
		if first {
			first = false
			switch {
			case v < 40:
				dst = append(dst, '0', '.')
			case v < 80:
				dst = append(dst, '1', '.')
				v -= 40
			default:
				dst = append(dst, '2', '.')
				v -= 80
			}
			dst = strconv.AppendUint(dst, v, 10)
			continue
		}
		dst = append(dst, '.')
		dst = strconv.AppendUint(dst, v, 10)
	}
	return dst
}

// validOIDAnySize reports whether der is non-empty, has minimal base-128
// arcs, ends on a complete arc, and has no arc of 64 bits or more.
func validOIDAnySize(der []byte) bool {
	if len(der) == 0 {
		return false
	}
	for len(der) > 0 {
		if der[0] == 0x80 {
			return false
		}
		n := 0
		for {
			if len(der) == 0 {
				return false
			}
			c := der[0]
			der = der[1:]
			n++
			if n > 9 { // 9*7 = 63 bits fit a uint64
				return false
			}
			if c&0x80 == 0 {
				break
			}
		}
	}
	return true
}

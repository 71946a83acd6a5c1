package eku

import (
	encoding_asn1 "encoding/asn1"
	"unsafe"

	"golang.org/x/crypto/cryptobyte"
	cryptobyte_asn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Set is what [Parse] reads from one certificate: the Extended Key Usage
// extension (RFC 5280, 4.2.1.12), and, from the same pass, the KeyUsage
// (4.2.1.3) and basicConstraints cA (4.2.1.9) values that chain rules need.
//
// A Set is a small value. It refers to the DER it was parsed from (for the
// OID walk of [Set.OIDs]); that memory must not change while the Set is used.
// The zero Set describes a certificate without any of the three extensions.
type Set struct {
	// A Set is 32 bytes in at most four fields, so the compiler keeps it
	// in registers (TestSetShape): Parse returns it without a memory round
	// trip. (A larger Set, returned in memory, cost Parse 7-9% of its time:
	// the caller copies it with 16-byte loads right after Parse wrote it
	// with narrow stores, which defeats store-to-load forwarding.)
	_     [0]func() // not comparable with ==, as before (it would compare where it was parsed, not what)
	known PurposeSet
	seq   *byte   // the ExtKeyUsageSyntax SEQUENCE element (its tag) in the parsed DER; nil if absent
	meta  setMeta // flags, KeyUsage, and the SEQUENCE's header and contents lengths
}

// Set.Permits tests Any in PurposeSet.lo directly; this fails to compile if
// the generated table ever moves Any out of it.
const _ = uint(63 - Any)

// setMeta packs the flags (bits 0-4), the KeyUsage bits (5-13), the length
// of the ExtKeyUsageSyntax SEQUENCE's header (14-16) and of its contents
// (17-63).
type setMeta uint64

const (
	metaKUShift     = 5
	metaHdrShift    = 14
	metaSeqLenShift = 17
)

func (m setMeta) has(f uint8) bool { return m&setMeta(f) != 0 }
func (m setMeta) ku() KeyUsage     { return KeyUsage(m >> metaKUShift & 0x1ff) }
func (m setMeta) seqHdr() int      { return int(m >> metaHdrShift & 7) }
func (m setMeta) seqLen() int      { return int(m >> metaSeqLenShift) }

// packMeta builds a setMeta; hdr is at most 6 (cryptobyte reads lengths of
// up to four bytes).
func packMeta(flags uint8, ku KeyUsage, hdr, n int) setMeta {
	return setMeta(flags) | setMeta(ku&0x1ff)<<metaKUShift | setMeta(hdr)<<metaHdrShift | setMeta(n)<<metaSeqLenShift
}

const (
	flagPresent = 1 << iota
	flagCritical
	flagKUPresent
	flagBCPresent
	flagCA
)

// Present reports whether the certificate has an Extended Key Usage extension.
func (s Set) Present() bool { return s.meta.has(flagPresent) }

// Critical reports whether the Extended Key Usage extension is marked
// critical. It is false when the extension is absent.
func (s Set) Critical() bool { return s.meta.has(flagCritical) }

// Has reports whether the extension literally lists p. It is false for
// [Unknown] and for anything when the extension is absent: use
// [Set.Permits] for the RFC 5280 meaning.
func (s Set) Has(p Purpose) bool { return s.known.Has(p) }

// Permits reports whether the certificate may be used for p under RFC 5280,
// 4.2.1.12, looking at this certificate alone: "If the extension is present,
// then the certificate MUST only be used for one of the purposes indicated",
// and a certificate without the extension is not restricted by it. A listed
// anyExtendedKeyUsage permits every purpose.
//
// An extension whose SEQUENCE is empty (invalid under RFC 5280's SIZE (1..MAX),
// but accepted by crypto/x509) permits nothing here. See [Chain.Permits] for
// the chain rules used by Go and OpenSSL.
//
// Permits(Any) reports whether the certificate is unrestricted.
func (s Set) Permits(p Purpose) bool {
	// For p == Any the last test repeats the second. Any is in the low word
	// (checked at compile time), tested directly so that Permits inlines.
	return !s.meta.has(flagPresent) || s.known.lo&(1<<Any) != 0 || s.known.Has(p)
}

// Len returns the number of KeyPurposeIds listed, known or not, counting
// repeats. It walks the extension (Parse checked it) and does not allocate.
func (s Set) Len() int {
	n := 0
	for it := s.OIDs(); it.Next(); {
		n++
	}
	return n
}

// Unknown returns the number of listed KeyPurposeIds that are not in this
// package's table. [Set.OIDs] walks them.
func (s Set) Unknown() int {
	n := 0
	for it := s.OIDs(); it.Next(); {
		if it.Purpose() == Unknown {
			n++
		}
	}
	return n
}

// Purposes returns the known purposes listed.
func (s Set) Purposes() PurposeSet { return s.known }

// KeyUsage returns the KeyUsage extension's bits and whether the extension is
// present.
func (s Set) KeyUsage() (ku KeyUsage, present bool) {
	return s.meta.ku(), s.meta.has(flagKUPresent)
}

// IsCA reports whether the basicConstraints extension is present with cA
// TRUE.
func (s Set) IsCA() bool { return s.meta.has(flagCA) }

// BasicConstraints returns the cA flag and whether the basicConstraints
// extension is present.
func (s Set) BasicConstraints() (isCA, present bool) {
	return s.meta.has(flagCA), s.meta.has(flagBCPresent)
}

// Raw returns the contents of the ExtKeyUsageSyntax SEQUENCE: the
// KeyPurposeIds as DER OBJECT IDENTIFIER elements, tag and length included.
// It aliases the parsed certificate and must not be modified. It is nil when
// the extension is absent.
func (s Set) Raw() []byte {
	if s.seq == nil {
		return nil
	}
	// seq points into the parsed DER, at a SEQUENCE element of seqHdr+seqLen
	// bytes that Parse read from it; the result has no capacity beyond it.
	return unsafe.Slice(s.seq, s.meta.seqHdr()+s.meta.seqLen())[s.meta.seqHdr():]
}

// Parse reads one DER-encoded Certificate (RFC 5280, 4.1) and returns its
// Extended Key Usage, KeyUsage and basicConstraints cA. It does not allocate
// unless it returns an error, and it never panics.
//
// Parse walks Certificate, TBSCertificate and extensions [3] and checks what
// it reads as strictly as crypto/x509 does: DER lengths, a version of v1, v2
// or v3 (extensions are read only for v3, as crypto/x509 does), valid
// extension and KeyPurposeId OBJECT IDENTIFIERs (minimal base-128 arcs below
// 2^31), BOOLEAN critical flags, no duplicate extension, and no data after
// the Certificate. It does not look inside names, keys or other extensions,
// so it accepts some certificates that crypto/x509 rejects. Data after the
// ExtKeyUsageSyntax SEQUENCE inside extnValue is ignored, as crypto/x509 and
// zcrypto ignore it.
//
// Errors are *[ParseError] values naming the structure and byte offset.
func Parse(der []byte) (Set, error) {
	if s, ok := parseFast(der); ok {
		return s, nil
	}
	return parseSlow(der)
}

// parseSlow is the reference parser: cryptobyte reads throughout, exact error
// kinds and offsets. [parseFast] accepts a subset of what it accepts, with the
// same result, and Parse falls back to it for everything else (errors, long
// lengths, unusual encodings).
func parseSlow(der []byte) (Set, error) {
	var s Set
	p := parser{base: cap(der)}
	if !p.certificate(&s, der) {
		return Set{}, p.error()
	}
	return s, nil
}

// parser turns a failed read into a ParseError without allocating on the
// success path. base is cap of the input: every cryptobyte.String derived from
// the input by re-slicing keeps the same end of the backing array, so
// base-cap(x) is the offset of x in the input.
type parser struct {
	base      int
	kind      ErrorKind
	structure string
	offset    int
	dupOID    []byte
}

func (p *parser) off(x []byte) int { return p.base - cap(x) }

// fail records the error and reports false, so that reads chain with ||.
func (p *parser) fail(kind ErrorKind, structure string, at []byte) bool {
	p.kind, p.structure, p.offset = kind, structure, p.off(at)
	return false
}

func (p *parser) error() error {
	e := &ParseError{Kind: p.kind, Structure: p.structure, Offset: p.offset}
	if p.dupOID != nil {
		e.Detail = string(AppendOID(nil, p.dupOID))
	}
	return e
}

var (
	tagVersion    = cryptobyte_asn1.Tag(0).Constructed().ContextSpecific()
	tagIssuerUID  = cryptobyte_asn1.Tag(1).ContextSpecific()
	tagSubjectUID = cryptobyte_asn1.Tag(2).ContextSpecific()
	tagExtensions = cryptobyte_asn1.Tag(3).Constructed().ContextSpecific()
)

// certificate parses
//
//	Certificate  ::=  SEQUENCE  {
//	     tbsCertificate       TBSCertificate,
//	     signatureAlgorithm   AlgorithmIdentifier,
//	     signatureValue       BIT STRING  }
//
// and reports whether it succeeded.
func (p *parser) certificate(s *Set, der []byte) bool {
	input := cryptobyte.String(der)
	var cert, tbs, sigAlg cryptobyte.String
	if !readASN1(&input, &cert, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "Certificate", der)
	}
	if !input.Empty() {
		return p.fail(KindTrailingData, "Certificate", input)
	}
	at := cert
	if !readASN1(&cert, &tbs, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "TBSCertificate", at)
	}
	at = cert
	if !readASN1(&cert, &sigAlg, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "signatureAlgorithm", at)
	}
	at = cert
	var sig encoding_asn1.BitString
	if !cert.ReadASN1BitString(&sig) {
		return p.fail(KindMalformed, "signatureValue", at)
	}
	return p.tbsCertificate(s, tbs)
}

// tbsCertificate parses
//
//	TBSCertificate  ::=  SEQUENCE  {
//	     version         [0]  EXPLICIT Version DEFAULT v1,
//	     serialNumber         CertificateSerialNumber,
//	     signature            AlgorithmIdentifier,
//	     issuer               Name,
//	     validity             Validity,
//	     subject              Name,
//	     subjectPublicKeyInfo SubjectPublicKeyInfo,
//	     issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
//	     subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
//	     extensions      [3]  EXPLICIT Extensions OPTIONAL }
//
// reading only the version and the extensions.
func (p *parser) tbsCertificate(s *Set, tbs cryptobyte.String) bool {
	at := tbs
	var vers cryptobyte.String
	var hasVersion bool
	var version int64
	if !tbs.ReadOptionalASN1(&vers, &hasVersion, tagVersion) {
		return p.fail(KindMalformed, "version", at)
	}
	if hasVersion {
		if !vers.ReadASN1Int64WithTag(&version, cryptobyte_asn1.INTEGER) || !vers.Empty() {
			return p.fail(KindMalformed, "version", at)
		}
		if version < 0 || version > 2 {
			return p.fail(KindVersion, "version", at)
		}
	}
	at = tbs
	if !skipASN1(&tbs, cryptobyte_asn1.INTEGER) {
		return p.fail(KindMalformed, "serialNumber", at)
	}
	at = tbs
	if !skipASN1(&tbs, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "signature", at)
	}
	at = tbs
	if !skipASN1(&tbs, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "issuer", at)
	}
	at = tbs
	if !skipASN1(&tbs, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "validity", at)
	}
	at = tbs
	if !skipASN1(&tbs, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "subject", at)
	}
	at = tbs
	if !skipASN1(&tbs, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "subjectPublicKeyInfo", at)
	}
	if version == 0 {
		return true // v1: crypto/x509 reads nothing further
	}
	at = tbs
	if !tbs.SkipOptionalASN1(tagIssuerUID) {
		return p.fail(KindMalformed, "issuerUniqueID", at)
	}
	at = tbs
	if !tbs.SkipOptionalASN1(tagSubjectUID) {
		return p.fail(KindMalformed, "subjectUniqueID", at)
	}
	if version != 2 {
		return true // v2: no extensions, as in crypto/x509
	}
	at = tbs
	var exts cryptobyte.String
	var hasExts bool
	if !tbs.ReadOptionalASN1(&exts, &hasExts, tagExtensions) {
		return p.fail(KindMalformed, "extensions", at)
	}
	if !hasExts {
		return true
	}
	at = exts
	if !readASN1(&exts, &exts, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "Extensions", at)
	}
	return p.extensions(s, exts)
}

// extensions parses
//
//	Extensions  ::=  SEQUENCE SIZE (1..MAX) OF Extension
//
//	Extension  ::=  SEQUENCE  {
//	     extnID      OBJECT IDENTIFIER,
//	     critical    BOOLEAN DEFAULT FALSE,
//	     extnValue   OCTET STRING }
//
// (the SEQUENCE contents are given) and rejects duplicate extnIDs.
func (p *parser) extensions(s *Set, exts cryptobyte.String) bool {
	all := exts
	var seenCE [4]uint64 // id-ce arcs seen (extnIDs 2.5.29.x, x < 128)
	var bloom uint64     // hash bits of the other extnIDs seen
	for !exts.Empty() {
		at := exts
		var ext, oid, val cryptobyte.String
		critical := false
		// The reads below are hand-inlined short-form fast paths of
		// readASN1 (this loop dominates Parse); long forms go to cryptobyte.
		if b := exts; len(b) >= 2 && b[0] == 0x30 && b[1] < 0x80 && int(b[1])+2 <= len(b) {
			ext, exts = b[2:int(b[1])+2], b[int(b[1])+2:]
		} else if !exts.ReadASN1(&ext, cryptobyte_asn1.SEQUENCE) {
			return p.fail(KindMalformed, "Extension", at)
		}
		if b := ext; len(b) >= 2 && b[0] == 0x06 && b[1] < 0x80 && int(b[1])+2 <= len(b) {
			oid, ext = b[2:int(b[1])+2], b[int(b[1])+2:]
		} else if !ext.ReadASN1(&oid, cryptobyte_asn1.OBJECT_IDENTIFIER) {
			return p.fail(KindMalformed, "Extension extnID", at)
		}
		// id-ce (2.5.29.x, x < 128) is three valid bytes; check the others.
		idce := len(oid) == 3 && oid[0] == 0x55 && oid[1] == 0x1d && oid[2] < 0x80
		if !idce && !validOID(oid) {
			return p.fail(KindMalformed, "Extension extnID", at)
		}
		if len(ext) > 0 && ext[0] == 0x01 {
			if len(ext) < 3 || ext[1] != 1 || (ext[2] != 0 && ext[2] != 0xff) {
				return p.fail(KindMalformed, "Extension critical", at)
			}
			critical, ext = ext[2] == 0xff, ext[3:]
		}
		if b := ext; len(b) >= 2 && b[0] == 0x04 && b[1] < 0x80 && int(b[1])+2 <= len(b) {
			val = b[2 : int(b[1])+2]
		} else if !ext.ReadASN1(&val, cryptobyte_asn1.OCTET_STRING) {
			return p.fail(KindMalformed, "Extension extnValue", at)
		}
		// Data after extnValue is ignored, as crypto/x509 does.

		if idce {
			w, b := oid[2]>>6, uint64(1)<<(oid[2]&63)
			if seenCE[w]&b != 0 {
				p.dupOID = oid
				return p.fail(KindDuplicateExtension, "Extension", at)
			}
			seenCE[w] |= b
			var ok bool
			switch oid[2] {
			case 37:
				ok = p.extKeyUsage(s, val, critical)
			case 15:
				ok = p.keyUsage(s, val)
			case 19:
				ok = p.basicConstraints(s, val)
			default:
				ok = true
			}
			if !ok {
				return false
			}
			continue
		}
		h := uint64(len(oid))
		for _, c := range oid {
			h = h*31 + uint64(c)
		}
		b := uint64(1) << (h & 63)
		if bloom&b != 0 && seenBefore(all, at, oid) {
			p.dupOID = oid
			return p.fail(KindDuplicateExtension, "Extension", at)
		}
		bloom |= b
	}
	return true
}

// seenBefore reports whether an Extension before the one starting at the
// suffix cur of all has extnID oid. all has been parsed successfully up to cur.
func seenBefore(all, cur cryptobyte.String, oid []byte) bool {
	for len(all) > len(cur) {
		var ext, id cryptobyte.String
		if !readASN1(&all, &ext, cryptobyte_asn1.SEQUENCE) || !readASN1(&ext, &id, cryptobyte_asn1.OBJECT_IDENTIFIER) {
			return false
		}
		if string(id) == string(oid) {
			return true
		}
	}
	return false
}

// extKeyUsage parses the extnValue of id-ce-extKeyUsage (RFC 5280, 4.2.1.12):
//
//	ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
//	KeyPurposeId ::= OBJECT IDENTIFIER
//
// An empty SEQUENCE is accepted, as crypto/x509 accepts it.
func (p *parser) extKeyUsage(s *Set, val cryptobyte.String, critical bool) bool {
	at := val
	var seq cryptobyte.String
	if !readASN1(&val, &seq, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "ExtKeyUsageSyntax", at)
	}
	s.seq = &at[0] // readASN1 succeeded: at holds the SEQUENCE element
	s.meta |= packMeta(flagPresent, 0, len(at)-len(val)-len(seq), len(seq))
	if critical {
		s.meta |= flagCritical
	}
	for !seq.Empty() {
		at := seq
		var oid cryptobyte.String
		if !readASN1(&seq, &oid, cryptobyte_asn1.OBJECT_IDENTIFIER) || !validOID(oid) {
			return p.fail(KindMalformed, "KeyPurposeId", at)
		}
		s.known.add(purposeFromDER(oid))
	}
	return true
}

// keyUsage parses the extnValue of id-ce-keyUsage (RFC 5280, 4.2.1.3), a BIT
// STRING, with the checks of crypto/x509 (DER padding bits).
func (p *parser) keyUsage(s *Set, val cryptobyte.String) bool {
	at := val
	var bits encoding_asn1.BitString
	if !val.ReadASN1BitString(&bits) {
		return p.fail(KindMalformed, "KeyUsage", at)
	}
	var ku KeyUsage
	for i := 0; i < 9; i++ {
		if bits.At(i) != 0 {
			ku |= 1 << i
		}
	}
	s.meta |= packMeta(flagKUPresent, ku, 0, 0)
	return true
}

// basicConstraints parses the extnValue of id-ce-basicConstraints (RFC 5280,
// 4.2.1.9) with the checks of crypto/x509:
//
//	BasicConstraints ::= SEQUENCE {
//	     cA                      BOOLEAN DEFAULT FALSE,
//	     pathLenConstraint       INTEGER (0..MAX) OPTIONAL }
func (p *parser) basicConstraints(s *Set, val cryptobyte.String) bool {
	at := val
	var seq cryptobyte.String
	isCA := false
	if !readASN1(&val, &seq, cryptobyte_asn1.SEQUENCE) {
		return p.fail(KindMalformed, "BasicConstraints", at)
	}
	if seq.PeekASN1Tag(cryptobyte_asn1.BOOLEAN) && !seq.ReadASN1Boolean(&isCA) {
		return p.fail(KindMalformed, "BasicConstraints cA", at)
	}
	if seq.PeekASN1Tag(cryptobyte_asn1.INTEGER) {
		var n int64
		if !seq.ReadASN1Int64WithTag(&n, cryptobyte_asn1.INTEGER) || n < 0 {
			return p.fail(KindMalformed, "BasicConstraints pathLenConstraint", at)
		}
	}
	s.meta |= flagBCPresent
	if isCA {
		s.meta |= flagCA
	}
	return true
}

// validOID reports whether der is the contents of an OBJECT IDENTIFIER that
// crypto/x509 accepts: not empty, every arc in minimal base-128 form, each
// below 2^31 (the rule of cryptobyte's ReadASN1ObjectIdentifier, without its
// allocation).
func validOID(der []byte) bool {
	if len(der) == 0 {
		return false
	}
	for len(der) > 0 {
		ret := 0
		i := 0
		for ; ; i++ {
			if len(der) == 0 || i == 5 || ret >= 1<<(31-7) {
				return false
			}
			b := der[0]
			der = der[1:]
			if i == 0 && b == 0x80 {
				return false
			}
			ret = ret<<7 | int(b&0x7f)
			if b&0x80 == 0 {
				break
			}
		}
	}
	return true
}

// readASN1 is (*cryptobyte.String).ReadASN1 with an inlinable fast path for
// short-form lengths (which are always minimal, so DER-valid). Long-form
// lengths take cryptobyte's own path, which enforces the DER length rules.
// out is written last, so s and out may be the same variable.
func readASN1(s *cryptobyte.String, out *cryptobyte.String, tag cryptobyte_asn1.Tag) bool {
	b := *s
	if len(b) < 2 || b[0] != byte(tag) || b[1] >= 0x80 {
		return s.ReadASN1(out, tag)
	}
	n := int(b[1]) + 2
	if n > len(b) {
		return false
	}
	*s = b[n:]
	*out = b[2:n]
	return true
}

// skipASN1 is (*cryptobyte.String).SkipASN1 with the same fast path.
func skipASN1(s *cryptobyte.String, tag cryptobyte_asn1.Tag) bool {
	b := *s
	if len(b) < 2 || b[0] != byte(tag) || b[1] >= 0x80 {
		return s.SkipASN1(tag)
	}
	n := int(b[1]) + 2
	if n > len(b) {
		return false
	}
	*s = b[n:]
	return true
}

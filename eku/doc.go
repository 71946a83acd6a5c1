// Package eku reads the Extended Key Usage (EKU) of X.509 certificates at
// wire speed: without allocating, and as strictly as crypto/x509 where it
// looks.
//
//	s, err := eku.Parse(der) // der: one DER certificate
//	if err != nil {
//		return err // *eku.ParseError: names the structure and byte offset
//	}
//	ok := s.Permits(eku.ClientAuth) // RFC 5280 4.2.1.12: may it authenticate a TLS client?
//
// # What Parse returns
//
// [Parse] walks Certificate, TBSCertificate and the extensions [3] and fills
// a [Set], a small value holding: whether the
// EKU extension is present and critical, the known purposes it lists (a
// bitset, [Set.Has]), how many KeyPurposeIds it lists and how many of them
// are not in this package's table ([Set.Len], [Set.Unknown]), and a view of
// the raw extension for a zero-allocation OID walk ([Set.OIDs], with
// [OIDIter.AppendText] appending the dotted form to a caller's buffer). In the
// same pass it reads KeyUsage ([Set.KeyUsage]) and basicConstraints cA
// ([Set.IsCA]), which chain rules and TLS stacks use. OIDs are compared as
// DER bytes; nothing is converted to strings on the way.
//
// [Set.Has] is literal: is the purpose listed. [Set.Permits] is RFC 5280,
// 4.2.1.12 for one certificate: an absent extension does not restrict, a listed
// anyExtendedKeyUsage ([Any]) permits everything.
//
// # Purposes
//
// The [Purpose] constants ([ServerAuth], [ClientAuth], [CodeSigning],
// [EmailProtection], [TimeStamping], [OCSPSigning], the IPsec ones,
// [MicrosoftServerGatedCrypto], [NetscapeServerGatedCrypto], [Any], and 61
// more) come from one table, internal/gen/purposes.csv: zcrypto's EKU
// catalogue plus a few purposes it lacks (sipDomain, secureShellClient/Server,
// ipsecIKE, documentSigning, PKINIT, CT precertificate signing, TCG EK). The
// generated purposes_gen.go drives String, OID, AppendDER, ParsePurpose,
// MarshalText and UnmarshalText (JSON uses the names: "clientAuth"). A test
// fails when the generated file is stale (go generate ./eku).
//
// # PEM, chains, and certificates you already hold
//
// [ScanPEM], [ParsePEM] and [ParsePEMChain] find the CERTIFICATE blocks of a
// bundle, skip other blocks, and decode the base64 into the caller's buffer
// (append semantics), so the PEM path does not allocate either. Blocks are
// found exactly as encoding/pem.Decode finds them; where encoding/pem would
// silently skip a CERTIFICATE block (broken base64, an empty block, text it
// does not read as a block) the scanner returns a *[PEMError] with the
// offset and the reason. The whole base64 text of every CERTIFICATE block is
// checked, so a bad character anywhere in a block is an error, as it is for
// encoding/pem.
//
// [ScanPEM] decodes every certificate whole ([PEMScanner.DER]). [ParsePEM]
// and [ParsePEMChain] need only what [Parse] reads, and for text laid out as
// RFC 7468, section 2 says generators write it (lines of exactly 64
// characters, the last one shorter; what OpenSSL, encoding/pem and common
// tools write) they decode only that: base64 maps 4 characters to 3 bytes,
// so in that layout any byte of the certificate can be decoded on its own
// once the text has been checked. They decode the headers, the version, the
// signature's first and last bytes, the extnIDs and critical flags, and the
// values of extKeyUsage, keyUsage and basicConstraints, and leave names,
// keys, signatures and other extension values encoded (those bytes of the
// buffer are zero). Text in any other layout, and any certificate that this
// walk does not take (malformed, or lengths over 65535), is decoded whole
// first, so results and errors do not depend on the layout
// (TestPEMFastPathAgrees and FuzzPEM compare the two paths).
//
// A [Chain] (leaf first) answers [Chain.Permits], [Chain.DeniedBy] and
// [Chain.Allowed] under three [Semantics]:
//
//   - [RFC5280]: the leaf only (Java, mbedTLS).
//   - [Nested]: Go's crypto/x509 checkChainForKeyUsage. Every certificate,
//     root included, restricts the chain unless its EKU is absent, empty, or
//     lists anyExtendedKeyUsage. Checked against x509.Certificate.Verify in
//     the tests.
//   - [OpenSSL]: the EKU part of OpenSSL's purpose check: every certificate
//     with an EKU, root included, must list the purpose; anyExtendedKeyUsage
//     does not count; SGC counts as serverAuth. Checked against `openssl
//     verify -purpose sslclient` and `-purpose sslserver` in the tests
//     (20 generated chains, every failing depth compared).
//
// The rules per TLS stack (which certificates each stack checks, and the
// alert it sends) are in package policy, one file per stack
// (policy/stack_*.go), each citing the stack's source file at a tag.
//
// [FromX509] and [ChainFromX509] take *x509.Certificate values (by their Raw
// bytes); package eku/ekuz does the same for zcrypto certificates, so that
// importing eku does not import zcrypto.
//
// # Decisions on malformed and unusual input
//
// Parse is never stricter than crypto/x509 (Go 1.26) on certificates that
// crypto/x509 accepts (the differential and fuzz tests enforce this), and it
// is as strict as crypto/x509 in the structures it reads:
//
//   - Trailing data after the Certificate: rejected ([KindTrailingData]), as
//     crypto/x509 does. Data after the ExtKeyUsageSyntax SEQUENCE inside
//     extnValue (and after extnValue inside an Extension) is ignored, as
//     crypto/x509 and zcrypto ignore it.
//   - Non-minimal or indefinite lengths, high tag numbers: rejected
//     ([KindMalformed]); these are DER rules enforced by cryptobyte.
//   - Duplicate extensions: rejected ([KindDuplicateExtension]) for every
//     extension OID, as crypto/x509 does (RFC 5280, 4.2: "A certificate MUST
//     NOT include more than one instance of a particular extension").
//   - KeyPurposeIds and extnIDs must be valid OBJECT IDENTIFIERs with arcs
//     below 2^31 in minimal form, the rule of cryptobyte's
//     ReadASN1ObjectIdentifier (checked here without its allocation).
//   - An empty EKU SEQUENCE (RFC 5280 requires SIZE (1..MAX)) is accepted,
//     as crypto/x509 accepts it: Present() is true and Len() is 0. Permits
//     then permits nothing (the extension is present and lists nothing, as
//     OpenSSL reads it), while the Nested chain rule treats it as no
//     restriction, exactly as Go's verifier does.
//   - Version: v1, v2 and v3 are accepted; extensions are read only in v3
//     certificates, as crypto/x509 reads them.
//   - Parse does not look at names, keys, signatures or other extensions, so
//     it accepts some certificates crypto/x509 rejects (in the corpora below:
//     122 of 1,453 zlint certificates are rejected by crypto/x509, 110 of
//     those are accepted by eku).
//
// # Intentional disagreements
//
// The differential test (TestDifferential) runs eku.Parse, crypto/x509 and
// zcrypto/x509 over GOROOT/src/crypto (x509 testdata with NIST PKITS, tls
// testdata: 436 certificates) and zlint v3.7.3's testdata (1,453
// certificates, fetched with go mod download), and fails on any
// disagreement in presence, criticality, listed OIDs (in order), unknown
// count, KeyUsage and cA for every certificate crypto/x509 accepts. All 424
// and 1,331 such certificates agree with crypto/x509. With zcrypto the
// disagreements are intentional:
//
//   - v1/v2 certificates that carry extensions (2 in zlint's testdata):
//     crypto/x509 and eku ignore the extensions (RFC 5280, 4.1.2.9: extensions
//     are a v3 field); zcrypto reads them.
//   - Purposes this table adds to zcrypto's catalogue are "unknown" to
//     zcrypto; the test accounts for them by the table's source column.
//
// # Speed
//
// Parse has two paths with one behaviour. The reference parser reads with
// cryptobyte throughout and produces every error (kind, structure, offset).
// In front of it, a fast path reads the same structure with small inlined
// DER header reads (short form, 0x81 and 0x82 lengths, minimal: the length
// rules cryptobyte enforces) and compares the common encodings in one step
// (an id-ce extension header as one 64-bit compare, id-kp KeyPurposeIds by a
// table indexed by the last arc, built from the generated table). It answers
// only for input the reference parser accepts, with the identical Set, and
// hands everything else (any error, lengths over 65535, a pathLenConstraint
// over 127, a duplicate or more than 8 non-id-ce extensions) to the reference
// parser. TestFastAgreesWithSlow (the benchmark shapes, every single-byte
// mutation and truncation of them), TestDifferential (every corpus
// certificate) and FuzzFastSlow check that contract; on the 1,889 corpus
// certificates no accepted certificate needs the reference parser.
//
// Parse reads 15-20 DER headers one after another (each length gives the
// next position), so it is bound by that chain of dependent loads more than
// by the work per header (BenchmarkHeaderChain measures the bare chain).
// Its walk to the extensions handles in one straight run the length forms of
// nearly every certificate: short lengths, 0x82 for the large elements, and
// 0x81 for names, keys and an extensions block of 128-255 bytes. That last
// form is what small CA certificates have (an ECDSA CA certificate with
// keyUsage, basicConstraints, EKU and both key identifiers carries about
// 130 bytes of extensions). Until it was handled there, such a certificate
// left the straight run at its extensions and had all its headers read a
// second time by the general reader (certHeadersAny), which made the
// smallest certificates the slowest shape. Extensions outside id-ce
// (2.5.29.x) take the general path: any length form, the OID's validity and
// a comparison with the other extnIDs (AIA and the SCT list are recognised
// whole; an extnID of 8 to 12 bytes, such as a private 1.3.6.1.4.1.x.y, is
// checked two 64-bit words at a time rather than byte by byte, which had
// cost the typical leaf about a tenth of its time).
//
// On the PEM path the cost is the base64 text, not Parse. A block in the
// RFC 7468 layout is found and checked in one pass: the characters eight at
// a time, with additions in a 64-bit word that cannot carry from one byte
// into the next (no table lookups), the line endings at their fixed
// positions, and the END line right after the text, which makes
// encoding/pem's search for the END line and the last BEGIN line before it
// unnecessary (the text can hold neither). Then only the bytes Parse reads
// are decoded (see above). Other text is found by encoding/pem's search
// (with a forward search in place of the unvectorised bytes.LastIndex) and
// decoded whole.
//
// The benchmarks (BenchmarkParse per certificate shape, BenchmarkPEM on a
// leaf+CA chain, a generated 150-root trust store and Debian's) compare eku
// with crypto/x509, zcrypto/x509 and encoding/pem + crypto/x509 on the same
// bytes in the same run; the project README gives the figures and the
// command. The certificates are the same bytes in every run (fixed test
// keys in testdata, deterministic signatures). TestSpeedRatio guards a
// factor of 20 on the typical leaf (5 under the race detector).
package eku

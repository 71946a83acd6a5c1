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
// offset and the reason.
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
// The rules per TLS stack are documented, with sources, in the project's
// shared/reference/stack-eku.md.
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
// Benchmarks (go test -run '^$' -bench 'Parse|PEM' -benchmem -count 10 ./eku,
// medians via go run golang.org/x/perf/cmd/benchstat@latest) compare
// eku.Parse with crypto/x509 and zcrypto/x509 parsing the same RSA-2048
// certificates in the same run. Medians on a shared 2-core AMD EPYC VM (Go
// 1.26.8, load average 1-3 during the run; crypto/x509's time varies more
// between runs than eku.Parse's):
//
//	shape                   eku.Parse         crypto/x509             zcrypto/x509           x509/eku  zcrypto/eku
//	typical leaf (1.1 KB)    57 ns, 0 allocs   4,354 ns,  61 allocs   27,620 ns, 335 allocs      77x     486x
//	multi-SAN leaf (7.5 KB)  62 ns, 0 allocs  16,010 ns, 315 allocs   76,620 ns, 820 allocs     259x    1241x
//	CA certificate           42 ns, 0 allocs   3,606 ns,  52 allocs   54,970 ns, 286 allocs      85x    1300x
//	no EKU                   35 ns, 0 allocs   3,494 ns,  51 allocs   23,930 ns, 241 allocs     101x     694x
//	PEM leaf+CA bundle    3,538 ns, 0 allocs  15,120 ns, 123 allocs (encoding/pem + crypto/x509)   4.3x
//
// The target of 1/100 of crypto/x509's time is therefore met for the
// multi-SAN leaf and (just) for the certificate without EKU, and missed for
// the typical leaf (77x: Parse would need about 43 ns) and the CA
// certificate (85x: about 36 ns). Under load crypto/x509 slows down more
// than Parse and the ratio passes 100x for all shapes. Parse reads about 35
// DER headers one after another (each length gives the next position);
// before the fast path it took 200-600 ns (9-27x), with the first fast path
// 70, 72, 58 and 47 ns for the four shapes (same machine, same session). Of
// what remains, about a fifth is the caller's copies of the returned Set (a
// Set does not fit in registers, and copying one just written by narrow
// stores stalls store forwarding). TestSpeedRatio guards a factor of 20 on
// the typical leaf (5 under the race detector).
package eku

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
// certificates in the same run; the certificates are the same bytes in every
// run (a fixed test key). Medians on a shared 2-core AMD EPYC VM (Go 1.26.8,
// load average under 1; crypto/x509's time varies by up to 18% within a run,
// eku.Parse's by 1-3%):
//
//	shape                      eku.Parse         crypto/x509             zcrypto/x509           x509/eku  zcrypto/eku
//	typical leaf (1.1 KB)       47 ns, 0 allocs   4,073 ns,  61 allocs   27,020 ns, 335 allocs      87x     580x
//	Web PKI leaf (1.3 KB)       55 ns, 0 allocs   5,521 ns,  79 allocs   35,490 ns, 457 allocs     101x     650x
//	multi-SAN leaf (7.5 KB)     50 ns, 0 allocs  15,510 ns, 315 allocs   76,520 ns, 820 allocs     307x    1516x
//	CA certificate              34 ns, 0 allocs   3,360 ns,  52 allocs   52,740 ns, 286 allocs      97x    1530x
//	no EKU                      29 ns, 0 allocs   3,302 ns,  51 allocs   21,650 ns, 241 allocs     113x     738x
//	PEM leaf+CA bundle       7,082 ns, 0 allocs  15,580 ns, 123 allocs (encoding/pem + crypto/x509)   2.2x
//
// The typical leaf carries SANs, KeyUsage, EKU, basicConstraints, AKI and a
// 240-byte extension under a private OID; the Web PKI leaf is shaped like a
// public CA's: two SCTs in the real SCT list extension, AIA, a CRL
// distribution point, certificate policies, SKI, AKI.
//
// The target of 1/100 of crypto/x509's time is therefore met for the
// Web PKI leaf, the multi-SAN leaf and the certificate without EKU; the CA
// certificate is at the line (97x here; crypto/x509 took 3,360-3,870 ns for
// it in different runs, eku.Parse 34-35 ns, so 96-112x), and the typical leaf
// misses it (87x: Parse would need about 41 ns). Extensions outside id-ce
// (2.5.29.x) take the general path (any length form, the OID's validity
// and a comparison with the other extnIDs; AIA and the SCT list are
// recognised whole, other extnIDs are checked byte by byte, as the typical
// leaf's private OID is).
//
// Parse reads 15-20 DER headers one after another (each length gives the
// next position), so it is bound by the latency of that chain of loads more
// than by the work per header: the bare chain of header reads takes 23 ns
// (BenchmarkHeaderChain). Its history on this machine: 200-600 ns (9-27x)
// with cryptobyte alone; 70, 72, 58 and 47 ns for typical leaf, multi-SAN, CA and no EKU with
// the first fast path; 57, 62, 42, 35 ns before the Set became small enough
// to be returned in registers (a Set returned in memory was copied by the
// caller with wide loads right after Parse wrote it with narrow stores,
// which stalls store forwarding) and the short-form lengths on the chain
// became byte loads; 47, 50, 34, 29 ns now (and 55 ns for the Web PKI
// leaf). TestSpeedRatio guards a factor of 20 on the typical leaf (5 under
// the race detector).
package eku

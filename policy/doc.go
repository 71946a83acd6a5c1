// Package policy predicts whether a TLS handshake between two endpoints
// succeeds, on which version, and, if not, which check fails, why, and what to
// change. Start with [Evaluate]:
//
//	s := policy.Scenario{
//		Client: products.GenesysBYOCCloudOutbound(issued, products.GenesysRenewal),
//		Server: products.Kamailio(products.KamailioTLS{RequireCertificate: true}),
//		At:     time.Now(),
//	}
//	o := policy.Evaluate(s) // o.Verdict, o.Version, o.Findings(), o.Explain()
//
// [Timeline] answers "what breaks, and when?" over a date range: it
// evaluates the scenario at every instant the data says something changes
// (renewals, the clientAuth cut-over, the version matrix's dates) and reports
// each change.
//
// # Engine and products
//
// This package is the engine: the model, each TLS stack's rules, version
// negotiation, evaluation and the outcome. It names no vendor. The products
// (SIP servers, SBCs, Genesys Cloud, UCCX and its peers, the seed stories)
// live in package github.com/tlscompat/tlscompat/policy/products, which
// builds [Client] and [Server] values whose vendor facts are data: the
// remedy a vendor's situation calls for ([Client].RemedyForEKU), what the
// vendor documents about the endpoint ([Client].Notes), how a version
// mismatch is fixed ([VersionFix]) and the sources ([Evidence]). `go run
// ./examples/handshake` prints the seed stories.
//
// # Evidence
//
// Every finding carries [Evidence]: up to [MaxSources] sources, each a
// [Source] with a [SourceKind] and a public locator: an RFC section ("RFC
// 8446 §4.4.2.4"), a project file at a tag
// ("openssl/openssl@openssl-3.0.19:crypto/x509/v3_purp.c"), a documentation
// or vendor URL, a test of this module that checks the rule with real
// handshakes ("policy/interop_test.go:TestInteropTruth"), a data row, or the
// caller's own observation or input. What a profile assumes beyond its
// documents is a source of kind assumption, never the only one.
//
// # Stacks
//
// Each stack's facts (verify rule, the alert for each failure, negotiation
// behaviour, version-dependent changes, sources) are in one file,
// stack_<name>.go; adding a stack is a new file, a [Stack] constant and a
// line in the stack table.
//
// # The model
//
// A [Scenario] is a [Client] connecting to a [Server] at an instant, in a
// protocol context (tlsver.HTTPS, tlsver.JDBC, tlsver.SIP). A server has the
// versions it accepts, a [ClientAuthMode] mode (none, request, require-any,
// verify-if-given, require-and-verify: the semantic modes; [OpenSSLMode],
// [SServerMode], [GoMode], [JavaMode], [GnuTLSServMode] map stack settings to
// them), the [Stack] whose rules check client certificates, and the stack's
// version where rules change. A client has the versions it offers, the
// [Chain] it presents ([ChainFromDER], [ChainFromPEM], [ChainFromX509], or
// facts), whether its stack withholds a certificate without clientAuth, and
// a [Renewal] model (the issuer's cut-over date for clientAuth, and the
// renewal date, optionally as a window of days when only the week is known:
// inside it the answer is Unknown where the renewal decides). Endpoints
// may instead name a product and release ("UCCX", "11.0(1)"); their versions
// then come from the tlsver matrix at the scenario's instant, and the data
// row becomes the finding's evidence ([WithMatrix] replaces the built-in
// data).
//
// An [Outcome] holds the [Verdict] (succeeds, fails, unknown; the zero value
// is unset), the negotiated version, the alert the failing side sends when
// known, and the [Finding] list: each with a stable [Code], an [Effect], the
// data its message is built from, its [Evidence] and a [Remedy]. Unknown
// means the inputs do not decide the question, and a finding says what is
// missing. Findings live in a fixed array inside the Outcome: Evaluate does
// not allocate for the built-in scenarios (about 0.2–0.6 µs each).
//
// Versions are negotiated as tlsver.Negotiate does for contiguous version
// sets, where every stack agrees. Sets with gaps (TLS 1.0 and 1.2 without
// 1.1) are negotiated differently by different stacks, so Evaluate uses the
// endpoints' stacks ([Client].Stack, [Server].Stack) through
// tlsver.NegotiateStacks; when a stack it needs is unknown or not modelled
// for negotiation and the candidates disagree, the answer is Unknown with
// code version-stack-dependent, listing each candidate's outcome.
//
// Services add rules as values with [WithChecks] (see [Check], [CheckFunc],
// [MinVersion]); there is no global registry and no init().
//
// Scenario and Outcome have JSON forms: enumerations as their String names,
// times in RFC 3339, version sets as tlsver text ("TLS 1.0–1.2"), a
// certificate's EKU as a list of purpose names or null when the extension is
// absent. An Outcome's JSON adds each finding's "message" and "remedy_text".
// Both round-trip with every field, and decoding is strict: a member the
// schema does not have is an error naming its path, as in the tlsver matrix.
//
// # Invalid input and errors
//
// [Scenario.Validate] rejects what cannot be evaluated exactly: enumerations
// out of range, version sets with unknown bits, instants beyond ±2^62 s of
// 1970, renewal periods and windows outside [0, MaxRenewalDays] or a
// window not shorter than its period, and certificate extension data set
// while its presence flag is false. Evaluate answers such a scenario Unknown
// with one finding, invalid-input, whose Subject is the field's JSON path;
// decoding one from JSON fails. Renewal instants are computed in whole
// seconds, never with time.Duration, so they are exact at any distance.
//
// Errors wrap their causes with %w. Callers decide on [ErrInvalidScenario]
// (Validate, decoding a Scenario), [ErrUnknownMember] (JSON members not in
// the schema), [ErrUnknownName] (unknown wire names: stacks, modes, codes,
// ...) and eku.ErrNoCertificate ([ChainFromPEM] without a certificate); a
// *[FieldError] names the field. [ChainFromPEM] reads PEM bundles (skipping
// keys and other blocks) and DER.
//
// # Stacks: what is verified and what is unknown
//
// The client-certificate rules come from reading each stack's source at a
// tag (each stack_*.go file cites the files and functions; the findings'
// Evidence carries them) and, for OpenSSL 3, GnuTLS (gnutls-serv), Go crypto/tls,
// Java JSSE, NSS (selfserv) and Mbed TLS, from the interop suites in this
// package, which run every testpki certificate variant against real servers
// in every client-auth mode the server has and compare each outcome with
// Evaluate: the verdict, the version on success, and the alert wherever
// Evaluate predicts one. Schannel's rules are checked only by table tests
// written from its documentation.
//
//   - OpenSSL 3 (and Kamailio, OpenSIPS, Asterisk/PJSIP, FreeSWITCH/sofia):
//     leaf EKU must list clientAuth (anyExtendedKeyUsage does not count);
//     every CA certificate's EKU, the trust anchor included, must allow
//     clientAuth; KeyUsage needs digitalSignature or keyAgreement; a
//     Netscape certificate type must include SSL client. Alert 43.
//   - Go: nested EKU over the whole chain including the root; no-EKU and
//     anyEKU certificates pass; KeyUsage ignored. Alert 42. Modes 1/2 verify
//     nothing.
//   - Java JSSE: leaf only (clientAuth or anyEKU; KeyUsage digitalSignature;
//     Netscape type); skipped when the leaf is a trust anchor; "want" verifies
//     what it gets. Alert 46.
//   - GnuTLS (gnutls-serv): the clientAuth purpose is checked only from
//     3.8.13 (leaf, then intermediates without anyEKU); an unknown version
//     gives Unknown where it matters. A KeyUsage without digitalSignature
//     fails even without verification (alert 80). Verify failure: alert 49.
//   - NSS (default SSL_AuthCertificate hook): leaf KeyUsage needs
//     digitalSignature; leaf EKU clientAuth or a Netscape type with SSL
//     client (either suffices; anyEKU does not count; no EKU and no
//     Netscape type pass): alert 46. CA certificates below the trust anchor
//     must map to an SSL CA (EKU serverAuth or clientAuth, or the Netscape
//     SSL CA bit; a serverAuth-only intermediate passes, an anyEKU-only one
//     fails): alert 42. The anchor's EKU is not checked (its "T" trust
//     decides). A missing required certificate: 42, 116 in TLS 1.3; no
//     shared version: 70. The NSS interop suite runs every testpki variant
//     against NSS 3.87's selfserv without -r (none), -r (verify-if-given:
//     selfserv's hook fails the handshake on a bad certificate, accepts
//     none) and -r -r (require-and-verify), over server and client version
//     ranges from TLS 1.0 to 1.3, plus built chains for anchors, a
//     codeSigning intermediate and Netscape types; every cell agrees.
//     selfserv's renegotiation and post-handshake modes are not run.
//   - Mbed TLS: leaf only (KeyUsage digitalSignature; EKU clientAuth or
//     anyEKU; no EKU passes); CA EKUs and the Netscape type are not checked.
//     authmode REQUIRED is require-and-verify: alert 43, and a missing
//     certificate is a close without an alert; OPTIONAL only records the
//     result for mbedtls_ssl_get_verify_result, so with an application that
//     continues it is "request"; NONE (the server default) requests nothing.
//     The Mbed TLS interop suite runs every testpki variant against the
//     library's own server path, Mbed TLS 2.28.3 (TLS 1.0-1.2; its
//     experimental TLS 1.3 is not compiled in), in all three authmodes, and
//     every cell agrees; 3.x has the same check by source, so StackVersion
//     does not matter. TLS 1.3 (3.x) is source reading only.
//   - Schannel: from documentation only; alerts, KeyUsage and Netscape type
//     rules are unknown.
//   - Unknown stack: answered only where all modelled stacks agree; where
//     they disagree (stack-unknown) the detail lists the stacks that reject,
//     those that accept, and those that cannot decide (a version not given,
//     a rule not verified), never counting an undecided stack as accepting.
//
// The SIP server profiles in policy/products (Kamailio, OpenSIPS, Asterisk,
// FreeSWITCH) map configuration words to modes as their sources set
// SSL_CTX_set_verify. Kamailio (verify_certificate, require_certificate,
// verify_client) and its tls method words are also checked against a real
// Kamailio 5.6.3 by the Kamailio interop suite in this package (every cell
// agrees); the others are source reading.
//
// Alerts for a missing required certificate are the ones observed: OpenSSL
// and Go send 116 in TLS 1.3 and 40 below; GnuTLS 3.7.9 116 and 50; Java 42;
// NSS 116 and 42; Mbed TLS 2.28 closes without an alert. When no version is
// shared, the server's stack sends protocol_version (70) for OpenSSL, Go,
// GnuTLS, Java and NSS; Mbed TLS 2.x, which predates TLS 1.3 and ignores
// supported_versions, sends 70 to a client below its lowest version and
// handshake_failure (40) to a TLS 1.3-only client (it reads legacy_version
// TLS 1.2 and finds none of its cipher suites offered); 3.x is unpredicted.
//
// # Trust
//
// Whether a verifier trusts the peer's chain is an input: [Server].Trust is
// the server's store for client chains, [Client].Trust the client's store
// for the server's chain ([Server].Chain), and [Client].ServerName the name
// the client dials and checks against the server certificate's SANs. A
// [Trust] comes from PEM or DER ([TrustFromPEM], [TrustFromDER]),
// [TrustFromX509], Mozilla's root program with its distrust-after dates
// ([MozillaTrust], through golang.org/x/crypto/x509roots/fallback/bundle),
// Debian's ca-certificates bundle ([DebianTrust]) or a Java JKS key store
// such as Debian's /etc/ssl/certs/java/cacerts ([TrustFromJavaKeyStore];
// PKCS #12 stores are not read). Its JSON form lists the DER of each
// certificate.
//
// When a verifier's store is not given, an answer that would otherwise be
// a success rests on an explicit assumption, never silently: a finding
// with code trust-assumed (effect warning) names the issuer the verifier
// must trust (the chain's top
// issuer, or the certificate whose issuer is meant when the scenario does
// not name it), [Outcome.TrustAssumed] reports it, and [Outcome.Explain]'s
// headline says "succeeds (if the verifier trusts …)". A verdict of
// Succeeds with trust-assumed means: succeeds if that issuer is trusted.
// Give the store to get a decided answer. products.TrustStories (package
// policy/products) shows the seed stories in both directions (the SBC
// checking Genesys' chain and Genesys checking the SBC's, UCCX checking
// Salesforce's), each with the assumption named, since no public document
// gives those chains or stores.
//
// With a store and a chain of real certificates (DER), Evaluate builds the
// certification path as the verifier's stack does: from the chain as sent
// and the store, to an anchor that is self-signed (OpenSSL, unless
// [Trust].PartialChain, s_server -partial_chain) or any certificate of the
// store (Go, Java JSSE, GnuTLS, NSS with trust flags "T,,", Mbed TLS); a
// cross-signed root is followed to the old root, and a store holding the
// new root alone is reached through the chain's intermediate. Along the
// path it checks validity at the scenario's instant (the anchor's own
// validity where the stack checks it: OpenSSL and Go yes, Java no, the
// others unknown: Unknown if it decides), basicConstraints cA and
// pathLenConstraint, signatures, a root's distrust-after date, the
// server name, SHA-1 signatures (refused by OpenSSL at Debian's security
// level 2, Go, GnuTLS and Mbed TLS; accepted by NSS and, under a root that
// is not in the JDK's cacerts, by Java: Unknown for a Java client, which
// refuses it under a JDK root) and RSA key sizes (below 2048 bits refused
// by OpenSSL at level 2, Mbed TLS and the NSS client; 1024 accepted by Go,
// Java, GnuTLS and the NSS server; other sizes Unknown where they decide). The path also completes the CA certificates the stack's
// purpose rules check (a serverAuth-only intermediate under OpenSSL or
// Go), anchor included. Each failure has its code (chain-untrusted,
// certificate-expired, certificate-not-yet-valid, issuer-not-ca,
// path-length-exceeded, name-mismatch, root-distrusted) and the alert the
// verifier's stack sends, which differs by stack, direction and version:
//
//	                     unknown CA   expired   not yet valid   not a CA
//	OpenSSL 3 (both)     48           45        42              48
//	Go server            48           45        45              48
//	Go client            42           42        42              42
//	Java server          46           46        46              46
//	Java client TLS 1.2  46           45        42              46
//	Java client TLS 1.3  46           46        46              46
//	GnuTLS server        49           49        49              49
//	GnuTLS client        42           42        42              42
//	NSS (both)           48           45/48     45/-            48     (leaf/CA)
//	Mbed TLS (both)      48           45        46              48
//
// Real certificates are facts: a chain built from DER is not rewritten by
// a [Renewal] until a renewal instant after its notBefore; the renewed
// leaf is then a forecast, judged by names: [Renewal].Issuer names the CA
// it chains to when the renewal changes it, and a verifying server whose
// store lacks that CA gets a warning before the renewal
// (renewal-issuer-not-in-store). [Timeline] also changes at every chain
// certificate's notBefore and just after its notAfter.
//
// A SHA-1 signature: OpenSSL 42, Go 48 (server) and 42 (client), GnuTLS
// 49 and 42, Mbed TLS 46; a short RSA key: OpenSSL 42, Mbed TLS 43, the
// NSS client 46. A name mismatch is 42 for the Go, OpenSSL, GnuTLS and
// Mbed TLS clients; "-" and
// path-length or distrust-after failures leave the alert unpredicted. An
// unknown issuer is reported before a purpose failure (stacks build the
// path first). A chain known only by names (no DER) is trusted when a
// certificate's issuer is an anchor's subject, and otherwise Unknown
// (trust-undecided). An unknown verifier stack is answered where the
// modelled stacks agree.
//
// The trust interop suites (trust_interop_test.go) run fifteen chain and
// store cases (trusted control; only the leaf sent; only the leaf with the
// intermediate in the store; an intermediate as the only anchor; the root
// included; an expired leaf; a not-yet-valid leaf; an expired
// intermediate; an unknown root; a new root cross-signed by the old, with
// the old root trusted and with the new root alone; a serverAuth-only
// intermediate; a CA without basicConstraints; a SHA-1-signed leaf; an
// RSA 1024 leaf) against real servers in every verifying client-auth mode
// over TLS 1.2 and 1.3 (OpenSSL 3.0 s_server, also with -partial_chain;
// gnutls-serv 3.7.9; Go; Java 17 JSSE; NSS 3.87 selfserv; Mbed TLS 2.28,
// TLS 1.2 only; Kamailio 5.6), and against real clients verifying the
// server's chain (Go, openssl s_client -verify_return_error, gnutls-cli,
// a JSSE client with the default PKIX trust manager, NSS tstclnt, an Mbed
// TLS 2.28 client), with a name mismatch for the clients that check
// names. All 405 server cells agree; of 172 client cells 170 agree and 2
// (a Java client, a SHA-1 signature) are Unknown with that reason.
// Kamailio as a TLS client is not run. Not modelled: other algorithm
// policies (MD5, DSA, curves, OpenSSL security levels other than Debian's
// 2, changed java.security files), name constraints, policy constraints,
// revocation, AIA fetching of missing intermediates (none of the stacks
// tested fetches by default), and the order in which a stack reports two
// faults of one chain beyond "unknown issuer first".
//
// # Finding codes
//
// The stable names (JSON "code", [Code.String], [ParseCode]):
//
//	version-negotiated              client and server share a protocol version
//	no-common-version               client and server share no protocol version
//	versions-unknown                an endpoint's versions are not known
//	versions-from-data              an endpoint's versions come from a data row
//	no-certificate-request          the server does not request a client certificate
//	client-auth-unknown             the server's client-certificate mode is not known
//	no-client-certificate           the client sends no certificate
//	certificate-withheld            the client withholds a certificate without clientAuth
//	not-verified                    the client certificate is requested but not verified
//	certificate-accepted            the client certificate passes the stack's checks
//	eku-lacks-client-auth           the leaf's EKU does not include clientAuth
//	any-eku-not-honoured            anyExtendedKeyUsage does not satisfy this stack
//	ca-eku-lacks-client-auth        a CA certificate's EKU excludes clientAuth
//	key-usage-no-digital-signature  the leaf's KeyUsage lacks digitalSignature
//	ns-cert-type-not-client         the Netscape certificate type excludes SSL client
//	cas-unknown                     the CA certificates' EKUs are needed but not known
//	certificate-unknown             the client certificate's contents are not known
//	stack-unknown                   the server's TLS stack is not known and stacks disagree
//	stack-version-unknown           the stack's version decides and is not given
//	rule-not-verified               no verified rule of this stack covers the input
//	renewal-drops-client-auth       a certificate renewal removes clientAuth
//	leaf-is-trust-anchor            Java skips end-entity checks for a trusted leaf
//	not-affected                    documented as not affected by the clientAuth removal
//	check                           a finding from a service check
//	below-minimum-version           the negotiated version is below the required minimum
//	renewal-window                  inside an announced renewal window; old and new certificate differ
//	version-stack-dependent         version sets with gaps; the unknown stacks decide the version
//	issuer-not-listed               the client's issuer is not among the CAs the server lists
//	invalid-input                   a scenario field is out of range or inconsistent; nothing is evaluated
//	trust-assumed                   the verifier's store is not given; the answer assumes it trusts the named issuer
//	chain-trusted                   the chain leads to an anchor of the verifier's store and passes its checks
//	chain-untrusted                 no path from the chain to an anchor of the verifier's store
//	certificate-expired             a certificate of the path is past its notAfter
//	certificate-not-yet-valid       a certificate of the path is before its notBefore
//	issuer-not-ca                   an issuing certificate lacks basicConstraints cA
//	path-length-exceeded            the path exceeds a CA's pathLenConstraint
//	name-mismatch                   the server certificate's SANs do not match the dialled name
//	root-distrusted                 the leaf was issued after its root's distrust-after date
//	trust-undecided                 the stack's path building decides and is not known for this input
//	weak-signature                  a certificate of the path is signed with SHA-1, which the stack refuses
//	weak-key                        a certificate of the path has an RSA key shorter than the stack accepts
//	renewal-issuer-not-in-store     a renewal moves the certificate to an issuer the verifier's store does not hold
package policy

package pathbuild

// Tri is a rule's value for a stack: yes, no, or not known.
type Tri uint8

// Tri values. The zero value is Unknown.
const (
	Unknown Tri = iota
	Yes
	No
)

// Direction says who verifies: a server checking a client's chain, or a
// client checking a server's chain. Stacks send different alerts for each.
type Direction uint8

// Directions.
const (
	ServerVerifies Direction = iota
	ClientVerifies
)

// Alerts holds, per failure, the alert a stack sends for a failing leaf
// ([0]) and for a failing CA certificate ([1]); 0 means not known: an
// entry is filled only where the trust interop suite observed it, or where
// the stack's source maps every failure of that kind to one alert
// (OpenSSL's ssl_verify_alarm_type table, Go's processCertsFromClient,
// JSSE's checkClientCerts, gnutls_error_to_alert). A path-length or
// distrust-after failure is not predicted.
type Alerts [numFailures][2]uint8

// Rules are one stack's path-building facts.
type Rules struct {
	// Name is the stack's title, for reasons.
	Name string
	// UsesSentChain: the certificates the peer sends above the leaf are
	// path candidates (every stack modelled here).
	UsesSentChain bool
	// Terminal: a path ends at the first anchor reached (no longer path
	// through an anchor is tried).
	Terminal bool
	// StoreCertIsAnchor: any certificate in the store ends a path, not
	// only a self-signed one.
	StoreCertIsAnchor Tri
	// AlternativePaths: when the first path fails a check, another path
	// (a store root instead of a cross-signed one) is tried.
	AlternativePaths Tri
	// AnchorValidity: the anchor's own notBefore/notAfter is checked.
	AnchorValidity Tri
	// AnchorCA: the anchor's basicConstraints are checked.
	AnchorCA Tri
	// NameFirst: a name mismatch is reported before an unknown issuer.
	NameFirst bool
	// RefusesSHA1, by direction: a SHA-1 signature on a certificate below
	// the anchor fails the chain. SHA1Note explains an Unknown.
	RefusesSHA1 [2]Tri
	SHA1Note    string
	// RSARefusesBelow, by direction: an RSA key shorter than this fails
	// the chain (0: not known). RSAAccepts: the shortest RSA key known to
	// pass (0: not known); a key between the two, or below 2048 bits with
	// neither known, is Unknown.
	RSARefusesBelow [2]int
	RSAAccepts      [2]int
	// Alerts by direction.
	Alerts [2]Alerts
	// Alerts13, where non-nil, replaces Alerts in TLS 1.3.
	Alerts13 [2]*Alerts
	// Sources cite where the rules come from: project files at a tag (the
	// interop suites in package policy check them against real stacks).
	Sources []Source
}

// Source is a project file at a tag ("owner/repo@tag:path") and the part
// of it a rule rests on.
type Source struct {
	Locator, Ref string
}

// Alert returns the alert the stack sends for res in direction d (tls13:
// the connection is TLS 1.3), 0 if not known.
func (r *Rules) Alert(d Direction, res Result, tls13 bool) uint8 {
	if r == nil || res.Failure == OK || res.Failure >= numFailures || d > ClientVerifies {
		return 0
	}
	ca := 0
	if res.Depth > 0 {
		ca = 1
	}
	if tls13 && r.Alerts13[d] != nil {
		return r.Alerts13[d][res.Failure][ca]
	}
	return r.Alerts[d][res.Failure][ca]
}

// both is an alert for a leaf and a CA alike.
func both(a uint8) [2]uint8 { return [2]uint8{a, a} }

// Stack names, as policy.Stack spells them.
var rules = map[string]*Rules{
	"openssl3": {
		Name: "OpenSSL 3", UsesSentChain: true, Terminal: true,
		// Debian's openssl.cnf sets @SECLEVEL=2: no SHA-1 signatures, RSA
		// keys of 2048 bits or more (SSL_CTX_set_security_level(3ssl)).
		RefusesSHA1: [2]Tri{Yes, Yes}, RSARefusesBelow: [2]int{2048, 2048}, RSAAccepts: [2]int{2048, 2048},
		StoreCertIsAnchor: No, AlternativePaths: Yes, AnchorValidity: Yes,
		Alerts: [2]Alerts{
			ServerVerifies: {UnknownIssuer: both(48), Expired: both(45), NotYetValid: both(42), NotCA: both(48), WeakSignature: both(42), WeakKey: both(42)},
			ClientVerifies: {UnknownIssuer: both(48), Expired: both(45), NotYetValid: both(42), NotCA: both(48), NameMismatch: both(42), WeakSignature: both(42), WeakKey: both(42)},
		},
		Sources: []Source{
			{"openssl/openssl@openssl-3.0.19:crypto/x509/x509_vfy.c", "build_chain, X509_V_FLAG_PARTIAL_CHAIN, check_chain, internal_verify"},
			{"openssl/openssl@openssl-3.0.19:ssl/statem/statem_lib.c", "ssl_verify_alarm_type; Debian's openssl.cnf @SECLEVEL=2"},
		},
	},
	"go": {
		Name: "Go crypto/tls", UsesSentChain: true, Terminal: true,
		// crypto/x509 refuses SHA-1 signatures (InsecureAlgorithmError);
		// crypto/rsa refuses keys below 1024 bits (go1.24+).
		RefusesSHA1: [2]Tri{Yes, Yes}, RSARefusesBelow: [2]int{1024, 1024}, RSAAccepts: [2]int{1024, 1024},
		StoreCertIsAnchor: Yes, AlternativePaths: Yes, AnchorValidity: Yes,
		Alerts: [2]Alerts{
			// x509.Verify reports a certificate outside its validity
			// (expired or not yet valid, leaf or CA) as
			// CertificateInvalidError{Expired}, and a non-CA issuer as
			// UnknownAuthorityError.
			ServerVerifies: {UnknownIssuer: both(48), Expired: both(45), NotYetValid: both(45), NotCA: both(48), WeakSignature: both(48)},
			ClientVerifies: {UnknownIssuer: both(42), Expired: both(42), NotYetValid: both(42), NotCA: both(42), NameMismatch: both(42), WeakSignature: both(42)},
		},
		Sources: []Source{
			{"golang/go@go1.26.8:src/crypto/tls/handshake_server.go", "processCertsFromClient: alerts 48, 45, 42"},
			{"golang/go@go1.26.8:src/crypto/tls/handshake_client.go", "verifyServerCertificate: alert 42"},
			{"golang/go@go1.26.8:src/crypto/x509/verify.go", "buildChains, isValid"},
		},
	},
	"java": {
		Name: "Java JSSE", UsesSentChain: true, Terminal: true,
		// java.security (JDK 17): jdk.certpath.disabledAlgorithms has
		// "SHA1 jdkCA & usage TLSServer" and "RSA keySize < 1024": SHA-1
		// is refused only for server certificates chaining to a root of
		// the JDK's own cacerts.
		RefusesSHA1: [2]Tri{No, Unknown}, SHA1Note: " (JDK 17 refuses it for a server certificate whose root is in the JDK's cacerts, jdkCA, and accepts it under other roots)",
		RSARefusesBelow: [2]int{1024, 1024}, RSAAccepts: [2]int{1024, 1024},
		StoreCertIsAnchor: Yes, AlternativePaths: Yes, AnchorValidity: No,
		Alerts: [2]Alerts{
			ServerVerifies: {UnknownIssuer: both(46), Expired: both(46), NotYetValid: both(46), NotCA: both(46)},
			ClientVerifies: {UnknownIssuer: both(46), Expired: both(45), NotYetValid: both(42), NotCA: both(46)},
		},
		// The TLS 1.3 client path answers every certificate failure with
		// certificate_unknown; TLS 1.2 maps the CertPathValidatorException
		// reason (getCertificateAlert).
		Alerts13: [2]*Alerts{ClientVerifies: {UnknownIssuer: both(46), Expired: both(46), NotYetValid: both(46), NotCA: both(46)}},
		Sources: []Source{
			{"openjdk/jdk17u@jdk-17.0.15-ga:src/java.base/share/classes/sun/security/ssl/CertificateMessage.java", "checkClientCerts, checkServerCerts, getCertificateAlert"},
			{"openjdk/jdk17u@jdk-17.0.15-ga:src/java.base/share/conf/security/java.security", "jdk.certpath.disabledAlgorithms"},
		},
	},
	"gnutls": {
		Name: "GnuTLS", UsesSentChain: true, Terminal: true,
		// SHA-1 certificate signatures are refused by default (as observed
		// with 3.7.9); an RSA 1024 key passes verification.
		RefusesSHA1: [2]Tri{Yes, Yes}, RSAAccepts: [2]int{1024, 1024},
		StoreCertIsAnchor: Yes, AlternativePaths: Unknown, AnchorValidity: Unknown,
		Alerts: [2]Alerts{
			// gnutls-serv --verify-client-cert verifies in its certificate
			// callback; the alert a failing callback produces (49) is the
			// one the trust interop suite observes for every failure.
			ServerVerifies: {UnknownIssuer: both(49), Expired: both(49), NotYetValid: both(49), NotCA: both(49), WeakSignature: both(49)},
			// gnutls-cli's verification failure ends the handshake with
			// bad_certificate.
			ClientVerifies: {UnknownIssuer: both(42), Expired: both(42), NotYetValid: both(42), NotCA: both(42), NameMismatch: both(42), WeakSignature: both(42)},
		},
		Sources: []Source{
			{"gnutls/gnutls@3.7.9:lib/x509/verify-high.c", "gnutls_x509_trust_list_verify_crt2"},
			{"gnutls/gnutls@3.7.9:src/serv.c", "cert_verify_callback (--verify-client-cert); alert 49 as observed"},
			{"gnutls/gnutls@3.7.9:lib/alert.c", "gnutls_error_to_alert: GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR -> GNUTLS_A_BAD_CERTIFICATE (the client's alert)"},
		},
	},
	"nss": {
		Name: "NSS", UsesSentChain: true, Terminal: true,
		// SHA-1 signatures pass certificate verification (3.87); the
		// client refuses an RSA 1024 server key (a TLS key-size policy),
		// the server accepts it in a client certificate.
		RefusesSHA1: [2]Tri{No, No}, RSARefusesBelow: [2]int{0, 2048}, RSAAccepts: [2]int{1024, 2048},
		StoreCertIsAnchor: Yes, AlternativePaths: Unknown, AnchorValidity: Unknown,
		Alerts: [2]Alerts{
			ServerVerifies: {UnknownIssuer: both(48), Expired: {45, 48}, NotYetValid: {45, 0}, NotCA: both(48)},
			ClientVerifies: {UnknownIssuer: both(48), Expired: {45, 48}, NotYetValid: {45, 0}, NotCA: both(48), WeakKey: both(46)},
		},
		Sources: []Source{
			{"nss-dev/nss@NSS_3_87_RTM:lib/ssl/ssl3con.c", "the alert for each SEC_ERROR: expired certificate -> certificate_expired, unknown or expired issuer -> unknown_ca"},
			{"nss-dev/nss@NSS_3_87_RTM:lib/certhigh/certvfy.c", "CERT_VerifyCertificate; a certificate with trust flags is an anchor"},
		},
	},
	"mbedtls": {
		Name: "Mbed TLS", UsesSentChain: true, Terminal: true,
		// mbedtls_x509_crt_profile_default (2.28): SHA-2 only, RSA keys of
		// 2048 bits or more.
		RefusesSHA1: [2]Tri{Yes, Yes}, RSARefusesBelow: [2]int{2048, 2048}, RSAAccepts: [2]int{2048, 2048},
		StoreCertIsAnchor: Yes, AlternativePaths: Unknown, AnchorValidity: Unknown,
		Alerts: [2]Alerts{
			ServerVerifies: {UnknownIssuer: both(48), Expired: both(45), NotYetValid: both(46), NotCA: both(48), WeakSignature: both(46), WeakKey: both(43)},
			ClientVerifies: {UnknownIssuer: both(48), Expired: both(45), NotYetValid: both(46), NotCA: both(48), NameMismatch: both(42), WeakSignature: both(46), WeakKey: both(43)},
		},
		Sources: []Source{
			{"Mbed-TLS/mbedtls@v2.28.3:library/x509_crt.c", "x509_crt_verify_chain; mbedtls_x509_crt_profile_default"},
			{"Mbed-TLS/mbedtls@v2.28.3:library/ssl_tls.c", "mbedtls_ssl_parse_certificate: NOT_TRUSTED -> unknown_ca, EXPIRED -> certificate_expired, BAD_KEY -> unsupported_certificate, other -> certificate_unknown"},
		},
	},
}

// For returns the rules of the stack with the given wire name, or nil when
// the stack's path building is not modelled.
func For(stack string) *Rules { return rules[stack] }

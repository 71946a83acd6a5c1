package policy

import (
	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Mbed TLS (2.28.3 tested; 3.x has the same check by source).
//
// Verify: the leaf only: KeyUsage, when present, needs digitalSignature;
// EKU must list clientAuth or anyExtendedKeyUsage; CA EKUs and the Netscape
// type are ignored. Failure: unsupported_certificate (43) under REQUIRED
// (OPTIONAL only sets flags: ClientAuthRequest).
//
// Alerts: missing required certificate not observed; no common version:
// see mbedTLSVersionAlert (2.x only); untrusted issuer not observed.
// Negotiation: not modelled by tlsver.
var mbedTLSRules = stackRules{
	name: "mbedtls", title: "Mbed TLS",
	verify:       mbedTLSVerify,
	versionAlert: mbedTLSVersionAlert,
	evidence:     evMbed,
}

var evMbed = Cite(
	Source{Kind: SourceCode, Locator: "Mbed-TLS/mbedtls@v2.28.3:library/ssl_tls.c", Ref: "mbedtls_ssl_check_cert_usage (3.x alike)"},
	Source{Kind: SourceCode, Locator: "Mbed-TLS/mbedtls@v2.28.3:library/x509_crt.c", Ref: "mbedtls_x509_crt_check_extended_key_usage"},
	srcMbedTLSSuite,
)

func mbedTLSVerify(_ string, v chainView) check {
	leaf := &v.leaf
	if leaf.HasKeyUsage && leaf.KeyUsage&eku.KeyUsageDigitalSignature == 0 {
		return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 43, ev: evMbed}
	}
	if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) && !leaf.EKU.Has(eku.Any) {
		return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 43, detail: ekuDetail(leaf), ev: evMbed}
	}
	return pass(CodeCertificateAccepted, evMbed)
}

// mbedTLSVersionAlert is the alert an Mbed TLS 2.x server sends when no
// version is shared. Mbed TLS 2.x predates TLS 1.3 and does not read
// supported_versions; it takes the ClientHello's legacy_version. A client
// whose version is below the server's lowest gets protocol_version (70, from
// ssl_parse_client_hello in ssl_srv.c). A TLS 1.3-only client sends
// legacy_version TLS 1.2, which the server accepts, but such a client offers
// only TLS 1.3 cipher suites (crypto/tls drops the others when its
// MinVersion is TLS 1.3, OpenSSL skips suites outside its version range), so
// the server finds no common suite and sends handshake_failure (40). Both
// are checked against 2.28.3 by the Mbed TLS interop suite. For 3.x (which
// has TLS 1.3 and reads supported_versions), for an unknown version and for
// other failures it returns 0: not predicted.
func mbedTLSVersionAlert(n tlsver.Negotiation, version string) Alert {
	if v, ok := parseDotted(version); !ok || v[0] != 2 {
		return 0
	}
	switch {
	case n.Failure == tlsver.ServerTooNew:
		return 70 // protocol_version
	case n.Failure == tlsver.NoCommonVersion && n.Client == tlsver.SetOf(tlsver.TLS13):
		return 40 // handshake_failure: no TLS 1.2 cipher suite offered
	}
	return 0
}

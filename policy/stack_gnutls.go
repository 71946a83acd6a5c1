package policy

import (
	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// GnuTLS, verifying the way gnutls-serv does (3.7.9 tested).
//
// Verify: the version decides. Before 3.8.13 gnutls-serv verifies without
// a purpose, so any EKU passes; from 3.8.13 (commit 6db6b503d) it checks
// the clientAuth purpose on the leaf (anyEKU and no EKU pass) and on the CA
// certificates below the anchor. Failure: access_denied (49). Without
// Server.StackVersion the answer is undecided where the two differ
// (stack-version-unknown).
//
// Even without verification, a client certificate whose KeyUsage lacks
// digitalSignature fails the CertificateVerify check: internal_error (80).
//
// Alerts: missing required certificate decode_error 50 (TLS 1.2) or 116
// (TLS 1.3); no common version 70; untrusted issuer not observed.
// Negotiation: tlsver.GnuTLSStack.
var gnuTLSRules = stackRules{
	name: "gnutls", title: "GnuTLS",
	verify:       gnuTLSVerify,
	layer:        gnuTLSLayer,
	noCertAlert:  tls13Or(116, 50),
	versionAlert: protocolVersionAlert,
	negotiation:  tlsver.GnuTLSStack, negotiates: true,
	evidence: evGnuTLS,
}

// gnutlsPurposeFrom is the first gnutls-serv release that checks the client
// certificate's purpose.
var gnutlsPurposeFrom = [3]int{3, 8, 13}

var (
	evGnuTLS = Cite(
		Source{Kind: SourceCode, Locator: "gnutls/gnutls@3.8.13:src/serv.c", Ref: "cert_verify_callback (purpose GNUTLS_KP_TLS_WWW_CLIENT from commit 6db6b503d)"},
		Source{Kind: SourceCode, Locator: "gnutls/gnutls@3.7.9:src/serv.c", Ref: "cert_verify_callback (no purpose)"},
		Source{Kind: SourceCode, Locator: "gnutls/gnutls@3.8.13:lib/x509/verify.c", Ref: "_gnutls_check_key_purpose"},
		srcTruthSuite,
	)
	evGnuKU = Cite(
		Source{Kind: SourceCode, Locator: "gnutls/gnutls@3.7.9:lib/tls-sig.c", Ref: "_gnutls_check_key_usage_for_sig (GNUTLS_E_KEY_USAGE_VIOLATION)"},
		srcTruthSuite,
	)
)

func gnuTLSVerify(version string, v chainView) check {
	ver, ok := parseDotted(version)
	if !ok {
		newer := gnutlsPurpose(v)
		if newer.effect == EffectInfo {
			return pass(CodeCertificateAccepted, evGnuTLS)
		}
		return check{effect: EffectUnknown, code: CodeStackVersionUnknown, detail: "gnutls-serv checks the clientAuth purpose only from 3.8.13; " + newer.code.String() + " from then on", ev: evGnuTLS}
	}
	if lessDotted(ver, gnutlsPurposeFrom) {
		return pass(CodeCertificateAccepted, evGnuTLS)
	}
	return gnutlsPurpose(v)
}

func gnutlsPurpose(v chainView) check {
	leaf := &v.leaf
	if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) && !leaf.EKU.Has(eku.Any) {
		return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 49, detail: ekuDetail(leaf), ev: evGnuTLS}
	}
	return caRule(v, false, false, 49, evGnuTLS)
}

func gnuTLSLayer(v chainView) (check, bool) {
	if v.leaf.HasKeyUsage && v.leaf.KeyUsage&eku.KeyUsageDigitalSignature == 0 {
		return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 80, ev: evGnuKU}, true
	}
	return check{}, false
}

// GnuTLSServMode maps gnutls-serv's flags (the default requests a
// certificate without verifying it).
func GnuTLSServMode(disableClientCert, requireClientCert, verifyClientCert bool) ClientAuthMode {
	switch {
	case disableClientCert:
		return ClientAuthNone
	case requireClientCert && verifyClientCert:
		return ClientAuthRequireAndVerify
	case requireClientCert:
		return ClientAuthRequireAny
	case verifyClientCert:
		return ClientAuthVerifyIfGiven
	}
	return ClientAuthRequest
}

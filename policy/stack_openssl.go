package policy

import (
	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// OpenSSL 3.x (and the applications built on it: Kamailio, OpenSIPS,
// Asterisk/PJSIP, FreeSWITCH/sofia-sip).
//
// Verify: the leaf's EKU must list clientAuth (anyExtendedKeyUsage does not
// count); KeyUsage, when present, needs digitalSignature or keyAgreement; a
// Netscape certificate type must include SSL client; every CA certificate's
// EKU, the trust anchor included, must allow clientAuth (anyEKU counts for
// CAs). A failed purpose check is X509_V_ERR_INVALID_PURPOSE, sent as
// unsupported_certificate (43).
//
// Alerts: missing required certificate 40 (TLS 1.2) or certificate_required
// 116 (TLS 1.3); no common version 70; untrusted issuer unknown_ca 48.
// Negotiation: tlsver.OpenSSLStack. No version split within 3.x is known.
var openSSLRules = stackRules{
	name: "openssl3", title: "OpenSSL 3",
	verify:               openSSLVerify,
	noCertAlert:          tls13Or(116, 40),
	versionAlert:         protocolVersionAlert,
	untrustedIssuerAlert: 48,
	negotiation:          tlsver.OpenSSLStack, negotiates: true,
	evidence: evOpenSSL,
}

var evOpenSSL = Cite(
	Source{Kind: SourceCode, Locator: "openssl/openssl@openssl-3.0.19:crypto/x509/v3_purp.c", Ref: "check_purpose_ssl_client"},
	Source{Kind: SourceCode, Locator: "openssl/openssl@openssl-3.0.19:crypto/x509/x509_vfy.c", Ref: "check_extensions: whole chain, anchor included"},
	Source{Kind: SourceCode, Locator: "openssl/openssl@openssl-3.0.19:ssl/statem/statem_lib.c", Ref: "x509table: X509_V_ERR_INVALID_PURPOSE => unsupported_certificate"},
	srcTruthSuite,
)

func openSSLVerify(_ string, v chainView) check {
	leaf := &v.leaf
	if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) {
		if leaf.EKU.Has(eku.Any) {
			return check{effect: EffectFail, code: CodeAnyEKUNotHonoured, alert: 43, detail: ekuDetail(leaf), ev: evOpenSSL}
		}
		return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 43, detail: ekuDetail(leaf), ev: evOpenSSL}
	}
	if leaf.HasKeyUsage && leaf.KeyUsage&(eku.KeyUsageDigitalSignature|eku.KeyUsageKeyAgreement) == 0 {
		return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 43, ev: evOpenSSL}
	}
	if leaf.HasNSCertType && leaf.NSCertType&NSCertTypeSSLClient == 0 {
		return check{effect: EffectFail, code: CodeNSCertTypeNotClient, alert: 43, ev: evOpenSSL}
	}
	return caRule(v, true, false, 43, evOpenSSL)
}

// tls13Or returns a noCertAlert that answers a13 in TLS 1.3 and a12 below.
func tls13Or(a13, a12 Alert) func(tlsver.Version) Alert {
	return func(v tlsver.Version) Alert {
		if v == tlsver.TLS13 {
			return a13
		}
		return a12
	}
}

// OpenSSLMode maps an OpenSSL server's SSL_CTX_set_verify flags to a mode.
// callbackAcceptsAll reports a verify callback that returns 1 on errors
// (openssl s_server without -verify_return_error).
func OpenSSLMode(verifyPeer, failIfNoPeerCert, callbackAcceptsAll bool) ClientAuthMode {
	switch {
	case !verifyPeer:
		return ClientAuthNone
	case callbackAcceptsAll && failIfNoPeerCert:
		return ClientAuthRequireAny
	case callbackAcceptsAll:
		return ClientAuthRequest
	case failIfNoPeerCert:
		return ClientAuthRequireAndVerify
	}
	return ClientAuthVerifyIfGiven
}

// SServerMode maps openssl s_server's flags: flag is "", "-verify" or
// "-Verify".
func SServerMode(flag string, verifyReturnError bool) (ClientAuthMode, error) {
	switch flag {
	case "":
		return ClientAuthNone, nil
	case "-verify":
		return OpenSSLMode(true, false, !verifyReturnError), nil
	case "-Verify":
		return OpenSSLMode(true, true, !verifyReturnError), nil
	}
	return 0, errorf("unknown s_server flag %q", flag)
}

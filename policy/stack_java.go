package policy

import (
	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Java JSSE (SunJSSE with the default PKIX trust manager; JDK 17 tested).
//
// Verify: the leaf only, and only when it is not itself the trust anchor
// (Validator.validate runs the end-entity check for chains longer than
// one): KeyUsage, when present, needs digitalSignature; EKU must list
// clientAuth or anyExtendedKeyUsage; a Netscape type must include SSL
// client. Failure: certificate_unknown (46).
//
// Alerts: missing required certificate bad_certificate 42, also in TLS 1.3;
// no common version 70; untrusted issuer 46. Negotiation: tlsver.JavaStack.
var javaRules = stackRules{
	name: "java", title: "Java JSSE",
	verify:               javaVerify,
	noCertAlert:          tls13Or(42, 42),
	versionAlert:         protocolVersionAlert,
	untrustedIssuerAlert: 46,
	negotiation:          tlsver.JavaStack, negotiates: true,
	evidence: evJava,
}

var evJava = Cite(
	Source{Kind: SourceCode, Locator: "openjdk/jdk17u@jdk-17.0.15-ga:src/java.base/share/classes/sun/security/validator/EndEntityChecker.java", Ref: "checkTLSClient"},
	Source{Kind: SourceCode, Locator: "openjdk/jdk17u@jdk-17.0.15-ga:src/java.base/share/classes/sun/security/validator/Validator.java", Ref: "validate (end-entity check only for chain length > 1)"},
	srcTruthSuite,
)

func javaVerify(_ string, v chainView) check {
	leaf := &v.leaf
	if v.anchor {
		return pass(CodeLeafIsTrustAnchor, evJava)
	}
	if leaf.HasKeyUsage && leaf.KeyUsage&eku.KeyUsageDigitalSignature == 0 {
		return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 46, ev: evJava}
	}
	if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) && !leaf.EKU.Has(eku.Any) {
		return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 46, detail: ekuDetail(leaf), ev: evJava}
	}
	if leaf.HasNSCertType && leaf.NSCertType&NSCertTypeSSLClient == 0 {
		return check{effect: EffectFail, code: CodeNSCertTypeNotClient, alert: 46, ev: evJava}
	}
	return pass(CodeCertificateAccepted, evJava)
}

// JavaMode maps SSLServerSocket setWantClientAuth/setNeedClientAuth with the
// default trust manager: a received certificate is always checked, so "want"
// is verify-if-given.
func JavaMode(want, need bool) ClientAuthMode {
	switch {
	case need:
		return ClientAuthRequireAndVerify
	case want:
		return ClientAuthVerifyIfGiven
	}
	return ClientAuthNone
}

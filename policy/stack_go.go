package policy

import (
	"crypto/tls"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Go crypto/tls with crypto/x509.
//
// Verify: EKUs nest over the whole chain, root included: every certificate
// with an EKU must allow clientAuth or anyExtendedKeyUsage; a certificate
// without EKU passes; KeyUsage is ignored. Failure: bad_certificate (42).
//
// Alerts: missing required certificate 40 (TLS 1.2) or 116 (TLS 1.3); no
// common version 70; untrusted issuer unknown_ca 48. Negotiation:
// tlsver.GoStack.
var goRules = stackRules{
	name: "go", title: "Go crypto/tls",
	verify:               goVerify,
	noCertAlert:          tls13Or(116, 40),
	versionAlert:         protocolVersionAlert,
	untrustedIssuerAlert: 48,
	negotiation:          tlsver.GoStack, negotiates: true,
	evidence: evGo,
}

var evGo = Cite(
	Source{Kind: SourceCode, Locator: "golang/go@go1.26.8:src/crypto/tls/handshake_server.go", Ref: "processCertsFromClient"},
	Source{Kind: SourceCode, Locator: "golang/go@go1.26.8:src/crypto/x509/verify.go", Ref: "checkChainForKeyUsage"},
	srcTruthSuite,
)

func goVerify(_ string, v chainView) check {
	leaf := &v.leaf
	if leaf.HasEKU && !leaf.EKU.Has(eku.Any) && !leaf.EKU.Has(eku.ClientAuth) {
		return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 42, detail: ekuDetail(leaf), ev: evGo}
	}
	return caRule(v, true, true, 42, evGo)
}

// GoMode maps a crypto/tls ClientAuthType.
func GoMode(t tls.ClientAuthType) ClientAuthMode {
	switch t {
	case tls.NoClientCert:
		return ClientAuthNone
	case tls.RequestClientCert:
		return ClientAuthRequest
	case tls.RequireAnyClientCert:
		return ClientAuthRequireAny
	case tls.VerifyClientCertIfGiven:
		return ClientAuthVerifyIfGiven
	case tls.RequireAndVerifyClientCert:
		return ClientAuthRequireAndVerify
	}
	return ClientAuthUnknown
}
